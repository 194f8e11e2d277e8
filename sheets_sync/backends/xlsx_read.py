"""Reading an .xlsx into RawTabs in one streaming pass over each sheet.

openpyxl (read-only mode) reads the package: the sheet list, the stylesheet (which styles are
dates or percents) and the shared strings, as plain text. Its worksheet parser builds a
rich-text object for every string (most of its time on a 20,000-row tab) and gives a formula or
its saved result, never both; `_SheetReader` streams the rows instead: plain text for strings,
and for a formula its saved result, or `uncomputed_formula` when the file holds none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from typing import IO, Any
from xml.etree import ElementTree
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.escape import unescape
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS

from ..sheet.tabs import BLANK, RawCell, RawTab
from .xlsx_facts import formula_texts

_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"
_V = f"{{{SHEET_MAIN_NS}}}v"
_F = f"{{{SHEET_MAIN_NS}}}f"
_IS = f"{{{SHEET_MAIN_NS}}}is"
_UNCOMPUTED = RawCell(None, uncomputed_formula=True)


def plain_text(element: Any) -> str:
    """The text of a string item (`<si>` or `<is>`): its runs joined, phonetic hints left out,
    and Excel's escapes read as Excel reads them (`_x000D_` a carriage return, `_x005F_x000D_`
    the text `_x000D_`), so no raw escape reaches the agenda."""
    direct = element.find(_T)
    if direct is not None:
        return _unescaped(str(direct.text or ""))
    return _unescaped("".join(str(run.findtext(_T) or "") for run in element.findall(_R)))


def _unescaped(text: str) -> str:
    return str(unescape(text)) if "_x" in text else text  # the test first: most text has none


def _read_shared_strings(src: IO[bytes]) -> list[str]:
    strings: list[str] = []
    for _, element in iterparse(src):
        if element.tag == _SI:
            strings.append(plain_text(element))
            element.clear()
    return strings


class _FastReader(ExcelReader):  # type: ignore[misc]
    """openpyxl's reader with a plain-text shared string table (no rich-text objects)."""

    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as src:
                self.shared_strings = _read_shared_strings(src)


_ROW_TAG = f"{{{SHEET_MAIN_NS}}}row"
_CELL_TAG = f"{{{SHEET_MAIN_NS}}}c"
_DIGITS = "0123456789"


class _SheetReader:
    """One worksheet part, streamed row by row; each cell becomes a RawCell directly.

    openpyxl's own worksheet parser spends most of a 20,000-row read building objects we do
    not need; this loop keeps its conventions (epoch, date and percent styles from openpyxl's
    stylesheet, shared strings) and does only what the sync reads."""

    def __init__(self, book: Any, shared_strings: list[str], percent_styles: set[int]) -> None:
        self.strings = shared_strings
        self.epoch = book.epoch
        self.date_styles: set[int] = set(book._date_formats)
        self.timedelta_styles: set[int] = set(book._timedelta_formats)
        self.percent_styles = percent_styles
        self._columns: dict[str, int] = {}
        self._string_cells: dict[int, RawCell] = {}  # RawCell is frozen: one per string
        self._inline_cells: dict[str, RawCell] = {}  # … and one per inline text (openpyxl
        # with lxml writes every string inline: a sheet of them costs what shared ones do)

    def _column(self, ref: str) -> int:
        letters = ref.rstrip(_DIGITS)
        column = self._columns.get(letters)
        if column is None:
            column = 0
            for letter in letters.upper():
                column = column * 26 + ord(letter) - 64
            self._columns[letters] = column
        return column

    def rows(self, xml: bytes) -> list[list[RawCell]]:
        rows: list[list[RawCell]] = []
        for batch in _row_batches(xml):
            for element in batch:
                if element.tag != _ROW_TAG:
                    continue
                number = element.get("r")
                index = int(number) - 1 if number else len(rows)
                if index > len(rows):
                    rows.extend([] for _ in range(index - len(rows)))
                line: list[RawCell] = []
                for cell in element.iter(_CELL_TAG):
                    ref = cell.get("r")
                    column = self._column(ref) if ref else len(line) + 1
                    if column > len(line) + 1:
                        line.extend([BLANK] * (column - 1 - len(line)))
                    if column == len(line) + 1:
                        line.append(self._raw(cell))
                if index == len(rows):
                    rows.append(line)
        return rows

    def _raw(self, element: Any) -> RawCell:
        kind = element.get("t", "n")
        if kind == "inlineStr":
            child = element.find(_IS)
            if child is None:
                return BLANK
            text = plain_text(child)
            cell = self._inline_cells.get(text)
            if cell is None:
                cell = self._inline_cells[text] = RawCell(text)
            return cell
        text = element.findtext(_V)
        if not text:
            return _UNCOMPUTED if element.find(_F) is not None else BLANK
        if kind == "s":
            index = int(text)
            cell = self._string_cells.get(index)
            if cell is None:
                cell = self._string_cells[index] = RawCell(self.strings[index])
            return cell
        if kind == "n":
            return self._number(text, int(element.get("s", 0) or 0))
        if kind == "b":
            return RawCell(text.strip() in ("1", "true"))
        if kind == "d":
            return RawCell(text, date_format=True)
        return RawCell(text)  # "str" (a formula's text result), "e" (an error such as #DIV/0!)

    def _number(self, text: str, style: int) -> RawCell:
        number: int | float
        try:
            number = int(text)
        except ValueError:
            try:
                number = float(text)
            except ValueError:
                return RawCell(text)
        if style in self.date_styles:
            try:
                moment = from_excel(number, self.epoch, timedelta=style in self.timedelta_styles)
            except (OverflowError, ValueError):
                return RawCell(number)
            return RawCell(moment, date_format=True)
        return RawCell(number, percent=style in self.percent_styles)


