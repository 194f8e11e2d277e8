"""One KPI read at any cycle: its value, the previous value, the change and the judgement."""

from __future__ import annotations

from dataclasses import dataclass

from ..report import Judgement, KpiJson

Number = float | int


@dataclass(frozen=True)
class Reading:
    """A KPI at one cycle, judged by its direction (for a down-KPI a fall is an improvement)."""

    cycle: int
    value: Number | None
    previous_cycle: int | None
    previous: Number | None
    delta: Number | None
    delta_pct: float | None
    judgement: Judgement | None  # None: a doubted value, never judged
    target_met: bool | None


def read_kpi(kpi: KpiJson, cycle: int) -> Reading:
    """The KPI at `cycle`; the report's own `latest` is used when it is about that cycle."""
    latest = kpi["latest"]
    if latest is not None and latest["cycle"] == cycle:
        return Reading(
            cycle=cycle,
            value=latest["value"],
            previous_cycle=latest["previous_cycle"],
            previous=latest["previous"],
            delta=latest["delta"],
            delta_pct=latest["delta_pct"],
            judgement=latest["judgement"],
            target_met=latest["target_met"],
        )
    return _compute(kpi, cycle)


def series(kpi: KpiJson, up_to: int) -> tuple[Number, ...]:
    """The KPI's values in cycle order, up to and including cycle `up_to`."""
    values = sorted(kpi["values"], key=lambda entry: entry["cycle"])
    return tuple(entry["value"] for entry in values if entry["cycle"] <= up_to)


def _compute(kpi: KpiJson, cycle: int) -> Reading:
    by_cycle = {entry["cycle"]: entry["value"] for entry in kpi["values"]}
    value = by_cycle.get(cycle)
    earlier = [number for number in by_cycle if number < cycle]
    previous_cycle = max(earlier) if earlier else None
    previous = by_cycle[previous_cycle] if previous_cycle is not None else None
    if value is None:
        return Reading(cycle, None, previous_cycle, previous, None, None, "no_value", None)
    target_met = _target_met(kpi, value)
    if previous is None:
        return Reading(cycle, value, None, None, None, None, "no_previous", target_met)
    delta = value - previous
    delta_pct = delta / abs(previous) if previous != 0 else None
    return Reading(
        cycle, value, previous_cycle, previous, delta, delta_pct, _judge(kpi, delta), target_met
    )


def _judge(kpi: KpiJson, delta: Number) -> Judgement:
    if delta == 0:
        return "flat"
    better = delta > 0 if kpi["direction"] != "down" else delta < 0
    return "improved" if better else "worsened"


def _target_met(kpi: KpiJson, value: Number) -> bool | None:
    target = kpi["target"]
    if target is None:
        return None
    return value <= target if kpi["direction"] == "down" else value >= target
