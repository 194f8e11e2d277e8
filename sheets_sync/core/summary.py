"""The report laid out as the generated tabs' cells: Summary for people, Checks, and the Log."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final, Literal

from ..sheet import schema
from ..sheet.log_words import log_word
from ..sheet.logbook import LogEntry
from ..sheet.schema import Lang
from ..sheet.tabs import GeneratedTab, OutCell, SparklineKind
from ..util.display import display_width as display_width  # tests measure with it too
from ..words.core import count, say
from .judge import share
from .kpi_words import (
    PERCENT_FROM,
    State,
    counted_amount,
    gap_words,
    is_count,
    is_evidence_kpi,
    kpi_state,
    number,
    points,
    shows_change,
    state_word,
    with_unreadable,
)
from .report import Check, EvidenceJson, KpiJson, LatestJson, Report, Severity
from .sends import send_whats
from .when import date_words, moment_words, span_words

LOG_ROWS_KEPT = 1000  # agenda and reminder rows are always kept: they say what was sent
_BARS = "▁▂▃▄▅▆▇█"

# B holds a KPI's name with its unit on one line (「迷いのサイン(「結局どれがいい?」)(件)」), C and
# D a named previous value or a count with its total (「28(サイクル1)」, 「1/全6件」), G a
# movement (「→ ねらいと逆の動き」, "↑ the way we want"), I 「あと1ポイント」 / "To target".
SUMMARY_WIDTHS = [12, 40, 13, 13, 10, 10, 20, 10, 14, 14]
_REST = len(SUMMARY_WIDTHS) - 1  # columns B..J, for a value beside its label

# A cycle's status and whether its step was done, as stored → the words the Summary shows.
_STATUS_WORDS: Final[dict[str, str]] = {
    "planned": "status.planned",
    "running": "status.running",
    "done": "status.done",
}
_STEP_DONE_WORDS: Final[dict[str, str]] = {
    "yes": "step_done.yes",
    "partial": "step_done.partial",
    "no": "step_done.no",
}
# The Checks tab's first column: a check's severity.
_SEVERITY_WORDS: Final[dict[Severity, str]] = {
    "error": "summary.error",
    "warning": "summary.warning",
}


def _text(value: object, style: str | None = None) -> OutCell:
    return OutCell("" if value is None else str(value), style)


def _num(value: float | int | None, style: str | None = None) -> OutCell:
    return OutCell(value, style) if value is not None else OutCell("—", "muted", centered=True)


def _centered(text: str) -> OutCell:
    return OutCell(text, centered=True)


def arrow(delta: float | int | None) -> str:
    """Which way the number moved: ↑, ↓ or →; judgement words say whether that is good."""
    if delta is None:
        return ""
    return "↑" if delta > 0 else "↓" if delta < 0 else "→"


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
    now = share(latest["value"] or 0, latest.get("total"))
    before = share(latest["previous"] or 0, latest.get("previous_total"))
    return None if now is None or before is None else round(now - before, 10)


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
    """The trend; a doubted value (and a thin cycle's evidence count) is not a point on it."""
    values = [
        float(v["value"])
        for v in kpi["values"]
        if not v.get("doubted") and not (doubted and v["cycle"] == review)
    ]
    if len(values) < 2:
        return OutCell("")
    if kind == "text":
        return OutCell(text_sparkline(values), "spark")
    numbers = ",".join(f"{v:g}" for v in values)
    return OutCell(f"=SPARKLINE({{{numbers}}})", formula=True)


@dataclass
class _Grid:
    """Rows of cells with their column spans; spans become merges and set row heights."""

    widths: list[int]
    rows: list[list[OutCell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    heights: dict[int, int] = field(default_factory=dict)

    def add(self, *cells: OutCell | tuple[OutCell, int]) -> None:
        """A row; a (cell, n) pair spans n columns."""
        row: list[OutCell] = []
        number = len(self.rows) + 1
        lines = 1
        for item in cells:
            cell, span = item if isinstance(item, tuple) else (item, 1)
            start = len(row) + 1
            row.append(cell)
            row.extend(OutCell(None) for _ in range(span - 1))
            if span > 1:
                self.merges.append((number, start, number, start + span - 1))
            if isinstance(cell.value, str) and len(cells) > 1:
                room = int(sum(self.widths[start - 1 : start - 1 + span]) * 1.15) or 10
                needed = sum(
                    max(1, -(-display_width(part) // room)) for part in cell.value.split("\n")
                )
                lines = max(lines, needed)
        if lines > 1:
            self.heights[number] = 16 * lines + 2
        self.rows.append(row)

    def blank(self) -> None:
        self.rows.append([])


def summary_tab(
    report: Report, *, titles: dict[str, str], sparkline: SparklineKind, now: datetime
) -> GeneratedTab:
    """The Summary tab: freshness, checks, the current cycle, KPIs, evidence, learning log."""
    lang = report.language
    grid = _Grid(SUMMARY_WIDTHS)
    grid.add(OutCell(say("summary.title", lang, client=report.client), "title"))
    grid.heights[1] = 26  # the title's larger font needs the room, or it covers the next row
    grid.add((OutCell(say("agenda.ground_rule", lang), "muted"), len(SUMMARY_WIDTHS)))
    # Labelled with the zone in words: a consultant abroad reads the client's time, and says so.
    fresh = say(
        "summary.fresh",
        lang,
        as_of=date_words(report.as_of, lang),
        synced=moment_words(now, lang),
    )
    grid.add((OutCell(fresh, "muted"), len(SUMMARY_WIDTHS)))
    checks_title = titles.get("checks", schema.CHECKS.title(lang))
    _check_status(grid, report, checks_title)
    grid.blank()
    _cycle_card(grid, report, titles)
    grid.blank()
    _left_out(grid, report, checks_title)
    _kpi_table(grid, report, sparkline)
    grid.blank()
    _evidence_table(grid, report)
    grid.blank()
    _learning_log(grid, report)
    return GeneratedTab(
        "summary",
        schema.SUMMARY.title(lang),
        grid.rows,
        SUMMARY_WIDTHS,
        frozen_rows=0,
        index=0,
        merges=grid.merges,
        row_heights=grid.heights,
    )


def _check_status(grid: _Grid, report: Report, checks_title: str) -> None:
    """The open checks (every error, the warnings of the review and current cycles), and how
    many older warnings wait in the Checks tab."""
    lang = report.language
    shown = report.open_checks
    errors = sum(1 for check in shown if check.severity == "error")
    if shown:
        status = say(
            "summary.checks_some",
            lang,
            errors=count("error", errors, lang),
            warnings=count("warning", len(shown) - errors, lang),
            tab=checks_title,
        )
        style = "error" if errors else "warning"
        grid.add((OutCell(status, style, link=_a1(checks_title)), len(SUMMARY_WIDTHS)))
    else:
        grid.add((OutCell(say("summary.checks_ok", lang), "ok"), len(SUMMARY_WIDTHS)))
    past = len(report.past_checks)
    if past:
        words = say(
            "summary.checks_past", lang, count=count("warning", past, lang), tab=checks_title
        )
        grid.add((OutCell(words, "muted", link=_a1(checks_title)), len(SUMMARY_WIDTHS)))


def _cycle_card(grid: _Grid, report: Report, titles: dict[str, str]) -> None:
    """The current cycle: its hypothesis and change, and whether last time's step was done.

    担当 (owner) belongs to the next step, so it is shown in the learning log, not here.
    """
    lang = report.language
    grid.add(OutCell(say("summary.current", lang), "subtitle"))
    cycle = report.cycle(report.current_cycle)
    tab = titles.get("cycles", schema.CYCLES.title(lang))
    if any(check.code == "no_cycles" for check in report.checks):
        columns = {key: schema.CYCLES.column(key).header(lang) for key in _FIRST_CYCLE}
        words = say("summary.no_cycles", lang, tab=tab, **columns)
        grid.add((OutCell(words, "warning"), len(SUMMARY_WIDTHS)))
    elif cycle is None:
        grid.add(
            (OutCell(say("summary.no_current", lang, tab=tab), "warning"), len(SUMMARY_WIDTHS))
        )
    else:
        line = say(
            "summary.cycle_line",
            lang,
            n=cycle.cycle,
            span=span_words(cycle.start, cycle.end, lang),
            status=_status(cycle.status, lang),
        )
        grid.add(OutCell(line, "neutral"))
        grid.add(
            OutCell(say("summary.hypothesis", lang), "header"), (_text(cycle.hypothesis), _REST)
        )
        grid.add(OutCell(say("summary.change", lang), "header"), (_text(cycle.change), _REST))
        done_key = _STEP_DONE_WORDS.get(cycle.step_done or "")
        done = say(done_key or "summary.not_recorded", lang)
        grid.add(OutCell(say("summary.step_done", lang), "header"), (_text(done), _REST))
    if report.review_cycle is not None:
        grid.add(OutCell(say("summary.review", lang, n=report.review_cycle), "muted"))


_FIRST_CYCLE = ("start", "hypothesis", "change")  # what cycle 1 needs (as no_cycles says)


def _status(status: str, lang: Lang) -> str:
    key = _STATUS_WORDS.get(status)
    return say(key, lang) if key is not None else status


# Errors that degrade a row instead of leaving it out: a bad direction keeps the KPI (with no
# judgement), so such a KPI is shown with 方向が未設定, not listed as left out.
_KEPT: frozenset[tuple[str, str | None]] = frozenset({("kpis", "direction")})


def left_out_rows(report: Report) -> list[Check]:
    """KPI and cycle rows an error check left out of the numbers (one per row, sheet order).

    A cycle still in the report (e.g. a bad end date fell back to start + 13 days) is not left
    out; nor is a KPI whose only problem is its direction.
    """
    kept_cycles = {cycle.row for cycle in report.cycles}
    by_row: dict[tuple[str, int], list[Check]] = {}
    for check in report.errors:
        if check.tab in ("kpis", "cycles") and check.row is not None:
            by_row.setdefault((check.tab, check.row), []).append(check)
    rows = [
        checks[0]
        for (tab, row), checks in by_row.items()
        if not (tab == "cycles" and row in kept_cycles)
        and not all((c.tab, c.column) in _KEPT for c in checks)
    ]
    return sorted(rows, key=lambda c: (c.tab != "kpis", c.row or 0))


def left_out_line(check: Check, lang: Lang, checks_title: str) -> str:
    """「KPI」4行目(K3):集計に入っていません → 「チェック」タブ"""
    tab = check.tab_title or schema.TABS_BY_KEY[check.tab].title(lang)
    what = say("summary.left_out_what", lang, value=check.value) if check.value.strip() else ""
    return say("summary.left_out_row", lang, tab=tab, row=check.row, what=what, checks=checks_title)


def _left_out(grid: _Grid, report: Report, checks_title: str) -> None:
    """Nothing is silently absent: every KPI or cycle row an error left out is named."""
    rows = left_out_rows(report)
    if not rows:
        return
    lang = report.language
    grid.add(OutCell(say("summary.left_out", lang), "subtitle"))
    for check in rows:
        line = left_out_line(check, lang, checks_title)
        grid.add((OutCell(line, "warning", link=_a1(checks_title)), len(SUMMARY_WIDTHS)))
    grid.blank()


_LAYER_ORDER = {layer: i for i, layer in enumerate(schema.LAYERS)}


def _kpi_table(grid: _Grid, report: Report, sparkline: SparklineKind) -> None:
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
        grid.add(
            OutCell(schema.choice_label("layer", kpi["layer"], lang)),
            _text(name),
            _previous_cell(kpi, latest, before.cycle if before else None, lang),
            _now_cell(kpi, latest, state, lang),
            *_change_cells(kpi, latest, state, lang),
            OutCell(movement_label(kpi, report, lang), warn),
            _num(kpi["target"]),
            _to_target(kpi, state, lang),
            _sparkline(
                kpi,
                sparkline,
                doubted=state in ("doubted", "thin", "unreadable"),
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
        return _num(None)
    named = latest["previous_cycle"] != just_before
    if is_evidence_kpi(kpi):
        text = counted_amount(previous, latest.get("previous_total"), "", lang)
    elif named:
        text = number(previous)
    else:
        return _num(previous)
    if named:
        text = say("summary.previous_named", lang, value=text, cycle=latest["previous_cycle"])
    return OutCell(text, centered=True)


def _now_cell(kpi: KpiJson, latest: LatestJson, state: State, lang: Lang) -> OutCell:
    """The value (as typed when doubted), an evidence count beside its cycle's total, and the
    rows an error left out: 「3件(ほかに読めない行 1件)」, never a silent 0."""
    value, lost = latest["value"], latest.get("unreadable_rows", 0)
    warn = "warning" if state in ("doubted", "unreadable") else None
    if is_evidence_kpi(kpi) and value is not None:
        text = counted_amount(value, latest.get("total"), "", lang)
        return OutCell(with_unreadable(text, lost, lang), warn, centered=True)
    if lost:
        shown = number(value) if value is not None else "—"
        return OutCell(with_unreadable(shown, lost, lang), warn, centered=True)
    return _num(value, warn)


def _change_cells(
    kpi: KpiJson, latest: LatestJson, state: State, lang: Lang
) -> tuple[OutCell, OutCell]:
    """The change and the change %: only for a compared value; an evidence count's is its
    share's (「33% → 17%」), a % KPI's is in ポイント (a percentage of a percentage would
    mislead), and a count under 10 gets no percentage."""
    if not shows_change(state):
        return _num(None), _num(None)
    if kpi["unit"] == "%" and latest["delta"] is not None:
        return _centered(points(latest["delta"], lang)), _num(None)
    if is_evidence_kpi(kpi):
        before = share(latest["previous"] or 0, latest.get("previous_total"))
        now = share(latest["value"] or 0, latest.get("total"))
        if before is None or now is None:
            return _num(None), _num(None)
        return _centered(f"{round(before * 100)}% → {round(now * 100)}%"), _num(None)
    pct = latest["delta_pct"]
    previous = latest["previous"]
    if is_count(kpi) and (previous is None or abs(previous) < PERCENT_FROM):
        pct = None
    percent = OutCell(pct, number_format="+0%;-0%;0%") if pct is not None else _num(None)
    return _num(latest["delta"]), percent


def _to_target(kpi: KpiJson, state: State, lang: Lang) -> OutCell:
    """「達成」 when met, 「目標まで あと0.5」 when not: how far to go, never a grade."""
    latest = kpi["latest"]
    target = kpi["target"]
    if latest is None or target is None or latest["value"] is None:
        return OutCell("")
    if state in ("doubted", "thin", "unreadable"):
        return OutCell("")
    if latest["target_met"]:
        return OutCell(say("move.met", lang), "good")
    if latest["target_met"] is None:
        return OutCell("")
    gap = gap_words(abs(target - latest["value"]), kpi["unit"] or "", lang)
    return OutCell(say("move.to_go", lang, gap=gap))


def _evidence_table(grid: _Grid, report: Report) -> None:
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
        grid.add((_text(label), 2), _num(was), OutCell(now_count), (_centered(shown), 2))
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
            move = f"{arrow(round(now - then, 10))} {round(then * 100)}% → {round(now * 100)}%"
        result.append((label, now_count, before, move))
    return result


def _get(entry: EvidenceJson | None, key: Literal["positive", "negative", "net"]) -> int | None:
    return None if entry is None else entry[key]


def _learning_log(grid: _Grid, report: Report) -> None:
    """Cycle, hypothesis, change, learning, next step and its owner (担当 is the next step's)."""
    lang = report.language
    grid.add(OutCell(say("summary.learning_log", lang), "subtitle"))
    grid.add(
        OutCell(say("summary.cycle", lang), "header"),
        OutCell(say("summary.hypothesis", lang), "header"),
        (OutCell(say("summary.change", lang), "header"), 3),
        (OutCell(say("summary.learning", lang), "header"), 2),
        (OutCell(say("summary.next_step", lang), "header"), 2),
        OutCell(say("summary.owner", lang), "header"),
    )
    about_person = about_person_rows(report)
    for cycle in sorted(report.cycles, key=lambda c: c.cycle, reverse=True):
        span = f"{cycle.start.month}/{cycle.start.day}〜{cycle.end.month}/{cycle.end.day}"
        grid.add(
            _text(f"{cycle.cycle}\n{span}"),
            _text(cycle.hypothesis),
            (_text(cycle.change), 3),
            (_text(cycle.learning), 2),
            (_text(cycle.next_step), 2),
            # Beside a learning about a person, nobody's name is shown as its owner.
            _text("" if cycle.row in about_person else cycle.owner),
        )


def _a1(title: str, cell: str = "A1") -> str:
    return f"'{title.replace(chr(39), chr(39) * 2)}'!{cell}"


def checks_tab(checks: list[Check], lang: Lang, past: Sequence[Check] = ()) -> GeneratedTab:
    """The Checks tab: errors first, then warnings, each with a link to the cell; warnings
    about older cycles (`past`) last, under their own heading (過去のサイクル)."""
    widths = [width for *_, width in schema.CHECKS_COLUMNS]
    grid = _Grid(widths)
    grid.add(
        *(OutCell(ja if lang == "ja" else en, "header") for _, ja, en, _ in schema.CHECKS_COLUMNS)
    )
    for check in _in_order(checks):
        _check_row(grid, check, lang)
    if not checks:
        none = "summary.checks_none_now" if past else "summary.checks_none"
        grid.add((OutCell(say(none, lang), "ok"), 3))
    if past:
        grid.blank()
        grid.add((OutCell(say("summary.past_cycles", lang), "subtitle"), 3))
        for check in _in_order(past):
            _check_row(grid, check, lang)
    return GeneratedTab(
        "checks",
        schema.CHECKS.title(lang),
        grid.rows,
        widths,
        frozen_rows=1,
        merges=grid.merges,
        row_heights=grid.heights,
    )


def _in_order(checks: Sequence[Check]) -> list[Check]:
    """Errors first, then by tab (in the workbook's order) and row."""
    tab_order = {tab.key: i for i, tab in enumerate(schema.ALL_TABS)}
    return sorted(
        checks, key=lambda c: (c.severity != "error", tab_order.get(c.tab, 9), c.row or 0)
    )


def _check_row(grid: _Grid, check: Check, lang: Lang) -> None:
    """One check: severity, where, the value as typed (none for a whole row or tab), the
    message, a link to the cell and the code to quote when asking."""
    target = None
    if check.row is not None and check.tab_title:
        target = _a1(check.tab_title, f"{check.column_letter or 'A'}{check.row}")
    column = ""
    if check.column is not None and check.tab in schema.TABS_BY_KEY:
        tab = schema.TABS_BY_KEY[check.tab]
        column = tab.column(check.column).header(lang) if tab.columns else check.column
    grid.add(
        OutCell(say(_SEVERITY_WORDS[check.severity], lang), check.severity),
        _text(check.tab_title or check.tab),
        OutCell(check.row) if check.row is not None else _centered(say("summary.whole_tab", lang)),
        _text(column),
        _text(check.value if check.column is not None else ""),
        _text(check.message),
        OutCell(f"{check.column_letter or 'A'}{check.row}", link=target) if target else OutCell(""),
        _text(check.code, "muted"),
    )


def log_tab(entries: list[LogEntry], lang: Lang, client: str = "") -> GeneratedTab:
    """The Log tab: every earlier entry (trimmed to the newest runs) plus this run's. Each row
    names its client: another client's rows keep theirs; a row naming none (this run's, or an
    earlier version's, which count as this client's) gets `client`."""
    widths = [width for *_, width in schema.LOG_COLUMNS]
    rows = [[OutCell(ja if lang == "ja" else en, "header") for _, ja, en, _ in schema.LOG_COLUMNS]]
    for entry in _trim_log(entries):
        style = ("good" if entry.result in ("ok", "sent") else
                 "bad" if entry.result in ("failed", "error") else None)  # fmt: skip
        rows.append([
            _text(entry.when),
            _text(log_word(entry.what, lang)),
            _text(log_word(entry.result, lang), style),
            OutCell(entry.cycle) if entry.cycle is not None else OutCell(""),
            _text(entry.details),
            _text(entry.client or client),
        ])  # fmt: skip
    return GeneratedTab("log", schema.LOG.title(lang), rows, widths, frozen_rows=1)


def _trim_log(entries: list[LogEntry]) -> list[LogEntry]:
    if len(entries) <= LOG_ROWS_KEPT:
        return entries
    # The messages' rows (agenda, reminder, on the mail and on each chat) are the exactly-once
    # state (a trimmed "sent" row would be sent again), so they are all kept; only other rows
    # are trimmed, oldest first.
    kinds = send_whats()
    state = [e for e in entries if e.what in kinds]
    others = [e for e in entries if e.what not in kinds]
    room = max(LOG_ROWS_KEPT - len(state), 0)
    keep = {id(e) for e in state + (others[-room:] if room else [])}
    return [e for e in entries if id(e) in keep]
