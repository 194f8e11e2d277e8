"""Reading an .xlsx into RawTabs with openpyxl's streaming (read-only) parser, in one pass.

openpyxl's own read-only mode builds a rich-text object for every string (most of its time on
a 20,000-row tab) and, for formulas, either the formula or the saved result but never both.
`_CellParser` keeps openpyxl's parser and replaces only its per-cell step: plain text for
strings, and for a formula its saved result, or `uncomputed_formula` when the file holds none.
"""

from __future__ import annotations

from collections.abc import Iterator
from io import BytesIO
from typing import IO, Any
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet._reader import WorkSheetParser
from openpyxl.xml.constants import SHEET_MAIN_NS

from ..tabs import BLANK, RawCell, RawTab

_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"
_V = f"{{{SHEET_MAIN_NS}}}v"
_F = f"{{{SHEET_MAIN_NS}}}f"
_IS = f"{{{SHEET_MAIN_NS}}}is"
_UNCOMPUTED = RawCell(None, uncomputed_formula=True)


def plain_text(element: Any) -> str:
    """The text of a string item (`<si>` or `<is>`): its runs joined, phonetic hints left out."""
    direct = element.find(_T)
    if direct is not None:
        return str(direct.text or "")
    return "".join(str(run.findtext(_T) or "") for run in element.findall(_R))


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
        from openpyxl.xml.constants import SHARED_STRINGS

        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as src:
                self.shared_strings = _read_shared_strings(src)


class _CellParser(WorkSheetParser):  # type: ignore[misc]
    """openpyxl's worksheet parser; each cell becomes a RawCell directly."""

    def __init__(self, src: IO[bytes], book: Any, percent_styles: set[int]) -> None:
        super().__init__(
            src,
            book.shared_strings,
            data_only=True,
            epoch=book.wb.epoch,
            date_formats=book.wb._date_formats,
            timedelta_formats=book.wb._timedelta_formats,
        )
        self.percent_styles = percent_styles

    def parse_cell(self, element: Any) -> dict[str, Any]:
        kind = element.get("t", "n")
        coordinate = element.get("r")
        style = int(element.get("s", 0) or 0)
        if coordinate:
            row, column = coordinate_to_tuple(coordinate)
            self.col_counter = column
        else:
            self.col_counter += 1
            row, column = self.row_counter, self.col_counter
        return {"row": row, "column": column, "value": self._raw(element, kind, style)}

    def _raw(self, element: Any, kind: str, style: int) -> RawCell:
        if kind == "inlineStr":
            child = element.find(_IS)
            return RawCell(plain_text(child)) if child is not None else BLANK
        text = element.findtext(_V)
        if text is None or text == "":
            return _UNCOMPUTED if element.find(_F) is not None else BLANK
        if kind == "n":
            try:
                number: int | float = float(text) if any(c in text for c in ".eE") else int(text)
            except ValueError:
                return RawCell(text)
            if style in self.date_formats:
                try:
                    value = from_excel(
                        number, self.epoch, timedelta=style in self.timedelta_formats
                    )
                except (OverflowError, ValueError):
                    return RawCell(number)
                return RawCell(value, date_format=True)
            return RawCell(number, percent=style in self.percent_styles)
        if kind == "s":
            return RawCell(self.shared_strings[int(text)])
        if kind == "b":
            return RawCell(text.strip() in ("1", "true"))
        return RawCell(text)  # "str" (a formula's text result), "e" (an error such as #DIV/0!)


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


def _rows(parser: _CellParser) -> Iterator[tuple[int, list[RawCell]]]:
    for number, cells in parser.parse():
        line: list[RawCell] = []
        for cell in cells:
            column = cell["column"]
            if column > len(line) + 1:
                line.extend([BLANK] * (column - 1 - len(line)))
            if column == len(line) + 1:
                line.append(cell["value"])
        yield number, line


def read_tabs(data: bytes) -> tuple[list[RawTab], dict[str, str], Any]:
    """Every worksheet's cells (row 0 = the sheet's row 1), each sheet's part name by title,
    and openpyxl's workbook object (for document properties)."""
    reader = _FastReader(BytesIO(data), read_only=True, data_only=True, keep_links=False)
    try:
        reader.read()
        book = reader.wb
        percent = _percent_styles(book)
        tabs: list[RawTab] = []
        parts: dict[str, str] = {}
        for sheet in book.worksheets:
            parts[sheet.title] = sheet._worksheet_path
            rows: list[list[RawCell]] = []
            with reader.archive.open(sheet._worksheet_path) as src:
                for number, line in _rows(_CellParser(src, reader, percent)):
                    if number > len(rows) + 1:
                        rows.extend([] for _ in range(number - 1 - len(rows)))
                    rows.append(line)
            while rows and all(_empty(cell) for cell in rows[-1]):
                rows.pop()
            tabs.append(RawTab(sheet.title, rows))
        return tabs, parts, book
    finally:
        reader.archive.close()
