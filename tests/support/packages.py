"""Test helpers that take an .xlsx apart and put it back with edits, as another writer would
have written it (a prefix declared elsewhere, a part name in another case, a broken part)."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import xlsxwriter

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def parts(path: Path) -> dict[str, bytes]:
    """Every zip entry of a workbook, decompressed, in the zip's order."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_parts(path: Path, content: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in content.items():
            archive.writestr(name, data)
    return path


def edit(path: Path, name: str, old: str, new: str, count: int = 0) -> None:
    """Replace `old` (a regular expression) by `new` in one part of the workbook at `path`."""
    content = parts(path)
    text, made = re.subn(old, new, content[name].decode("utf-8"), count=count)
    assert made, f"{old!r} not found in {name}"
    content[name] = text.encode("utf-8")
    write_parts(path, content)


def sheet_names(path: Path) -> list[str]:
    """The sheet titles in workbook.xml's order."""
    xml = parts(path)["xl/workbook.xml"].decode("utf-8")
    return re.findall(r'<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"', xml)


def local_names(path: Path) -> list[tuple[str, str]]:
    """Each sheet-scoped defined name with the title of the sheet it is scoped to."""
    xml = parts(path)["xl/workbook.xml"].decode("utf-8")
    titles = sheet_names(path)
    found = re.findall(
        r'<(?:\w+:)?definedName\b[^>]*?\bname="([^"]*)"[^>]*?localSheetId="(\d+)"', xml
    )
    return sorted((name, titles[int(index)]) for name, index in found)


def declare_rel_prefix_on_each_sheet(path: Path) -> None:
    """workbook.xml as openpyxl with lxml and pandas write it: `xmlns:r` on each `<sheet>`,
    not on the root."""
    declaration = f' xmlns:r="{REL_NS}"'
    content = parts(path)
    xml = content["xl/workbook.xml"].decode("utf-8")
    xml = xml.replace(declaration, "")
    xml = re.sub(r"<sheet ", f"<sheet{declaration} ", xml)
    assert declaration in xml and "r:id" in xml
    content["xl/workbook.xml"] = xml.encode("utf-8")
    write_parts(path, content)


def open_sheet_elements(path: Path) -> None:
    """Each `<sheet …/>` written `<sheet …></sheet>` (valid XML, as some writers do)."""
    edit(path, "xl/workbook.xml", r"<sheet\b([^>]*?)/>", r"<sheet\1></sheet>")


def rename_part(path: Path, old: str, new: str) -> None:
    """Move part `old` (`xl/…`) to `new` (say, a capitalised name); the relationships and
    content types that name it follow."""
    content = parts(path)
    renamed: dict[str, bytes] = {}
    for name, data in content.items():
        if name.endswith((".rels", ".xml")):
            for before, after in ((f"/{old}", f"/{new}"), (old[3:], new[3:])):
                data = data.replace(f'"{before}"'.encode(), f'"{after}"'.encode())
        renamed[new if name == old else name] = data
    write_parts(path, renamed)


def write_with_xlsxwriter(path: Path, tabs: dict[str, list[list[Any]]]) -> Path:
    """The same tabs as `tests.support.workbooks.write_xlsx`, written by XlsxWriter (shared strings,
    Excel's own `_xHHHH_` escapes, its own part layout)."""
    book = xlsxwriter.Workbook(str(path), {"strings_to_formulas": False, "strings_to_urls": False})
    for title, rows in tabs.items():
        sheet = book.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
    return path
