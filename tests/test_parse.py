"""What sheets_sync.sheet.parse reads from a cell: every spelling staff type, as tables and
properties."""

from __future__ import annotations

import math
import re
import sys
import unicodedata
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from sheets_sync.sheet import schema
from sheets_sync.sheet.parse import (
    _WHITESPACE,
    APPROXIMATE_WORDS,
    BOUND_WORDS,
    MAX_MAGNITUDE,
    UNIT_WORDS,
    CellValue,
    Invalid,
    cell_text,
    is_blank,
    parse_choice,
    parse_date,
    parse_integer,
    parse_number,
    parse_yes_no,
)

NOT_A_NUMBER = Invalid("not_a_number")
NOT_A_DATE = Invalid("not_a_date")
AMBIGUOUS = Invalid("ambiguous_date")
UNKNOWN = Invalid("unknown_choice")

# ASCII → full width (U+FF01..U+FF5E), the way a Japanese IME types digits and signs.
FULL_WIDTH = str.maketrans({chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)})
SERIAL_EPOCH = date(1899, 12, 30)
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))  # dropped when read


def full_width(text: str) -> str:
    return text.translate(FULL_WIDTH)


# --- blank and cell text ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "blank"),
    [
        (None, True),
        ("", True),
        ("   ", True),
        ("\u3000", True),  # full-width space
        (" \t\n\u3000 ", True),
        ("\u200b", True),  # zero-width space: invisible in the cell
        ("\u200b\u3000\ufeff\u3000\u200b", True),
        ("0", False),
        ("-", False),
        (0, False),
        (0.0, False),
        (False, False),
        (date(2026, 11, 23), False),
    ],
)
def test_blank_cells_are_none_empty_or_only_spaces(value: CellValue, blank: bool) -> None:
    """A cell is blank when it is empty or holds only (full-width or invisible) spaces."""
    assert is_blank(value) is blank


@given(
    st.text(
        alphabet=st.sampled_from(" \t\n\u3000\u00a0\u2003\u200b\ufeff\u2060ａ0-ー\u0308")
        | st.characters(),
        max_size=8,
    )
)
def test_blank_means_nothing_left_once_the_text_is_read(text: str) -> None:
    """Blank is exactly "the cell read as text (NFKC, invisible characters dropped, trimmed)
    is empty", for any text: the fast test never disagrees with the reading."""
    read = unicodedata.normalize("NFKC", text).translate(
        dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff"))
    )
    assert is_blank(text) is (read.strip() == "")


def test_the_blank_test_strips_exactly_what_strip_strips() -> None:
    """is_blank's list of spaces is every character str.strip() drops, over all of Unicode."""
    spaces = "".join(ch for ch in map(chr, range(sys.maxunicode + 1)) if not ch.strip())
    assert spaces == _WHITESPACE


@given(st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text(), st.dates()))
def test_cell_text_of_text_is_the_text_itself(value: CellValue) -> None:
    """cell_text's shortcut for text gives what str() gives: the same characters."""
    if isinstance(value, str):
        assert cell_text(value) == str(value)
    assert isinstance(cell_text(value), str)


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        (" 12件 ", " 12件 "),
        (12, "12"),
        (12.0, "12"),
        (12.5, "12.5"),
        (-3.0, "-3"),
        (True, "TRUE"),
        (False, "FALSE"),
        (date(2026, 11, 23), "2026-11-23"),
        (datetime(2026, 11, 23), "2026-11-23"),
        (datetime(2026, 11, 23, 9, 30), "2026-11-23 09:30"),
        (datetime(2026, 11, 23, 9, 30, 15), "2026-11-23 09:30:15"),
    ],
)
def test_cell_text_shows_the_cell_as_staff_see_it(value: CellValue, text: str) -> None:
    """Messages quote a cell as it looks: text as typed, whole floats without .0, ISO dates."""
    assert cell_text(value) == text


# --- numbers: tables ---------------------------------------------------------------------------

