"""The pipeline: read → validate → compute → write Summary/Checks/Log → send the agenda when due."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from contextlib import ExitStack
from copy import copy
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from . import journal, ownership, schema
from .backends import Backend, open_backend
from .compute import Timing, compute
from .config import Config
from .errors import MailError, SheetsSyncError, UsageError
from .gcpause import gc_paused
from .locking import client_lock, workbook_lock
from .logbook import LogEntry, counts_for
from .messages import Phrase, Words, count, join, run_message, say, speaking
from .outputs import check_output
from .ownership import Ownership
from .report import Report
from .schema import Lang
from .summary import checks_tab, log_tab, summary_tab
from .tabs import GeneratedTab, Snapshot
from .validate import Workbook, validate

log = logging.getLogger("sheets_sync")


@dataclass(frozen=True)
class RunOptions:
    """What the command line asked for."""

    as_of: date | None = None
    cycle: int | None = None
    dry_run: bool = False
    no_agenda: bool = False
    force: bool = False
    report_path: Path | None = None


@dataclass
class RunResult:
    """What one run did, for the CLI's output, sync-all's table and the exit code."""

    report: Report
    wrote: bool = False
    agenda_sent_to: str | None = None
    agenda_error: Words | None = None  # the error itself: each reader picks its language
    agenda_skipped: str = ""
    reminder_sent_to: str | None = None
    reminder_error: Words | None = None
    reminder_skipped: str = ""
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return MailError.exit_code if self.agenda_error or self.reminder_error else 0


def today_for(config: Config, options: RunOptions, now: datetime) -> date:
    """The client's local date, or --as-of."""
    return options.as_of if options.as_of is not None else now.astimezone(config.tz).date()


def _now(config: Config) -> datetime:
    return datetime.now(config.tz).replace(microsecond=0)


def _analyse(
    config: Config, snapshot: Snapshot, options: RunOptions, now: datetime
) -> tuple[Workbook, Report]:
    today = today_for(config, options, now)
    book = validate(snapshot, config.language, today)
    timing = Timing(today, config.meeting.send_days_before, options.cycle)
    report = compute(book, client=config.client, timing=timing, now=now, sheet_url=snapshot.url)
    return book, report


def agenda_due(report: Report, config: Config, today: date, *, force: bool) -> tuple[bool, str]:
    """Whether to send the review cycle's agenda now, and if not, why (for the log)."""
    agenda, lang = report.agenda, config.language
    cycle = report.cycle(report.review_cycle)
    if cycle is None or agenda.due is None:
        return False, _no_review(report, lang)
    if today > cycle.end:
        # Even with --force: a past meeting's agenda (and invite) is no use to anyone; an
        # explicit `agenda --send --cycle N` still sends any cycle's agenda.
        passed = run_message("skip_meeting_passed", lang, cycle=cycle.cycle, day=cycle.end)
        return False, passed
    if force:
        return True, ""
    if agenda.sent:
        at = local_moment(agenda.sent_at, config)
        return False, run_message("skip_already_sent", lang, cycle=cycle.cycle, at=at)
    due = agenda.due
    if today < due:
        return False, run_message("skip_due_on", lang, day=due)
    return True, ""


def local_moment(iso: str | None, config: Config) -> str:
    """A recorded time as the client reads it: "2026-12-03 02:11" in their zone (the Log keeps
    the full ISO form); text that is no ISO time is shown as it is."""
    if not iso:
        return ""
    try:
        return config.local_time(datetime.fromisoformat(iso))
    except ValueError:
        return iso


def generated_tabs(
    backend: Backend, book: Workbook, report: Report, log_entries: list[LogEntry], now: datetime
) -> list[GeneratedTab]:
    lang = report.language
    return [
        summary_tab(report, titles=book.titles, sparkline=backend.sparkline, now=now),
        checks_tab(report.checks, lang),
        log_tab(log_entries, lang, report.client),
    ]


def writable_tabs(tabs: list[GeneratedTab], decided: Ownership) -> list[GeneratedTab]:
    """Only the tabs the sync may write, each aimed at its exact existing title (or created in
    the configured language); a staff tab with a generated title is left out, never written."""
    chosen: list[GeneratedTab] = []
    for tab in tabs:
        decision = decided[tab.key]
        if decision.action == "not_ours":
            continue
        if decision.action == "write" and decision.title is not None:
            tab = replace(tab, title=decision.title)
        chosen.append(tab)
    return chosen


