"""Pure functions that read a cell as staff typed it into a number, date, choice or yes/no.

Every parser returns either the value or an `Invalid` carrying a stable check code; none of
them raises for any cell value, so a badly typed cell becomes a check, never a crash.
Text is read after NFKC normalisation, so full-width digits, signs and brackets behave like
their ASCII twins.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Final, Literal, TypeAlias

from .schema import NO_SPELLINGS, YES_SPELLINGS, normalize_label

CellValue: TypeAlias = str | int | float | bool | date | datetime | None

InvalidCode = Literal["not_a_number", "not_a_date", "ambiguous_date", "unknown_choice"]


@dataclass(frozen=True)
class Invalid:
    """Why a cell could not be read; becomes a check, never an exception."""

    code: InvalidCode


NOT_A_NUMBER = Invalid("not_a_number")
NOT_A_DATE = Invalid("not_a_date")
AMBIGUOUS_DATE = Invalid("ambiguous_date")
UNKNOWN_CHOICE = Invalid("unknown_choice")

# Characters invisible in a cell that str.strip() keeps (zero-width spaces and joiners, BOM);
# they arrive with text pasted from the web and are dropped before reading.
_INVISIBLE_CHARS = "\u200b\u200c\u200d\u2060\ufeff"
_INVISIBLE = dict.fromkeys(map(ord, _INVISIBLE_CHARS))
# Every character str.strip() drops (str.isspace(); a test checks the list over all of Unicode).
_WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
    "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
_BLANK_CHARS = _WHITESPACE + _INVISIBLE_CHARS


def _clean(text: str) -> str:
    """Text as read: NFKC (full width → ASCII), invisible characters dropped, spaces trimmed."""
    return unicodedata.normalize("NFKC", text).translate(_INVISIBLE).strip()


def is_blank(value: CellValue) -> bool:
    """True for an empty cell: None, "" or only spaces (full-width and zero-width included)."""
    if value is None:
        return True
    if isinstance(value, str):
        # Same answer as `_clean(value) == ""` for every character (NFKC maps none of them to
        # nothing, and the spaces it folds are ones strip() drops already), without the NFKC
        # pass that costs most of a large sheet's blank test; one strip() over spaces and
        # invisible characters together spares the copy translate() makes of every cell.
        return not value.strip(_BLANK_CHARS)
    return False


def cell_text(value: CellValue) -> str:
    """How the cell looks as typed, for messages: dates in ISO form, 12.0 as "12", None as ""."""
    if type(value) is str:  # most cells: the text itself, as str(value) below would give
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        if value.time() == datetime.min.time():
            return value.date().isoformat()
        spec = "minutes" if value.second == 0 and value.microsecond == 0 else "seconds"
        return value.isoformat(sep=" ", timespec=spec)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return str(int(value))
    return str(value)


# --- numbers ---------------------------------------------------------------------------------

_SIGNS = "-+−‐▲△"  # hyphen-minus, plus, minus sign U+2212, hyphen U+2010, and the 会計 triangles
_NEGATIVE = frozenset("-−‐▲△")
_MULTIPLIERS = {"万": 10_000, "千": 1_000}
# The words a number may carry after it: a unit (or two joined by "/", 「3人/日」). Anything else
# after a number is refused rather than dropped, since a dropped word can change the number:
# 「3時間半」 is 3.5, "3 thousand" 3000, 「3じゃない」 not 3 at all. The list is closed on
# purpose: a unit it lacks is a not_a_number check (type the number alone), never a misread.
# Compared after NFKC and casefold; magnitudes the parser does not apply (億, k, M) are not here.
UNIT_WORDS: Final = frozenset(
    {
        # counts and times (the SPEC's 件 回 分 円 pt, and the counters staff use for a KPI)
        "件", "回", "回目", "分", "秒", "時間", "日", "日間", "週", "週間", "か月", "カ月",
        "ヵ月", "ヶ月", "ケ月", "か月間", "カ月間", "ヶ月間", "年", "年間", "人", "名", "組",
        "個", "本", "枚", "杯", "点", "冊", "通", "品", "品目", "席", "箱", "袋", "着", "食",
        "皿", "倍", "円", "ドル", "pt", "pts", "ポイント", "パーセント", "サイクル",
        "min", "mins", "minute", "minutes", "sec", "secs", "second", "seconds", "h", "hr",
        "hrs", "hour", "hours", "day", "days", "week", "weeks", "month", "months", "year",
        "years", "yen", "jpy", "point", "points", "percent", "people", "person", "persons",
        "customer", "customers", "visit", "visits", "time", "times", "item", "items", "case",
        "cases", "cup", "cups", "call", "calls", "order", "orders", "remark", "remarks",
        "cycle", "cycles",
    }
)  # fmt: skip
# Words that leave the number as typed, after it (and after its unit): an estimate (「3割くらい」
# is 30, as staff put it) or a bound (a target 「5件以上」 is 5). 「約」 may stand before it.
APPROXIMATE_WORDS: Final = ("くらい", "ぐらい", "程度", "ほど", "前後")
BOUND_WORDS: Final = ("以上", "以下")
_QUALIFIERS: Final = APPROXIMATE_WORDS + BOUND_WORDS
ABOUT: Final = "約"

_NUMBER = re.compile(
    rf"""
    (?:{ABOUT})?\s*
    (?P<sign1>[{_SIGNS}])?\s*
    (?P<currency>[¥$])?\s*
    (?P<sign2>[{_SIGNS}])?\s*
    (?P<digits>[0-9]{{1,3}}(?:,[0-9]{{3}})+(?:\.[0-9]+)?|[0-9]+(?:\.[0-9]+)?|\.[0-9]+)
    (?P<multiplier>[万千])?
    \s*
    (?P<percent>%|割(?:(?P<bu>[0-9])分(?:(?P<rin>[0-9])厘)?)?)?
    \s*
    (?P<words>[^\W\d_]+(?:[\s/][^\W\d_]+)*)?
    """,
    re.VERBOSE,
)


def _words_ok(words: str, *, percent: bool) -> bool:
    """What follows the number is a unit (none after % or 割), then maybe a qualifier."""
    rest = " ".join(words.casefold().split())
    for qualifier in _QUALIFIERS:
        if rest.endswith(qualifier):
            rest = rest.removesuffix(qualifier).rstrip()
            break
    if not rest:
        return True
    return not percent and all(part.strip() in UNIT_WORDS for part in rest.split("/"))


def _decimal_from_text(text: str) -> Decimal | None:
    """The exact number a text holds (signs, currency, commas, 万/千, %, 割, a unit), or None."""
    match = _NUMBER.fullmatch(_clean(text))
    if match is None:
        return None
    sign1, sign2, percent = match["sign1"], match["sign2"], match["percent"] or ""
    if sign1 and sign2:
        return None
    if not _words_ok(match["words"] or "", percent=bool(percent)):
        return None
    number = Decimal(match["digits"].replace(",", ""))
    if percent.startswith("割"):  # 「3割5分」 is 35 %: 割 tenths, 分 hundredths, 厘 thousandths
        if match["currency"] or match["multiplier"]:
            return None
        number = number * 10 + Decimal(match["bu"] or 0) + Decimal(match["rin"] or 0) / 10
    if match["multiplier"]:
        number *= _MULTIPLIERS[match["multiplier"]]
    if (sign1 or sign2) in _NEGATIVE:
        number = -number
    return number


# Larger than any count, price or sales figure a small shop types (a thousand 兆): a value past
# it (1.7e308, say) is a slip, and read as a number it would break every sum and picture.
MAX_MAGNITUDE = 1e15


def _finite_float(number: Decimal) -> float | Invalid:
    result = float(number)
    if not math.isfinite(result) or abs(result) > MAX_MAGNITUDE:
        return NOT_A_NUMBER
    return result + 0.0  # turns -0.0 into 0.0


def parse_number(value: CellValue, *, percent_format: bool = False) -> float | Invalid:
    """A number from a numeric cell or from text such as "１２３", "¥1,200", "▲3", "12%", "1.2万".

    percent_format=True says a numeric cell is displayed as a percent: 0.12 reads as 12, as
    staff see it. Text is read as displayed, so "12%" is 12 with or without the flag.
    """
    if isinstance(value, bool) or value is None or isinstance(value, date):
        return NOT_A_NUMBER
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return NOT_A_NUMBER
        # repr() is the shortest text of a float, so 0.07 scales to exactly 7.0, not 7.000…01.
        number = Decimal(value) if isinstance(value, int) else Decimal(repr(value))
        if percent_format:
            number = number.scaleb(2)
        return _finite_float(number)
    parsed = _decimal_from_text(value)
    if parsed is None:
        return NOT_A_NUMBER
    return _finite_float(parsed)


def parse_integer(value: CellValue) -> int | Invalid:
    """A whole number in any spelling parse_number accepts: "3", "３", "3件", 3.0.

    "3.5", "第3" and text that is not a number are not_a_number.
    """
    if isinstance(value, bool) or value is None or isinstance(value, date):
        return NOT_A_NUMBER
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        return NOT_A_NUMBER
    parsed = _decimal_from_text(value)
    if parsed is None or parsed != parsed.to_integral_value():
        return NOT_A_NUMBER
    return int(parsed)


# --- dates -----------------------------------------------------------------------------------

_SERIAL_EPOCH = date(1899, 12, 30)  # day 0 of Excel and Google Sheets (past the 1900 leap bug)
# A bare number this size is taken for a date even without a date format: 1950-01-01..2100-01-01.
_SERIAL_RANGE = (18264, 73051)
# Serial days accepted at all, date format or not: the years 1950-2100.
_SERIAL_DAYS = (
    (date(1950, 1, 1) - _SERIAL_EPOCH).days,
    (date(2100, 12, 31) - _SERIAL_EPOCH).days,
)


@dataclass(frozen=True)
class _Era:
    offset: int  # Gregorian year = era year + offset
    first: date
    last: date | None


_ERAS = {
    "令和": _Era(2018, date(2019, 5, 1), None),
    "平成": _Era(1988, date(1989, 1, 8), date(2019, 4, 30)),
    "昭和": _Era(1925, date(1926, 12, 25), date(1989, 1, 7)),
}
_ERA_LETTERS = {"r": "令和", "h": "平成", "s": "昭和"}

# What may follow a date: a weekday or holiday mark in brackets, "(月)" "(月・祝)", then a time.
_SUFFIX = r"""
    (?:\s*\([^()0-9]{1,12}\))?
    (?:
        (?:\s+|t)
        (?P<hour>[0-9]{1,2}):(?P<minute>[0-9]{2})(?::(?P<second>[0-9]{2})(?:\.[0-9]+)?)?
        (?:\s*(?:z|[+-][0-9]{2}:?[0-9]{2}))?
    )?