NUMBERS: list[tuple[CellValue, float]] = [
    # cells that already hold numbers
    (12, 12.0),
    (12.5, 12.5),
    (-3, -3.0),
    (0, 0.0),
    # plain text
    ("12", 12.0),
    ("1.5", 1.5),
    (".5", 0.5),
    ("0", 0.0),
    ("  12  ", 12.0),
    ("\u300012\u3000", 12.0),
    ("12\u200b", 12.0),  # a zero-width space pasted from the web
    # full width
    ("１２３", 123.0),
    ("１．５", 1.5),
    ("－３", -3.0),
    ("＋３", 3.0),
    ("１，２３４", 1234.0),
    # thousands commas
    ("1,234", 1234.0),
    ("12,345,678", 12345678.0),
    ("1,234.5", 1234.5),
    # money
    ("¥1,200", 1200.0),
    ("￥1,200", 1200.0),
    ("$12", 12.0),
    ("1,200円", 1200.0),
    ("1,200 円", 1200.0),
    ("¥1,200円", 1200.0),
    # units after the number
    ("3件", 3.0),
    ("5回", 5.0),
    ("12分", 12.0),
    ("12pt", 12.0),
    ("3 人", 3.0),
    ("12 min", 12.0),
    ("8時間", 8.0),
    ("3人/日", 3.0),
    # percent text reads as displayed
    ("12%", 12.0),
    ("１２％", 12.0),
    ("12 %", 12.0),
    ("0.5%", 0.5),
    # negatives and plus
    ("-3", -3.0),
    ("−3", -3.0),  # U+2212 minus sign
    ("‐3", -3.0),  # U+2010 hyphen
    ("▲3", -3.0),
    ("△3", -3.0),
    ("▲ 1,200", -1200.0),
    ("▲¥1,200", -1200.0),
    ("¥▲1,200", -1200.0),
    ("-12%", -12.0),
    ("+3", 3.0),
    ("-0", 0.0),
    # Japanese multipliers directly after the number
    ("1.2万", 12000.0),
    ("3千", 3000.0),
    ("１．２万", 12000.0),
    ("1.2万円", 12000.0),
    ("▲3千円", -3000.0),
    # 割 is tenths of the whole, a share as a percent: 分 and 厘 after it are its smaller parts
    ("3割", 30.0),
    ("３割", 30.0),
    ("3割5分", 35.0),
    ("3割5分2厘", 35.2),
    ("0.5割", 5.0),
    ("10割", 100.0),
    ("▲1割", -10.0),
    # an estimate or a bound says the number as typed (documented: parse.APPROXIMATE_WORDS …)
    ("3割くらい", 30.0),
    ("約3割", 30.0),
    ("3くらい", 3.0),
    ("15分ぐらい", 15.0),
    ("30%程度", 30.0),
    ("5件ほど", 5.0),
    ("約12", 12.0),
    ("約 1,200円", 1200.0),
    ("12 前後", 12.0),
    ("5件以上", 5.0),
    ("10分以下", 10.0),
    ("12 min くらい", 12.0),
]


@pytest.mark.parametrize(("value", "expected"), NUMBERS)
def test_numbers_as_staff_type_them(value: CellValue, expected: float) -> None:
    """Every spelling of a number from the spec reads as that number."""
    assert parse_number(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0.12, 12.0),
        (0.07, 7.0),  # 0.07 * 100 is 7.000000000000001 in floats: the noise is rounded away
        (0.125, 12.5),
        (1, 100.0),
        (0, 0.0),
        (-0.035, -3.5),
        (0.1234, 12.34),
        ("12%", 12.0),  # text is read as displayed, flag or not
        ("12", 12.0),
    ],
)
def test_percent_formatted_cells_read_as_displayed(value: CellValue, expected: float) -> None:
    """A percent-formatted numeric cell holding 0.12 shows 12%, so it reads as 12, exactly."""
    assert parse_number(value, percent_format=True) == expected


