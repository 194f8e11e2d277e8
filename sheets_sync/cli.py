"""The `sheets-sync` command line: click options over the library; nothing else lives here."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from . import __version__, api
from .cli_shared import (
    SectionedGroup,
    as_of_option,
    config_option,
    fail_cleanly,
    jobs_option,
    lang_option,
    logging_options,
    report_option,
    requests_per_minute_option,
    seconds_option,
    show,
)
from .errors import EXIT_CHECK_ERRORS
from .sheet.sample import DEFAULT_KIND, SAMPLE_KINDS
from .sheet.schema import Lang
from .words.core import say


@click.group(cls=SectionedGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="sheets-sync")
@logging_options
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
@logging_options
@fail_cleanly
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
    show(outcome.describe())


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
@logging_options
@fail_cleanly
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
    order = api.NewClientOrder(
        name,
        "en" if lang == "en" else "ja",
        config_dir,
        backend=backend,
        workbook=workbook,
        share=share,
        from_template=from_template,
        sample=sample or False,
        credentials=credentials,
        addresses=api.MailAddresses(mail_from, mail_to, mail_cc, meeting_time),
        empty=empty,
    )
    made = api.new_client(order)
    show(api.next_steps(made, shared_with=share, placed=workbook is not None))


@main.command()
@config_option
@report_option
@as_of_option
@logging_options
@fail_cleanly
def check(config_path: Path, report_path: Path | None, as_of: date | None) -> None:
    """Validate the sheet and write the Checks tab (exit 1 on errors).

    Writes nothing else and sends nothing; the exit code is 1 when any error-level check is
    found, so a script can stop on it.
    """
    result = api.check(config_path, as_of=as_of, report_path=report_path)
    show(api.describe_checks(result.report), problem=bool(result.report.errors))
    if result.report.errors:
        sys.exit(EXIT_CHECK_ERRORS)


@main.command()
@config_option
@report_option
@as_of_option
@click.option("--no-agenda", is_flag=True, help="Do not send the agenda, even when due.")
@click.option("--force", is_flag=True, help="Send the agenda again even if it was sent.")
@click.option("--dry-run", is_flag=True, help="Read and compute only: write and send nothing.")
@logging_options
@fail_cleanly
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
    show(api.describe_run(result), problem=result.exit_code != 0)
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
@logging_options
@fail_cleanly
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
@logging_options
@fail_cleanly
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
    show(outcome.table(), problem=outcome.exit_code != 0)
    sys.exit(outcome.exit_code)


@main.command()
@config_option
@logging_options
@fail_cleanly
def doctor(config_path: Path) -> None:
    """Check a client's config, sheet access, tabs and mail settings.

    Each finding says what is fine or what to do; nothing is written or sent.
    """
    findings = api.doctor(config_path)
    problem = any(not f.ok for f in findings)
    for finding in findings:
        show(finding.line(), problem=problem)
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
@logging_options
@fail_cleanly
def chat_test(config_path: Path, channel: int | None) -> None:
    """Post a test message to each chat channel, to see it arrive."""
    text, code = api.chat_test(config_path, channel=channel)
    show(text, problem=code != 0)
    sys.exit(code)


@main.command()
@config_option
@logging_options
@fail_cleanly
def upgrade(config_path: Path) -> None:
    """Add the tabs and columns a newer template has, touching no data."""
    show(api.upgrade_described(config_path))


@main.command()
@click.argument("directory", type=click.Path(path_type=Path, file_okay=False))
@seconds_option(
    "--interval",
    least=0.1,
    default=10.0,
    help="Seconds between looks for changes (one Drive request per look).",
)
@seconds_option(
    "--debounce",
    least=0.0,
    default=10.0,
    help="Sync once edits have settled for S seconds (a half-typed row is not judged).",
)
@seconds_option(
    "--idle-interval",
    least=0.1,
    default=None,
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
@logging_options
@fail_cleanly
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
@logging_options
@fail_cleanly
def status(directory: Path) -> None:
    """Show what `watch` last did for each client in a folder."""
    click.echo(api.watch_status(directory))
