"""Number formats: render numbers as Sheets shows them (``0.00%``, ``#,##0``, ``yyyy-mm-dd``)."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

EPOCH = dt.datetime(1899, 12, 30)

# en_US defaults used when a numberFormat has a type but no pattern.
DEFAULT_PATTERNS = {
    "NUMBER": "#,##0.00",
    "PERCENT": "0.00%",
    "CURRENCY": '"$"#,##0.00',
    "DATE": "M/d/yyyy",
    "TIME": "h:mm:ss am/pm",
    "DATE_TIME": "M/d/yyyy H:mm:ss",
    "SCIENTIFIC": "0.00E+00",
    "TEXT": "@",
}

_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
_DATE_TOKEN = re.compile(
    r'"[^"]*"|\\.|am/pm|a/p|yyyy|yy|mmmm|mmm|mm|m|dddd|ddd|dd|d|hh|h|ss|s|\.0+|.',
    re.IGNORECASE,
)
_NUMERIC_SECTION = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]|_.|\*.|.')


def general(value: float) -> str:
    """Render a number with the automatic format: ``12``, ``0.12``, ``0.3333333333``."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if math.isfinite(value) and float(value).is_integer() and abs(value) < 1e15:
        return str(int(value))
    text = f"{value:.10f}".rstrip("0").rstrip(".")
    if abs(value) >= 1e15 or text in ("0", "-0"):
        return f"{value:.2E}".replace("E+0", "E+").replace("E-0", "E-")
    return text


def serial_to_datetime(serial: float) -> dt.datetime:
    """Convert a Sheets serial number (days since 1899-12-30) to a naive datetime."""
    return EPOCH + dt.timedelta(days=serial)


def datetime_to_serial(value: dt.datetime) -> float:
    """Convert a naive datetime to a Sheets serial number."""
    delta = value - EPOCH
    serial = delta.days + delta.seconds / 86400 + delta.microseconds / 86400e6
    return int(serial) if float(serial).is_integer() else serial


def format_number(value: float, number_format: dict[str, Any] | None) -> str:
    """Render ``value`` under ``number_format`` (``{"type": ..., "pattern": ...}``)."""
    if not number_format:
        return general(value)
    ftype = str(number_format.get("type") or "NUMBER")
    pattern = str(number_format.get("pattern") or DEFAULT_PATTERNS.get(ftype, ""))
    if ftype == "TEXT" or pattern in ("", "@", "General"):
        return general(value)
    if ftype in ("DATE", "TIME", "DATE_TIME") or _is_date_pattern(pattern):
        try:
            return format_datetime(value, pattern)
        except (OverflowError, ValueError):
            return general(value)
    return format_numeric(value, pattern)


def _is_date_pattern(pattern: str) -> bool:
    """True when the pattern has date/time tokens outside quoted text."""
    stripped = re.sub(r'"[^"]*"|\\.|\[[^\]]*\]', "", pattern)
    return bool(re.search(r"[yYdDhHsS]", stripped)) and not re.search(r"[0#?]", stripped)


def format_datetime(value: float, pattern: str) -> str:
    """Render a serial number with a date/time pattern (``yyyy-mm-dd``, ``M/d/yyyy H:mm``)."""
    moment = serial_to_datetime(value)
    tokens = _DATE_TOKEN.findall(pattern)
    twelve_hour = any(t.lower() in ("am/pm", "a/p") for t in tokens)
    time_kinds = [t.lower()[0] if t.lower()[:1] in "hsm" else "" for t in tokens]
    out: list[str] = []
    for i, token in enumerate(tokens):
        low = token.lower()
        if token.startswith('"'):
            out.append(token[1:-1])
        elif token.startswith("\\"):
            out.append(token[1:])
        elif low == "yyyy":
            out.append(f"{moment.year:04d}")
        elif low == "yy":
            out.append(f"{moment.year % 100:02d}")
        elif low in ("m", "mm"):
            prev = next((k for k in reversed(time_kinds[:i]) if k in "hs" and k), "")
            nxt = next((k for k in time_kinds[i + 1 :] if k in "hs" and k), "")
            minute = prev == "h" or nxt == "s"
            number = moment.minute if minute else moment.month
            out.append(f"{number:02d}" if low == "mm" else str(number))
        elif low == "mmm":
            out.append(_MONTHS[moment.month - 1][:3])
        elif low == "mmmm":
            out.append(_MONTHS[moment.month - 1])
        elif low == "d":
            out.append(str(moment.day))
        elif low == "dd":
            out.append(f"{moment.day:02d}")
        elif low == "ddd":
            out.append(_DAYS[moment.weekday()][:3])
        elif low == "dddd":
            out.append(_DAYS[moment.weekday()])
        elif low in ("h", "hh"):
            hour = moment.hour
            if twelve_hour:
                hour = hour % 12 or 12
            out.append(f"{hour:02d}" if low == "hh" else str(hour))
        elif low in ("s", "ss"):
            out.append(f"{moment.second:02d}" if low == "ss" else str(moment.second))
        elif low.startswith(".0"):
            digits = len(low) - 1
            frac = moment.microsecond / 1e6
            out.append("." + f"{frac:.{digits}f}"[2:])
        elif low == "am/pm":
            out.append("AM" if moment.hour < 12 else "PM")
        elif low == "a/p":
            out.append("a" if moment.hour < 12 else "p")
        else:
            out.append(token)
    return "".join(out)


