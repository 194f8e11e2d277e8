"""Cells → clean records: each input tab located and each row read by its columns' types.

What reading cannot use becomes a check, never an exception: a bad cell, a copied row, a
reference to nothing. An error leaves its row (or tab) out; the method's own warnings about
the rows kept are the rules' (`rules`).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Final

from ..sheet import ownership, schema
from ..sheet.cells import CellParser, cell_parser
from ..sheet.locate import Header, column_name, locate_header, pick_tab
from ..sheet.logbook import read_log
from ..sheet.ownership import Ownership
from ..sheet.parse import Invalid, cell_text, is_blank, month_and_day, nearest_date, parse_integer
from ..sheet.schema import Column, Lang, Tab
from ..sheet.tabs import BLANK, RawCell, RawTab, Snapshot
from ..words.core import say
from .findings import CheckWriter, Finding, number_text
from .report import Check, Cycle, EvidenceItem, LostRow
from .rules import CYCLE_DAYS
from .workbook import Kpi, KpiValue, Workbook

# A soft column's own words for a check (code, column): what happens to the row instead.
_SOFT_WORDS: Final[dict[tuple[str, str], str]] = {
    ("required", "direction"): "required_direction",
    ("unknown_choice", "direction"): "unknown_choice_direction",
    ("not_a_date", "end"): "not_a_date_end",
    ("ambiguous_date", "end"): "ambiguous_date_end",
}
# A check about a cycle left out by its own check, said for the row's tab.
_LEFT_OUT_WORDS: Final[dict[str, str]] = {
    "values": "cycle_left_out_values",
    "evidence": "cycle_left_out_evidence",
}
# Why one of two resembling tabs was read (`pick_tab`'s reason).
_WHY_READ_WORDS: Final[dict[str, str]] = {
    "exact": "ambiguous_tab_exact",
    "first": "ambiguous_tab_first",
}

_AUTO_DIRECTION = {"cycles_done": "up", "evidence:positive": "up", "evidence:negative": "down"}
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


def read(snapshot: Snapshot, lang: Lang, today: date, decided: Ownership) -> Reading:
    """Every input tab read into clean records; the Log read from the tab `decided` lets the
    sync write, past sends also from a renamed Log (see `ownership`)."""
    return _Reader(snapshot, lang, today, decided).run()


@dataclass
class _Row:
    number: int  # the sheet's own row number
    cells: dict[str, RawCell]


class _Reader:
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

    def run(self) -> Reading:
        self.locate()
        self.kpis()
        self.cycles()
        self.values()
        self.evidence()
        return self.reading

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
    def rows(self, tab_key: str) -> Iterable[_Row]:
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
            yield _Row(index + 1, cells)

    def count_rows(self, tab_key: str) -> None:
        """How many data rows the tab holds, kept or not (`no_cycles` needs a truly empty tab)."""
        self.book.rows_found[tab_key] = sum(1 for _ in self.rows(tab_key))

    def parse_row(self, tab: Tab, row: _Row) -> dict[str, Any] | None:
        """Each cell of a row parsed by its column's type; None (with checks) when any is bad.

        A bad cell of a soft column (`_SOFT_COLUMNS`) is checked but parsed as blank, so the
        row stays; a formula without a saved result is `formula_no_value`, never "blank".
        """
        parsed, ok = self.parse_cells(tab, row)
        return parsed if ok else None

    def parse_cells(self, tab: Tab, row: _Row) -> tuple[dict[str, Any], bool]:
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
        self, tab: Tab, row: _Row, column: Column, soft: bool, value: Invalid, cell: RawCell
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

    def _required_waived(self, tab: Tab, column: Column, row: _Row) -> bool:
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

    # -- tabs -----------------------------------------------------------------------------
    def kpis(self) -> None:
        tab = schema.KPIS
        first_row: dict[str, int] = {}
        for row in self.rows("kpis"):
            parsed = self.parse_row(tab, row)
            if parsed is None:
                continue
            kpi_id = parsed["id"]
            if fold(kpi_id) in first_row:
                first = {"first": first_row[fold(kpi_id)]}
                self.on_row("duplicate_id", Finding("kpis", row.number, "id", kpi_id, fields=first))
                continue
            first_row[fold(kpi_id)] = row.number
            auto = parsed["auto"]
            direction = parsed["direction"] or (_auto_direction(auto) if auto else None)
            self.book.kpis.append(
                Kpi(
                    id=kpi_id,
                    name=parsed["name"],
                    layer=parsed["layer"],
                    direction=direction,
                    unit=parsed["unit"] or "",
                    target=parsed["target"],
                    auto=auto,
                    how=parsed["how"] or "",
                    active=parsed["active"] is not False,
                    row=row.number,
                )
            )

    def cycles(self) -> None:
        tab = schema.CYCLES
        self.count_rows("cycles")
        first_row: dict[int, int] = {}
        candidates: list[Cycle] = []
        for row in self.rows("cycles"):
            parsed = self.parse_row(tab, row)
            if parsed is None:
                continue
            number: int = parsed["cycle"]
            if number in first_row:
                first = {"first": first_row[number]}
                finding = Finding("cycles", row.number, "cycle", str(number), fields=first)
                self.on_row("duplicate_cycle", finding)
                continue
            first_row[number] = row.number
            start: date = parsed["start"]
            end: date = parsed["end"] or start + timedelta(days=CYCLE_DAYS - 1)
            if end < start:
                start_text = {"start": start.isoformat()}
                finding = Finding("cycles", row.number, "end", end.isoformat(), fields=start_text)
                self.on_row("end_before_start", finding)
                continue
            status = parsed["status"] or _status_from_dates(start, end, self.today)
            candidates.append(
                Cycle(
                    cycle=number,
                    start=start,
                    end=end,
                    status=status,
                    hypothesis=parsed["hypothesis"] or "",
                    change=parsed["change"] or "",
                    learning=parsed["learning"] or "",
                    next_step=parsed["next_step"] or "",
                    owner=parsed["owner"] or "",
                    row=row.number,
                    step_done=parsed["step_done"],
                )
            )
        self.book.cycles = sorted(self._without_overlaps(candidates), key=lambda c: c.cycle)

    def _without_overlaps(self, candidates: list[Cycle]) -> list[Cycle]:
        """Of two cycles sharing days the later-starting one is checked and left out."""
        kept: list[Cycle] = []
        for cycle in sorted(candidates, key=lambda c: (c.start, c.row)):
            clash = next((k for k in kept if cycle.start <= k.end and k.start <= cycle.end), None)
            if clash is None:
                kept.append(cycle)
                continue
            fields = {
                "cycle": cycle.cycle,
                "other": clash.cycle,
                "other_start": clash.start.isoformat(),
                "other_end": clash.end.isoformat(),
            }
            start = cycle.start.isoformat()
            self.across(
                "overlapping_cycles", Finding("cycles", cycle.row, "start", start, fields=fields)
            )
            self.book.left_out_cycles.append(cycle)
        return kept

    def values(self) -> None:
        tab = schema.VALUES
        kpis = {fold(kpi.id): kpi for kpi in self.book.kpis}
        by_name = {fold(kpi.name): kpi for kpi in self.book.kpis}
        known_cycles = {c.cycle for c in self.book.cycles}
        typed_cycles = self._typed_keys("cycles", "cycle")
        typed_kpis = self._typed_keys("kpis", "id") | self._typed_keys("kpis", "name")
        chosen: dict[tuple[int, str], list[KpiValue]] = {}
        for row in self.rows("values"):
            parsed, ok = self.parse_cells(tab, row)
            reference: str | None = parsed["kpi"]
            kpi = None
            if reference is not None:
                kpi = kpis.get(fold(reference)) or by_name.get(fold(reference))
            if not ok:
                self._lost("values", row, parsed["cycle"], kpi.id if kpi else None)
                continue
            assert reference is not None
            if kpi is None:
                # Else its own row has a check, or the KPI tab's header check says it all.
                if fold(reference) not in typed_kpis and "kpis" not in self.book.unreadable:
                    self.on_row("unknown_kpi", Finding("values", row.number, "kpi", reference))
                self._lost("values", row, parsed["cycle"], None)
                continue
            number: int = parsed["cycle"]
            if number not in known_cycles:
                self._unknown_cycle(tab, row, number, typed_cycles)
                self._lost("values", row, number, kpi.id)
                continue
            typed = cell_text(row.cells["value"].value)
            entry = KpiValue(
                number, kpi.id, parsed["value"], parsed["note"] or "", row.number, typed
            )
            if kpi.auto:
                self.book.auto_values.append(entry)  # counted, not typed: `value_for_auto_kpi`
                continue
            chosen.setdefault((number, kpi.id), []).append(entry)
        for (number, _), entries in chosen.items():
            if len(entries) > 1:
                self._duplicate_values(number, entries)
            self.book.values.append(entries[-1])

    def _duplicate_values(self, number: int, entries: list[KpiValue]) -> None:
        """Every row of a cycle's KPI typed twice is checked; the lowest is used (people append
        corrections)."""
        used = entries[-1]
        separator = "、" if self.lang == "ja" else ", "
        fields = {
            "cycle": number,
            "kpi": next(kpi.name for kpi in self.book.kpis if kpi.id == used.kpi),
            "count": len(entries),
            "rows": separator.join(str(e.row) for e in entries),
            "used": used.row,
        }
        for entry in entries:
            finding = Finding("values", entry.row, "value", number_text(entry.value), fields=fields)
            self.across("duplicate_value", finding)

    def evidence(self) -> None:
        tab = schema.EVIDENCE
        known_cycles = {c.cycle for c in self.book.cycles}
        typed_cycles = self._typed_keys("cycles", "cycle")
        # date → (the cycle containing it, a left-out cycle containing it): a large tab holds a
        # few dozen distinct dates, so each is looked up once, not once per row.
        by_day: dict[date, tuple[int | None, Cycle | None]] = {}
        for row in self.rows("evidence"):
            parsed, ok = self.parse_cells(tab, row)
            if not ok:
                self._lost("evidence", row, self._cycle_of_lost(row, parsed), None)
                continue
            day: date = parsed["date"]
            number: int | None = parsed["cycle"]
            if number is not None and number not in known_cycles:
                self._unknown_cycle(tab, row, number, typed_cycles)
                self._lost("evidence", row, number, None)
                continue
            if number is None:
                found = by_day.get(day)
                if found is None:
                    found = by_day[day] = (
                        next((c.cycle for c in self.book.cycles if c.contains(day)), None),
                        next((c for c in self.book.left_out_cycles if c.contains(day)), None),
                    )
                number, left_out = found
                if number is None and left_out is not None:
                    self._left_out(tab, row, "date", day.isoformat(), left_out)
                    self._lost("evidence", row, left_out.cycle, None)
                    continue
            self.book.evidence.append(
                EvidenceItem(
                    row=row.number,
                    date=day,
                    cycle=number,
                    kind=parsed["kind"],
                    signal=parsed["signal"],
                    quote=parsed["quote"],
                    scene=parsed["scene"] or "",
                    next_try=parsed["next_try"] or "",
                    by=parsed["by"] or "",
                )
            )

    def _lost(self, tab: str, row: _Row, cycle: int | None, kpi: str | None) -> None:
        """A value or evidence row left out by its own check: its counts are unknown, not 0."""
        self.book.lost.append(LostRow(tab, row.number, cycle, kpi))

    def _cycle_of_lost(self, row: _Row, parsed: dict[str, Any]) -> int | None:
        """The cycle a left-out evidence row is of, as far as its cells tell: a typed cycle, else
        its date's (a yearless date read with the year nearest today); None when unknown."""
        if parsed.get("cycle") is not None:
            return int(parsed["cycle"])
        day: date | None = parsed.get("date")
        if day is None:
            month_day = month_and_day(row.cells.get("date", BLANK).value)
            day = nearest_date(*month_day, self.today) if month_day is not None else None
        if day is None:
            return None
        return next((c.cycle for c in self.book.cycles if c.contains(day)), None)

    def _unknown_cycle(self, tab: Tab, row: _Row, number: int, typed: set[str]) -> None:
        """A row naming a cycle the computation lacks: a cycle left out by its own check is
        named with it; an unknown one is `unknown_cycle`; a cycle whose row has its own check,
        or a Cycles tab that could not be read, needs no second check."""
        left_out = next((c for c in self.book.left_out_cycles if c.cycle == number), None)
        if left_out is not None:
            self._left_out(tab, row, "cycle", str(number), left_out)
        elif str(number) not in typed and "cycles" not in self.book.unreadable:
            self.on_row("unknown_cycle", Finding(tab.key, row.number, "cycle", str(number)))

    def _left_out(self, tab: Tab, row: _Row, column: str, value: str, cycle: Cycle) -> None:
        """A value or evidence row of a cycle left out by its own check: named, not lost."""
        fields = {"cycle": cycle.cycle, "cycle_row": cycle.row}
        text_key = _LEFT_OUT_WORDS[tab.key]
        finding = Finding(tab.key, row.number, column, value, text_key=text_key, fields=fields)
        self.on_row("unknown_cycle", finding)

    def _typed_keys(self, tab_key: str, column: str) -> set[str]:
        """Every value typed in a column, even on rows that failed validation (folded)."""
        header = self.reading.headers.get(tab_key)
        if header is None or column not in header.positions:
            return set()
        found: set[str] = set()
        for row in self.rows(tab_key):
            value = row.cells[column].value
            if is_blank(value):
                continue
            number = parse_integer(value)
            found.add(str(number) if isinstance(number, int) else fold(cell_text(value)))
        return found


def fold(text: str) -> str:
    """An id or a reference as compared: NFKC (Ｋ４ is K4), case and surrounding spaces ignored."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def _auto_direction(auto: str | None) -> str:
    if auto is None:
        return "up"
    if auto in _AUTO_DIRECTION:
        return _AUTO_DIRECTION[auto]
    signal = auto.removeprefix("evidence:")
    return "down" if schema.SIGNAL_POLARITY.get(signal, 0) < 0 else "up"


def _status_from_dates(start: date, end: date, today: date) -> str:
    if today < start:
        return "planned"
    if today > end:
        return "done"
    return "running"
