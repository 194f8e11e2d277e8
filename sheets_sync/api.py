"""The library's public commands — what the CLI calls, and what a Python user may call too."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Final

from .backends import Upgraded, open_backend
from .config import Config, load_config
from .consultant.batch import BatchOutcome, parse_shard
from .consultant.batch import sync_all as run_all
from .consultant.portfolio import publish
from .consultant.watch import serve
from .consultant.watch_schedule import Schedule, parse_daily_at
from .consultant.watch_status import describe
from .core.report import Report
from .core.sends import MessageKind
from .core.when import terminal_day
from .errors import EXIT_MAIL, EXIT_OK, ConfigError, MailError, UsageError
from .meeting import build_message, render_agenda, render_to_file
from .run.chat_trial import post_trial
from .run.clients import MailAddresses as MailAddresses  # re-exported for the CLI
from .run.clients import NewClient, make_folder
from .run.clients import NewClientOrder as NewClientOrder  # re-exported for the CLI
from .run.clients import new_client as make_client
from .run.doctor import DOCTOR_LANG, Finding, diagnose, is_placeholder
from .run.locking import client_lock, workbook_lock
from .run.outputs import check_output
from .run.result import chat_parts, mail_outcomes
from .run.sync import Command, RunOptions, RunResult, render_only, run, run_line
from .sheet import schema
from .sheet.ownership import NotOurs, refusal_words
from .sheet.sample import SAMPLE_CLIENT
from .sheet.schema import Lang
from .util import redact
from .util.pacing import RetryPolicy
from .util.shell import shell_word
from .util.zones import logging_in, machine_zone
from .words.core import count, join, say
from .words.lang import speaking

log = logging.getLogger("sheets_sync")


def install_redaction() -> None:
    redact.install()


@contextmanager
def _client(config_path: Path) -> Iterator[Config]:
    """The client's config; within the block, errors and what was done are in its language,
    and log lines are stamped in its zone."""
    config = load_config(config_path)
    with speaking(config.language), logging_in(config.tz):
        yield config


def check(
    config_path: Path, *, as_of: date | None = None, report_path: Path | None = None
) -> RunResult:
    """Validate and write the Checks tab (only that tab); never sends mail."""
    with _client(config_path) as config:
        options = RunOptions(as_of=as_of, report_path=report_path, no_agenda=True)
        return run(config, options, command=Command.CHECK)


def sync(
    config_path: Path,
    *,
    as_of: date | None = None,
    report_path: Path | None = None,
    no_agenda: bool = False,
    force: bool = False,
    dry_run: bool = False,
) -> RunResult:
    """The scheduled job for one client."""
    with _client(config_path) as config:
        options = RunOptions(
            as_of=as_of, report_path=report_path, no_agenda=no_agenda, force=force, dry_run=dry_run
        )
        return run(config, options)


def agenda(
    config_path: Path,
    *,
    cycle: int | None = None,
    as_of: date | None = None,
    out: Path | None = None,
    send: bool = False,
) -> str:
    """Render one agenda to a file and/or send it now; returns what was done, in the client's
    language."""
    with _client(config_path) as config:
        return _agenda(config, RunOptions(as_of=as_of, cycle=cycle), out=out, send=send)


def _agenda(config: Config, options: RunOptions, *, out: Path | None, send: bool) -> str:
    lang = config.language
    done: list[str] = []
    if out is None and not send:
        report, chosen = render_only(config, options)
        if chosen is None:
            raise UsageError("no_cycle_to_review")
        rendered = render_agenda(report, config, cycle=chosen)
        return f"{rendered.subject}\n\n{rendered.text}".rstrip("\n")
    if out is not None:
        if out.suffix.lower() not in (".eml", ".html", ".txt"):
            raise UsageError("agenda_out_suffix", out=out)
        check_output(out, "agenda", config, "--out")
        report, chosen = render_only(config, options)
        if chosen is None:
            raise UsageError("no_cycle_to_review")
        rendered = render_agenda(report, config, cycle=chosen)
        message = build_message(rendered, config, now=report.generated_at)
        render_to_file(rendered, message, out)
        done.append(say("run.agenda_written", lang, cycle=chosen, path=out))
    if send:
        result = run(config, options, command=Command.AGENDA, announce=False)
        if result.agenda_error:
            raise MailError("agenda_run_failed", problem=result.agenda_error)
        log.info(run_line(config, result))
        sent = result.delivery(MessageKind.AGENDA)
        cycle = sent.cycle if sent is not None else None
        done.append(say("run.agenda_sent_now", lang, cycle=cycle, to=result.agenda_sent_to))
        if result.chat_problem is not None:  # the mail went (the run's line says so): exit 4
            raise MailError("agenda_run_failed", problem=result.chat_problem)
        done.extend(chat_parts(result, lang))
    return "\n".join(done)


@dataclass(frozen=True)
class DemoOutcome:
    """What `demo` made and where to look."""

    config: Config
    result: RunResult
    agenda_path: str

    def describe(self) -> str:
        """What the demo made, in the sample's own language."""
        report, lang = self.result.report, self.config.language
        meeting = report.cycle(report.review_cycle)
        held = say("run.demo_meeting", lang, day=terminal_day(meeting.end, lang)) if meeting else ""
        lines = [
            say("run.demo_client", lang, client=self.config.client),
            say("run.demo_workbook", lang, path=self.config.workbook_path()),
            say("run.demo_config", lang, path=self.config.path),
            say("run.demo_agenda", lang, path=self.agenda_path),
            say("run.demo_checks", lang, checks=_checks(report)),
            say(
                "run.demo_cycles",
                lang,
                review=_or_dash(report.review_cycle),
                current=_or_dash(report.current_cycle),
            )
            + held,
            "",
            say("run.demo_look", lang, path=shell_word(self.config.path)),
        ]
        return "\n".join(lines)