BAD_NUMBERS: list[CellValue] = [
    None,
    "",
    "   ",
    True,
    False,
    "たくさん",
    "1-2",
    "12/5",
    "3..4",
    "1.2.3",
    "1,23",  # commas must group by three
    "1,2345",
    "12,34.5",
    ",123",
    "ー3",  # katakana long-vowel mark is not a minus
    "--3",
    "▲-3",
    "第3",
    "12 13",
    "1万2千",
    "3 千",  # a multiplier must follow the number directly
    "3億",  # magnitudes we do not apply are refused rather than dropped
    "12k",
    "5M",
    "1e3",
    # a word after the number that is neither a unit nor an estimate or a bound: dropping it
    # would give another number (3.5, 3000, 36) or a number that was not meant
    "3時間半",
    "3 thousand",
    "3 million",
    "3 dozen",
    "3じゃない",
    "3予定",
    "3くらいかな",
    "3ish",
    "30台",
    "3割半",
    "3割弱",
    "3割くらい5分",
    "¥3割",
    "3万割",
    "12%pt",
    "12%件",
    "くらい3",
    "nan",
    "inf",
    "-",
    "¥",
    "%",
    float("nan"),
    float("inf"),
    float("-inf"),
    date(2026, 11, 23),
    datetime(2026, 11, 23, 9, 30),
]


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_text_that_is_not_a_number_is_not_a_number(value: CellValue) -> None:
    """Words, ranges, fractions, broken grouping, booleans and dates are not numbers."""
    assert parse_number(value) == NOT_A_NUMBER
    assert parse_number(value, percent_format=True) == NOT_A_NUMBER


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (3, 3),
        (3.0, 3),
        (-2, -2),
        ("3", 3),
        ("３", 3),
        (" 12 ", 12),
        ("1,000", 1000),
        ("3件", 3),
        ("3.0", 3),
        ("▲2", -2),
        ("1.2万", 12000),
        (10**20, 10**20),
        ("123456789012345678901", 123456789012345678901),  # exact, not via float
    ],
)
def test_integers_are_whole_numbers_in_any_number_spelling(value: CellValue, expected: int) -> None:
    """A cycle number may be typed like any number, as long as it is whole."""
    result = parse_integer(value)
    assert result == expected
    assert type(result) is int


@pytest.mark.parametrize(
    "value",
    [3.5, "3.5", "第3", "3-4", "たくさん", "", None, True, float("nan"), date(2026, 1, 1)],
)
def test_fractions_and_words_are_not_integers(value: CellValue) -> None:
    """3.5, "第3" and anything that is not a number are not_a_number for an integer column."""
    assert parse_integer(value) == NOT_A_NUMBER


# --- numbers: properties -----------------------------------------------------------------------

NEGATIVE_SIGNS = ["-", "−", "‐", "▲", "△"]
AFFIXES = [("", ""), ("¥", ""), ("￥", ""), ("", "円"), ("", "件"), ("", " 円")]
SPACES = ["", " ", "\u3000", "  "]


@st.composite
def typed_numbers(draw: st.DrawFn) -> tuple[str, Decimal]:
    """A number and one way staff could have typed it."""
    value: Decimal = draw(
        st.one_of(
            st.integers(-(10**12), 10**12).map(Decimal),
            st.decimals(
                min_value=-(10**9), max_value=10**9, places=3, allow_nan=False, allow_infinity=False
            ),
        )
    )
    digits = f"{abs(value):,f}" if draw(st.booleans()) else f"{abs(value):f}"
    if draw(st.booleans()):
        digits = full_width(digits)
    prefix, suffix = draw(st.sampled_from(AFFIXES))
    sign = draw(st.sampled_from(NEGATIVE_SIGNS)) if value < 0 else draw(st.sampled_from(["", "+"]))
    if draw(st.booleans()):
        sign = full_width(sign)
    space = draw(st.sampled_from(SPACES))
    return f"{space}{sign}{prefix}{digits}{suffix}{space}", value


