"""The template's layout, from the schema: what each backend builds when it creates a workbook."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import schema
from .schema import Column, ColumnType, Lang, Tab

ValidationKind = Literal["list", "reference", "date", "number", "integer", "none"]
TEMPLATE_ROWS = 500  # rows that get drop-downs and validation in a new workbook


@dataclass(frozen=True)
class ColumnLayout:
    """How one input column looks and is validated in a new workbook."""

    key: str
    header: str
    help: str
    width: int
    validation: ValidationKind
    labels: tuple[str, ...] = ()  # for "list"
    reference: tuple[str, int] | None = None  # for "reference": (tab key, column index)
    required: bool = False


@dataclass(frozen=True)
class TabLayout:
    """One tab of a new workbook."""

    key: str
    title: str
    generated: bool
    columns: tuple[ColumnLayout, ...]

    def header_row(self) -> list[str]:
        return [column.header for column in self.columns]


_REFERENCES = {ColumnType.KPI_REF: ("kpis", "id"), ColumnType.CYCLE_REF: ("cycles", "cycle")}


def _validation(column: Column) -> ValidationKind:
    if column.type in (ColumnType.CHOICE, ColumnType.YES_NO):
        return "list"
    if column.type in _REFERENCES:
        return "reference"
    if column.type is ColumnType.DATE:
        return "date"
    if column.type is ColumnType.NUMBER:
        return "number"
    if column.type is ColumnType.INTEGER:
        return "integer"
    return "none"


def _column_layout(column: Column, lang: Lang) -> ColumnLayout:
    reference = None
    if column.type in _REFERENCES:
        tab_key, column_key = _REFERENCES[column.type]
        tab = schema.TABS_BY_KEY[tab_key]
        reference = (tab_key, [c.key for c in tab.columns].index(column_key))
    required = "(必須)" if lang == "ja" else " (required)"
    return ColumnLayout(
        key=column.key,
        header=column.header(lang),
        help=column.help(lang) + (required if column.required else ""),
        width=column.width,
        validation=_validation(column),
        labels=schema.dropdown_labels(column, lang),
        reference=reference,
        required=column.required,
    )


def layout(lang: Lang) -> list[TabLayout]:
    """Every tab of a new workbook in order: Summary first, then the input tabs, Checks, Log."""

    def tab_layout(tab: Tab) -> TabLayout:
        columns = tuple(_column_layout(column, lang) for column in tab.columns)
        return TabLayout(tab.key, tab.title(lang), tab.generated, columns)

    order = (schema.SUMMARY, *schema.INPUT_TABS, schema.CHECKS, schema.LOG)
    return [tab_layout(tab) for tab in order]


def row_cells(tab: Tab, row: dict[str, object]) -> list[object]:
    """A sample row (column key → value) in the tab's column order."""
    return [row.get(column.key) for column in tab.columns]
