"""Clean tables → KPI values, deltas, judgements, streaks, evidence counts and the review cycle."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd

from ..sheet import logbook, schema
from . import judge, rules
from .findings import CheckWriter, Finding
from .report import AgendaState, Check, Cycle, EvidenceJson, KpiJson, LatestJson, Report, ValueJson
from .sends import SendHistory
from .workbook import Kpi, Workbook

THIN_EVIDENCE_ROWS = 3  # fewer rows than this (or under 2/3 of the cycle before) is "few records"


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


def kpi_values(book: Workbook, today: date, review: int | None = None) -> pd.DataFrame:
    """Every (cycle, kpi, value): typed values plus the auto KPIs' counted ones."""
    frames = [
        pd.DataFrame(
            [(v.cycle, v.kpi, float(v.value)) for v in book.values],
            columns=["cycle", "kpi", "value"],
        )
    ]
    # A cycle typed 計画 has not started, whatever its dates say (a mistyped year, say).
    started = [c for c in book.cycles if c.status != "planned"]
    evidence = evidence_counts(book)
    for kpi in book.kpis:
        if kpi.auto == "cycles_done":
            # By number, as the spec says: cycles ≤ N that are done. Counting by date would let
            # a cycle with a mistyped year count before cycle 1.
            run = [c.cycle for c in book.cycles if judge.counts_as_run(c, review)]
            rows = [
                (cycle.cycle, kpi.id, float(sum(1 for n in run if n <= cycle.cycle)))
                for cycle in started
            ]
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


def kpi_table(
    book: Workbook,
    today: date,
    review: int | None,
    doubted: set[tuple[int, str]] | None = None,
) -> list[KpiJson]:
    """The report's `kpis`: each active KPI's values (oldest cycle first, by date) and its
    `latest` at the review cycle; `doubted` (cycle, KPI id) values are shown but not judged.
    An evidence count carries its cycle's total, since it is judged on its share."""
    doubted = doubted or set()
    values = kpi_values(book, today, review)
    order = chronological(book.cycles)
    wide = (
        values.pivot_table(index="cycle", columns="kpi", values="value", aggfunc="last")
        if not values.empty
        else pd.DataFrame()
    )
    wide = wide.reindex(index=order)
    totals = _rows_per_cycle(book)
    lost = lost_rows(book, review)
    result: list[KpiJson] = []
    for kpi in book.kpis:
        if not kpi.active:
            continue
        series = wide[kpi.id] if kpi.id in wide.columns else pd.Series(index=order, dtype=float)
        by_share = rule_for(kpi).by_share
        history = [
            judge.Point(
                int(str(cycle)),
                float(v),
                (int(str(cycle)), kpi.id) in doubted,
                totals.get(int(str(cycle))) if by_share else None,
            )
            for cycle, v in series.dropna().items()
        ]
        latest = None
        if review is not None:
            latest = _latest(kpi, history, review, order)
            unread = lost.evidence.get(review, 0) if by_share else lost.values.get((review, kpi.id))
            if unread:
                latest["unreadable_rows"] = unread
        result.append(
            {
                "id": kpi.id,
                "name": kpi.name,
                "layer": kpi.layer,
                "direction": kpi.direction,
                "unit": kpi.unit,
                "target": judge.tidy(kpi.target),
                "auto": kpi.auto,
                "values": [_value_json(point) for point in history],
                "latest": latest,
            }
        )
    return result


@dataclass(frozen=True)
class LostCounts:
    """Rows an error left out, by what they were about: evidence rows per cycle, value rows
    per (cycle, KPI id). A row that does not say its cycle is counted for the review cycle,
    whose numbers the meeting reads (it is most often a new row)."""

    evidence: dict[int, int]
    values: dict[tuple[int, str], int]


