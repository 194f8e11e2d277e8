"""Surgical .xlsx writes: a sync and an upgrade rewrite only the generated sheets' parts (and
append to the shared parts they must touch); every part staff made stays byte-identical."""

from __future__ import annotations

import os
import re
import shutil
import zipfile
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest
from openpyxl import Workbook, load_workbook

from sheets_sync import api
from sheets_sync.backends import xlsx_read
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.backends.xlsx_sheet import code_name
from sheets_sync.backends.zip_copy import raw_bytes
from sheets_sync.config import load_config
from sheets_sync.errors import SheetAccessError, WorkbookOpenError
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.sheet.schema import CHECKS_COLUMNS, LOG_COLUMNS
from sheets_sync.sheet.tabs import GeneratedTab, OutCell
from sheets_sync.util.display import display_width
from sheets_sync.words.catalog import ERROR_CODES, WARNING_CODES, WORDS
from tests.support.words import shows
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file, input_cells, write_xlsx
from tests.support.xlsx_parts import (
    add_picture_and_comment,
    code_names,
    parts,
    sheet_parts,
    unreferenced_parts,
)

FIXTURE = Path(__file__).parent / "fixtures" / "staff_libreoffice.xlsx"
GENERATED = ("サマリー", "チェック", "ログ")
# Shared parts a sync may edit (only to add a tab, append styles, drop calc-chain entries).
SHARED = {
    "xl/workbook.xml",
    "xl/_rels/workbook.xml.rels",
    "[Content_Types].xml",
    "xl/styles.xml",
    "xl/calcChain.xml",
}
VBA_TYPE = "application/vnd.ms-office.vbaProject"
MACRO_MAIN = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
SHEET_MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_BYTES = b"\xd0\xcf\x11\xe0VBA project stand-in: no library understands these bytes"


def make_macro_workbook(source: Path, target: Path) -> None:
    """`source` as an .xlsm: a VBA part, its relationship and the macro-enabled content type."""
    content = parts(source)
    content["xl/vbaProject.bin"] = VBA_BYTES
    types = content["[Content_Types].xml"].decode().replace(SHEET_MAIN, MACRO_MAIN)
    types = types.replace(
        "</Types>", f'<Override PartName="/xl/vbaProject.bin" ContentType="{VBA_TYPE}"/></Types>'
    )
    content["[Content_Types].xml"] = types.encode()
    rels = (
        content["xl/_rels/workbook.xml.rels"]
        .decode()
        .replace(
            "</Relationships>",
            '<Relationship Id="rIdVba" Type="http://schemas.microsoft.com/office/2006/relationships/'
            'vbaProject" Target="vbaProject.bin"/></Relationships>',
        )
    )
    content["xl/_rels/workbook.xml.rels"] = rels.encode()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)


def sync(config_path: Path, today: date = BASELINE_TODAY) -> None:
    run(load_config(config_path), RunOptions(as_of=today, no_agenda=True))


