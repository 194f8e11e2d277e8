"""Per-tab ownership and a Log that cannot be lost (issue 17), on .xlsx files and on Google.

A tab is written as the Log (or the Summary, or the Checks) only when its marker says so; an
earlier version's tab without a marker only when it holds our layout and nothing else (no chart,
picture, formula or cell beside the layout); a chart sheet never. Any tab laid out as the Log
counts as past sends, whatever its title; Log rows written for another client never do."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook
from openpyxl.chart import BarChart, Reference

from sheets_sync.backends.google import MARKER_KEY
from sheets_sync.cli import main
from sheets_sync.run.doctor import diagnose
from sheets_sync.run.sync import RunOptions
from sheets_sync.sheet.schema import LOG_COLUMNS
from sheets_sync.words.catalog import CHECKS
from sheets_sync.words.core import in_language, say
from tests.fake_google.client import emulator_client
from tests.support.books import (
    CHECKS_JA,
    DUE_DAY,
    LOG_JA,
    QUIET,
    Book,
    codes,
    sent_mails,
    staff_renames,
    with_tabs,
)
from tests.support.words import shows
from tests.support.workbooks import baseline

SOFFICE = shutil.which("soffice")
needs_libreoffice = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed")
SENT = ["アジェンダ", "送信済み"]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(params=["xlsx", "google"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Book:
    if request.param == "xlsx":
        return Book("xlsx", tmp_path)
    return Book("google", tmp_path, request.getfixturevalue("google_env"))


# -- staff actions, as Excel / LibreOffice / the Sheets UI would do them -------------------------
def _google_update(book: Book, *requests: dict[str, Any]) -> dict[str, Any]:
    client = emulator_client(book.server.host_port, book.folder / "key.json")  # type: ignore[union-attr]
    reply: dict[str, Any] = client.open_by_key(book.key).batch_update({"requests": list(requests)})
    return reply


def _sheet_id(book: Book, title: str) -> int:
    assert book.server is not None
    body = book.server.metadata(book.key)
    return next(
        int(s["properties"]["sheetId"]) for s in body["sheets"] if s["properties"]["title"] == title
    )


def _swap(book: Book, first: str, second: str) -> None:
    """Staff swap two tabs' titles (three renames, as anyone would)."""
    staff_renames(book, first, "一時")
    staff_renames(book, second, first)
    staff_renames(book, "一時", second)


def _delete(book: Book, title: str) -> None:
    if book.server is None:
        workbook = load_workbook(book.folder / "book.xlsx")
        workbook.remove(workbook[title])
        workbook.save(book.folder / "book.xlsx")
        return
    _google_update(book, {"deleteSheet": {"sheetId": _sheet_id(book, title)}})


def _drop_marker(book: Book, title: str) -> None:
    """What a LibreOffice save does to the .xlsx markers (codeNames), on either backend."""
    if book.server is None:
        workbook = load_workbook(book.folder / "book.xlsx")
        workbook[title].sheet_properties.codeName = None
        workbook.save(book.folder / "book.xlsx")
        return
    body = book.server.metadata(book.key)
    sheet = next(s for s in body["sheets"] if s["properties"]["title"] == title)
    ids = [m["metadataId"] for m in sheet["developerMetadata"] if m["metadataKey"] == MARKER_KEY]
    _google_update(
        book,
        *(
            {"deleteDeveloperMetadata": {"dataFilter": {"developerMetadataLookup": {
                "metadataId": metadata_id}}}}
            for metadata_id in ids
        ),
    )  # fmt: skip