_BATCH = 1 << 19  # bytes of rows parsed at once: C-speed parsing, bounded memory
_ROOT = re.compile(rb"<((?:[\w.-]+:)?)worksheet\b[^>]*>")


def _row_batches(xml: bytes) -> Iterator[ElementTree.Element]:
    """The sheet's `<row>` elements, parsed a few hundred kilobytes at a time: each batch is
    cut after a `</row>` and wrapped in the sheet's own root tag (its namespace declarations)."""
    root = _ROOT.search(xml)
    if root is None:
        raise ValueError("not a worksheet part")
    prefix = root.group(1)
    start = re.compile(rb"<" + re.escape(prefix) + rb"sheetData\b[^>]*?(/?)>").search(
        xml, root.end()
    )
    if start is None or start.group(1):
        return
    close_data = b"</" + prefix + b"sheetData>"
    end = xml.find(close_data, start.end())
    if end < 0:
        raise ValueError("sheetData is not closed")
    close_row = b"</" + prefix + b"row>"
    opening, closing = root.group(0), b"</" + prefix + b"worksheet>"
    position = start.end()
    while position < end:
        cut = xml.find(close_row, min(position + _BATCH, end))
        cut = end if cut < 0 or cut >= end else cut + len(close_row)
        yield ElementTree.fromstring(opening + xml[position:cut] + closing)
        position = cut


def _percent_styles(wb: Any) -> set[int]:
    found: set[int] = set()
    custom = list(wb._number_formats)
    for index, style in enumerate(wb._cell_styles):
        number_id = style.numFmtId
        if number_id < BUILTIN_FORMATS_MAX_SIZE:
            code = BUILTIN_FORMATS.get(number_id, "General")
        else:
            position = number_id - BUILTIN_FORMATS_MAX_SIZE
            code = custom[position] if 0 <= position < len(custom) else "General"
        if "%" in code:
            found.add(index)
    return found


def _empty(cell: RawCell) -> bool:
    return cell.value is None and not cell.uncomputed_formula


def read_tabs(data: bytes) -> tuple[list[RawTab], dict[str, str], Any]:
    """Every worksheet's cells (row 0 = the sheet's row 1), each sheet's part name by title,
    and openpyxl's workbook object (for document properties)."""
    reader = _FastReader(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        reader.read()
        book = reader.wb
        sheet_reader = _SheetReader(book, reader.shared_strings, _percent_styles(book))
        tabs: list[RawTab] = []
        parts: dict[str, str] = {}
        for sheet in book.worksheets:
            xml = reader.archive.read(sheet._worksheet_path)
            if _ROOT.search(xml) is None:
                continue  # a dialog or macro sheet openpyxl lists as a worksheet (xlsx_facts)
            parts[sheet.title] = sheet._worksheet_path
            rows = sheet_reader.rows(xml)
            while rows and all(_empty(cell) for cell in rows[-1]):
                rows.pop()
            tabs.append(RawTab(sheet.title, rows, formulas=formula_texts(xml)))
        return tabs, parts, book
    finally:
        reader.archive.close()
