"""`upgrade` on an .xlsx package: the tabs and header cells a newer template has, added
where the sync reads them, through the same surgical writer as a sync."""

from __future__ import annotations

import re
from typing import Any
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import range_boundaries

from ..errors import SheetAccessError
from ..sheet import schema
from ..sheet.locate import locate_header
from ..sheet.ownership import Ownership
from ..sheet.schema import Lang
from ..sheet.tabs import RawTab
from ..sheet.template import TEMPLATE_ROWS, ColumnLayout, TabLayout, layout
from .xlsx_package import Package, Sheet
from .xlsx_sheet import StyleBook, code_name, generated_sheet_xml, header_cell_xml
from .xlsx_template import VERSION_PROPERTY, data_validation, placeholder_tab
from .xlsx_xml import (
    MAIN_NS,
    REL_NS,
    WORKSHEET_CHILDREN,
    Child,
    insert_before_close,
    root_shape,
    with_prefix,
)


def get_version(book: Any) -> int | None:
    """The template version in openpyxl's custom document properties, if any."""
    for prop in book.custom_doc_props:
        if prop.name == VERSION_PROPERTY:
            try:
                return int(prop.value)
            except (TypeError, ValueError):
                return None
    return None


def add_missing(
    package: Package,
    tabs: list[RawTab],
    decided: Ownership,
    version: int | None,
    lang: Lang,
    styles: StyleBook,
) -> list[str]:
    """Plan into `package` the tabs and header cells the template has and the workbook lacks;
    what was added, for people (empty: nothing to write). A generated tab is added only when
    `decided` says the sync would create it: a tab not ours with its title (a chart sheet
    called サマリー) is left as it is, as the sync leaves it."""
    raw_by_title = {tab.title: tab for tab in tabs}
    package.ensure_may_add([t.title for t in layout(lang) if _to_add(package, t, decided)])
    added: list[str] = []
    for tab_layout in layout(lang):
        if tab_layout.generated:
            if decided[tab_layout.key].action == "create":
                placeholder = placeholder_tab(tab_layout.key, tab_layout.title, lang)
                code = package.unique_code_name(code_name(tab_layout.key), tab_layout.title, None)
                content = generated_sheet_xml(placeholder, styles, code)
                index = _template_index(package, tab_layout, lang)
                package.add_sheet(tab_layout.title, index, content)
                added.append(tab_layout.title)
            continue
        sheet = package.sheet_titled(tab_layout.title) or _input_sheet(package, tab_layout)
        if sheet is None:
            index = _template_index(package, tab_layout, lang)
            package.add_sheet(tab_layout.title, index, _input_sheet_xml(tab_layout, styles, lang))
            added.append(tab_layout.title)
            continue
        raw = raw_by_title.get(sheet.name, RawTab(sheet.name, []))
        header = locate_header(schema.TABS_BY_KEY[tab_layout.key], raw)
        missing = [c for c in tab_layout.columns if c.key not in header.positions]
        if not missing:
            continue
        width = max((len(line) for line in raw.rows), default=0)
        xml = package.read(sheet.part).decode("utf-8")
        for offset, column in enumerate(missing):
            position = width + offset + 1
            xml = _add_header_cell(xml, header.row + 1, position, column, styles)
            xml = _add_validation(xml, column, position, header.row + 2, lang)
            added.append(f"{sheet.name}!{column.header}")
        package.put(sheet.part, xml.encode("utf-8"))
    if version is None or version < schema.TEMPLATE_VERSION:
        set_version(package, schema.TEMPLATE_VERSION)
        if not added:
            added.append(f"template version {schema.TEMPLATE_VERSION}")
    return added


def _to_add(package: Package, tab_layout: TabLayout, decided: Ownership) -> bool:
    """The tab is missing and `upgrade` adds it (a generated tab only where the sync would)."""
    if tab_layout.generated:
        return decided[tab_layout.key].action == "create"
    return (
        package.sheet_titled(tab_layout.title) is None and _input_sheet(package, tab_layout) is None
    )


def _input_sheet(package: Package, tab_layout: TabLayout) -> Sheet | None:
    """An input tab under any accepted title (reading is forgiving; exact titles win)."""
    if tab_layout.generated:
        return None
    lookup = schema.tab_lookup()
    return next(
        (s for s in package.sheets if lookup.get(schema.normalize_label(s.name)) == tab_layout.key),
        None,
    )


def _template_index(package: Package, tab_layout: TabLayout, lang: Lang) -> int:
    """Where a missing tab goes: after the tabs that come before it in the template."""
    order = [t.key for t in layout(lang)]
    lookup = schema.tab_lookup()
    earlier = set(order[: order.index(tab_layout.key)])
    positions = [
        i
        for i, s in enumerate(package.sheets)
        if lookup.get(schema.normalize_label(s.name)) in earlier
    ]
    return max(positions) + 1 if positions else 0


