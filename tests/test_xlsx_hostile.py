"""Workbooks as other writers and staff leave them (issue 17's cases): each is synced into a
file every reader opens, or refused in words with the workbook left exactly as it was."""

from __future__ import annotations

import os
import re
import zipfile
from collections import Counter
from pathlib import Path
from xml.etree import ElementTree

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync import api
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.backends.xlsx_verify import verify
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.errors import EXIT_SHEET, LockedError, SheetAccessError
from sheets_sync.run import locking
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.util.files import STATE_FOLDER
from tests.support.packages import (
    MAIN_NS,
    declare_rel_prefix_on_each_sheet,
    edit,
    local_names,
    open_sheet_elements,
    parts,
    rename_part,
    sheet_names,
    write_parts,
    write_with_xlsxwriter,
)
from tests.support.words import shows
from tests.support.workbooks import BASELINE_TODAY, backups_of, baseline, config_file, write_xlsx

GENERATED = ("サマリー", "チェック", "ログ")


def sync(config: Path) -> None:
    run(load_config(config), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))


def cli_sync(config: Path) -> tuple[int, str]:
    done = CliRunner().invoke(main, ["sync", "--config", str(config), "--no-agenda"])
    return done.exit_code, done.output


def opens_everywhere(path: Path) -> None:
    """openpyxl (normal and read-only), pandas and the strict check all read the file."""
    assert verify(path) == []
    load_workbook(path).close()
    streamed = load_workbook(path, read_only=True)
    for sheet in streamed.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    streamed.close()
    assert set(GENERATED) <= set(pd.read_excel(path, sheet_name=None))


def test_case_1_a_prefix_declared_on_each_sheet_gets_a_tab_added_that_declares_its_own(
    tmp_path: Path,
) -> None:
    """pandas and openpyxl with lxml declare `xmlns:r` on each `<sheet>`, not on the root:
    the three generated tabs added to such a workbook declare the prefix they use, so the
    result opens in openpyxl, pandas and the next sync (before: an unbound prefix, exit 0)."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    declare_rel_prefix_on_each_sheet(workbook)
    config = config_file(tmp_path)
    sync(config)
    opens_everywhere(workbook)
    sync(config)
    opens_everywhere(workbook)


def test_case_1_upgrade_adding_an_input_tab_to_such_a_workbook(tmp_path: Path) -> None:
    """`upgrade` adding 証拠 to a workbook with per-sheet prefixes writes a sound file."""
    tabs = baseline()
    del tabs["証拠"]
    workbook = write_xlsx(tmp_path / "book.xlsx", tabs)
    declare_rel_prefix_on_each_sheet(workbook)
    added = api.upgrade(config_file(tmp_path))
    assert "証拠" in added
    assert verify(workbook) == []
    assert "証拠" in load_workbook(workbook).sheetnames


@pytest.mark.parametrize("spelled", ["relative", "absolute"])
def test_case_4_a_workbook_reached_through_a_symlink_is_written_through(
    tmp_path: Path, spelled: str
) -> None:
    """`sheet.path` is a symbolic link into a shared folder: the sync replaces the file the
    link names (staff see the new tabs), the link stays a link to it, and no temp file is
    left in either folder."""
    shared = tmp_path / "shared"
    shared.mkdir()
    target = write_xlsx(shared / "kpi.xlsx", baseline())
    client = tmp_path / "client"
    client.mkdir()
    (client / "book.xlsx").symlink_to(target)
    path = "book.xlsx" if spelled == "relative" else str(client / "book.xlsx")
    sync(config_file(client, workbook=path))
    link = client / "book.xlsx"
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert set(GENERATED) <= set(load_workbook(target).sheetnames)
    assert sorted(p.name for p in shared.iterdir()) == ["kpi.xlsx"]
    assert not list(client.glob("*.tmp"))


def test_case_7_sheet_elements_written_open_keep_each_print_area_on_its_sheet(
    tmp_path: Path,
) -> None:
    """`<sheet …></sheet>` (not self-closing): tabs added before a staff sheet with a print
    area leave the print area on that staff sheet (before: it moved onto the Summary)."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    book = load_workbook(workbook)
    book["証拠"].print_area = "A1:H20"
    book["KPI"].print_area = "A1:I5"
    book.save(workbook)
    open_sheet_elements(workbook)
    before = local_names(workbook)
    sync(config_file(tmp_path))
    assert local_names(workbook) == before
    assert sheet_names(workbook)[0] == "サマリー"
    opens_everywhere(workbook)


