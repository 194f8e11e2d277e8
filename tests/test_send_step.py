"""The send step: each message the run may send (the agenda, the input reminder) is judged by its
own due rule against every send known (the Log's, the sent-journal's, the ones before it in this
run) and the command's send policy; the step returns one delivery per message — sent to,
failed with, skipped because — plus the Log rows it adds, and notes each send in the journal
before the Log write. Mail goes through the real outbox transport (and a real SMTP port that
refuses); the report is computed from a real .xlsx workbook."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from sheets_sync.config import Config, load_config
from sheets_sync.core.sends import (
    Delivery,
    Failed,
    MessageKind,
    SendHistory,
    SendRecord,
    Sent,
    Skipped,
    unrecorded_rows,
)
from sheets_sync.errors import EXIT_MAIL, EXIT_OK, MailError
from sheets_sync.run.journal import journal_path, pending_sends, record
from sheets_sync.run.options import Command, RunOptions, SendPolicy
from sheets_sync.run.sending import (
    MESSAGES,
    AgendaMessage,
    LogBlocked,
    SendContext,
    SendStep,
    send_due,
)
from sheets_sync.run.sync import RunResult, render_only, run
from sheets_sync.sheet.logbook import LogEntry
from sheets_sync.words.core import in_language, say
from tests.support.smtp_server import free_port
from tests.support.words import shows
from tests.support.workbooks import Tabs, baseline, config_file, with_enough_evidence, write_xlsx

AGENDA, REMINDER, FOLLOW_UP = MessageKind.AGENDA, MessageKind.REMINDER, MessageKind.FOLLOW_UP
TOKYO = ZoneInfo("Asia/Tokyo")
REMIND_DAY = date(2026, 11, 20)  # cycle 2's meeting is 11-22: reminder window 11-20 … 11-21
DUE_DAY = date(2026, 11, 21)  # cycle 2's agenda is due (send_days_before = 1)
EARLIER = "2026-11-19T08:00:00+09:00"


def without_cycle2_value() -> Tabs:
    """The baseline with cycle 2's 購入率 (K3) not typed yet: the reminder has work to do."""
    tabs = baseline()
    tabs["KPI記録"] = [row for row in tabs["KPI記録"] if row[0] != 2]
    return tabs


def client(folder: Path, tabs: Tabs | None = None, *, smtp_port: int | None = None) -> Config:
    """A client on an .xlsx workbook; mail to the outbox folder, or to SMTP on `smtp_port`."""
    write_xlsx(folder / "book.xlsx", tabs if tabs is not None else without_cycle2_value())
    if smtp_port is None:
        return load_config(config_file(folder))
    extra = f'[mail.smtp]\nhost = "127.0.0.1"\nport = {smtp_port}\nsecurity = "none"\n'
    path = config_file(folder, extra=extra)
    text = path.read_text(encoding="utf-8").replace('transport = "outbox"', 'transport = "smtp"')
    path.write_text(text, encoding="utf-8")
    return load_config(path)


def moment(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 9, 0, tzinfo=TOKYO)


def step_on(
    config: Config,
    day: date,
    *,
    policy: SendPolicy = SendPolicy.WHEN_DUE,
    sent: tuple[SendRecord, ...] = (),
    log_not_ours: str | None = None,
    **options: bool,
) -> SendStep:
    """The send step on `day`, with `sent` the sends known before it."""
    run_options = RunOptions(as_of=day, **options)  # type: ignore[arg-type]
    report, _ = render_only(config, run_options)
    history = SendHistory(sent)
    context = SendContext(
        config,
        report,
        day,
        moment(day),
        policy,
        run_options,
        history,
        LogBlocked.staff_tab(log_not_ours) if log_not_ours is not None else None,
    )
    return send_due(context)


def fate(step: SendStep, kind: MessageKind) -> Delivery:
    [found] = [d for d in step.deliveries if d.kind is kind]
    return found


def outbox(config: Config) -> list[Path]:
    return sorted((config.folder / "outbox").glob("*.eml"))


# -- each message, each state ---------------------------------------------------------------
def test_on_the_due_day_the_agenda_goes_out_once_noted_and_logged(tmp_path: Path) -> None:
    """Due day, nothing sent before: the agenda is sent (one .eml), its Log row says `agenda
    sent` for cycle 2 with where it went, and the journal holds it until the Log write."""
    config = client(tmp_path, baseline())
    step = step_on(config, DUE_DAY)
    agenda = fate(step, AGENDA)
    [mail] = outbox(config)
    assert agenda == Delivery(AGENDA, 2, Sent(str(mail)))
    at = moment(DUE_DAY).isoformat()
    shown = f"outbox/{mail.name}"  # the Log names it inside the client's folder, not the machine's
    assert step.log_rows == (LogEntry(at, "agenda", "sent", 2, shown),)
    assert step.sends == (SendRecord(AGENDA, 2, at, shown),)
    assert pending_sends(config) == list(step.sends)