_ROW_TAG = re.compile(rb"<([\w.-]+:)?row\b[^>]*?(/?)>")


class _Found(Exception):
    """Stops the parse at the row looked for."""


def _row_offset(data: bytes, row: int) -> int | None:
    """Where the start tag of row `row` (1-based) is, by parsing: a row without `r` is the
    one after the row before it, as readers (and the sync's own) count them."""
    parser = expat.ParserCreate(namespace_separator=" ")
    number = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal number
        if name == f"{MAIN_NS} row":
            given = attributes.get("r", "")
            number = int(given) if given.isdigit() else number + 1
            if number == row:
                raise _Found(parser.CurrentByteIndex)

    parser.StartElementHandler = start
    try:
        parser.Parse(data, True)
    except _Found as found:
        return int(found.args[0])
    return None


def _add_header_cell(
    xml: str, row: int, column: int, layout_: ColumnLayout, styles: StyleBook
) -> str:
    """A staff sheet's XML with one header cell added at the end of its header row."""
    data = xml.encode("utf-8")
    at = _row_offset(data, row)
    match = _ROW_TAG.match(data, at) if at is not None else None
    if match is None:
        raise SheetAccessError("header_row_not_found", row=row)
    prefix = (match.group(1) or b"").decode()
    cell = header_cell_xml(f"{get_column_letter(column)}{row}", layout_.header, styles, prefix)
    added = cell.encode("utf-8")
    start_tag = re.sub(rb'\s+spans="[^"]*"', b"", match.group(0))  # an optional hint, now wrong
    close_tag = f"</{prefix}row>".encode()
    if match.group(2):
        opened = start_tag[:-2].rstrip() + b">"
        data = data[: match.start()] + opened + added + close_tag + data[match.end() :]
    else:
        close = data.index(close_tag, match.end())
        data = data[: match.start()] + start_tag + data[match.end() : close] + added + data[close:]
    return _widen_dimension(data.decode("utf-8"), column, row)


def _widen_dimension(xml: str, column: int, row: int) -> str:
    match = re.search(r'(<(?:\w+:)?dimension\b[^>]*\bref=")([^"]*)(")', xml)
    if match is None:
        return xml
    try:
        c1, r1, c2, r2 = range_boundaries(match.group(2))
    except (ValueError, TypeError):
        return xml
    c1, r1, c2, r2 = c1 or 1, r1 or 1, max(c2 or 1, column), max(r2 or 1, row)
    ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
    return xml[: match.start(2)] + ref + xml[match.end(2) :]


# What the schema puts after <dataValidations>: a new one goes before the first of these.
_AFTER_VALIDATIONS = WORKSHEET_CHILDREN[WORKSHEET_CHILDREN.index("dataValidations") + 1 :]


def _validation_xml(column: ColumnLayout, letter: str, first_row: int, lang: Lang) -> str:
    validation = data_validation(column.validation, column.labels, column.reference, lang)
    if validation is None:
        return ""
    validation.promptTitle = column.header[:32]
    validation.prompt = column.help[:255]
    validation.showInputMessage = True
    validation.add(f"{letter}{first_row}:{letter}{TEMPLATE_ROWS}")
    element = validation.to_tree()
    text = ElementTree.tostring(element, encoding="unicode")
    return re.sub(r"\sxmlns(:\w+)?=\"[^\"]*\"", "", text)


def _add_validation(
    xml: str, column: ColumnLayout, position: int, first_row: int, lang: Lang
) -> str:
    """Add the new column's drop-down (or input hint) to a staff sheet, keeping theirs: into
    the sheet's own `<dataValidations>`, or a new one where the schema puts it (after the
    conditional formatting, before the page margins); never into an x14 extension."""
    snippet = _validation_xml(column, get_column_letter(position), first_row, lang)
    if not snippet:
        return xml
    data = xml.encode("utf-8")
    shape = root_shape(data)
    existing = shape.first(MAIN_NS, ("dataValidations",))
    if existing is not None:
        return _append_validation(data, existing, snippet).decode("utf-8")
    after = shape.first(MAIN_NS, _AFTER_VALIDATIONS)
    at = after.start if after is not None else shape.closing
    block = with_prefix(f'<dataValidations count="1">{snippet}</dataValidations>', shape.prefix)
    return (data[:at] + block.encode("utf-8") + data[at:]).decode("utf-8")


_VALIDATIONS = re.compile(rb"<([\w.-]+:)?dataValidations\b([^>]*?)(/?)>")


