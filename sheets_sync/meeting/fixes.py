"""What staff can fix before a meeting, each said with where to fix it: a missing value or change,
missing or thin evidence, a doubted value, a row an error left out. The input reminder lists
them all; the agenda's freshness lines say the same things in the same words."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from ..core.findings import number_text
from ..core.kpi_words import kpi_label
from ..core.report import Check, Cycle, LostRow, Report
from ..sheet.schema import TABS_BY_KEY, Lang
from ..words.core import count, say

# A left-out row's reason, in a few words, by its first error's code (else: see the Checks tab).
_REASONS: Final[dict[str, str]] = {
    "required": "fix.reason.required",
    "not_a_number": "fix.reason.not_a_number",
    "not_a_date": "fix.reason.not_a_date",
    "ambiguous_date": "fix.reason.ambiguous_date",
    "unknown_choice": "fix.reason.unknown_choice",
    "unknown_kpi": "fix.reason.unknown_kpi",
    "unknown_cycle": "fix.reason.unknown_cycle",
}


def title(key: str, lang: Lang) -> str:
    return TABS_BY_KEY[key].title(lang)


def missing_values(report: Report, cycle: Cycle, lang: Lang) -> list[str]:
    """「サイクル3の「成約率」(K4)がまだ入力されていません(「KPI記録」タブ)。」 for each typed
    KPI without a value — not for one whose row is there but could not be read."""
    if report.could_not_read("values"):
        return []
    lost = {row.kpi for row in report.lost_rows if row.tab == "values" and row.cycle == cycle.cycle}
    return [
        say(
            "fix.value_missing",
            lang,
            cycle=cycle.cycle,
            kpis=kpi_label(kpi["name"], kpi["id"]),
            tab=title("values", lang),
        )
        for kpi in report.kpis
        if kpi["auto"] is None
        and kpi["id"] not in lost
        and all(v["cycle"] != cycle.cycle for v in kpi["values"])
    ]


def evidence(report: Report, cycle: Cycle, lang: Lang) -> list[str]:
    """No evidence yet, or too few records to read a change (the rule of evidence_thin)."""
    if report.could_not_read("evidence"):
        return []
    entry = report.evidence_for(cycle.cycle)
    total = sum(entry["counts"].values()) if entry is not None else 0
    tab = title("evidence", lang)
    if total == 0:
        return [say("fix.evidence_missing", lang, cycle=cycle.cycle, tab=tab)]
    if entry is not None and entry["thin"]:
        records = count("record", total, lang)
        return [say("fix.evidence_thin", lang, cycle=cycle.cycle, count=records, tab=tab)]
    return []


def cycle_columns(cycle: Cycle, lang: Lang) -> list[str]:
    """The cycle's change, and its hypothesis, when blank."""
    tab = title("cycles", lang)
    lines = []
    if not cycle.hypothesis.strip():
        lines.append(say("fix.hypothesis_missing", lang, cycle=cycle.cycle, tab=tab))
    if not cycle.change.strip():
        lines.append(say("fix.change_missing", lang, cycle=cycle.cycle, tab=tab))
    return lines


def doubted_values(report: Report, cycle: int, lang: Lang) -> list[str]:
    """A value typed as a fraction of a percent KPI: 「「KPI記録」12行目：「成約率」(K4)の値 0.31
    は 31% のことですか？…」."""
    names = {kpi["id"]: kpi["name"] for kpi in report.kpis}
    lines = []
    for check in report.checks:
        if check.code != "percent_as_fraction" or check.doubts is None:
            continue
        if check.doubts[0] != cycle or check.row is None:
            continue
        typed = float(check.value)
        lines.append(
            say(
                "fix.percent_as_fraction",
                lang,
                where=_where(check.tab_title or title(check.tab, lang), check.row, lang),
                kpi=kpi_label(names.get(check.doubts[1], check.doubts[1]), check.doubts[1]),
                value=check.value,
                percent=number_text(round(typed * 100, 10)),
            )
        )
    return lines


def lost_rows(report: Report, cycles: Iterable[int | None], lang: Lang) -> list[str]:
    """Each value or evidence row an error left out, of these cycles (None: rows that do not say
    their cycle), with where it is and why in a few words."""
    wanted = set(cycles)
    lines = []
    for row in report.lost_rows:
        if row.cycle in wanted:
            where = _where(_tab_of(row, report, lang), row.row, lang)
            lines.append(say("fix.line", lang, where=where, what=reason(report, row, lang)))
    return lines


def reason(report: Report, row: LostRow, lang: Lang) -> str:
    """Why a left-out row could not be read, in a few words (its first error on that row)."""
    check = _first_error(report.checks, row)
    if check is None or check.code not in _REASONS:
        return say("fix.reason.other", lang, tab=title("checks", lang))
    column = ""
    if check.column is not None:
        column = TABS_BY_KEY[check.tab].column(check.column).header(lang)
    return say(_REASONS[check.code], lang, column=column, value=check.value)


def _first_error(checks: Iterable[Check], row: LostRow) -> Check | None:
    return next(
        (c for c in checks if c.severity == "error" and (c.tab, c.row) == (row.tab, row.row)),
        None,
    )


def _tab_of(row: LostRow, report: Report, lang: Lang) -> str:
    check = _first_error(report.checks, row)
    return check.tab_title if check is not None and check.tab_title else title(row.tab, lang)


def _where(tab: str, row: int, lang: Lang) -> str:
    return say("fix.where", lang, tab=tab, row=row)
