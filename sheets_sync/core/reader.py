"""Cells → clean records: each input tab located and each row read by its columns' types.

What reading cannot use becomes a check, never an exception: a bad cell, a copied row, a
reference to nothing. An error leaves its row (or tab) out; the method's own warnings about
the rows kept are the rules' (`rules`).
"""

from __future__ import annotations

import unicodedata
from datetime import date, timedelta
from typing import Any, Final

from ..sheet import schema
from ..sheet.ownership import Ownership
from ..sheet.parse import cell_text, is_blank, month_and_day, nearest_date, parse_integer
from ..sheet.schema import CYCLE_DAYS, Lang, Tab
from ..sheet.tabs import BLANK, Snapshot
from .findings import Finding, number_text
from .kpi_words import kpi_label
from .report import Cycle, EvidenceItem, LostRow
from .rows import Reading, Row, RowReader
from .workbook import Kpi, KpiValue

# A check about a cycle left out by its own check, said for the row's tab.
_LEFT_OUT_WORDS: Final[dict[str, str]] = {
    "values": "cycle_left_out_values",
    "evidence": "cycle_left_out_evidence",
}

_AUTO_DIRECTION = {"cycles_done": "up", "evidence:positive": "up", "evidence:negative": "down"}


def read(snapshot: Snapshot, lang: Lang, today: date, decided: Ownership) -> Reading:
    """Every input tab read into clean records; the Log read from the tab `decided` lets the
    sync write, past sends also from a renamed Log (see `ownership`)."""
    return _Reader(snapshot, lang, today, decided).run()


class _Reader(RowReader):
    """Each input tab's records, in the order later tabs need them: KPIs, cycles, values,
    evidence."""

    def run(self) -> Reading:
        self.locate()
        self.kpis()
        self.cycles()
        self.values()
        self.evidence()
        return self.reading

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
                start_text = {"start": start, "end": end}  # days: said as people say them
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
                "other_start": clash.start,
                "other_end": clash.end,
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
            "kpi": kpi_label(next(k.name for k in self.book.kpis if k.id == used.kpi), used.kpi),
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

    def _lost(self, tab: str, row: Row, cycle: int | None, kpi: str | None) -> None:
        """A value or evidence row left out by its own check: its counts are unknown, not 0."""
        self.book.lost.append(LostRow(tab, row.number, cycle, kpi))

    def _cycle_of_lost(self, row: Row, parsed: dict[str, Any]) -> int | None:
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

    def _unknown_cycle(self, tab: Tab, row: Row, number: int, typed: set[str]) -> None:
        """A row naming a cycle the computation lacks: a cycle left out by its own check is
        named with it; an unknown one is `unknown_cycle`; a cycle whose row has its own check,
        or a Cycles tab that could not be read, needs no second check."""
        left_out = next((c for c in self.book.left_out_cycles if c.cycle == number), None)
        if left_out is not None:
            self._left_out(tab, row, "cycle", str(number), left_out)
        elif str(number) not in typed and "cycles" not in self.book.unreadable:
            self.on_row("unknown_cycle", Finding(tab.key, row.number, "cycle", str(number)))

    def _left_out(self, tab: Tab, row: Row, column: str, value: str, cycle: Cycle) -> None:
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
