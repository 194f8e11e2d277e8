"""The local .xlsx backend: read with openpyxl's streaming parser, write only our own parts.

A sync replaces the package parts of its generated sheets (and appends to the shared parts it
must touch); every other part of the zip is copied as it was, so formulas with their saved
results, rich text, charts, images, macros and anything else staff made stay exactly theirs.
A new workbook from the template is still built with openpyxl (`create_workbook`).
"""

from __future__ import annotations

import re
import zipfile
import zlib
from datetime import date, tzinfo
from io import BytesIO
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import IntProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .. import schema
from ..errors import ConfigError, SheetAccessError
from ..schema import Lang
from ..tabs import GeneratedTab, OutCell, RawTab, Snapshot, SparklineKind
from ..template import TEMPLATE_ROWS, ColumnLayout, TabLayout, layout
from .xlsx_files import (
    BACKUP_FOLDER,
    BACKUPS_KEPT,
    ReadState,
    check_content,
    check_suffix,
    ensure_closed_by_others,
    lock_files,
    read_file,
    replace_safely,
)
from .xlsx_package import REL_NS, NotAWorkbook, Package, Sheet, insert_before_close
from .xlsx_read import read_tabs
from .xlsx_sheet import OWNER_PREFIX, StyleBook, generated_sheet_xml, header_cell_xml

__all__ = ["BACKUPS_KEPT", "BACKUP_FOLDER", "XlsxBackend", "create_workbook", "lock_files"]

# What a damaged file raises inside openpyxl or zipfile: not a zip, a part missing, XML cut…
_BROKEN_FILE = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    EOFError,
    StopIteration,
    zlib.error,
    ElementTree.ParseError,
)
VERSION_PROPERTY = "sheets_sync_template_version"

_FONT = "Meiryo"
_STYLES: dict[str, dict[str, Any]] = {
    "title": {"font": Font(name=_FONT, size=16, bold=True)},
    "subtitle": {"font": Font(name=_FONT, size=12, bold=True, color="1F3864")},
    "header": {
        "font": Font(name=_FONT, bold=True),
        "fill": PatternFill("solid", fgColor="DDE4EE"),
    },
    "muted": {"font": Font(name=_FONT, italic=True, color="595959")},
    "good": {"font": Font(name=_FONT, bold=True, color="1B6E20")},
    "bad": {"font": Font(name=_FONT, bold=True, color="B00020")},
    "neutral": {"font": Font(name=_FONT, color="404040")},
    "error": {"fill": PatternFill("solid", fgColor="FBE3E4"), "font": Font(name=_FONT)},
    "warning": {"fill": PatternFill("solid", fgColor="FFF4CE"), "font": Font(name=_FONT)},
    "ok": {"fill": PatternFill("solid", fgColor="E3F4E4"), "font": Font(name=_FONT)},
    "link": {"font": Font(name=_FONT, underline="single", color="0563C1")},
    "spark": {"font": Font(name=_FONT, size=12, color="1F3864")},
}
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0][:200] if str(error) else ""


def _broken(path: Path, error: BaseException) -> SheetAccessError:
    return SheetAccessError(
        f"{path} could not be opened as an .xlsx workbook ({type(error).__name__}: "
        f"{_first_line(error)}). If it was damaged, restore the newest copy from "
        f"{BACKUP_FOLDER}/."
    )


