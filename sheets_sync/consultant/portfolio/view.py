"""The portfolio's pure part: each client's score, the reason in plain words, and the page's view.

Who needs help first — the score (higher first, then the client's name):
    the run failed (sheet error, config error, crashed)    +100
    the agenda could not be sent                             +50
    the client was locked (another run was going)            +10
    each open error in the sheet                             +10
    evidence older than 14 days: each day beyond            +1  (at most 30; none at all: 30)
    each missed cycle                                         +15
    each KPI value missing for the review cycle                +5
    a 記入のお願い went out and its cells are still blank     +10
A missed cycle is a done cycle without its learning or next step, plus one for every 14 days
since the last cycle ended when no cycle is running.

The reason says what to do about it, in the order a consultant would act: a failed run, errors
in the sheet, the review cycle's missing KPI values, evidence gone quiet, the team asked to
record the meeting's decisions and not done yet (else a learning or next step not written after
a meeting), no cycle running. Times are shown in each client's own zone, labelled.
Nothing here reads a file or the clock: `publish` gathers those and passes them in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, tzinfo
from pathlib import Path
from typing import Final
from zoneinfo import ZoneInfo

from ...backends import local_file
from ...core.kpi_words import kpi_label
from ...core.report import KpiJson, Report
from ...core.when import day_words, meeting_words, moment_words
from ...meeting import chain_note
from ...meeting.follow_up import unrecorded
from ...sheet.schema import CYCLE_DAYS, TABS_BY_KEY, Lang
from ...util.zones import labelled, machine_zone
from ...words.core import in_language, join, say
from ..batch import BatchOutcome, ClientRun
from ..outcome import Outcome

HTML_NAME: Final = "portfolio.html"
CSV_NAME: Final = "portfolio.csv"
STALE_AFTER_DAYS: Final = 14

SCORE_OUTCOME: Final[dict[Outcome, int]] = {
    Outcome.OK: 0,
    Outcome.LOCKED: 10,
    Outcome.AGENDA_FAILED: 50,
    Outcome.SHEET_ERROR: 100,
    Outcome.CONFIG_ERROR: 100,
    Outcome.CRASHED: 100,
}
SCORE_PER_ERROR: Final = 10
SCORE_PER_MISSED_CYCLE: Final = 15
SCORE_STALE_CAP: Final = 30
SCORE_PER_MISSING_VALUE: Final = 5
SCORE_ASKED_UNRECORDED: Final = 10

CSV_COLUMNS: Final = (
    "client",
    "config",
    "outcome",
    "score",
    "reason",
    "next_meeting",
    "timezone",
    "last_sync",
    "current_cycle",
    "review_cycle",
    "cycles_learned",
    "cycles_missed",
    "days_since_evidence",
    "open_errors",
    "warnings",
    "agenda_sent",
    "sheet_link",
    "agenda_link",
    "chain_note",
    "problem",
)
QUIET_EVIDENCE_DAYS: Final = 14  # "no evidence for N weeks" from two weeks on

SUBJECT_PREFIX: Final = "[sheets-sync] "


def subject(lang: Lang, **fields: object) -> str:
    """The digest's subject (the page's title after its "[sheets-sync] " prefix)."""
    return SUBJECT_PREFIX + say("consultant.portfolio_subject", lang, **fields)


_OUTCOME_WORDS: Final[dict[Outcome, str]] = {
    Outcome.OK: "consultant.outcome.ok",
    Outcome.AGENDA_FAILED: "consultant.outcome.agenda_failed",
    Outcome.LOCKED: "consultant.outcome.locked",
    Outcome.SHEET_ERROR: "consultant.outcome.sheet_error",
    Outcome.CONFIG_ERROR: "consultant.outcome.config_error",
    Outcome.CRASHED: "consultant.outcome.crashed",
}
_AGENDA_WORDS: Final[dict[str, str]] = {
    "yes": "consultant.agenda.yes",
    "no": "consultant.agenda.no",
    "failed": "consultant.agenda.failed",
}


def _outcome_word(outcome: Outcome, lang: Lang) -> str:
    return say(_OUTCOME_WORDS[outcome], lang)


def _agenda_word(agenda: str, lang: Lang) -> str:
    return say(_AGENDA_WORDS[agenda], lang) if agenda else "—"


@dataclass(frozen=True)
class PortfolioRow:
    """One client as the portfolio shows it; None means unknown (the run did not get that far)."""

    client: str
    config: str
    outcome: Outcome
    outcome_word: str
    score: int
    last_sync: str
    current_cycle: int | None
    review_cycle: int | None
    cycles_missed: int | None
    days_since_evidence: int | None
    open_errors: int | None
    warnings: int | None
    agenda: str  # yes / no / failed / "" (unknown)
    agenda_word: str
    chain_note: str
    problem: str
    reason: str = ""  # what to do, in plain words ("cycle 3: KPI values missing for K2, K5")
    next_meeting: str = ""  # "2026-12-03 18:30 (Asia/Tokyo)" in the client's zone (CSV)
    timezone: str = ""
    # The same two times as people read them (GLOSSARY): 「12月3日(木) 18:30(日本時間)」.
    next_meeting_words: str = ""
    last_sync_words: str = ""
    cycles_learned: int | None = None  # done cycles with a learning written
    cycles_done: int | None = None
    sheet_link: str = ""  # the Google Sheet's URL or the workbook's file:// URI
    agenda_link: str = ""  # the latest agenda .eml (file:// URI), else the sheet

    @property
    def needs_help(self) -> bool:
        return self.score > 0

    def csv_values(self) -> list[str]:
        values: dict[str, object] = {
            "client": self.client,
            "config": self.config,
            "outcome": self.outcome,
            "score": self.score,
            "reason": self.reason,
            "next_meeting": self.next_meeting,
            "timezone": self.timezone,
            "last_sync": self.last_sync,
            "current_cycle": self.current_cycle,
            "review_cycle": self.review_cycle,
            "cycles_learned": self.cycles_learned,
            "cycles_missed": self.cycles_missed,
            "days_since_evidence": self.days_since_evidence,
            "open_errors": self.open_errors,
            "warnings": self.warnings,
            "agenda_sent": self.agenda,
            "sheet_link": self.sheet_link,
            "agenda_link": self.agenda_link,
            "chain_note": self.chain_note,
            "problem": self.problem,
        }
        return [_csv_safe(values[column]) for column in CSV_COLUMNS]


@dataclass(frozen=True)
class PortfolioView:
    """Everything the portfolio templates show, already in words."""

    lang: Lang
    title: str
    as_of: str  # 2026-12-07, for files and the digest's state
    generated_at: str
    day: str  # the data's day as people read it: 「12月7日(月)」
    made: str  # when the page was made, its zone named in words: 「12月7日 21:00(日本時間)」
    rows: list[PortfolioRow]
    needy: int
    total: int
    shard: str = ""  # "2/4" when one sharded job made it


# -- the figures ----------------------------------------------------------------------------
def cycles_missed(report: Report, today: date) -> int:
    """Done cycles lacking a learning or next step, plus each 14 days stalled with none running."""
    unfinished = sum(
        1
        for cycle in report.cycles
        if cycle.status == "done" and not (cycle.learning.strip() and cycle.next_step.strip())
    )
    ended = [cycle.end for cycle in report.cycles if cycle.end < today]
    stalled = 0
    if report.current_cycle is None and ended:
        stalled = (today - max(ended)).days // CYCLE_DAYS
    return unfinished + stalled


def days_since_evidence(report: Report, today: date) -> int | None:
    """Days since the newest evidence row dated on or before today; None when there is none."""
    days = [item.date for item in report.evidence_items if item.date <= today]
    return (today - max(days)).days if days else None


def score(
    outcome: Outcome,
    errors: int | None,
    stale_days: int | None,
    missed: int | None,
    *,
    has_report: bool,
    missing: int = 0,
    asked: bool = False,
) -> int:
    """The module docstring's score: higher means the client needs help sooner."""
    total = SCORE_OUTCOME[outcome]
    if not has_report:
        return total
    total += SCORE_PER_ERROR * (errors or 0)
    if stale_days is None:
        total += SCORE_STALE_CAP
    else:
        total += min(SCORE_STALE_CAP, max(0, stale_days - STALE_AFTER_DAYS))
    total += SCORE_PER_MISSING_VALUE * missing
    total += SCORE_ASKED_UNRECORDED if asked else 0
    return total + SCORE_PER_MISSED_CYCLE * (missed or 0)


