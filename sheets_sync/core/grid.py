"""Rows of generated cells as a grid: a cell's kinds (text, a number or a dash, centred), column
spans that become merges and row heights, and a link to a tab's first cell."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..sheet.schema import Lang, Tab
from ..sheet.tabs import GeneratedTab, OutCell
from ..util.display import display_width


def text_cell(value: object, style: str | None = None) -> OutCell:
    return OutCell("" if value is None else str(value), style)


def number_cell(value: float | int | None, style: str | None = None) -> OutCell:
    return OutCell(value, style) if value is not None else OutCell("—", "muted", centered=True)


def centered_cell(text: str) -> OutCell:
    return OutCell(text, centered=True)


@dataclass
class Grid:
    """Rows of cells with their column spans; spans become merges and set row heights."""

    widths: list[int]
    rows: list[list[OutCell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    heights: dict[int, int] = field(default_factory=dict)

    def add(self, *cells: OutCell | tuple[OutCell, int]) -> None:
        """A row; a (cell, n) pair spans n columns."""
        row: list[OutCell] = []
        number = len(self.rows) + 1
        lines = 1
        for item in cells:
            cell, span = item if isinstance(item, tuple) else (item, 1)
            start = len(row) + 1
            row.append(cell)
            row.extend(OutCell(None) for _ in range(span - 1))
            if span > 1:
                self.merges.append((number, start, number, start + span - 1))
            if isinstance(cell.value, str) and len(cells) > 1:
                room = int(sum(self.widths[start - 1 : start - 1 + span]) * 1.15) or 10
                needed = sum(
                    max(1, -(-display_width(part) // room)) for part in cell.value.split("\n")
                )
                lines = max(lines, needed)
        if lines > 1:
            self.heights[number] = 16 * lines + 2
        self.rows.append(row)

    def blank(self) -> None:
        self.rows.append([])

    def tab(
        self, tab: Tab, lang: Lang, *, frozen_rows: int, index: int | None = None
    ) -> GeneratedTab:
        """The generated tab these rows make: its merges and row heights with them."""
        return GeneratedTab(
            tab.key,
            tab.title(lang),
            self.rows,
            self.widths,
            frozen_rows=frozen_rows,
            index=index,
            merges=self.merges,
            row_heights=self.heights,
        )


def a1(title: str, cell: str = "A1") -> str:
    return f"'{title.replace(chr(39), chr(39) * 2)}'!{cell}"
