"""Text as a terminal shows it: wide (Japanese) characters take two columns, so a table of
client names lines up."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence


def display_width(text: str) -> int:
    """Columns a text needs: East Asian wide and full-width characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def aligned(rows: Sequence[Sequence[str]], gap: str = "  ") -> list[str]:
    """Each row as one line, its columns padded to the widest cell of the column."""
    widths = [max(display_width(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        gap.join(_pad(cell, w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """The header, a rule as wide as the widest line, then the rows; columns aligned."""
    lines = aligned([header, *rows])
    lines.insert(1, "-" * max(display_width(line) for line in lines))
    return lines
