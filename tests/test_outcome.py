"""How a client's run ended: one word from a fixed set, its exit code the error's own, and one
reading of a finished run — shared by sync-all, watch and the portfolio."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_sync.consultant.batch import ClientRun
from sheets_sync.consultant.outcome import Outcome, RunEnd
from sheets_sync.core.sends import Channel, Delivery, Failed, MessageKind, Sent
from sheets_sync.errors import (
    ConfigError,
    LockedError,
    MailError,
    SheetAccessError,
    SheetsSyncError,
    UsageError,
    WorkbookOpenError,
)
from sheets_sync.run.sync import RunResult
from sheets_sync.words.core import Phrase, in_language
from tests.support.agenda_fixtures import make_report

AGENDA, REMINDER = MessageKind.AGENDA, MessageKind.REMINDER


@pytest.mark.parametrize(
    ("error", "outcome"),
    [
        (LockedError("client_busy", client="さくら", lock="x.lock"), Outcome.LOCKED),
        (SheetAccessError("google_no_credentials"), Outcome.SHEET_ERROR),
        (
            WorkbookOpenError("workbook_open", name="a.xlsx", lock="~$a.xlsx", says=""),
            Outcome.SHEET_ERROR,
        ),
        (MailError("agenda_run_failed", problem="x"), Outcome.AGENDA_FAILED),
        (ConfigError("client_name_empty"), Outcome.CONFIG_ERROR),
        (UsageError("interval_range"), Outcome.CONFIG_ERROR),
        (ValueError("a bug"), Outcome.CRASHED),
    ],
)
def test_an_error_ends_a_run_with_the_outcome_and_exit_code_it_carries(
    error: Exception, outcome: Outcome
) -> None:
    """Each error maps to one outcome, and the outcome's exit code is the error's own (no
    second table); anything unexpected is a crash, exit 1."""
    assert Outcome.from_error(error) is outcome
    expected = error.exit_code if isinstance(error, SheetsSyncError) else 1
    assert outcome.exit_code == expected
    end = RunEnd.from_error(error)
    assert end.outcome is outcome and end.report is None
    if isinstance(error, SheetsSyncError):
        assert end.problem is error  # kept as raised: each reader picks its language
    else:
        assert isinstance(end.problem, Phrase) and "ValueError" in end.problem.render("en")


def test_ok_is_exit_0_and_only_ok_and_a_failed_agenda_count_as_finished() -> None:
    """A failed agenda still updated the sheet; a lock, a sheet or config error and a crash
    did not (the watch retries those after a backoff)."""
    assert Outcome.OK.exit_code == 0
    assert {o for o in Outcome if o.finished} == {Outcome.OK, Outcome.AGENDA_FAILED}


def test_a_finished_run_keeps_its_agenda_and_a_reminder_that_could_not_go_out() -> None:
    """The row of a run whose reminder failed is ok, and says why the reminder did not go
    (sync-all always did; the watch used to drop it)."""
    report = make_report()
    failed = MailError("agenda_run_failed", problem="smtp down")
    sent_and_failed = (Delivery(AGENDA, 3, Sent("a.eml")), Delivery(REMINDER, 4, Failed(failed)))
    end = RunEnd.from_result(RunResult(report, sent_and_failed))
    assert end.outcome is Outcome.OK and end.report is report and end.agenda_sent_to == "a.eml"
    assert isinstance(end.problem, Phrase) and "smtp down" in end.problem.render("en")
    agenda = RunEnd.from_result(RunResult(report, (Delivery(AGENDA, 3, Failed(failed)),)))
    assert agenda.outcome is Outcome.AGENDA_FAILED and agenda.problem is failed
    assert RunEnd.from_result(RunResult(report)).problem is None


def test_a_chat_that_failed_is_an_agenda_failed_naming_the_channel() -> None:
    """The mail went and a chat post did not: the run ended "agenda failed" (exit 4, for
    sync-all and the watch alike), its problem names the channel, and the mail's address is
    kept."""
    report = make_report()
    chatwork = Channel.chat(2, "chatwork")
    deliveries = (
        Delivery(AGENDA, 3, Sent("a.eml")),
        Delivery(AGENDA, 3, Failed("HTTP 503"), chatwork),
    )
    end = RunEnd.from_result(RunResult(report, deliveries))
    assert end.outcome is Outcome.AGENDA_FAILED and end.outcome.exit_code == 4
    assert end.problem is not None and "chat:2:chatwork" in in_language(end.problem, "en")
    assert end.agenda_sent_to == "a.eml" and end.agenda_error is None


def test_a_row_takes_the_words_of_an_outcome_and_how_its_run_ended() -> None:
    """`ClientRun("…", "locked")` reads as the outcome itself; `ended` fills the row in."""
    row = ClientRun(Path("a.toml"), "a", "locked")  # type: ignore[arg-type]
    assert (row.outcome, row.exit_code) == (Outcome.LOCKED, 5)
    row.ended(RunEnd.from_error(SheetAccessError("google_no_credentials")))
    assert (row.outcome, row.exit_code, row.ok) == (Outcome.SHEET_ERROR, 3, False)
