"""Clean tables → KPI values, deltas, judgements, streaks, evidence counts and the review cycle."""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from . import schema
from .messages import message, word
from .report import AgendaState, Check, Cycle, EvidenceJson, Judgement, KpiJson, LatestJson, Report
from .validate import Kpi, Workbook

_ROUND = 10  # decimals kept, so 24.5 − 22 is 2.5 and not 2.4999999999999982


@dataclass(frozen=True)
class Timing:
    """Which day it is for this client and which cycle the next meeting reviews."""

    today: date
    send_days_before: int
    cycle: int | None = None  # --cycle N


def review_cycle(cycles: list[Cycle], timing: Timing) -> int | None:
    """`--cycle N`, else the latest cycle ending by today + send_days_before, else the running."""
    if timing.cycle is not None:
        return timing.cycle if any(c.cycle == timing.cycle for c in cycles) else None
    horizon = timing.today + timedelta(days=timing.send_days_before)
    ended = [c for c in cycles if c.end <= horizon]
    if ended:
        return max(ended, key=lambda c: (c.end, c.cycle)).cycle
    running = [c for c in cycles if c.contains(timing.today)]
    return running[0].cycle if running else None


def current_cycle(cycles: list[Cycle], today: date) -> int | None:
    """The cycle whose dates contain today."""
    return next((c.cycle for c in cycles if c.contains(today)), None)


def kpi_values(book: Workbook, today: date) -> pd.DataFrame:
    """Every (cycle, kpi, value): typed values plus the auto KPIs' counted ones."""
    frames = [
        pd.DataFrame(
            [(v.cycle, v.kpi, float(v.value)) for v in book.values],
            columns=["cycle", "kpi", "value"],
        )
    ]
    started = [c for c in book.cycles if c.start <= today or c.status != "planned"]
    evidence = evidence_counts(book)
    for kpi in book.kpis:
        if kpi.auto == "cycles_done":
            done = 0
            rows = []
            for cycle in sorted(book.cycles, key=lambda c: c.cycle):
                done += cycle.status == "done"
                if cycle in started:
                    rows.append((cycle.cycle, kpi.id, float(done)))
            frames.append(pd.DataFrame(rows, columns=["cycle", "kpi", "value"]))
        elif kpi.auto is not None and not evidence.empty:
            column = kpi.auto.removeprefix("evidence:")
            counted = evidence[column].astype(float)
            frames.append(
                pd.DataFrame({"cycle": counted.index, "kpi": kpi.id, "value": counted.values})
            )
    frames = [frame for frame in frames if not frame.empty]
    if not frames:
        return pd.DataFrame(columns=["cycle", "kpi", "value"])
    return pd.concat(frames, ignore_index=True)


def evidence_counts(book: Workbook) -> pd.DataFrame:
    """Per cycle with any evidence: a count per signal, then positive, negative and net."""
    rows = [(item.cycle, item.signal) for item in book.evidence if item.cycle is not None]
    if not rows:
        return pd.DataFrame(columns=[*schema.SIGNALS, "positive", "negative", "net"])
    frame = pd.DataFrame(rows, columns=["cycle", "signal"])
    counts = pd.crosstab(frame["cycle"], frame["signal"]).reindex(
        columns=list(schema.SIGNALS), fill_value=0
    )
    positive = [s for s in schema.SIGNALS if schema.SIGNAL_POLARITY[s] > 0]
    negative = [s for s in schema.SIGNALS if schema.SIGNAL_POLARITY[s] < 0]
    counts["positive"] = counts[positive].sum(axis=1)
    counts["negative"] = counts[negative].sum(axis=1)
    counts["net"] = counts["positive"] - counts["negative"]
    return counts


