"""How one client's run ended, in one word from a fixed set (sync-all's table, the watch's
status, the portfolio's score), with the exit code of the error that caused it.

`Outcome.from_error` is the one place an exception becomes an outcome; `RunEnd` is what a row
keeps of a run, and `RunEnd.from_result` the one place a finished run's result is read.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final, Protocol

from ..core.report import Report
from ..errors import EXIT_OK, LockedError, MailError, SheetAccessError, SheetsSyncError
from ..words.core import Phrase, Words

EXIT_CRASHED: Final = 1  # an unexpected error, as the CLI reports one for a single command


class Outcome(StrEnum):
    """How a client's run ended; the words are the table's and the CSV's."""

    OK = "ok"
    AGENDA_FAILED = "agenda failed"
    LOCKED = "locked"
    SHEET_ERROR = "sheet error"
    CONFIG_ERROR = "config error"
    CRASHED = "crashed"

    @property
    def exit_code(self) -> int:
        """The exit code of the error behind this outcome (1 for a crash, 0 for ok)."""
        if self is Outcome.OK:
            return EXIT_OK
        cause = next((error for error, outcome in _CAUSES if outcome is self), None)
        return cause.exit_code if cause is not None else EXIT_CRASHED

    @property
    def finished(self) -> bool:
        """The run got through and updated the sheet (a failed agenda is retried later)."""
        return self in (Outcome.OK, Outcome.AGENDA_FAILED)

    @classmethod
    def from_error(cls, error: BaseException) -> Outcome:
        """The outcome of a run that raised `error`; anything unexpected is a crash."""
        return next((outcome for kind, outcome in _CAUSES if isinstance(error, kind)), cls.CRASHED)


# Which error ends a run how, most specific first; each outcome's exit code is its error's own.
_CAUSES: Final[tuple[tuple[type[SheetsSyncError], Outcome], ...]] = (
    (LockedError, Outcome.LOCKED),
    (SheetAccessError, Outcome.SHEET_ERROR),
    (MailError, Outcome.AGENDA_FAILED),  # run() keeps mail failures in its result: belt and braces
    (SheetsSyncError, Outcome.CONFIG_ERROR),  # ConfigError, UsageError (a broken client template)
)


def crashed(error: BaseException) -> Phrase:
    """An unexpected error, named by its type (it is a bug to report)."""
    return Phrase("table.crashed", {"kind": type(error).__name__, "error": str(error)})


class Finished(Protocol):
    """What a row reads of a finished run (`sync.RunResult`)."""

    @property
    def report(self) -> Report: ...

    @property
    def agenda_sent_to(self) -> str | None: ...

    @property
    def agenda_error(self) -> Words | None: ...

    @property
    def reminder_error(self) -> Words | None: ...

    @property
    def follow_up_error(self) -> Words | None: ...

    @property
    def chat_problem(self) -> Words | None: ...


@dataclass(frozen=True)
class RunEnd:
    """What a client's row keeps of how its run ended: the outcome, the problem to show (an
    error, or words), and what a finished run made."""

    outcome: Outcome
    problem: Words | None = None
    report: Report | None = None
    agenda_sent_to: str | None = None
    agenda_error: Words | None = None

    @classmethod
    def from_error(cls, error: BaseException) -> RunEnd:
        """A run stopped by `error`: its own words, or for an unexpected one its type and text."""
        problem = error if isinstance(error, SheetsSyncError) else crashed(error)
        return cls(Outcome.from_error(error), problem)

    @classmethod
    def from_result(cls, result: Finished) -> RunEnd:
        """A run that finished: ok, or "agenda failed" when its agenda could not go out by mail
        or a message could not be posted to a chat (the problem names the channel); a reminder
        or follow-up that could not go out by mail is the row's problem too."""
        other: Phrase | None = None  # a mail besides the agenda that did not go out
        if result.reminder_error:
            other = Phrase("table.reminder_not_sent", {"error": result.reminder_error})
        elif result.follow_up_error:
            other = Phrase("table.follow_up_not_sent", {"error": result.follow_up_error})
        failed = result.agenda_error or result.chat_problem  # a chat is a message too (exit 4)
        return cls(
            Outcome.AGENDA_FAILED if failed else Outcome.OK,
            failed or other,
            result.report,
            result.agenda_sent_to,
            result.agenda_error,
        )