@given(typed_numbers())
def test_any_typed_number_reads_back_as_its_value(typed: tuple[str, Decimal]) -> None:
    """Commas, full-width digits, ¥/円/件, ▲ and spaces never change the number read."""
    text, value = typed
    assert parse_number(text) == float(value)


@given(typed_numbers())
def test_any_typed_whole_number_reads_back_as_an_integer(typed: tuple[str, Decimal]) -> None:
    """The same spellings give the exact integer when the number is whole, else not_a_number."""
    text, value = typed
    expected = int(value) if value == value.to_integral_value() else NOT_A_NUMBER
    assert parse_integer(text) == expected


@given(st.integers(-(10**15), 10**15))
def test_integer_cells_read_as_themselves(value: int) -> None:
    """A numeric cell is its number, and percent-formatted it is a hundred times that (past
    MAX_MAGNITUDE it is not_a_number)."""
    assert parse_number(value) == float(value)
    percent = float(value * 100) if abs(value * 100) <= MAX_MAGNITUDE else NOT_A_NUMBER
    assert parse_number(value, percent_format=True) == percent
    assert parse_integer(value) == value


@pytest.mark.parametrize(
    "value", [1.7e308, -1.7e308, 1e16, -2e15, "1.7e308", "10000000000000000", "1" + "0" * 400]
)
def test_absurd_magnitudes_are_not_a_number(value: CellValue) -> None:
    """A value no shop could mean (±1.7e308, past 10^15) is not_a_number, so it becomes a check
    naming the cell instead of breaking the sums and pictures."""
    assert parse_number(value) == NOT_A_NUMBER


@pytest.mark.parametrize("value", [5e-324, -5e-324, 1e15, -1e15])
def test_tiny_and_large_but_possible_values_are_numbers(value: float) -> None:
    """5e-324 and ±10^15 are still numbers (every consumer copes with them)."""
    assert parse_number(value) == value


@given(st.decimals(min_value=-1000, max_value=1000, places=4, allow_nan=False))
def test_percent_cells_scale_without_float_noise(value: Decimal) -> None:
    """A percent cell holding v reads as exactly v × 100, free of float noise."""
    assert parse_number(float(value), percent_format=True) == float(value.scaleb(2))


# Words that may follow a number, and words that must not be dropped after one.
_QUALIFIERS = (*APPROXIMATE_WORDS, *BOUND_WORDS)
_POISON = (
    "じゃない",
    "予定",
    "半",
    "かな",
    "thousand",
    "million",
    "dozen",
    "ish",
    "弱",
    "未満",
    "台",
)


def _documented(words: str) -> bool:
    """The words after a number are ones the parser documents (parse.UNIT_WORDS, then maybe
    an estimate or a bound): a unit, two units joined by "/", a qualifier, or a unit and one."""
    words = " ".join(words.casefold().split())
    qualifier = next((q for q in _QUALIFIERS if words.endswith(q)), "")
    head = words.removesuffix(qualifier).strip() if qualifier else words
    return head == "" or all(part.strip() in UNIT_WORDS for part in head.split("/"))


TAILS = st.one_of(
    st.text(min_size=1, max_size=8),
    st.lists(
        st.sampled_from(sorted(UNIT_WORDS) + list(_QUALIFIERS) + list(_POISON))
        | st.sampled_from(["", " ", "/", "・"]),
        min_size=1,
        max_size=4,
    ).map("".join),
)


@given(st.integers(0, 10**6), TAILS)
def test_a_number_followed_by_any_words_is_read_as_typed_or_refused(n: int, tail: str) -> None:
    """Whatever text follows a number, either the number typed is read — and then the text was
    a unit or an estimate or a bound the parser documents — or the cell is not_a_number.
    No word is dropped that would change the number or what it means (3時間半, 3じゃない)."""
    folded = unicodedata.normalize("NFKC", tail)
    # What continues the number itself (digits, a decimal point, 万/千, %, 割) is read by the
    # tables above, not here.
    assume(not any(ch.isdigit() or ch in ".,万千%割" for ch in folded))
    read = parse_number(f"{n}{tail}")
    if read == NOT_A_NUMBER:
        return
    assert read == n, (tail, read)
    assert _documented(folded.translate(INVISIBLE)), tail


