"""Small builders for test workbooks: snapshots in memory, and real .xlsx files on disk."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook

from sheets_sync.backends.xlsx_files import backup_folder
from sheets_sync.sheet.tabs import RawCell, RawTab, Snapshot
from sheets_sync.util.files import STATE_FOLDER

Tabs = dict[str, list[list[Any]]]

KPI_HEADER = ["ID", "KPI名", "層", "良い方向", "単位", "目標", "自動集計", "測り方", "使う"]
CYCLE_HEADER = [
    "No.",
    "開始日",
    "終了日",
    "仮説(1つ)",
    "改善(1つ)",
    "学び(1行)",
    "次の一歩",
    "状態",
    "担当",
]
VALUE_HEADER = ["サイクル", "KPI", "値", "メモ"]
EVIDENCE_HEADER = ["日付", "サイクル", "種類", "サイン", "一言", "場面", "次に試すこと", "記録者"]

# A small, fully valid workbook: today = 2026-11-20, cycle 1 done, cycle 2 running.
BASELINE_TODAY = date(2026, 11, 20)
_BASELINE: Tabs = {
    "KPI": [
        KPI_HEADER,
        ["K1", "サイクルを回した回数", "行動", "", "回", None, "サイクル完了数", "", ""],
        ["K2", "迷いのサイン", "中間", "下がる", "件", 5, "証拠:迷い", "", ""],
        ["K3", "購入率", "結果", "上がる", "%", 30, "", "レジで数える", "はい"],
    ],
    "サイクル": [
        CYCLE_HEADER,
        [
            1,
            "2026-10-26",
            "2026-11-08",
            "目安を先に出す",
            "目安カードを置く",
            "目安で比較の質問が減った",
            "説明の順番を変える",
            "完了",
            "佐藤",
        ],
        [
            2,
            "2026-11-09",
            "2026-11-22",
            "味から話す",
            "説明の順番を変える",
            "",
            "",
            "実行中",
            "田中",
        ],
    ],
    "KPI記録": [VALUE_HEADER, [1, "K3", 22, ""], [2, "K3", "25%", "手入力"]],
    "証拠": [
        EVIDENCE_HEADER,
        ["2026-10-28", None, "会話", "迷い", "結局どれがいいんですか?", "棚の前", "", "佐藤"],
        [
            "2026-10-30",
            None,
            "会話",
            "納得",
            "それなら安心です",
            "説明の後",
            "順番を変える",
            "田中",
        ],
        ["2026-11-10", None, "行動", "安心", "すぐ決めた", "レジ前", "味から話す", "田中"],
        # A third row for cycle 1 (the review cycle on BASELINE_TODAY): fewer would be thin.
        ["2026-11-02", None, "会話", "納得", "これにします", "試飲の後", "試飲を増やす", "佐藤"],
    ],
}


def baseline() -> Tabs:
    """A deep copy of the valid baseline, ready to be spoiled by a test."""
    return copy.deepcopy(_BASELINE)


def with_enough_evidence(tabs: Tabs) -> Tabs:
    """The tabs with two more evidence rows for the baseline's running cycle 2, so that its
    evidence is not thin (3 rows against cycle 1's 3): nothing left for a reminder to ask."""
    tabs["証拠"] += [
        ["2026-11-12", None, "会話", "納得", "味から聞くとわかりやすい", "説明の後", "", "佐藤"],
        ["2026-11-14", None, "行動", "安心", "迷わず1袋", "レジ前", "", "田中"],
    ]
    return tabs


class _Uncomputed:
    def __repr__(self) -> str:
        return "UNCOMPUTED"


UNCOMPUTED = _Uncomputed()  # a formula cell whose file holds no computed result


def _raw_cell(value: Any, percent: bool) -> RawCell:
    if value is UNCOMPUTED:
        return RawCell(None, uncomputed_formula=True)
    return RawCell(value, percent=percent)


def snapshot(tabs: Tabs, percent: set[tuple[str, int, int]] | None = None) -> Snapshot:
    """A snapshot as a backend would read it; `percent` marks (tab, row, col) percent cells and
    `UNCOMPUTED` stands for a formula without a saved result."""
    percent = percent or set()
    raw = []
    for title, rows in tabs.items():
        cells = [
            [_raw_cell(value, (title, r, c) in percent) for c, value in enumerate(row)]
            for r, row in enumerate(rows)
        ]
        raw.append(RawTab(title, cells))
    return Snapshot(raw)


def write_xlsx(path: Path, tabs: Tabs, *, formulas: bool = False) -> Path:
    """A real .xlsx file with these tabs (strings stay strings, numbers numbers; text starting
    with = is text unless `formulas`)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        for line in sheet.iter_rows():
            for cell in line:
                if not formulas and isinstance(cell.value, str) and cell.value.startswith("="):
                    cell.data_type = "s"  # typed as text (Excel: a leading apostrophe)
    book.save(path)
    return path


def input_cells(path: Path, titles: list[str] | None = None) -> dict[str, list[tuple[Any, ...]]]:
    """Every cell of the input tabs (value, type, number format), for before/after comparisons."""
    book = load_workbook(path)
    result = {}
    for sheet in book.worksheets:
        if titles is not None and sheet.title not in titles:
            continue
        rows = [
            # An empty cell's storage type is openpyxl's business; a value's type is not.
            tuple(
                (c.coordinate, c.value, c.data_type if c.value is not None else "", c.number_format)
                for c in row
            )
            for row in sheet.iter_rows()
        ]
        # A cell holding "" reads back as empty after a re-save; trailing empty rows are not data.
        while rows and all(cell[1] is None for cell in rows[-1]):
            rows.pop()
        result[sheet.title] = rows
    return result


# The follow-up after cycle 1's meeting (11-08) is due on every day until cycle 2's agenda is due
# (11-21), the reminder's days included: a test about the other messages on those days turns it
# off (tests/test_follow_up.py holds the follow-up's own).
FOLLOW_UP_OFF_KEY = "follow_up_days_after = 0\n"
FOLLOW_UP_OFF = "[meeting]\n" + FOLLOW_UP_OFF_KEY


def write_config(folder: Path, sheet: str, extra: str = "", **top: str) -> Path:
    """`folder/client.toml` with the given [sheet] lines and the outbox transport."""
    text = f"""client = "{top.get("client", "テスト店")}"
language = "{top.get("language", "ja")}"

[sheet]
{sheet}

[mail]
transport = "outbox"
outbox = "outbox"
from = "kpi@example.jp"
to = ["team@example.jp"]
{extra}
"""
    path = folder / "client.toml"
    path.write_text(text, encoding="utf-8")
    return path


def config_file(folder: Path, workbook: str = "book.xlsx", extra: str = "", **top: str) -> Path:
    """A client config beside its .xlsx workbook."""
    return write_config(folder, f'backend = "xlsx"\npath = "{workbook}"', extra, **top)


def backups_of(folder: Path, workbook: str = "book.xlsx") -> Path:
    """Where a sync keeps the backups of `folder/workbook` when its config is in `folder`."""
    return backup_folder(folder / STATE_FOLDER, folder / workbook)
