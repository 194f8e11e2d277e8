"""The check before every save: a package with any defect a strict reader trips on is found,
and a sync whose writer made one refuses (exit 3) and leaves the workbook as it was."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import Workbook, load_workbook

from sheets_sync.backends import xlsx_xml
from sheets_sync.backends.xlsx_verify import Baseline, Problem, verify
from sheets_sync.cli import main
from sheets_sync.errors import EXIT_SHEET
from tests.support.packages import parts, write_parts
from tests.support.words import shows
from tests.support.workbooks import baseline, config_file, write_xlsx

Parts = dict[str, bytes]


@pytest.fixture(scope="module")
def sound(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two sheets with codeNames, a print area scoped to the second, a font and a format."""
    book = Workbook()
    first = book.active
    assert first is not None
    first.title = "data"
    first.sheet_properties.codeName = "DataSheet"
    first["A1"] = "x"
    second = book.create_sheet("notes")
    second.sheet_properties.codeName = "NotesSheet"
    second["A1"] = "y"
    second.print_area = "A1:B2"
    path = tmp_path_factory.mktemp("verify") / "sound.xlsx"
    book.save(path)
    return path


def _sub(name: str, old: str, new: str) -> Callable[[Parts], None]:
    def change(content: Parts) -> None:
        text, made = re.subn(old, new, content[name].decode("utf-8"), count=1)
        assert made, f"{old!r} not in {name}"
        content[name] = text.encode("utf-8")

    return change


def _add(name: str, data: bytes) -> Callable[[Parts], None]:
    def change(content: Parts) -> None:
        content[name] = data

    return change


def _drop(name: str) -> Callable[[Parts], None]:
    def change(content: Parts) -> None:
        del content[name]

    return change


BOOK = "xl/workbook.xml"
RELS = "xl/_rels/workbook.xml.rels"
TYPES = "[Content_Types].xml"
SHEET1 = "xl/worksheets/sheet1.xml"
SHEET2 = "xl/worksheets/sheet2.xml"

# defect → how to make it in a sound package, and the slug verify gives it
DEFECTS: dict[str, tuple[Callable[[Parts], None], str]] = {
    "an unbound prefix": (_sub(BOOK, r' xmlns:r="[^"]*"', ""), "xml"),
    "XML cut short": (_sub(SHEET2, r"</worksheet>", ""), "xml"),
    "a part no content type covers": (_add("xl/media/image1.png", b"\x89PNG"), "content_type"),
    "no content type for .rels": (
        _sub(TYPES, r'<Default Extension="rels"[^>]*/>', ""),
        "content_type",
    ),
    "a dangling relationship": (_drop(SHEET2), "relationship"),
    "a part twice, in two cases": (_add("xl/worksheets/Sheet1.xml", b"<x/>"), "duplicate_part"),
    "a duplicate sheet name (case)": (
        _sub(BOOK, 'name="notes"', 'name="DATA"'),
        "duplicate_sheet_name",
    ),
    "a duplicate sheetId": (_sub(BOOK, 'sheetId="2"', 'sheetId="1"'), "duplicate_sheet_id"),
    "a duplicate r:id": (_sub(BOOK, 'r:id="rId2"', 'r:id="rId1"'), "duplicate_rel_id"),
    "a duplicate codeName": (
        _sub(SHEET2, 'codeName="NotesSheet"', 'codeName="datasheet"'),
        "duplicate_code_name",
    ),
    "a wrong style count": (
        _sub("xl/styles.xml", r'<cellXfs count="\d+"', '<cellXfs count="9"'),
        "style_count",
    ),
    "a sheet's page margins before its rows": (
        _sub(SHEET1, r"(<sheetData>.*</sheetData>)(<pageMargins[^>]*/>)", r"\2\1"),
        "element_order",
    ),
}


@pytest.mark.parametrize("defect", DEFECTS)
def test_verify_finds_each_defect_it_promises(sound: Path, tmp_path: Path, defect: str) -> None:
    """A sound package has no problem; the same package with one defect has that defect,
    named by its slug and the part it is in."""
    assert verify(sound) == []
    make, kind = DEFECTS[defect]
    content = parts(sound)
    make(content)
    broken = write_parts(tmp_path / "broken.xlsx", content)
    found = verify(broken)
    assert kind in {p.kind for p in found}, found
    assert verify(broken.read_bytes()) == found  # bytes or a file alike


def test_a_print_area_that_moved_to_another_sheet_is_found(sound: Path, tmp_path: Path) -> None:
    """Against the workbook as read, a sheet-scoped defined name that now names another sheet
    (the tabs reordered under it) is a problem; unchanged, it is none."""
    before = Baseline.of(sound.read_bytes())
    assert verify(sound, before) == []
    content = parts(sound)
    _sub(BOOK, 'localSheetId="1"', 'localSheetId="0"')(content)
    moved = verify(write_parts(tmp_path / "moved.xlsx", content), before)
    assert [p.kind for p in moved] == ["defined_name_moved", "defined_name_moved"]
    assert "_xlnm.Print_Area" in moved[0].detail


def test_problems_the_workbook_already_had_are_not_the_writes(sound: Path, tmp_path: Path) -> None:
    """A workbook that came with a defect (a wrong style count) is not refused for it: only
    what the write introduced counts, and a second defect still does."""
    content = parts(sound)
    _sub("xl/styles.xml", r'<fonts count="\d+"', '<fonts count="7"')(content)
    original = write_parts(tmp_path / "original.xlsx", content)
    before = Baseline.of(original.read_bytes())
    assert verify(original, before) == []
    _sub(BOOK, 'sheetId="2"', 'sheetId="1"')(content)
    written = write_parts(tmp_path / "written.xlsx", content)
    assert [p.kind for p in verify(written, before)] == ["duplicate_sheet_id"]