def log_blocked(config: Config, decided: Ownership) -> Phrase | None:
    """Why no agenda may go out: without a Log tab of its own the sync cannot record a send,
    so every later run would send it again."""
    log_decision = decided["log"]
    if log_decision.action != "not_ours" or log_decision.title is None:
        return None
    title = log_decision.title.strip()
    refused = log_decision.refusal
    if refused is not None and refused.reason == "other_tab" and refused.marker is not None:
        other = schema.TABS_BY_KEY[refused.marker].title(config.language)
        return Phrase("run.log_is_other_tab", {"title": title, "other": other})
    return Phrase("run.log_not_ours", {"title": title})


def _details(report: Report) -> str:
    lang = report.language
    return say(
        "log.details",
        lang,
        errors=count("error", len(report.errors), lang),
        warnings=count("warning", len(report.warnings), lang),
        kpis=count("kpi", len(report.kpis), lang),
        evidence=say("log.evidence_unreadable", lang)
        if report.could_not_read("evidence")
        else count("evidence_row", len(report.evidence_items), lang),
    )


def _send_agenda(report: Report, config: Config, now: datetime, cycle: int | None) -> str:
    from .agenda import build_message, deliver_for, render_agenda

    rendered = render_agenda(report, config, cycle=cycle)
    message = build_message(rendered, config, now=now)
    return deliver_for(message, config)


def run(
    config: Config,
    options: RunOptions,
    *,
    command: str = "sync",
    send: bool | None = None,
    backend: Backend | None = None,
    now: datetime | None = None,
    announce: bool = True,
) -> RunResult:
    """One locked run of `sync` (or `check`, or `agenda --send`) for one client; `announce`
    logs its one-line outcome (sync-all logs its own line per client instead). What it says,
    errors included, is in the client's language."""
    with speaking(config.language):
        return _run(config, options, command, send, backend, now, announce)


def _run(
    config: Config,
    options: RunOptions,
    command: str,
    send: bool | None,
    backend: Backend | None,
    now: datetime | None,
    announce: bool,
) -> RunResult:
    started = time.monotonic()
    if options.report_path is not None:
        check_output(options.report_path, "report", config, "--report")
    ensure_report_writable(options.report_path)
    with ExitStack() as held:
        if not options.dry_run:
            # A dry run writes and sends nothing, so it needs no lock: it works on a read-only
            # config folder (where the lock file cannot be created) and beside a running sync.
            held.enter_context(client_lock(config))
            held.enter_context(workbook_lock(config))
        held.enter_context(gc_paused())
        backend = backend or open_backend(config)
        now = now or _now(config)
        snapshot = backend.read()
        decided = ownership.decide(snapshot)
        book, report = _analyse(config, snapshot, options, now)
        result = RunResult(report)
        entries = list(book.log)
        _recover_pending_sends(config, report, entries)
        entries.append(
            LogEntry(now.isoformat(), command, "ok", report.review_cycle, _details(report))
        )
        if options.dry_run:
            result.notes.append(run_message("dry_run", config.language))
        elif command == "check":
            # `check` validates and writes the Checks tab only: Summary and Log stay as they are.
            backend.write(writable_tabs([checks_tab(report.checks, report.language)], decided))
            result.wrote = True
        else:
            blocked = log_blocked(config, decided)
            _maybe_send(config, options, report, result, entries, now, send, blocked)
            if send is None and not options.no_agenda and blocked is None:
                _maybe_remind(config, options, report, result, entries, now, book.past_log)
            if result.agenda_sent_to and report.agenda.cycle is not None:
                _remember_send(config, report.agenda.cycle, now, result.agenda_sent_to)
            try:
                tabs = generated_tabs(backend, book, report, entries, now)
                backend.write(writable_tabs(tabs, decided))
            except SheetsSyncError as error:
                sent = _sent_words(result)
                if sent is None:
                    raise
                raise _saying_what_was_sent(error, sent) from None
            journal.clear(config)
            result.wrote = True
        _write_report_file(options, report)
        result.seconds = time.monotonic() - started
        if announce:
            level = logging.ERROR if result.exit_code else logging.INFO
            log.log(level, run_line(config, result))
        return result


def _sent_words(result: RunResult) -> Phrase | None:
    """What went out before a failed write ("the agenda WAS sent to …"), or None."""
    agenda, reminder = result.agenda_sent_to, result.reminder_sent_to
    if agenda and reminder:
        return Phrase("error.sent_both", {"agenda": agenda, "reminder": reminder})
    if agenda:
        return Phrase("error.sent_agenda", {"where": agenda})
    if reminder:
        return Phrase("error.sent_reminder", {"where": reminder})
    return None