@pytest.mark.parametrize("suffix", [".xlsx", ".xlsm"])
def test_three_syncs_and_an_upgrade_leave_every_staff_part_byte_identical(
    tmp_path: Path, suffix: str
) -> None:
    """A workbook LibreOffice saved (a formula with its cached result, rich text with a comment
    and a drop-down, a chart, an image, `チェック(開店前)`, `サマリー (2)`, a hidden sheet; as
    .xlsm also a VBA part) goes through 3 syncs and an upgrade: every part except the generated
    sheets' and the shared parts a sync may append to is byte-identical once decompressed,
    the .xlsm is still a macro workbook, and the formula's value is still read on the third
    sync."""
    workbook = tmp_path / f"book{suffix}"
    if suffix == ".xlsm":
        make_macro_workbook(FIXTURE, workbook)
    else:
        shutil.copy(FIXTURE, workbook)
    config_path = config_file(tmp_path, workbook.name)
    before = parts(workbook)

    sync(config_path)
    sync(config_path)
    sync(config_path)
    third = XlsxBackend(workbook).read()
    assert api.upgrade(config_path) == []

    after = parts(workbook)
    generated = {sheet_parts(workbook)[title] for title in GENERATED}
    staff = set(before) - SHARED - generated
    assert staff <= set(after), "a staff part was dropped"
    assert {name: after[name] for name in staff} == {name: before[name] for name in staff}
    assert "xl/sharedStrings.xml" in staff and "xl/charts/chart1.xml" in staff
    assert "xl/media/image1.png" in staff
    values = next(tab for tab in third.tabs if tab.title == "KPI記録")
    assert values.rows[3][2].value == 6  # =12/2, as LibreOffice computed it
    assert not values.rows[3][2].uncomputed_formula
    if suffix == ".xlsm":
        assert after["xl/vbaProject.bin"] == VBA_BYTES
        assert MACRO_MAIN.encode() in after["[Content_Types].xml"]
    titles = load_workbook(workbook, read_only=True).sheetnames
    assert {"チェック(開店前)", "サマリー (2)", "計算用", *GENERATED} <= set(titles)


def test_a_sync_of_an_unchanged_workbook_appends_no_style_twice(tmp_path: Path) -> None:
    """Our styles are appended once; the next sync finds them, so styles.xml stops growing, and
    the styles that were there keep their numbers (the old list is a prefix of the new)."""
    workbook = tmp_path / "book.xlsx"
    shutil.copy(FIXTURE, workbook)
    config_path = config_file(tmp_path)
    original = parts(workbook)["xl/styles.xml"].decode()
    sync(config_path)
    first = parts(workbook)["xl/styles.xml"]
    sync(config_path)
    assert parts(workbook)["xl/styles.xml"] == first
    old_xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", original, re.S)
    new_xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", first.decode(), re.S)
    assert old_xfs is not None and new_xfs is not None
    assert new_xfs.group(1).startswith(old_xfs.group(1))


def test_generated_sheets_carry_the_marker_and_read_as_owned(tmp_path: Path) -> None:
    """Each generated sheet's part carries our codeName; `read` says owned for those and only
    those (a staff `サマリー (2)` copy is not owned)."""
    workbook = tmp_path / "book.xlsx"
    shutil.copy(FIXTURE, workbook)
    sync(config_file(tmp_path))
    content = parts(workbook)
    for title, key in zip(GENERATED, ("summary", "checks", "log"), strict=True):
        assert f'codeName="{code_name(key)}"'.encode() in content[sheet_parts(workbook)[title]]
    owned = {tab.title for tab in XlsxBackend(workbook).read().tabs if tab.owned}
    assert owned == set(GENERATED)


def test_write_replaces_only_the_sheet_whose_trimmed_title_is_exact(tmp_path: Path) -> None:
    """`write` replaces ` サマリー ` (spaces trimmed) in place and never a look-alike."""
    tabs = {" サマリー ": [["old"]], "サマリー (2)": [["staff copy"]], **baseline()}
    workbook = write_xlsx(tmp_path / "book.xlsx", tabs)
    backend = XlsxBackend(workbook)
    backend.read()
    backend.write([GeneratedTab("summary", "サマリー", [[OutCell("new")]])])
    book = load_workbook(workbook)
    assert book.sheetnames[:2] == [" サマリー ", "サマリー (2)"]
    assert book[" サマリー "]["A1"].value == "new"
    assert book["サマリー (2)"]["A1"].value == "staff copy"


