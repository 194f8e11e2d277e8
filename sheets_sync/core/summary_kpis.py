"""The Summary's KPI and evidence tables: each KPI at the review cycle with its trend, and the
evidence signals, said as the agenda says them (never as a grade)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Literal

from ..sheet import schema
from ..sheet.schema import Lang
from ..sheet.tabs import OutCell, SparklineKind
from ..words.core import count, say
from .grid import Grid, centered_cell, number_cell, text_cell
from .kpi_words import (
    UNREAD,
    State,
    arrow,
    evidence_shares,
    is_count,
    is_evidence_kpi,
    kpi_amount,
    kpi_state,
    percent_shown,
    points,
    share_shift,
    shows_change,
    state_word,
    target_words,
    trend_points,
    with_unreadable,
)
from .report import EvidenceJson, KpiJson, LatestJson, Report

_BARS = "▁▂▃▄▅▆▇█"


def _thin(report: Report) -> bool:
    """evidence_thin: the review cycle's evidence is too thin to compare."""
    entry = report.evidence_for(report.review_cycle)
    return bool(entry is not None and entry.get("thin"))


def summary_state(kpi: KpiJson, report: Report) -> State:
    """What can honestly be said about a KPI at the review cycle, as the agenda says it."""
    return kpi_state(
        kpi,
        kpi["latest"],
        thin=_thin(report),
        unreadable=report.unreadable,
        cycle=report.cycle(report.review_cycle),
        first=report.is_first(report.review_cycle),
    )


def movement_label(kpi: KpiJson, report: Report, lang: Lang) -> str:
    """An arrow *and* a descriptive word — never colour alone, never a grade."""
    latest = kpi["latest"]
    state = summary_state(kpi, report)
    word = state_word(state, lang)
    mark = ""
    if latest is not None and shows_change(state):
        mark = arrow(_share_move(latest) if is_evidence_kpi(kpi) else latest["delta"])
    return f"{mark} {word}" if mark else word


def _share_move(latest: LatestJson) -> float | None:
    """How an evidence count's share of its cycle's rows moved (None when a total is unknown)."""
    shares = evidence_shares(latest)
    return None if shares is None else round(shares[1] - shares[0], 10)


def about_person_rows(report: Report) -> frozenset[int]:
    """Cycle rows whose learning or hypothesis is about a person (`learning_about_person`):
    nobody's name is shown beside them as an owner."""
    return frozenset(
        check.row
        for check in report.checks
        if check.code == "learning_about_person" and check.tab == "cycles" and check.row
    )


def text_sparkline(values: list[float]) -> str:
    """▁▃▅▇ for the .xlsx backend, where a SPARKLINE formula does not exist."""
    if not values:
        return ""
    return "".join(_BARS[round(f * (len(_BARS) - 1))] for f in spread(values))


def spread(values: Sequence[float]) -> list[float]:
    """Each value's place between the lowest (0.0) and the highest (1.0); 0.5 for all when they
    are equal. Any finite values work, even ±1.7e308 or 5e-324 beside 0 (no overflow, no NaN)."""
    finite = [v for v in values if math.isfinite(v)]
    if not finite:
        return [0.5] * len(values)
    low, high = min(finite), max(finite)
    if high == low:
        return [0.5] * len(values)
    # From -1.7e308 to 1.7e308 the span overflows: then work in halves (5e-324 needs whole).
    halves = not math.isfinite(high - low)
    span = high / 2 - low / 2 if halves else high - low
    places = []
    for v in values:
        offset = v / 2 - low / 2 if halves else v - low
        place = offset / span if math.isfinite(v) else 0.5
        places.append(min(1.0, max(0.0, place)) if math.isfinite(place) else 0.5)
    return places


def _sparkline(
    kpi: KpiJson, kind: SparklineKind, *, doubted: bool = False, review: int | None = None
) -> OutCell:
    """The trend (`trend_points`); a doubted value (and a thin cycle's evidence count) is not
    a point on it."""
    values = list(trend_points(kpi, unread=review if doubted else None))
    if len(values) < 2:
        return OutCell("")
    if kind == "text":
        return OutCell(text_sparkline(values), "spark")
    numbers = ",".join(f"{v:g}" for v in values)
    return OutCell(f"=SPARKLINE({{{numbers}}})", formula=True)


_LAYER_ORDER = {layer: i for i, layer in enumerate(schema.LAYERS)}