def lost_rows(book: Workbook, review: int | None) -> LostCounts:
    """How many evidence and value rows each cycle (and KPI) lost to errors."""
    evidence: dict[int, int] = {}
    values: dict[tuple[int, str], int] = {}
    for row in book.lost:
        cycle = row.cycle if row.cycle is not None else review
        if cycle is None:
            continue
        if row.tab == "evidence":
            evidence[cycle] = evidence.get(cycle, 0) + 1
        elif row.kpi is not None:
            values[(cycle, row.kpi)] = values.get((cycle, row.kpi), 0) + 1
    return LostCounts(evidence, values)


def _lost_doubts(book: Workbook, lost: LostCounts) -> set[tuple[int, str]]:
    """What an unreadable row leaves uncertain is doubted, never read as a change: the value of
    a KPI that lost a row, and every evidence count of a cycle that lost evidence rows."""
    counted = [k.id for k in book.kpis if rule_for(k).by_share]
    doubts = set(lost.values)
    doubts |= {(cycle, kpi_id) for cycle in lost.evidence for kpi_id in counted}
    return doubts


def chronological(cycles: list[Cycle]) -> list[int]:
    """Cycle numbers oldest first: by start date (then number), so a misnumbered cycle never
    makes a later one its "previous"."""
    return [c.cycle for c in sorted(cycles, key=lambda c: (c.start, c.cycle))]


def rule_for(kpi: Kpi) -> judge.KpiRule:
    """What the one KPI rule needs to know about a KPI definition."""
    return judge.KpiRule(kpi.layer, kpi.direction, kpi.target, kpi.auto)


def _value_json(point: judge.Point) -> ValueJson:
    entry: ValueJson = {"cycle": point.cycle, "value": judge.tidy(point.value) or 0}
    if point.doubted:
        entry["doubted"] = True
    if point.total is not None:
        entry["total"] = point.total
    return entry


def _latest(kpi: Kpi, history: list[judge.Point], review: int, order: list[int]) -> LatestJson:
    rule = rule_for(kpi)
    return judge.read(rule, history, review, order).to_latest(by_share=rule.by_share)


def evidence_table(book: Workbook, today: date, review: int | None = None) -> list[EvidenceJson]:
    """The report's `evidence`: every started cycle (or one with evidence), oldest first (by
    date). `thin` marks few records (see `is_thin`); `unreadable_rows` counts the cycle's rows
    an error left out (its counts are then incomplete, never read as a change). Empty when the
    evidence tab could not be read: its counts are unknown, not 0."""
    if "evidence" in book.unreadable:
        return []
    counts = evidence_counts(book)
    rows_per_cycle = _rows_per_cycle(book)
    lost = lost_rows(book, review).evidence
    entries: list[EvidenceJson] = []
    previous_net: int | None = None
    previous_rows: int | None = None
    for cycle in sorted(book.cycles, key=lambda c: (c.start, c.cycle)):
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
        rows = rows_per_cycle.get(cycle.cycle, 0)
        entry: EvidenceJson = {
            "cycle": cycle.cycle,
            "counts": signal_counts,
            "positive": positive,
            "negative": negative,
            "net": net,
            "net_delta": None if previous_net is None else net - previous_net,
            "thin": is_thin(rows, previous_rows),
        }
        if lost.get(cycle.cycle):
            entry["unreadable_rows"] = lost[cycle.cycle]
        entries.append(entry)
        previous_net = net
        previous_rows = rows
    return entries


def is_thin(rows: int, previous_rows: int | None) -> bool:
    """Too few evidence rows to read a change: under 3, or under two thirds of the cycle
    before (recording less must never read as fewer hesitations)."""
    fewer = previous_rows is not None and rows * 3 < previous_rows * 2
    return rows < THIN_EVIDENCE_ROWS or fewer


def _rows_per_cycle(book: Workbook) -> dict[int, int]:
    rows: dict[int, int] = {}
    for item in book.evidence:
        if item.cycle is not None:
            rows[item.cycle] = rows.get(item.cycle, 0) + 1
    return rows


