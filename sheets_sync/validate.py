"""Rows as staff typed them → clean records plus checks; bad rows are data, never exceptions."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from . import ownership, schema
from .messages import ERROR_CODES, log_key, message, word
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

_AUTO_DIRECTION = {"cycles_done": "up", "evidence:positive": "up", "evidence:negative": "down"}
_BULLETS = re.compile(r"(^|\n)\s*([-・•*●◯○]|\d+[.)、])\s*")


@dataclass(frozen=True)
class Kpi:
    """A clean KPI definition."""

    id: str
    name: str
    layer: str
    direction: str
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
    checks: list[Check] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # tab key → title in this workbook

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
            if all(is_blank(cell.value) for cell in cells.values()):
                continue
            yield _Row(index + 1, cells)


class _Validator:
    def __init__(self, snapshot: Snapshot, lang: Lang, today: date) -> None:
        self.snapshot = snapshot
        self.lang = lang
        self.today = today
        self.book = Workbook(lang=lang)
        self._tab_index = schema.tab_lookup()

    # -- checks ---------------------------------------------------------------------------
    def add(
        self,
        severity: Severity,
        code: str,
        tab: Tab,
        row: int | None = None,
        column: str | None = None,
        value: str = "",
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
        text = message(
            code,
            self.lang,
            tab=title,
            column=header,
            row=row,
            value=value,
            kpi_tab=self.book.title("kpis"),
            cycle_tab=self.book.title("cycles"),
            **fields,
        )
        self.book.checks.append(
            Check(severity, code, tab.key, row, column, value, text, title, letter)
        )

    def check(
        self,
        code: str,
        tab: Tab,
        row: int | None = None,
        column: str | None = None,
        value: str = "",
        **fields: Any,
    ) -> None:
        """Record a check; its severity follows from its code (errors leave the row out)."""
        severity: Severity = "error" if code in ERROR_CODES else "warning"
        self.add(severity, code, tab, row, column, value, **fields)

    # -- locating tabs and headers ------------------------------------------------------------
    def locate(self) -> None:
        """Pick each input tab (an exact title beats a resembling one), map its header, and read
        the Log only from a tab the sync may write (see `ownership`)."""
        self._readers: dict[str, _TabReader] = {}
        self._locate_generated()
        for tab in schema.INPUT_TABS:
            raw = self._pick_input_tab(tab)
            if raw is None:
                other = tab.en if self.lang == "ja" else tab.ja
                self.check("missing_tab", tab, other=other)
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

    def _locate_generated(self) -> None:
        decided = ownership.decide(self.snapshot)
        for key, decision in decided.decisions.items():
            if decision.action == "write" and decision.title is not None:
                self.book.titles[key] = decision.title
                if key == "log":
                    raw = next(t for t in self.snapshot.tabs if t.title == decision.title)
                    self.book.log = _read_log(raw)
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
                read=chosen.title,
                other=other.title,
                reason=word(f"ambiguous_tab_{reason}", self.lang),
            )
        return chosen

    # -- generic cell parsing ---------------------------------------------------------------
    def parse_row(self, tab: Tab, row: _Row) -> dict[str, Any] | None:
        """Each cell of a row parsed by its column's type; None (with checks) when any is bad."""
        parsed: dict[str, Any] = {}
        ok = True
        for column in tab.columns:
            cell = row.cells.get(column.key, BLANK)
            if is_blank(cell.value):
                if column.required and not self._required_waived(tab, column, row):
                    self.check("required", tab, row.number, column.key)
                    ok = False
                parsed[column.key] = None
                continue
            value = self.parse_cell(column, cell)
            if isinstance(value, Invalid):
                fields: dict[str, Any] = {}
                if value.code == "unknown_choice":
                    labels = schema.dropdown_labels(column, self.lang)
                    fields["allowed"] = "、".join(f"「{label}」" for label in labels)
                self.check(value.code, tab, row.number, column.key, cell_text(cell.value), **fields)
                ok = False
                continue
            parsed[column.key] = value
        return parsed if ok else None

    def _required_waived(self, tab: Tab, column: Column, row: _Row) -> bool:
        # An auto KPI needs no direction: it follows from what is counted.
        if tab.key == "kpis" and column.key == "direction":
            return not is_blank(row.cells.get("auto", BLANK).value)
        return False

    def parse_cell(self, column: Column, cell: RawCell) -> Any:
        kind = column.type
        if kind is ColumnType.TEXT or kind is ColumnType.KPI_REF:
            return cell_text(cell.value).strip()
        if kind is ColumnType.NUMBER:
            return parse_number(cell.value, percent_format=cell.percent)
        if kind is ColumnType.INTEGER or kind is ColumnType.CYCLE_REF:
            number = parse_integer(cell.value)
            if column.key == "cycle" and isinstance(number, int) and number < 1:
                return Invalid("not_a_number")
            return number
        if kind is ColumnType.DATE:
            return parse_date(cell.value, date_format=cell.date_format)
        if kind is ColumnType.YES_NO:
            return parse_yes_no(cell.value)
        assert column.choices is not None
        if column.choices == "auto":
            return _parse_auto(cell)
        return parse_choice(cell.value, _choice_table(column.choices))

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
            if kpi_id.casefold() in first_row:
                self.check(
                    "duplicate_id",
                    tab,
                    row.number,
                    "id",
                    kpi_id,
                    first=first_row[kpi_id.casefold()],
                )
                continue
            first_row[kpi_id.casefold()] = row.number
            auto = parsed["auto"]
            direction = parsed["direction"] or _auto_direction(auto)
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
                continue
            kept.append(cycle)
        self.book.cycles = sorted(kept, key=lambda c: c.cycle)
        for cycle in self.book.cycles:
            self._cycle_warnings(cycle)
        if kept and not any(c.status == "running" for c in kept):
            last = max(kept, key=lambda c: c.end)
            if (self.today - last.end).days > STALLED_AFTER_DAYS:
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
        if cycle.status == "done":
            if not cycle.learning:
                self.check("missing_learning", tab, cycle.row, "learning", cycle=cycle.cycle)
            if not cycle.next_step:
                self.check("missing_next_step", tab, cycle.row, "next_step", cycle=cycle.cycle)
        for key in ("hypothesis", "change"):
            text = getattr(cycle, key)
            if _has_several_items(text):
                self.check("multiple_items", tab, cycle.row, key, text)
        if "\n" in cycle.learning.strip():
            self.check("learning_too_long", tab, cycle.row, "learning", cycle.learning)
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

    def values(self) -> None:
        tab = schema.VALUES
        kpis = {kpi.id.casefold(): kpi for kpi in self.book.kpis}
        by_name = {kpi.name.casefold(): kpi for kpi in self.book.kpis}
        known_cycles = {c.cycle for c in self.book.cycles}
        typed_cycles = self._typed_keys("cycles", "cycle")
        typed_kpis = self._typed_keys("kpis", "id") | self._typed_keys("kpis", "name")
        chosen: dict[tuple[int, str], list[KpiValue]] = {}
        for row in self.rows("values"):
            parsed = self.parse_row(tab, row)
            if parsed is None:
                continue
            reference: str = parsed["kpi"]
            kpi = kpis.get(reference.casefold()) or by_name.get(reference.casefold())
            if kpi is None:
                if reference.casefold() not in typed_kpis:  # else its own row has a check
                    self.check("unknown_kpi", tab, row.number, "kpi", reference)
                continue
            number: int = parsed["cycle"]
            if number not in known_cycles:
                if str(number) not in typed_cycles:
                    self.check("unknown_cycle", tab, row.number, "cycle", str(number))
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
                kpi_name = kpis[used.kpi.casefold()].name
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
            kpi = kpis[kpi_id.casefold()]
            if "%" not in kpi.unit and "％" not in kpi.unit:
                continue
            fractions = [e for e in entries if 0 < e.value < 1]
            if fractions and any(e.value >= 1 for e in entries):
                for entry in fractions:
                    self.check(
                        "percent_as_fraction",
                        schema.VALUES,
                        entry.row,
                        "value",
                        _number_text(entry.value),
                        kpi=kpi.name,
                    )

    def evidence(self) -> None:
        tab = schema.EVIDENCE
        known_cycles = {c.cycle for c in self.book.cycles}
        typed_cycles = self._typed_keys("cycles", "cycle")
        for row in self.rows("evidence"):
            parsed = self.parse_row(tab, row)
            if parsed is None:
                continue
            day: date = parsed["date"]
            number: int | None = parsed["cycle"]
            if number is not None and number not in known_cycles:
                if str(number) not in typed_cycles:
                    self.check("unknown_cycle", tab, row.number, "cycle", str(number))
                continue
            if number is None:
                number = next((c.cycle for c in self.book.cycles if c.contains(day)), None)
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
            found.add(str(number) if isinstance(number, int) else cell_text(value).casefold())
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


def _has_several_items(text: str) -> bool:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return len(lines) > 1 or len(_BULLETS.findall(text)) > 1


def _number_text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(value)
