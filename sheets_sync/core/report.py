"""The computed result of one run, and its JSON form exactly as the spec's report shows it."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, Literal, NotRequired, Protocol, TypedDict

Severity = Literal["error", "warning"]
# improved … no_value judge the intermediate and result layers by change; done / not_done
# answer the action layer's "did we do it?" per cycle. A doubted value, or a KPI without a
# direction, has no judgement at all (None in the report, null in the JSON).
Judgement = Literal["improved", "worsened", "flat", "no_previous", "no_value", "done", "not_done"]
StepDone = Literal["yes", "partial", "no"]
# Which follow-up went out after the meeting: 決まったこと (the decisions were in the sheet) or
# 記入のお願い (it asked for the cells still blank).
FollowUp = Literal["decided", "asked"]


@dataclass(frozen=True)
class Check:
    """One finding about the sheet: stable code, where it is, and a message in plain words."""

    severity: Severity
    code: str
    tab: str  # a schema tab key: kpis, cycles, values, evidence (or summary/checks/log)
    row: int | None  # the sheet's own row number (header = 1); None for a whole tab
    column: str | None  # a schema column key
    value: str  # the cell as typed
    message: str
    tab_title: str = ""  # the tab's title as it is in this workbook, for links
    column_letter: str | None = None
    # A plausibility warning names the (cycle, KPI id) value it doubts: compute leaves that
    # value out of delta, judgement, streak and "previous" (it is still shown as typed).
    doubts: tuple[int, str] | None = None
    cycle: int | None = None  # the cycle it is about, when a rule says (not in the JSON yet)

    def to_json(self) -> dict[str, Any]:
        return {
            "severity": self.severity,
            "code": self.code,
            "tab": self.tab,
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


class CycleJson(TypedDict):
    cycle: int
    start: str
    end: str
    status: str
    hypothesis: str
    change: str
    learning: str
    next_step: str
    step_done: StepDone | None


class ValueJson(TypedDict):
    cycle: int
    value: float | int
    doubted: NotRequired[bool]  # present (true) only on a value the sync doubts
    total: NotRequired[int]  # an evidence count's: the cycle's evidence rows (it is judged on
    # its share of them)


class LatestJson(TypedDict):
    cycle: int
    value: float | int | None
    previous_cycle: int | None
    previous: float | int | None
    delta: float | int | None
    delta_pct: float | None
    judgement: Judgement | None
    target_met: bool | None
    streak: int
    doubted: bool
    # An evidence count's cycle total and the previous cycle's (only on an evidence count): it
    # is judged on its share, so recording less never reads as progress.
    total: NotRequired[int | None]
    previous_total: NotRequired[int | None]
    # Rows of this value (or, for an evidence count, of the cycle's evidence) that an error
    # left out: then the value is doubted, or unknown when none was read.
    unreadable_rows: NotRequired[int]


class KpiJson(TypedDict):
    id: str
    name: str
    layer: str
    direction: str | None
    unit: str
    target: float | int | None
    auto: str | None
    values: list[ValueJson]
    latest: LatestJson | None


class EvidenceJson(TypedDict):
    cycle: int
    counts: dict[str, int]
    positive: int
    negative: int
    net: int
    net_delta: int | None
    thin: bool
    unreadable_rows: NotRequired[int]  # evidence rows of the cycle an error left out


class AgendaJson(TypedDict):
    cycle: int | None
    due: str | None
    sent: bool
    sent_at: str | None
    reminder_sent: bool
    reminder_sent_at: str | None
    follow_up: FollowUp | None
    follow_up_sent_at: str | None
    chat: list[dict[str, object]]


class ChatEntry(Protocol):
    """One chat channel's message in the report (`sends.ChatState`)."""

    def to_json(self) -> dict[str, object]: ...


@dataclass(frozen=True)
class AgendaState:
    """The review cycle's agenda, reminder and follow-up: when due, whether (and when) each went
    out, and which follow-up it was.

    Frozen, and decided in one place (`sends.SendHistory.agenda_state`) from every send known.
    """

    cycle: int | None
    due: date | None
    sent: bool = False
    sent_at: str | None = None
    reminder_sent: bool = False
    reminder_sent_at: str | None = None
    follow_up: FollowUp | None = None  # None: none went out (yet) for the review cycle
    follow_up_sent_at: str | None = None
    chat: tuple[ChatEntry, ...] = ()  # each chat channel's messages of the review cycle

    def to_json(self) -> AgendaJson:
        return {
            "cycle": self.cycle,
            "due": self.due.isoformat() if self.due is not None else None,
            "sent": self.sent,
            "sent_at": self.sent_at,
            "reminder_sent": self.reminder_sent,
            "reminder_sent_at": self.reminder_sent_at,
            "follow_up": self.follow_up,
            "follow_up_sent_at": self.follow_up_sent_at,
            "chat": [entry.to_json() for entry in self.chat],
        }


@dataclass(frozen=True)
class Cycle:
    """A clean cycle row."""

    cycle: int
    start: date
    end: date
    status: str
    hypothesis: str = ""
    change: str = ""
    learning: str = ""
    next_step: str = ""
    owner: str = ""
    row: int = 0
    step_done: StepDone | None = None  # was last time's chosen step carried out? None = blank

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def to_json(self) -> CycleJson:
        return {
            "cycle": self.cycle,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "status": self.status,
            "hypothesis": self.hypothesis,
            "change": self.change,
            "learning": self.learning,
            "next_step": self.next_step,
            "step_done": self.step_done,
        }