def test_a_generated_sheet_keeps_its_look(tmp_path: Path) -> None:
    """Merges, widths, frozen header, protection, landscape fit-to-width, tab colour and cell
    links survive the package writer (as openpyxl reads them back)."""
    tabs = baseline()
    tabs["KPI記録"][2][2] = "たくさん"
    write_xlsx(tmp_path / "book.xlsx", tabs)
    sync(config_file(tmp_path))
    book = load_workbook(tmp_path / "book.xlsx")
    summary, checks = book["サマリー"], book["チェック"]
    assert summary.merged_cells.ranges and not summary.sheet_view.showGridLines
    assert checks.freeze_panes == "A2"
    assert checks.column_dimensions["F"].width > 20
    assert checks.protection.sheet and summary.protection.sheet
    assert summary.page_setup.orientation == "landscape" and summary.page_setup.fitToWidth == 1
    assert summary.sheet_properties.pageSetUpPr.fitToPage
    assert summary["A1"].font.b and summary.sheet_properties.tabColor.rgb == "FF1F3864"
    row = next(r for r in checks.iter_rows(min_row=2) if r[7].value == "not_a_number")
    assert row[6].hyperlink.location == "'KPI記録'!C3"
    assert row[0].fill.fgColor.rgb == "FFFBE3E4"


def test_a_calc_chain_loses_only_the_entries_of_replaced_sheets(tmp_path: Path) -> None:
    """calcChain.xml entries of the replaced sheet go; the others stay, each with its sheet
    written out (an entry may have inherited it from a dropped one)."""
    tabs = {"サマリー": [["old"]], **baseline()}
    workbook = write_xlsx(tmp_path / "book.xlsx", tabs)
    content = parts(workbook)
    content["xl/calcChain.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><calcChain xmlns="http://schemas.openxmlformats.'
        b'org/spreadsheetml/2006/main"><c r="A1" i="1"/><c r="B1"/><c r="C3" i="2"/>'
        b'<c r="C4"/></calcChain>'
    )
    with zipfile.ZipFile(workbook, "w") as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    backend = XlsxBackend(workbook)
    backend.read()

    backend.write([GeneratedTab("summary", "サマリー", [[OutCell("new")]])])
    chain = parts(workbook)["xl/calcChain.xml"].decode()
    assert 'r="A1"' not in chain and 'r="B1"' not in chain
    assert re.findall(r'<c r="(C\d)" i="(\d)"', chain) == [("C3", "2"), ("C4", "2")]


def test_a_formula_without_a_saved_result_is_marked_uncomputed(tmp_path: Path) -> None:
    """A formula written by a tool that never calculated it reads as value None with
    `uncomputed_formula`, so the core can name it instead of calling it blank."""
    tabs = baseline()
    tabs["KPI記録"][2][2] = "=12/2"
    workbook = write_xlsx(tmp_path / "book.xlsx", tabs, formulas=True)
    values = next(t for t in XlsxBackend(workbook).read().tabs if t.title == "KPI記録")
    assert values.rows[2][2].value is None and values.rows[2][2].uncomputed_formula
    assert not values.rows[1][2].uncomputed_formula


def test_percent_and_date_formats_are_read(tmp_path: Path) -> None:
    """A percent-formatted 0.25 reads as percent, a date cell as a date, text as text."""
    book = Workbook()
    sheet = book.active
    sheet.title = "KPI記録"
    sheet.append([0.25, date(2026, 11, 23), "語"])
    sheet["A1"].number_format = "0%"
    book.save(tmp_path / "book.xlsx")
    cells = XlsxBackend(tmp_path / "book.xlsx").read().tabs[0].rows[0]
    assert cells[0].value == 0.25 and cells[0].percent
    assert cells[1].date_format and cells[1].value.date() == date(2026, 11, 23)  # type: ignore[union-attr]
    assert cells[2].value == "語" and not cells[2].percent


