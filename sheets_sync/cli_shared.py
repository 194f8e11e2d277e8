"""What every command of the command line shares: its options, the logging options and their set-
up, the help's sections, and every error turned into one logged line and its exit code."""

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

from . import api
from .errors import SheetsSyncError, UsageError
from .sheet.parse import Invalid, parse_date
from .util.zones import ZonedFormatter
from .words.core import tell

F = TypeVar("F", bound=Callable[..., Any])


AS_OF_RANGE = (date(1950, 1, 1), date(2100, 12, 31))  # the years a sheet's dates may have


def fail_cleanly(func: F) -> F:
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


def logging_options(func: F) -> F:
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


def quiet() -> bool:
    return bool(_logging_choices()["quiet"])


def show(text: str, *, problem: bool = False) -> None:
    """Print a command's result, except under --quiet when nothing is wrong (cron mails any
    output, so a quiet run that went well prints nothing)."""
    if problem or not quiet():
        click.echo(text)


def parse_day(_: click.Context, __: click.Parameter, value: str | None) -> date | None:
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


def seconds_option(
    name: str, *, least: float, default: float | None, help: str
) -> Callable[[F], F]:
    """An option given in seconds (S), at least `least`; its default shown when it has one."""
    return click.option(
        name,
        type=click.FloatRange(min=least),
        default=default,
        show_default=default is not None,
        metavar="S",
        help=help,
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
    callback=parse_day,
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


class SectionedGroup(click.Group):
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


log = logging.getLogger("sheets_sync")
