"""The report laid out as the generated tabs' cells: Summary for people, Checks, and the Log."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Final

from . import schema
from .display import display_width as display_width  # tests measure with it too
from .kpi_words import kpi_state, shows_change, state_word
from .log_words import log_word
from .logbook import LogEntry
from .report import Check, KpiJson, Report, Severity
from .schema import Lang
from .sends import send_whats
from .tabs import GeneratedTab, OutCell, SparklineKind
from .words.core import count, say

LOG_ROWS_KEPT = 1000  # agenda and reminder rows are always kept: they say what was sent
_BARS = "▁▂▃▄▅▆▇█"

# B holds a KPI's name with its unit on one line (「迷いのサイン(「結局どれがいい?」)(件)」), G a
# movement (「→ ねらいと逆の動き」, "↑ the way we want"), I 「目標まで」 / "To target".
SUMMARY_WIDTHS = [12, 40, 10, 10, 10, 10, 20, 10, 10, 14]
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


def movement_label(kpi: KpiJson, report: Report, lang: Lang) -> str:
    """An arrow *and* a descriptive word — never colour alone, never a grade."""
    latest = kpi["latest"]
    state = kpi_state(kpi, latest, thin=_thin(report), unreadable=report.unreadable)
    word = state_word(state, lang)
    mark = arrow(latest["delta"]) if latest is not None and shows_change(state) else ""
    return f"{mark} {word}" if mark else word


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
    # Labelled with the zone: a consultant abroad reads the client's time, and says so.
    synced = f"{now:%Y-%m-%d %H:%M} {now.tzname() or ''}".rstrip()
    grid.add(
        OutCell(say("summary.fresh", lang, as_of=report.as_of.isoformat(), synced=synced), "muted")
    )
    checks_title = titles.get("checks", schema.CHECKS.title(lang))
    if report.checks:
        status = say(
            "summary.checks_some",
            lang,
            errors=count("error", len(report.errors), lang),
            warnings=count("warning", len(report.warnings), lang),
            tab=checks_title,
        )
        status_cell = OutCell(
            status, "error" if report.errors else "warning", link=_a1(checks_title)
        )
        grid.add((status_cell, 6))
    else:
        grid.add((OutCell(say("summary.checks_ok", lang), "ok"), 6))
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


def _cycle_card(grid: _Grid, report: Report, titles: dict[str, str]) -> None:
    """The current cycle: its hypothesis and change, and whether last time's step was done.

    担当 (owner) belongs to the next step, so it is shown in the learning log, not here.
    """
    lang = report.language
    grid.add(OutCell(say("summary.current", lang), "subtitle"))
    cycle = report.cycle(report.current_cycle)
    if cycle is None:
        tab = titles.get("cycles", schema.CYCLES.title(lang))
        grid.add(OutCell(say("summary.no_current", lang, tab=tab), "warning"))
    else:
        line = say(
            "summary.cycle_line",
            lang,
            n=cycle.cycle,
            start=cycle.start.isoformat(),
            end=cycle.end.isoformat(),
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
    thin = _thin(report)
    for kpi in sorted(report.kpis, key=lambda k: _LAYER_ORDER.get(k["layer"], 9)):
        latest = kpi["latest"]
        assert latest is not None
        unit = kpi["unit"]
        name = (
            f"{kpi['name']}({unit})"
            if unit and lang == "ja"
            else (f"{kpi['name']} ({unit})" if unit else kpi["name"])
        )
        state = kpi_state(kpi, latest, thin=thin, unreadable=report.unreadable)
        compared = shows_change(state)
        pct = latest["delta_pct"] if compared else None
        grid.add(
            OutCell(schema.choice_label("layer", kpi["layer"], lang)),
            _text(name),
            _num(latest["previous"]),
            _num(latest["value"], "warning" if state == "doubted" else None),
            _num(latest["delta"] if compared else None),
            OutCell(pct, number_format="+0%;-0%;0%") if pct is not None else _num(None),
            OutCell(movement_label(kpi, report, lang), "warning" if state == "doubted" else None),
            _num(kpi["target"]),
            _to_target(kpi, state, lang),
            _sparkline(
                kpi, sparkline, doubted=state in ("doubted", "thin"), review=report.review_cycle
            ),
        )


def _to_target(kpi: KpiJson, state: str, lang: Lang) -> OutCell:
    """「達成」 when met, 「目標まで あと0.5」 when not: how far to go, never a grade."""
    latest = kpi["latest"]
    target = kpi["target"]
    if latest is None or target is None or latest["value"] is None or state in ("doubted", "thin"):
        return OutCell("")
    if latest["target_met"]:
        return OutCell(say("move.met", lang), "good")
    if latest["target_met"] is None:
        return OutCell("")
    gap = abs(target - latest["value"])
    unit = kpi["unit"] or ""
    suffix = "pt" if unit == "%" else unit if not unit.isascii() else f" {unit}" if unit else ""
    shown = f"{gap:,.2f}".rstrip("0").rstrip(".") + suffix
    return OutCell(say("move.to_go", lang, gap=shown))


def _evidence_table(grid: _Grid, report: Report) -> None:
    lang = report.language
    review = report.review_cycle
    entries = [e for e in report.evidence if review is not None and e["cycle"] <= review]
    current = entries[-1] if entries and entries[-1]["cycle"] == review else None
    previous = entries[-2] if current is not None and len(entries) > 1 else None
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
        (OutCell(say("summary.delta", lang), "header"), 2),  # 「記録が少ない」 on one line
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
    thin = bool(current.get("thin"))
    rows: list[tuple[str, int, int | None]] = []
    for choice in schema.CHOICES["signal"]:
        before = previous["counts"][choice.key] if previous else None
        rows.append((choice.label(lang), current["counts"][choice.key], before))
    for words, now_total, before_total in (
        ("summary.positive", current["positive"], previous["positive"] if previous else None),
        ("summary.negative", current["negative"], previous["negative"] if previous else None),
        ("summary.net", current["net"], previous["net"] if previous else None),
    ):
        rows.append((say(words, lang), now_total, before_total))
    for label, now_count, before in rows:
        delta = None if before is None else now_count - before
        if thin:
            shown = say("move.thin", lang)
        else:
            shown = "—" if delta is None else f"{arrow(delta)} {delta:+d}" if delta else "→ 0"
        grid.add((_text(label), 2), _num(before), OutCell(now_count), (_centered(shown), 2))
    if thin:
        total = sum(current["counts"].values())
        note = say("summary.evidence_thin", lang, count=count("record", total, lang))
        grid.add((OutCell(note, "muted"), len(SUMMARY_WIDTHS)))


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
    for cycle in sorted(report.cycles, key=lambda c: c.cycle, reverse=True):
        grid.add(
            _text(f"{cycle.cycle}\n{cycle.start:%m/%d}–{cycle.end:%m/%d}"),
            _text(cycle.hypothesis),
            (_text(cycle.change), 3),
            (_text(cycle.learning), 2),
            (_text(cycle.next_step), 2),
            _text(cycle.owner),
        )


def _a1(title: str, cell: str = "A1") -> str:
    return f"'{title.replace(chr(39), chr(39) * 2)}'!{cell}"


def checks_tab(checks: list[Check], lang: Lang) -> GeneratedTab:
    """The Checks tab: errors first, then warnings, each with a link to the cell."""
    widths = [width for *_, width in schema.CHECKS_COLUMNS]
    grid = _Grid(widths)
    grid.add(*(OutCell(ja if lang == "ja" else en, "header") for _, ja, en, _ in
               schema.CHECKS_COLUMNS))  # fmt: skip
    tab_order = {tab.key: i for i, tab in enumerate(schema.ALL_TABS)}
    order = sorted(checks, key=lambda c: (c.severity != "error", tab_order.get(c.tab, 9),
                                          c.row or 0))  # fmt: skip
    for check in order:
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
            OutCell(check.row)
            if check.row is not None
            else _centered(say("summary.whole_tab", lang)),
            _text(column),
            _text(check.value),
            _text(check.message),
            OutCell(f"{check.column_letter or 'A'}{check.row}", link=target)
            if target
            else OutCell(""),
            _text(check.code, "muted"),
        )
    if not checks:
        grid.add((OutCell(say("summary.checks_none", lang), "ok"), 3))
    return GeneratedTab("checks", schema.CHECKS.title(lang), grid.rows, widths, frozen_rows=1,
                        merges=grid.merges, row_heights=grid.heights)  # fmt: skip


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
