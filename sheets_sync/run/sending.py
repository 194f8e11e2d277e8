"""The send step: each message the run may send staff — when it is due, what it says, where it
goes, the Log row it leaves — tried in turn on each channel (the mail, then each [[chat]]);
what happened is returned, never written here.

The mail goes out before the Log is written, in the same run's single write: a crash in between
means the next run sends again (a rare duplicate) rather than never (a lost agenda). The
sent-journal narrows even that gap: each send is noted there right after it goes out, and the
run clears the journal once the Log holds it; nothing goes out when the journal cannot be
written (it could not be remembered). A message is due per channel, judged by that channel's
sends alone: a chat that failed is posted to by the next run without the mail going out again.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from functools import partial
from typing import Protocol

from ..config import Config
from ..core.places import staff_place, without_machine_paths
from ..core.report import Report
from ..core.sends import (
    WHAT,
    Channel,
    Delivery,
    Failed,
    MessageKind,
    SendHistory,
    SendRecord,
    Sent,
    Skipped,
    failed_row,
)
from ..core.when import terminal_day, terminal_moment
from ..errors import MailError
from ..meeting import build_message, deliver_for, render_agenda
from ..meeting.chat import chat_outlets
from ..meeting.follow_up import asked_for, build_follow_up, follow_up_cycle, follow_up_window
from ..meeting.follow_up_mail import render_follow_up
from ..meeting.reminder import missing_inputs, reminder_cycle, render_reminder
from ..meeting.render import RenderedAgenda
from ..sheet.log_words import follow_up_note
from ..sheet.logbook import LogEntry
from ..words.core import Phrase, say
from . import journal
from .options import RunOptions, SendPolicy
from .result import no_review

log = logging.getLogger("sheets_sync")


@dataclass(frozen=True)
class LogBlocked:
    """A tab that is not the sync's stands where the Log should be: no send could be recorded,
    so none goes out. `title` names it; `why` is the run's error (a staff tab, or the marker of
    another generated tab: titles swapped)."""

    title: str
    why: Phrase

    @classmethod
    def staff_tab(cls, title: str) -> LogBlocked:
        return cls(title, Phrase("run.log_not_ours", {"title": title}))


@dataclass(frozen=True)
class SendContext:
    """What the send step judges by: the client, the computed report, the day, what the command
    asked, every send known before this one, and the staff tab standing where the Log should
    be (then no send could be recorded, so none goes out)."""

    config: Config
    report: Report
    today: date
    now: datetime
    policy: SendPolicy
    options: RunOptions
    history: SendHistory
    log_blocked: LogBlocked | None = None


@dataclass(frozen=True)
class Draft:
    """A message due now: its cycle, how to render it, and what its Log row says after the
    address (the reminder: what it asks for; the follow-up: which one it is)."""

    kind: MessageKind
    cycle: int | None  # None only for `agenda --send` on a sheet without cycles: render says so
    render: Callable[[], RenderedAgenda]
    note: str = ""

    def details(self, where: str) -> str:
        return f"{where} · {self.note}" if self.note else where


class Message(Protocol):
    """A message the run may send: its kind (its word in the Log and the journal) and its due
    rule, whose Draft carries its rendering and its Log note. Delivering is the outlets' job
    (one per channel), noting and logging the step's: a new message is one class here."""

    @property
    def kind(self) -> MessageKind: ...

    # When the Log is not the sync's, a send could not be recorded: True makes a due message
    # the run's failure (the consultant must hear of it), False lets it wait quietly.
    @property
    def fails_run_when_blocked(self) -> bool: ...

    def due(self, run: SendContext) -> Draft | Skipped | None:
        """A draft to send now, why not, or None when this command has no business with it."""
        ...


class Outlet(Protocol):
    """A channel the run delivers through."""

    @property
    def channel(self) -> Channel: ...

    def takes(self, kind: MessageKind) -> bool:
        """Whether this channel is sent this kind of message at all."""
        ...

    def deliver(self, rendered: RenderedAgenda, kind: MessageKind, run: SendContext) -> str:
        """Send it; return where it went, or raise MailError (ChatError for a chat)."""
        ...


@dataclass(frozen=True)
class SendStep:
    """What the send step did: a delivery per message and channel, the Log rows it adds, and
    what went out (already noted in the sent-journal)."""

    deliveries: tuple[Delivery, ...] = ()
    log_rows: tuple[LogEntry, ...] = ()
    sends: tuple[SendRecord, ...] = ()

    def then(self, other: SendStep) -> SendStep:
        return SendStep(
            (*self.deliveries, *other.deliveries),
            (*self.log_rows, *other.log_rows),
            (*self.sends, *other.sends),
        )