class XlsxBackend:
    """A workbook on disk. `read` parses it once; `write` replaces only the generated sheets'
    parts, and only if the file is still exactly what was read."""

    sparkline: SparklineKind = "text"

    def __init__(self, path: Path, lang: Lang = "ja", zone: tzinfo | None = None) -> None:
        self.path = path
        self.lang = lang
        self.zone = zone
        self._read: tuple[bytes, ReadState] | None = None
        self._package: Package | None = None
        self._tabs: list[RawTab] = []
        # Tests set this to save the workbook "as staff would" between build and rename.
        self.before_replace: Any = None

    def describe(self) -> str:
        return str(self.path)

    # -- reading -------------------------------------------------------------------------
    def _load(self) -> tuple[Package, list[RawTab], Any]:
        check_suffix(self.path)
        data, state = read_file(self.path)
        check_content(self.path, data)
        try:
            package = Package.open(data)
            tabs, _parts, book = read_tabs(data)
            owners = package.code_names()
        except NotAWorkbook:
            raise SheetAccessError(
                f"{self.path} is not an .xlsx workbook (an .ods or other file renamed "
                ".xlsx?): open it and save as .xlsx."
            ) from None
        except _BROKEN_FILE as error:
            raise _broken(self.path, error) from None
        for tab in tabs:
            tab.owned = owners.get(tab.title, "").startswith(OWNER_PREFIX)
        self._read, self._package, self._tabs = (data, state), package, tabs
        return package, tabs, book

    def read(self) -> Snapshot:
        """Every tab, parsed once. A formula cell reads as the value Excel last computed
        (`=20+5` reads as 25), as Google's effectiveValue does; a formula the file holds no
        result for reads as `uncomputed_formula`."""
        ensure_closed_by_others(self.path)
        _, tabs, book = self._load()
        return Snapshot(
            tabs=tabs, url=self.path.resolve().as_uri(), template_version=_get_version(book)
        )

    # -- writing -------------------------------------------------------------------------
    def write(self, tabs: list[GeneratedTab]) -> None:
        """Replace each tab's sheet (exact title, surrounding spaces trimmed), or add it at
        `tab.index`; no other sheet is touched. The core passes only tabs that are ours."""
        package = self._package if self._package is not None else self._load()[0]
        styles_part = _styles_part(package)
        styles = StyleBook(package.read(styles_part))
        for tab in tabs:
            content = generated_sheet_xml(tab, styles)
            existing = _exact_sheet(package, tab.title)
            if existing is not None:
                package.replace_sheet(existing, content)
            else:
                index = tab.index if tab.index is not None else len(package.sheets)
                package.add_sheet(tab.title, index, content)
        changed_styles = styles.changed()
        if changed_styles is not None:
            package.put(styles_part, changed_styles)
        self._commit(package)

    def _commit(self, package: Package) -> None:
        replace_safely(self.path, package.save, self._read, self.zone, self.before_replace)
        self._read = self._package = None  # the next write reads the new file first

    def set_template_version(self, version: int) -> None:
        package = self._package if self._package is not None else self._load()[0]
        _set_version(package, version)
        self._commit(package)

    def add_missing(self, lang: Lang) -> list[str]:
        """`upgrade`: add the tabs and header cells a newer template has, where the sync looks
        for them; touch no data, and write nothing when nothing is missing."""
        from ..validate import _locate_header

        ensure_closed_by_others(self.path)
        package, tabs, book = self._load()
        styles_part = _styles_part(package)
        styles = StyleBook(package.read(styles_part))
        raw_by_title = {tab.title: tab for tab in tabs}
        added: list[str] = []
        for tab_layout in layout(lang):
            sheet = _exact_sheet(package, tab_layout.title) or _input_sheet(package, tab_layout)
            if sheet is None:
                index = _template_index(package, tab_layout, lang)
                if tab_layout.generated:
                    placeholder = GeneratedTab(
                        tab_layout.key, tab_layout.title, [[OutCell(_PLACEHOLDER[lang], "muted")]]
                    )
                    content = generated_sheet_xml(placeholder, styles)
                else:
                    content = _input_sheet_xml(tab_layout, styles, lang)
                package.add_sheet(tab_layout.title, index, content)
                added.append(tab_layout.title)
                continue
            if tab_layout.generated:
                continue
            raw = raw_by_title.get(sheet.name, RawTab(sheet.name, []))
            reader = _locate_header(schema.TABS_BY_KEY[tab_layout.key], raw)
            missing = [c for c in tab_layout.columns if c.key not in reader.positions]
            if not missing:
                continue
            width = max((len(line) for line in raw.rows), default=0)
            xml = package.read(sheet.part).decode("utf-8")
            for offset, column in enumerate(missing):
                position = width + offset + 1
                xml = _add_header_cell(xml, reader.header_row + 1, position, column, styles)
                xml = _add_validation(xml, column, position, reader.header_row + 2, lang)
                added.append(f"{sheet.name}!{column.header}")
            package.put(sheet.part, xml.encode("utf-8"))
        version = _get_version(book)
        if version is None or version < schema.TEMPLATE_VERSION:
            _set_version(package, schema.TEMPLATE_VERSION)
            if not added:
                added.append(f"template version {schema.TEMPLATE_VERSION}")
        if not added:
            return []
        changed_styles = styles.changed()
        if changed_styles is not None:
            package.put(styles_part, changed_styles)
        self._commit(package)
        return added


def _exact_sheet(package: Package, title: str) -> Sheet | None:
    """The sheet whose title, stripped of surrounding spaces, is exactly `title`. A sheet we
    could not write without breaking the workbook (a chart sheet of that name, or a name that
    differs only in case, which Excel counts as the same) is refused, never renamed."""
    found = next((s for s in package.sheets if s.name.strip() == title.strip()), None)
    if found is not None and found.worksheet:
        return found
    clash = found or next(
        (s for s in package.sheets if s.name.strip().casefold() == title.strip().casefold()), None
    )
    if clash is not None:
        raise SheetAccessError(
            f'the workbook has a sheet "{clash.name}" that the sync cannot replace (a chart '
            f'sheet, or the same name in other letter case): rename it so "{title}" can be '
            "written; nothing was changed."
        )
    return None


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


