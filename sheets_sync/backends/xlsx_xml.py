"""The package's XML edited as text, so every byte a writer wrote stays: the namespaces, a snippet
inserted before a closing tag (with the prefix the part uses), and a sheet added to workbook.xml
where its shape says."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Final
from xml.parsers import expat
from xml.sax.saxutils import quoteattr

from ..errors import SheetAccessError

REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"


CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


OFFICE_DOC = f"{REL_NS}/officeDocument"

# CT_Worksheet's children in the order its sequence requires (ECMA-376 Part 1, 18.3.1.99).
WORKSHEET_CHILDREN: Final = (
    "sheetPr", "dimension", "sheetViews", "sheetFormatPr", "cols", "sheetData", "sheetCalcPr",
    "sheetProtection", "protectedRanges", "scenarios", "autoFilter", "sortState",
    "dataConsolidate", "customSheetViews", "mergeCells", "phoneticPr", "conditionalFormatting",
    "dataValidations", "hyperlinks", "printOptions", "pageMargins", "pageSetup", "headerFooter",
    "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors", "smartTags",
    "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects",
    "controls", "webPublishItems", "tableParts", "extLst",
)  # fmt: skip


WORKSHEET_REL = f"{REL_NS}/worksheet"


def insert_before_close(xml: str, tag: str, snippet: str) -> str:
    """`snippet` put last inside the element `tag`, its elements written with the prefix that
    element uses: a part written `<ns0:Relationships>` has no default namespace, and an
    unprefixed `<Relationship>` there would be in none."""
    match = re.search(rf"</((?:[\w.-]+:)?){tag}>", xml)
    if match is not None:
        snippet = with_prefix(snippet, match.group(1))
        return xml[: match.start()] + snippet + xml[match.start() :]
    empty = re.search(rf"<((?:[\w.-]+:)?){tag}\b([^>]*)/>", xml)
    if empty is None:
        raise SheetAccessError("workbook_no_element", tag=tag)
    name = empty.group(1) + tag
    snippet = with_prefix(snippet, empty.group(1))
    return xml[: empty.start()] + f"<{name}{empty.group(2)}>{snippet}</{name}>" + xml[empty.end() :]


def with_prefix(snippet: str, prefix: str) -> str:
    """`snippet` with `prefix` ("x:") on each element name that has none."""
    if not prefix:
        return snippet
    return re.sub(r"<(/?)(?![\w.-]+:)(?=[A-Za-z_])", rf"<\1{prefix}", snippet)


@dataclass
class BookShape:
    """Where things are in workbook.xml, found by parsing it (byte offsets into the part)."""

    sheets: list[tuple[int, str]] = field(default_factory=list)  # each <sheet>: offset, r:id
    sheet_ids: list[int] = field(default_factory=list)
    end_of_sheets: int = -1  # where a new last <sheet> goes (the `</sheets>` tag)
    empty_sheets: tuple[int, int] | None = None  # a `<sheets/>` tag's span, if written so
    prefix: str = ""  # the prefix `<sheets>` is written with ("x:" or "")
    rel_prefix: str | None = None  # a prefix bound to the relationships namespace there
    structure_locked: bool = False


def book_shape(xml: bytes) -> BookShape:
    """The `<sheets>` element of workbook.xml, its children and the namespace prefixes in scope
    there, by parsing: a `<sheet>` written `<sheet …></sheet>`, a prefix declared on each
    element (openpyxl with lxml, pandas) or on the root (Excel) are all found alike."""
    shape = BookShape()
    parser = expat.ParserCreate()
    scopes: list[dict[str, str]] = [{}]
    path: list[str] = []

    def start(qname: str, attributes: dict[str, str]) -> None:
        scope = dict(scopes[-1])
        scope.update((k[6:], v) for k, v in attributes.items() if k.startswith("xmlns:"))
        scopes.append(scope)
        local = qname.rsplit(":", 1)[-1]
        if local == "sheets" and len(path) == 1:
            shape.prefix = qname[: -len(local)]
            shape.rel_prefix = next((k for k, v in scope.items() if v == REL_NS), None)
            shape.empty_sheets = (parser.CurrentByteIndex, -1)
        elif local == "sheet" and path[-1:] == [f"{shape.prefix}sheets"]:
            rel_id = next(
                (
                    v
                    for k, v in attributes.items()
                    if k.endswith(":id") and scope.get(k[:-3]) == REL_NS
                ),
                "",
            )
            shape.sheets.append((parser.CurrentByteIndex, rel_id))
            shape.sheet_ids.extend(int(v) for v in [attributes.get("sheetId", "")] if v.isdigit())
        elif local == "workbookProtection":
            shape.structure_locked = attributes.get("lockStructure", "") in ("1", "true")
        path.append(qname)

    def end(qname: str) -> None:
        scopes.pop()
        path.pop()
        if qname == f"{shape.prefix}sheets" and len(path) == 1 and shape.empty_sheets:
            at = parser.CurrentByteIndex  # a closing tag's start; just past a `<sheets/>`
            if re.compile(rb"</" + re.escape(qname.encode()) + rb"\s*>").match(xml, at):
                shape.end_of_sheets, shape.empty_sheets = at, None
            else:
                shape.empty_sheets = (shape.empty_sheets[0], at)

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.Parse(xml, True)
    return shape


def insert_sheet(
    xml: bytes,
    index: int | None,
    name: str,
    sheet_id: int,
    rel_id: str,
    shape: BookShape | None = None,
) -> bytes:
    """workbook.xml with a new `<sheet>` put before the `index`th one (last when None or past
    the end); the sheet positions after it (localSheetId, activeTab) shift by one."""
    shape = shape or book_shape(xml)
    element = _sheet_element(shape, name, sheet_id, rel_id)
    if index is not None and index < len(shape.sheets):
        at = shape.sheets[index][0]
        xml = xml[:at] + element + xml[at:]
    elif shape.end_of_sheets >= 0:
        index = len(shape.sheets)
        xml = xml[: shape.end_of_sheets] + element + xml[shape.end_of_sheets :]
    elif shape.empty_sheets is not None:
        index, (start, end) = 0, shape.empty_sheets
        tag = f"{shape.prefix}sheets".encode()
        opened = xml[start:end].rstrip(b"/>").rstrip() + b">"
        xml = xml[:start] + opened + element + b"</" + tag + b">" + xml[end:]
    else:
        raise SheetAccessError("workbook_no_element", tag="sheets")
    return _shift_positions(xml, index)


def _sheet_element(shape: BookShape, name: str, sheet_id: int, rel_id: str) -> bytes:
    """A `<sheet>` for a new tab, declaring the relationships prefix when none is in scope
    (a file whose `<sheet>` elements each declare their own has none at `<sheets>`)."""
    if shape.rel_prefix is not None:
        rel_attr = f"{shape.rel_prefix}:id={quoteattr(rel_id)}"
    else:
        rel_attr = f'xmlns:r="{REL_NS}" r:id={quoteattr(rel_id)}'
    element = f'<{shape.prefix}sheet name={quoteattr(name)} sheetId="{sheet_id}" {rel_attr}/>'
    return element.encode("utf-8")


def _shift_positions(xml: bytes, index: int) -> bytes:
    """Sheet positions in workbook.xml after a sheet was put at `index`."""

    def shift(match: re.Match[bytes]) -> bytes:
        # localSheetId and activeTab name a sheet, which moves when one is put at or before
        # it; firstSheet is the first tab shown in the tab bar, which moves only when the new
        # one comes before it (at it, the bar starts with the new tab, as it did before)
        number = int(match.group(3))
        moves = number > index if match.group(1) == b"firstSheet" else number >= index
        quote = match.group(2)
        return match.group(1) + b"=" + quote + str(number + 1 if moves else number).encode() + quote

    return re.sub(rb"\b(localSheetId|activeTab|firstSheet)=([\"'])(\d+)\2", shift, xml)


@dataclass(frozen=True)
class Child:
    """One element directly inside a part's root: its namespace, local name, the prefix it is
    written with ("x:" or "") and the byte offset of its start tag."""

    namespace: str
    name: str
    prefix: str
    start: int


@dataclass
class RootShape:
    """A part's root element (`<worksheet>`) as parsed: its prefix, its direct children and
    the byte offset of its closing tag."""

    prefix: str = ""
    children: list[Child] = field(default_factory=list)
    closing: int = -1

    def first(self, namespace: str, names: tuple[str, ...]) -> Child | None:
        return next(
            (c for c in self.children if c.namespace == namespace and c.name in names), None
        )


def root_shape(xml: bytes) -> RootShape:
    """The elements directly inside the root of `xml`, by parsing: a `<dataValidations>` or
    `<extLst>` nested deeper (in an x14 extension, in a data bar's rule) is never taken for
    the sheet's own."""
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.namespace_prefixes = True
    shape = RootShape()
    depth = 0

    def start(name: str, _attributes: dict[str, str]) -> None:
        nonlocal depth
        if depth <= 1:
            parts = name.split(" ")
            namespace, local = (parts[0], parts[1]) if len(parts) > 1 else ("", parts[0])
            prefix = f"{parts[2]}:" if len(parts) > 2 else ""
            if depth == 0:
                shape.prefix = prefix
            else:
                shape.children.append(Child(namespace, local, prefix, parser.CurrentByteIndex))
        depth += 1

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1
        if depth == 0:
            shape.closing = parser.CurrentByteIndex

    parser.StartElementHandler, parser.EndElementHandler = start, end
    parser.Parse(xml, True)
    return shape