def _saying_what_was_sent(error: SheetsSyncError, sent: Phrase) -> SheetsSyncError:
    """The write's error (the same class, so the same exit code, and the same language) with
    what already went out, so nobody resends it by hand: the next run records it."""
    again = copy(error)
    again.phrase = Phrase("error.sent_not_recorded", {"error": error, "sent": sent})
    return again


def _remember_send(
    config: Config, cycle: int, now: datetime, where: str, kind: str = "agenda"
) -> None:
    """Journal a send until the Log has it; the folder was proved writable just before."""
    try:
        journal.record(config, journal.PendingSend(cycle, now.isoformat(), where, kind))
    except OSError as error:  # the folder changed within the second since the probe
        what = Phrase("error.what_agenda" if kind == "agenda" else "error.what_reminder")
        noted = run_message(
            "journal_note_failed",
            config.language,
            client=config.client,
            what=what,
            path=journal.journal_path(config),
            reason=error.strerror or error,
        )
        log.error("%s", noted)


def _recover_pending_sends(config: Config, report: Report, entries: list[LogEntry]) -> None:
    """Sends an earlier run could not record (agenda, reminder): put them in the Log now, and
    count them as sent."""
    for sent in journal.pending_sends(config):
        recorded = any(e.what == sent.kind and e.result == "sent" and e.cycle == sent.cycle
                       and counts_for(e, config.client) for e in entries)  # fmt: skip
        if not recorded:
            entries.append(LogEntry(sent.sent_at, sent.kind, "sent", sent.cycle, sent.where))
        if report.agenda.cycle != sent.cycle:
            continue
        if sent.kind == "agenda":
            report.agenda = replace(report.agenda, sent=True, sent_at=sent.sent_at)
        else:
            report.agenda = replace(
                report.agenda, reminder_sent=True, reminder_sent_at=sent.sent_at
            )


def _maybe_send(
    config: Config,
    options: RunOptions,
    report: Report,
    result: RunResult,
    entries: list[LogEntry],
    now: datetime,
    send: bool | None,
    blocked: Phrase | None = None,
) -> None:
    """Send when due (or when `send` forces it); record the outcome for the Log tab. `blocked`
    (the Log tab is not the sync's) stops a send that is due and makes it the run's failure.

    The mail goes out before the Log is written, in the same run's single write: a crash in
    between means the next run sends again (a rare duplicate) rather than never (a lost agenda).
    """
    today = today_for(config, options, now)
    if send is None:
        if options.no_agenda:
            result.agenda_skipped = "--no-agenda"
            return
        due, why = agenda_due(report, config, today, force=options.force)
        if not due:
            result.agenda_skipped = why
            return
    elif not send:
        return
    cycle = options.cycle if options.cycle is not None else report.review_cycle
    if blocked is not None:
        result.agenda_error = blocked
        log.debug("%s: agenda for cycle %s not sent: %s", config.client, cycle, blocked)
        return
    try:
        journal.ensure_writable(config)
        where = _send_agenda(report, config, now, cycle)
    except MailError as error:
        result.agenda_error = error
        entries.append(LogEntry(now.isoformat(), "agenda", "failed", cycle, str(error)))
        log.debug("%s: agenda for cycle %s not sent: %s", config.client, cycle, error)
        return
    result.agenda_sent_to = where
    entries.append(LogEntry(now.isoformat(), "agenda", "sent", cycle, where))
    report.agenda = replace(report.agenda, cycle=cycle, sent=True, sent_at=now.isoformat())