def kpi_table(grid: Grid, report: Report, sparkline: SparklineKind) -> None:
    lang = report.language
    if report.review_cycle is None:
        grid.add(OutCell(say("summary.kpis_none", lang), "subtitle"))
        grid.add(OutCell(say("summary.no_review", lang), "muted"))
        return
    grid.add(OutCell(say("summary.kpis", lang, n=report.review_cycle), "subtitle"))
    headers = (
        "summary.layer",
        "summary.kpi",
        "summary.previous",
        "summary.now",
        "summary.delta",
        "summary.delta_pct",
        "summary.movement",
        "summary.target",
        "summary.to_target",
        "summary.trend",
    )
    grid.add(*(OutCell(say(h, lang), "header") for h in headers))
    if report.could_not_read("kpis"):
        checks = schema.TABS_BY_KEY["checks"].title(lang)
        tab = schema.TABS_BY_KEY["kpis"].title(lang)
        grid.add(
            (
                OutCell(say("summary.unreadable", lang, tab=tab, checks=checks), "warning"),
                len(SUMMARY_WIDTHS),
            )
        )
    elif not report.kpis:
        grid.add(OutCell(say("summary.no_kpis", lang), "muted"))
    if report.is_first(report.review_cycle):
        grid.add((OutCell(say("summary.first_cycle", lang), "muted"), len(SUMMARY_WIDTHS)))
    before = report.cycle_before(report.review_cycle)
    for kpi in sorted(report.kpis, key=lambda k: _LAYER_ORDER.get(k["layer"], 9)):
        grid.add(*_kpi_row(kpi, report, before.cycle if before else None, sparkline))


def _kpi_row(
    kpi: KpiJson, report: Report, before: int | None, sparkline: SparklineKind
) -> tuple[OutCell, ...]:
    """One KPI at the review cycle: its layer, name, numbers, movement, target and trend."""
    lang = report.language
    latest = kpi["latest"]
    assert latest is not None
    unit = kpi["unit"]
    name = (
        f"{kpi['name']}({unit})"
        if unit and lang == "ja"
        else (f"{kpi['name']} ({unit})" if unit else kpi["name"])
    )
    state = summary_state(kpi, report)
    warn = "warning" if state in ("doubted", "unreadable") else None
    return (
        OutCell(schema.choice_label("layer", kpi["layer"], lang)),
        text_cell(name),
        _previous_cell(kpi, latest, before, lang),
        _now_cell(kpi, latest, state, lang),
        *_change_cells(kpi, latest, state, lang),
        OutCell(movement_label(kpi, report, lang), warn),
        number_cell(kpi["target"]),
        _to_target(kpi, state, lang),
        _sparkline(
            kpi,
            sparkline,
            doubted=state in UNREAD,
            review=report.review_cycle,
        ),
    )


def _previous_cell(
    kpi: KpiJson, latest: LatestJson, just_before: int | None, lang: Lang
) -> OutCell:
    """The previous value — named by its cycle when it is not the cycle just before's (「28
    (サイクル1)」), beside its total for an evidence count; 「—」 without one."""
    previous = latest["previous"]
    if previous is None or just_before is None:
        return number_cell(None)
    named = latest["previous_cycle"] != just_before
    if not named and not is_evidence_kpi(kpi):
        return number_cell(previous)
    text = kpi_amount(kpi, previous, latest.get("previous_total"), "", lang)
    if named:
        text = say("summary.previous_named", lang, value=text, cycle=latest["previous_cycle"])
    return OutCell(text, centered=True)


def _now_cell(kpi: KpiJson, latest: LatestJson, state: State, lang: Lang) -> OutCell:
    """The value (as typed when doubted), an evidence count beside its cycle's total, and the
    rows an error left out: 「3件(ほかに読めない行 1件)」, never a silent 0."""
    value, lost = latest["value"], latest.get("unreadable_rows", 0)
    warn = "warning" if state in ("doubted", "unreadable") else None
    if lost or (is_evidence_kpi(kpi) and value is not None):
        text = kpi_amount(kpi, value, latest.get("total"), "", lang)
        return OutCell(with_unreadable(text, lost, lang), warn, centered=True)
    return number_cell(value, warn)


def _change_cells(
    kpi: KpiJson, latest: LatestJson, state: State, lang: Lang
) -> tuple[OutCell, OutCell]:
    """The change and the change %: only for a compared value; an evidence count's is its
    share's (「33% → 17%」), a % KPI's is in ポイント (a percentage of a percentage would
    mislead), and a count under 10 gets no percentage."""
    if not shows_change(state):
        return number_cell(None), number_cell(None)
    if kpi["unit"] == "%" and latest["delta"] is not None:
        return centered_cell(points(latest["delta"], lang)), number_cell(None)
    if is_evidence_kpi(kpi):
        shares = evidence_shares(latest)
        if shares is None:
            return number_cell(None), number_cell(None)
        return centered_cell(share_shift(*shares)), number_cell(None)
    pct = percent_shown(latest["delta_pct"], latest["previous"], counted=is_count(kpi))
    percent = OutCell(pct, number_format="+0%;-0%;0%") if pct is not None else number_cell(None)
    return number_cell(latest["delta"]), percent


def _to_target(kpi: KpiJson, state: State, lang: Lang) -> OutCell:
    """「達成」 when met, 「目標まで あと0.5」 when not: how far to go, never a grade."""
    latest = kpi["latest"]
    if latest is None or state in UNREAD:
        return OutCell("")
    met = latest["target_met"]
    words = target_words(met, kpi["target"], latest["value"], kpi["unit"] or "", lang)
    return OutCell(words, "good" if met and words else None)