def _or_dash(cycle: int | None) -> str:
    return "—" if cycle is None else str(cycle)


def _checks(report: Report) -> str:
    """ "0 errors, 1 warning" / 「エラー0件・注意1件」, in the report's language."""
    lang = report.language
    errors, warnings = (
        count("error", len(report.errors), lang),
        count("warning", len(report.warnings), lang),
    )
    return say("run.checks", lang, errors=errors, warnings=warnings)


def demo_slug(lang: Lang) -> str:
    return "sakura" if lang == "ja" else "sakura-en"


def demo_exists(directory: Path, lang: Lang = "ja") -> bool:
    """A demo of this language is already in `directory` (running demo again would replace it)."""
    slug = demo_slug(lang)
    return (directory / f"{slug}.toml").exists() or (directory / f"{slug}.xlsx").exists()


def fresh_folder(directory: Path, lang: Lang = "ja") -> Path:
    """`directory`, or the first `<directory>-2`, `-3` … that holds no demo yet."""
    candidate, number = directory, 2
    while demo_exists(candidate, lang):
        candidate = directory.with_name(f"{directory.name}-{number}")
        number += 1
    return candidate


def demo(directory: Path, lang: Lang = "ja", *, today: date | None = None) -> DemoOutcome:
    """A sample client in `directory`, synced, with its agenda written to the outbox.

    The sample's running cycle ends tomorrow (relative to `today`), so the agenda is for the
    meeting coming up. A demo deletes and replaces nothing: a folder that already holds this
    language's demo is refused (the caller picks another, `fresh_folder`), and the other
    language's demo may share the folder, each run adding only its own files (its config and
    workbook, its agenda in the shared outbox) — someone may have typed into the first one.
    """
    with speaking(lang):
        return _demo(directory, lang, today=today)


def _demo(directory: Path, lang: Lang, *, today: date | None) -> DemoOutcome:
    make_folder(directory, "--dir")
    if demo_exists(directory, lang):
        raise UsageError("demo_in_place", directory=directory)
    order = NewClientOrder(
        SAMPLE_CLIENT[lang], lang, directory, slug=demo_slug(lang), sample=True, today=today
    )
    made = make_client(order)
    with logging_in(made.config.tz):
        result = run(made.config, RunOptions(as_of=today), command=Command.DEMO)
    if result.agenda_error:
        raise MailError("agenda_run_failed", problem=result.agenda_error)
    return DemoOutcome(made.config, result, result.agenda_sent_to or "")