def _chart(book: Book, title: str, *, own_sheet: bool = False) -> None:
    """A chart of the KPI values: on the tab `title` (over its cells), or as a chart sheet
    (Google: an OBJECT sheet) called `title`."""
    if book.server is None:
        workbook = load_workbook(book.folder / "book.xlsx")
        chart = BarChart()
        chart.add_data(Reference(workbook["KPI記録"], min_col=3, min_row=1, max_row=4))
        if own_sheet:
            workbook.create_chartsheet(title, 0).add_chart(chart)
        else:
            workbook[title].add_chart(chart, "B2")
        workbook.save(book.folder / "book.xlsx")
        return
    spec = {"basicChart": {"chartType": "COLUMN"}}
    if own_sheet:
        reply = _google_update(book, {"addChart": {"chart": {"spec": spec, "position": {
            "newSheet": True}}}})  # fmt: skip
        sheet_id = reply["replies"][0]["addChart"]["chart"]["position"]["sheetId"]
        _google_update(book, {"updateSheetProperties": {"properties": {
            "sheetId": sheet_id, "title": title}, "fields": "title"}})  # fmt: skip
        return
    anchor = {"anchorCell": {"sheetId": _sheet_id(book, title), "rowIndex": 1, "columnIndex": 1}}
    _google_update(book, {"addChart": {"chart": {"spec": spec, "position": {
        "overlayPosition": anchor}}}})  # fmt: skip


def _charts(book: Book, title: str) -> int:
    """How many charts the tab `title` holds (a chart sheet counts its own)."""
    if book.server is None:
        workbook = load_workbook(book.folder / "book.xlsx")
        return len(workbook[title]._charts)
    body = book.server.metadata(book.key)
    sheet = next(s for s in body["sheets"] if s["properties"]["title"] == title)
    return len(sheet.get("charts", []))


def _formula(book: Book, title: str, cell: str) -> str:
    """The formula typed into a cell, as staff typed it."""
    if book.server is None:
        return str(load_workbook(book.folder / "book.xlsx")[title][cell].value)
    data = book.server.cell(book.key, f"'{title}'!{cell}")
    return str(data.get("userEnteredValue", {}).get("formulaValue", ""))


def _typed_as_formulas(book: Book, title: str) -> None:
    """.xlsx: the tab's "=…" cells become formulas, as typed in Excel (the seed on Google
    already reads them as typed)."""
    if book.server is not None:
        return
    workbook = load_workbook(book.folder / "book.xlsx")
    for line in workbook[title].iter_rows():
        for cell in line:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "f"
    workbook.save(book.folder / "book.xlsx")


def _not_ours(result: Any) -> list[tuple[str, str]]:
    return [(c.tab, c.value) for c in codes(result, "tab_not_ours")]


# -- a tab with a generated title and something the sync never writes ---------------------------
def test_a_summary_tab_holding_only_a_chart_is_never_written(book: Book) -> None:
    """Staff made a tab サマリー with nothing but a chart in it (its cells empty): not the
    sync's. tab_not_ours says it holds something the sync never writes, the chart stays, and
    the other generated tabs are still written. (It used to be taken for an empty tab and
    written over, the chart's parts deleted.)"""
    book.make(with_tabs({"サマリー": []}, before=True))
    _chart(book, "サマリー")
    result = book.sync()
    assert _not_ours(result) == [("summary", "サマリー")]
    message = codes(result, "tab_not_ours")[0].message
    assert message == CHECKS["tab_not_ours_more_than_ours"]["ja"].format(title="サマリー")
    assert _charts(book, "サマリー") == 1 and book.values("サマリー") == []
    assert book.values("チェック")[0][:4] == CHECKS_JA[:4] and book.values("ログ")[0] == LOG_JA
    assert book.sync().report.checks == result.report.checks  # and so on, run after run


def test_a_checks_tab_of_formulas_showing_nothing_is_never_written(book: Book) -> None:
    """A staff tab チェック whose cells are formulas that currently show "" looks empty, but
    the formulas are staff's work: tab_not_ours, formulas kept. (It used to be adopted as an
    empty tab and overwritten.)"""
    formula = '=IF(KPI!A2="","",KPI!A2)'
    book.make(with_tabs({"チェック": [[formula, '=""']]}))
    _typed_as_formulas(book, "チェック")
    result = book.sync()
    assert _not_ours(result) == [("checks", "チェック")]
    assert _formula(book, "チェック", "A1") == formula
    assert _formula(book, "チェック", "B1") == '=""'


def test_our_checks_layout_with_a_formula_below_is_not_adopted(book: Book) -> None:
    """An earlier version's Checks header with a staff formula under it: our layout, but not
    "nothing else", so it is not adopted."""
    book.make(with_tabs({"チェック": [CHECKS_JA, ["=1+1"]]}))
    _typed_as_formulas(book, "チェック")
    result = book.sync()
    assert _not_ours(result) == [("checks", "チェック")]
    assert _formula(book, "チェック", "A2") == "=1+1"