def _append_validation(data: bytes, existing: Child, snippet: str) -> bytes:
    """`snippet` added last to the sheet's `<dataValidations>` (at `existing`), its count
    raised by one."""
    found = _VALIDATIONS.match(data, existing.start)
    if found is None:  # the parser saw the element there; a writer spelling it otherwise
        raise SheetAccessError("workbook_no_element", tag="dataValidations")
    tag = existing.prefix.encode() + b"dataValidations"
    item = with_prefix(snippet, existing.prefix).encode("utf-8")
    count = re.search(rb'\bcount="(\d+)"', found.group(2))
    attributes = re.sub(rb'\s*\bcount="\d*"', b"", found.group(2))
    total = (int(count.group(1)) if count else 0) + 1
    opening = b"<" + tag + attributes + b' count="%d">' % total
    if found.group(3):
        return data[: found.start()] + opening + item + b"</" + tag + b">" + data[found.end() :]
    close = data.index(b"</" + tag + b">", found.end())
    return data[: found.start()] + opening + data[found.end() : close] + item + data[close:]


def _input_sheet_xml(tab_layout: TabLayout, styles: StyleBook, lang: Lang) -> bytes:
    """A new, empty input tab: the header, its widths, frozen, with drop-downs and hints."""
    cells = "".join(
        header_cell_xml(f"{get_column_letter(c)}1", column.header, styles, "")
        for c, column in enumerate(tab_layout.columns, start=1)
    )
    columns = "".join(
        f'<col min="{c}" max="{c}" width="{column.width * 1.15:.2f}" customWidth="1"/>'
        for c, column in enumerate(tab_layout.columns, start=1)
    )
    validations = "".join(
        _validation_xml(column, get_column_letter(c), 2, lang)
        for c, column in enumerate(tab_layout.columns, start=1)
    )
    count = validations.count("<dataValidation ")
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
        'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" '
        'sqref="A2"/></sheetView></sheetViews><sheetFormatPr defaultRowHeight="15"/>'
        f'<cols>{columns}</cols><sheetData><row r="1" ht="24" customHeight="1">{cells}</row>'
        "</sheetData>"
        + (f'<dataValidations count="{count}">{validations}</dataValidations>' if count else "")
        + '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
        'footer="0.3"/></worksheet>'
    ).encode("utf-8")


_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = f"{REL_NS}/custom-properties"
_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def set_version(package: Package, version: int) -> None:
    """Record the template version in the custom document properties, editing nothing else."""
    value = f"<vt:i4>{version}</vt:i4>"
    if package.has(_CUSTOM_PART):
        xml = package.read(_CUSTOM_PART).decode("utf-8")
        ours = re.search(
            r'(<(?:\w+:)?property\b[^>]*name="'
            + VERSION_PROPERTY
            + r'"[^>]*>)(.*?)(</(?:\w+:)?property>)',
            xml,
            re.S,
        )
        if ours is not None:
            vt = re.search(r"<(\w+):i4>", ours.group(2))
            inner = f"<{vt.group(1)}:i4>{version}</{vt.group(1)}:i4>" if vt else value
            xml = xml[: ours.start(2)] + inner + xml[ours.end(2) :]
        else:
            pids = [int(p) for p in re.findall(r'\bpid="(\d+)"', xml)]
            pid = max([1, *pids]) + 1
            element = (
                f'<property xmlns:vt="{_VT}" fmtid="{_FMTID}" pid="{pid}" '
                f'name="{VERSION_PROPERTY}">{value}</property>'
            )
            xml = insert_before_close(xml, "Properties", element)
        package.put(_CUSTOM_PART, xml.encode("utf-8"))
        return
    package.put(
        _CUSTOM_PART,
        (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<Properties xmlns="{_PROPS_NS}" '
            f'xmlns:vt="{_VT}"><property fmtid="{_FMTID}" pid="2" name="{VERSION_PROPERTY}">'
            f"{value}</property></Properties>"
        ).encode(),
    )
    rels = package.read("_rels/.rels").decode("utf-8")
    used = set(re.findall(r'\bId="([^"]*)"', rels))
    number = 1
    while f"rId{number}" in used:
        number += 1
    rels = insert_before_close(
        rels,
        "Relationships",
        f'<Relationship Id="rId{number}" Type="{_CUSTOM_REL}" Target="{_CUSTOM_PART}"/>',
    )
    package.put("_rels/.rels", rels.encode("utf-8"))
    types = package.read("[Content_Types].xml").decode("utf-8")
    types = insert_before_close(
        types, "Types", f'<Override PartName="/{_CUSTOM_PART}" ContentType="{_CUSTOM_TYPE}"/>'
    )
    package.put("[Content_Types].xml", types.encode("utf-8"))