def _maybe_remind(
    config: Config,
    options: RunOptions,
    report: Report,
    result: RunResult,
    entries: list[LogEntry],
    now: datetime,
    past: list[LogEntry],
) -> None:
    """Mail the team once (Log `reminder sent`) what the coming meeting's cycle still lacks;
    nothing when nothing is missing. The Log is the state, as for the agenda (`past`: the rows
    of a Log staff renamed); the mail goes out before the Log write and is noted in the
    sent-journal, as the agenda is, so a failed write does not mean a second reminder (and no
    reminder goes out when the journal cannot be written)."""
    from .agenda import build_message, deliver_for
    from .agenda.reminder import missing_inputs, reminder_cycle, render_reminder

    cycle = reminder_cycle(report, config, today_for(config, options, now))
    if cycle is None:
        result.reminder_skipped = run_message("reminder_skip_not_today", config.language)
        return
    sent = [
        e
        for e in [*past, *entries]
        if e.what == "reminder" and e.result == "sent" and counts_for(e, config.client)
    ]
    if any(e.cycle == cycle.cycle for e in sent):
        result.reminder_skipped = run_message(
            "reminder_skip_already_sent", config.language, cycle=cycle.cycle
        )
        return
    missing = missing_inputs(report, cycle, config.language)
    if not missing.lines:
        result.reminder_skipped = run_message("reminder_skip_nothing_missing", config.language)
        return
    try:
        journal.ensure_writable(config, "reminder")
        message = build_message(render_reminder(missing, config), config, now=now, kind="reminder")
        where = deliver_for(message, config)
    except MailError as error:
        result.reminder_error = error
        entries.append(LogEntry(now.isoformat(), "reminder", "failed", cycle.cycle, str(error)))
        log.debug("%s: reminder for cycle %s not sent: %s", config.client, cycle.cycle, error)
        return
    result.reminder_sent_to = where
    details = f"{where} · {missing.summary(config.language)}"
    entries.append(LogEntry(now.isoformat(), "reminder", "sent", cycle.cycle, details))
    _remember_send(config, cycle.cycle, now, details, "reminder")
    if report.agenda.cycle == cycle.cycle:
        report.agenda = replace(report.agenda, reminder_sent=True, reminder_sent_at=now.isoformat())


def ensure_report_writable(path: Path | None) -> None:
    """Refuse an unusable --report path before anything is read, written or sent (exit 2)."""
    if path is None:
        return
    folder = path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    reason = None
    if path.is_dir():
        reason = Phrase("error.sync_report_is_folder")
    elif not folder.is_dir():
        reason = Phrase("error.sync_report_no_folder", {"folder": folder})
    else:
        try:
            handle, probe = tempfile.mkstemp(dir=folder, prefix=".sheets-sync-probe-")
            os.close(handle)
            os.unlink(probe)
        except OSError as error:
            reason = Phrase(
                "error.sync_report_folder_unwritable",
                {"folder": folder, "reason": error.strerror or error},
            )
    if reason is not None:
        raise UsageError("sync_report_unusable", path=path, reason=reason)


def _write_report_file(options: RunOptions, report: Report) -> None:
    if options.report_path is None:
        return
    try:
        options.report_path.parent.mkdir(parents=True, exist_ok=True)
        options.report_path.write_text(report.dumps(), encoding="utf-8")
    except OSError as error:
        raise UsageError(
            "sync_report_not_written", path=options.report_path, reason=error.strerror or error
        ) from None


def run_line(config: Config, result: RunResult) -> str:
    """The run's line for cron's log, in the client's language: the client, the review cycle,
    the checks, the agenda, the reminder, the time taken (addresses and errors as they are)."""
    report, lang = result.report, config.language
    if result.agenda_sent_to:
        agenda = say("run.agenda_sent_to", lang, to=result.agenda_sent_to)
    elif result.agenda_error:
        agenda = say("run.agenda_failed", lang, error=result.agenda_error)
    elif result.agenda_skipped:
        agenda = say("run.agenda_skipped", lang, reason=result.agenda_skipped)
    else:
        agenda = say("run.agenda_not_sent", lang)
    errors = count("error", len(report.errors), lang)
    warnings = count("warning", len(report.warnings), lang)
    parts = [
        _review(report, lang),
        say("run.checks", lang, errors=errors, warnings=warnings),
        agenda,
    ]
    if result.reminder_sent_to:
        parts.append(say("run.reminder_sent_to", lang, to=result.reminder_sent_to))
    elif result.reminder_error:
        parts.append(say("run.reminder_failed", lang, error=result.reminder_error))
    parts.append(say("run.seconds", lang, seconds=f"{result.seconds:.2f}"))
    return say("run.line", lang, client=config.client, parts=join(parts, lang))


def _review(report: Report, lang: Lang) -> str:
    """ "review cycle 3", or "no cycle to review" — never "review cycle None"."""
    if report.review_cycle is None:
        return _no_review(report, lang)
    return say("run.review", lang, cycle=report.review_cycle)


def _no_review(report: Report, lang: Lang = "en") -> str:
    """Why there is no cycle to review: an unreadable Cycles tab is named, not called empty."""
    if report.could_not_read("cycles"):
        return say("run.no_review_unreadable", lang)
    return say("run.no_review", lang)


def render_only(
    config: Config, options: RunOptions, *, backend: Backend | None = None
) -> tuple[Report, int | None]:
    """Read and compute without writing (for `agenda --out`)."""
    backend = backend or open_backend(config)
    now = _now(config)
    snapshot = backend.read()
    _, report = _analyse(config, snapshot, options, now)
    cycle = options.cycle if options.cycle is not None else report.review_cycle
    return report, cycle