def portfolio_row(
    run: ClientRun, lang: Lang, today: date, *, latest_agenda: str | None = None
) -> PortfolioRow:
    """One client's row, from what its run produced (little is known when it failed early).

    `latest_agenda` is the newest agenda .eml in the client's outbox, found by the caller.
    """
    report = run.report
    config = run.config
    day = report.as_of if report is not None else today
    missed = cycles_missed(report, day) if report is not None else None
    stale = days_since_evidence(report, day) if report is not None else None
    errors = len(report.errors) if report is not None else None
    known_agenda = report is not None or run.outcome == Outcome.AGENDA_FAILED
    agenda = run.agenda if known_agenda else ""
    zone: tzinfo = config.tz if config is not None else ZoneInfo("UTC")
    zone_name = config.model.timezone if config is not None else ""
    sheet_link = _sheet_link(run)
    done = [cycle for cycle in report.cycles if cycle.status == "done"] if report else []
    return PortfolioRow(
        client=run.client,
        config=run.config_path.name,
        outcome=run.outcome,
        outcome_word=_outcome_word(run.outcome, lang),
        score=score(
            run.outcome,
            errors,
            stale,
            missed,
            has_report=report is not None,
            missing=len(missing_values(report)) if report is not None else 0,
            asked=bool(asked_unrecorded(report)) if report is not None else False,
        ),
        last_sync=labelled(report.generated_at, zone) if report is not None else "",
        current_cycle=report.current_cycle if report is not None else None,
        review_cycle=report.review_cycle if report is not None else None,
        cycles_missed=missed,
        days_since_evidence=stale,
        open_errors=errors,
        warnings=len(report.warnings) if report is not None else None,
        agenda=agenda,
        agenda_word=_agenda_word(agenda, lang),
        chain_note=chain_note(report, lang=lang) if report is not None else "",
        problem=in_language(run.problem, lang),
        reason=say("list.reasons", lang).join(reasons(run, lang, day)),
        next_meeting=_next_meeting(run, day, zone_name),
        timezone=zone_name,
        next_meeting_words=_next_meeting_words(run, day, zone, lang),
        last_sync_words=moment_words(report.generated_at, lang, zone) if report else "",
        cycles_learned=sum(1 for c in done if c.learning.strip()) if report else None,
        cycles_done=len(done) if report else None,
        sheet_link=sheet_link,
        agenda_link=_file_uri(latest_agenda) if latest_agenda else sheet_link,
    )


