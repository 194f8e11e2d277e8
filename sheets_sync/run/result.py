"""What one run did (its report, each message's delivery, whether it wrote) and its cron line."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from ..config import Config
from ..core.report import Report
from ..core.sends import WHAT, Channel, Delivery, Failed, MessageKind
from ..errors import EXIT_MAIL, EXIT_OK
from ..sheet.schema import Lang
from ..words.core import Phrase, Words, count, join, say


@dataclass(frozen=True)
class RunResult:
    """What one run did, for the CLI's output, sync-all's table and the exit code."""

    report: Report
    deliveries: tuple[Delivery, ...] = ()  # one per message (and channel) the run judged
    wrote: bool = False
    seconds: float = 0.0
    notes: tuple[str, ...] = ()

    def delivery(self, kind: MessageKind, channel: Channel = Channel.MAIL) -> Delivery | None:
        """What this run did with `kind` on `channel`; None when the command never considered
        it (`check`, a dry run, the reminder under `agenda --send`)."""
        return next((d for d in self.deliveries if (d.kind, d.channel) == (kind, channel)), None)

    @property
    def failures(self) -> tuple[Delivery, ...]:
        return tuple(d for d in self.deliveries if isinstance(d.result, Failed))

    @property
    def exit_code(self) -> int:
        return EXIT_MAIL if self.failures else EXIT_OK

    @property
    def chat_sent(self) -> tuple[Delivery, ...]:
        """What this run posted to the client's chats."""
        return tuple(d for d in self.deliveries if not d.channel.is_mail and d.sent_to)

    @property
    def chat_failures(self) -> tuple[Delivery, ...]:
        """What could not be posted to a chat (the next run posts it there, and only there)."""
        return tuple(d for d in self.failures if not d.channel.is_mail)

    @property
    def chat_problem(self) -> Phrase | None:
        """The first chat that failed, in words naming the channel (sync-all's table, the
        portfolio), or None."""
        if not self.chat_failures:
            return None
        return chat_failed_words(self.chat_failures[0], len(self.chat_failures))

    # Today's names, read by the CLI's output, sync-all, watch and the portfolio.
    @property
    def agenda_sent_to(self) -> str | None:
        found = self.delivery(MessageKind.AGENDA)
        return found.sent_to if found is not None else None

    @property
    def agenda_error(self) -> Words | None:  # the error itself: each reader picks its language
        found = self.delivery(MessageKind.AGENDA)
        return found.error if found is not None else None

    @property
    def agenda_skipped(self) -> str:
        found = self.delivery(MessageKind.AGENDA)
        return found.skipped if found is not None else ""

    @property
    def reminder_sent_to(self) -> str | None:
        found = self.delivery(MessageKind.REMINDER)
        return found.sent_to if found is not None else None

    @property
    def reminder_error(self) -> Words | None:
        found = self.delivery(MessageKind.REMINDER)
        return found.error if found is not None else None

    @property
    def reminder_skipped(self) -> str:
        found = self.delivery(MessageKind.REMINDER)
        return found.skipped if found is not None else ""

    @property
    def follow_up_sent_to(self) -> str | None:
        found = self.delivery(MessageKind.FOLLOW_UP)
        return found.sent_to if found is not None else None

    @property
    def follow_up_error(self) -> Words | None:
        found = self.delivery(MessageKind.FOLLOW_UP)
        return found.error if found is not None else None


# What became of a message this run, as `mail_outcomes` says it, → cron's words for it.
_CRON_WORDS: Final[dict[str, str]] = {
    "agenda sent": "run.agenda_sent_to",
    "agenda failed": "run.agenda_failed",
    "agenda skipped": "run.agenda_skipped",
    "agenda not sent": "run.agenda_not_sent",
    "reminder sent": "run.reminder_sent_to",
    "reminder failed": "run.reminder_failed",
    "follow_up sent": "run.follow_up_sent_to",
    "follow_up failed": "run.follow_up_failed",
}


def mail_outcomes(result: RunResult) -> list[tuple[str, dict[str, object]]]:
    """What became of each mail, in order (the agenda, the reminder, the follow-up), with what
    the words say about it: sent (to whom), failed (why), and for the agenda skipped (why) or
    not sent. A reminder or follow-up the run did not send says nothing."""
    if result.agenda_sent_to:
        outcomes: list[tuple[str, dict[str, object]]] = [
            ("agenda sent", {"to": result.agenda_sent_to})
        ]
    elif result.agenda_error:
        outcomes = [("agenda failed", {"error": result.agenda_error})]
    elif result.agenda_skipped:
        outcomes = [("agenda skipped", {"reason": result.agenda_skipped})]
    else:
        outcomes = [("agenda not sent", {})]
    for sent, failed, sent_to, error in (
        ("reminder sent", "reminder failed", result.reminder_sent_to, result.reminder_error),
        ("follow_up sent", "follow_up failed", result.follow_up_sent_to, result.follow_up_error),
    ):
        if sent_to:
            outcomes.append((sent, {"to": sent_to}))
        elif error:
            outcomes.append((failed, {"error": error}))
    return outcomes


def run_line(config: Config, result: RunResult) -> str:
    """The run's line for cron's log, in the client's language: the client, the review cycle,
    the checks, the agenda, the reminder, the follow-up, the time taken (addresses and errors as
    they are)."""
    report, lang = result.report, config.language
    errors = count("error", len(report.errors), lang)
    warnings = count("warning", len(report.warnings), lang)
    parts = [
        _review(report, lang),
        say("run.checks", lang, errors=errors, warnings=warnings),
        *(say(_CRON_WORDS[what], lang, **fields) for what, fields in mail_outcomes(result)),
        *chat_parts(result, lang),
        say("run.seconds", lang, seconds=f"{result.seconds:.2f}"),
    ]
    return say("run.line", lang, client=config.client, parts=join(parts, lang))


def chat_parts(result: RunResult, lang: Lang) -> list[str]:
    """The chats this run posted to, then each one that failed (with why)."""
    parts: list[str] = []
    if result.chat_sent:
        posted = join(sorted({d.channel.id for d in result.chat_sent}), lang)
        parts.append(say("run.chat_sent", lang, channels=posted))
    parts.extend(
        say("run.chat_failed", lang, channel=d.channel.id, what=WHAT[d.kind], error=d.error)
        for d in result.chat_failures
    )
    return parts


def chat_failed_words(failed: Delivery, failures: int) -> Phrase:
    """ "chat:2:chatwork: the agenda was not posted (…)", with how many more failed."""
    first = Phrase(
        "run.chat_failed",
        {"channel": failed.channel.id, "what": WHAT[failed.kind], "error": failed.error},
    )
    if failures == 1:
        return first
    return Phrase("run.chat_failed_more", {"first": first, "more": failures - 1})


def _review(report: Report, lang: Lang) -> str:
    """ "review cycle 3", or "no cycle to review" — never "review cycle None"."""
    if report.review_cycle is None:
        return no_review(report, lang)
    return say("run.review", lang, cycle=report.review_cycle)


def no_review(report: Report, lang: Lang = "en") -> str:
    """Why there is no cycle to review: an unreadable Cycles tab is named, not called empty."""
    if report.could_not_read("cycles"):
        return say("run.no_review_unreadable", lang)
    return say("run.no_review", lang)