def _styles_part(package: Package) -> str:
    name = package.workbook_part.rsplit("/", 1)[0] + "/styles.xml"
    if not package.has(name):
        raise SheetAccessError(
            f"the workbook has no styles part ({name}): open it in Excel or LibreOffice and "
            "save it again"
        )
    return name


_ROW = r"<(\w+:)?row\b[^>]*?\br=\"{row}\"[^>]*?(/?)>"


def _add_header_cell(
    xml: str, row: int, column: int, layout_: ColumnLayout, styles: StyleBook
) -> str:
    """A staff sheet's XML with one header cell added at the end of its header row."""
    match = re.search(_ROW.format(row=row), xml)
    if match is None:
        raise SheetAccessError(f"header row {row} not found in the sheet's XML")
    prefix = match.group(1) or ""
    cell = header_cell_xml(f"{get_column_letter(column)}{row}", layout_.header, styles, prefix)
    start_tag = re.sub(r'\s+spans="[^"]*"', "", match.group(0))  # an optional hint, now wrong
    if match.group(2):
        opened = start_tag[:-2].rstrip() + ">"
        xml = xml[: match.start()] + opened + cell + f"</{prefix}row>" + xml[match.end() :]
    else:
        close = xml.index(f"</{prefix}row>", match.end())
        xml = xml[: match.start()] + start_tag + xml[match.end() : close] + cell + xml[close:]
    return _widen_dimension(xml, column, row)


def _widen_dimension(xml: str, column: int, row: int) -> str:
    match = re.search(r'(<(?:\w+:)?dimension\b[^>]*\bref=")([^"]*)(")', xml)
    if match is None:
        return xml
    from openpyxl.utils.cell import range_boundaries

    try:
        c1, r1, c2, r2 = range_boundaries(match.group(2))
    except (ValueError, TypeError):
        return xml
    c1, r1, c2, r2 = c1 or 1, r1 or 1, max(c2 or 1, column), max(r2 or 1, row)
    ref = f"{get_column_letter(c1)}{r1}:{get_column_letter(c2)}{r2}"
    return xml[: match.start(2)] + ref + xml[match.end(2) :]


_AFTER_VALIDATIONS = (
    "hyperlinks",
    "printOptions",
    "pageMargins",
    "pageSetup",
    "headerFooter",
    "rowBreaks",
    "colBreaks",
    "customProperties",
    "cellWatches",
    "ignoredErrors",
    "smartTags",
    "drawing",
    "legacyDrawing",
    "legacyDrawingHF",
    "drawingHF",
    "picture",
    "oleObjects",
    "controls",
    "webPublishItems",
    "tableParts",
    "extLst",
)


def _validation_xml(column: ColumnLayout, letter: str, first_row: int, lang: Lang) -> str:
    validation = _data_validation(column.validation, column.labels, column.reference, lang)
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
    """Add the new column's drop-down (or input hint) to a staff sheet, keeping theirs."""
    snippet = _validation_xml(column, get_column_letter(position), first_row, lang)
    if not snippet:
        return xml
    existing = re.search(r"<(\w+:)?dataValidations\b([^>]*?)(/?)>", xml)
    if existing is not None:
        prefix = existing.group(1) or ""
        if prefix:
            snippet = re.sub(r"<(/?)(\w)", rf"<\1{prefix}\2", snippet)
        count = re.search(r'count="(\d+)"', existing.group(2))
        attrs = re.sub(r'\s*count="\d*"', "", existing.group(2))
        total = (int(count.group(1)) if count else 0) + 1
        opening = f'<{prefix}dataValidations{attrs} count="{total}">'
        if existing.group(3):
            return (
                xml[: existing.start()]
                + opening
                + snippet
                + f"</{prefix}dataValidations>"
                + xml[existing.end() :]
            )
        close = xml.index(f"</{prefix}dataValidations>", existing.end())
        return (
            xml[: existing.start()] + opening + xml[existing.end() : close] + snippet + xml[close:]
        )
    block = f'<dataValidations count="1">{snippet}</dataValidations>'
    spots = [m.start() for tag in _AFTER_VALIDATIONS if (m := re.search(rf"<(\w+:)?{tag}\b", xml))]
    at = min(spots) if spots else xml.rindex("</")
    return xml[:at] + block + xml[at:]


def _input_sheet_xml(tab_layout: TabLayout, styles: StyleBook, lang: Lang) -> bytes:
    """A new, empty input tab: the header, its widths, frozen, with drop-downs and hints."""
    from .xlsx_package import MAIN_NS, REL_NS

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