def new_client(order: NewClientOrder) -> NewClient:
    """Create a client's workbook and config (xlsx, or a Google Sheet), with `order.sample` the
    story of a kind of business (True: the café); a failure half-way leaves no config folder
    that this call created. Its errors are in the order's language."""
    with speaking(order.lang):
        return make_client(order)


def next_steps(made: NewClient, *, shared_with: tuple[str, ...] = (), placed: bool = False) -> str:
    """What new-client made and the real next steps, with this client's own file names;
    `placed`: the workbook was made where --path said (staff need only be told where)."""
    config, path, lang = made.config, made.config_path, made.config.language
    lines = [
        say("run.made_workbook", lang, workbook=made.workbook),
        say("run.made_config", lang, path=path),
        "",
        say("run.next_steps", lang),
    ]
    steps: list[str] = []
    placeholders = [a for a in (config.mail.sender, *config.mail.to) if is_placeholder(a)]
    if placeholders:
        steps.append(say("run.step_addresses", lang, path=path, addresses=join(placeholders, lang)))
    steps.append(say("run.step_kpis", lang, tab=schema.TABS_BY_KEY["kpis"].title(lang)))
    steps.append(f"sheets-sync doctor --config {shell_word(path)}")
    steps.append(f"sheets-sync sync --config {shell_word(path)}")
    if made.link:
        steps.append(say("run.step_send_link", lang, workbook=made.workbook))
    elif placed:
        steps.append(say("run.step_tell_staff", lang, workbook=made.workbook))
    else:
        steps.append(say("run.step_give_workbook", lang, workbook=made.workbook))
    lines.extend(say("run.step", lang, n=n, text=text) for n, text in enumerate(steps, 1))
    if made.link:
        shared = join(shared_with, lang) if shared_with else say("run.shared_nobody", lang)
        lines.append(say("run.shared_with", lang, shared=shared))
    return "\n".join(lines)


def describe_checks(report: Report) -> str:
    """The CLI's answer to `check`: the counts, then up to 50 checks, in the report's language."""
    lang = report.language
    lines = [_checks(report)]
    for item in report.checks[:50]:
        where = f"{item.tab_title or item.tab}"
        if item.row is not None:
            where = say("run.check_where_row", lang, tab=where, row=item.row)
        severity = say("summary.error" if item.severity == "error" else "summary.warning", lang)
        lines.append(f"  {severity:7} {item.code:22} {where}: {item.message}")
    if len(report.checks) > 50:
        lines.append(say("run.checks_more", lang, count=len(report.checks) - 50))
    return "\n".join(lines)


def cycles_phrase(report: Report) -> str:
    """ "review cycle 3, current cycle 4" (or "no cycle to review"), in the report's language."""
    lang = report.language
    review = (
        say("run.review", lang, cycle=report.review_cycle)
        if report.review_cycle is not None
        else say("run.no_review", lang)
    )
    current = (
        say("run.current", lang, cycle=report.current_cycle)
        if report.current_cycle is not None
        else say("run.no_current", lang)
    )
    return join([review, current], lang)


# What became of a message this run (`mail_outcomes`) → the words `sync` prints for it; an agenda
# that was not due says nothing here.
_SAID_TO_THE_USER: Final[dict[str, str]] = {
    "agenda sent": "run.agenda_sent",
    "agenda failed": "run.agenda_retry",
    "agenda skipped": "run.agenda_not_sent_because",
    "reminder sent": "run.reminder_sent",
    "reminder failed": "run.reminder_retry",
    "follow_up sent": "run.follow_up_sent",
    "follow_up failed": "run.follow_up_retry",
}


def describe_run(result: RunResult) -> str:
    """The CLI's answer to `sync`: cycles, checks, the agenda, the reminder and the follow-up, in
    the client's language (the report's); the run's own notes follow as they are."""
    report = result.report
    lang = report.language
    summary = say(
        "run.summary",
        lang,
        client=report.client,
        cycles=cycles_phrase(report),
        checks=_checks(report),
    )
    lines = [summary]
    lines.extend(
        say(_SAID_TO_THE_USER[what], lang, **fields)
        for what, fields in mail_outcomes(result)
        if what in _SAID_TO_THE_USER
    )
    lines.extend(chat_parts(result, lang))
    lines.extend(result.notes)
    return "\n".join(lines)