def evidence_table(grid: Grid, report: Report) -> None:
    """Signal counts, previous cycle → review cycle, moving by their share of the cycle's rows;
    with few records or rows an error left out the change is not read."""
    lang = report.language
    review = report.review_cycle
    current = report.evidence_for(review)
    before = report.cycle_before(review)
    previous = report.evidence_for(before.cycle) if before is not None else None
    if review is None:
        title = say("summary.evidence_none", lang)
    elif previous is None:
        title = say("summary.evidence_first", lang, n=review)
    else:
        title = say("summary.evidence", lang, prev=previous["cycle"], n=review)
    grid.add(OutCell(title, "subtitle"))
    grid.add(
        (OutCell(say("summary.signal", lang), "header"), 2),
        *(OutCell(say(h, lang), "header") for h in ("summary.previous", "summary.now")),
        (OutCell(say("summary.share_change", lang), "header"), 2),  # 「記録が少ない」 on one line
    )
    if report.could_not_read("evidence"):
        # Unknown, not 0: the evidence tab could not be read (its own check names why).
        checks = schema.TABS_BY_KEY["checks"].title(lang)
        tab = schema.TABS_BY_KEY["evidence"].title(lang)
        note = say("summary.unreadable", lang, tab=tab, checks=checks)
        grid.add((OutCell(note, "warning"), len(SUMMARY_WIDTHS)))
        return
    if current is None:
        grid.add(OutCell(say("summary.none_yet", lang), "muted"))
        return
    unread = say("move.thin", lang) if current.get("thin") else None
    lost = current.get("unreadable_rows", 0)
    lost += previous.get("unreadable_rows", 0) if previous is not None else 0
    if unread is None and lost:
        unread = say("move.doubted", lang)
    for label, now_count, was, move in _evidence_rows(current, previous, lang):
        shown = "—" if was is None else unread or move
        grid.add(
            (text_cell(label), 2), number_cell(was), OutCell(now_count), (centered_cell(shown), 2)
        )
    total = sum(current["counts"].values())
    if current.get("thin"):
        note = say("summary.evidence_thin", lang, count=count("record", total, lang))
        grid.add((OutCell(note, "muted"), len(SUMMARY_WIDTHS)))
    if lost:
        shown = with_unreadable(
            count("record", total, lang), current.get("unreadable_rows", 0), lang
        )
        note = say("summary.evidence_lost", lang, n=review, count=shown)
        grid.add((OutCell(note, "warning"), len(SUMMARY_WIDTHS)))


def _evidence_rows(
    current: EvidenceJson, previous: EvidenceJson | None, lang: Lang
) -> list[tuple[str, int, int | None, str]]:
    """(label, count now, count before, how its share moved) for each signal, the totals of
    plus and minus signs and the net, after the cycle's whole count of evidence rows."""
    total = sum(current["counts"].values())
    total_before = sum(previous["counts"].values()) if previous is not None else None
    rows: list[tuple[str, int, int | None]] = [
        (say("summary.evidence_total", lang), total, total_before)
    ]
    for choice in schema.CHOICES["signal"]:
        before = previous["counts"][choice.key] if previous else None
        rows.append((choice.label(lang), current["counts"][choice.key], before))
    rows += [
        (say("summary.positive", lang), current["positive"], _get(previous, "positive")),
        (say("summary.negative", lang), current["negative"], _get(previous, "negative")),
        (say("summary.net", lang), current["net"], _get(previous, "net")),
    ]
    result = []
    last = len(rows) - 1  # the net: a difference of counts has no share
    for index, (label, now_count, before) in enumerate(rows):
        if before is None:
            move = "—"
        elif index == 0:  # the cycle's whole count: a change of counts
            delta = now_count - before
            move = f"{arrow(delta)} {delta:+d}" if delta else "→ 0"
        elif index == last or not (now_count or before) or not (total and total_before):
            move = "—"
        else:
            then, now = before / total_before, now_count / total
            move = f"{arrow(round(now - then, 10))} {share_shift(then, now)}"
        result.append((label, now_count, before, move))
    return result


def _get(entry: EvidenceJson | None, key: Literal["positive", "negative", "net"]) -> int | None:
    return None if entry is None else entry[key]


# B holds a KPI's name with its unit on one line (「迷いのサイン(「結局どれがいい?」)(件)」), C and
# D a named previous value or a count with its total (「28(サイクル1)」, 「1/全6件」), G a
# movement (「→ ねらいと逆の動き」, "↑ the way we want"), I 「あと1ポイント」 / "To target".
SUMMARY_WIDTHS = [12, 40, 13, 13, 10, 10, 20, 10, 14, 14]


VALUE_SPAN = len(SUMMARY_WIDTHS) - 1  # columns B..J, for a value beside its label