# -- creating a new workbook -----------------------------------------------------------------
def create_workbook(path: Path, lang: Lang, rows: dict[str, list[list[object]]]) -> None:
    """Write a new workbook from the template, with `rows` (per tab key) below the headers:
    openpyxl builds the input tabs, the package writer the (marked) generated ones."""
    check_suffix(path)
    if path.suffix.lower() != ".xlsx":
        raise ConfigError(f"{path}: a new workbook is an .xlsx file (no macros); name it .xlsx")
    book = OpenpyxlWorkbook()
    book.remove(book.active)
    generated: list[GeneratedTab] = []
    for tab_layout in layout(lang):
        sheet = book.create_sheet(tab_layout.title)
        if tab_layout.generated:
            placeholder = [[OutCell(_PLACEHOLDER[lang], "muted")]]
            generated.append(GeneratedTab(tab_layout.key, tab_layout.title, placeholder))
            continue
        _build_input_sheet(sheet, tab_layout, rows.get(tab_layout.key, []), lang)
    book.custom_doc_props.append(IntProperty(name=VERSION_PROPERTY, value=schema.TEMPLATE_VERSION))
    buffer = BytesIO()
    book.save(buffer)
    package = Package.open(buffer.getvalue())
    styles_part = _styles_part(package)
    styles = StyleBook(package.read(styles_part))
    for tab in generated:
        sheet_ = _exact_sheet(package, tab.title)
        assert sheet_ is not None
        package.replace_sheet(sheet_, generated_sheet_xml(tab, styles))
    changed_styles = styles.changed()
    if changed_styles is not None:
        package.put(styles_part, changed_styles)
    replace_safely(path, package.save, None, None)


_PLACEHOLDER: dict[Lang, str] = {
    "ja": "このタブは sheets-sync が同期のたびに書き直します(入力はほかのタブへ)。",
    "en": "sheets-sync rewrites this tab on every sync (type into the other tabs).",
}


def _get_version(book: Any) -> int | None:
    for prop in book.custom_doc_props:
        if prop.name == VERSION_PROPERTY:
            try:
                return int(prop.value)
            except (TypeError, ValueError):
                return None
    return None


_CUSTOM_PART = "docProps/custom.xml"
_CUSTOM_TYPE = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
_CUSTOM_REL = f"{REL_NS}/custom-properties"
_PROPS_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"


def _set_version(package: Package, version: int) -> None:
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


def _style_header(cell: Cell, help_text: str) -> None:
    cell.font = _STYLES["header"]["font"]
    cell.fill = _STYLES["header"]["fill"]
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    if help_text:
        comment = Comment(help_text, "sheets-sync")
        comment.width, comment.height = 260, 80
        cell.comment = comment


def _build_input_sheet(
    sheet: Worksheet, tab_layout: TabLayout, rows: list[list[object]], lang: Lang
) -> None:
    sheet.append(tab_layout.header_row())
    for c, column in enumerate(tab_layout.columns, start=1):
        _style_header(sheet.cell(row=1, column=c), column.help)
        sheet.column_dimensions[get_column_letter(c)].width = column.width * 1.15
    sheet.row_dimensions[1].height = 24
    sheet.freeze_panes = "A2"
    for line in rows:
        sheet.append(list(line))
    for r in range(2, len(rows) + 2):
        for c, column in enumerate(tab_layout.columns, start=1):
            cell = sheet.cell(row=r, column=c)
            if column.validation == "date" and isinstance(cell.value, date):
                cell.number_format = "yyyy/mm/dd"
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = _WRAP
    for c, column in enumerate(tab_layout.columns, start=1):
        validation = _data_validation(column.validation, column.labels, column.reference, lang)
        if validation is None:
            continue
        letter = get_column_letter(c)
        validation.promptTitle = column.header[:32]
        validation.prompt = column.help[:255]
        validation.showInputMessage = True
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)


def _data_validation(
    kind: str, labels: tuple[str, ...], reference: tuple[str, int] | None, lang: Lang
) -> DataValidation | None:
    warn = "この値でよいか確認してください" if lang == "ja" else "Please check this value"
    if kind == "list":
        validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"')
    elif kind == "reference" and reference is not None:
        tab = schema.TABS_BY_KEY[reference[0]]
        letter = get_column_letter(reference[1] + 1)
        formula = f"{quote_sheetname(tab.title(lang))}!${letter}$2:${letter}${TEMPLATE_ROWS}"
        validation = DataValidation(type="list", formula1=formula)
    elif kind == "date":
        validation = DataValidation(type="date", operator="greaterThan", formula1="36526")
    elif kind in ("number", "integer"):
        validation = DataValidation(
            type="decimal" if kind == "number" else "whole",
            operator="greaterThanOrEqual",
            formula1="-1000000000",
        )
    else:
        validation = DataValidation(type=None)
    # Warning style: staff may still type 令和8年… or 1,200円 — the sync reads those too.
    validation.errorStyle = "warning"
    validation.error = warn
    validation.showErrorMessage = kind in ("list", "reference")
    validation.allow_blank = True
    return validation
