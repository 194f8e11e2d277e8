"""Cell values: RAW / USER_ENTERED input, effective values and how each render option shows them.

A stored cell is a dict shaped like the API's ``CellData`` but holding only the writable parts
(``userEnteredValue``, ``userEnteredFormat``, ``note``, ``dataValidation``, ``hyperlink``,
``textFormatRuns``). Formulas are stored, never evaluated: a formula cell has no
``effectiveValue`` and no ``formattedValue``; FORMATTED_VALUE and UNFORMATTED_VALUE render it as
``""`` and FORMULA renders the formula text.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
from typing import Any

from . import colors
from .numfmt import datetime_to_serial, format_number

Cell = dict[str, Any]

WRITABLE_KEYS = (
    "userEnteredValue",
    "userEnteredFormat",
    "note",
    "dataValidation",
    "hyperlink",
    "textFormatRuns",
)
VALUE_KINDS = ("numberValue", "stringValue", "boolValue", "formulaValue", "errorValue")
DATE_TYPES = ("DATE", "TIME", "DATE_TIME")

_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")
_GROUPED = re.compile(r"^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$")
_PERCENT = re.compile(r"^([+-]?(?:\d+\.?\d*|\.\d+))\s?%$")
_CURRENCY = re.compile(r"^([+-]?)\$((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_SLASH_DATE_YMD = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_SLASH_DATE_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO_DATETIME = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?$")
_TIME = re.compile(r"^(\d{1,2}):(\d{2})(?::(\d{2}))?$")


def number(value: float) -> int | float:
    """A number as Google's JSON shows it: integral values without a fraction."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _decimals(text: str) -> int:
    """How many digits follow the decimal point in ``text``."""
    return len(text.split(".", 1)[1]) if "." in text else 0