@pytest.mark.parametrize("where", ["the Log", "the journal"])
def test_an_agenda_already_sent_is_skipped_and_says_when(tmp_path: Path, where: str) -> None:
    """A send known from the Log or from the journal is the same fact: the agenda is skipped
    (「サイクル2の分は… に送信済み」), nothing goes out, no Log row is added."""
    config = client(tmp_path, baseline())
    known = SendRecord(AGENDA, 2, EARLIER, "smtp://earlier")
    sent = SendHistory.from_log([known.log_row()]).records if where == "the Log" else (known,)
    step = step_on(config, DUE_DAY, sent=sent)
    agenda = fate(step, AGENDA)
    assert isinstance(agenda.result, Skipped)
    at = "11月19日 8:00(日本時間)"
    assert agenda.skipped == say("run.skip_already_sent", "ja", cycle=2, at=at)
    assert step.log_rows == () and step.sends == () and outbox(config) == []


def test_force_sends_an_agenda_already_sent(tmp_path: Path) -> None:
    """--force: the agenda goes out again although the Log says it was sent."""
    config = client(tmp_path, baseline())
    step = step_on(config, DUE_DAY, sent=(SendRecord(AGENDA, 2, EARLIER, "x"),), force=True)
    assert fate(step, AGENDA).sent_to and len(outbox(config)) == 1


def test_on_a_reminder_day_the_reminder_lists_what_is_missing(tmp_path: Path) -> None:
    """Reminder day with cycle 2's K3 missing: the reminder is sent, its Log row names where
    and what it asked for; the agenda is not due (the review cycle's meeting has passed); the
    follow-up of cycle 1's meeting, due until cycle 2's agenda, goes out too (決まったこと)."""
    config = client(tmp_path)
    step = step_on(config, REMIND_DAY)
    reminder = fate(step, REMINDER)
    assert reminder.cycle == 2 and reminder.sent_to is not None
    row, follow_up = step.log_rows
    assert (follow_up.what, follow_up.cycle) == ("follow_up", 1)
    assert follow_up.details.endswith(" · 決まったこと")
    assert (row.what, row.result, row.cycle) == ("reminder", "sent", 2)
    shown = f"outbox/{Path(reminder.sent_to).name}"  # inside the client's folder
    assert row.details.startswith(f"{shown} · ") and "K3" in row.details
    assert shows(fate(step, AGENDA).skipped, "run.skip_meeting_passed", "ja")


@pytest.mark.parametrize(
    ("tabs", "sent", "day", "key"),
    [
        (without_cycle2_value(), (), date(2026, 11, 19), "run.reminder_skip_not_today"),
        (
            without_cycle2_value(),
            (SendRecord(REMINDER, 2, EARLIER, "smtp://earlier · K3"),),
            REMIND_DAY,
            "run.reminder_skip_already_sent",
        ),
        (with_enough_evidence(baseline()), (), REMIND_DAY, "run.reminder_skip_nothing_missing"),
    ],
    ids=["not a reminder day", "already sent", "nothing missing"],
)
def test_a_reminder_not_due_is_skipped_with_its_reason(
    tmp_path: Path, tabs: Tabs, sent: tuple[SendRecord, ...], day: date, key: str
) -> None:
    """The reminder's own rule: only in its window (11-19 is before it), once per cycle, and only
    when something is missing; otherwise skipped, saying which."""
    config = client(tmp_path, tabs)
    reminder = fate(step_on(config, day, sent=sent), REMINDER)
    assert isinstance(reminder.result, Skipped) and shows(reminder.skipped, key, "ja")


def test_no_agenda_skips_every_message(tmp_path: Path) -> None:
    """--no-agenda: each message is skipped saying so; nothing goes out."""
    config = client(tmp_path)
    step = step_on(config, REMIND_DAY, no_agenda=True)
    assert [(d.kind, d.skipped) for d in step.deliveries] == [
        (AGENDA, "--no-agenda"),
        (REMINDER, "--no-agenda"),
        (FOLLOW_UP, "--no-agenda"),
    ]
    assert step.sends == () and outbox(config) == []


def test_never_judges_nothing(tmp_path: Path) -> None:
    """The NEVER policy (`check`): no message is even considered."""
    config = client(tmp_path)
    assert step_on(config, REMIND_DAY, policy=SendPolicy.NEVER) == SendStep()