@given(st.text())
def test_text_without_digits_is_never_a_number(text: str) -> None:
    """Without a digit there is no number, whatever else the text holds."""
    assume(re.search("[0-9]", unicodedata.normalize("NFKC", text)) is None)
    assert parse_number(text) == NOT_A_NUMBER
    assert parse_integer(text) == NOT_A_NUMBER


ANY_CELL = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.dates(),
    st.datetimes(),
    st.text(),
    st.text(alphabet="0123456789０１２３,.，．-+−‐▲△ー¥￥$円%％万千億 件pt年月日/()（）R令和元"),
)


@given(ANY_CELL, st.booleans())
def test_parse_number_never_raises(value: CellValue, percent_format: bool) -> None:
    """Any cell gives a finite number or an Invalid, never an exception."""
    result = parse_number(value, percent_format=percent_format)
    assert isinstance(result, Invalid) or math.isfinite(result)
    assert isinstance(parse_integer(value), int | Invalid)


# --- dates: tables -----------------------------------------------------------------------------

DAY = date(2026, 11, 23)

DATES: list[tuple[CellValue, date]] = [
    # real date cells
    (DAY, DAY),
    (datetime(2026, 11, 23, 9, 30), DAY),
    # serial numbers (days since 1899-12-30, a fraction is the time)
    (46349, DAY),
    (46349.0, DAY),
    (46349.75, DAY),
    (18264, date(1950, 1, 1)),
    (73051, date(2100, 1, 1)),
    # western text
    ("2026-11-23", DAY),
    ("2026/11/23", DAY),
    ("2026/1/5", date(2026, 1, 5)),
    ("2026-1-5", date(2026, 1, 5)),
    ("2026.11.23", DAY),
    (" 2026/11/23 ", DAY),
    ("\u200b2026/11/23", DAY),
    ("2026 / 11 / 23", DAY),
    # 年月日
    ("2026年11月23日", DAY),
    ("2026年 11月 23日", DAY),
    ("2026年1月5日", date(2026, 1, 5)),
    # eras
    ("令和8年11月23日", DAY),
    ("令和 8年 11月 23日", DAY),
    ("令和元年5月1日", date(2019, 5, 1)),
    ("令和1年5月1日", date(2019, 5, 1)),
    ("平成元年1月8日", date(1989, 1, 8)),
    ("平成31年4月30日", date(2019, 4, 30)),
    ("昭和64年1月7日", date(1989, 1, 7)),
    ("昭和元年12月25日", date(1926, 12, 25)),
    ("㋿8年11月23日", DAY),  # the one-character era sign, NFKC makes it 令和
    ("R8.11.23", DAY),
    ("R8/11/23", DAY),
    ("r8.11.23", DAY),
    ("R08.11.23", DAY),
    ("R8年11月23日", DAY),
    ("H31.4.30", date(2019, 4, 30)),
    ("h1.1.8", date(1989, 1, 8)),
    ("S64.1.7", date(1989, 1, 7)),
    # full width everywhere
    ("２０２６/１１/２３", DAY),
    ("２０２６－１１－２３", DAY),
    ("２０２６年１１月２３日", DAY),
    ("令和８年１１月２３日", DAY),
    ("Ｒ８．１１．２３", DAY),
    # weekday (and holiday mark) in brackets
    ("2026/11/23(月)", DAY),
    ("2026/11/23 (月)", DAY),
    ("2026年11月23日（月）", DAY),
    ("2026/11/23(月・祝)", DAY),
    ("2026/11/23（月曜日）", DAY),
    ("2026-11-23 (Mon)", DAY),
    # a time after the date
    ("2026-11-23 09:30", DAY),
    ("2026/11/23 9:30", DAY),
    ("2026-11-23 09:30:15", DAY),
    ("2026/11/23(月) 9:30", DAY),
    ("2026-11-23T09:30:00", DAY),
    ("2026-11-23T09:30:00.123", DAY),
    ("2026-11-23T09:30:00Z", DAY),
    ("2026-11-23T09:30:00+09:00", DAY),
    ("２０２６－１１－２３　０９：３０", DAY),
]


