"""The report laid out as the generated tabs' cells: Summary for people, Checks, and the Log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from ..sheet import schema
from ..sheet.columns import ColumnType
from ..sheet.schema import Lang
from ..sheet.tabs import GeneratedTab, OutCell, SparklineKind
from ..words.core import count, say
from .grid import Grid, a1, text_cell
from .report import Check, Report
from .summary_kpis import SUMMARY_WIDTHS, VALUE_SPAN, about_person_rows, evidence_table, kpi_table
from .when import cycle_span, date_words, day_words, moment_words, span_words

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


def summary_tab(
    report: Report, *, titles: dict[str, str], sparkline: SparklineKind, now: datetime
) -> GeneratedTab:
    """The Summary tab: freshness, checks, the current cycle, KPIs, evidence, learning log."""
    lang = report.language
    grid = Grid(SUMMARY_WIDTHS)
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
    kpi_table(grid, report, sparkline)
    grid.blank()
    evidence_table(grid, report)
    grid.blank()
    _learning_log(grid, report)
    return grid.tab(schema.SUMMARY, lang, frozen_rows=0, index=0)


def _check_status(grid: Grid, report: Report, checks_title: str) -> None:
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
        grid.add((OutCell(status, style, link=a1(checks_title)), len(SUMMARY_WIDTHS)))
    else:
        grid.add((OutCell(say("summary.checks_ok", lang), "ok"), len(SUMMARY_WIDTHS)))
    past = len(report.past_checks)
    if past:
        words = say(
            "summary.checks_past", lang, count=count("warning", past, lang), tab=checks_title
        )
        grid.add((OutCell(words, "muted", link=a1(checks_title)), len(SUMMARY_WIDTHS)))


def _cycle_card(grid: Grid, report: Report, titles: dict[str, str]) -> None:
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
    elif cycle is None and report.current_left_out is not None:
        number, row = report.current_left_out
        checks = titles.get("checks", schema.CHECKS.title(lang))
        words = say("summary.current_left_out", lang, cycle=number, tab=tab, row=row, checks=checks)
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
            OutCell(say("summary.hypothesis", lang), "header"),
            (text_cell(cycle.hypothesis), VALUE_SPAN),
        )
        grid.add(
            OutCell(say("summary.change", lang), "header"), (text_cell(cycle.change), VALUE_SPAN)
        )
        done_key = _STEP_DONE_WORDS.get(cycle.step_done or "")
        done = say(done_key or "summary.not_recorded", lang)
        grid.add(OutCell(say("summary.step_done", lang), "header"), (text_cell(done), VALUE_SPAN))
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
    """「KPI」4行目(K3)：集計に入っていません → 「チェック」タブ; a day read from a date cell
    is said as people read it (「サイクル」5行目(11月20日(金))), never ISO (GLOSSARY)."""
    tab = check.tab_title or schema.TABS_BY_KEY[check.tab].title(lang)
    value = _day_or_typed(check, lang)
    what = say("summary.left_out_what", lang, value=value) if value.strip() else ""
    return say("summary.left_out_row", lang, tab=tab, row=check.row, what=what, checks=checks_title)


def _day_or_typed(check: Check, lang: Lang) -> str:
    """The value a check names: a date column's day in words, anything else as typed."""
    tab = schema.TABS_BY_KEY.get(check.tab)
    columns = {column.key: column for column in tab.columns} if tab else {}
    column = columns.get(check.column or "")
    if column is None or column.type is not ColumnType.DATE:
        return check.value
    try:
        return day_words(date.fromisoformat(check.value), lang)
    except ValueError:
        return check.value  # as typed (「11/23」 with no year): staff find their own cell


def _left_out(grid: Grid, report: Report, checks_title: str) -> None:
    """Nothing is silently absent: every KPI or cycle row an error left out is named."""
    rows = left_out_rows(report)
    if not rows:
        return
    lang = report.language
    grid.add(OutCell(say("summary.left_out", lang), "subtitle"))
    for check in rows:
        line = left_out_line(check, lang, checks_title)
        grid.add((OutCell(line, "warning", link=a1(checks_title)), len(SUMMARY_WIDTHS)))
    grid.blank()


def _learning_log(grid: Grid, report: Report) -> None:
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
        span = cycle_span(cycle.start, cycle.end, lang)
        grid.add(
            text_cell(f"{cycle.cycle}\n{span}"),
            text_cell(cycle.hypothesis),
            (text_cell(cycle.change), 3),
            (text_cell(cycle.learning), 2),
            (text_cell(cycle.next_step), 2),
            # Beside a learning about a person, nobody's name is shown as its owner.
            text_cell("" if cycle.row in about_person else cycle.owner),
        )