def test_now_sends_the_agenda_whatever_its_rule_and_nothing_else(tmp_path: Path) -> None:
    """The NOW policy (`agenda --send`, `demo`): the agenda goes out on a day it is not due,
    even when already sent; the reminder, due that day, is not this command's business."""
    config = client(tmp_path)
    sent = (SendRecord(AGENDA, 1, EARLIER, "x"),)
    step = step_on(config, REMIND_DAY, policy=SendPolicy.NOW, sent=sent, no_agenda=True)
    assert [(d.kind, d.cycle, type(d.result)) for d in step.deliveries] == [(AGENDA, 1, Sent)]


def test_a_staff_log_fails_the_agenda_and_the_reminder_waits(tmp_path: Path) -> None:
    """The Log tab is a staff tab (no send could be recorded): a due agenda is the run's
    failure, naming the tab; a due reminder waits quietly; neither goes out nor adds a row."""
    config = client(tmp_path)
    due = fate(step_on(config, DUE_DAY, log_not_ours="ログ"), AGENDA)
    assert due.error is not None and "「ログ」" in in_language(due.error, "ja")
    reminder_day = step_on(config, REMIND_DAY, log_not_ours="ログ")
    waits = fate(reminder_day, REMINDER)
    assert waits.skipped == say("run.skip_log_not_ours", "ja", title="ログ")
    assert reminder_day.log_rows == () and outbox(config) == []


def test_a_refused_mail_fails_is_logged_and_is_not_noted(tmp_path: Path) -> None:
    """SMTP unreachable: the agenda failed (a MailError the reader puts in its language), the
    Log says `agenda failed` with the error, and the journal notes nothing."""
    config = client(tmp_path, baseline(), smtp_port=free_port())  # nothing listens there
    step = step_on(config, DUE_DAY)
    agenda = fate(step, AGENDA)
    assert isinstance(agenda.error, MailError) and step.sends == ()
    [row] = step.log_rows
    assert (row.what, row.result, row.cycle, row.details) == (
        "agenda",
        "failed",
        2,
        str(agenda.error),
    )
    assert not journal_path(config).exists()


def test_nothing_goes_out_when_the_journal_cannot_be_written(tmp_path: Path) -> None:
    """The journal's temp name is a folder: the send could not be remembered, so the reminder
    fails before any mail is made (error.journal_unwritable)."""
    config = client(tmp_path)
    journal_path(config).with_suffix(".tmp").mkdir()
    reminder = fate(step_on(config, REMIND_DAY), REMINDER)
    assert shows(in_language(reminder.error, "ja"), "error.journal_unwritable", "ja")
    assert outbox(config) == []


def test_each_message_sees_the_sends_before_it(tmp_path: Path) -> None:
    """The step is a loop over the messages and each judges by the sends before it in the same
    run: the same message twice in a row goes out once and is then already sent."""
    config = client(tmp_path, baseline())
    report, _ = render_only(config, RunOptions(as_of=DUE_DAY))
    context = SendContext(
        config, report, DUE_DAY, moment(DUE_DAY), SendPolicy.WHEN_DUE, RunOptions(), SendHistory()
    )
    step = send_due(context, (AgendaMessage(), AgendaMessage()))
    first, second = step.deliveries
    assert first.sent_to and shows(second.skipped, "run.skip_already_sent", "ja")
    assert len(outbox(config)) == 1
    assert [m.kind for m in MESSAGES] == [AGENDA, REMINDER, FOLLOW_UP]  # the order tried


# -- what went out before: the history, the journal, the report's agenda state -------------
def test_the_last_known_send_of_each_kind_is_the_reports_state() -> None:
    """The agenda state is decided from the sends in the order they became known (Log, then
    journal, then this run): the last one of each kind for the review cycle is shown; other
    cycles' sends, failed rows and other Log rows do not count. Which follow-up went out is read
    back from its row's details, in either language."""
    log = [
        LogEntry("2026-11-07T09:00:00+09:00", "agenda", "sent", 1, "x"),
        LogEntry("2026-11-20T09:00:00+09:00", "reminder", "failed", 2, "refused"),
        LogEntry("2026-11-20T09:00:00+09:00", "sync", "ok", 2, "…"),
        LogEntry("2026-11-20T10:00:00+09:00", "reminder", "sent", 2, "y"),
        LogEntry("2026-11-09T09:00:00+09:00", "follow_up", "sent", 1, "v · decided"),
        LogEntry("2026-11-23T09:00:00+09:00", "follow_up", "sent", 2, "u · 記入のお願い：担当"),
    ]
    journal = [SendRecord(AGENDA, 2, "2026-11-21T08:00:00+09:00", "z")]
    this_run = [SendRecord(AGENDA, 2, "2026-11-21T09:00:00+09:00", "w")]
    history = SendHistory.from_log(log).plus(journal).plus(this_run)
    state = history.agenda_state(2, date(2026, 11, 21)).to_json()
    assert state == {
        "cycle": 2,
        "due": "2026-11-21",
        "sent": True,
        "sent_at": "2026-11-21T09:00:00+09:00",
        "reminder_sent": True,
        "reminder_sent_at": "2026-11-20T10:00:00+09:00",
        "follow_up": "asked",
        "follow_up_sent_at": "2026-11-23T09:00:00+09:00",
        "chat": [],
    }
    assert SendHistory.from_log(log).agenda_state(1, None).to_json()["follow_up"] == "decided"
    assert SendHistory.from_log(log).agenda_state(None, None).to_json()["sent"] is False


