"""Reading any input tab's rows: each tab located (an exact title first) with its header, each
row's cells parsed by its columns' types, and what cannot be used said as a check where staff
will look for it. `reader` builds each tab's records on top of this."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Final

from ..sheet import ownership, schema
from ..sheet.cells import CellParser, cell_parser
from ..sheet.locate import Header, column_name, locate_header, pick_tab
from ..sheet.logbook import read_log
from ..sheet.ownership import Ownership
from ..sheet.parse import Invalid, cell_text, is_blank, month_and_day, nearest_date
from ..sheet.schema import Column, Lang, Tab
from ..sheet.tabs import BLANK, RawCell, RawTab, Snapshot
from ..words.core import say
from .findings import CheckWriter, Finding
from .report import Check
from .workbook import Workbook

# A soft column's own words for a check (code, column): what happens to the row instead.
_SOFT_WORDS: Final[dict[tuple[str, str], str]] = {
    ("required", "direction"): "required_direction",
    ("unknown_choice", "direction"): "unknown_choice_direction",
    ("not_a_date", "end"): "not_a_date_end",
    ("ambiguous_date", "end"): "ambiguous_date_end",
}
# Why one of two resembling tabs was read (`pick_tab`'s reason).
_WHY_READ_WORDS: Final[dict[str, str]] = {
    "exact": "ambiguous_tab_exact",
    "first": "ambiguous_tab_first",
}
# A bad cell in these columns degrades only itself: the check is raised, the row is kept
# (a bad end date falls back to start + 13 days, a bad direction means "no judgement").
_SOFT_COLUMNS = {
    ("kpis", "direction"),
    ("cycles", "end"),
    ("cycles", "status"),
    ("cycles", "step_done"),
}


def _per_input_tab() -> dict[str, list[Check]]:
    return {tab.key: [] for tab in schema.INPUT_TABS}


@dataclass
class Reading:
    """What reading found: the clean workbook, each readable tab's header, and the checks in
    three groups, so that the rules' findings can be listed beside them."""

    book: Workbook
    headers: dict[str, Header] = field(default_factory=dict)  # tab key → its header
    located: list[Check] = field(default_factory=list)  # about tabs and headers
    # Per input tab: each row's own checks, in row order; then those that compare rows.
    rows: dict[str, list[Check]] = field(default_factory=_per_input_tab)
    across: dict[str, list[Check]] = field(default_factory=_per_input_tab)


@dataclass
class Row:
    """One row of a tab as read: its number in the sheet and its cells by column key."""

    number: int  # the sheet's own row number
    cells: dict[str, RawCell]


