"""The `sheets-sync` command line: click options over the library; nothing else lives here."""

from __future__ import annotations

import contextlib
import functools
import logging
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import click

from . import __version__, api
from .errors import EXIT_CHECK_ERRORS, SheetsSyncError, UsageError
from .sheet.parse import Invalid, parse_date
from .sheet.sample import DEFAULT_KIND, SAMPLE_KINDS
from .sheet.schema import Lang
from .util.zones import ZonedFormatter
from .words.core import say, tell

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("sheets_sync")
AS_OF_RANGE = (date(1950, 1, 1), date(2100, 12, 31))  # the years a sheet's dates may have


def _fail_cleanly(func: F) -> F:
    """Set up logging, then turn the library's errors into one logged line (on stderr and in
    --log-file, at ERROR level, so cron sees every failure) and the spec's exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            _setup_logging(**_logging_choices())
        except SheetsSyncError as error:
            click.echo(f"sheets-sync: {error}", err=True)
            sys.exit(error.exit_code)
        try:
            return func(*args, **kwargs)
        except SheetsSyncError as error:
            log.error("sheets-sync: %s", error)
            sys.exit(error.exit_code)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise  # click's own usage errors already print a message and exit 2
        except KeyboardInterrupt:
            # Raised outside any run's `speaking` block: English (no one client is known here).
            log.error("sheets-sync: %s", tell("cli.interrupted"))
            sys.exit(130)
        except Exception as error:
            log.debug("unexpected error", exc_info=True)
            unexpected = tell("cli.unexpected", kind=type(error).__name__, error=error)
            log.error("sheets-sync: %s", unexpected)
            sys.exit(1)

    return wrapper  # type: ignore[return-value]


# The logging options work before the command (`sheets-sync -q sync …`) and after it
# (`sheets-sync sync … -q`); both places put their choice here, and the command sets up logging.
_LOGGING_KEY = "sheets_sync.logging"


def _logging_choices() -> dict[str, Any]:
    context = click.get_current_context(silent=True)
    choices: dict[str, Any] = {"verbose": False, "quiet": False, "log_file": None}
    if context is not None:
        choices.update(context.meta.get(_LOGGING_KEY, {}))
    return choices


def _remember_logging(context: click.Context, parameter: click.Parameter, value: Any) -> Any:
    if value and parameter.name is not None:
        context.meta.setdefault(_LOGGING_KEY, {})[parameter.name] = value
    return value


def _logging_options(func: F) -> F:
    """-v/--verbose, -q/--quiet and --log-file, accepted on the group and on every command."""
    options = (
        click.option("-v", "--verbose", is_flag=True, expose_value=False,
                     callback=_remember_logging, help="Say more (debug details)."),
        click.option("-q", "--quiet", is_flag=True, expose_value=False,
                     callback=_remember_logging,
                     help="Print nothing when nothing is wrong; log only warnings and errors."),
        click.option("--log-file", type=click.Path(path_type=Path), expose_value=False,
                     metavar="FILE", callback=_remember_logging,
                     help="Also append logs to FILE."),
    )  # fmt: skip
    for option in reversed(options):
        func = option(func)
    return func


def _quiet() -> bool:
    return bool(_logging_choices()["quiet"])


def _say(text: str, *, problem: bool = False) -> None:
    """Print a command's result, except under --quiet when nothing is wrong (cron mails any
    output, so a quiet run that went well prints nothing)."""
    if problem or not _quiet():
        click.echo(text)


def _parse_day(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
    """--as-of in any spelling the sheet accepts (2026-12-01, 2026/12/01, 令和8年12月1日 …)."""
    if value is None:
        return None
    parsed = parse_date(value)
    if isinstance(parsed, Invalid):
        raise click.BadParameter(tell("cli.not_a_date", value=repr(value)))
    if not AS_OF_RANGE[0] <= parsed <= AS_OF_RANGE[1]:
        first, last = AS_OF_RANGE[0].year, AS_OF_RANGE[1].year
        raise click.BadParameter(
            tell("cli.date_out_of_range", value=repr(value), first=first, last=last)
        )
    return parsed


# sync-all and watch share one pool of workers and one Google quota: the same two options.
jobs_option = click.option(
    "--jobs",
    type=click.IntRange(1, 32),
    default=4,
    show_default=True,
    help="How many clients to sync at the same time.",
)
requests_per_minute_option = click.option(
    "--requests-per-minute",
    type=click.IntRange(1, 6000),
    default=60,
    show_default=True,
    help="Shared Google Sheets quota for all clients.",
)
config_option = click.option(
    "--config",
    "config_path",
    required=True,
    type=click.Path(path_type=Path),
    help="The client's config file (TOML).",
)
as_of_option = click.option(
    "--as-of",
    callback=_parse_day,
    metavar="DATE",
    help="Compute as if today were DATE, e.g. to re-run a past day: a date as the sheet takes "
    "it (2026-12-01, 2026/12/01, 令和8年12月1日 …).",
)
report_option = click.option(
    "--report",
    "report_path",
    type=click.Path(path_type=Path),
    metavar="FILE.json",
    help="Also write the computed report as JSON.",
)
lang_option = click.option(
    "--lang",
    type=click.Choice(["ja", "en"]),
    default="ja",
    show_default=True,
    help="Language of tab titles, headers, messages and the agenda.",
)


class _LogFileHandler(logging.FileHandler):
    """--log-file's handler: a write that fails (a full disk, a removed mount) is said once on
    stderr in one line, never as logging's traceback, and the run carries on."""

    failed = False

    def handleError(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        self.failed = True
        error = sys.exc_info()[1]
        reason = getattr(error, "strerror", None) or error
        with contextlib.suppress(OSError):
            words = tell("cli.log_file_failed", path=self.baseFilename, reason=reason)
            sys.stderr.write(f"sheets-sync: {words}\n")


def _setup_logging(verbose: bool, quiet: bool, log_file: Path | None) -> None:
    level = logging.DEBUG if verbose else logging.WARNING if quiet else logging.INFO
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_file is not None:
        try:
            handlers.append(_LogFileHandler(log_file, encoding="utf-8"))
        except OSError as error:
            raise UsageError(
                "log_file_unwritable", path=log_file, reason=error.strerror or error
            ) from None
    stamped = ZonedFormatter("%(asctime)s %(levelname)s %(message)s")
    for handler in handlers:
        handler.setFormatter(stamped)
    logging.basicConfig(level=level, handlers=handlers, force=True)
    logging.getLogger("tzlocal").setLevel(logging.WARNING)  # how it found the zone: noise
    api.install_redaction()


# `sheets-sync --help` lists the commands by when a person uses them, in this order; every
# command is in exactly one section (a test checks it).
COMMAND_SECTIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("Start here", ("demo", "new-client", "doctor", "sync")),
    ("Every day", ("check", "agenda", "status")),
    ("Consultant (many clients)", ("sync-all", "watch")),
    ("Upkeep", ("upgrade", "chat-test")),
)


