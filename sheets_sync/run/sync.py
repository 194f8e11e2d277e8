"""The pipeline: read → validate → compute → send what is due → write Summary/Checks/Log.

Sending is its own step (`sending.py`); this module holds the locks, the one read and the one
write, and builds the run's result. Its types are re-exported here for the library's callers.
"""

from __future__ import annotations

import logging
import os
import tempfile
import time
from collections.abc import Sequence
from contextlib import ExitStack
from copy import copy
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path

from ..backends import Backend, open_backend
from ..config import Config
from ..core.checks_tab import checks_tab
from ..core.compute import Timing, compute
from ..core.log_tab import log_tab
from ..core.places import sheet_link, tab_places
from ..core.report import AgendaState, Report
from ..core.sends import Channel, Delivery, MessageKind, SendHistory, unrecorded_rows
from ..core.summary import summary_tab
from ..core.validate import validate
from ..core.workbook import Workbook
from ..errors import SheetsSyncError, UsageError
from ..sheet import ownership, schema
from ..sheet.logbook import LogEntry, own
from ..sheet.ownership import Ownership
from ..sheet.tabs import GeneratedTab, Snapshot
from ..util.gcpause import gc_paused
from ..words.core import Phrase, Renderable, count, join, say
from ..words.lang import Lang, speaking
from . import journal
from .locking import client_lock, workbook_lock
from .options import Command as Command
from .options import RunOptions as RunOptions
from .outputs import check_output
from .result import RunResult as RunResult
from .result import run_line as run_line
from .sending import LogBlocked, SendContext, SendStep, send_due

log = logging.getLogger("sheets_sync")


def today_for(config: Config, options: RunOptions, now: datetime) -> date:
    """The client's local date, or --as-of."""
    return options.as_of if options.as_of is not None else now.astimezone(config.tz).date()


def _now(config: Config) -> datetime:
    return datetime.now(config.tz).replace(microsecond=0)


def _analyse(
    config: Config, snapshot: Snapshot, decided: Ownership, options: RunOptions, now: datetime
) -> tuple[Workbook, Report]:
    today = today_for(config, options, now)
    book = validate(snapshot, config.language, today, decided)
    timing = Timing(today, config.meeting.send_days_before, options.cycle)
    link = sheet_link(config.sheet.url, snapshot.url)  # an .xlsx workbook's own path is no link
    report = compute(book, client=config.client, timing=timing, now=now, sheet_url=link)
    return book, replace(report, places=tab_places(snapshot))