def test_case_8_a_part_name_in_capitals_gets_no_twin(tmp_path: Path) -> None:
    """`xl/worksheets/Sheet1.xml`: the new tabs' parts never repeat an existing part's name in
    another case (part names ignore case), and the staff sheet stays as it was."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    rename_part(workbook, "xl/worksheets/sheet1.xml", "xl/worksheets/Sheet1.xml")
    staff = parts(workbook)["xl/worksheets/Sheet1.xml"]
    sync(config_file(tmp_path))
    names = Counter(name.casefold() for name in parts(workbook))
    assert max(names.values()) == 1, names
    assert parts(workbook)["xl/worksheets/Sheet1.xml"] == staff
    opens_everywhere(workbook)


def test_parts_written_with_a_prefix_get_their_new_entries_in_the_same_namespace(
    tmp_path: Path,
) -> None:
    """`<ns0:Relationships>` and `<ns0:Types>` (no default namespace, as ElementTree writes
    them): the relationships and content types added for new tabs carry the same prefix, so
    the sync writes (before: unprefixed entries in no namespace, refused by the strict check)."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    content = parts(workbook)
    for name in ("xl/_rels/workbook.xml.rels", "[Content_Types].xml", "_rels/.rels"):
        content[name] = ElementTree.tostring(ElementTree.fromstring(content[name]))
        assert content[name].startswith(b"<ns0:")
    write_parts(workbook, content)
    sync(config_file(tmp_path))
    opens_everywhere(workbook)
    assert b"<ns0:Override" in parts(workbook)["[Content_Types].xml"]


def test_case_9_excel_string_escapes_read_as_excel_shows_them(tmp_path: Path) -> None:
    """`_x000D_` is a carriage return and `_x005F_x000D_` the text `_x000D_` (as XlsxWriter
    and Excel write them), in a shared string and in an inline string alike: the text reads
    back exactly as typed, and nothing raw reaches the agenda."""
    tabs = baseline()
    tabs["証拠"][1][4] = "一行目\r二行目"
    tabs["証拠"][2][4] = "_x000D_ のまま"
    tabs["証拠"][3][4] = "INLINE"
    workbook = write_with_xlsxwriter(tmp_path / "book.xlsx", tabs)
    strings = parts(workbook)["xl/sharedStrings.xml"].decode()
    assert "一行目_x000D_二行目" in strings and "_x005F_x000D_ のまま" in strings
    items = re.findall(r"<si>.*?</si>", strings)
    index = next(i for i, item in enumerate(items) if "INLINE" in item)
    inline = r'<c \1 t="inlineStr"><is><t>A_x0042_C_x000A_D</t></is></c>'
    edit(
        workbook, "xl/worksheets/sheet4.xml", rf'<c (r="E4"[^>]*?) t="s"><v>{index}</v></c>', inline
    )
    tab = next(t for t in XlsxBackend(workbook).read().tabs if t.title == "証拠")
    said = [tab.rows[r][4].value for r in (1, 2, 3)]
    assert said == ["一行目\r二行目", "_x000D_ のまま", "ABC\nD"]


def test_case_10_a_strict_open_xml_workbook_is_refused_in_words(tmp_path: Path) -> None:
    """A workbook saved as Strict Open XML: exit 3 saying it is Strict and how to save it as
    a normal .xlsx (not "damaged, restore a backup"); the file is untouched."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    content = parts(workbook)
    strict = {
        b"http://schemas.openxmlformats.org/officeDocument/2006/relationships": (
            b"http://purl.oclc.org/ooxml/officeDocument/relationships"
        ),
        b"http://schemas.openxmlformats.org/spreadsheetml/2006/main": (
            b"http://purl.oclc.org/ooxml/spreadsheetml/main"
        ),
    }
    for name, data in content.items():
        for old, new in strict.items():
            data = data.replace(old, new)
        content[name] = data
    write_parts(workbook, content)
    original = workbook.read_bytes()
    code, output = cli_sync(config_file(tmp_path))
    assert code == EXIT_SHEET, output
    assert shows(output, "error.workbook_strict_ooxml", "ja")
    assert "Excel ブック (*.xlsx)" in output and "Strict Open XML" in output
    assert not shows(output, "error.workbook_damaged", "ja") and "Traceback" not in output
    assert workbook.read_bytes() == original


def _lock_structure(workbook: Path) -> None:
    """The structure protected as Excel's Review → Protect Workbook leaves it."""
    if "<workbookProtection" in parts(workbook)["xl/workbook.xml"].decode():
        edit(
            workbook, "xl/workbook.xml", r"<workbookProtection\b[^>]*/>", ""
        )  # openpyxl's empty one
    lock = '<workbookProtection lockStructure="1"/>'
    edit(workbook, "xl/workbook.xml", r"<bookViews", lock + r"\g<0>")