def _thin_doubts(book: Workbook, evidence: list[EvidenceJson]) -> set[tuple[int, str]]:
    """Values counted from thin evidence are doubted: few records are never an improvement."""
    thin = [entry["cycle"] for entry in evidence if entry["thin"]]
    counted = [k.id for k in book.kpis if k.auto is not None and k.auto.startswith("evidence:")]
    return {(cycle, kpi_id) for cycle in thin for kpi_id in counted}


def log_checks(book: Workbook, client: str) -> list[Check]:
    """`log_from_other_client`: Log rows written for another client (a workbook copied from
    it), one warning per client named; they are kept and never count as this client's sends."""
    writer = CheckWriter(book)
    return [
        writer.check(
            "log_from_other_client",
            Finding("log", value=other, fields={"other": other, "count": rows}),
        )
        for other, rows in logbook.other_clients([*book.past_log, *book.log], client)
    ]


def review_checks(
    book: Workbook, review: int | None, evidence: list[EvidenceJson], today: date
) -> list[Check]:
    """The rules about the review cycle (`stale_data`, `missing_value`, `evidence_thin`) as
    checks. They carry no column letter: only reading knows where the headers are."""
    cycle = next((c for c in book.cycles if c.cycle == review), None)
    context = rules.Context(book, today, review=cycle, evidence=evidence)
    writer = CheckWriter(book)
    return [writer.check(rule.code, finding) for rule, finding in rules.run(context, review=True)]


def agenda_state(
    book: Workbook, review: int | None, send_days_before: int, client: str = ""
) -> AgendaState:
    """When the review cycle's agenda is due, and whether it (and its input reminder) was already
    sent, from the Log alone (whose words are read back to their keys in either language); a
    run adds the sent-journal's sends and its own."""
    cycle = next((c for c in book.cycles if c.cycle == review), None)
    due = cycle.end - timedelta(days=send_days_before) if cycle else None
    # A renamed Log's sends count too; another client's rows (a copied workbook) never do.
    sends = SendHistory.from_log(logbook.own([*book.past_log, *book.log], client))
    return sends.agenda_state(review, due)


def compute(
    book: Workbook, *, client: str, timing: Timing, now: datetime, sheet_url: str | None = None
) -> Report:
    """The whole computed report for one run."""
    review = review_cycle(book.cycles, timing)
    evidence = evidence_table(book, timing.today, review)
    checks = [
        *book.checks,
        *review_checks(book, review, evidence, timing.today),
        *log_checks(book, client),
    ]
    doubted = {check.doubts for check in checks if check.doubts is not None}
    doubted |= _thin_doubts(book, evidence)
    doubted |= _lost_doubts(book, lost_rows(book, review))
    last_sync = _last_sync(book, client)
    return Report(
        client=client,
        language=book.lang,
        generated_at=now,
        as_of=timing.today,
        review_cycle=review,
        current_cycle=current_cycle(book.cycles, timing.today),
        cycles=sorted(book.cycles, key=lambda c: c.cycle),
        kpis=kpi_table(book, timing.today, review, doubted),
        evidence=evidence,
        checks=checks,
        agenda=agenda_state(book, review, timing.send_days_before, client),
        evidence_items=list(book.evidence),
        last_sync=last_sync,
        sheet_url=sheet_url,
        unreadable=frozenset(book.unreadable),
        lost_rows=tuple(book.lost),
        current_left_out=next(
            ((c.cycle, c.row) for c in book.left_out_cycles if c.contains(timing.today)), None
        ),
    )


def _last_sync(book: Workbook, client: str) -> datetime | None:
    for entry in reversed(logbook.own(book.log, client)):
        if entry.what in ("sync", "check", "demo", "agenda") and entry.result == "ok":
            try:
                return datetime.fromisoformat(entry.when)
            except ValueError:
                continue
    return None
