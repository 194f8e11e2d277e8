"""The one KPI rule: a KPI at one cycle — its previous value, delta, judgement, target and streak.

Pure and small, so the report (`compute`) and the agenda (`agenda.measure`) read a KPI the
same way. The history is given oldest first; a doubted value is shown but never judged: it
has no delta or judgement, is never "previous" to a later cycle and neither extends nor
breaks a streak. Action-layer KPIs answer "did we do it?" per cycle (done / not_done), never
by change; a KPI without a direction keeps its values but gets no judgement. An evidence
count (`evidence:<signal>`) is judged on its share of the cycle's evidence rows, so that
recording less never reads as progress. The rule of `cycles_done` is here too, beside the
words that describe it to staff.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace

from .report import Cycle, Judgement, LatestJson

Number = float | int
MAX_RATIO = 1e6  # a change of more than 100,000,000 % is shown without a percentage
ROUND = 10  # decimals kept, so 24.5 − 22 is 2.5 and not 2.4999999999999982
_CUMULATIVE = "cycles_done"  # an auto count that only grows: a cycle "did it" when it adds one
_SHARE_PREFIX = "evidence:"  # an evidence count, judged on its share of the cycle's rows


@dataclass(frozen=True)
class Point:
    """One value of a KPI: at which cycle, the number, and whether the sync doubts it."""

    cycle: int
    value: Number
    doubted: bool = False
    total: int | None = None  # an evidence count's cycle total (its share is what is judged)


@dataclass(frozen=True)
class KpiRule:
    """What the rule needs to know about a KPI."""

    layer: str
    direction: str | None  # up / down; None when the sheet's direction could not be read
    target: Number | None = None
    auto: str | None = None

    @property
    def by_share(self) -> bool:
        """An evidence count: judged on its share of the cycle's evidence rows."""
        return (self.auto or "").startswith(_SHARE_PREFIX)


@dataclass(frozen=True)
class Reading:
    """A KPI at one cycle (for a down-KPI a fall is an improvement)."""

    cycle: int
    value: Number | None
    previous_cycle: int | None
    previous: Number | None
    delta: Number | None
    delta_pct: float | None
    judgement: Judgement | None
    target_met: bool | None
    streak: int = 0
    doubted: bool = False
    total: int | None = None  # an evidence count's cycle total, and the previous cycle's
    previous_total: int | None = None

    def to_latest(self, *, by_share: bool = False) -> LatestJson:
        """The report's `latest` for this reading (one shape for the JSON and the agenda); an
        evidence count (`by_share`) also carries its totals."""
        latest: LatestJson = {
            "cycle": self.cycle,
            "value": self.value,
            "previous_cycle": self.previous_cycle,
            "previous": self.previous,
            "delta": self.delta,
            "delta_pct": self.delta_pct,
            "judgement": self.judgement,
            "target_met": self.target_met,
            "streak": self.streak,
            "doubted": self.doubted,
        }
        if by_share:
            latest["total"] = self.total
            latest["previous_total"] = self.previous_total
        return latest


def tidy(value: float | None) -> Number | None:
    """JSON-friendly: whole numbers as ints, float noise rounded away, NaN and ±inf as None."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return None
    rounded = round(float(value), ROUND)
    return int(rounded) if rounded.is_integer() else rounded


def change_ratio(delta: float, previous: float) -> float | None:
    """delta / |previous|, or None when that is no usable percentage (a previous value of
    5e-324 beside 0 would make it infinite, and ×100 of a huge one overflows)."""
    if previous == 0:
        return None
    ratio = delta / abs(previous)
    return round(ratio, ROUND) if math.isfinite(ratio) and abs(ratio) <= MAX_RATIO else None


def read(
    kpi: KpiRule, history: Sequence[Point], cycle: int, order: Sequence[int] | None = None
) -> Reading:
    """The KPI at `cycle`. `order` lists cycle numbers oldest first (by date); without it the
    history's own order is used, and a cycle it lacks is placed by its number."""
    rank = _ranks(history, cycle, order)
    known = sorted((p for p in history if p.cycle in rank), key=lambda p: rank[p.cycle])
    point = next((p for p in known if p.cycle == cycle), None)
    usable = [p for p in known if not p.doubted and rank[p.cycle] <= rank[cycle]]
    earlier = [p for p in usable if p.cycle != cycle]
    before = earlier[-1] if earlier else None
    shown = Reading(
        cycle,
        None,
        before.cycle if before else None,
        tidy(before.value) if before else None,
        None,
        None,
        "no_value",
        None,
        _streak(kpi, usable),
        total=point.total if point else None,
        previous_total=before.total if before else None,
    )
    if point is None:
        return shown
    if point.doubted:
        # Shown as typed; out of the streak: it neither extends nor carries one.
        return replace(shown, value=tidy(point.value), judgement=None, streak=0, doubted=True)
    delta = None if before is None else tidy(point.value - before.value)
    delta_pct = None if delta is None or before is None else change_ratio(delta, before.value)
    return replace(
        shown,
        value=tidy(point.value),
        delta=delta,
        delta_pct=float(delta_pct) if delta_pct is not None else None,
        judgement=judge_points(kpi, point, before),
        target_met=target_met(kpi, point.value),
    )