@pytest.mark.parametrize(("value", "expected"), DATES)
def test_dates_as_staff_type_them(value: CellValue, expected: date) -> None:
    """Every spelling of a date from the spec reads as that date."""
    assert parse_date(value) == expected
    assert parse_date(value, date_format=True) == expected


@pytest.mark.parametrize(
    ("serial", "date_format", "expected"),
    [
        (73052, True, date(2100, 1, 2)),
        (73415, True, date(2100, 12, 31)),
        (73052, False, NOT_A_DATE),  # a bare number past the serial range is just a number
        (73416, True, NOT_A_DATE),  # 2101
        (18263, True, NOT_A_DATE),  # 1949
        (18263.9, False, NOT_A_DATE),
        (12, True, NOT_A_DATE),
        (12, False, NOT_A_DATE),
        (0, True, NOT_A_DATE),
        (-1, True, NOT_A_DATE),
        (float("nan"), True, NOT_A_DATE),
        (float("inf"), True, NOT_A_DATE),
        (1e300, True, NOT_A_DATE),
    ],
)
def test_serial_numbers_only_for_1950_to_2100(
    serial: float, date_format: bool, expected: date | Invalid
) -> None:
    """Serials are dates for the years 1950–2100; past 2100-01-01 only in a date-formatted cell."""
    assert parse_date(serial, date_format=date_format) == expected


@pytest.mark.parametrize(
    "value",
    ["11/23", "11月23日", "１１/２３", "11-23", "11.23", "11/23(月)", "11月23日（月）", "2/29"],
)
def test_a_date_without_a_year_is_ambiguous(value: str) -> None:
    """A month and day without a year is ambiguous_date: the year is never guessed."""
    assert parse_date(value) == AMBIGUOUS


BAD_DATES: list[CellValue] = [
    None,
    "",
    True,
    False,
    "来週",
    "TBD",
    "2026/2/30",
    "2026/13/1",
    "2026/0/10",
    "2025/2/29",
    "令和8年13月1日",
    "令和0年1月1日",  # there is no year 0 of an era
    "R0.1.1",
    "平成0年1月1日",
    "令和元年4月30日",  # still 平成 on that day
    "平成31年5月1日",  # already 令和 on that day
    "H32.1.1",
    "S64.1.8",
    "26/11/23",  # two-digit years are never guessed
    "26-11-23",
    "11/23/2026",
    "23/11/2026",
    "2026/11-23",
    "2026/11",
    "2026年11月",
    "20261123",
    "2026/11/23 25:00",
    "2026/11/23 9:75",
    "13/40",
    "2/30",
    "X8.11.23",
    "大正15年1月1日",
    "2026/11/23 etc",
]


@pytest.mark.parametrize("value", BAD_DATES)
def test_impossible_dates_and_free_text_are_not_dates(value: CellValue) -> None:
    """Impossible dates, era years outside the era, two-digit years and free text: not_a_date."""
    assert parse_date(value) == NOT_A_DATE


# --- dates: properties -------------------------------------------------------------------------


def japanese_era(day: date) -> tuple[str, str, int]:
    """(kanji, letter, year of era) for a day from 1989-01-08 on."""
    if day >= date(2019, 5, 1):
        return "令和", "R", day.year - 2018
    return "平成", "H", day.year - 1988


def era_kanji(day: date) -> str:
    era, _, year = japanese_era(day)
    written_year = "元" if year == 1 else str(year)
    return f"{era}{written_year}年{day.month}月{day.day}日"


def era_letter(day: date) -> str:
    _, letter, year = japanese_era(day)
    return f"{letter}{year}.{day.month}.{day.day}"