# -- the messages ---------------------------------------------------------------------------
class AgendaMessage:
    """The review cycle's agenda: due from `meeting.send_days_before` days before the meeting
    until the meeting day, once per cycle (Log `agenda sent`); the command may send it now."""

    kind = MessageKind.AGENDA
    fails_run_when_blocked = True

    def due(self, run: SendContext) -> Draft | Skipped | None:
        report, config = run.report, run.config
        if run.policy is SendPolicy.WHEN_DUE:
            why = agenda_due(report, config, run.today, run.history, force=run.options.force)
            if why is not None:
                return Skipped(why)
        cycle = run.options.cycle if run.options.cycle is not None else report.review_cycle
        return Draft(self.kind, cycle, partial(render_agenda, report, config, cycle=cycle))


class ReminderMessage:
    """The input reminder: on the days before the coming meeting's agenda is due, once per
    cycle (Log `reminder sent`), what that cycle still lacks; nothing when nothing does."""

    kind = MessageKind.REMINDER
    fails_run_when_blocked = False

    def due(self, run: SendContext) -> Draft | Skipped | None:
        if run.policy is not SendPolicy.WHEN_DUE:
            return None
        config, lang = run.config, run.config.language
        cycle = reminder_cycle(run.report, config, run.today)
        if cycle is None:
            return Skipped(say("run.reminder_skip_not_today", lang))
        if run.history.last(self.kind, cycle.cycle) is not None:
            return Skipped(say("run.reminder_skip_already_sent", lang, cycle=cycle.cycle))
        missing = missing_inputs(run.report, cycle, lang)
        if not missing.lines:
            return Skipped(say("run.reminder_skip_nothing_missing", lang))
        render = partial(render_reminder, missing, config, run.report.sheet_url)
        return Draft(self.kind, cycle.cycle, render, note=missing.summary(lang))


class FollowUpMessage:
    """After the meeting, from `meeting.follow_up_days_after` days on until the next agenda is
    due, once per cycle (Log `follow-up sent`): 決まったこと when the latest meeting's learning,
    next step and owner are in the sheet, else 記入のお願い naming each blank cell. It is about
    the latest meeting only, never an older one."""

    kind = MessageKind.FOLLOW_UP
    fails_run_when_blocked = False

    def due(self, run: SendContext) -> Draft | Skipped | None:
        if run.policy is not SendPolicy.WHEN_DUE:
            return None
        lang = run.config.language
        cycle = follow_up_cycle(run.report, run.today)
        if cycle is None:
            return Skipped(say("run.follow_up_skip_no_meeting", lang))
        window = follow_up_window(run.report, cycle, run.config)
        if window is None:
            return Skipped(say("run.follow_up_skip_off", lang))
        if run.history.last(self.kind, cycle.cycle) is not None:
            return Skipped(say("run.follow_up_skip_already_sent", lang, cycle=cycle.cycle))
        first, until = window
        if run.today < first:
            day = terminal_day(first, lang)
            return Skipped(say("run.follow_up_skip_due_on", lang, cycle=cycle.cycle, day=day))
        if run.today >= until:
            day = terminal_day(until, lang)
            return Skipped(say("run.follow_up_skip_too_late", lang, cycle=cycle.cycle, day=day))
        view = build_follow_up(run.report, run.config, cycle)
        note = follow_up_note(view.which, lang, asked_for(view))
        return Draft(self.kind, cycle.cycle, partial(render_follow_up, view, run.config), note)


MESSAGES: tuple[Message, ...] = (AgendaMessage(), ReminderMessage(), FollowUpMessage())


class MailOutlet:
    """The client's [mail]: SMTP, or the outbox folder."""

    channel = Channel.MAIL

    def takes(self, kind: MessageKind) -> bool:
        return True

    def deliver(self, rendered: RenderedAgenda, kind: MessageKind, run: SendContext) -> str:
        message = build_message(rendered, run.config, now=run.now, kind=kind.value)
        return deliver_for(message, run.config)


def outlets_for(config: Config) -> tuple[Outlet, ...]:
    """The mail, then each [[chat]] table of the client in the file's order."""
    return (MailOutlet(), *chat_outlets(config))


# -- the step -------------------------------------------------------------------------------
def send_due(
    run: SendContext,
    messages: Sequence[Message] = MESSAGES,
    outlets: Sequence[Outlet] | None = None,
) -> SendStep:
    """Try each message in turn on each channel (each sees the sends before it); return what
    happened."""
    step = SendStep()
    if run.policy is SendPolicy.NEVER:
        return step
    channels = outlets_for(run.config) if outlets is None else tuple(outlets)
    for message in messages:
        seen = replace(run, history=run.history.plus(step.sends))
        step = step.then(_one(message, seen, channels))
    return step