def _number(value: float | None) -> float | int | None:
    """JSON-friendly: whole numbers as ints, float noise rounded away, NaN as null."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    rounded = round(float(value), _ROUND)
    return int(rounded) if rounded.is_integer() else rounded


def _judgement(kpi: Kpi, value: float | None, previous: float | None) -> Judgement:
    if value is None:
        return "no_value"
    if previous is None:
        return "no_previous"
    delta = round(value - previous, _ROUND)
    if delta == 0:
        return "flat"
    better = delta > 0 if kpi.direction == "up" else delta < 0
    return "improved" if better else "worsened"


def _target_met(kpi: Kpi, value: float | None) -> bool | None:
    if kpi.target is None or value is None:
        return None
    return value >= kpi.target if kpi.direction == "up" else value <= kpi.target


def kpi_table(book: Workbook, today: date, review: int | None) -> list[KpiJson]:
    """The report's `kpis`: each active KPI's values and its `latest` at the review cycle."""
    values = kpi_values(book, today)
    order = sorted(c.cycle for c in book.cycles)
    wide = (
        values.pivot_table(index="cycle", columns="kpi", values="value", aggfunc="last")
        if not values.empty
        else pd.DataFrame()
    )
    wide = wide.reindex(index=order)
    result: list[KpiJson] = []
    for kpi in book.kpis:
        if not kpi.active:
            continue
        series = wide[kpi.id] if kpi.id in wide.columns else pd.Series(index=order, dtype=float)
        history = [(int(str(cycle)), float(v)) for cycle, v in series.dropna().items()]
        result.append(
            {
                "id": kpi.id,
                "name": kpi.name,
                "layer": kpi.layer,
                "direction": kpi.direction,
                "unit": kpi.unit,
                "target": _number(kpi.target),
                "auto": kpi.auto,
                "values": [{"cycle": c, "value": _number(v) or 0} for c, v in history],
                "latest": _latest(kpi, history, review) if review is not None else None,
            }
        )
    return result


def _latest(kpi: Kpi, history: list[tuple[int, float]], review: int) -> LatestJson:
    value = next((v for c, v in history if c == review), None)
    earlier = [(c, v) for c, v in history if c < review]
    previous_cycle, previous = earlier[-1] if earlier else (None, None)
    delta = None if value is None or previous is None else round(value - previous, _ROUND)
    delta_pct = None if delta is None or not previous else round(delta / abs(previous), _ROUND)
    return {
        "cycle": review,
        "value": _number(value),
        "previous_cycle": previous_cycle,
        "previous": _number(previous),
        "delta": _number(delta),
        "delta_pct": delta_pct,
        "judgement": _judgement(kpi, value, previous),
        "target_met": _target_met(kpi, value),
        "streak": _streak(kpi, [(c, v) for c, v in history if c <= review]),
    }


def _streak(kpi: Kpi, history: list[tuple[int, float]]) -> int:
    """Consecutive improvements ending at the last entry of the history."""
    streak = 0
    for (_, before), (_, after) in itertools.pairwise(history):
        streak = streak + 1 if _judgement(kpi, after, before) == "improved" else 0
    return streak


def evidence_table(book: Workbook, today: date) -> list[EvidenceJson]:
    """The report's `evidence`: every started cycle (or one with evidence), oldest first."""
    counts = evidence_counts(book)
    entries: list[EvidenceJson] = []
    previous_net: int | None = None
    for cycle in sorted(book.cycles, key=lambda c: c.cycle):
        if cycle.cycle not in counts.index and cycle.start > today:
            continue
        row: dict[str, int] = (
            {str(k): int(v) for k, v in counts.loc[cycle.cycle].to_dict().items()}
            if cycle.cycle in counts.index
            else {}
        )
        signal_counts = {s: row.get(s, 0) for s in schema.SIGNALS}
        positive = row.get("positive", 0)
        negative = row.get("negative", 0)
        net = positive - negative
        entries.append(
            {
                "cycle": cycle.cycle,
                "counts": signal_counts,
                "positive": positive,
                "negative": negative,
                "net": net,
                "net_delta": None if previous_net is None else net - previous_net,
            }
        )
        previous_net = net
    return entries


def stale_checks(book: Workbook, review: int | None) -> list[Check]:
    """`stale_data`: the review cycle has no typed KPI value, or no evidence, yet."""
    if review is None:
        return []
    lang = book.lang
    missing = []
    typed = [k for k in book.kpis if k.active and k.auto is None]
    if typed and not any(v.cycle == review for v in book.values):
        missing.append(word("kpi_values", lang))
    if not any(item.cycle == review for item in book.evidence):
        missing.append(word("evidence", lang))
    if not missing:
        return []
    cycle = next(c for c in book.cycles if c.cycle == review)
    joined = word("and", lang).join(missing) if lang == "en" else "も".join(missing)
    title = book.title("cycles")
    text = message("stale_data", lang, value=review, missing=joined, tab=title)
    return [
        Check("warning", "stale_data", "cycles", cycle.row, "cycle", str(review), text, title, None)
    ]


def agenda_state(book: Workbook, review: int | None, send_days_before: int) -> AgendaState:
    """Whether the review cycle's agenda (and its input reminder) was already sent, from the Log."""
    cycle = next((c for c in book.cycles if c.cycle == review), None)
    due = (cycle.end - timedelta(days=send_days_before)).isoformat() if cycle else None
    if review is None:
        return AgendaState(review, due)

    def sent(what: str) -> list[str]:
        return [
            e.when for e in book.log if e.what == what and e.result == "sent" and e.cycle == review
        ]

    agenda, reminder = sent("agenda"), sent("reminder")
    return AgendaState(
        cycle=review,
        due=due,
        sent=bool(agenda),
        sent_at=agenda[-1] if agenda else None,
        reminder_sent=bool(reminder),
        reminder_sent_at=reminder[-1] if reminder else None,
    )


def compute(
    book: Workbook, *, client: str, timing: Timing, now: datetime, sheet_url: str | None = None
) -> Report:
    """The whole computed report for one run."""
    review = review_cycle(book.cycles, timing)
    checks = list(book.checks) + stale_checks(book, review)
    last_sync = _last_sync(book)
    return Report(
        client=client,
        language=book.lang,
        generated_at=now,
        as_of=timing.today,
        review_cycle=review,
        current_cycle=current_cycle(book.cycles, timing.today),
        cycles=sorted(book.cycles, key=lambda c: c.cycle),
        kpis=kpi_table(book, timing.today, review),
        evidence=evidence_table(book, timing.today),
        checks=checks,
        agenda=agenda_state(book, review, timing.send_days_before),
        evidence_items=list(book.evidence),
        last_sync=last_sync,
        sheet_url=sheet_url,
    )


def _last_sync(book: Workbook) -> datetime | None:
    for entry in reversed(book.log):
        if entry.what in ("sync", "check", "demo", "agenda") and entry.result == "ok":
            try:
                return datetime.fromisoformat(entry.when)
            except ValueError:
                continue
    return None