class RowReader:
    """Locating tabs and parsing rows, and the checks that come of it, for every input tab."""

    def __init__(self, snapshot: Snapshot, lang: Lang, today: date, decided: Ownership) -> None:
        self.snapshot = snapshot
        self.lang = lang
        self.today = today
        self.decided = decided
        self.book = Workbook(lang=lang)
        self.reading = Reading(self.book)
        self.raws: dict[str, RawTab] = {}
        self.writer = CheckWriter(self.book, self.reading.headers)
        self._plans: dict[str, tuple[Tab, tuple[tuple[Column, bool, CellParser], ...]]] = {}

    # -- checks, by where they are listed ---------------------------------------------------
    def located(self, code: str, finding: Finding) -> None:
        self.reading.located.append(self.writer.check(code, finding))

    def on_row(self, code: str, finding: Finding) -> None:
        self.reading.rows[finding.tab].append(self.writer.check(code, finding))

    def across(self, code: str, finding: Finding) -> None:
        self.reading.across[finding.tab].append(self.writer.check(code, finding))

    # -- locating tabs and headers ------------------------------------------------------------
    def locate(self) -> None:
        """Pick each input tab (an exact title beats a resembling one) and map its header; a
        tab with a required column missing, or a column twice, is not read."""
        self._locate_generated()
        for tab in schema.INPUT_TABS:
            raw = self._pick_input_tab(tab)
            if raw is None:
                other = tab.en if self.lang == "ja" else tab.ja
                self.located("missing_tab", Finding(tab.key, fields={"other": other}))
                self.book.unreadable.add(tab.key)
                continue
            self.book.titles[tab.key] = raw.title
            self.raws[tab.key] = raw
            self.reading.headers[tab.key] = locate_header(tab, raw)
        for key, header in list(self.reading.headers.items()):
            tab, raw = schema.TABS_BY_KEY[key], self.raws[key]
            missing = [c for c in tab.columns if c.required and c.key not in header.positions]
            for column in missing:
                self.located("missing_column", Finding(key, 1 + header.row, column.key))
            for column_key, (first, second) in header.duplicates.items():
                names = {
                    "first": column_name(raw, header, first),
                    "second": column_name(raw, header, second),
                }
                self.located(
                    "duplicate_column", Finding(key, 1 + header.row, column_key, fields=names)
                )
            if missing or header.duplicates:
                del self.reading.headers[key]
                self.book.unreadable.add(key)

    def _locate_generated(self) -> None:
        for key, decision in self.decided.decisions.items():
            if decision.action == "write" and decision.title is not None:
                self.book.titles[key] = decision.title
                if key == "log":
                    raw = next(t for t in self.snapshot.tabs if t.title == decision.title)
                    self.book.log = read_log(raw)
        log_title = self.book.titles.get("log")
        for raw in ownership.past_logs(self.snapshot, log_title):
            self.book.past_log.extend(read_log(raw))
        for refused in self.decided.not_ours:
            text_key, fields = ownership.refusal_words(refused, self.lang)
            finding = Finding(refused.key, value=refused.title, text_key=text_key, fields=fields)
            self.located("tab_not_ours", finding)

    def _pick_input_tab(self, tab: Tab) -> RawTab | None:
        chosen, other, reason = pick_tab(self.snapshot, tab)
        if chosen is not None and other is not None:
            self.book.titles[tab.key] = chosen.title
            fields = {
                "tab_name": tab.title(self.lang),
                "read": chosen.title,
                "other": other.title,
                "reason": say(_WHY_READ_WORDS[reason], self.lang),
            }
            self.located("ambiguous_tab", Finding(tab.key, value=other.title, fields=fields))
        return chosen

    # -- generic cell parsing ---------------------------------------------------------------
    def rows(self, tab_key: str) -> Iterable[Row]:
        """The tab's data rows under its header (blank rows skipped), each cell by column key."""
        header = self.reading.headers.get(tab_key)
        if header is None:
            return
        width_needed = max(header.positions.values(), default=-1) + 1
        raw_rows = self.raws[tab_key].rows
        for index in range(header.row + 1, len(raw_rows)):
            line = raw_rows[index]
            if len(line) < width_needed:
                line = line + [BLANK] * (width_needed - len(line))
            cells = {key: line[pos] for key, pos in header.positions.items()}
            if all(is_blank(cell.value) and not cell.uncomputed_formula for cell in cells.values()):
                continue
            yield Row(index + 1, cells)

    def count_rows(self, tab_key: str) -> None:
        """How many data rows the tab holds, kept or not (`no_cycles` needs a truly empty tab)."""
        self.book.rows_found[tab_key] = sum(1 for _ in self.rows(tab_key))

    def parse_row(self, tab: Tab, row: Row) -> dict[str, Any] | None:
        """Each cell of a row parsed by its column's type; None (with checks) when any is bad.

        A bad cell of a soft column (`_SOFT_COLUMNS`) is checked but parsed as blank, so the
        row stays; a formula without a saved result is `formula_no_value`, never "blank".
        """
        parsed, ok = self.parse_cells(tab, row)
        return parsed if ok else None

    def parse_cells(self, tab: Tab, row: Row) -> tuple[dict[str, Any], bool]:
        """`parse_row`'s work: every cell that could be read (a bad one is None), and whether
        the row can be kept — what a left-out row was about comes from its readable cells."""
        parsed: dict[str, Any] = {}
        ok = True
        cells = row.cells
        for column, soft, parse in self._plan(tab):
            cell = cells.get(column.key, BLANK)
            parsed[column.key] = None
            blank = is_blank(cell.value)
            if blank and cell.uncomputed_formula:
                text_key = "formula_no_value_required" if column.required else None
                finding = Finding(tab.key, row.number, column.key, text_key=text_key)
                self.on_row("formula_no_value", finding)
                ok = ok and not column.required
                continue
            if blank:
                if column.required and not self._required_waived(tab, column, row):
                    text_key = _SOFT_WORDS.get(("required", column.key)) if soft else None
                    self.on_row(
                        "required", Finding(tab.key, row.number, column.key, text_key=text_key)
                    )
                    ok = ok and soft
                continue
            value = parse(cell)
            if isinstance(value, Invalid):
                self._invalid(tab, row, column, soft, value, cell)
                ok = ok and soft
                continue
            parsed[column.key] = value
        return parsed, ok

    def _invalid(
        self, tab: Tab, row: Row, column: Column, soft: bool, value: Invalid, cell: RawCell
    ) -> None:
        fields: dict[str, Any] = {}
        if value.code == "unknown_choice":
            labels = schema.dropdown_labels(column, self.lang)
            fields["allowed"] = "、".join(f"「{label}」" for label in labels)
            if self.lang == "en":
                fields["allowed"] = ", ".join(f'"{label}"' for label in labels)
        if value.code == "ambiguous_date":
            fields["example"] = self._dated_example(cell)
        text_key = _SOFT_WORDS.get((value.code, column.key)) if soft else None
        typed = cell_text(cell.value)
        finding = Finding(tab.key, row.number, column.key, typed, text_key=text_key, fields=fields)
        self.on_row(value.code, finding)

    def _dated_example(self, cell: RawCell) -> str:
        """The yearless date with the year nearest today, as the message suggests typing it
        (「2026/12/1」, 2026-12-01)."""
        month_day = month_and_day(cell.value)
        if month_day is None:  # not reached: only a month and a day is ambiguous
            month_day = (self.today.month, self.today.day)
        day = nearest_date(*month_day, self.today)
        return f"{day.year}/{day.month}/{day.day}" if self.lang == "ja" else day.isoformat()

    def _required_waived(self, tab: Tab, column: Column, row: Row) -> bool:
        # An auto KPI needs no direction: it follows from what is counted.
        if tab.key == "kpis" and column.key == "direction":
            return not is_blank(row.cells.get("auto", BLANK).value)
        return False

    def _plan(self, tab: Tab) -> tuple[tuple[Column, bool, CellParser], ...]:
        """Each column of a tab with whether it is soft and its parser, worked out once per tab
        rather than once per cell (`tab` is one of the schema's own, so its key names it)."""
        plan = self._plans.get(tab.key)
        if plan is None or plan[0] is not tab:
            soft = {column for key, column in _SOFT_COLUMNS if key == tab.key}
            columns = tuple((c, c.key in soft, cell_parser(c)) for c in tab.columns)
            plan = self._plans[tab.key] = (tab, columns)
        return plan[1]
