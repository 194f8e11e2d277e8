"""The method's own rules as a table: each a small function over clean records that yields what
it finds, registered with its check code and the tabs it needs (its severity follows from the
code, see `findings.severity`).

A rule never decides which rows count (reading does): it only tells staff what the method asks
of the rows they kept. Adding a rule is a function and a row in `RULES`; a finding says which
cycle it is about, so the agenda can keep to the cycles the meeting looks at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from typing import Literal

from ..sheet import schema
from ..util.display import display_width
from .blame import about_person
from .findings import Finding, number_text, severity
from .items import several_items
from .kpi_words import kpi_label
from .report import Cycle, EvidenceItem, EvidenceJson, Severity
from .workbook import Kpi, KpiValue, Workbook

STALLED_AFTER_DAYS = 3
MAX_ACTIVE_KPIS = 5
MIN_ACTIVE_KPIS = 3
MAX_LEARNING_WIDTH = 60  # full-width characters; a Latin letter counts half

# What a rule needs: input tabs that were read, and "review", the cycle the meeting reviews
# (known once compute has the run's timing, so those rules run there).
Need = Literal["kpis", "cycles", "values", "evidence", "review"]


@dataclass(frozen=True)
class Context:
    """What a rule may look at."""

    book: Workbook
    today: date
    review: Cycle | None = None  # the review rules' cycle
    evidence: Sequence[EvidenceJson] = ()  # the report's evidence table (its `thin` flags)


Find = Callable[[Context], Iterable[Finding]]


@dataclass(frozen=True)
class Rule:
    """One row of the table.

    `each`: the rule speaks about single records (a cycle, a value row, an evidence row), and
    its findings are listed with that record's own reading checks; otherwise about a tab as a
    whole, listed after them."""

    code: str
    find: Find
    needs: frozenset[Need] = frozenset()
    each: bool = False

    @property
    def severity(self) -> Severity:
        return severity(self.code)

    def can_run(self, context: Context) -> bool:
        """Not on a tab that could not be read (its own check says why), nor without a review
        cycle when it needs one."""
        if "review" in self.needs and context.review is None:
            return False
        return not any(need in context.book.unreadable for need in self.needs)


# --- the KPI tab ----------------------------------------------------------------------------
def too_many_kpis(context: Context) -> Iterator[Finding]:
    """More than five active KPIs: more than one meeting can look at."""
    active = [kpi for kpi in context.book.kpis if kpi.active]
    if len(active) > MAX_ACTIVE_KPIS:
        yield Finding("kpis", fields={"count": len(active)})


def too_few_kpis(context: Context) -> Iterator[Finding]:
    """Fewer than three active KPIs: one per layer is the least the method reads."""
    active = [kpi for kpi in context.book.kpis if kpi.active]
    if len(active) < MIN_ACTIVE_KPIS:
        yield Finding("kpis", fields={"count": len(active)})


def missing_layer(context: Context) -> Iterator[Finding]:
    """A layer (action, intermediate, result) without an active KPI."""
    book = context.book
    layers = {kpi.layer for kpi in book.kpis if kpi.active}
    for layer in schema.LAYERS:
        if layer not in layers:
            yield Finding("kpis", fields={"layer": schema.choice_label("layer", layer, book.lang)})


# --- each cycle -----------------------------------------------------------------------------
def missing_hypothesis(context: Context) -> Iterator[Finding]:
    """A running or done cycle without its hypothesis."""
    return _cycles_lacking(context, "hypothesis", ("running", "done"))


def missing_change(context: Context) -> Iterator[Finding]:
    """A running or done cycle without its change."""
    return _cycles_lacking(context, "change", ("running", "done"))


def missing_learning(context: Context) -> Iterator[Finding]:
    """A done cycle without its learning."""
    return _cycles_lacking(context, "learning", ("done",))


def missing_next_step(context: Context) -> Iterator[Finding]:
    """A done cycle without its next step."""
    return _cycles_lacking(context, "next_step", ("done",))


def _cycles_lacking(context: Context, column: str, statuses: tuple[str, ...]) -> Iterator[Finding]:
    for cycle in context.book.cycles:
        if cycle.status in statuses and not getattr(cycle, column):
            yield Finding("cycles", cycle.row, column, cycle=cycle.cycle)


def learning_too_long(context: Context) -> Iterator[Finding]:
    """A learning that is not one short line."""
    for cycle in context.book.cycles:
        if too_long(cycle.learning):
            yield Finding(
                "cycles",
                cycle.row,
                "learning",
                cycle.learning,
                cycle=cycle.cycle,
                fields={"limit": MAX_LEARNING_WIDTH},
            )


def cycle_length(context: Context) -> Iterator[Finding]:
    """A cycle that is not two weeks long."""
    for cycle in context.book.cycles:
        days = (cycle.end - cycle.start).days + 1
        if days != schema.CYCLE_DAYS:
            yield Finding(
                "cycles",
                cycle.row,
                "end",
                cycle.end.isoformat(),
                cycle.cycle,
                fields={"days": days},
            )


_ONE_ITEM_COLUMNS = ("hypothesis", "change", "next_step")  # of a cycle; evidence: next_try


def multiple_items(context: Context) -> Iterator[Finding]:
    """A hypothesis, change, next step or next try holding more than one item."""
    for cycle in context.book.cycles:
        for column in _ONE_ITEM_COLUMNS:
            text = getattr(cycle, column)
            if several_items(text):
                yield Finding("cycles", cycle.row, column, text, cycle.cycle)
    for item in context.book.evidence:
        if item.next_try and several_items(item.next_try):  # "" is never several
            yield Finding("evidence", item.row, "next_try", item.next_try, item.cycle)


_PERSON_COLUMNS = ("hypothesis", "learning")  # of a cycle; evidence: next_try


def learning_about_person(context: Context) -> Iterator[Finding]:
    """A hypothesis, learning or next try about someone on the team rather than customers (a
    name from 担当/記録者, or a person word, with a fault word: see `blame`). Nobody is blamed:
    the message offers the customer-centred form."""
    book = context.book
    names = {c.owner for c in book.cycles if c.owner} | {e.by for e in book.evidence if e.by}
    for cycle in book.cycles:
        for column in _PERSON_COLUMNS:
            text = getattr(cycle, column)
            if text and about_person(text, names) is not None:
                yield Finding("cycles", cycle.row, column, text, cycle.cycle)
    for item in book.evidence:
        if item.next_try and about_person(item.next_try, names) is not None:
            yield Finding("evidence", item.row, "next_try", item.next_try, item.cycle)


def no_cycles(context: Context) -> Iterator[Finding]:
    """The Cycles tab has no rows at all: nothing can be counted until cycle 1 is there."""
    book = context.book
    if not book.cycles and not book.left_out_cycles and book.rows_found.get("cycles", 0) == 0:
        header = {key: schema.CYCLES.column(key).header(book.lang) for key in _FIRST_CYCLE}
        yield Finding("cycles", fields=header)


_FIRST_CYCLE = ("start", "hypothesis", "change")  # what cycle 1 needs to be counted


# --- the cycles together ----------------------------------------------------------------------
def cycle_order(context: Context) -> Iterator[Finding]:
    """A cycle that starts before the cycle numbered just below it."""
    for before, after in pairwise(context.book.cycles):
        if after.start < before.start:
            yield Finding(
                "cycles",
                after.row,
                "start",
                after.start.isoformat(),
                after.cycle,
                fields={"other": before.cycle, "other_start": before.start},
            )


def cycle_stalled(context: Context) -> Iterator[Finding]:
    """No cycle runs and the last one ended more than three days ago (or the one that runs
    today is left out by its own check: that is said instead)."""
    book, today = context.book, context.today
    if not book.cycles or any(c.status == "running" for c in book.cycles):
        return
    last = max(book.cycles, key=lambda c: c.end)
    if (today - last.end).days <= STALLED_AFTER_DAYS:
        return
    left_out = next((c for c in book.left_out_cycles if c.contains(today)), None)
    if left_out is not None:
        yield Finding(
            "cycles",
            left_out.row,
            "start",
            left_out.start.isoformat(),
            left_out.cycle,
            text_key="cycle_stalled_left_out",
            fields={"cycle_row": left_out.row},
        )
    else:
        typed = last.end.isoformat()
        yield Finding("cycles", last.row, "end", typed, last.cycle, fields={"end": last.end})


# --- values -----------------------------------------------------------------------------------
def value_for_auto_kpi(context: Context) -> Iterator[Finding]:
    """A value typed for a KPI the sync counts itself (reading leaves it out)."""
    names = {kpi.id: kpi.name for kpi in context.book.kpis}
    for value in context.book.auto_values:
        kpi = kpi_label(names[value.kpi], value.kpi)
        yield Finding("values", value.row, "value", value.typed, value.cycle, fields={"kpi": kpi})


def percent_as_fraction(context: Context) -> Iterator[Finding]:
    """A % KPI's value between 0 and 1 while its other values (or its target) are whole
    percents: 0.25 meant as 25 %. The value is doubted, never judged."""
    kpis = {kpi.id: kpi for kpi in context.book.kpis}
    by_kpi: dict[str, list[KpiValue]] = {}
    for entry in context.book.values:
        by_kpi.setdefault(entry.kpi, []).append(entry)
    for kpi_id, entries in by_kpi.items():
        kpi = kpis[kpi_id]
        if "%" not in kpi.unit and "％" not in kpi.unit:
            continue
        fractions = [e for e in entries if 0 < e.value < 1]
        # A KPI typed as fractions throughout has no whole value to compare with.
        whole_target = kpi.target is not None and kpi.target >= 1
        if not fractions or not (whole_target or any(e.value >= 1 for e in entries)):
            continue
        for entry in fractions:
            yield Finding(
                "values",
                entry.row,
                "value",
                number_text(entry.value),
                entry.cycle,
                doubts=(entry.cycle, entry.kpi),
                fields={
                    "kpi": kpi_label(kpi.name, kpi.id),
                    "percent": number_text(round(entry.value * 100, 10)),
                },
            )


# --- evidence ---------------------------------------------------------------------------------
def evidence_outside_cycles(context: Context) -> Iterator[Finding]:
    """An evidence row whose date is in no cycle (and no cycle typed)."""
    if not context.book.cycles:
        return  # without cycles every row is outside them: nothing to point at
    for item in context.book.evidence:
        if item.cycle is None:
            yield Finding("evidence", item.row, "date", item.date.isoformat())


def evidence_incomplete(context: Context) -> Iterator[Finding]:
    """Fewer than half of a cycle's evidence rows have both scene and next try (one finding
    per cycle, on its first incomplete row)."""
    by_cycle: dict[int, list[EvidenceItem]] = {}
    for item in context.book.evidence:
        if item.cycle is not None:
            by_cycle.setdefault(item.cycle, []).append(item)
    for number in sorted(by_cycle):
        items = by_cycle[number]
        complete = sum(1 for item in items if item.scene and item.next_try)
        if complete * 2 >= len(items):
            continue
        first = next(item for item in items if not (item.scene and item.next_try))
        yield Finding(
            "evidence",
            first.row,
            "scene" if not first.scene else "next_try",
            cycle=number,
            fields={"complete": complete, "total": len(items)},
        )


# --- the cycle under review -------------------------------------------------------------------
def stale_data(context: Context) -> Iterator[Finding]:
    """The review cycle has no typed KPI value, or no evidence, yet. A tab that could not be
    read is not empty: its own check names it, and nothing here asks for rows it may hold."""
    book, cycle = context.book, context.review
    assert cycle is not None
    typed = _typed_kpis(book) if "values" not in book.unreadable else []
    # A row that is there but could not be read is not "no value": its own error says so.
    lost = any(row.tab == "values" and row.cycle == cycle.cycle for row in book.lost)
    no_values = bool(typed) and not lost and not any(v.cycle == cycle.cycle for v in book.values)
    no_evidence = "evidence" not in book.unreadable and _evidence_rows(book, cycle) == 0
    if not (no_values or no_evidence):
        return
    # One message per case, so each reads as a whole sentence in both languages.
    key = "stale_data_evidence" if no_evidence else "stale_data_values"
    key = "stale_data" if no_values and no_evidence else key
    tabs = {"values_tab": book.title("values"), "evidence_tab": book.title("evidence")}
    yield Finding("cycles", cycle.row, "cycle", str(cycle.cycle), cycle.cycle, key, fields=tabs)


def missing_value(context: Context) -> Iterator[Finding]:
    """An active typed KPI without a value for the review cycle (a row that is there but could
    not be read has its own error instead)."""
    book, cycle = context.book, context.review
    assert cycle is not None
    valued = {v.kpi for v in book.values if v.cycle == cycle.cycle}
    valued |= {
        row.kpi
        for row in book.lost
        if row.tab == "values" and row.cycle == cycle.cycle and row.kpi is not None
    }
    for kpi in _typed_kpis(book):
        if kpi.id not in valued:
            fields = {"kpi": kpi_label(kpi.name, kpi.id), "id": kpi.id}
            yield Finding("values", cycle=cycle.cycle, fields=fields)


def evidence_thin(context: Context) -> Iterator[Finding]:
    """The review cycle has too few evidence rows to read a change (see `compute.is_thin`);
    with none at all, `stale_data` says so."""
    cycle = context.review
    assert cycle is not None
    entry = next((e for e in context.evidence if e["cycle"] == cycle.cycle), None)
    rows = _evidence_rows(context.book, cycle)
    if entry is not None and entry["thin"] and rows > 0:
        yield Finding("evidence", cycle=cycle.cycle, fields={"count": rows})


# --- the table --------------------------------------------------------------------------------
# Findings about one record are listed in this order (so evidence_outside_cycles comes before
# multiple_items on one evidence row).
RULES: tuple[Rule, ...] = (
    Rule("too_many_kpis", too_many_kpis, frozenset({"kpis"})),
    Rule("too_few_kpis", too_few_kpis, frozenset({"kpis"})),
    Rule("missing_layer", missing_layer, frozenset({"kpis"})),
    Rule("missing_hypothesis", missing_hypothesis, frozenset({"cycles"}), each=True),
    Rule("missing_change", missing_change, frozenset({"cycles"}), each=True),
    Rule("missing_learning", missing_learning, frozenset({"cycles"}), each=True),
    Rule("missing_next_step", missing_next_step, frozenset({"cycles"}), each=True),
    Rule("value_for_auto_kpi", value_for_auto_kpi, frozenset({"values"}), each=True),
    Rule("evidence_outside_cycles", evidence_outside_cycles, frozenset({"evidence"}), each=True),
    Rule("multiple_items", multiple_items, each=True),
    Rule("learning_too_long", learning_too_long, frozenset({"cycles"}), each=True),
    Rule("cycle_length", cycle_length, frozenset({"cycles"}), each=True),
    Rule("learning_about_person", learning_about_person, each=True),
    Rule("no_cycles", no_cycles, frozenset({"cycles"})),
    Rule("cycle_order", cycle_order, frozenset({"cycles"})),
    Rule("cycle_stalled", cycle_stalled, frozenset({"cycles"})),
    Rule("percent_as_fraction", percent_as_fraction, frozenset({"values"})),
    Rule("evidence_incomplete", evidence_incomplete, frozenset({"evidence"})),
    Rule("stale_data", stale_data, frozenset({"review"})),
    Rule("missing_value", missing_value, frozenset({"review", "values"})),
    Rule("evidence_thin", evidence_thin, frozenset({"review", "evidence"})),
)


def run(context: Context, *, review: bool) -> list[tuple[Rule, Finding]]:
    """What the rules find, in table order: those about the rows as read (`review=False`, while
    validating) or those about the review cycle (`review=True`, once compute knows it)."""
    found: list[tuple[Rule, Finding]] = []
    for rule in RULES:
        if ("review" in rule.needs) == review and rule.can_run(context):
            found.extend((rule, finding) for finding in rule.find(context))
    return found


# --- helpers ----------------------------------------------------------------------------------
def too_long(learning: str) -> bool:
    """More than one line, or wider than 60 full-width characters (a Latin letter is half)."""
    text = learning.strip()
    if "\n" in text:
        return True
    return display_width(text) / 2 > MAX_LEARNING_WIDTH


def _typed_kpis(book: Workbook) -> list[Kpi]:
    return [kpi for kpi in book.kpis if kpi.active and kpi.auto is None]


def _evidence_rows(book: Workbook, cycle: Cycle) -> int:
    return sum(1 for item in book.evidence if item.cycle == cycle.cycle)