def _date_value(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> int | float | None:
    """The serial number of a calendar moment, or None when it is not a real date."""
    try:
        moment = dt.datetime(year, month, day, hour, minute, second)
    except ValueError:
        return None
    return number(datetime_to_serial(moment))


def parse_user_entered(
    text: str, current_format: dict[str, Any] | None = None
) -> tuple[dict[str, Any], dict[str, Any] | None]:
    """Interpret ``text`` as if typed into the UI: (userEnteredValue, detected numberFormat).

    ``=…`` is a formula, ``'…`` a forced string, TRUE/FALSE booleans, plain and grouped numbers,
    ``12%``, ``$1,234.50``, ``2024-05-01``, ``2024/5/1``, ``5/1/2024``, ``2024-05-01 09:30`` and
    ``9:30`` become numbers (with the format Sheets would pick); a cell already formatted as
    plain text (numberFormat TEXT) keeps the string.
    """
    if text.startswith("="):
        return {"formulaValue": text}, None
    if text.startswith("'"):
        return {"stringValue": text[1:]}, None
    if current_format and current_format.get("type") == "TEXT":
        return {"stringValue": text}, None
    stripped = text.strip()
    if stripped.upper() in ("TRUE", "FALSE"):
        return {"boolValue": stripped.upper() == "TRUE"}, None
    if _NUMBER.match(stripped):
        return {"numberValue": number(float(stripped))}, None
    if _GROUPED.match(stripped):
        value = number(float(stripped.replace(",", "")))
        pattern = "#,##0.00" if _decimals(stripped) else "#,##0"
        return {"numberValue": value}, {"type": "NUMBER", "pattern": pattern}
    m = _PERCENT.match(stripped)
    if m:
        value = number(round(float(m.group(1)) / 100, 15))
        pattern = "0.00%" if _decimals(m.group(1)) else "0%"
        return {"numberValue": value}, {"type": "PERCENT", "pattern": pattern}
    m = _CURRENCY.match(stripped)
    if m:
        value = number(float(m.group(2).replace(",", "")) * (-1 if m.group(1) == "-" else 1))
        pattern = '"$"#,##0.00' if _decimals(m.group(2)) else '"$"#,##0'
        return {"numberValue": value}, {"type": "CURRENCY", "pattern": pattern}
    for regex, order, pattern in (
        (_ISO_DATE, (0, 1, 2), "yyyy-mm-dd"),
        (_SLASH_DATE_YMD, (0, 1, 2), "yyyy/mm/dd"),
        (_SLASH_DATE_MDY, (2, 0, 1), "M/d/yyyy"),
    ):
        m = regex.match(stripped)
        if m:
            parts = [int(g) for g in m.groups()]
            serial = _date_value(parts[order[0]], parts[order[1]], parts[order[2]])
            if serial is not None:
                return {"numberValue": serial}, {"type": "DATE", "pattern": pattern}
    m = _ISO_DATETIME.match(stripped)
    if m:
        y, mo, d, h, mi = (int(g) for g in m.groups()[:5])
        serial = _date_value(y, mo, d, h, mi, int(m.group(6) or 0))
        if serial is not None:
            pattern = "yyyy-mm-dd hh:mm:ss" if m.group(6) else "yyyy-mm-dd hh:mm"
            return {"numberValue": serial}, {"type": "DATE_TIME", "pattern": pattern}
    m = _TIME.match(stripped)
    if m and int(m.group(1)) < 24 and int(m.group(2)) < 60:
        seconds = int(m.group(1)) * 3600 + int(m.group(2)) * 60 + int(m.group(3) or 0)
        pattern = "h:mm:ss" if m.group(3) else "h:mm"
        return {"numberValue": number(seconds / 86400)}, {"type": "TIME", "pattern": pattern}
    return {"stringValue": text}, None


def input_value(
    value: Any, option: str, current_format: dict[str, Any] | None = None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Convert one JSON value from the values API into (userEnteredValue or None, numberFormat).

    ``""`` clears the value. Numbers and booleans keep their type under both options; strings
    stay strings under RAW and are parsed like typed text under USER_ENTERED.
    Raises ValueError for objects and lists.
    """
    if isinstance(value, bool):
        return {"boolValue": value}, None
    if isinstance(value, int | float):
        return {"numberValue": number(value)}, None
    if isinstance(value, str):
        if value == "":
            return None, None
        if option == "USER_ENTERED":
            return parse_user_entered(value, current_format)
        return {"stringValue": value}, None
    raise ValueError(f"unsupported cell value {value!r}")


def number_format(cell: Cell | None) -> dict[str, Any] | None:
    """The cell's user-entered number format, if any."""
    if not cell:
        return None
    fmt = cell.get("userEnteredFormat") or {}
    nf = fmt.get("numberFormat")
    return nf if isinstance(nf, dict) else None


def effective_value(cell: Cell | None) -> dict[str, Any] | None:
    """The computed value: a copy of the entered one, or None for empty and formula cells."""
    if not cell:
        return None
    entered = cell.get("userEnteredValue") or {}
    if not isinstance(entered, dict) or not entered or "formulaValue" in entered:
        return None
    return dict(entered)


def formatted_value(cell: Cell | None) -> str | None:
    """The text Sheets would display, or None when the cell shows nothing."""
    value = effective_value(cell)
    if value is None:
        return None
    if "stringValue" in value:
        return str(value["stringValue"])
    if "boolValue" in value:
        return "TRUE" if value["boolValue"] else "FALSE"
    if "numberValue" in value:
        return format_number(float(value["numberValue"]), number_format(cell))
    if "errorValue" in value:
        err = value["errorValue"]
        return str(err.get("type", "#ERROR!")) if isinstance(err, dict) else "#ERROR!"
    return None


def has_value(cell: Cell | None) -> bool:
    """True when the cell holds an entered value (formulas included)."""
    return cell is not None and bool(cell.get("userEnteredValue"))


def render(cell: Cell | None, value_render: str, datetime_render: str = "SERIAL_NUMBER") -> Any:
    """The cell as the values API returns it; None for a cell with no value."""
    if not has_value(cell):
        return None
    assert cell is not None
    entered = cell["userEnteredValue"]
    if "formulaValue" in entered:
        return entered["formulaValue"] if value_render == "FORMULA" else ""
    if value_render == "FORMATTED_VALUE":
        return formatted_value(cell) or ""
    value = effective_value(cell) or {}
    if "numberValue" in value:
        nf = number_format(cell)
        if datetime_render == "FORMATTED_STRING" and nf and nf.get("type") in DATE_TYPES:
            return formatted_value(cell)
        return number(value["numberValue"])
    if "boolValue" in value:
        return bool(value["boolValue"])
    if "stringValue" in value:
        return value["stringValue"]
    return formatted_value(cell) or ""


def deep_merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """``base`` updated recursively with ``override`` (neither is modified)."""
    out = copy.deepcopy(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def api_cell(
    cell: Cell | None,
    default_format: dict[str, Any],
    format_cache: dict[str, tuple[dict[str, Any], dict[str, Any]]] | None = None,
    wanted: set[str] | None = None,
) -> dict[str, Any]:
    """The ``CellData`` JSON of a stored cell (``{}`` for an empty one).

    ``format_cache`` (shared across the cells of one answer, while the cells stay alive)
    memoises the user/effective format pair per stored userEnteredFormat object; cached dicts
    are shared, so treat the result as read-only.
    """
    if not cell:
        return {}
    # `wanted`: the cell fields a request's field mask asks for (None = all). Skipping the
    # others only saves work: the answer is projected through the mask afterwards anyway.
    out: dict[str, Any] = {}
    entered = cell.get("userEnteredValue") or {}
    if entered and (wanted is None or "userEnteredValue" in wanted):
        out["userEnteredValue"] = dict(entered)
    elif wanted and "userEnteredValue.formulaValue" in wanted and "formulaValue" in entered:
        out["userEnteredValue"] = {"formulaValue": entered["formulaValue"]}
    effective = effective_value(cell)
    if effective is not None:
        out["effectiveValue"] = effective
        shown = formatted_value(cell) if wanted is None or "formattedValue" in wanted else None
        if shown is not None:
            out["formattedValue"] = shown
    raw_format = cell.get("userEnteredFormat") or {}
    formats_wanted = wanted is None or bool({"userEnteredFormat", "effectiveFormat"} & wanted)
    if (out or raw_format) and formats_wanted:
        # Keyed by content: seeded cells each hold an equal but separate format dict.
        cache_key = json.dumps(raw_format, sort_keys=True) if raw_format else ""
        cached = format_cache.get(cache_key) if format_cache is not None else None
        if cached is None:
            user_format = colors.normalize(raw_format)
            cached = (user_format, colors.normalize(deep_merge(default_format, user_format)))
            if format_cache is not None:
                format_cache[cache_key] = cached
        if raw_format:
            out["userEnteredFormat"] = cached[0]
        out["effectiveFormat"] = cached[1]
    for key in ("note", "dataValidation", "hyperlink", "textFormatRuns"):
        if key in cell:
            out[key] = copy.deepcopy(cell[key])
    return out


def clean(cell: Cell) -> Cell:
    """Drop read-only and empty parts so only writable, meaningful keys remain."""
    for key in list(cell):
        if key not in WRITABLE_KEYS or cell[key] in (None, {}, [], ""):
            del cell[key]
    return cell


def validate_entered(value: Any) -> str | None:
    """An error message when ``value`` is not a valid ExtendedValue, else None."""
    if value is None:
        return None
    if not isinstance(value, dict):
        return "userEnteredValue must be an object"
    kinds = [k for k in value if k in VALUE_KINDS]
    if len(kinds) != 1 or len(value) != 1:
        return f"userEnteredValue must have exactly one of {', '.join(VALUE_KINDS)}"
    kind = kinds[0]
    inner = value[kind]
    if kind == "numberValue" and (isinstance(inner, bool) or not isinstance(inner, int | float)):
        return f"Invalid value at 'numberValue' ({inner!r})"
    if kind == "boolValue" and not isinstance(inner, bool):
        return f"Invalid value at 'boolValue' ({inner!r})"
    if kind in ("stringValue", "formulaValue") and not isinstance(inner, str):
        return f"Invalid value at '{kind}' ({inner!r})"
    return None
