"""What each sheet of an .xlsx package is, and what it holds besides cell values.

Ownership needs more than cells: a sheet titled サマリー may be a chart sheet, or a worksheet
whose only content is a chart (its cells empty), or hold formulas that show "". The package
says so: the workbook's relationship to the sheet gives its kind, the sheet's own
relationships its drawings, comments, tables …, and `<f>` elements its formulas.
"""

from __future__ import annotations

import posixpath
import re
from xml.etree import ElementTree
from xml.sax.saxutils import unescape

from ..sheet.tabs import RawTab, TabKind
from .xlsx_package import Package, Sheet

# The last part of a workbook → sheet relationship type (transitional and strict spell the
# rest differently) → the kind of tab.
_KINDS: dict[str, TabKind] = {
    "worksheet": "worksheet",
    "chartsheet": "chart",
    "dialogsheet": "dialog",
}
# A sheet relationship that is no content staff made: the printer Excel last printed it on.
_NOT_CONTENT = frozenset({"printerSettings"})
# A formula cell's <f> element (prefixed or not), with its text when it has one; `\b` keeps
# <font>, <filterColumn> and data validations' <formula1> out.
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f\b[^>]*?(?:/>|>(.*?)</(?:[\w.-]+:)?f>)", re.DOTALL)


def formula_texts(xml: bytes) -> tuple[str, ...]:
    """The text of every formula in a worksheet part, in order ("" for a shared formula that
    only refers to another cell's); one C-speed scan, no parse."""
    if b"<f" not in xml and b":f" not in xml:
        return ()  # the usual input tab: two substring tests cost a third of the scan
    return tuple(
        unescape((match.group(1) or b"").decode("utf-8", "replace"))
        for match in _FORMULA.finditer(xml)
    )


def _rels_name(part: str) -> str:
    folder, base = posixpath.split(part)
    return posixpath.join(folder, "_rels", base + ".rels")


def _relationship_types(package: Package, part: str) -> list[str]:
    """The last part of each relationship type the part has (none when it has no .rels)."""
    name = _rels_name(part)
    if not package.has(name):
        return []
    root = ElementTree.fromstring(package.read(name))
    return [rel.get("Type", "").rsplit("/", 1)[-1] for rel in root]


def sheet_kinds(package: Package) -> dict[str, TabKind]:
    """Each sheet's kind, by its name in workbook.xml."""
    rels = ElementTree.fromstring(package.read(_rels_name(package.workbook_part)))
    types = {rel.get("Id", ""): rel.get("Type", "").rsplit("/", 1)[-1] for rel in rels}
    return {
        sheet.name: _KINDS.get(types.get(sheet.rel_id, ""), "other") for sheet in package.sheets
    }


def sheet_objects(package: Package, sheet: Sheet) -> tuple[str, ...]:
    """What the sheet's relationships point at besides its cells: drawing, vmlDrawing,
    comments, table, pivotTable, hyperlink (an outside link), oleObject …"""
    return tuple(
        kind for kind in _relationship_types(package, sheet.part) if kind not in _NOT_CONTENT
    )


def with_facts(package: Package, read: list[RawTab]) -> list[RawTab]:
    """Every sheet in workbook order: the worksheets as read (each with its objects), and a
    cell-less tab for each chart, dialog or other sheet, so that its title is known."""
    by_title = {tab.title: tab for tab in read}
    kinds = sheet_kinds(package)
    tabs: list[RawTab] = []
    for sheet in package.sheets:
        kind = kinds.get(sheet.name, "other")
        tab = by_title.pop(sheet.name, None) if kind == "worksheet" else None
        if tab is None:
            tab = RawTab(sheet.name, [], kind=kind if kind != "worksheet" else "other")
        tab.objects = sheet_objects(package, sheet)
        tabs.append(tab)
    tabs.extend(by_title.values())  # read by openpyxl but not listed: kept, as before
    return tabs