WRITTEN_DATES: dict[str, Callable[[date], str]] = {
    "iso": lambda d: d.isoformat(),
    "slashes": lambda d: f"{d.year}/{d.month:02}/{d.day:02}",
    "slashes unpadded": lambda d: f"{d.year}/{d.month}/{d.day}",
    "dots": lambda d: f"{d.year}.{d.month}.{d.day}",
    "年月日": lambda d: f"{d.year}年{d.month}月{d.day}日",
    "full-width slashes": lambda d: full_width(f"{d.year}/{d.month}/{d.day}"),
    "full-width 年月日": lambda d: (
        full_width(f"{d.year}") + f"年{full_width(str(d.month))}月{full_width(str(d.day))}日"
    ),
    "era kanji": era_kanji,
    "era kanji full width": lambda d: full_width(era_kanji(d)),
    "era letter": era_letter,
    "era letter lower case full width": lambda d: full_width(era_letter(d).lower()),
    "iso datetime": lambda d: f"{d.isoformat()}T09:30:00",
    "with weekday": lambda d: f"{d.year}/{d.month}/{d.day}({'月火水木金土日'[d.weekday()]})",
}

WORKING_DATES = st.dates(date(1990, 1, 1), date(2099, 12, 31))


@pytest.mark.parametrize("form", WRITTEN_DATES, ids=list(WRITTEN_DATES))
@given(day=WORKING_DATES)
def test_every_written_form_reads_back_as_its_date(form: str, day: date) -> None:
    """Any date from 1990 to 2099, written in any accepted form, reads back as that date."""
    assert parse_date(WRITTEN_DATES[form](day)) == day


@given(WORKING_DATES, st.floats(0, 0.999), st.booleans())
def test_serial_numbers_read_back_as_their_date(
    day: date, time_of_day: float, date_format: bool
) -> None:
    """A serial from the 1899-12-30 epoch is that day, whatever the time of day in its fraction."""
    serial = (day - SERIAL_EPOCH).days
    assert parse_date(serial, date_format=date_format) == day
    assert parse_date(serial + time_of_day, date_format=date_format) == day


@given(
    st.dates(),
    st.sampled_from(["{m}/{d}", "{m:02}/{d:02}", "{m}月{d}日", "{m}-{d}", "{m}/{d}(月)"]),
    st.booleans(),
)
def test_month_and_day_without_a_year_is_always_ambiguous(
    day: date, pattern: str, wide: bool
) -> None:
    """Whatever the month and day, leaving out the year gives ambiguous_date."""
    text = pattern.format(m=day.month, d=day.day)
    assert parse_date(full_width(text) if wide else text) == AMBIGUOUS


@given(ANY_CELL, st.booleans())
def test_parse_date_never_raises(value: CellValue, date_format: bool) -> None:
    """Any cell gives a date or an Invalid, never an exception."""
    result = parse_date(value, date_format=date_format)
    assert isinstance(result, date | Invalid)
    assert not isinstance(result, datetime)


# --- yes/no ------------------------------------------------------------------------------------

YES_CELLS: list[CellValue] = [
    *schema.YES_SPELLINGS,
    True,
    1,
    1.0,
    "TRUE",
    "True",
    "YES",
    "Yes",
    "Y",
    "ＹＥＳ",
    "１",
    "  はい  ",
    "はい\u200b",
    "〇",
    "ON",
]
NO_CELLS: list[CellValue] = [
    *schema.NO_SPELLINGS,
    False,
    0,
    0.0,
    "FALSE",
    "False",
    "NO",
    "No",
    "N",
    "ｎｏ",
    "０",
    "✕",
    "✖",
    "OFF",
]


@pytest.mark.parametrize("value", YES_CELLS)
def test_yes_spellings_read_as_true(value: CellValue) -> None:
    """Checkbox, TRUE, はい, yes, y, 1, ○/◯/〇, ✓/✔ — in any case and width — are yes."""
    assert parse_yes_no(value) is True