def generated_tabs(
    backend: Backend, book: Workbook, report: Report, log_entries: list[LogEntry], now: datetime
) -> list[GeneratedTab]:
    lang = report.language
    return [
        summary_tab(report, titles=book.titles, sparkline=backend.sparkline, now=now),
        checks_tab(report.open_checks, lang, past=report.past_checks),
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


def log_blocked(decided: Ownership, lang: Lang) -> LogBlocked | None:
    """The tab that stands where the Log should be and is not the sync's, if any: without a Log
    tab of its own the sync cannot record a send, so no message may go out (every later run
    would send it again). A tab carrying another generated tab's marker is named as such."""
    log_decision = decided["log"]
    if log_decision.action != "not_ours" or log_decision.title is None:
        return None
    title = log_decision.title.strip()
    refused = log_decision.refusal
    if refused is not None and refused.reason == "other_tab" and refused.marker is not None:
        other = schema.TABS_BY_KEY[refused.marker].title(lang)
        return LogBlocked(title, Phrase("run.log_is_other_tab", {"title": title, "other": other}))
    return LogBlocked.staff_tab(title)


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


def run(
    config: Config,
    options: RunOptions,
    *,
    command: Command = Command.SYNC,
    backend: Backend | None = None,
    now: datetime | None = None,
    announce: bool = True,
) -> RunResult:
    """One locked run of `command` for one client (sending what its policy allows); `announce`
    logs its one-line outcome (sync-all logs its own line per client instead). What it says,
    errors included, is in the client's language."""
    with speaking(config.language):
        return _run(config, options, command, backend, now, announce)


@dataclass(frozen=True)
class _Read:
    """What a run read and computed, before it writes or sends anything."""

    backend: Backend
    decided: Ownership
    book: Workbook
    report: Report  # as computed: its agenda state is the Log's alone
    log: list[LogEntry]  # the Log to write: the workbook's, sends the journal kept, this run's row
    history: SendHistory  # every earlier send: the Log's (a renamed Log's too), the journal's


def _run(
    config: Config,
    options: RunOptions,
    command: Command,
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
        read = _read(config, options, command, backend, now)
        step = _send(config, options, command, read, now)
        # The report's agenda state, decided once from every send known: the Log's, the
        # journal's and this run's.
        history = read.history.plus(step.sends)
        agenda = _agenda_state(config, read.report, history, step.deliveries)
        report = replace(read.report, agenda=agenda)
        _write(config, options, command, read, report, step, now)
        _write_report_file(options, report)
        notes = (say("run.dry_run", config.language),) if options.dry_run else ()
        wrote = not options.dry_run
        seconds = time.monotonic() - started
        result = RunResult(report, step.deliveries, wrote, seconds, notes)
        if announce:
            level = logging.ERROR if result.exit_code else logging.INFO
            log.log(level, run_line(config, result))
        return result


def _agenda_state(
    config: Config, report: Report, history: SendHistory, deliveries: Sequence[Delivery]
) -> AgendaState:
    """The report's agenda state: the mail's, and each chat channel's (sent, failed now, or not
    sent yet) for the messages its `send` list names."""
    cycle = report.review_cycle
    channels = [(Channel.chat(n, chat.kind), chat.send) for n, chat in enumerate(config.chat, 1)]
    chats = history.chat_states(channels, cycle, deliveries)
    return history.agenda_state(cycle, report.agenda.due, chats)


def _read(
    config: Config, options: RunOptions, command: Command, backend: Backend, now: datetime
) -> _Read:
    snapshot = backend.read()
    decided = ownership.decide(snapshot)
    book, report = _analyse(config, snapshot, decided, options, now)
    kept = journal.pending_sends(config)
    # A renamed Log's sends count; another client's rows (a copied workbook) never do.
    history = SendHistory.from_log(own([*book.past_log, *book.log], config.client)).plus(kept)
    ran = LogEntry(now.isoformat(), command.value, "ok", report.review_cycle, _details(report))
    entries = [*book.log, *unrecorded_rows(kept, own(book.log, config.client)), ran]
    return _Read(backend, decided, book, report, entries, history)


def _send(
    config: Config, options: RunOptions, command: Command, read: _Read, now: datetime
) -> SendStep:
    """Send what the command's policy allows and is due. The mail goes out before the Log is
    written (a rare duplicate beats a lost agenda: see sending.py), never when the Log tab
    is not the sync's (`log_blocked`)."""
    if options.dry_run:
        return SendStep()
    context = SendContext(
        config,
        read.report,
        today_for(config, options, now),
        now,
        command.send_policy,
        options,
        read.history,
        log_blocked(read.decided, config.language),
    )
    return send_due(context)


def _write(
    config: Config,
    options: RunOptions,
    command: Command,
    read: _Read,
    report: Report,
    step: SendStep,
    now: datetime,
) -> None:
    """The run's one write: the generated tabs with the sends' Log rows; then the journal's
    sends are in the Log and it is cleared. A failed write says what already went out."""
    if options.dry_run:
        return
    if command is Command.CHECK:
        # `check` validates and writes the Checks tab only: Summary and Log stay as they are.
        checks = checks_tab(report.open_checks, report.language, past=report.past_checks)
        read.backend.write(writable_tabs([checks], read.decided))
        return
    try:
        rows = [*read.log, *step.log_rows]
        tabs = generated_tabs(read.backend, read.book, report, rows, now)
        written = writable_tabs(tabs, read.decided)
        read.backend.write(written)
    except SheetsSyncError as error:
        sent = _sent_words(step.deliveries)
        if sent is None:
            raise
        raise _saying_what_was_sent(error, sent) from None
    # The journal's sends are in the Log only when the Log was written: a staff tab standing
    # under its title is left alone, and the journal keeps them for the run after it is fixed.
    if any(tab.key == "log" for tab in written):
        journal.clear(config)


@dataclass(frozen=True)
class _Each:
    """Several phrases said as one list, in the language they are shown in."""

    phrases: tuple[Phrase, ...]

    def render(self, lang: Lang) -> str:
        return join((phrase.render(lang) for phrase in self.phrases), lang)


def _sent_words(deliveries: Sequence[Delivery]) -> Renderable | None:
    """What went out before a failed write ("the agenda WAS sent to …"), or None."""
    sent = {d.kind: d.sent_to for d in deliveries if d.sent_to is not None and d.channel.is_mail}
    agenda, reminder = sent.get(MessageKind.AGENDA), sent.get(MessageKind.REMINDER)
    follow_up = sent.get(MessageKind.FOLLOW_UP)
    said: list[Phrase] = []
    if agenda and reminder:
        said.append(Phrase("error.sent_both", {"agenda": agenda, "reminder": reminder}))
    elif agenda:
        said.append(Phrase("error.sent_agenda", {"where": agenda}))
    elif reminder:
        said.append(Phrase("error.sent_reminder", {"where": reminder}))
    if follow_up:
        said.append(Phrase("error.sent_follow_up", {"where": follow_up}))
    if len(said) > 1:
        return _Each(tuple(said))
    return said[0] if said else None


def _saying_what_was_sent(error: SheetsSyncError, sent: Renderable) -> SheetsSyncError:
    """The write's error (the same class, so the same exit code, and the same language) with
    what already went out, so nobody resends it by hand: the next run records it."""
    again = copy(error)
    again.phrase = Phrase("error.sent_not_recorded", {"error": error, "sent": sent})
    return again


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


def render_only(
    config: Config, options: RunOptions, *, backend: Backend | None = None
) -> tuple[Report, int | None]:
    """Read and compute without writing (for `agenda --out`)."""
    backend = backend or open_backend(config)
    now = _now(config)
    snapshot = backend.read()
    _, report = _analyse(config, snapshot, ownership.decide(snapshot), options, now)
    cycle = options.cycle if options.cycle is not None else report.review_cycle
    return report, cycle
