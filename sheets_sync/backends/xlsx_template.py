"""A new workbook from the template: openpyxl builds the input tabs (headers with comments,
drop-downs, widths, frozen rows), the package writer the marked generated tabs."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from pathlib import Path

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import IntProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import ConfigError
from ..sheet import schema
from ..sheet.schema import Lang
from ..sheet.tabs import GeneratedTab, OutCell
from ..sheet.template import TEMPLATE_ROWS, TabLayout, layout
from ..words.core import say
from .xlsx_files import check_suffix, replace_safely
from .xlsx_package import Package
from .xlsx_sheet import FONT_NAME, StyleBook, generated_sheet_xml

VERSION_PROPERTY = "sheets_sync_template_version"
_HEADER_FONT = Font(name=FONT_NAME, bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
_WRAP = Alignment(wrap_text=True, vertical="top")


def placeholder_tab(key: str, title: str, lang: Lang) -> GeneratedTab:
    """A generated tab before its first sync: one line saying the sync writes it."""
    return GeneratedTab(key, title, [[OutCell(say("tab.placeholder", lang), "muted")]])


def create_workbook(path: Path, lang: Lang, rows: dict[str, list[list[object]]]) -> None:
    """Write a new workbook from the template, with `rows` (per tab key) below the headers."""
    check_suffix(path)
    if path.suffix.lower() != ".xlsx":
        raise ConfigError("new_workbook_not_xlsx", path=path)
    book = OpenpyxlWorkbook()
    book.remove(book.active)
    generated: list[GeneratedTab] = []
    for tab_layout in layout(lang):
        sheet = book.create_sheet(tab_layout.title)
        if tab_layout.generated:
            generated.append(placeholder_tab(tab_layout.key, tab_layout.title, lang))
            continue
        _build_input_sheet(sheet, tab_layout, rows.get(tab_layout.key, []), lang)
    book.custom_doc_props.append(IntProperty(name=VERSION_PROPERTY, value=schema.TEMPLATE_VERSION))
    buffer = BytesIO()
    book.save(buffer)
    package = Package.open(buffer.getvalue())
    styles_part = package.styles_part()
    styles = StyleBook(package.read(styles_part))
    for tab in generated:
        made = package.sheet_titled(tab.title)
        assert made is not None  # created just above
        package.replace_sheet(made, generated_sheet_xml(tab, styles))
    changed_styles = styles.changed()
    if changed_styles is not None:
        package.put(styles_part, changed_styles)
    replace_safely(path, package.save, None, None)


def _style_header(cell: Cell, help_text: str) -> None:
    cell.font = _HEADER_FONT
    cell.fill = _HEADER_FILL
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
        validation = data_validation(column.validation, column.labels, column.reference, lang)
        if validation is None:
            continue
        letter = get_column_letter(c)
        validation.promptTitle = column.header[:32]
        validation.prompt = column.help[:255]
        validation.showInputMessage = True
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)


def data_validation(
    kind: str, labels: tuple[str, ...], reference: tuple[str, int] | None, lang: Lang
) -> DataValidation | None:
    warn = say("tab.check_value", lang)
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
