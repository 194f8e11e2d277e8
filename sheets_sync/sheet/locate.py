"""Where each input tab is in a workbook: the tab read (exact titles first) and its header row."""

from __future__ import annotations

from dataclasses import dataclass, field

from . import schema
from .parse import cell_text, is_blank
from .schema import Tab
from .tabs import RawTab, Snapshot

HEADER_SEARCH_ROWS = 5  # a title row or two above the header is forgiven


@dataclass(frozen=True)
class Header:
    """An input tab's header row, mapped to the schema's column keys."""

    row: int  # 0-based index of the header row
    positions: dict[str, int]  # column key → 0-based position
    texts: dict[str, str]  # column key → header text as it stands in the sheet
    # column key → (first, second) positions when two columns of the header row read as it
    duplicates: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class HeaderLocation:
    """Where the sync reads an input tab: its title, its header row and the columns found."""

    title: str
    header_row: int  # 0-based
    positions: dict[str, int]
    width: int  # the columns in use on the tab (a new column goes after them)


def pick_tab(snapshot: Snapshot, tab: Tab) -> tuple[RawTab | None, RawTab | None, str]:
    """The tab read as an input tab, a second candidate if any, and why the first won ("exact":
    its title matches exactly, the other only resembles; "first": first in the tab order)."""
    grids = [raw for raw in snapshot.tabs if raw.kind == "worksheet"]  # a chart sheet has no rows
    exact = [raw for raw in grids if raw.title.strip() in (tab.ja, tab.en)]
    exact_ids = {id(raw) for raw in exact}
    lookup = schema.tab_lookup()
    fuzzy = [
        raw
        for raw in grids
        if id(raw) not in exact_ids and lookup.get(schema.normalize_label(raw.title)) == tab.key
    ]
    candidates = exact + fuzzy
    if not candidates:
        return None, None, ""
    if len(candidates) == 1:
        return candidates[0], None, ""
    other = candidates[1]
    return candidates[0], other, "exact" if exact and id(other) not in exact_ids else "first"


def locate_header(tab: Tab, raw: RawTab) -> Header:
    """The header row among the first few (the one naming most columns), mapped to keys."""
    lookup = schema.header_lookup(tab)
    best: Header | None = None
    for index, line in enumerate(raw.rows[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        texts: dict[str, str] = {}
        duplicates: dict[str, tuple[int, int]] = {}
        for pos, cell in enumerate(line):
            if is_blank(cell.value):
                continue
            key = lookup.get(schema.normalize_label(cell_text(cell.value)))
            if key is None:
                continue
            if key in positions:
                duplicates.setdefault(key, (positions[key], pos))
                continue
            positions[key] = pos
            texts[key] = cell_text(cell.value)
        if best is None or len(positions) > len(best.positions):
            best = Header(index, positions, texts, duplicates)
        if index == 0 and len(positions) >= 2:
            break  # the usual case: row 1 is the header
    return best or Header(0, {}, {})


def locate_headers(snapshot: Snapshot) -> dict[str, HeaderLocation]:
    """Each input tab present, found exactly as `validate` finds it (for `upgrade`)."""
    found: dict[str, HeaderLocation] = {}
    for tab in schema.INPUT_TABS:
        raw, _, _ = pick_tab(snapshot, tab)
        if raw is None:
            continue
        header = locate_header(tab, raw)
        width = max(
            (i + 1 for line in raw.rows for i, c in enumerate(line) if not is_blank(c.value)),
            default=0,
        )
        found[tab.key] = HeaderLocation(raw.title, header.row, header.positions, width)
    return found


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def column_name(raw: RawTab, header: Header, position: int) -> str:
    """A column as staff see it: its letter and its header, e.g. `C (値)`."""
    return f"{column_letter(position)} ({cell_text(raw.rows[header.row][position].value)})"