@dataclass(frozen=True)
class EvidenceItem:
    """A clean evidence row, kept for the agenda's quotes (not part of the JSON report)."""

    row: int
    date: date
    cycle: int | None
    kind: str | None
    signal: str
    quote: str
    scene: str = ""
    next_try: str = ""
    by: str = ""


@dataclass(frozen=True)
class LostRow:
    """A KPI value or evidence row an error left out of the numbers, and what it was about as
    far as its readable cells tell: its counts are unknown, never 0."""

    tab: str  # values | evidence
    row: int  # the sheet's own row number
    cycle: int | None  # the cycle it belongs to; None when the row does not say
    kpi: str | None = None  # a value row's KPI id, when it names a known KPI


@dataclass(frozen=True)
class TabPlace:
    """Where staff find an input tab's cells in this workbook (not part of the JSON report): its
    title, each column's letter and header as they stand, the first free row below its rows,
    and the tab's own web address when the workbook has one per tab (Google's `…/edit#gid=7`),
    so that a message can link to one cell."""

    title: str
    letters: Mapping[str, str] = field(default_factory=dict)  # column key → "F"
    headers: Mapping[str, str] = field(default_factory=dict)  # column key → "学び(1行)"
    free_row: int = 2  # the sheet's own row number (header = 1)
    url: str | None = None

    def cell_url(self, column: str, row: int) -> str | None:
        """The address that opens the tab at one cell (Google's `&range=F4`); None without one."""
        letter = self.letters.get(column)
        if self.url is None or letter is None:
            return None
        return f"{self.url}&range={letter}{row}"


@dataclass(frozen=True)
class Report:
    """Everything one run computed; `to_json()` is the spec's JSON report."""

    client: str
    language: Literal["ja", "en"]
    generated_at: datetime
    as_of: date
    review_cycle: int | None
    current_cycle: int | None
    cycles: list[Cycle]
    kpis: list[KpiJson]
    evidence: list[EvidenceJson]
    checks: list[Check]
    agenda: AgendaState
    evidence_items: list[EvidenceItem] = field(default_factory=list)
    last_sync: datetime | None = None
    sheet_url: str | None = None
    # Input tab keys the sync could not read (a header problem or a missing tab): what they
    # hold is unknown, so their counts are null and never shown as 0.
    unreadable: frozenset[str] = frozenset()
    lost_rows: tuple[LostRow, ...] = ()  # value and evidence rows left out by an error
    # The cycle whose dates contain today when an error left its row out, as (cycle, row):
    # today *has* a cycle, staff need to fix its row, not add another one.
    current_left_out: tuple[int, int] | None = None
    # Each input tab's place in the workbook, by tab key (a tab that is not there has none).
    places: Mapping[str, TabPlace] = field(default_factory=dict)

    def could_not_read(self, tab: str) -> bool:
        return tab in self.unreadable

    def chronological(self) -> list[Cycle]:
        """The cycles oldest first, by start date (then number), as compute compares them."""
        return sorted(self.cycles, key=lambda c: (c.start, c.cycle))

    def cycle_before(self, number: int | None) -> Cycle | None:
        """The cycle just before `number` in date order: what "previous" means when nothing
        is skipped."""
        order = self.chronological()
        place = next((i for i, c in enumerate(order) if c.cycle == number), None)
        return order[place - 1] if place else None

    def is_first(self, number: int | None) -> bool:
        """No cycle comes before this one: there is nothing to compare it with."""
        return self.cycle(number) is not None and self.cycle_before(number) is None

    def is_past(self, check: Check) -> bool:
        """A warning about a cycle older than the ones the meeting looks at (the review and the
        current cycle): it stays in the Checks tab, under its own heading, and nowhere else.
        Errors are never past: they leave rows out of today's numbers."""
        if check.severity == "error" or check.cycle is None or self.review_cycle is None:
            return False
        if check.cycle in (self.review_cycle, self.current_cycle):
            return False
        rank = {c.cycle: i for i, c in enumerate(self.chronological())}
        place = rank.get(check.cycle)
        return place is not None and place < rank.get(self.review_cycle, place)

    @property
    def open_checks(self) -> list[Check]:
        """What the agenda and the Summary show: every error, and the warnings of the review
        and current cycles (or of no cycle in particular)."""
        return [check for check in self.checks if not self.is_past(check)]

    @property
    def past_checks(self) -> list[Check]:
        """Warnings about older cycles: in the Checks tab only (過去のサイクル)."""
        return [check for check in self.checks if self.is_past(check)]

    @property
    def errors(self) -> list[Check]:
        return [check for check in self.checks if check.severity == "error"]

    @property
    def warnings(self) -> list[Check]:
        return [check for check in self.checks if check.severity == "warning"]

    def cycle(self, number: int | None) -> Cycle | None:
        for cycle in self.cycles:
            if cycle.cycle == number:
                return cycle
        return None

    def evidence_for(self, number: int | None) -> EvidenceJson | None:
        for entry in self.evidence:
            if entry["cycle"] == number:
                return entry
        return None

    def to_json(self) -> dict[str, Any]:
        return {
            "client": self.client,
            "language": self.language,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "review_cycle": self.review_cycle,
            "current_cycle": self.current_cycle,
            "cycles": [cycle.to_json() for cycle in self.cycles],
            "kpis": self.kpis,
            "evidence": None if "evidence" in self.unreadable else self.evidence,
            "checks": [check.to_json() for check in self.checks],
            "agenda": self.agenda.to_json(),
        }

    def dumps(self) -> str:
        return json.dumps(self.to_json(), ensure_ascii=False, indent=2) + "\n"
