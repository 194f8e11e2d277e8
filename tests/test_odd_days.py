"""Odd but plausible days in the demo café's workbook, synced with the real command line:
what staff typed a little differently (a name with さん in 担当 or 様 in a line, a cycle whose
dates clash with the one before) still reads true in the agenda and the Summary — nobody is
graded, no ISO day is shown, and the Summary never asks for a cycle that is already there."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.errors import EXIT_OK

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _demo(folder: Path, lang: str = "ja") -> tuple[Path, Path]:
    result = CliRunner().invoke(main, ["demo", "--dir", str(folder), "--lang", lang])
    assert result.exit_code == EXIT_OK, result.output
    return next(folder.glob("*.toml")), next(folder.glob("*.xlsx"))


def _cycles(workbook: Path, lang: str = "ja") -> dict[int, tuple[int, date, date]]:
    """Each cycle of the demo: its sheet row, start and end (the demo's dates follow today)."""
    sheet = load_workbook(workbook)["サイクル" if lang == "ja" else "Cycles"]
    found: dict[int, tuple[int, date, date]] = {}
    for row in sheet.iter_rows(min_row=2):
        number, start, end = (cell.value for cell in row[:3])
        assert isinstance(start, datetime) and isinstance(end, datetime)
        found[int(number)] = (row[0].row, start.date(), end.date())
    return found


def _edit(workbook: Path, tab: str, cells: dict[str, object]) -> None:
    book = load_workbook(workbook)
    for where, value in cells.items():
        book[tab][where] = value
    book.save(workbook)


def _sync(config: Path, day: date) -> None:
    args = ["sync", "--config", str(config), "--as-of", day.isoformat(), "--no-agenda"]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == EXIT_OK, result.output


def _agenda(config: Path, day: date, out: Path) -> str:
    args = ["agenda", "--config", str(config), "--as-of", day.isoformat(), "--out", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code in (EXIT_OK, 1), result.output
    return out.read_text(encoding="utf-8")


def _rows(workbook: Path, tab: str) -> list[list[str]]:
    sheet = load_workbook(workbook)[tab]
    return [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]


def test_a_name_typed_with_san_or_sama_in_the_owner_column_is_still_that_person(
    tmp_path: Path,
) -> None:
    """Staff often type 担当 as 「小川さん」 or write 「田中様」 in a line. A learning that blames
    小川 or 田中様 is `learning_about_person` all the same, and the Summary shows no owner
    beside it — the honorific never hides whom a line is about."""
    config, workbook = _demo(tmp_path / "demo")
    cycles = _cycles(workbook)
    row_2, row_3 = cycles[2][0], cycles[3][0]
    _edit(
        workbook,
        "サイクル",
        {
            f"F{row_3}": "小川の説明が長すぎて、お客さまが迷った",
            f"I{row_3}": "小川さん",
            f"F{row_2}": "田中様の声かけが遅くて、お客さまを待たせた",
        },
    )
    _sync(config, cycles[4][2] - timedelta(days=1))
    flagged = {
        int(row[2]) for row in _rows(workbook, "チェック") if row[-1] == "learning_about_person"
    }
    assert {row_2, row_3} <= flagged
    log = [row for row in _rows(workbook, "サマリー") if row[0].startswith("3\n")]
    assert log and "小川さん" not in log[0]


def test_a_cycle_left_out_for_its_dates_is_named_with_a_day_people_read_and_not_called_missing(
    tmp_path: Path,
) -> None:
    """Cycle 4 typed to start inside cycle 3 (overlapping_cycles) is left out. The agenda's and
    the Summary's left-out line name its start as 「11月20日(金)」, never ISO; and the Summary's
    card says today's cycle is left out by that row — not 「今日を含むサイクルがありません」 with
    a request to add the next cycle, which would make staff type cycle 4 twice."""
    config, workbook = _demo(tmp_path / "demo")
    cycles = _cycles(workbook)
    row_4 = cycles[4][0]
    clash = cycles[3][2] - timedelta(days=5)
    _edit(workbook, "サイクル", {f"B{row_4}": datetime.combine(clash, datetime.min.time())})
    today = cycles[4][2] - timedelta(days=1)
    _sync(config, today)
    agenda = _agenda(config, today, tmp_path / "agenda.txt")
    summary = "\n".join("\t".join(row) for row in _rows(workbook, "サマリー"))
    said = f"{clash.month}月{clash.day}日("
    for text in (agenda, summary):
        left_out = next(line for line in text.splitlines() if "集計に入っていません" in line)
        assert f"{row_4}行目" in left_out, left_out
        assert not ISO_DAY.search(left_out) and said in left_out, left_out
    assert "今日を含むサイクルがありません" not in summary
    assert f"サイクル4は、「サイクル」タブ{row_4}行目" in summary


def test_the_learning_log_says_a_cycle_s_days_in_the_summary_s_language(tmp_path: Path) -> None:
    """The English Summary's learning log gives each cycle's days as the agenda does
    ("26 Nov – 9 Dec"), never the Japanese 「11/26〜12/9」."""
    config, workbook = _demo(tmp_path / "demo", "en")
    cycles = _cycles(workbook, "en")
    _sync(config, cycles[4][2] - timedelta(days=1))
    log = [row[0] for row in _rows(workbook, "Summary") if re.match(r"\d+\n", row[0])]
    assert len(log) == len(cycles)
    assert not any("〜" in cell for cell in log), log
    _, start, end = cycles[4]
    assert log[0].endswith(f"{start.day} {start:%b} – {end.day} {end:%b}"), log[0]
