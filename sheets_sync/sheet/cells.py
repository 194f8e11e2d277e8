"""How an input column's cells are read: one parser per column, chosen once from its type."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from . import schema
from .parse import (
    Invalid,
    cell_text,
    parse_choice,
    parse_date,
    parse_integer,
    parse_number,
    parse_yes_no,
)
from .schema import Column, ColumnType
from .tabs import RawCell

CellParser = Callable[[RawCell], Any]


def cell_parser(column: Column) -> CellParser:
    """How a column's cells are read, by its type: chosen once per column, since telling the
    type apart cell by cell (eight enum lookups for a choice) cost more than reading the cell."""
    kind = column.type
    if kind is ColumnType.TEXT or kind is ColumnType.KPI_REF:
        return _parse_text
    if kind is ColumnType.NUMBER:
        return _parse_number
    if kind is ColumnType.INTEGER or kind is ColumnType.CYCLE_REF:
        return _parse_cycle if column.key == "cycle" else _parse_integer
    if kind is ColumnType.DATE:
        return _parse_date
    if kind is ColumnType.YES_NO:
        return _parse_yes_no
    assert column.choices is not None
    if column.choices == "auto":
        return _parse_auto
    table = _choice_table(column.choices)
    return lambda cell: parse_choice(cell.value, table)


def _parse_text(cell: RawCell) -> str:
    return cell_text(cell.value).strip()


def _parse_number(cell: RawCell) -> float | Invalid:
    return parse_number(cell.value, percent_format=cell.percent)


def _parse_integer(cell: RawCell) -> int | Invalid:
    return parse_integer(cell.value)


def _parse_cycle(cell: RawCell) -> int | Invalid:
    """A cycle number: a whole number from 1 up."""
    number = parse_integer(cell.value)
    if isinstance(number, int) and number < 1:
        return Invalid("not_a_number")
    return number


def _parse_date(cell: RawCell) -> date | Invalid:
    return parse_date(cell.value, date_format=cell.date_format)


def _parse_yes_no(cell: RawCell) -> bool | Invalid:
    return parse_yes_no(cell.value)


_CHOICE_TABLES: dict[str, dict[str, str]] = {}


def _choice_table(name: str) -> dict[str, str]:
    if name not in _CHOICE_TABLES:
        _CHOICE_TABLES[name] = schema.choice_lookup(name)
    return _CHOICE_TABLES[name]


_POLARITIES = {
    "positive": "positive",
    "プラス": "positive",
    "negative": "negative",
    "マイナス": "negative",
}


def _parse_auto(cell: RawCell) -> str | Invalid:
    """An auto KPI: a listed label, or `evidence:` followed by any spelling of a signal."""
    known = parse_choice(cell.value, _choice_table("auto"))
    if not isinstance(known, Invalid):
        return known
    text = schema.normalize_label(cell_text(cell.value))
    for prefix in ("evidence:", "証拠:"):
        if text.startswith(prefix):
            rest = text.removeprefix(prefix)
            polarity = _POLARITIES.get(rest)
            if polarity:
                return f"evidence:{polarity}"
            signal = _choice_table("signal").get(rest)
            if signal:
                return f"evidence:{signal}"
    return Invalid("unknown_choice")