def _one(message: Message, run: SendContext, outlets: Sequence[Outlet]) -> SendStep:
    """One message on every channel that takes it, each judged by its own sends; the message
    is rendered once for them all."""
    step = SendStep()
    rendered: dict[int | None, RenderedAgenda] = {}
    for outlet in outlets:
        if outlet.takes(message.kind):
            on_channel = replace(run, history=run.history.on(outlet.channel))
            step = step.then(_on_channel(message, outlet, on_channel, rendered))
    return step


def _on_channel(
    message: Message,
    outlet: Outlet,
    run: SendContext,
    rendered: dict[int | None, RenderedAgenda],
) -> SendStep:
    channel = outlet.channel
    if run.policy is SendPolicy.WHEN_DUE and run.options.no_agenda:
        return SendStep((Delivery(message.kind, None, Skipped("--no-agenda"), channel),))
    draft = message.due(run)
    if draft is None:
        return SendStep()
    if isinstance(draft, Skipped):
        return SendStep((Delivery(message.kind, None, draft, channel),))
    if run.log_blocked is not None:
        return _blocked(message, draft, run.log_blocked, run, channel)
    return _deliver(draft, outlet, run, rendered)


def _blocked(
    message: Message, draft: Draft, blocked: LogBlocked, run: SendContext, channel: Channel
) -> SendStep:
    """A due message that the Log could not record: the run's failure, or a quiet wait."""
    if not message.fails_run_when_blocked:
        reason = say("run.skip_log_not_ours", run.config.language, title=blocked.title)
        return SendStep((Delivery(draft.kind, draft.cycle, Skipped(reason), channel),))
    client = run.config.client
    log.debug("%s: %s for cycle %s not sent: %s", client, draft.kind, draft.cycle, blocked.why)
    return SendStep((Delivery(draft.kind, draft.cycle, Failed(blocked.why), channel),))


def _deliver(
    draft: Draft, outlet: Outlet, run: SendContext, rendered: dict[int | None, RenderedAgenda]
) -> SendStep:
    """Send one message through one outlet: noted in the journal once it went out, a Log row
    either way."""
    config, at, channel = run.config, run.now.isoformat(), outlet.channel
    try:
        journal.ensure_writable(config, draft.kind)
        if draft.cycle not in rendered:
            rendered[draft.cycle] = draft.render()
        message = rendered[draft.cycle]
        where = outlet.deliver(message, draft.kind, run)
    except MailError as error:
        log.debug(
            "%s: %s for cycle %s not sent on %s", config.client, draft.kind, draft.cycle, channel
        )
        failed = Delivery(draft.kind, draft.cycle, Failed(error), channel)
        shown = without_machine_paths(str(error), config.folder)  # staff read the Log
        return SendStep((failed,), (failed_row(draft.kind, draft.cycle, at, shown, channel),))
    shown = staff_place(where, config.folder) if channel.is_mail else where
    record = SendRecord(draft.kind, message.cycle, at, draft.details(shown), channel)
    _remember(config, record)
    sent = Delivery(draft.kind, message.cycle, Sent(where), channel)
    return SendStep((sent,), (record.log_row(),), (record,))


def _remember(config: Config, record: SendRecord) -> None:
    """Journal a send until the Log has it; the folder was proved writable just before."""
    try:
        journal.record(config, record)
    except OSError as error:  # the folder changed within the second since the probe
        noted = say(
            "run.journal_note_failed",
            config.language,
            client=config.client,
            what=WHAT[record.kind],
            path=journal.journal_path(config),
            reason=error.strerror or error,
        )
        log.error("%s", noted)


# -- the agenda's due rule ------------------------------------------------------------------
def agenda_due(
    report: Report, config: Config, today: date, history: SendHistory, *, force: bool
) -> str | None:
    """None when the review cycle's agenda is due now, else why not (for the log)."""
    lang = config.language
    cycle = report.cycle(report.review_cycle)
    due = report.agenda.due
    if cycle is None or due is None:
        return no_review(report, lang)
    if today > cycle.end:
        # Even with --force: a past meeting's agenda (and invite) is no use to anyone; an
        # explicit `agenda --send --cycle N` still sends any cycle's agenda.
        day = terminal_day(cycle.end, lang)
        return say("run.skip_meeting_passed", lang, cycle=cycle.cycle, day=day)
    if force:
        return None
    sent = history.last(MessageKind.AGENDA, cycle.cycle)
    if sent is not None:
        at = local_moment(sent.sent_at, config)
        return say("run.skip_already_sent", lang, cycle=cycle.cycle, at=at)
    if today < due:
        return say("run.skip_due_on", lang, day=terminal_day(due, lang))
    return None


def local_moment(iso: str | None, config: Config) -> str:
    """A recorded time as the client reads it: 「12月3日 2:11(日本時間)」, in their zone and
    naming it (the Log keeps the full ISO form); text that is no ISO time is shown as it is."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return terminal_moment(moment, config.language, config.tz)
