"""The .xlsx backend on real files: input cells survive a sync, staff text never becomes a
formula, open workbooks are refused, writes are atomic with a few backups."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_sync.backends.xlsx import BACKUPS_KEPT, XlsxBackend
from sheets_sync.backends.xlsx_xml import insert_sheet
from sheets_sync.config import load_config
from sheets_sync.errors import SheetAccessError, WorkbookOpenError
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.words.lang import Lang
from tests.support.words import JAPANESE_PUNCTUATION, shows
from tests.support.workbooks import (
    BASELINE_TODAY,
    backups_of,
    baseline,
    config_file,
    input_cells,
    write_xlsx,
)

INPUT_TITLES = ["KPI", "サイクル", "KPI記録", "証拠"]


@pytest.fixture
def client(tmp_path: Path) -> Path:
    """A client folder with a tricky but valid workbook and its config."""
    tabs = baseline()
    tabs["サイクル"][2][3] = '=IMPORTXML("http://evil.example/","//a")'
    tabs["証拠"][3][4] = "+81 90-1234-5678"
    tabs["証拠"][3][5] = "@SUM(A1)"
    write_xlsx(tmp_path / "book.xlsx", tabs)
    return config_file(tmp_path)


def sync(config_path: Path, today: date = BASELINE_TODAY) -> None:
    run(load_config(config_path), RunOptions(as_of=today, no_agenda=True))


def test_every_input_cell_is_unchanged_after_a_sync(client: Path) -> None:
    """Values, types and number formats of the four input tabs are identical after two syncs."""
    before = input_cells(client.parent / "book.xlsx", INPUT_TITLES)
    sync(client)
    sync(client)
    assert input_cells(client.parent / "book.xlsx", INPUT_TITLES) == before


def test_the_sample_workbook_keeps_its_input_cells(tmp_path: Path) -> None:
    """The template (validation, comments, dates) survives a sync cell for cell."""
    today = date(2026, 11, 25)
    order = NewClientOrder("さくら", "ja", tmp_path, slug="s", sample=True, today=today)
    made = new_client(order)
    workbook = Path(made.workbook)
    titles = [
        t for t in load_workbook(workbook).sheetnames if t not in ("サマリー", "チェック", "ログ")
    ]
    before = input_cells(workbook, titles)
    validations = {ws.title: len(ws.data_validations.dataValidation)
                   for ws in load_workbook(workbook).worksheets}  # fmt: skip
    sync(made.config_path, date(2026, 11, 25))
    assert input_cells(workbook, titles) == before
    after = {ws.title: len(ws.data_validations.dataValidation)
             for ws in load_workbook(workbook).worksheets}  # fmt: skip
    assert {t: after[t] for t in titles} == {t: validations[t] for t in titles}


def test_staff_text_is_written_as_text_never_as_a_formula(client: Path) -> None:
    """A hypothesis starting with = shows as typed in the Summary, and the generated sheets
    hold no formula at all."""
    sync(client)
    book = load_workbook(client.parent / "book.xlsx")
    texts = [c.value for row in book["サマリー"].iter_rows() for c in row if c.value]
    assert '=IMPORTXML("http://evil.example/","//a")' in texts
    with zipfile.ZipFile(client.parent / "book.xlsx") as archive:
        for title in ("サマリー", "チェック", "ログ"):
            index = book.sheetnames.index(title) + 1
            xml = archive.read(f"xl/worksheets/sheet{index}.xml").decode()
            assert "<f>" not in xml and "<f " not in xml, title


def test_generated_tabs_are_replaced_not_added(client: Path) -> None:
    """Two syncs leave exactly one Summary, Checks and Log; the Log grows by one row a run."""
    sync(client)
    sync(client)
    book = load_workbook(client.parent / "book.xlsx")
    assert sorted(book.sheetnames) == sorted([*INPUT_TITLES, "サマリー", "チェック", "ログ"])
    assert book.sheetnames[0] == "サマリー"
    log_rows = [row for row in book["ログ"].iter_rows(min_row=2, values_only=True) if row[0]]
    assert [row[1:3] for row in log_rows] == [("更新", "完了"), ("更新", "完了")]


@pytest.mark.parametrize("lock_name", ["~$book.xlsx", ".~lock.book.xlsx#"])
def test_a_workbook_open_in_excel_or_libreoffice_is_refused(client: Path, lock_name: str) -> None:
    """With the office lock file present the sync writes nothing (exit 3)."""
    workbook = client.parent / "book.xlsx"
    original = workbook.read_bytes()
    (client.parent / lock_name).write_text("someone")
    with pytest.raises(WorkbookOpenError) as raised:
        sync(client)
    assert raised.value.exit_code == 3 and raised.value.key == "workbook_open"
    assert shows(str(raised.value), "error.workbook_open", "ja")  # the client's language
    assert "Close it and run again" in raised.value.render("en")
    assert workbook.read_bytes() == original


def test_a_leftover_lock_file_message_names_it_and_says_it_may_be_deleted(client: Path) -> None:
    """A lock file left after a crash blocks every run, so the refusal names the exact lock
    file and says to delete it if nobody has the workbook open; it is never deleted for them."""
    lock = client.parent / "~$book.xlsx"
    lock.write_bytes(b"\x05someone")
    with pytest.raises(WorkbookOpenError) as raised:
        sync(client)
    message = str(raised.value)
    assert str(lock) in message
    assert "誰も開いていないのにロックファイルが残っている場合" in message
    assert "delete the lock file if nobody has it open" in raised.value.render("en")
    assert lock.exists()


def test_a_libreoffice_lock_file_message_says_who_and_where_it_is_open(client: Path) -> None:
    """LibreOffice's `.~lock.NAME#` holds `,user,host,date,...`: the refusal says that user
    and host (and since when), so staff can tell a live editor from a crash's leftover."""
    lock = client.parent / ".~lock.book.xlsx#"
    lock.write_text(",Hanako Sato,shop-pc,02.12.2026 09:15,file:///home/hanako/.config;\n")
    with pytest.raises(WorkbookOpenError) as raised:
        sync(client)
    message = str(raised.value)
    assert "02.12.2026 09:15 から shop-pc の Hanako Sato が開いています" in message
    assert str(lock) in message and "ロックファイルを消してください" in message
    english = raised.value.render("en")
    assert "It says Hanako Sato on shop-pc (since 02.12.2026 09:15) has it open." in english
    assert lock.exists()


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_workbook_open_elsewhere_is_told_in_the_clients_language(
    tmp_path: Path, language: Lang
) -> None:
    """The same refusal, read through the library by a Japanese client and an English one:
    each gets it whole in their own language, with the file and who has it open."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    config = config_file(tmp_path, language=language)
    lock = tmp_path / ".~lock.book.xlsx#"
    lock.write_text(",Hanako Sato,shop-pc,,\n", encoding="utf-8")
    with pytest.raises(WorkbookOpenError) as raised:
        sync(config)
    message = str(raised.value)
    assert shows(message, "error.workbook_open", language)
    assert str(lock) in message and "Hanako Sato" in message
    other: Lang = "en" if language == "ja" else "ja"
    assert not shows(message, "error.workbook_open", other)
    if language == "en":
        assert not any(mark in message for mark in JAPANESE_PUNCTUATION)


def _book_views(workbook: Path) -> str:
    with zipfile.ZipFile(workbook) as package:
        xml = package.read("xl/workbook.xml").decode("utf-8")
    match = re.search(r"<(?:\w+:)?workbookView\b[^>]*>", xml)
    assert match is not None, xml
    return match.group(0)


def test_re_adding_the_summary_at_index_0_keeps_the_tab_bar_starting_at_0(client: Path) -> None:
    """Staff deleted the Summary; the sync puts it back as the first tab. The tab bar must
    still start at the first tab (firstSheet stays 0, so the new tab is visible), while the
    tab staff had selected stays selected (activeTab moves with it)."""
    sync(client)
    workbook = client.parent / "book.xlsx"
    book = load_workbook(workbook)
    del book["サマリー"]
    book.active = 0
    book.views[0].firstSheet = 0
    selected = book.sheetnames[0]
    book.save(workbook)
    assert 'firstSheet="0"' in _book_views(workbook) or "firstSheet" not in _book_views(workbook)
    sync(client)
    after = load_workbook(workbook)
    assert after.sheetnames[0] == "サマリー"
    view = _book_views(workbook)
    assert not re.search(r'firstSheet="[1-9]', view), view
    assert after.active is not None and after.active.title == selected
    assert re.search(r'activeTab="1"', view), view


def test_firstsheet_after_the_insert_point_shifts_with_its_tab() -> None:
    """A tab bar scrolled to start at the third tab keeps starting at that same tab when a
    tab is put before it; one put at or after it leaves firstSheet alone."""
    xml = (
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
        '<bookViews><workbookView firstSheet="2" activeTab="2"/></bookViews><sheets>'
        '<sheet name="a" sheetId="1" r:id="rId1"/><sheet name="b" sheetId="2" r:id="rId2"/>'
        '<sheet name="c" sheetId="3" r:id="rId3"/></sheets></workbook>'
    )
    before = insert_sheet(xml.encode(), 0, "new", 4, "rId9").decode()
    assert 'firstSheet="3"' in before and 'activeTab="3"' in before
    at = insert_sheet(xml.encode(), 2, "new", 4, "rId9").decode()
    assert 'firstSheet="2"' in at and 'activeTab="3"' in at


def test_a_file_changed_during_the_run_is_not_overwritten(client: Path) -> None:
    """If staff saved the file between our read and our write, our write is abandoned."""
    workbook = client.parent / "book.xlsx"
    backend = XlsxBackend(workbook)
    backend.read()
    write_xlsx(workbook, {**baseline(), "メモ": [["staff saved this"]]})
    saved = workbook.read_bytes()
    with pytest.raises(SheetAccessError) as raised:
        backend.write([])
    assert raised.value.key == "workbook_changed"
    assert "changed while the sync was running" in raised.value.render("en")
    assert workbook.read_bytes() == saved


def test_only_a_few_backups_are_kept_and_no_temp_file_is_left(client: Path) -> None:
    """Each write keeps the previous file as a backup, at most BACKUPS_KEPT of them."""
    for _ in range(BACKUPS_KEPT + 2):
        sync(client)
    backups = list(backups_of(client.parent).glob("book.*.xlsx"))
    assert len(backups) == BACKUPS_KEPT
    assert not list(client.parent.glob("*.tmp"))
    assert all(load_workbook(b).sheetnames for b in backups)


def test_a_corrupt_workbook_is_a_clear_error(tmp_path: Path) -> None:
    """A damaged file is exit 3 with a message that names the newest copy a sync kept, to
    restore; a workbook no sync has backed up yet gets no restore advice at all (before: it
    pointed at a backup folder that did not exist)."""
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(b"PK\x03\x04 this is not a real zip")
    config = config_file(tmp_path)
    with pytest.raises(SheetAccessError) as never_backed_up:
        sync(config)
    assert shows(str(never_backed_up.value), "error.restore_none", "ja")
    assert str(backups_of(tmp_path)) not in str(never_backed_up.value)
    write_xlsx(workbook, baseline())
    sync(config)
    sync(config)
    newest = max(backups_of(tmp_path).iterdir(), key=lambda p: p.stat().st_mtime_ns)
    for damage in (b"PK\x03\x04 this is not a real zip", b""):
        workbook.write_bytes(damage)
        with pytest.raises(SheetAccessError) as damaged:
            sync(config)
        assert str(newest) in str(damaged.value)
        assert load_workbook(newest).sheetnames


def test_checks_link_to_the_cell(tmp_path: Path) -> None:
    """Each check row links to the bad cell in its tab."""
    tabs = baseline()
    tabs["KPI記録"][2][2] = "たくさん"
    write_xlsx(tmp_path / "book.xlsx", tabs)
    sync(config_file(tmp_path))
    sheet = load_workbook(tmp_path / "book.xlsx")["チェック"]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[7].value == "not_a_number")
    assert row[6].hyperlink.location == "'KPI記録'!C3"
    assert row[4].value == "たくさん" and row[1].value == "KPI記録" and row[2].value == 3
