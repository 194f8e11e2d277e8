"""The agenda's open checks and freshness: every error and the warnings that matter now, located by
tab and row, and what data is missing or stale, said plainly."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ..config import Config
from ..core.kpi_words import kpi_label, source_tab
from ..core.report import Check, Cycle, EvidenceItem, Report
from ..core.summary import left_out_line, left_out_rows
from ..core.when import day_words, moment_words
from ..sheet.schema import TABS_BY_KEY, Lang
from ..words.core import count, join, say
from . import fixes
from .kpi_rows import KpiRow


@dataclass(frozen=True)
class CheckLine:
    """One open check, located by tab and row."""

    where: str
    message: str


@dataclass(frozen=True)
class ChecksView:
    """Open checks: every error, and the warnings of the review and current cycles; warnings
    about older cycles are only counted (they stay in the Checks tab)."""

    errors: int
    warnings: int
    summary: str
    lines: tuple[CheckLine, ...]
    more: int  # relevant checks not listed
    more_text: str  # "ほか2件" / "and 2 more"
    past_text: str = ""  # 「過去のサイクルの注意2件は…」, "" without any


@dataclass(frozen=True)
class FreshnessView:
    """What data is missing, said plainly, and how recent the rest is."""

    stale: bool
    missing: tuple[str, ...]
    as_of: str


def checks_view(report: Report, lang: Lang) -> ChecksView:
    """Counts of the open checks (every error, the warnings of the review and current cycles),
    then the first few by row; warnings about older cycles are only counted."""
    relevant = [c for c in report.open_checks if c.severity == "error"]
    relevant += [c for c in report.open_checks if c.severity == "warning"]
    errors = sum(1 for check in relevant if check.severity == "error")
    warnings = len(relevant) - errors
    checks_tab = TABS_BY_KEY["checks"].title(lang)
    if not relevant:
        summary = say("agenda.checks_none", lang)
    else:
        summary = say(
            "agenda.checks_some",
            lang,
            errors=count("error", errors, lang),
            warnings=count("warning", warnings, lang),
            tab=checks_tab,
        )
    lines = tuple(
        CheckLine(where=_where(check, lang), message=check.message)
        for check in relevant[:CHECK_LINES]
    )
    more = max(0, len(relevant) - len(lines))
    more_text = say("agenda.checks_more", lang, count=more) if more else ""
    past = len(report.past_checks)
    past_text = (
        say("agenda.checks_past", lang, count=count("warning", past, lang), tab=checks_tab)
        if past
        else ""
    )
    return ChecksView(errors, warnings, summary, lines, more, more_text, past_text)


def _where(check: Check, lang: Lang) -> str:
    tab = check.tab_title or (
        TABS_BY_KEY[check.tab].title(lang) if check.tab in TABS_BY_KEY else check.tab
    )
    if check.row is None:
        return say("agenda.check_where_tab", lang, tab=tab)
    return say("agenda.check_where", lang, tab=tab, row=check.row)


def freshness_view(
    report: Report,
    config: Config,
    review: Cycle,
    before: Cycle | None,
    rows: Sequence[KpiRow],
    items: Sequence[EvidenceItem],
) -> FreshnessView:
    """What the meeting cannot trust yet, said plainly at the top: missing values, missing or
    thin evidence, doubted values, and rows left out of the numbers."""
    lang, number = config.language, review.cycle
    missing: list[str] = []
    values_tab = TABS_BY_KEY["values"].title(lang)
    # A tab that could not be read is said once, as unknown; its KPIs are not "missing" values.
    if report.could_not_read("kpis"):
        kpis_tab = TABS_BY_KEY["kpis"].title(lang)
        missing.append(say("agenda.kpis_unreadable", lang, tab=kpis_tab))
    if report.could_not_read("values"):
        missing.append(say("agenda.values_unreadable", lang, tab=values_tab))
    if report.could_not_read("evidence"):
        evidence_tab = TABS_BY_KEY["evidence"].title(lang)
        missing.append(say("agenda.evidence_unreadable", lang, tab=evidence_tab))
    unknown = [row for row in rows if row.state == "unreadable"]
    rows = [row for row in rows if row.state != "unreadable"]
    # Only typed KPIs are asked for: an auto KPI is counted, and typing it is an error.
    sources = {kpi["id"]: source_tab(kpi) for kpi in report.kpis}
    without = [row for row in rows if row.state == "no_value"]
    typed = [row for row in without if sources.get(row.id, "values") == "values"]
    counted = [row for row in without if sources.get(row.id, "values") != "values"]
    all_missing = (rows and len(typed) == len(rows)) or not (rows or unknown)
    if all_missing and not report.could_not_read("kpis"):  # with no KPI read, none is missing
        missing.append(say("agenda.no_values_all", lang, cycle=number, tab=values_tab))
    elif typed:  # the reminder's sentence, its KPIs said in one line
        kpis = join((kpi_label(row.name, row.id) for row in typed), lang)
        missing.append(say("fix.value_missing", lang, cycle=number, kpis=kpis, tab=values_tab))
    missing.extend(_uncounted(report, number, counted, sources, lang))
    # A typed value to check; a count that lost rows is said by its rows' own lines below.
    doubted = [r for r in rows if r.state == "doubted" and sources.get(r.id) == "values"]
    missing.extend(
        say("agenda.doubted_value", lang, kpi=kpi_label(row.name, row.id), value=row.current)
        for row in doubted
    )
    entry = report.evidence_for(number)
    total = sum(entry["counts"].values()) if entry is not None else 0
    if not items and total == 0 and not report.could_not_read("evidence"):
        missing.append(say("agenda.no_evidence", lang, cycle=number))
    elif entry is not None and entry.get("thin"):
        missing.append(
            say("agenda.thin_evidence", lang, cycle=number, count=count("record", total, lang))
        )
    left_out = left_out_rows(report)
    if left_out:
        checks_tab = TABS_BY_KEY["checks"].title(lang)
        missing.extend(left_out_line(check, lang, checks_tab) for check in left_out)
    cycles = {number, None} | ({before.cycle} if before is not None else set())
    missing.extend(fixes.lost_rows(report, cycles, lang))
    return FreshnessView(stale=bool(missing), missing=tuple(missing), as_of=_as_of(report, config))


def _as_of(report: Report, config: Config) -> str:
    """「11月19日(木)時点のデータです(最後の更新：11月19日 8:00(日本時間))。」"""
    lang = config.language
    day = day_words(report.as_of, lang)
    if report.last_sync is None:
        return say("agenda.as_of", lang, as_of=day)
    updated = moment_words(report.last_sync, lang, config.tz)
    return say("agenda.as_of_updated", lang, as_of=day, updated=updated)


def _uncounted(
    report: Report,
    number: int,
    rows: Sequence[KpiRow],
    sources: dict[str, str],
    lang: Lang,
) -> list[str]:
    """Why each auto KPI without a value could not be counted: no evidence in the cycle, or
    nothing yet in the tab it counts — never a request to type it."""
    entry = report.evidence_for(number)
    no_evidence = entry is None or sum(entry["counts"].values()) == 0
    lines: list[str] = []
    by_tab: dict[str, list[KpiRow]] = {}
    for row in rows:
        by_tab.setdefault(sources[row.id], []).append(row)
    for tab, group in by_tab.items():
        names = join((kpi_label(row.name, row.id) for row in group), lang)
        title = TABS_BY_KEY[tab].title(lang)
        if tab == "evidence" and no_evidence:
            lines.append(say("agenda.auto_no_evidence", lang, names=names, tab=title))
        else:
            lines.append(say("agenda.auto_no_value", lang, names=names, tab=title))
    return lines


CHECK_LINES: Final = 5  # open checks listed by row (errors first)