def test_staff_saves_during_the_write_phase_are_kept(tmp_path: Path) -> None:
    """Someone saves the workbook after the new package is built, right before the rename:
    exit 3, their version stays, no temp file is left."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    config = load_config(config_file(tmp_path))
    backend = XlsxBackend(workbook)
    staff_version = write_xlsx(tmp_path / "staff.xlsx", {**baseline(), "メモ": [["saved"]]})

    def staff_saves() -> None:
        shutil.copy(staff_version, workbook)

    backend.before_replace = staff_saves
    with pytest.raises(SheetAccessError) as raised:
        run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    assert raised.value.exit_code == 3 and raised.value.key == "workbook_changed"
    assert shows(str(raised.value), "error.workbook_changed", "ja")
    assert workbook.read_bytes() == staff_version.read_bytes()
    assert not list(tmp_path.glob("*.tmp"))


def test_staff_saves_between_read_and_write_are_kept(tmp_path: Path) -> None:
    """Someone saves the workbook while the sync computes (after its read): exit 3, theirs
    stays. Same size and mtime are not enough to fool the check: the content is compared."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    config = load_config(config_file(tmp_path))
    original = workbook.stat()

    class StaffSavesAfterRead(XlsxBackend):
        def read(self):  # type: ignore[no-untyped-def]
            snapshot = super().read()
            data = bytearray(workbook.read_bytes())
            data[-30] ^= 1  # same size, one byte different
            workbook.write_bytes(bytes(data))
            os.utime(workbook, ns=(original.st_atime_ns, original.st_mtime_ns))
            return snapshot

    backend = StaffSavesAfterRead(workbook)
    saved_by_staff = None
    with pytest.raises(SheetAccessError) as raised:
        try:
            run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
        finally:
            saved_by_staff = workbook.read_bytes()
    assert raised.value.exit_code == 3
    assert workbook.read_bytes() == saved_by_staff
    assert workbook.stat().st_mtime_ns == original.st_mtime_ns


def test_upgrade_writes_nothing_when_nothing_is_missing(tmp_path: Path) -> None:
    """An up-to-date workbook: upgrade reports nothing and the file is not rewritten."""
    workbook = tmp_path / "book.xlsx"
    shutil.copy(FIXTURE, workbook)
    config_path = config_file(tmp_path)
    sync(config_path)
    before = workbook.stat().st_mtime_ns, workbook.read_bytes()
    assert api.upgrade(config_path) == []
    assert (workbook.stat().st_mtime_ns, workbook.read_bytes()) == before


def test_upgrade_writes_a_missing_header_in_the_row_the_sync_reads(tmp_path: Path) -> None:
    """With a title row above the header, a missing column's header goes into the header row
    (not row 1), after the last used column, with its drop-down; the next sync still reads
    every KPI, and the tab's other cells are unchanged."""
    tabs = baseline()
    tabs["KPI"] = [["さくら珈琲のKPI"], *[row[:8] for row in tabs["KPI"]]]  # no 使う column
    write_xlsx(tmp_path / "book.xlsx", tabs)
    config_path = config_file(tmp_path)
    added = api.upgrade(config_path)
    assert "KPI!使う" in added and "KPI" not in added
    sheet = load_workbook(tmp_path / "book.xlsx")["KPI"]
    assert sheet["I2"].value == "使う" and sheet["I1"].value is None
    assert sheet["A1"].value == "さくら珈琲のKPI" and sheet["A2"].value == "ID"
    assert any("I3" in str(v.sqref) for v in sheet.data_validations.dataValidation)
    result = run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    assert len(result.report.kpis) == 3
    assert api.upgrade(config_path) == []


def test_upgrade_adds_a_missing_input_tab_with_its_header(tmp_path: Path) -> None:
    """A workbook without the evidence tab gets it, headed and with drop-downs, placed after
    the tabs that precede it in the template."""
    tabs = baseline()
    del tabs["証拠"]
    write_xlsx(tmp_path / "book.xlsx", tabs)
    added = api.upgrade(config_file(tmp_path))
    assert "証拠" in added
    book = load_workbook(tmp_path / "book.xlsx")
    assert book.sheetnames.index("証拠") == book.sheetnames.index("KPI記録") + 1
    header = [c.value for c in book["証拠"][1]]
    assert header[:4] == ["日付", "サイクル", "種類", "サイン"]
    assert book["証拠"].freeze_panes == "A2" and book["証拠"]["A1"].font.b
    assert book["証拠"].data_validations.dataValidation


