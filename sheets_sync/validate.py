"""Rows as staff typed them → clean records plus checks; bad rows are data, never exceptions."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from . import ownership, schema
from .display import display_width
from .items import several_items
from .messages import ERROR_CODES, MESSAGES, log_key, message, word
from .parse import (
    Invalid,
    cell_text,
    is_blank,
    parse_choice,
    parse_date,
    parse_integer,
    parse_number,
    parse_yes_no,
)
from .report import Check, Cycle, EvidenceItem, Severity
from .schema import Column, ColumnType, Lang, Tab
from .tabs import BLANK, RawCell, RawTab, Snapshot

CYCLE_DAYS = 14
STALLED_AFTER_DAYS = 3
MAX_ACTIVE_KPIS = 5
MIN_ACTIVE_KPIS = 3
HEADER_SEARCH_ROWS = 5  # a title row or two above the header is forgiven
MAX_LEARNING_WIDTH = 60  # full-width characters; a Latin letter counts half

_AUTO_DIRECTION = {"cycles_done": "up", "evidence:positive": "up", "evidence:negative": "down"}
# A bad cell in these columns degrades only itself: the check is raised, the row is kept
# (a bad end date falls back to start + 13 days, a bad direction means "no judgement").
_SOFT_COLUMNS = {
    ("kpis", "direction"),
    ("cycles", "end"),
    ("cycles", "status"),
    ("cycles", "step_done"),
}


@dataclass(frozen=True)
class Kpi:
    """A clean KPI definition."""

    id: str
    name: str
    layer: str
    direction: str | None  # None: the sheet's direction is blank or unreadable (no judgement)
    unit: str
    target: float | None
    auto: str | None
    how: str
    active: bool
    row: int


@dataclass(frozen=True)
class KpiValue:
    """A clean typed KPI value."""

    cycle: int
    kpi: str
    value: float
    note: str
    row: int


@dataclass(frozen=True)
class LogEntry:
    """A row of the Log tab, as the sync wrote it."""

    when: str
    what: str
    result: str
    cycle: int | None
    details: str


@dataclass
class Workbook:
    """The validated content of a workbook: clean records and the checks found on the way."""

    lang: Lang
    kpis: list[Kpi] = field(default_factory=list)
    cycles: list[Cycle] = field(default_factory=list)
    values: list[KpiValue] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    # Rows of tabs that are or were the Log (renamed by staff): read for past sends, never written.
    past_log: list[LogEntry] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # tab key → title in this workbook
    # Input tabs the sync could not read (missing_tab, missing_column, duplicate_column): what
    # depends on them is unknown, never "none" — their own check names the real problem.
    unreadable: set[str] = field(default_factory=set)
    # Cycles left out by their own check (overlapping_cycles): their rows are named, not lost.
    left_out_cycles: list[Cycle] = field(default_factory=list)

    def title(self, key: str) -> str:
        return self.titles.get(key, schema.TABS_BY_KEY[key].title(self.lang))


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


@dataclass
class _Row:
    number: int  # the sheet's own row number
    cells: dict[str, RawCell]


@dataclass
class _TabReader:
    """One input tab located in the snapshot, its header mapped to column keys."""

    tab: Tab
    raw: RawTab
    positions: dict[str, int]
    headers: dict[str, str]  # column key → header text as it stands in the sheet
    header_row: int  # 0-based index of the header row
    # column key → (first, second) positions when two columns of the header row read as it
    duplicates: dict[str, tuple[int, int]] = field(default_factory=dict)

    def rows(self) -> Iterable[_Row]:
        width_needed = max(self.positions.values(), default=-1) + 1
        for index in range(self.header_row + 1, len(self.raw.rows)):
            line = self.raw.rows[index]
            if len(line) < width_needed:
                line = line + [BLANK] * (width_needed - len(line))
            cells = {key: line[pos] for key, pos in self.positions.items()}
            if all(is_blank(cell.value) and not cell.uncomputed_formula for cell in cells.values()):
                continue
            yield _Row(index + 1, cells)


class _Validator:
    def __init__(self, snapshot: Snapshot, lang: Lang, today: date) -> None:
        self.snapshot = snapshot
        self.lang = lang
        self.today = today
        self.book = Workbook(lang=lang)
        self._tab_index = schema.tab_lookup()
        self._plans: dict[str, tuple[Tab, tuple[tuple[Column, bool, _CellParser], ...]]] = {}

    # -- checks ---------------------------------------------------------------------------
    def add(
        self,
        severity: Severity,
        code: str,
        tab: Tab,
        row: int | None = None,
        column: str | None = None,
        value: str = "",
        text_key: str | None = None,
        doubts: tuple[int, str] | None = None,
        **fields: Any,
    ) -> None:
        reader = self._readers.get(tab.key)
        header = ""
        letter = None
        if column is not None:
            header = reader.headers.get(column, "") if reader else ""
            header = header or tab.column(column).header(self.lang)
            if reader and column in reader.positions:
                letter = column_letter(reader.positions[column])
        title = self.book.title(tab.key)
        shown = fields.pop("tab_name", title)  # a check may name the tab by its proper title
        text = message(
            text_key or code,
            self.lang,
            tab=shown,
            column=header,
            row=row,
            value=value,
            kpi_tab=self.book.title("kpis"),
            cycle_tab=self.book.title("cycles"),
            **fields,
        )
        self.book.checks.append(
            Check(severity, code, tab.key, row, column, value, text, title, letter, doubts)
        )

    def check(
        self,
        code: str,
        tab: Tab,
        row: int | None = None,
        column: str | None = None,
        value: str = "",
        text_key: str | None = None,
        doubts: tuple[int, str] | None = None,
        **fields: Any,
    ) -> None:
        """Record a check; its severity follows from its code (errors leave the row out)."""
        severity: Severity = "error" if code in ERROR_CODES else "warning"
        self.add(severity, code, tab, row, column, value, text_key, doubts, **fields)

    # -- locating tabs and headers ------------------------------------------------------------
    def locate(self) -> None:
        """Pick each input tab (an exact title beats a resembling one), map its header, and read
        the Log only from a tab the sync may write, past sends also from a renamed Log (see
        `ownership`)."""
        self._readers: dict[str, _TabReader] = {}
        self._locate_generated()
        for tab in schema.INPUT_TABS:
            raw = self._pick_input_tab(tab)
            if raw is None:
                other = tab.en if self.lang == "ja" else tab.ja
                self.check("missing_tab", tab, other=other)
                self.book.unreadable.add(tab.key)
                continue
            self.book.titles[tab.key] = raw.title
            self._readers[tab.key] = _locate_header(tab, raw)
        for key, reader in list(self._readers.items()):
            missing = [
                c for c in reader.tab.columns if c.required and c.key not in reader.positions
            ]
            for column in missing:
                self.check("missing_column", reader.tab, 1 + reader.header_row, column.key)
            for column_key, (first, second) in reader.duplicates.items():
                self.check(
                    "duplicate_column",
                    reader.tab,
                    1 + reader.header_row,
                    column_key,
                    first=_column_name(reader.raw, reader.header_row, first),
                    second=_column_name(reader.raw, reader.header_row, second),
                )
            if missing or reader.duplicates:
                del self._readers[key]
                self.book.unreadable.add(key)

    def _locate_generated(self) -> None:
        decided = ownership.decide(self.snapshot)
        for key, decision in decided.decisions.items():
            if decision.action == "write" and decision.title is not None:
                self.book.titles[key] = decision.title
                if key == "log":
                    raw = next(t for t in self.snapshot.tabs if t.title == decision.title)
                    self.book.log = _read_log(raw)
        log_title = self.book.titles.get("log")
        for raw in ownership.past_logs(self.snapshot, log_title):
            self.book.past_log.extend(_read_log(raw))
        for key, title in decided.not_ours:
            tab = schema.TABS_BY_KEY[key]
            self.check("tab_not_ours", tab, value=title, title=title.strip())

    def _pick_input_tab(self, tab: Tab) -> RawTab | None:
        chosen, other, reason = pick_tab(self.snapshot, tab)
        if chosen is not None and other is not None:
            self.book.titles[tab.key] = chosen.title
            self.check(
                "ambiguous_tab",
                tab,
                value=other.title,
                tab_name=tab.title(self.lang),
                read=chosen.title,
                other=other.title,
                reason=word(f"ambiguous_tab_{reason}", self.lang),
            )
        return chosen

    # -- generic cell parsing ---------------------------------------------------------------
    def parse_row(self, tab: Tab, row: _Row) -> dict[str, Any] | None:
        """Each cell of a row parsed by its column's type; None (with checks) when any is bad.

        A bad cell of a soft column (`_SOFT_COLUMNS`) is checked but parsed as blank, so the
        row stays; a formula without a saved result is `formula_no_value`, never "blank".
        """
        parsed: dict[str, Any] = {}
        ok = True
        cells = row.cells
        for column, soft, parse in self._plan(tab):
            cell = cells.get(column.key, BLANK)
            parsed[column.key] = None
            blank = is_blank(cell.value)
            if blank and cell.uncomputed_formula:
                self.check(
                    "formula_no_value",
                    tab,
                    row.number,
                    column.key,
                    text_key="formula_no_value_required" if column.required else None,
                )
                ok = ok and not column.required
                continue
            if blank:
                if column.required and not self._required_waived(tab, column, row):
                    self.check(
                        "required",
                        tab,
                        row.number,
                        column.key,
                        text_key=f"required_{column.key}" if soft else None,
                    )
                    ok = ok and soft
                continue
            value = parse(cell)
            if isinstance(value, Invalid):
                fields: dict[str, Any] = {}
                if value.code == "unknown_choice":
                    labels = schema.dropdown_labels(column, self.lang)
                    fields["allowed"] = "、".join(f"「{label}」" for label in labels)
                    if self.lang == "en":
                        fields["allowed"] = ", ".join(f'"{label}"' for label in labels)
                text_key = f"{value.code}_{column.key}" if soft else None
                if text_key is not None and text_key not in MESSAGES:
                    text_key = None
                self.check(
                    value.code,
                    tab,
                    row.number,
                    column.key,
                    cell_text(cell.value),
                    text_key,
                    **fields,
                )
                ok = ok and soft
                continue
            parsed[column.key] = value
        return parsed if ok else None

    def _required_waived(self, tab: Tab, column: Column, row: _Row) -> bool:
        # An auto KPI needs no direction: it follows from what is counted.
        if tab.key == "kpis" and column.key == "direction":
            return not is_blank(row.cells.get("auto", BLANK).value)
        return False

    def _plan(self, tab: Tab) -> tuple[tuple[Column, bool, _CellParser], ...]:
        """Each column of a tab with whether it is soft and its parser, worked out once per tab
        rather than once per cell (`tab` is one of the schema's own, so its key names it)."""
        plan = self._plans.get(tab.key)
        if plan is None or plan[0] is not tab:
            soft = {column for key, column in _SOFT_COLUMNS if key == tab.key}
            columns = tuple((c, c.key in soft, _cell_parser(c)) for c in tab.columns)
            plan = self._plans[tab.key] = (tab, columns)
        return plan[1]

    def rows(self, key: str) -> Iterable[_Row]:
        reader = self._readers.get(key)
        return reader.rows() if reader else ()

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
                self.check(
                    "duplicate_id",
                    tab,
                    row.number,
                    "id",
                    kpi_id,
                    first=first_row[fold(kpi_id)],
                )
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
        if "kpis" not in self._readers:
            return
        active = [kpi for kpi in self.book.kpis if kpi.active]
        if len(active) > MAX_ACTIVE_KPIS:
            self.check("too_many_kpis", tab, count=len(active))
        elif len(active) < MIN_ACTIVE_KPIS:
            self.check("too_few_kpis", tab, count=len(active))
        for layer in schema.LAYERS:
            if not any(kpi.layer == layer for kpi in active):
                label = schema.choice_label("layer", layer, self.lang)
                self.check("missing_layer", tab, layer=label)

    def cycles(self) -> None:
        tab = schema.CYCLES
        first_row: dict[int, int] = {}
        candidates: list[Cycle] = []
        for row in self.rows("cycles"):
            parsed = self.parse_row(tab, row)
            if parsed is None:
                continue
            number: int = parsed["cycle"]
            if number in first_row:
                self.check(
                    "duplicate_cycle",
                    tab,
                    row.number,
                    "cycle",
                    str(number),
                    first=first_row[number],
                )
                continue
            first_row[number] = row.number
            start: date = parsed["start"]
            end: date = parsed["end"] or start + timedelta(days=CYCLE_DAYS - 1)
            if end < start:
                self.check(
                    "end_before_start",
                    tab,
                    row.number,
                    "end",
                    end.isoformat(),
                    start=start.isoformat(),
                )
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
        kept: list[Cycle] = []
        for cycle in sorted(candidates, key=lambda c: (c.start, c.row)):
            clash = next((k for k in kept if cycle.start <= k.end and k.start <= cycle.end), None)
            if clash is not None:
                self.check(
                    "overlapping_cycles",
                    tab,
                    cycle.row,
                    "start",
                    cycle.start.isoformat(),
                    cycle=cycle.cycle,
                    other=clash.cycle,
                    other_start=clash.start.isoformat(),
                    other_end=clash.end.isoformat(),
                )
                self.book.left_out_cycles.append(cycle)
                continue
            kept.append(cycle)
        self.book.cycles = sorted(kept, key=lambda c: c.cycle)
        for cycle in self.book.cycles:
            self._cycle_warnings(cycle)
        self._order_warnings()
        if kept and not any(c.status == "running" for c in kept):
            last = max(kept, key=lambda c: c.end)
            left_out = next((c for c in self.book.left_out_cycles if c.contains(self.today)), None)
            if left_out is not None and (self.today - last.end).days > STALLED_AFTER_DAYS:
                # A cycle does run today, but its own check leaves it out: say that instead.
                self.check(
                    "cycle_stalled",
                    tab,
                    left_out.row,
                    "start",
                    left_out.start.isoformat(),
                    text_key="cycle_stalled_left_out",
                    cycle=left_out.cycle,
                    cycle_row=left_out.row,
                )
            elif (self.today - last.end).days > STALLED_AFTER_DAYS:
                self.check(
                    "cycle_stalled",
                    tab,
                    last.row,
                    "end",
                    last.end.isoformat(),
                    cycle=last.cycle,
                    end=last.end.isoformat(),
                )

    def _cycle_warnings(self, cycle: Cycle) -> None:
        tab = schema.CYCLES
        if cycle.status in ("running", "done"):
            if not cycle.hypothesis:
                self.check("missing_hypothesis", tab, cycle.row, "hypothesis", cycle=cycle.cycle)
            if not cycle.change:
                self.check("missing_change", tab, cycle.row, "change", cycle=cycle.cycle)
        if cycle.status == "done":
            if not cycle.learning:
                self.check("missing_learning", tab, cycle.row, "learning", cycle=cycle.cycle)
            if not cycle.next_step:
                self.check("missing_next_step", tab, cycle.row, "next_step", cycle=cycle.cycle)
        for key in ("hypothesis", "change", "next_step"):
            text = getattr(cycle, key)
            if several_items(text):
                self.check("multiple_items", tab, cycle.row, key, text)
        if learning_too_long(cycle.learning):
            self.check(
                "learning_too_long",
                tab,
                cycle.row,
                "learning",
                cycle.learning,
                limit=MAX_LEARNING_WIDTH,
            )
        days = (cycle.end - cycle.start).days + 1
        if days != CYCLE_DAYS:
            self.check(
                "cycle_length",
                tab,
                cycle.row,
                "end",
                cycle.end.isoformat(),
                cycle=cycle.cycle,
                days=days,
            )

    def _order_warnings(self) -> None:
        """`cycle_order`: a cycle that starts before the cycle numbered just below it."""
        for before, after in zip(self.book.cycles, self.book.cycles[1:], strict=False):
            if after.start < before.start:
                self.check(
                    "cycle_order",
                    schema.CYCLES,
                    after.row,
                    "start",
                    after.start.isoformat(),
                    cycle=after.cycle,
                    other=before.cycle,
                    other_start=before.start.isoformat(),
                )

    def values(self) -> None:
        tab = schema.VALUES
        kpis = {fold(kpi.id): kpi for kpi in self.book.kpis}
        by_name = {fold(kpi.name): kpi for kpi in self.book.kpis}
        known_cycles = {c.cycle for c in self.book.cycles}
        typed_cycles = self._typed_keys("cycles", "cycle")
        typed_kpis = self._typed_keys("kpis", "id") | self._typed_keys("kpis", "name")
        chosen: dict[tuple[int, str], list[KpiValue]] = {}
        for row in self.rows("values"):
            parsed = self.parse_row(tab, row)
            if parsed is None:
                continue
            reference: str = parsed["kpi"]
            kpi = kpis.get(fold(reference)) or by_name.get(fold(reference))
            if kpi is None:
                # Else its own row has a check, or the KPI tab's header check says it all.
                if fold(reference) not in typed_kpis and "kpis" not in self.book.unreadable:
                    self.check("unknown_kpi", tab, row.number, "kpi", reference)
                continue
            number: int = parsed["cycle"]
            if number not in known_cycles:
                self._unknown_cycle(tab, row, number, typed_cycles)
                continue
            if kpi.auto:
                self.check(
                    "value_for_auto_kpi",
                    tab,
                    row.number,
                    "value",
                    cell_text(row.cells["value"].value),
                    kpi=kpi.name,
                )
                continue
            entry = KpiValue(number, kpi.id, parsed["value"], parsed["note"] or "", row.number)
            chosen.setdefault((number, kpi.id), []).append(entry)
        for (number, _), entries in chosen.items():
            if len(entries) > 1:
                used = entries[-1]
                rows = (
                    "、".join(str(e.row) for e in entries)
                    if self.lang == "ja"
                    else ", ".join(str(e.row) for e in entries)
                )
                kpi_name = kpis[fold(used.kpi)].name
                for entry in entries:
                    self.check(
                        "duplicate_value",
                        tab,
                        entry.row,
                        "value",
                        _number_text(entry.value),
                        cycle=number,
                        kpi=kpi_name,
                        count=len(entries),
                        rows=rows,
                        used=used.row,
                    )
            self.book.values.append(entries[-1])
        self._percent_warnings(kpis)

    def _percent_warnings(self, kpis: dict[str, Kpi]) -> None:
        by_kpi: dict[str, list[KpiValue]] = {}
        for entry in self.book.values:
            by_kpi.setdefault(entry.kpi, []).append(entry)
        for kpi_id, entries in by_kpi.items():
            kpi = kpis[fold(kpi_id)]
            if "%" not in kpi.unit and "％" not in kpi.unit:
                continue
            fractions = [e for e in entries if 0 < e.value < 1]
            # Doubted when the other values are whole percents, or when the target is (a KPI
            # typed as fractions throughout has no whole value to compare with).
            whole_target = kpi.target is not None and kpi.target >= 1
            if fractions and (whole_target or any(e.value >= 1 for e in entries)):
                for entry in fractions:
                    self.check(
                        "percent_as_fraction",
                        schema.VALUES,
                        entry.row,
                        "value",
                        _number_text(entry.value),
                        doubts=(entry.cycle, entry.kpi),
                        kpi=kpi.name,
                        percent=_number_text(round(entry.value * 100, 10)),
                    )

    def evidence(self) -> None:
        tab = schema.EVIDENCE
        known_cycles = {c.cycle for c in self.book.cycles}
        typed_cycles = self._typed_keys("cycles", "cycle")
        # date → (the cycle containing it, a left-out cycle containing it): a large tab holds a
        # few dozen distinct dates, so each is looked up once, not once per row.
        by_day: dict[date, tuple[int | None, Cycle | None]] = {}
        for row in self.rows("evidence"):
            parsed = self.parse_row(tab, row)
            if parsed is None:
                continue
            day: date = parsed["date"]
            number: int | None = parsed["cycle"]
            if number is not None and number not in known_cycles:
                self._unknown_cycle(tab, row, number, typed_cycles)
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
                    continue
                if number is None and self.book.cycles:
                    self.check("evidence_outside_cycles", tab, row.number, "date", day.isoformat())
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
            if parsed["next_try"] and several_items(parsed["next_try"]):  # "" is never several
                self.check("multiple_items", tab, row.number, "next_try", parsed["next_try"])
        self._completeness_warnings()

    def _completeness_warnings(self) -> None:
        """`evidence_incomplete`: fewer than half of a cycle's rows have both scene and next try
        (one check per cycle, on its first incomplete row)."""
        by_cycle: dict[int, list[EvidenceItem]] = {}
        for item in self.book.evidence:
            if item.cycle is not None:
                by_cycle.setdefault(item.cycle, []).append(item)
        for number in sorted(by_cycle):
            items = by_cycle[number]
            complete = [item for item in items if item.scene and item.next_try]
            if len(complete) * 2 >= len(items):
                continue
            first = next(item for item in items if not (item.scene and item.next_try))
            self.check(
                "evidence_incomplete",
                schema.EVIDENCE,
                first.row,
                "scene" if not first.scene else "next_try",
                cycle=number,
                complete=len(complete),
                total=len(items),
            )

    def _unknown_cycle(self, tab: Tab, row: _Row, number: int, typed: set[str]) -> None:
        """A row naming a cycle the computation lacks: a cycle left out by its own check is
        named with it; an unknown one is `unknown_cycle`; a cycle whose row has its own check,
        or a Cycles tab that could not be read, needs no second check."""
        left_out = next((c for c in self.book.left_out_cycles if c.cycle == number), None)
        if left_out is not None:
            self._left_out(tab, row, "cycle", str(number), left_out)
        elif str(number) not in typed and "cycles" not in self.book.unreadable:
            self.check("unknown_cycle", tab, row.number, "cycle", str(number))

    def _left_out(self, tab: Tab, row: _Row, column: str, value: str, cycle: Cycle) -> None:
        """A value or evidence row of a cycle left out by its own check: named, not lost."""
        self.check(
            "unknown_cycle",
            tab,
            row.number,
            column,
            value,
            text_key=f"cycle_left_out_{tab.key}",
            cycle=cycle.cycle,
            cycle_row=cycle.row,
        )

    def _typed_keys(self, tab_key: str, column: str) -> set[str]:
        """Every value typed in a column, even on rows that failed validation (folded)."""
        reader = self._readers.get(tab_key)
        if reader is None or column not in reader.positions:
            return set()
        found: set[str] = set()
        for row in reader.rows():
            value = row.cells[column].value
            if is_blank(value):
                continue
            number = parse_integer(value)
            found.add(str(number) if isinstance(number, int) else fold(cell_text(value)))
        return found

    def run(self) -> Workbook:
        self.locate()
        self.kpis()
        self.cycles()
        self.values()
        self.evidence()
        return self.book


def validate(snapshot: Snapshot, lang: Lang, today: date) -> Workbook:
    """Validate every input tab of a snapshot; the Log tab is read along the way."""
    return _Validator(snapshot, lang, today).run()


def pick_tab(snapshot: Snapshot, tab: Tab) -> tuple[RawTab | None, RawTab | None, str]:
    """The tab read as an input tab, a second candidate if any, and why the first won ("exact":
    its title matches exactly, the other only resembles; "first": first in the tab order)."""
    exact = [raw for raw in snapshot.tabs if raw.title.strip() in (tab.ja, tab.en)]
    exact_ids = {id(raw) for raw in exact}
    lookup = schema.tab_lookup()
    fuzzy = [
        raw
        for raw in snapshot.tabs
        if id(raw) not in exact_ids and lookup.get(schema.normalize_label(raw.title)) == tab.key
    ]
    candidates = exact + fuzzy
    if not candidates:
        return None, None, ""
    if len(candidates) == 1:
        return candidates[0], None, ""
    other = candidates[1]
    return candidates[0], other, "exact" if exact and id(other) not in exact_ids else "first"


@dataclass(frozen=True)
class HeaderLocation:
    """Where the sync reads an input tab: its title, its header row and the columns found."""

    title: str
    header_row: int  # 0-based
    positions: dict[str, int]
    width: int  # the columns in use on the tab (a new column goes after them)


def locate_headers(snapshot: Snapshot) -> dict[str, HeaderLocation]:
    """Each input tab present, found exactly as `validate` finds it (for `upgrade`)."""
    found: dict[str, HeaderLocation] = {}
    for tab in schema.INPUT_TABS:
        raw, _, _ = pick_tab(snapshot, tab)
        if raw is None:
            continue
        reader = _locate_header(tab, raw)
        width = max(
            (i + 1 for line in raw.rows for i, c in enumerate(line) if not is_blank(c.value)),
            default=0,
        )
        found[tab.key] = HeaderLocation(raw.title, reader.header_row, reader.positions, width)
    return found


def _locate_header(tab: Tab, raw: RawTab) -> _TabReader:
    """The header row among the first few (the one naming most columns), mapped to keys."""
    lookup = schema.header_lookup(tab)
    best: tuple[int, int, dict[str, int], dict[str, str], dict[str, tuple[int, int]]]
    best = (-1, 0, {}, {}, {})
    for index, line in enumerate(raw.rows[:HEADER_SEARCH_ROWS]):
        positions: dict[str, int] = {}
        headers: dict[str, str] = {}
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
            headers[key] = cell_text(cell.value)
        if len(positions) > best[0]:
            best = (len(positions), index, positions, headers, duplicates)
        if index == 0 and len(positions) >= 2:
            break  # the usual case: row 1 is the header
    _, index, positions, headers, duplicates = best
    return _TabReader(tab, raw, positions, headers, index, duplicates)


def _column_name(raw: RawTab, header_row: int, position: int) -> str:
    """A column as staff see it: its letter and its header, e.g. `C (値)`."""
    return f"{column_letter(position)} ({cell_text(raw.rows[header_row][position].value)})"


def _read_log(raw: RawTab) -> list[LogEntry]:
    entries: list[LogEntry] = []
    for line in raw.rows[1:]:
        texts = [cell_text(cell.value) for cell in line] + [""] * 5
        if not any(texts[:5]):
            continue
        number = parse_integer(line[3].value) if len(line) > 3 else None
        cycle = number if isinstance(number, int) else None
        what, result = log_key(texts[1]), log_key(texts[2])  # stored in either language
        entries.append(LogEntry(texts[0], what, result, cycle, texts[4]))
    return entries


_CellParser = Callable[[RawCell], Any]


def _cell_parser(column: Column) -> _CellParser:
    """How a column's cells are read, by its type: chosen once per column, since telling the
    type apart cell by cell (eight enum lookups for a choice) cost more than reading the cell."""
    kind = column.type
    if kind is ColumnType.TEXT or kind is ColumnType.KPI_REF:
        return _parse_text
    if kind is ColumnType.NUMBER:
        return _parse_number
    if kind is ColumnType.INTEGER or kind is ColumnType.CYCLE_REF:
        return _parse_cycle if column.key == "cycle" else _parse_integer
    if kind is ColumnType.DATE:
        return _parse_date
    if kind is ColumnType.YES_NO:
        return _parse_yes_no
    assert column.choices is not None
    if column.choices == "auto":
        return _parse_auto
    table = _choice_table(column.choices)
    return lambda cell: parse_choice(cell.value, table)


def _parse_text(cell: RawCell) -> str:
    return cell_text(cell.value).strip()


def _parse_number(cell: RawCell) -> float | Invalid:
    return parse_number(cell.value, percent_format=cell.percent)


def _parse_integer(cell: RawCell) -> int | Invalid:
    return parse_integer(cell.value)


def _parse_cycle(cell: RawCell) -> int | Invalid:
    """A cycle number: a whole number from 1 up."""
    number = parse_integer(cell.value)
    if isinstance(number, int) and number < 1:
        return Invalid("not_a_number")
    return number


def _parse_date(cell: RawCell) -> date | Invalid:
    return parse_date(cell.value, date_format=cell.date_format)


def _parse_yes_no(cell: RawCell) -> bool | Invalid:
    return parse_yes_no(cell.value)


_CHOICE_TABLES: dict[str, dict[str, str]] = {}


def _choice_table(name: str) -> dict[str, str]:
    if name not in _CHOICE_TABLES:
        _CHOICE_TABLES[name] = schema.choice_lookup(name)
    return _CHOICE_TABLES[name]


def _parse_auto(cell: RawCell) -> str | Invalid:
    """An auto KPI: a listed label, or `evidence:` followed by any spelling of a signal."""
    known = parse_choice(cell.value, _choice_table("auto"))
    if not isinstance(known, Invalid):
        return known
    text = schema.normalize_label(cell_text(cell.value))
    for prefix in ("evidence:", "証拠:"):
        if text.startswith(prefix):
            rest = text.removeprefix(prefix)
            polarity = {
                "positive": "positive",
                "プラス": "positive",
                "negative": "negative",
                "マイナス": "negative",
            }.get(rest)
            if polarity:
                return f"evidence:{polarity}"
            signal = _choice_table("signal").get(rest)
            if signal:
                return f"evidence:{signal}"
    return Invalid("unknown_choice")


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


def fold(text: str) -> str:
    """An id or a reference as compared: NFKC (Ｋ４ is K4), case and surrounding spaces ignored."""
    return unicodedata.normalize("NFKC", text).strip().casefold()


def learning_too_long(text: str) -> bool:
    """More than one line, or wider than 60 full-width characters (a Latin letter is half)."""
    text = text.strip()
    if "\n" in text:
        return True
    return display_width(text) / 2 > MAX_LEARNING_WIDTH


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