# A drop-down list after the page margins: every reader opens it, Excel "repairs" it.
_VALIDATIONS = (
    '<dataValidations count="1"><dataValidation type="list" sqref="B2">'
    '<formula1>"a,b"</formula1></dataValidation></dataValidations>'
)


@pytest.mark.parametrize("prefix", ["", "x:"])
def test_a_sheet_whose_elements_stand_out_of_order_is_found_with_any_prefix(
    sound: Path, tmp_path: Path, prefix: str
) -> None:
    """<dataValidations> after <pageMargins> is named, on a sheet written with or without a
    prefix; a thousand rows between them change nothing, and the same elements in the schema's
    order are sound."""
    content = parts(sound)
    sheet = content[SHEET1].decode("utf-8")
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, 1002))
    sheet = sheet.replace("</sheetData>", rows + "</sheetData>")
    if prefix:
        sheet = re.sub(r"<(/?)(?!\?)(\w+)", rf"<\1{prefix}\2", sheet)
        sheet = sheet.replace(f'<{prefix}worksheet xmlns="', f'<{prefix}worksheet xmlns:x="')
    margins = re.search(rf"<{prefix}pageMargins[^>]*/>", sheet)
    assert margins is not None
    late = (
        sheet[: margins.end()]
        + _VALIDATIONS.replace("<", f"<{prefix}").replace(f"<{prefix}/", f"</{prefix}")
        + sheet[margins.end() :]
    )
    content[SHEET1] = late.encode("utf-8")
    found = verify(write_parts(tmp_path / "late.xlsx", content))
    assert [(p.part, p.kind) for p in found] == [(SHEET1, "element_order")], found
    assert "<dataValidations> after <pageMargins>" in found[0].detail
    early = (
        sheet[: margins.start()]
        + _VALIDATIONS.replace("<", f"<{prefix}").replace(f"<{prefix}/", f"</{prefix}")
        + sheet[margins.start() :]
    )
    content[SHEET1] = early.encode("utf-8")
    assert verify(write_parts(tmp_path / "early.xlsx", content)) == []


def test_a_sheet_already_out_of_order_is_not_the_writes(sound: Path, tmp_path: Path) -> None:
    """A staff sheet that came out of order (Excel repairs it, others read it) is not refused
    when the write changes it; a sheet the write put out of order is."""
    content = parts(sound)
    _sub(SHEET1, r"(<sheetData>.*</sheetData>)(<pageMargins[^>]*/>)", r"\2\1")(content)
    original = write_parts(tmp_path / "original.xlsx", content)
    before = Baseline.of(original.read_bytes())
    _sub(SHEET1, r"<t>x</t>", "<t>xy</t>")(content)  # the write touched that sheet
    assert verify(write_parts(tmp_path / "touched.xlsx", content), before) == []
    _sub(SHEET2, r"(<sheetData>.*</sheetData>)(<pageMargins[^>]*/>)", r"\2\1")(content)
    found = verify(write_parts(tmp_path / "written.xlsx", content), before)
    assert [(p.part, p.kind) for p in found] == [(SHEET2, "element_order")]


def test_not_a_zip_is_a_problem(tmp_path: Path) -> None:
    """Bytes that are no zip at all are one problem, not an exception."""
    assert verify(b"PK\x03\x04 cut") == [Problem("(zip)", "not_a_zip", "File is not a zip file")]


def test_a_writer_bug_becomes_a_refusal_and_the_workbook_stays_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The writer is made to emit the new tab's `r:id` with a prefix it does not declare (the
    bug pandas-made workbooks once hit): the sync stops with exit 3, the message names the
    part and says the workbook is untouched, the file is byte for byte as before and no temp
    file is left; without the bug the same sync writes a sound workbook."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    config = config_file(tmp_path)
    original = workbook.read_bytes()

    def unbound(shape: object, name: str, sheet_id: int, rel_id: str) -> bytes:
        return f'<sheet name="{name}" sheetId="{sheet_id}" q:id="{rel_id}"/>'.encode()

    monkeypatch.setattr(xlsx_xml, "_sheet_element", unbound)
    refused = CliRunner().invoke(main, ["sync", "--config", str(config), "--no-agenda"])
    assert refused.exit_code == EXIT_SHEET, refused.output
    assert shows(refused.output, "error.workbook_not_verified", "ja")
    assert "xl/workbook.xml" in refused.output and "unbound prefix" in refused.output
    assert "Traceback" not in refused.output
    assert workbook.read_bytes() == original
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".tmp") == []
    monkeypatch.undo()
    done = CliRunner().invoke(main, ["sync", "--config", str(config), "--no-agenda"])
    assert done.exit_code == 0, done.output
    assert verify(workbook) == []
    assert "サマリー" in load_workbook(workbook).sheetnames


def test_a_zip_entry_that_does_not_inflate_is_a_problem(sound: Path, tmp_path: Path) -> None:
    """A part whose stored bytes are corrupt (the zip directory intact) is a problem, never
    an exception that would reach the user as a traceback."""
    data = bytearray(sound.read_bytes())
    with zipfile.ZipFile(sound) as archive:
        info = archive.getinfo("xl/styles.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start : start + 8] = b"\xff" * 8
    found = verify(bytes(data))
    assert [p.kind for p in found] == ["not_a_zip"]
