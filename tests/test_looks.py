"""How the generated tabs look in a spreadsheet: the Summary prints on one page wide (one page
tall when it stays readable), a row of single lines sits on one baseline with numbers and 「—」
centred, rows are as tall as their text and no taller, and the Checks' columns hold their
words; the portfolio says 店 for a shop throughout."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet

from sheets_sync import api
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.sheet import schema
from sheets_sync.sheet.sample import SAMPLE_CLIENT
from sheets_sync.sheet.tabs import GeneratedTab, OutCell
from sheets_sync.util.display import display_width
from sheets_sync.words.catalog import WORDS
from tests.support.clients import xlsx_client
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file, write_xlsx

TODAY = date(2026, 11, 19)
NOW = datetime(2026, 11, 19, 8, 0, tzinfo=timezone(timedelta(hours=9)))
ONE_LINE = 17  # points: the tallest single line (a 12-point subtitle is 16.4)


def _demo_summary(tmp_path: Path, lang: schema.Lang) -> Worksheet:
    made = new_client(
        NewClientOrder(SAMPLE_CLIENT[lang], lang, config_dir=tmp_path, sample=True, today=TODAY)
    )
    run(made.config, RunOptions(as_of=TODAY, no_agenda=True), now=NOW, announce=False)
    return load_workbook(made.workbook)[schema.SUMMARY.title(lang)]


def _numberlike(value: object) -> bool:
    return (isinstance(value, int | float) and not isinstance(value, bool)) or value == "—"


def _height(sheet: Worksheet, row: int) -> float | None:
    return sheet.row_dimensions[row].height  # type: ignore[no-any-return]


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_row_of_single_lines_sits_on_one_baseline_with_numbers_centred(
    tmp_path: Path, lang: schema.Lang
) -> None:
    """In the demo's Summary, every cell of a one-line row is aligned to the bottom (digits and
    Japanese come from two fonts in LibreOffice: aligned to the top, the digits sit higher), and
    every number and every 「—」 standing in for one is centred under its centred header."""
    sheet = _demo_summary(tmp_path, lang)
    one_line_rows = 0
    centred = 0
    for row in sheet.iter_rows():
        filled = [cell for cell in row if cell.value not in (None, "")]
        height = _height(sheet, row[0].row)
        if len(filled) > 1 and (height is None or height <= ONE_LINE):
            one_line_rows += 1
            assert {cell.alignment.vertical for cell in filled} == {"bottom"}, row[0].row
        for cell in filled:
            if _numberlike(cell.value):
                centred += 1
                assert cell.alignment.horizontal == "center", cell.coordinate
    assert one_line_rows >= 15 and centred >= 30


def test_the_demo_kpi_and_evidence_rows_are_one_line_tall(tmp_path: Path) -> None:
    """No KPI or evidence row of the (Japanese) demo is taller than one line: the KPI column
    holds 「迷いのサイン(「結局どれがいい?」)(件)」 on one line."""
    sheet = _demo_summary(tmp_path, "ja")
    now = [(row[0].row, row[3].value) for row in sheet.iter_rows()]  # column D: 今回
    # An evidence count stands beside its cycle's total: 「1/全4件」.
    table_rows = [r for r, value in now if _numberlike(value) or "/全" in str(value)]
    # Four active KPIs; the evidence's whole count, six signals and three totals.
    assert len(table_rows) == 4 + 1 + 9
    assert all((_height(sheet, r) or 15) <= ONE_LINE for r in table_rows)


def test_thin_evidence_rows_are_one_line_tall(tmp_path: Path) -> None:
    """With too few evidence records (cycle 2 under review, one row against cycle 1's three)
    each change says 「記録が少ない」: over two columns, on one line, so the rows stay single
    height (the whole count, six signals, plus and minus signs and the net)."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    api.sync(config_file(tmp_path), as_of=date(2026, 11, 21), no_agenda=True)
    sheet = load_workbook(tmp_path / "book.xlsx")[schema.SUMMARY.title("ja")]
    thin = WORDS["move.thin"]["ja"]
    rows = [row for row in sheet.iter_rows() if row[4].value == thin]  # the change, in E:F
    assert len(rows) == 10
    for row in rows:
        assert (_height(sheet, row[0].row) or 15) <= ONE_LINE
        cell = row[4]
        assert cell.alignment.horizontal == "center"
        assert f"{cell.coordinate}:" in " ".join(str(r) for r in sheet.merged_cells.ranges)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_demo_summary_prints_landscape_on_one_page(tmp_path: Path, lang: schema.Lang) -> None:
    """The demo's Summary (four cycles) prints landscape on one page, wide and tall."""
    setup = _demo_summary(tmp_path, lang).page_setup
    assert setup.orientation == "landscape"
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 1)


def test_a_long_summary_prints_one_page_wide_on_as_many_pages_as_it_needs(tmp_path: Path) -> None:
    """A Summary far taller than a page (a year of cycles) is not shrunk onto one page: it
    prints one page wide and as many pages tall as it needs."""
    tabs = baseline()
    workbook = write_xlsx(tmp_path / "book.xlsx", tabs)
    rows = [[OutCell(f"サイクル{n}"), OutCell("学び\n2行目")] for n in range(1, 120)]
    backend = XlsxBackend(workbook)
    backend.read()
    backend.write([GeneratedTab("summary", "サマリー", rows, widths=[12, 40])])
    setup = load_workbook(workbook)["サマリー"].page_setup
    assert setup.orientation == "landscape"
    assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)


def test_checks_columns_hold_their_words_on_one_line() -> None:
    """Each Checks column is as wide as the words it holds, in both languages: the severity,
    every tab title, 「(タブ全体)」 in the row column, and every input column's header."""
    widths = {key: width for key, *_, width in schema.CHECKS_COLUMNS}
    words: dict[str, list[str]] = {
        "severity": [*WORDS["summary.error"].values(), *WORDS["summary.warning"].values()],
        "tab": [tab.title(lang) for tab in schema.ALL_TABS for lang in ("ja", "en")],
        "row": list(WORDS["summary.whole_tab"].values()),
        "column": [
            column.header(lang)
            for tab in schema.INPUT_TABS
            for column in tab.columns
            for lang in ("ja", "en")
        ],
    }
    for key, texts in words.items():
        for text in texts:
            assert display_width(text) < widths[key], (key, text)
    for key, ja, en, width in schema.CHECKS_COLUMNS:
        assert max(display_width(ja), display_width(en)) < width, key


def test_the_portfolio_counts_shops_as_店_in_its_title_and_subtitle(tmp_path: Path) -> None:
    """The Japanese portfolio (page and text) counts businesses with 店 everywhere, never 社,
    and calls the meeting mail アジェンダ (the glossary's words)."""
    xlsx_client(tmp_path, "a", client="こもれび書店")
    xlsx_client(tmp_path, "b", client="花屋みどり")
    api.sync_all(tmp_path, jobs=1, as_of=BASELINE_TODAY)
    html = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    assert html.count("2店中0店が要フォロー") == 3  # <title>, <h1> and the subtitle
    for forbidden in ("社", "案内", "クライアント"):
        assert forbidden not in html