def test_case_11_a_structure_protected_workbook_gets_no_tab_added(tmp_path: Path) -> None:
    """`lockStructure`: a sync that would add the generated tabs stops with exit 3 saying to
    unprotect or add the tabs by hand, naming them; the file is untouched. Once the tabs are
    there (ours), the protected workbook is synced as usual."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    config = config_file(tmp_path)
    _lock_structure(workbook)
    original = workbook.read_bytes()
    code, output = cli_sync(config)
    assert code == EXIT_SHEET, output
    assert shows(output, "error.workbook_structure_locked", "ja")
    assert all(title in output for title in GENERATED)
    assert workbook.read_bytes() == original
    unlocked = tmp_path / "unlocked"
    unlocked.mkdir()
    write_xlsx(unlocked / "book.xlsx", baseline())
    sync(config_file(unlocked))
    workbook.write_bytes((unlocked / "book.xlsx").read_bytes())
    _lock_structure(workbook)
    code, output = cli_sync(config)
    assert code == 0, output
    assert 'lockStructure="1"' in parts(workbook)["xl/workbook.xml"].decode()
    assert sheet_names(workbook)[:1] == ["サマリー"]


def test_case_11_upgrade_adds_no_tab_past_the_lock(tmp_path: Path) -> None:
    """`upgrade` on a protected workbook missing 証拠 refuses (exit 3), naming 証拠."""
    tabs = baseline()
    del tabs["証拠"]
    workbook = write_xlsx(tmp_path / "book.xlsx", tabs)
    _lock_structure(workbook)
    original = workbook.read_bytes()
    with pytest.raises(SheetAccessError) as raised:
        api.upgrade(config_file(tmp_path))
    assert raised.value.key == "workbook_structure_locked" and "証拠" in str(raised.value)
    assert workbook.read_bytes() == original


def test_the_staff_folder_holds_only_the_workbook(tmp_path: Path) -> None:
    """The workbook sits in a shared folder, the config elsewhere: after syncs the shared
    folder holds the workbook alone (no lock file, no backup folder); the backups are in the
    state folder beside the config, one per replace, each a workbook."""
    shared = tmp_path / "Dropbox" / "shop"
    shared.mkdir(parents=True)
    write_xlsx(shared / "kpi.xlsx", baseline())
    client = tmp_path / "clients"
    client.mkdir()
    config = config_file(client, workbook=str(shared / "kpi.xlsx"))
    sync(config)
    sync(config)
    assert sorted(p.name for p in shared.iterdir()) == ["kpi.xlsx"]
    backups = sorted((client / STATE_FOLDER / "backups").glob("kpi.xlsx-*/kpi.*.xlsx"))
    assert len(backups) == 2
    assert all(load_workbook(b).sheetnames for b in backups)
    assert backups[0].parent == backups_of(client, str(shared / "kpi.xlsx"))


def test_two_configs_in_different_folders_still_share_the_workbook_lock(tmp_path: Path) -> None:
    """The workbook lock no longer lives beside the workbook, yet two configs in different
    folders naming one workbook still exclude each other."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = load_config(config_file(tmp_path / "a", workbook=str(tmp_path / "book.xlsx")))
    roundabout = str(tmp_path / "a" / ".." / "book.xlsx")
    second = load_config(config_file(tmp_path / "b", workbook=roundabout))
    assert locking.workbook_lock_paths(first)[0] == locking.workbook_lock_paths(second)[0]
    with (
        locking.workbook_lock(first),
        pytest.raises(LockedError),
        locking.workbook_lock(second, wait=0.0),
    ):
        pass
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["book.xlsx"]