def test_only_the_journals_sends_missing_from_the_log_become_rows() -> None:
    """Recovery: a journal send the Log already holds is not written twice; one it lacks is
    written once, as the send's own row."""
    in_log = SendRecord(AGENDA, 2, EARLIER, "smtp://a")
    missing = SendRecord(REMINDER, 2, EARLIER, "smtp://b · K3")
    rows = unrecorded_rows([in_log, missing, missing], [in_log.log_row()])
    assert rows == [LogEntry(EARLIER, "reminder", "sent", 2, "smtp://b · K3")]


def test_the_journal_file_keeps_its_shape(tmp_path: Path) -> None:
    """A noted send is written as older versions wrote it (cycle, sent_at, where, kind) and
    read back the same; a second send of the same kind and cycle replaces the first."""
    config = client(tmp_path)
    record(config, SendRecord(REMINDER, 2, EARLIER, "smtp://a"))
    record(config, SendRecord(AGENDA, 2, EARLIER, "smtp://b"))
    record(config, SendRecord(REMINDER, 2, EARLIER, "smtp://c"))
    assert json.loads(journal_path(config).read_text(encoding="utf-8")) == [
        {"cycle": 2, "sent_at": EARLIER, "where": "smtp://b", "kind": "agenda"},
        {"cycle": 2, "sent_at": EARLIER, "where": "smtp://c", "kind": "reminder"},
    ]
    assert [s.where for s in pending_sends(config)] == ["smtp://b", "smtp://c"]


def test_a_run_records_the_journals_sends_and_shows_them_in_its_report(tmp_path: Path) -> None:
    """A run after a failed Log write: the journal's reminder (missing from the Log) gets its
    row once, the report says it was sent, nothing is sent again, and the journal is gone."""
    config = client(tmp_path)
    record(config, SendRecord(REMINDER, 2, EARLIER, "smtp://earlier · K3"))
    result = run(config, RunOptions(as_of=REMIND_DAY), now=moment(REMIND_DAY))
    assert shows(result.reminder_skipped, "run.reminder_skip_already_sent", "ja")
    assert result.report.agenda.to_json()["reminder_sent"] is False  # review cycle is 1
    log = load_workbook(tmp_path / "book.xlsx")["ログ"]
    rows = [row[1:4] for row in log.iter_rows(min_row=2, values_only=True)]
    assert rows.count(("入力のお願い", "送信済み", 2)) == 1
    # Only cycle 1's follow-up, due that day, went out: no reminder again.
    assert [path.name.rsplit("-", 2)[1:] for path in outbox(config)] == [
        ["cycle1", "follow_up.eml"]
    ]
    assert not journal_path(config).exists()


# -- the command, the policy, the result ----------------------------------------------------
@pytest.mark.parametrize(
    ("command", "policy"),
    [
        (Command.SYNC, SendPolicy.WHEN_DUE),
        (Command.CHECK, SendPolicy.NEVER),
        (Command.AGENDA, SendPolicy.NOW),
        (Command.DEMO, SendPolicy.NOW),
    ],
)
def test_each_command_implies_its_send_policy(command: Command, policy: SendPolicy) -> None:
    """sync sends what is due, check nothing, `agenda --send` and demo the agenda now; the
    command's value is its word in the Log."""
    assert command.send_policy is policy and command.value == command.name.lower()


def test_a_run_result_reads_its_deliveries(tmp_path: Path) -> None:
    """RunResult keeps one delivery per message; the names sync-all, watch and the CLI read
    come from them, and any failed delivery makes the run exit 4."""
    config = client(tmp_path, baseline())
    report, _ = render_only(config, RunOptions(as_of=DUE_DAY))
    sent = Delivery(AGENDA, 2, Sent("smtp://m:587"))
    failed = Delivery(REMINDER, 3, Failed("refused"))
    result = RunResult(report, (sent, failed))
    assert (result.agenda_sent_to, result.agenda_error, result.agenda_skipped) == (
        "smtp://m:587",
        None,
        "",
    )
    assert (result.reminder_sent_to, result.reminder_error) == (None, "refused")
    assert result.delivery(REMINDER) == failed and result.failures == (failed,)
    assert result.exit_code == EXIT_MAIL
    assert RunResult(report, (sent,)).exit_code == EXIT_OK
    assert RunResult(report).delivery(AGENDA) is None and RunResult(report).agenda_skipped == ""
