"""A1-notation parsing and formatting, the way the Sheets API reads and echoes ranges."""

from __future__ import annotations

import re
from dataclasses import dataclass

_ENDPOINT = re.compile(r"^\$?([A-Za-z]{1,3})?\$?([0-9]+)?$")
_PLAIN_TITLE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_CELL_LIKE = re.compile(r"^([A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc][0-9]*)$")


class A1Error(ValueError):
    """The text is not a range the Sheets API would understand."""


@dataclass(frozen=True)
class A1Range:
    """A parsed range: 0-based, end-exclusive bounds; an end of ``None`` is open (grid's edge).

    ``sheet`` is the unquoted sheet title, or ``None`` when the text named no sheet (the API
    then uses the first sheet). ``cells`` is ``False`` for a bare sheet title (the whole grid).
    """

    sheet: str | None
    start_row: int = 0
    start_col: int = 0
    end_row: int | None = None
    end_col: int | None = None
    cells: bool = True


def column_letters(index: int) -> str:
    """Return the letters of the 0-based column ``index`` (0 -> ``A``, 26 -> ``AA``)."""
    if index < 0:
        raise ValueError(f"negative column index {index}")
    letters = ""
    n = index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(ord("A") + rem) + letters
    return letters


def column_index(letters: str) -> int:
    """Return the 0-based index of column ``letters`` (``A`` -> 0, ``aa`` -> 26)."""
    n = 0
    for ch in letters.upper():
        if not "A" <= ch <= "Z":
            raise ValueError(f"not a column: {letters!r}")
        n = n * 26 + (ord(ch) - ord("A") + 1)
    return n - 1


def quote_sheet_title(title: str) -> str:
    """Quote ``title`` as the API does in the ranges it returns (``Sheet1``, ``'My tab'``)."""
    if _PLAIN_TITLE.match(title) and not _CELL_LIKE.match(title):
        return title
    return "'" + title.replace("'", "''") + "'"


def format_range(title: str, start_row: int, start_col: int, end_row: int, end_col: int) -> str:
    """Format 0-based, end-exclusive bounds as ``Title!A1:B2`` (``Title!A1`` for one cell)."""
    first = f"{column_letters(start_col)}{start_row + 1}"
    last = f"{column_letters(end_col - 1)}{end_row}"
    cells = first if (end_row - start_row, end_col - start_col) == (1, 1) else f"{first}:{last}"
    return f"{quote_sheet_title(title)}!{cells}"


def _split_sheet(text: str) -> tuple[str | None, str | None]:
    """Split ``text`` into (sheet title, cell part); either may be ``None``."""
    if text.startswith("'"):
        i = 1
        chars: list[str] = []
        while True:
            if i >= len(text):
                raise A1Error("unterminated quoted sheet title")
            ch = text[i]
            if ch == "'":
                if text[i + 1 : i + 2] == "'":
                    chars.append("'")
                    i += 2
                    continue
                i += 1
                break
            chars.append(ch)
            i += 1
        rest = text[i:]
        if rest == "":
            return "".join(chars), None
        if not rest.startswith("!") or rest == "!":
            raise A1Error("expected '!' and cells after a quoted sheet title")
        return "".join(chars), rest[1:]
    if "!" in text:
        title, cells = text.rsplit("!", 1)
        if not title or not cells:
            raise A1Error("empty sheet title or cells")
        return title, cells
    if _looks_like_cells(text):
        return None, text
    return text, None


def _endpoint(text: str) -> tuple[int | None, int | None]:
    """Parse ``B7`` / ``B`` / ``7`` into (row, col), 0-based; missing parts are ``None``."""
    m = _ENDPOINT.match(text)
    if not m or (m.group(1) is None and m.group(2) is None):
        raise A1Error(f"not a cell reference: {text!r}")
    col = column_index(m.group(1)) if m.group(1) else None
    row = int(m.group(2)) - 1 if m.group(2) else None
    if row is not None and row < 0:
        raise A1Error("row numbers start at 1")
    return row, col


def _looks_like_cells(text: str) -> bool:
    """True when ``text`` (without a sheet title) reads as cells rather than as a title."""
    try:
        _parse_cells(text)
    except A1Error:
        return False
    return True


def _parse_cells(text: str) -> tuple[int, int, int | None, int | None]:
    """Parse the cell part into (start_row, start_col, end_row, end_col), end-exclusive."""
    if ":" not in text:
        row, col = _endpoint(text)
        if row is None or col is None:
            raise A1Error(f"a single reference needs a column and a row: {text!r}")
        return row, col, row + 1, col + 1
    left, right = text.split(":", 1)
    r1, c1 = _endpoint(left)
    r2, c2 = _endpoint(right)
    kinds = {_kind(r1, c1), _kind(r2, c2)}
    if kinds == {"col", "row"}:
        raise A1Error(f"mixed column and row references: {text!r}")
    if r1 is not None and r2 is not None and r1 > r2:
        r1, r2 = r2, r1
    if c1 is not None and c2 is not None and c1 > c2:
        c1, c2 = c2, c1
    start_row = r1 if r1 is not None else 0
    start_col = c1 if c1 is not None else 0
    end_row = r2 + 1 if r2 is not None else None
    end_col = c2 + 1 if c2 is not None else None
    return start_row, start_col, end_row, end_col


def _kind(row: int | None, col: int | None) -> str:
    """Classify an endpoint as a full cell, a column only or a row only."""
    if row is None:
        return "col"
    if col is None:
        return "row"
    return "full"


def parse_a1(text: str) -> A1Range:
    """Parse A1 notation: ``Sheet1!A1:B2``, ``'It''s'!1:3``, ``A2:C``, ``KPI``, ``'サマリー'``."""
    text = text.strip()
    if not text:
        raise A1Error("empty range")
    sheet, cells = _split_sheet(text)
    if cells is None:
        return A1Range(sheet=sheet, start_row=0, start_col=0, cells=False)
    start_row, start_col, end_row, end_col = _parse_cells(cells)
    return A1Range(sheet, start_row, start_col, end_row, end_col)