def test_a_chart_sheet_or_a_case_twin_with_the_generated_title_is_refused(tmp_path: Path) -> None:
    """A sheet named like a generated tab that cannot be replaced (here `summary` beside an
    English client's `Summary`) stops the write with exit 3 instead of making a workbook
    Excel would refuse (two sheets whose names differ only in case)."""
    workbook = write_xlsx(tmp_path / "book.xlsx", {"summary": [["staff"]], **baseline()})
    original = workbook.read_bytes()
    backend = XlsxBackend(workbook, "en")
    backend.read()
    with pytest.raises(SheetAccessError, match="rename it") as raised:
        backend.write([GeneratedTab("summary", "Summary", [[OutCell("new")]])])
    assert raised.value.exit_code == 3
    assert workbook.read_bytes() == original


def test_the_row_reader_handles_prefixes_missing_refs_and_batches(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sheets written by other tools: an `x:` namespace prefix, cells and rows without `r`,
    a gap of empty rows, and a sheet cut into several parse batches all read the same."""
    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rows = "".join(
        f'<x:row r="{n}"><x:c r="B{n}" t="inlineStr"><x:is><x:t>v{n - 4}</x:t></x:is></x:c></x:row>'
        for n in range(5, 44)
    )
    xml = (
        f'<x:worksheet xmlns:x="{main_ns}"><x:sheetData>'
        '<x:row><x:c><x:v>7</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c></x:row>'
        f"{rows}</x:sheetData></x:worksheet>"
    ).encode()
    monkeypatch.setattr(xlsx_read, "_BATCH", 64)

    book = SimpleNamespace(epoch=None, _date_formats=set(), _timedelta_formats=set())
    read = xlsx_read._SheetReader(book, [], set()).rows(xml)
    assert [c.value for c in read[0]] == [7, True]
    assert read[1:4] == [[], [], []]
    assert [c.value for c in read[4]] == [None, "v1"]
    assert [c.value for c in read[5]] == [None, "v2"] and len(read) == 43


def test_a_numbered_marker_reads_as_ours_but_a_copy_is_never_written(tmp_path: Path) -> None:
    """Excel names a copied sheet's codeName after the original (`SheetsSyncSummary1`): it
    reads as marked, but a sync writes only the exact title, so the copy stays as it was."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    sync(config_file(tmp_path))
    book = load_workbook(workbook)
    copy = book.copy_worksheet(book["サマリー"])
    copy.title = "サマリー (2)"
    copy.sheet_properties.codeName = code_name("summary") + "1"
    book.save(workbook)
    marked = {tab.title: tab.marker for tab in XlsxBackend(workbook).read().tabs if tab.owned}
    assert marked["サマリー"] == marked["サマリー (2)"] == "summary"
    part = sheet_parts(workbook)["サマリー (2)"]
    before = parts(workbook)[part]
    sync(config_file(tmp_path), date(2025, 11, 30))
    assert parts(workbook)[part] == before


def test_a_renamed_log_and_the_new_log_get_unique_code_names(tmp_path: Path) -> None:
    """Staff keep an old Log by renaming it (`ログ(11月まで)`, still marked `SheetsSyncLog`);
    the next sync adds a new ログ, which gets `SheetsSyncLog2`, and keeps it on the sync after:
    Excel repairs a workbook whose sheet codeNames are not unique."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    sync(config_file(tmp_path))
    book = load_workbook(workbook)
    book["ログ"].title = "ログ(11月まで)"
    book.save(workbook)
    for _ in range(2):
        sync(config_file(tmp_path))
        names = code_names(workbook)
        assert len(names) == len({name.casefold() for name in names}), names
    tabs = {tab.title: tab for tab in XlsxBackend(workbook).read().tabs}
    assert tabs["ログ"].marker == tabs["ログ(11月まで)"].marker == "log"
    assert (
        f'codeName="{code_name("log")}2"'.encode() in parts(workbook)[sheet_parts(workbook)["ログ"]]
    )


def test_a_generated_code_name_never_takes_a_staff_sheets(tmp_path: Path) -> None:
    """A staff sheet whose codeName equals ours but for case (VBA ignores case) is not marked
    and keeps it; the sync's Checks takes the next free name instead."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    book = load_workbook(workbook)
    book["KPI"].sheet_properties.codeName = code_name("checks").upper()
    book.save(workbook)
    sync(config_file(tmp_path))
    names = code_names(workbook)
    assert code_name("checks").upper() in names and code_name("checks") + "2" in names
    assert len(names) == len({name.casefold() for name in names}), names


def test_unchanged_parts_are_copied_as_stored_not_recompressed(tmp_path: Path) -> None:
    """A staff part's stored (compressed) bytes and CRC go into the new file unchanged, so a
    sync's cost follows its own tabs; the result is a valid zip with every CRC right."""
    workbook = tmp_path / "book.xlsx"
    shutil.copy(FIXTURE, workbook)
    before = workbook.read_bytes()
    sync(config_file(tmp_path))
    after = workbook.read_bytes()
    with zipfile.ZipFile(workbook) as new, zipfile.ZipFile(FIXTURE) as old:
        assert new.testzip() is None
        for name in ("xl/sharedStrings.xml", "xl/worksheets/sheet4.xml", "xl/media/image1.png"):
            old_info, new_info = old.getinfo(name), new.getinfo(name)
            assert raw_bytes(after, new_info) == raw_bytes(before, old_info)
            assert (new_info.CRC, new_info.compress_type) == (old_info.CRC, old_info.compress_type)


def test_rows_get_the_height_their_text_needs(tmp_path: Path) -> None:
    """Excel and LibreOffice do not size rows when they open a file: a 16-point title row and
    a wrapped long text get a taller row; one short line keeps the default height."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    backend = XlsxBackend(workbook)
    backend.read()
    long_text = "説明の後、比較の話が消えた。" * 4
    rows = [
        [OutCell("さくら珈琲 — KPIサマリー", "title")],
        [OutCell("一言"), OutCell(long_text)],
        [OutCell("短い"), OutCell("短い")],
    ]
    backend.write([GeneratedTab("summary", "サマリー", rows, widths=[10, 20])])
    sheet = load_workbook(workbook)["サマリー"]
    assert sheet.row_dimensions[1].height >= 20
    assert sheet.row_dimensions[2].height >= 45  # 56 columns of text in a 20-wide column
    assert sheet.row_dimensions[3].height is None


def test_a_workbook_opened_during_the_write_phase_is_not_replaced(tmp_path: Path) -> None:
    """Excel opens the workbook (its lock file appears) after the new package is built: the
    rename is abandoned with exit 3 and the file stays as it was."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    original = workbook.read_bytes()
    backend = XlsxBackend(workbook)

    def excel_opens_it() -> None:
        (tmp_path / "~$book.xlsx").write_text("staff")

    backend.before_replace = excel_opens_it
    config = load_config(config_file(tmp_path))
    with pytest.raises(WorkbookOpenError) as raised:
        run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    assert raised.value.exit_code == 3
    assert workbook.read_bytes() == original
    assert not list(tmp_path.glob("*.tmp"))


def test_upgrade_adds_step_done_to_a_version_1_workbook(tmp_path: Path) -> None:
    """A workbook from template version 1 gets the Cycles column 一歩の実施 (step_done) in
    its header row with its drop-down, and version 2; every other sheet part is untouched,
    the Cycles cells that were there are unchanged, and a second upgrade adds nothing."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    config_path = config_file(tmp_path)
    before_cells = input_cells(workbook, ["サイクル"])["サイクル"]
    before = parts(workbook)
    cycles_part = sheet_parts(workbook)["サイクル"]
    added = api.upgrade(config_path)
    assert "サイクル!一歩の実施" in added
    after = parts(workbook)
    # The version goes into docProps/custom.xml (created here, so linked from _rels/.rels).
    assert "docProps/custom.xml" not in before
    for name in set(before) - SHARED - {cycles_part, "_rels/.rels"}:
        assert after[name] == before[name], name
    sheet = load_workbook(workbook)["サイクル"]
    assert sheet["J1"].value == "一歩の実施" and sheet["J1"].font.b
    assert any("J2" in str(v.sqref) for v in sheet.data_validations.dataValidation)
    kept = input_cells(workbook, ["サイクル"])["サイクル"]
    assert [row[:9] for row in kept] == [row[:9] for row in before_cells]
    assert XlsxBackend(workbook).read().template_version == 2
    assert api.upgrade(config_path) == []


def test_log_and_checks_columns_fit_their_one_line_values() -> None:
    """The Log's 日時 holds an ISO timestamp, its 内容/結果 every Log word (both languages),
    and the Checks' コード every check code, each on one line: no row wraps for them."""
    log = {key: width for key, *_, width in LOG_COLUMNS}
    assert display_width("2026-12-02T15:04:14+09:00") < log["when"]
    whats = ("sync", "check", "demo", "agenda", "reminder")
    for key in whats:
        assert all(display_width(text) <= log["what"] for text in WORDS[f"log.{key}"].values())
    for key in ("ok", "sent", "failed", "error"):
        assert all(display_width(text) <= log["result"] for text in WORDS[f"log.{key}"].values())
    codes = {key: width for key, *_, width in CHECKS_COLUMNS}["code"]
    assert all(len(code) < codes for code in (*ERROR_CODES, *WARNING_CODES))


def test_a_synced_log_has_no_row_taller_than_one_line(tmp_path: Path) -> None:
    """Two syncs write Log rows with an ISO timestamp: none gets a two-line height."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    for _ in range(2):
        sync(config_file(tmp_path))
    log = parts(workbook)[sheet_parts(workbook)["ログ"]].decode()
    rows = re.findall(r'<row r="(\d+)"([^>]*)>', log)
    assert len(rows) >= 3 and all("ht=" not in attrs for number, attrs in rows if number != "1")


def test_a_replaced_tab_leaves_no_orphaned_drawing_or_comment(tmp_path: Path) -> None:
    """Staff put a picture and a comment on the Summary and on their own KPI tab; the next
    sync replaces the Summary and drops its drawing, image, comment and VML parts with their
    content types, while the KPI tab's own parts stay."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    sync(config_file(tmp_path))
    add_picture_and_comment(workbook, "サマリー")
    add_picture_and_comment(workbook, "KPI")
    assert not unreferenced_parts(workbook)
    before = {name for name in parts(workbook) if name.startswith(("xl/drawings/", "xl/media/"))}
    sync(config_file(tmp_path))
    assert unreferenced_parts(workbook) == set()
    after = parts(workbook)
    kept = {name for name in after if name.startswith(("xl/drawings/", "xl/media/"))}
    assert kept and kept < before  # the KPI tab's picture and comment box are still there
    kpi = load_workbook(workbook)["KPI"]
    assert kpi["A1"].comment is not None and len(kpi._images) == 1
    summary = load_workbook(workbook)["サマリー"]
    assert summary["A1"].comment is None and not summary._images


def test_upgrade_gives_a_re_added_log_a_code_name_of_its_own(tmp_path: Path) -> None:
    """`upgrade` adds a ログ placeholder when staff renamed the Log: the renamed one keeps
    `SheetsSyncLog`, the new one is `SheetsSyncLog2`."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    sync(config_file(tmp_path))
    book = load_workbook(workbook)
    book["ログ"].title = "ログ(11月まで)"
    book.save(workbook)
    assert "ログ" in api.upgrade(config_file(tmp_path))
    names = code_names(workbook)
    assert code_name("log") in names and code_name("log") + "2" in names
    assert len(names) == len({name.casefold() for name in names}), names