def judge_points(kpi: KpiRule, point: Point, before: Point | None) -> Judgement | None:
    """`judge` for two points of a history: an evidence count compares its shares."""
    if kpi.layer == "action" or before is None:
        return judge(kpi, point.value, before.value if before else None)
    return judge(kpi, _measure(kpi, point), _measure(kpi, before))


def share(value: Number, total: int | None) -> float | None:
    """An evidence count's share of its cycle's rows (None without rows)."""
    return value / total if total else None


def _measure(kpi: KpiRule, point: Point) -> float:
    return measured(point.value, point.total, by_share=kpi.by_share)


def measured(value: Number, total: int | None, *, by_share: bool) -> float:
    """What is compared (and so what a trend plots): the value, or an evidence count's share
    of its cycle's rows when the count is judged by share and its total is known."""
    if by_share:
        found = share(value, total)
        if found is not None:
            return round(found, ROUND)
    return float(value)


def judge(kpi: KpiRule, value: Number, previous: Number | None) -> Judgement | None:
    """A value against the previous one: done / not_done for the action layer, else improved,
    worsened, flat or no_previous by direction (None without a direction)."""
    if kpi.layer == "action":
        return "done" if _done(kpi, value, previous) else "not_done"
    if kpi.direction not in ("up", "down"):
        return None
    if previous is None:
        return "no_previous"
    delta = round(value - previous, ROUND)
    if delta == 0:
        return "flat"
    better = delta > 0 if kpi.direction == "up" else delta < 0
    return "improved" if better else "worsened"


def target_met(kpi: KpiRule, value: Number) -> bool | None:
    """value ≥ target when up (and for the action layer), ≤ target when down; None without one."""
    if kpi.target is None:
        return None
    if kpi.layer == "action" or kpi.direction == "up":
        return value >= kpi.target
    if kpi.direction == "down":
        return value <= kpi.target
    return None


def _done(kpi: KpiRule, value: Number, previous: Number | None) -> bool:
    if kpi.auto == _CUMULATIVE:
        return value > (previous or 0)  # the running count went up: this cycle was run
    if kpi.target is not None:
        return value >= kpi.target
    return value > 0


def _streak(kpi: KpiRule, usable: Sequence[Point]) -> int:
    """Consecutive improvements (done, for the action layer) ending at the last usable value."""
    wanted = "done" if kpi.layer == "action" else "improved"
    streak = 0
    previous: Point | None = None
    for point in usable:
        streak = streak + 1 if judge_points(kpi, point, previous) == wanted else 0
        previous = point
    return streak


def counts_as_run(cycle: Cycle, review: int | None) -> bool:
    """What `cycles_done` counts, as its 測り方 tells staff (the words `kpi.cycles_done_how`,
    which every workbook the sync makes writes for it): a cycle that is
    done, and the cycle under review once its change is written (on the send day its status is
    often still blank, i.e. running by its dates). A planned cycle never counts."""
    if cycle.status == "done":
        return True
    return cycle.cycle == review and bool(cycle.change) and cycle.status != "planned"


def _ranks(history: Sequence[Point], cycle: int, order: Sequence[int] | None) -> dict[int, float]:
    if order is not None:
        rank: dict[int, float] = {number: float(i) for i, number in enumerate(order)}
    else:
        rank = {}
        for point in history:
            rank.setdefault(point.cycle, float(len(rank)))
    if cycle not in rank:
        earlier = [r for number, r in rank.items() if number < cycle]
        rank[cycle] = max(earlier) + 0.5 if earlier else -0.5
    return rank
