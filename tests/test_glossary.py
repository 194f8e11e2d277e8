"""One word for one thing (GLOSSARY.md): the Japanese that staff and owners read — the agenda (text
and HTML), the input reminder, the Summary and Checks tabs, and the portfolio — carries none of
the variants the glossary forbids, no half-width colon after Japanese text, no Latin 「·」, no
ISO stamp or UTC offset, and none of the phrases it replaced."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_sync import api
from sheets_sync.config import Config, load_config
from sheets_sync.core.checks_tab import checks_tab
from sheets_sync.core.compute import Timing, compute
from sheets_sync.core.report import Report
from sheets_sync.core.summary import summary_tab
from sheets_sync.core.validate import validate
from sheets_sync.meeting import render_agenda
from sheets_sync.meeting.reminder import missing_inputs, render_reminder
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.sheet.sample import SAMPLE_CLIENT
from sheets_sync.sheet.tabs import GeneratedTab
from sheets_sync.words.catalog import CATALOGS
from tests.support.check_cases import CASES
from tests.support.clients import xlsx_client
from tests.support.golden_stories import CLIENT, STORIES
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file, snapshot, write_xlsx

TOKYO = ZoneInfo("Asia/Tokyo")

# GLOSSARY.md's terms: what staff must not read (→ the word to use instead).
FORBIDDEN: dict[str, str] = {
    "振り返": "ふり返り / ふり返る",
    "レビュー": "ふり返り",
    "会議": "ミーティング",
    "MTG": "ミーティング",
    "案内メール": "アジェンダ",
    "リマインダー": "入力のお願い",
    "リマインド": "入力のお願い",
    "議事録": "決まったこと / 記入のお願い",
    "フォローアップ": "決まったこと / 記入のお願い",
    "社中": "店 (2店中1店)",
    "企業": "店",
    "同期": "更新",
    "不正": "要確認",
    "エラー値": "要確認",
    "データ不足": "記録が少ない",
    "無効行": "読めない行",
    "エラー行": "読めない行",
    "悪くなった": "ねらいと逆の動き",
    "悪化": "ねらいと逆の動き",
    "未達": "あと…",
    "判定": "動き",
    "反省": "学び",
    "課題": "学び",
    "思った方向と逆": "ねらいと逆の動き",
    "件件": "件",
    # The phrases the glossary's "Phrases to prefer" table replaced.
    "行動KPIは下のとおり": "結果はシートの「一歩の実施」欄に記入してください。",
    "入力が済めば": "入力が終わりましたら、返信は不要です。",
    "未入力": "サイクル3の「成約率」(K4)がまだ入力されていません。",
    "値がまだないKPI": "サイクル3の「成約率」(K4)がまだ入力されていません。",
    "要確認の値：": "「成約率」(K4)の値「0.31」は要確認です",
    "何年のことか決められない": "年がないため日付を判断できません。",
    "複数の項目があるようです": "2つ以上の内容が入っているようです。1つにしぼりましょう。",
    "sheets-sync がシートから自動で作りました": "このメールはシートの内容から自動で作成しています",
    "3つの層を続けて読むと": "行動→中間→結果の順に見ると：",
}
# Patterns the glossary's register forbids, each with what it is.
PATTERNS: dict[str, re.Pattern[str]] = {
    "a half-width colon after Japanese text": re.compile(r"[\u3040-\u30ff\u4e00-\u9fff」)]:"),
    "a Latin · as a separator": re.compile("·"),
    "an ISO stamp": re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d"),
    "a UTC offset": re.compile(r"UTC[+-]|[+-]0000\b"),
    "pt for ポイント": re.compile(r"\dpt\b|％pt"),
    "行 counting evidence": re.compile(r"証拠[^。\n]{0,20}?\d+行(?!目)"),
    "はい/いいえ as the step's answer": re.compile(r"一歩の実施[\t：]*(はい|いいえ)"),
    "a KPI named by its id first (K4 購入率, not 「購入率」(K4))": re.compile(r"\bK\d+ [^\s\d(/]"),
}


@dataclass(frozen=True)
class Output:
    """One thing staff read, as text."""

    what: str
    text: str


def _tab_text(rows: list[list[object]]) -> str:
    return "\n".join("\t".join("" if v is None else str(v) for v in row) for row in rows)


def _visible(page: str) -> str:
    """An HTML page's text, tags and styles dropped, entities read."""
    body = re.sub(r"<(style|script)[^>]*>.*?</\1>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def _story_outputs(tmp_path: Path, name: str) -> list[Output]:
    build, day = STORIES[name]
    folder = tmp_path / name
    folder.mkdir()
    write_xlsx(folder / "book.xlsx", build("ja"))
    config = load_config(config_file(folder, client=CLIENT["ja"], language="ja"))
    now = datetime.combine(day(), time(8, 0), tzinfo=TOKYO)
    report = run(config, RunOptions(as_of=day(), dry_run=True), now=now, announce=False).report
    return _report_outputs(report, config, now, name)


def _report_outputs(report: Report, config: Config, now: datetime, name: str) -> list[Output]:
    agenda = render_agenda(report, config)
    outputs = [
        Output(f"{name}: agenda subject", agenda.subject),
        Output(f"{name}: agenda text", agenda.text),
        Output(f"{name}: agenda HTML", _visible(agenda.html)),
        Output(
            f"{name}: Summary", _cells(summary_tab(report, titles={}, sparkline="text", now=now))
        ),
        Output(f"{name}: Checks", _cells(checks_tab(report.open_checks, "ja", report.past_checks))),
    ]
    review = report.cycle(report.review_cycle)
    assert review is not None
    reminder = render_reminder(missing_inputs(report, review, "ja"), config)
    outputs += [
        Output(f"{name}: reminder", f"{reminder.subject}\n{reminder.text}"),
        Output(f"{name}: reminder HTML", _visible(reminder.html)),
    ]
    return outputs


def _cells(tab: GeneratedTab) -> str:
    return _tab_text([[cell.value for cell in row] for row in tab.rows])


def _portfolio(tmp_path: Path) -> list[Output]:
    folder = tmp_path / "portfolio"
    folder.mkdir()
    spoilt = baseline()
    spoilt["KPI記録"][1][2] = "たくさん"
    xlsx_client(folder, "hanaya", spoilt, client="花屋みどり")
    xlsx_client(folder, "komorebi", client="こもれび書店")
    api.sync_all(folder, jobs=1, as_of=BASELINE_TODAY)
    return [Output("portfolio page", _visible((folder / "portfolio.html").read_text("utf-8")))]


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> list[Output]:
    """Everything staff read in Japanese, from the demo, the three ordinary days, a spoilt
    workbook (many checks) and a portfolio of two shops."""
    tmp_path = tmp_path_factory.mktemp("glossary")
    found: list[Output] = []
    for name in STORIES:
        found += _story_outputs(tmp_path, name)
    demo = tmp_path / "demo"
    order = NewClientOrder(SAMPLE_CLIENT["ja"], "ja", demo, sample=True, today=date(2026, 11, 19))
    made = new_client(order)
    now = datetime(2026, 11, 19, 8, 0, tzinfo=TOKYO)
    report = run(made.config, RunOptions(as_of=now.date(), dry_run=True), now=now,
                 announce=False).report  # fmt: skip
    found += _report_outputs(report, made.config, now, "demo")
    found += _checks_of_every_kind()
    found += _portfolio(tmp_path)
    return found


def _checks_of_every_kind() -> list[Output]:
    """A workbook spoilt in each way the checks' table knows: the Checks and Summary tabs then
    hold every message staff may read there."""
    texts = []
    for _, edit, _, _, _, today in CASES:
        tabs = baseline()
        edit(tabs)
        book = validate(snapshot(tabs), "ja", today)
        now = datetime.combine(today, time(8, 0), tzinfo=TOKYO)
        report = compute(book, client="テスト店", timing=Timing(today, 1), now=now)
        texts.append(_cells(checks_tab(report.open_checks, "ja", report.past_checks)))
        texts.append(_cells(summary_tab(report, titles={}, sparkline="text", now=now)))
    return [Output("Checks and Summary of every check", "\n".join(texts))]


def test_the_outputs_are_all_there(outputs: list[Output]) -> None:
    """The scan reads what it says it reads (a broken fixture would scan nothing)."""
    kinds = {o.what.split(": ")[-1] for o in outputs}
    assert {"agenda text", "agenda HTML", "reminder", "Summary", "Checks"} <= kinds
    assert all(o.text.strip() for o in outputs)
    assert any("portfolio" in o.what for o in outputs)


@pytest.mark.parametrize(("variant", "preferred"), list(FORBIDDEN.items()))
def test_no_forbidden_variant(outputs: list[Output], variant: str, preferred: str) -> None:
    """The glossary's forbidden form appears nowhere staff read (its preferred form instead)."""
    found = [(o.what, _around(o.text, variant)) for o in outputs if variant in o.text]
    assert found == [], f"use {preferred!r}"


@pytest.mark.parametrize("what", list(PATTERNS))
def test_no_forbidden_typography(outputs: list[Output], what: str) -> None:
    """Full-width 「：」 after Japanese, 「・」 not 「·」, dates as people read them, ポイント."""
    pattern = PATTERNS[what]
    found = [
        (o.what, _around(o.text, match.group(0)))
        for o in outputs
        for match in pattern.finditer(o.text)
    ]
    assert found == []


# The consultant's and the errors' Japanese keep the same typography (their terms may stay
# technical: to a consultant, 同期 is the sync command). A colon after a command, an option, a
# path or a config key stays half-width; an ISO day is kept only as what to type on the command
# line (`--as-of 2026-11-23`).
CONSULTANT_TYPOGRAPHY: dict[str, re.Pattern[str]] = {
    **{
        what: PATTERNS[what]
        for what in ("a half-width colon after Japanese text", "a Latin · as a separator")
    },
    "a half-width colon after a field holding Japanese": re.compile(
        r"\{(client|names|what|title)\}(\([^)]*\))?:"
    ),
    "an ISO day": re.compile(r"\d{4}-\d\d-\d\d"),
}
TYPED_ON_THE_COMMAND_LINE = {"cli.not_a_date", "cli.date_out_of_range"}


@pytest.mark.parametrize("catalog", ["consultant", "errors"])
@pytest.mark.parametrize("what", list(CONSULTANT_TYPOGRAPHY))
def test_the_consultants_japanese_keeps_the_typography(catalog: str, what: str) -> None:
    """consultant.toml's and errors.toml's Japanese: 「：」 after Japanese text (a client's name
    or a tab's title included), 「、」 or 「・」 between parts, days as people read them."""
    pattern = CONSULTANT_TYPOGRAPHY[what]
    found = [
        (key, entry["ja"])
        for key, entry in CATALOGS[catalog].words.items()
        if pattern.search(entry["ja"])
        and not (what == "an ISO day" and key in TYPED_ON_THE_COMMAND_LINE)
    ]
    assert found == []


def _around(text: str, part: str) -> str:
    at = text.index(part)
    return text[max(0, at - 30) : at + len(part) + 30].replace("\n", " ")