class _SectionedGroup(click.Group):
    """A group whose help lists its commands in COMMAND_SECTIONS, each with its whole one-line
    description (click's own list is alphabetical and cuts descriptions to fit)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        listed = [name for _, names in COMMAND_SECTIONS for name in names if name in self.commands]
        return listed + sorted(set(self.commands) - set(listed))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        names = [name for name in self.list_commands(ctx) if not self.commands[name].hidden]
        width = max(map(len, names), default=0)  # one column for the names of every section
        listed = {name for _, section in COMMAND_SECTIONS for name in section}
        sections = [*COMMAND_SECTIONS, ("Other", tuple(n for n in names if n not in listed))]
        for title, section in sections:
            rows = [
                (name.ljust(width), self.commands[name].get_short_help_str(limit=1000))
                for name in section
                if name in names
            ]
            if rows:
                with formatter.section(title):
                    formatter.write_dl(rows)


@click.group(cls=_SectionedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sheets-sync")
@_logging_options
def main() -> None:
    """Two-week learning cycles from a spreadsheet: check it, sync a Summary, send the agenda.

    New here? Run `sheets-sync demo`, then open the workbook and the agenda it names.
    """


@main.command()
@click.option(
    "--dir",
    "directory",
    type=click.Path(path_type=Path),
    default=Path("sheets-sync-demo"),
    show_default=True,
    help="Where to put the sample café (its workbook, config and outbox).",
)
@lang_option
@as_of_option
@_logging_options
@_fail_cleanly
def demo(directory: Path, lang: str, as_of: date | None) -> None:
    """Make a sample café, sync it and put its agenda in the outbox.

    Works offline: an .xlsx workbook with a believable story, its config, and the meeting
    agenda as an .eml file in the outbox folder.
    """
    chosen: Lang = "en" if lang == "en" else "ja"
    if api.demo_exists(directory, chosen):  # never replaced: someone may have typed into it
        directory = api.fresh_folder(directory, chosen)
        click.echo(say("cli.demo_kept", chosen, directory=directory))
    outcome = api.demo(directory, chosen, today=as_of)
    _say(outcome.describe())


@main.command("new-client")
@click.argument("name")
@lang_option
@click.option(
    "--backend",
    type=click.Choice(["xlsx", "google"]),
    default="xlsx",
    show_default=True,
    help="A local .xlsx workbook or a Google Sheet.",
)
@click.option(
    "--path",
    "workbook",
    type=click.Path(path_type=Path),
    help="Where the .xlsx goes (default: beside the config).",
)
@click.option("--share", multiple=True, metavar="EMAIL", help="Google: share with EMAIL.")
@click.option("--from-template", metavar="ID", help="Google: copy this spreadsheet.")
@click.option(
    "--sample",
    type=click.Choice(SAMPLE_KINDS),
    is_flag=False,
    flag_value=DEFAULT_KIND,
    default=None,
    metavar="[KIND]",
    help="Fill in a sample story for a kind of business: cafe (the default), shop (an eyeglass "
    "shop) or salon (a hair salon).",
)
@click.option(
    "--empty",
    is_flag=True,
    help="Leave the KPI tab blank (default: the method's minimum set of three KPIs).",
)
@click.option(
    "--config-dir",
    type=click.Path(path_type=Path),
    default=Path("config/clients"),
    show_default=True,
    help="Where the client's config file goes.",
)
@click.option(
    "--credentials", type=click.Path(path_type=Path), help="Google: service-account key file."
)
@click.option("--to", "mail_to", multiple=True, metavar="EMAIL", help="Who gets the agenda.")
@click.option("--from", "mail_from", metavar="EMAIL", help="The agenda's sender address.")
@click.option("--cc", "mail_cc", multiple=True, metavar="EMAIL", help="Copy the agenda to EMAIL.")
@click.option(
    "--meeting-time", metavar="HH:MM", help="The meeting's start, 24-hour clock, e.g. 18:30."
)
@_logging_options
@_fail_cleanly
def new_client(
    name: str,
    lang: str,
    backend: str,
    workbook: Path | None,
    share: tuple[str, ...],
    from_template: str | None,
    sample: str | None,
    empty: bool,
    config_dir: Path,
    credentials: Path | None,
    mail_to: tuple[str, ...],
    mail_from: str | None,
    mail_cc: tuple[str, ...],
    meeting_time: str | None,
) -> None:
    """Create a client's workbook (from the template) and config file.

    The workbook has drop-downs, frozen headers, widths and protected generated tabs; its KPI
    tab starts with the method's minimum set (or blank with --empty, or a whole sample story
    with --sample).
    """
    made = api.new_client(
        name,
        "en" if lang == "en" else "ja",
        backend,
        workbook=workbook,
        share=share,
        from_template=from_template,
        sample=sample or False,
        config_dir=config_dir,
        credentials=credentials,
        addresses=api.MailAddresses(mail_from, mail_to, mail_cc, meeting_time),
        empty=empty,
    )
    _say(api.next_steps(made, shared_with=share))


@main.command()
@config_option
@report_option
@as_of_option
@_logging_options
@_fail_cleanly
def check(config_path: Path, report_path: Path | None, as_of: date | None) -> None:
    """Validate the sheet and write the Checks tab (exit 1 on errors).

    Writes nothing else and sends nothing; the exit code is 1 when any error-level check is
    found, so a script can stop on it.
    """
    result = api.check(config_path, as_of=as_of, report_path=report_path)
    _say(api.describe_checks(result.report), problem=bool(result.report.errors))
    if result.report.errors:
        sys.exit(EXIT_CHECK_ERRORS)


@main.command()
@config_option
@report_option
@as_of_option
@click.option("--no-agenda", is_flag=True, help="Do not send the agenda, even when due.")
@click.option("--force", is_flag=True, help="Send the agenda again even if it was sent.")
@click.option("--dry-run", is_flag=True, help="Read and compute only: write and send nothing.")
@_logging_options
@_fail_cleanly
def sync(
    config_path: Path,
    report_path: Path | None,
    as_of: date | None,
    no_agenda: bool,
    force: bool,
    dry_run: bool,
) -> None:
    """Update Summary, Checks and Log; send the agenda when it is due.

    Read → validate → compute → write the Summary, Checks and Log tabs → send the agenda (and
    the reminder) when due. This is what cron runs every morning.
    """
    result = api.sync(
        config_path,
        as_of=as_of,
        report_path=report_path,
        no_agenda=no_agenda,
        force=force,
        dry_run=dry_run,
    )
    _say(api.describe_run(result), problem=result.exit_code != 0)
    sys.exit(result.exit_code)


@main.command()
@config_option
@click.option("--cycle", type=int, help="The cycle to review (default: the review cycle).")
@as_of_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    metavar="FILE.eml|.html|.txt",
    help="Write the agenda to a file.",
)
@click.option("--send", is_flag=True, help="Send it now (and record that in the Log tab).")
@_logging_options
@_fail_cleanly
def agenda(
    config_path: Path, cycle: int | None, as_of: date | None, out: Path | None, send: bool
) -> None:
    """Render one meeting agenda now: to a file, by mail, or on screen.

    --out writes it to a file (.eml, .html or .txt), --send sends it and records that in the
    Log tab; with neither, its text version is printed.
    """
    message = api.agenda(config_path, cycle=cycle, as_of=as_of, out=out, send=send)
    click.echo(message)


@main.command("sync-all")
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@jobs_option
@requests_per_minute_option
@as_of_option
@click.option(
    "--shard",
    metavar="K/N",
    help="Only the K-th of N stable parts of the configs (N jobs cover each client once).",
)
@_logging_options
@_fail_cleanly
def sync_all(
    directory: Path, jobs: int, requests_per_minute: int, as_of: date | None, shard: str | None
) -> None:
    """Sync every client config in a folder, then write the portfolio.

    Every *.toml in DIRECTORY (or a stable part of them with --shard); one client's failure
    never stops the others. Prints a table of results and writes portfolio.html and .csv.
    """
    outcome = api.sync_all(
        directory, jobs=jobs, requests_per_minute=requests_per_minute, as_of=as_of, shard=shard
    )
    _say(outcome.table(), problem=outcome.exit_code != 0)
    sys.exit(outcome.exit_code)


@main.command()
@config_option
@_logging_options
@_fail_cleanly
def doctor(config_path: Path) -> None:
    """Check a client's config, sheet access, tabs and mail settings.

    Each finding says what is fine or what to do; nothing is written or sent.
    """
    findings = api.doctor(config_path)
    problem = any(not f.ok for f in findings)
    for finding in findings:
        _say(finding.line(), problem=problem)
    if any(not f.ok for f in findings):
        sys.exit(max(f.exit_code for f in findings if not f.ok))


@main.command("chat-test")
@config_option
@click.option(
    "--channel",
    type=click.IntRange(min=1),
    metavar="N",
    help="Only the N-th [[chat]] table of the config (counted from 1).",
)
@_logging_options
@_fail_cleanly
def chat_test(config_path: Path, channel: int | None) -> None:
    """Post a test message to each chat channel, to see it arrive."""
    text, code = api.chat_test(config_path, channel=channel)
    _say(text, problem=code != 0)
    sys.exit(code)


@main.command()
@config_option
@_logging_options
@_fail_cleanly
def upgrade(config_path: Path) -> None:
    """Add the tabs and columns a newer template has, touching no data."""
    _say(api.upgrade_described(config_path))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@click.option(
    "--interval",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    metavar="S",
    help="Seconds between looks for changes (one Drive request per look).",
)
@click.option(
    "--debounce",
    type=click.FloatRange(min=0.0),
    default=10.0,
    show_default=True,
    metavar="S",
    help="Sync once edits have settled for S seconds (a half-typed row is not judged).",
)
@click.option(
    "--idle-interval",
    type=click.FloatRange(min=0.1),
    default=None,
    metavar="S",
    help="Seconds between looks after 2 minutes without a change (default: 1.5 x --interval);"
    " back to --interval at the first change.",
)
@click.option(
    "--daily-at",
    metavar="HH:MM",
    help="Also sync every client as cron would at HH:MM (24-hour) in its time zone (agendas, "
    "reminders).",
)
@jobs_option
@requests_per_minute_option
@_logging_options
@_fail_cleanly
def watch(
    directory: Path,
    interval: float,
    debounce: float,
    idle_interval: float | None,
    daily_at: str | None,
    jobs: int,
    requests_per_minute: int,
) -> None:
    """Keep running: sync a client within seconds of a staff edit.

    Watches every client config in DIRECTORY (one cheap look at Google Drive per interval),
    syncs a client once its edits settle, and does the daily duties with --daily-at. Stop it
    with SIGTERM or Ctrl-C.
    """
    api.watch(
        directory,
        interval=interval,
        debounce=debounce,
        idle_interval=idle_interval,
        daily_at=daily_at,
        jobs=jobs,
        requests_per_minute=requests_per_minute,
    )


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@_logging_options
@_fail_cleanly
def status(directory: Path) -> None:
    """Show what `watch` last did for each client in a folder."""
    click.echo(api.watch_status(directory))
