"""What a run's messages did, and every send known so far (pure: no I/O).

A run may send staff a few messages (the agenda, the input reminder, the follow-up after the
meeting), each through each
channel (the mail, each [[chat]] of the client). For every one it keeps a `Delivery`: sent to …,
failed with …, or skipped because …. What went out is a `SendRecord`, wherever it is known from —
the Log's `… sent` rows, the sent-journal of a run whose Log write failed, this run — and a
`SendHistory` of them is the one place the report's agenda state (sent, sent_at, reminder_sent,
follow_up, each chat's …) is decided. A message is due per channel: the mail sent and a chat
failed means the next run posts to that chat only.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import ClassVar, Final

from ..sheet.log_words import follow_up_of
from ..sheet.logbook import LogEntry
from ..words.core import Phrase, Words
from .report import AgendaState


class MessageKind(StrEnum):
    """A message the run may send staff; the value is its word in the Log (`agenda sent`), in
    the sent-journal and in the mail's kind header."""

    AGENDA = "agenda"
    REMINDER = "reminder"
    FOLLOW_UP = "follow_up"  # after the meeting: 決まったこと, or 記入のお願い


_CHAT_ID: Final = re.compile(r"^chat:(\d+):([a-z_]+)$")


@dataclass(frozen=True, order=True)
class Channel:
    """Where a message goes: the mail, or the client's n-th [[chat]] table (`chat:1:chatwork`,
    its place among the tables and its kind, so a reordered or replaced table is a new channel).
    Each (message, channel) has its own delivery, journal entry and Log row."""

    id: str
    MAIL: ClassVar[Channel]

    @classmethod
    def chat(cls, number: int, kind: str) -> Channel:
        return cls(f"chat:{number}:{kind}")

    @classmethod
    def parse(cls, text: str) -> Channel | None:
        """The channel an id names (`mail`, `chat:2:slack`), or None for any other text."""
        cleaned = text.strip()
        if cleaned == "mail" or _CHAT_ID.match(cleaned):
            return cls(cleaned)
        return None

    @property
    def is_mail(self) -> bool:
        return self.id == "mail"

    @property
    def kind(self) -> str:
        """`mail`, or the chat's kind (`chatwork`, `slack` …)."""
        return self.id.rsplit(":", 1)[-1]

    @property
    def number(self) -> int | None:
        """The chat's place among the client's [[chat]] tables (1 = the first); None for mail."""
        match = _CHAT_ID.match(self.id)
        return int(match.group(1)) if match else None

    def __str__(self) -> str:
        return self.id


Channel.MAIL = Channel("mail")


