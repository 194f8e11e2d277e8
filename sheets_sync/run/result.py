"""What one run did (its report, each message's delivery, whether it wrote) and its cron line."""

from __future__ import annotations

from dataclasses import dataclass

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


def run_line(config: Config, result: RunResult) -> str:
    """The run's line for cron's log, in the client's language: the client, the review cycle,
    the checks, the agenda, the reminder, the follow-up, the time taken (addresses and errors as
    they are)."""
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
    if result.follow_up_sent_to:
        parts.append(say("run.follow_up_sent_to", lang, to=result.follow_up_sent_to))
    elif result.follow_up_error:
        parts.append(say("run.follow_up_failed", lang, error=result.follow_up_error))
    parts.extend(chat_parts(result, lang))
    parts.append(say("run.seconds", lang, seconds=f"{result.seconds:.2f}"))
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