def sync_all(
    directory: Path,
    *,
    jobs: int = 4,
    requests_per_minute: int = 60,
    as_of: date | None = None,
    policy: RetryPolicy | None = None,
    shard: str | None = None,
) -> BatchOutcome:
    """Every client config in `directory` (or the stable part `shard` = "K/N" of them), in
    parallel under one shared Google quota; then the portfolio (portfolio.html/.csv, and the
    weekly digest mail when portfolio.toml says so)."""
    part = parse_shard(shard) if shard is not None else None
    if not directory.is_dir():
        raise ConfigError("not_a_config_folder", directory=directory)
    outcome = run_all(
        directory,
        jobs=jobs,
        requests_per_minute=requests_per_minute,
        as_of=as_of,
        policy=policy,
        shard=part,
    )
    outcome.followups.extend(publish(directory, outcome, as_of=as_of))
    return outcome


def doctor(config_path: Path) -> list[Finding]:
    """What is fine and what to fix for one client: config, credentials, access, tabs, mail.
    Run in doctor's own language, so an error quoted in a finding reads like the finding
    around it (when doctor speaks the client's language, this is where it is set)."""
    with speaking(DOCTOR_LANG):
        return diagnose(config_path)


def chat_test(config_path: Path, *, channel: int | None = None) -> tuple[str, int]:
    """`chat-test`: one short test message to each chat channel (or the `channel`-th), nothing
    recorded; what happened per channel, in the client's language, and the exit code (4 when
    a channel failed)."""
    with _client(config_path) as config:
        lang = config.language
        posts = post_trial(config, channel)
        lines = [
            say("chat.trial_posted", lang, channel=post.channel.id)
            if post.error is None
            else say("chat.trial_failed", lang, channel=post.channel.id, error=post.error)
            for post in posts
        ]
        failed = any(post.error is not None for post in posts)
        return "\n".join(lines), EXIT_MAIL if failed else EXIT_OK


def upgrade(config_path: Path) -> list[str]:
    """Add what a newer template has (tabs, columns) where the sync reads them; data untouched,
    nothing written when nothing is missing. Holds the client's lock, like a sync."""
    with _client(config_path) as config:
        return _upgrade(config).added


def upgrade_described(config_path: Path) -> str:
    """`upgrade`, then what it added and why a generated tab was not added (the CLI's answer),
    in the client's language."""
    with _client(config_path) as config:
        done, lang = _upgrade(config), config.language
        lines = [say("run.upgrade_added", lang, added=join(done.added, lang))] if done.added else []
        lines += [_left_out(refused, lang) for refused in done.left_out]
        return "\n".join(lines) or say("run.upgrade_none", lang)


def _left_out(refused: NotOurs, lang: Lang) -> str:
    """A generated tab `upgrade` did not add, and why: the same words as the Checks' row."""
    text_key, fields = refusal_words(refused, lang)
    why = say(text_key, lang, **fields)
    return say(
        "run.upgrade_left_out", lang, tab=schema.TABS_BY_KEY[refused.key].title(lang), why=why
    )


def _upgrade(config: Config) -> Upgraded:
    with client_lock(config), workbook_lock(config):
        return open_backend(config).add_missing(config.language)


def watch(
    directory: Path,
    *,
    interval: float = 10.0,
    debounce: float = 10.0,
    idle_interval: float | None = None,
    daily_at: str | None = None,
    jobs: int = 4,
    requests_per_minute: int = 60,
) -> None:
    """Run `watch` over a folder of client configs until SIGTERM/SIGINT (then exit cleanly)."""
    if not directory.is_dir():
        raise ConfigError("not_a_config_folder", directory=directory)
    schedule = Schedule(interval, debounce, idle_interval, parse_daily_at(daily_at))
    serve(directory, schedule, jobs=jobs, requests_per_minute=requests_per_minute)


def watch_status(directory: Path) -> str:
    """What `watch` last did in `directory`, per client (from its status file)."""
    return describe(directory, datetime.now(machine_zone()))