def test_a_chart_sheet_titled_like_the_summary_is_tab_not_ours(book: Book) -> None:
    """A chart sheet (Google: an object sheet) called サマリー is never the sync's: the run
    succeeds, tab_not_ours says it is a chart sheet and how to rename it, the chart sheet is
    left as it is, and Checks and Log are written. (The Summary used to be silently never
    written.)"""
    book.make(baseline())
    _chart(book, "サマリー", own_sheet=True)
    result = book.sync()
    assert result.exit_code == 0 and _not_ours(result) == [("summary", "サマリー")]
    message = codes(result, "tab_not_ours")[0].message
    assert message == CHECKS["tab_not_ours_not_a_grid"]["ja"].format(title="サマリー")
    assert _charts(book, "サマリー") == 1
    assert book.values("チェック")[0][:4] == CHECKS_JA[:4] and book.values("ログ")[0] == LOG_JA


def test_upgrade_beside_a_chart_sheet_titled_like_the_summary_adds_the_rest(book: Book) -> None:
    """`upgrade` on a workbook lacking 証拠 whose サマリー is a chart sheet: 証拠, Checks and Log
    are added, the chart sheet is left as it is (nothing named サマリー added beside it), and
    the answer says in words why the Summary was not added (the Checks' words for it). It used
    to stop with exit 3 (sheet_not_replaceable) on .xlsx and say nothing on Google."""
    config = book.make({k: v for k, v in baseline().items() if k != "証拠"})
    _chart(book, "サマリー", own_sheet=True)
    result = invoke("upgrade", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert shows(result.output, "run.upgrade_added", "ja") and "証拠" in result.output
    why = CHECKS["tab_not_ours_not_a_grid"]["ja"].format(title="サマリー")
    assert say("run.upgrade_left_out", "ja", tab="サマリー", why=why) in result.output
    titles = book.titles()
    assert titles.count("サマリー") == 1 and _charts(book, "サマリー") == 1
    assert {"証拠", "チェック", "ログ"} <= set(titles)
    again = invoke("upgrade", "--config", str(config))
    assert again.exit_code == 0 and not shows(again.output, "run.upgrade_added", "ja")
    assert shows(again.output, "run.upgrade_left_out", "ja") and book.titles() == titles


# -- titles swapped or moved: a marker says which tab it is ----------------------------------
def test_swapped_checks_and_log_titles_never_overwrite_the_log_nor_resend(book: Book) -> None:
    """Staff swap the titles チェック ⇄ ログ after the agenda went out. The next runs write
    neither tab (each carries the other's marker: tab_not_ours naming what it really is), the
    old Log's rows stay exactly, and the agenda is not sent again."""
    book.make(baseline())
    assert book.sync(RunOptions(as_of=DUE_DAY)).agenda_sent_to and sent_mails(book) == 1
    _swap(book, "チェック", "ログ")
    old_log, old_checks = book.values("チェック"), book.values("ログ")
    assert any(row[1:3] == SENT for row in old_log[1:])
    if book.server is not None:
        book.server.reset_requests()
    for _ in range(2):
        result = book.sync(RunOptions(as_of=DUE_DAY))
        assert result.agenda_sent_to is None and sent_mails(book) == 1
        assert shows(result.agenda_skipped, "run.skip_already_sent", "ja")
        assert book.values("チェック") == old_log and book.values("ログ") == old_checks
    assert sorted(_not_ours(result)) == [("checks", "チェック"), ("log", "ログ")]
    by_tab = {c.tab: c.message for c in codes(result, "tab_not_ours")}
    assert by_tab["checks"] == CHECKS["tab_not_ours_was_log"]["ja"].format(
        title="チェック", other="ログ"
    )
    assert "「チェック(古い)」" in by_tab["log"]
    if book.server is not None:
        api = [r["method"] for r in book.server.requests() if r["kind"] == "api"]
        assert api == ["GET", "POST"] * 2  # still one read and one write per run


def test_swapped_titles_hold_back_a_due_agenda_and_say_why(book: Book) -> None:
    """Titles swapped before anything was sent: the due agenda is not sent (its send could
    not be recorded), exit 4, and the message names the tab and what it really is."""
    book.make(baseline())
    book.sync()
    _swap(book, "チェック", "ログ")
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to is None and result.exit_code == 4 and sent_mails(book) == 0
    assert shows(in_language(result.agenda_error, "ja"), "run.log_is_other_tab", "ja")


def test_checks_deleted_and_log_renamed_to_checks_keeps_the_log_and_sends_once(
    book: Book,
) -> None:
    """Staff delete チェック and rename ログ to チェック. The renamed Log is never written as the
    Checks (tab_not_ours, its rows kept) and still counts as past sends; a new ログ is made;
    the agenda is not sent again, on this run or the next."""
    book.make(baseline())
    assert book.sync(RunOptions(as_of=DUE_DAY)).agenda_sent_to
    _delete(book, "チェック")
    staff_renames(book, "ログ", "チェック")
    old_log = book.values("チェック")
    for _ in range(2):
        result = book.sync(RunOptions(as_of=DUE_DAY))
        assert result.agenda_sent_to is None and sent_mails(book) == 1
        assert book.values("チェック") == old_log
    assert _not_ours(result) == [("checks", "チェック")]
    assert book.values("ログ")[0] == LOG_JA


# -- the Log cannot be lost ----------------------------------------------------------------------
def test_a_log_without_its_marker_renamed_to_anything_still_counts(book: Book) -> None:
    """The Log lost its marker (a LibreOffice save) and staff renamed it 送信記録: it is still
    read for past sends (its header is the Log's), so the agenda is not sent again, and it is
    left exactly as it was."""
    book.make(baseline())
    assert book.sync(RunOptions(as_of=DUE_DAY)).agenda_sent_to
    _drop_marker(book, "ログ")
    staff_renames(book, "ログ", "送信記録")
    kept = book.values("送信記録")
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to is None and sent_mails(book) == 1
    assert book.values("送信記録") == kept and book.values("ログ")[0] == LOG_JA


def _convert_with_libreoffice(workbook: Path, scratch: Path) -> None:
    """Open and save `workbook` in LibreOffice (as .xlsx), in place."""
    assert SOFFICE is not None
    out = scratch / "converted"
    subprocess.run(
        [SOFFICE, f"-env:UserInstallation={(scratch / 'profile').as_uri()}", "--headless",
         "--convert-to", "xlsx", "--outdir", str(out), str(workbook)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    shutil.copy(out / workbook.name, workbook)


@needs_libreoffice
def test_libreoffice_save_then_log_renamed_never_sends_twice(tmp_path: Path) -> None:
    """Case 5: the workbook is saved in LibreOffice (which drops every codeName marker), then
    ログ is renamed 送信記録. The next sync adopts Summary and Checks by their layout, reads the
    renamed Log's sends, and does not send the agenda again."""
    book = Book("xlsx", tmp_path)
    book.make(baseline())
    assert book.sync(RunOptions(as_of=DUE_DAY)).agenda_sent_to
    _convert_with_libreoffice(tmp_path / "book.xlsx", tmp_path / "lo")
    with zipfile.ZipFile(tmp_path / "book.xlsx") as archive:
        parts = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
        assert not any(b"codeName" in archive.read(name)[:2000] for name in parts)
    staff_renames(book, "ログ", "送信記録")
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to is None and sent_mails(book) == 1
    assert codes(result, "tab_not_ours") == []
    assert any(row[1:3] == SENT for row in book.values("送信記録")[1:])


@needs_libreoffice
def test_a_libreoffice_made_summary_holding_only_a_chart_is_never_written(
    tmp_path: Path,
) -> None:
    """A staff tab サマリー holding only a chart, saved by LibreOffice: tab_not_ours, and the
    chart's parts are byte for byte what LibreOffice wrote."""
    book = Book("xlsx", tmp_path)
    book.make(with_tabs({"サマリー": []}, before=True))
    _chart(book, "サマリー")
    _convert_with_libreoffice(tmp_path / "book.xlsx", tmp_path / "lo")

    def charts() -> dict[str, bytes]:
        with zipfile.ZipFile(tmp_path / "book.xlsx") as archive:
            names = [n for n in archive.namelist() if n.startswith(("xl/charts/", "xl/drawings/"))]
            return {name: archive.read(name) for name in names}

    before = charts()
    assert any(name.startswith("xl/charts/") for name in before)
    result = book.sync()
    assert _not_ours(result) == [("summary", "サマリー")]
    assert charts() == before


# -- a copied workbook's Log ---------------------------------------------------------------------
OTHER = "さくら珈琲"


def _copied_log(rows_for: str) -> list[list[Any]]:
    return [
        LOG_JA,
        *(
            [f"2026-1{n}-01T09:00:00+09:00", "agenda", "sent", cycle, "a.eml", rows_for]
            for n, cycle in ((0, 1), (1, 2))
        ),
    ]


def test_a_workbook_copied_from_another_client_still_sends_and_warns(book: Book) -> None:
    """Case 6: the workbook was copied from さくら珈琲, whose Log says cycles 1 and 2 were sent.
    For this client (テスト店) nothing was sent: the due agenda goes out, a
    log_from_other_client warning names さくら珈琲, さくら珈琲's rows are kept as they are, the
    new rows say テスト店, and the run after does not send again."""
    book.make(with_tabs({"ログ": _copied_log(OTHER)}))
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to and sent_mails(book) == 1
    found = codes(result, "log_from_other_client")
    assert [(c.severity, c.tab, c.value) for c in found] == [("warning", "log", OTHER)]
    assert "「さくら珈琲」の記録が2件" in found[0].message
    log = book.values("ログ")
    assert [row[-1] for row in log[1:3]] == [OTHER, OTHER]
    assert [row[3] for row in log[1:3]] == [1, 2]
    assert {row[-1] for row in log[3:]} == {"テスト店"}
    assert book.sync(RunOptions(as_of=DUE_DAY)).agenda_sent_to is None
    assert sent_mails(book) == 1


def test_log_rows_naming_this_client_or_no_client_count_as_sent(book: Book) -> None:
    """Rows naming this client (spaces, width and case aside), and an earlier version's rows
    naming none, are this client's sends: no agenda again, no warning; a row that named no
    client is written back naming this client."""
    old: list[list[Any]] = [LOG_JA[:5], ["2026-11-21T09:00:00+09:00", "agenda", "sent", 2, "a.eml"]]
    book.make(with_tabs({"ログ": old}))
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to is None and codes(result, "log_from_other_client") == []
    assert book.values("ログ")[1][-1] == "テスト店"
    book.make(with_tabs({"ログ": _copied_log("\u3000テスト店 ")}))  # an ideographic space
    assert book.sync(RunOptions(as_of=DUE_DAY)).agenda_sent_to is None


def test_log_from_other_client_in_english(book: Book) -> None:
    """An English client reads the warning in English, naming the other client."""
    log = [[en for _, _, en, _ in LOG_COLUMNS], *_copied_log("Sakura Coffee")[1:]]
    tabs = with_tabs({"Log": log})
    book.make(tabs, language="en")
    found = codes(book.sync(QUIET), "log_from_other_client")
    assert len(found) == 1 and '"Sakura Coffee"' in found[0].message


def test_doctor_says_why_a_tab_with_a_generated_title_is_not_written(book: Book) -> None:
    """`doctor` names a chart sheet called サマリー as a chart sheet (not as "not made by
    sheets-sync"), with how to rename it; nothing is written."""
    config = book.make(baseline())
    _chart(book, "サマリー", own_sheet=True)
    titles = book.titles()
    failed = [f for f in diagnose(config) if not f.ok and f.area == "tabs"]
    assert [f.message for f in failed] == [
        CHECKS["tab_not_ours_not_a_grid"]["en"].format(title="サマリー")
    ]
    assert "rename it" in failed[0].fix and book.titles() == titles


def test_a_chart_sheet_is_never_read_as_an_input_tab(book: Book) -> None:
    """A chart sheet called KPI記録(グラフ) resembles the KPI values tab but holds no cells: it
    is not a candidate (no ambiguous_tab), and the values are read from KPI記録."""
    book.make(baseline())
    _chart(book, "KPI記録(グラフ)", own_sheet=True)
    result = book.sync()
    assert codes(result, "ambiguous_tab") == [] and result.report.errors == []
    assert any(kpi["values"] for kpi in result.report.kpis)