"""
_MD_SEPARATED = r"(?P<month>[0-9]{1,2})\s*(?P=sep)\s*(?P<day>[0-9]{1,2})"
_MD_KANJI = r"\s*年\s*(?P<month>[0-9]{1,2})\s*月\s*(?P<day>[0-9]{1,2})\s*日?"
_ERA_PREFIX = r"(?P<era>令和|平成|昭和|r|h|s)\s*\.?\s*(?P<era_year>[0-9]{1,2}|元)"


def _date_form(body: str) -> re.Pattern[str]:
    return re.compile(body + _SUFFIX, re.VERBOSE)


_DATED_FORMS = (
    _date_form(r"(?P<year>[0-9]{4})\s*(?P<sep>[-/.])\s*" + _MD_SEPARATED),
    _date_form(r"(?P<year>[0-9]{4})" + _MD_KANJI),
    _date_form(_ERA_PREFIX + _MD_KANJI),
    _date_form(_ERA_PREFIX + r"\s*(?P<sep>[-/.])\s*" + _MD_SEPARATED),
)
_YEARLESS_FORMS = (
    _date_form(r"(?P<month>[0-9]{1,2})\s*[-/.]\s*(?P<day>[0-9]{1,2})"),
    _date_form(r"(?P<month>[0-9]{1,2})\s*月\s*(?P<day>[0-9]{1,2})\s*日?"),
)


def _time_ok(match: re.Match[str]) -> bool:
    if match["hour"] is None:
        return True
    second = int(match["second"] or 0)
    return int(match["hour"]) < 24 and int(match["minute"]) < 60 and second < 60


def _era(match: re.Match[str]) -> _Era | None:
    """The era a matched date is written in, or None for a Gregorian year."""
    if "era" not in match.re.groupindex:
        return None
    return _ERAS[_ERA_LETTERS.get(match["era"], match["era"])]


def _gregorian_year(match: re.Match[str]) -> int | None:
    era = _era(match)
    if era is None:
        return int(match["year"])
    era_year = 1 if match["era_year"] == "元" else int(match["era_year"])
    return era_year + era.offset if era_year >= 1 else None


def _in_era(match: re.Match[str], day: date) -> bool:
    """An era date must fall inside its era: 令和0年, 令和元年4月 and 平成32年 do not exist."""
    era = _era(match)
    if era is None:
        return True
    return era.first <= day and (era.last is None or day <= era.last)


def _date_from_text(text: str) -> date | Invalid:
    folded = _clean(text).casefold()
    for form in _DATED_FORMS:
        match = form.fullmatch(folded)
        if match is None:
            continue
        year = _gregorian_year(match)
        if year is None or not _time_ok(match):
            return NOT_A_DATE
        try:
            day = date(year, int(match["month"]), int(match["day"]))
        except ValueError:
            return NOT_A_DATE
        return day if _in_era(match, day) else NOT_A_DATE
    for form in _YEARLESS_FORMS:
        match = form.fullmatch(folded)
        if match is None or not _time_ok(match):
            continue
        try:
            date(2000, int(match["month"]), int(match["day"]))  # a leap year: 2/29 exists
        except ValueError:
            return NOT_A_DATE
        return AMBIGUOUS_DATE
    return NOT_A_DATE


def month_and_day(value: CellValue) -> tuple[int, int] | None:
    """The month and day of a date typed without its year ("12/1", "12月1日"), or None for
    anything else: what an ambiguous_date check suggests and which cycle the row may be of."""
    if not isinstance(value, str):
        return None
    folded = _clean(value).casefold()
    for form in _YEARLESS_FORMS:
        match = form.fullmatch(folded)
        if match is not None and _time_ok(match):
            month, day = int(match["month"]), int(match["day"])
            try:
                date(2000, month, day)  # a leap year: 2/29 exists
            except ValueError:
                return None
            return month, day
    return None


def nearest_date(month: int, day: int, today: date) -> date:
    """The date with this month and day nearest to `today` (2/29 in the nearest leap year): a
    suggestion for a yearless date, never a value the sync reads."""
    candidates = []
    for year in range(today.year - 4, today.year + 5):
        try:
            candidates.append(date(year, month, day))
        except ValueError:  # 2/29 in a common year
            continue
    return min(candidates, key=lambda candidate: (abs((candidate - today).days), candidate))


def _date_from_serial(serial: float, *, date_format: bool) -> date | Invalid:
    if not math.isfinite(serial):
        return NOT_A_DATE
    low, high = _SERIAL_RANGE
    if not date_format and not low <= serial < high + 1:
        return NOT_A_DATE
    days = math.floor(serial)  # the fraction is the time of day
    first, last = _SERIAL_DAYS
    if not first <= days <= last:
        return NOT_A_DATE
    return _SERIAL_EPOCH + timedelta(days=days)


def parse_date(value: CellValue, *, date_format: bool = False) -> date | Invalid:
    """A date from a date cell, a spreadsheet serial number or text such as "2026/11/23",
    "2026年11月23日（月）", "令和8年11月23日" or "R8.11.23".

    A serial number (days since 1899-12-30, the fraction being the time of day) is read when
    the cell is date-formatted or the number lies in 18264..73051 (1950-01-01..2100-01-01);
    either way only years 1950–2100. A month and day without a year is ambiguous_date, never
    a guess; two-digit years, impossible dates and free text are not_a_date.
    """
    if isinstance(value, bool) or value is None:
        return NOT_A_DATE
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float):
        return _date_from_serial(value, date_format=date_format)
    return _date_from_text(value)


# --- yes/no and choices ----------------------------------------------------------------------

# Spellings staff type that the schema's lists leave out: 〇 (ideographic zero, what IMEs offer
# for まる), ✕ and ✖ (the other crosses).
_EXTRA_YES = ("〇",)
_EXTRA_NO = ("✕", "✖")
_YES_NO: dict[str, bool] = {
    **{normalize_label(spelling): False for spelling in (*NO_SPELLINGS, *_EXTRA_NO)},
    **{normalize_label(spelling): True for spelling in (*YES_SPELLINGS, *_EXTRA_YES)},
}


def parse_yes_no(value: CellValue) -> bool | Invalid:
    """True or False from a checkbox, TRUE/FALSE, はい/いいえ, yes/no, y/n, 1/0, ○/×, ✓.

    Anything else, including a blank cell, is unknown_choice: callers that treat a blank as a
    default check is_blank() first.
    """
    if isinstance(value, bool):
        return value
    if value is None or isinstance(value, date):
        return UNKNOWN_CHOICE
    if isinstance(value, int | float):
        if value == 1:
            return True
        if value == 0:
            return False
        return UNKNOWN_CHOICE
    return _YES_NO.get(_label(value), UNKNOWN_CHOICE)


def parse_choice(value: CellValue, lookup: Mapping[str, str]) -> str | Invalid:
    """The key of a choice from any accepted spelling (lookup is schema.choice_lookup(name)).

    Spellings are matched after normalize_label (NFKC, case, spaces, bracketed notes), so
    "ＵＰ", "Up" and "上がる" all read as "up"; anything else is unknown_choice.
    """
    key = lookup.get(_label(cell_text(value)))
    return UNKNOWN_CHOICE if key is None else key


@lru_cache(maxsize=4096)
def _label(text: str) -> str:
    """A choice cell's text as looked up: read (`_clean`), then folded like a label. Cached: a
    choice column repeats a handful of spellings down a whole sheet, and each fold is two NFKC
    passes and two regex substitutions."""
    return normalize_label(_clean(text))