def reasons(run: ClientRun, lang: Lang, today: date) -> list[str]:
    """Why the client needs help, most urgent first, each in plain words; "nothing to do" else."""
    report = run.report
    found: list[str] = []
    problem = _short(in_language(run.problem, lang))
    if run.outcome in (Outcome.SHEET_ERROR, Outcome.CONFIG_ERROR, Outcome.CRASHED):
        found.append(say("consultant.reason_failed", lang, problem=problem))
    elif run.outcome == Outcome.AGENDA_FAILED:
        found.append(say("consultant.reason_agenda_failed", lang, problem=problem))
    elif run.outcome == Outcome.LOCKED:
        found.append(say("consultant.reason_locked", lang))
    if report is None:
        return found
    if report.errors:
        found.append(say("consultant.reason_errors", lang, errors=len(report.errors)))
    missing = missing_values(report)
    if missing:
        kpis = join((kpi_label(kpi["name"], kpi["id"]) for kpi in missing), lang)
        found.append(
            say("consultant.reason_values_missing", lang, cycle=report.review_cycle, kpis=kpis)
        )
    quiet = days_since_evidence(report, today)
    if quiet is None:
        found.append(say("consultant.reason_no_evidence_ever", lang))
    elif quiet >= QUIET_EVIDENCE_DAYS:
        found.append(say("consultant.reason_no_evidence_weeks", lang, weeks=quiet // 7))
    asked = asked_unrecorded(report)
    if asked:
        found.append(_asked_reason(report, asked, lang))
    else:
        found.extend(_unwritten_after_meetings(report, lang, today))
    ended = [cycle.end for cycle in report.cycles if cycle.end < today]
    if report.current_cycle is None and ended and (today - max(ended)).days > 3:
        found.append(say("consultant.reason_stalled", lang, day=day_words(max(ended), lang)))
    return found or [say("consultant.reason_none", lang)]


def missing_values(report: Report) -> list[KpiJson]:
    """Typed (not automatic) KPIs without a value for the review cycle."""
    cycle = report.review_cycle
    if cycle is None:
        return []
    return [
        kpi
        for kpi in report.kpis
        if kpi["auto"] is None and not any(v["cycle"] == cycle for v in kpi["values"])
    ]


def asked_unrecorded(report: Report) -> tuple[str, ...]:
    """The decisions a 記入のお願い asked the team to record for the review cycle that are still
    blank (column keys); () when none was asked for, or all are recorded now."""
    agenda = report.agenda
    cycle = report.cycle(agenda.cycle) if agenda.follow_up == "asked" else None
    return unrecorded(cycle) if cycle is not None else ()


def _asked_reason(report: Report, blank: Sequence[str], lang: Lang) -> str:
    columns = TABS_BY_KEY["cycles"]
    what = join((columns.column(key).header(lang) for key in blank), lang)
    day = _day_of(report.agenda.follow_up_sent_at or "", lang)
    return say(
        "consultant.reason_asked_unrecorded", lang, day=day, cycle=report.agenda.cycle, what=what
    )


def _day_of(iso: str, lang: Lang) -> str:
    """「12月7日(月)」 of a recorded time (as the Log holds it); text that is no time stays."""
    try:
        return day_words(datetime.fromisoformat(iso).date(), lang)
    except ValueError:
        return iso


def _unwritten_after_meetings(report: Report, lang: Lang, today: date) -> list[str]:
    """The latest meeting (a cycle's end) already held whose learning or next step is blank."""
    held = [cycle for cycle in report.cycles if cycle.end < today]
    if not held:
        return []
    latest = max(held, key=lambda cycle: cycle.end)
    day = day_words(latest.end, lang)
    found = []
    if not latest.learning.strip():
        found.append(say("consultant.reason_learning_missing", lang, day=day))
    if not latest.next_step.strip():
        found.append(say("consultant.reason_next_step_missing", lang, day=day))
    return found


def _next_meeting(run: ClientRun, today: date, zone_name: str) -> str:
    """The next meeting (a cycle's end on or after today), at meeting.time, zone labelled."""
    day = _next_meeting_day(run, today)
    if day is None:
        return ""
    start = run.config.meeting.time if run.config is not None else None
    text = day.isoformat() + (f" {start}" if start else "")
    return f"{text} ({zone_name})" if zone_name else text


def _next_meeting_words(run: ClientRun, today: date, zone: tzinfo, lang: Lang) -> str:
    """The next meeting as people read it: 「12月9日(水) 18:30(日本時間)」, or its day alone."""
    day = _next_meeting_day(run, today)
    if day is None:
        return ""
    start = run.config.meeting.time if run.config is not None else None
    return meeting_words(day, start, zone, lang)


def _next_meeting_day(run: ClientRun, today: date) -> date | None:
    if run.report is None:
        return None
    coming = sorted(cycle.end for cycle in run.report.cycles if cycle.end >= today)
    return coming[0] if coming else None


def _sheet_link(run: ClientRun) -> str:
    if run.report is not None and run.report.sheet_url:
        return run.report.sheet_url
    workbook = local_file(run.config) if run.config is not None else None
    return workbook.as_uri() if workbook is not None else ""


def _file_uri(path: str) -> str:
    return Path(path).absolute().as_uri()


def _short(text: str, limit: int = 160) -> str:
    line = " ".join(text.split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def data_day(runs: Sequence[ClientRun], today: date) -> date:
    """The day the page's data is as of: the clients' own day when they all share one (a UTC
    server at 16:00 holds Tokyo clients' data of the next day), else `today`, the page's."""
    days = {run.report.as_of for run in runs if run.report is not None}
    return days.pop() if len(days) == 1 else today


def portfolio_language(runs: Sequence[ClientRun]) -> Lang:
    """The clients' majority language; Japanese on a tie or when none is known."""
    counts = Counter(run.language for run in runs if run.language is not None)
    return "en" if counts["en"] > counts["ja"] else "ja"


def build_view(
    outcome: BatchOutcome,
    *,
    today: date,
    now: datetime,
    latest_agendas: Mapping[str, str] | None = None,
) -> PortfolioView:
    """The rows sorted neediest first (score, then name), with the page's words.

    `now` carries the consultant's zone (the page's own time); `latest_agendas` maps a config
    file's name to its newest agenda .eml.
    """
    lang = portfolio_language(outcome.runs)
    found = latest_agendas or {}
    rows = sorted(
        (
            portfolio_row(run, lang, today, latest_agenda=found.get(run.config_path.name))
            for run in outcome.runs
        ),
        key=lambda row: (-row.score, row.client, row.config),
    )
    needy = sum(1 for row in rows if row.needs_help)
    today = data_day(outcome.runs, today)
    title = subject(lang, day=day_words(today, lang), total=len(rows), needy=needy)
    return PortfolioView(
        lang=lang,
        title=title.removeprefix(SUBJECT_PREFIX),
        as_of=today.isoformat(),
        generated_at=labelled(now, now.tzinfo or machine_zone()),
        day=day_words(today, lang),
        made=moment_words(now, lang, now.tzinfo or machine_zone()),
        rows=rows,
        needy=needy,
        total=len(rows),
        shard=str(outcome.shard) if outcome.shard is not None else "",
    )


# -- small helpers --------------------------------------------------------------------------
def _csv_safe(value: object) -> str:
    """A cell for the CSV; text that a spreadsheet would evaluate is quoted with a '."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
