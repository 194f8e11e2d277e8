"""The data the core and the backends share: tabs as read, and the generated tabs to write."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Literal

CellValue = str | int | float | bool | date | datetime | None
SparklineKind = Literal["formula", "text"]  # Google has SPARKLINE; .xlsx gets ▁▃▅▇ text
# What a tab is: a grid of cells, or a sheet that holds none (an Excel chart sheet or Google
# object sheet, an Excel 5 dialog sheet); "other" for any other kind (a macro sheet, a Google
# data-source sheet). Only a worksheet can ever be a generated tab.
TabKind = Literal["worksheet", "chart", "dialog", "other"]


@dataclass(frozen=True, slots=True)
class RawCell:
    """A cell as the workbook holds it, with the formats that change its meaning."""

    value: CellValue
    percent: bool = False
    date_format: bool = False
    # A formula whose file holds no computed result (written by a tool that never calculated
    # it): `value` is None, but the cell is not blank and the core says so (formula_no_value).
    uncomputed_formula: bool = False


BLANK = RawCell(None)


@dataclass
class RawTab:
    """A tab's cells, row 0 being the sheet's row 1 (the header)."""

    title: str
    rows: list[list[RawCell]]
    # The sync's ownership marker is on this tab (developer metadata on Google, a marker in
    # the .xlsx package): a generated title alone never licenses a write.
    owned: bool = False
    # Which generated tab the marker names ("summary", "checks", "log"), whatever the tab is
    # called now: a Log staff renamed still says what the sync sent.
    marker: str | None = None
    kind: TabKind = "worksheet"
    # What the tab holds besides cell values, named as the backend knows it ("drawing",
    # "comments", "table" … on .xlsx; "chart" on Google): things the sync never writes.
    objects: tuple[str, ...] = ()
    # The text of each formula cell, whatever it shows ("" for an Excel shared formula that
    # only points at another cell's): a formula showing "" is still staff's work.
    formulas: tuple[str, ...] = ()


@dataclass
class Snapshot:
    """Every tab of the workbook, read in one go."""

    tabs: list[RawTab]
    url: str | None = None
    template_version: int | None = None
    # Opaque per-tab ids a backend needs to link to a cell (Google's gid), by title.
    tab_ids: dict[str, int] = field(default_factory=dict)

    def titles(self) -> list[str]:
        return [tab.title for tab in self.tabs]


@dataclass(frozen=True, slots=True)
class OutCell:
    """One cell the sync writes. Text is always written as text, never evaluated;
    only `formula` cells, which the sync itself builds (SPARKLINE, HYPERLINK), are formulas."""

    value: CellValue
    style: str | None = None
    formula: bool = False
    number_format: str | None = None
    link: str | None = None  # an in-workbook target like "'証拠'!C7"
    # Centred like a number: a stand-in for one (「—」) or a count with its arrow (「↓ -1」),
    # under the same centred header as the numbers beside it.
    centered: bool = False


@dataclass
class GeneratedTab:
    """A generated tab's whole content; the backend replaces the tab with exactly this."""

    key: str
    title: str
    rows: list[list[OutCell]]
    widths: list[int] = field(default_factory=list)  # in characters
    frozen_rows: int = 0
    index: int | None = None  # where the tab sits when it has to be created
    merges: list[tuple[int, int, int, int]] = field(
        default_factory=list
    )  # r1, c1, r2, c2 (1-based)
    row_heights: dict[int, int] = field(default_factory=dict)  # 1-based row → points
