"""What a run's messages did, and every send known so far (pure: no I/O).

A run may send staff a few messages (the agenda, the input reminder), each through each
channel (mail). For every one it keeps a `Delivery`: sent to …, failed with …, or skipped
because …. What went out is a `SendRecord`, wherever it is known from — the Log's `… sent`
rows, the sent-journal of a run whose Log write failed, this run — and a `SendHistory` of them
is the one place the report's agenda state (sent, sent_at, reminder_sent …) is decided.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from .logbook import LogEntry
from .report import AgendaState
from .words.core import Phrase, Words


class MessageKind(StrEnum):
    """A message the run may send staff; the value is its word in the Log (`agenda sent`), in
    the sent-journal and in the mail's kind header."""

    AGENDA = "agenda"
    REMINDER = "reminder"


class Channel(StrEnum):
    """Where a message goes. Each (message, channel) has its own delivery."""

    MAIL = "mail"


# How an error names each message ("the agenda could not be noted in …").
WHAT: Final[dict[MessageKind, Phrase]] = {
    MessageKind.AGENDA: Phrase("error.what_agenda"),
    MessageKind.REMINDER: Phrase("error.what_reminder"),
}


@dataclass(frozen=True)
class Sent:
    """It went out: `to` is where (smtp://host:port, or the outbox's .eml file)."""

    to: str


@dataclass(frozen=True)
class Failed:
    """It should have gone out and did not: the error, each reader puts it in its language.
    The run exits 4 (mail) and the next run tries again."""

    error: Words


@dataclass(frozen=True)
class Skipped:
    """It was not due (or the command said not to send): why, in the client's language."""

    reason: str


@dataclass(frozen=True)
class Delivery:
    """What one run did with one message on one channel."""

    kind: MessageKind
    cycle: int | None  # the cycle it was for; None when skipped (the reason names the cycle)
    result: Sent | Failed | Skipped
    channel: Channel = Channel.MAIL

    @property
    def sent_to(self) -> str | None:
        return self.result.to if isinstance(self.result, Sent) else None

    @property
    def error(self) -> Words | None:
        return self.result.error if isinstance(self.result, Failed) else None

    @property
    def skipped(self) -> str:
        """Why it was skipped, or "" when it was not."""
        return self.result.reason if isinstance(self.result, Skipped) else ""


@dataclass(frozen=True)
class SendRecord:
    """One message that went out: its kind, its cycle, when (ISO, the client's zone) and the
    Log row's details (where it went, and for the reminder what it asked for)."""

    kind: MessageKind
    cycle: int
    sent_at: str
    where: str

    def log_row(self) -> LogEntry:
        """Its row in the Log (`agenda | sent | 3 | smtp://…`)."""
        return LogEntry(self.sent_at, self.kind.value, "sent", self.cycle, self.where)


def failed_row(kind: MessageKind, cycle: int | None, at: str, error: Words) -> LogEntry:
    """The Log row of a send that failed (the next run retries it)."""
    return LogEntry(at, kind.value, "failed", cycle, str(error))


@dataclass(frozen=True)
class SendHistory:
    """Every send a run knows of, oldest first: the Log's (a renamed Log's too), then the
    sent-journal's, then this run's. For each (kind, cycle) the last one is the one shown."""

    records: tuple[SendRecord, ...] = ()

    @classmethod
    def from_log(cls, rows: Iterable[LogEntry]) -> SendHistory:
        """The `… sent` rows of the Log (whose words were read back to their keys)."""
        kinds = {kind.value: kind for kind in MessageKind}
        return cls(
            tuple(
                SendRecord(kinds[row.what], row.cycle, row.when, row.details)
                for row in rows
                if row.what in kinds and row.result == "sent" and row.cycle is not None
            )
        )

    def plus(self, records: Iterable[SendRecord]) -> SendHistory:
        return SendHistory((*self.records, *records))

    def last(self, kind: MessageKind, cycle: int) -> SendRecord | None:
        """The latest send of `kind` for `cycle`, or None when it never went out."""
        found = [r for r in self.records if r.kind is kind and r.cycle == cycle]
        return found[-1] if found else None

    def agenda_state(self, cycle: int | None, due: date | None) -> AgendaState:
        """The review cycle's agenda and reminder as the report shows them."""
        if cycle is None:
            return AgendaState(cycle=None, due=due)
        agenda = self.last(MessageKind.AGENDA, cycle)
        reminder = self.last(MessageKind.REMINDER, cycle)
        return AgendaState(
            cycle=cycle,
            due=due,
            sent=agenda is not None,
            sent_at=agenda.sent_at if agenda is not None else None,
            reminder_sent=reminder is not None,
            reminder_sent_at=reminder.sent_at if reminder is not None else None,
        )


def unrecorded_rows(records: Iterable[SendRecord], log: Sequence[LogEntry]) -> list[LogEntry]:
    """The Log rows of earlier sends (the sent-journal's) that the Log does not hold yet."""
    known = {(r.kind, r.cycle) for r in SendHistory.from_log(log).records}
    rows: list[LogEntry] = []
    for record in records:
        if (record.kind, record.cycle) not in known:
            rows.append(record.log_row())
            known.add((record.kind, record.cycle))
    return rows