# How an error names each message ("the agenda could not be noted in …").
WHAT: Final[dict[MessageKind, Phrase]] = {
    MessageKind.AGENDA: Phrase("error.what_agenda"),
    MessageKind.REMINDER: Phrase("error.what_reminder"),
    MessageKind.FOLLOW_UP: Phrase("error.what_follow_up"),
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


def log_what(kind: MessageKind, channel: Channel = Channel.MAIL) -> str:
    """The Log's `what` key of a message on a channel: `agenda` for the mail (as older versions
    wrote it), `chat_agenda` for any chat (the channel then opens the details)."""
    return kind.value if channel.is_mail else _chat_what(kind)


def _chat_what(kind: MessageKind) -> str:
    return f"chat_{kind.name.lower()}"


def send_whats() -> frozenset[str]:
    """Every `what` key of a send's Log row: the sync's exactly-once state (never trimmed)."""
    return frozenset({kind.value for kind in MessageKind} | {_chat_what(k) for k in MessageKind})


@dataclass(frozen=True)
class SendRecord:
    """One message that went out on one channel: its kind, its cycle, when (ISO, the client's
    zone) and the Log row's details (where it went — for a chat its channel first — and for the
    reminder what it asked for, for the follow-up which one it was)."""

    kind: MessageKind
    cycle: int
    sent_at: str
    where: str
    channel: Channel = field(default=Channel.MAIL)

    def log_row(self) -> LogEntry:
        """Its row in the Log (`agenda | sent | 3 | smtp://…`, `chat_agenda | sent | 3 |
        chat:1:chatwork`)."""
        return LogEntry(
            self.sent_at, log_what(self.kind, self.channel), "sent", self.cycle, self.where
        )


def failed_row(
    kind: MessageKind,
    cycle: int | None,
    at: str,
    error: Words,
    channel: Channel = Channel.MAIL,
) -> LogEntry:
    """The Log row of a send that failed (the next run retries it)."""
    return LogEntry(at, log_what(kind, channel), "failed", cycle, str(error))


def _from_row(row: LogEntry) -> SendRecord | None:
    """The send a Log row records, or None for any other row (a run, a failure, a chat row whose
    details no longer start with its channel)."""
    if row.result != "sent" or row.cycle is None:
        return None
    for kind in MessageKind:
        if row.what == log_what(kind):
            return SendRecord(kind, row.cycle, row.when, row.details)
        if row.what == _chat_what(kind):
            channel = Channel.parse(row.details.split(" · ", 1)[0])
            if channel is None or channel.is_mail:
                return None
            return SendRecord(kind, row.cycle, row.when, row.details, channel)
    return None


@dataclass(frozen=True)
class SendHistory:
    """Every send a run knows of, oldest first: the Log's (a renamed Log's too), then the
    sent-journal's, then this run's. For each (kind, cycle) the last one is the one shown."""

    records: tuple[SendRecord, ...] = ()

    @classmethod
    def from_log(cls, rows: Iterable[LogEntry]) -> SendHistory:
        """The `… sent` rows of the Log (whose words were read back to their keys)."""
        return cls(tuple(record for row in rows if (record := _from_row(row)) is not None))

    def plus(self, records: Iterable[SendRecord]) -> SendHistory:
        return SendHistory((*self.records, *records))

    def on(self, channel: Channel) -> SendHistory:
        """Only the sends on `channel`: what its due rules judge by (each channel is due on its
        own, so a message the mail already sent is still due on a chat that failed)."""
        return SendHistory(tuple(r for r in self.records if r.channel == channel))

    def last(
        self, kind: MessageKind, cycle: int, channel: Channel | None = None
    ) -> SendRecord | None:
        """The latest send of `kind` for `cycle` on `channel` (None: on any channel this history
        holds — a history `on` one channel holds only that one's), or None when none went out."""
        found = [
            r
            for r in self.records
            if r.kind is kind and r.cycle == cycle and channel in (None, r.channel)
        ]
        return found[-1] if found else None

    def agenda_state(
        self,
        cycle: int | None,
        due: date | None,
        chats: Sequence[ChatState] = (),
    ) -> AgendaState:
        """The review cycle's agenda, reminder and follow-up (by mail) as the report shows them,
        with each chat channel's."""
        if cycle is None:
            return AgendaState(cycle=None, due=due, chat=tuple(chats))
        agenda = self.last(MessageKind.AGENDA, cycle, Channel.MAIL)
        reminder = self.last(MessageKind.REMINDER, cycle, Channel.MAIL)
        follow_up = self.last(MessageKind.FOLLOW_UP, cycle, Channel.MAIL)
        return AgendaState(
            cycle=cycle,
            due=due,
            sent=agenda is not None,
            sent_at=agenda.sent_at if agenda is not None else None,
            reminder_sent=reminder is not None,
            reminder_sent_at=reminder.sent_at if reminder is not None else None,
            follow_up=follow_up_of(follow_up.where) if follow_up is not None else None,
            follow_up_sent_at=follow_up.sent_at if follow_up is not None else None,
            chat=tuple(chats),
        )

    def chat_states(
        self,
        channels: Sequence[tuple[Channel, Sequence[str]]],
        cycle: int | None,
        deliveries: Sequence[Delivery] = (),
    ) -> tuple[ChatState, ...]:
        """The report's `agenda.chat`: for each chat channel (with the message names its `send`
        lists) and each message of the review cycle, sent (when), failed in this run (why), or
        not sent yet."""
        states: list[ChatState] = []
        for channel, names in channels:
            for kind in MessageKind:
                if kind.name.lower() not in names:
                    continue
                record = self.last(kind, cycle, channel) if cycle is not None else None
                failed = next(
                    (
                        d
                        for d in deliveries
                        if (d.kind, d.channel) == (kind, channel) and d.error is not None
                    ),
                    None,
                )
                states.append(ChatState(channel, kind, cycle, record, failed))
        return tuple(states)


@dataclass(frozen=True)
class ChatState:
    """One chat channel's message for the review cycle, as the report shows it."""

    channel: Channel
    kind: MessageKind
    cycle: int | None
    sent: SendRecord | None
    failed: Delivery | None = None

    def to_json(self) -> dict[str, object]:
        error = self.failed.error if self.failed is not None else None
        result = "sent" if self.sent else "failed" if error is not None else "not_sent"
        return {
            "channel": self.channel.id,
            "kind": self.channel.kind,
            "message": self.kind.name.lower(),
            "cycle": self.cycle,
            "result": result,
            "sent_at": self.sent.sent_at if self.sent is not None else None,
            "error": str(error) if error is not None and not self.sent else None,
        }


def unrecorded_rows(records: Iterable[SendRecord], log: Sequence[LogEntry]) -> list[LogEntry]:
    """The Log rows of earlier sends (the sent-journal's) that the Log does not hold yet."""
    known = {(r.kind, r.cycle, r.channel) for r in SendHistory.from_log(log).records}
    rows: list[LogEntry] = []
    for record in records:
        if (record.kind, record.cycle, record.channel) not in known:
            rows.append(record.log_row())
            known.add((record.kind, record.cycle, record.channel))
    return rows