def test_old_backups_beside_a_workbook_are_left_where_they_are(tmp_path: Path) -> None:
    """Backups an earlier version made beside the workbook stay untouched by a sync."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    old = tmp_path / ".sheets-sync-backups"
    old.mkdir()
    (old / "book.2026-11-01T0700+0900.xlsx").write_bytes(b"old backup")
    sync(config_file(tmp_path))
    assert sorted(p.name for p in old.iterdir()) == ["book.2026-11-01T0700+0900.xlsx"]
    assert os.path.getsize(old / "book.2026-11-01T0700+0900.xlsx") == len(b"old backup")
    assert zipfile.is_zipfile(tmp_path / "book.xlsx")


X14_NS = "http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"
# A data bar as Excel saves it: the rule carries an `<extLst>` of its own.
DATA_BAR = (
    '<conditionalFormatting sqref="F2:F4"><cfRule type="dataBar" priority="1"><dataBar>'
    '<cfvo type="min"/><cfvo type="max"/><color rgb="FF638EC6"/></dataBar>'
    f'<extLst><ext uri="{{B025F937-C7B1-47D3-B67F-A62EFF666E3E}}" xmlns:x14="{X14_NS}">'
    "<x14:id>{00000000-0000-0000-0000-000000000001}</x14:id></ext></extLst></cfRule>"
    "</conditionalFormatting>"
)
# A drop-down Excel stored in the sheet's `<extLst>` (its x14 form), the sheet's only one.
X14_LIST = (
    f'<extLst><ext uri="{{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}}" xmlns:x14="{X14_NS}">'
    '<x14:dataValidations xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main" '
    'count="1"><x14:dataValidation type="list" allowBlank="1"><x14:formula1>'
    "<xm:f>KPI!$C$2:$C$4</xm:f></x14:formula1><xm:sqref>C5:C9</xm:sqref></x14:dataValidation>"
    "</x14:dataValidations></ext></extLst>"
)


@pytest.mark.parametrize("shape", ["data_bar", "x14_list", "prefixed"])
def test_upgrade_puts_a_new_drop_down_among_the_staff_sheets_own_elements(
    tmp_path: Path, shape: str
) -> None:
    """A KPI tab missing 使う, holding a data bar whose rule carries Excel's `<extLst>`, or
    drop-downs Excel kept only in the sheet's `<extLst>` (x14), or written with a prefix
    (`<ns0:worksheet>`): `upgrade` adds the column's drop-down as one `<dataValidations>` of
    the sheet itself, in the spreadsheet namespace, after the conditional formatting and
    before the page margins (before: inside the data bar's rule, as an x14 entry of the
    wrong form, or in no namespace; files Excel "repairs", dropping the drop-downs), and
    leaves what staff made byte for byte."""
    tabs = baseline()
    tabs["KPI"] = [row[:8] for row in tabs["KPI"]]  # no 使う column
    workbook = write_xlsx(tmp_path / "book.xlsx", tabs)
    part = "xl/worksheets/sheet1.xml"
    if shape == "data_bar":
        edit(workbook, part, r"<pageMargins", DATA_BAR.replace("\\", "\\\\") + r"\g<0>")
    elif shape == "x14_list":
        edit(workbook, part, r"</worksheet>", X14_LIST.replace("\\", "\\\\") + r"\g<0>")
    else:
        content = parts(workbook)
        content[part] = ElementTree.tostring(ElementTree.fromstring(content[part]))
        write_parts(workbook, content)
    staff = {"data_bar": DATA_BAR, "x14_list": X14_LIST, "prefixed": ""}[shape]
    assert "KPI!使う" in api.upgrade(config_file(tmp_path))
    xml = parts(workbook)[part].decode("utf-8")
    assert staff in xml
    root = ElementTree.fromstring(xml)
    children = [child.tag for child in root]
    main = f"{{{MAIN_NS}}}"
    assert children.count(main + "dataValidations") == 1, children
    at = children.index(main + "dataValidations")
    assert children.index(main + "pageMargins") > at
    assert shape != "data_bar" or children.index(main + "conditionalFormatting") < at
    validations = root.find(main + "dataValidations")
    assert validations is not None and validations.get("count") == "1"
    assert [v.get("sqref", "").split(":")[0] for v in validations] == ["I2"]
    assert len(list(root.iter(main + "dataValidation"))) == 1
    assert verify(workbook) == []
    assert load_workbook(workbook)["KPI"]["I1"].value == "使う"


def test_upgrade_finds_the_header_row_of_a_sheet_written_without_cell_references(
    tmp_path: Path,
) -> None:
    """Rows and cells may leave out `r` (each is then the one after the previous), as some
    writers save them and as the sync reads them: `upgrade` puts the missing header into the
    header row all the same (before: exit 3, "header row not found")."""
    tabs = baseline()
    tabs["KPI"] = [row[:8] for row in tabs["KPI"]]  # no 使う column
    workbook = write_xlsx(tmp_path / "book.xlsx", tabs)
    edit(workbook, "xl/worksheets/sheet1.xml", r'(<(?:row|c)) r="[A-Z]*\d+"', r"\1")
    assert "KPI!使う" in api.upgrade(config_file(tmp_path))
    sheet = load_workbook(workbook)["KPI"]
    assert [cell.value for cell in sheet[1]][7:] == ["測り方", "使う"]
    assert sheet["B4"].value == "購入率"
    assert verify(workbook) == []