def format_numeric(value: float, pattern: str) -> str:
    """Render a number with a numeric pattern (``0.00%``, ``#,##0``, ``"¥"#,##0``, ``0.0E+00``)."""
    sections = _split_sections(pattern)
    section = sections[0]
    negative_section = False
    if value < 0 and len(sections) > 1:
        section, value, negative_section = sections[1], -value, True
    elif value == 0 and len(sections) > 2:
        section = sections[2]
    tokens = _NUMERIC_SECTION.findall(section)
    placeholder_idx = [i for i, t in enumerate(tokens) if t in ("0", "#", "?")]
    if not placeholder_idx:
        return "".join(_literal(t) for t in tokens)
    first, last = placeholder_idx[0], placeholder_idx[-1]
    body = tokens[first : last + 1]
    prefix = "".join(_literal(t) for t in tokens[:first])
    suffix_tokens = tokens[last + 1 :]
    if "%" in tokens:
        value *= 100
    exp_at = next((i for i, t in enumerate(tokens) if t in ("E", "e")), None)
    if exp_at is not None:
        mantissa_tokens = tokens[first:exp_at]
        dot_at = mantissa_tokens.index(".") if "." in mantissa_tokens else len(mantissa_tokens)
        decimals = sum(1 for t in mantissa_tokens[dot_at:] if t in ("0", "#"))
        mantissa, exp = f"{abs(value):.{decimals}E}".split("E")
        sign = "-" if value < 0 and not negative_section else ""
        return f"{sign}{prefix}{mantissa}E{int(exp):+03d}"
    suffix = "".join(_literal(t) for t in suffix_tokens if t != ",")
    if "." in body:
        dot = body.index(".")
        int_part, frac_part = body[:dot], body[dot + 1 :]
    else:
        int_part, frac_part = body, []
    grouping = "," in int_part
    min_int = sum(1 for t in int_part if t == "0")
    min_frac = sum(1 for t in frac_part if t == "0")
    max_frac = sum(1 for t in frac_part if t in ("0", "#", "?"))
    quantum = Decimal(1).scaleb(-max_frac)
    rounded = Decimal(repr(abs(float(value)))).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{rounded:.{max_frac}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0") if max_frac > min_frac else frac
    if len(frac) < min_frac:
        frac = frac.ljust(min_frac, "0")
    whole = whole.lstrip("0")
    whole = whole.rjust(min_int, "0")
    if grouping and whole:
        whole = f"{int(whole):,}"
    number = whole + ("." + frac if frac else "")
    sign = "-" if value < 0 and not negative_section and rounded != 0 else ""
    return f"{sign}{prefix}{number}{suffix}"


def _split_sections(pattern: str) -> list[str]:
    """Split a pattern on ``;`` outside quotes."""
    sections: list[str] = []
    current = ""
    for token in _NUMERIC_SECTION.findall(pattern):
        if token == ";":
            sections.append(current)
            current = ""
        else:
            current += token
    sections.append(current)
    return sections


def _literal(token: str) -> str:
    """The text a non-placeholder pattern token prints."""
    if token.startswith('"'):
        return token[1:-1]
    if token.startswith("\\"):
        return token[1:]
    if token.startswith("["):
        inner = token[1:-1]
        if inner.startswith("$"):
            return inner[1:].split("-", 1)[0]
        return ""
    if token.startswith("_"):
        return " "
    if token.startswith("*"):
        return ""
    return token
