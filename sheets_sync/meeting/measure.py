"""One KPI read at any cycle from the report, by the one KPI rule (`sheets_sync.core.judge`)."""

from __future__ import annotations

from ..core import judge
from ..core.judge import Number, Reading
from ..core.report import KpiJson

__all__ = ["Number", "Reading", "read_kpi", "series"]


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
            streak=latest["streak"],
            doubted=latest.get("doubted", False),  # hand-built reports may omit it
            total=latest.get("total"),
            previous_total=latest.get("previous_total"),
        )
    rule = judge.KpiRule(kpi["layer"], kpi["direction"], kpi["target"], kpi["auto"])
    return judge.read(rule, _points(kpi), cycle)


def series(kpi: KpiJson, up_to: int) -> tuple[Number, ...]:
    """The KPI's values oldest first up to and including cycle `up_to`, doubted ones left out
    (the report lists values in date order)."""
    points = _points(kpi)
    last = next((i for i, p in enumerate(points) if p.cycle == up_to), None)
    points = points[: last + 1] if last is not None else [p for p in points if p.cycle <= up_to]
    return tuple(p.value for p in points if not p.doubted)


def _points(kpi: KpiJson) -> list[judge.Point]:
    return [
        judge.Point(entry["cycle"], entry["value"], entry.get("doubted", False), entry.get("total"))
        for entry in kpi["values"]
    ]