@pytest.mark.parametrize("value", NO_CELLS)
def test_no_spellings_read_as_false(value: CellValue) -> None:
    """Checkbox off, FALSE, いいえ, no, n, 0, ×/✕/✗ — in any case and width — are no."""
    assert parse_yes_no(value) is False


@pytest.mark.parametrize(
    "value", ["maybe", "たぶん", "2", 2, 0.5, -1, float("nan"), date(2026, 1, 1), "", None, " "]
)
def test_anything_else_is_not_yes_or_no(value: CellValue) -> None:
    """Other words and numbers, and blanks (callers check is_blank first), are unknown_choice."""
    assert parse_yes_no(value) == UNKNOWN


# --- choices -----------------------------------------------------------------------------------

CHOICE_SPELLINGS = [
    pytest.param(name, spelling, choice.key, id=f"{name}:{spelling}")
    for name, choices in schema.CHOICES.items()
    for choice in choices
    for spelling in dict.fromkeys((choice.key, choice.ja, choice.en, *choice.spellings))
]
VARIANTS: dict[str, Callable[[str], str]] = {
    "as is": lambda s: s,
    "upper": str.upper,
    "title": str.title,
    "full width": full_width,
    "full width upper": lambda s: full_width(s.upper()),
    "spaces around": lambda s: f"  {s}\u3000",
    "bracketed note": lambda s: f"{s} (メモ)",
}


@pytest.mark.parametrize("variant", VARIANTS, ids=list(VARIANTS))
@pytest.mark.parametrize(("name", "spelling", "key"), CHOICE_SPELLINGS)
def test_every_schema_spelling_reads_as_its_choice(
    name: str, spelling: str, key: str, variant: str
) -> None:
    """Each spelling of each choice in the schema, in any case or width, reads as its key."""
    typed = VARIANTS[variant](spelling)
    assert parse_choice(typed, schema.choice_lookup(name)) == key


@pytest.mark.parametrize(
    ("name", "typed", "key"),
    [
        ("direction", "ＵＰ", "up"),
        ("direction", "Up", "up"),
        ("direction", "↑", "up"),
        ("status", "In Progress", "running"),
        ("layer", "行動ＫＰＩ", "action"),
        ("kind", "Behaviour", "behavior"),
        ("auto", "証拠：迷い", "evidence:hesitation"),
    ],
)
def test_choice_examples_from_the_spec(name: str, typed: str, key: str) -> None:
    """A few spellings staff really type, spelled out."""
    assert parse_choice(typed, schema.choice_lookup(name)) == key


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("direction", "sideways"),
        ("direction", "計画"),  # a spelling of another choice set
        ("layer", "KPI"),
        ("status", ""),
        ("status", None),
        ("signal", 3),
        ("kind", True),
    ],
)
def test_unknown_spellings_are_unknown_choice(name: str, value: CellValue) -> None:
    """Anything not among a choice set's spellings is unknown_choice."""
    assert parse_choice(value, schema.choice_lookup(name)) == UNKNOWN


@given(
    st.text(alphabet=st.sampled_from("迷いＵＰup (強)\u200b\u3000e\u0301ｶﾞ") | st.characters()),
    st.sampled_from(sorted(schema.CHOICES)),
)
def test_a_choice_reads_as_its_folded_spelling(text: str, name: str) -> None:
    """parse_choice (its fold cached) answers what the plain fold — read, then normalised like a
    label — looks up, asked twice in a row too."""
    lookup = schema.choice_lookup(name)
    folded = schema.normalize_label(
        unicodedata.normalize("NFKC", text)
        .translate(dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff")))
        .strip()
    )
    expected = lookup.get(folded, UNKNOWN)
    assert parse_choice(text, lookup) == expected
    assert parse_choice(text, lookup) == expected


@given(st.text())
def test_parse_choice_never_raises(text: str) -> None:
    """Arbitrary text is a key of the set or unknown_choice."""
    lookup = schema.choice_lookup("signal")
    result = parse_choice(text, lookup)
    assert result == UNKNOWN or result in lookup.values()
