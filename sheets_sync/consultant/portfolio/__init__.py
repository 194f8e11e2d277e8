"""The consultant's portfolio after `sync-all`: every client on one page, neediest first, with why.

`publish` writes `portfolio.html` and `portfolio.csv` beside the configs (atomically; the CSV in
UTF-8 with a BOM so Excel shows Japanese) and mails the weekly digest when the folder holds a
`portfolio.toml`. `view` is the pure part (score, reasons, rows), `render` the templates,
`digest` the weekly mail.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from ...config import slugify
from ...errors import EXIT_CONFIG, EXIT_MAIL, EXIT_OK, ConfigError, MailError
from ...util.files import write_atomically
from ...util.zones import machine_zone
from ...words.core import say
from ..batch import PORTFOLIO_CONFIG, TABLE_LANG, BatchOutcome, Followup
from . import digest
from .render import render_csv, render_html, render_mail_html, render_text
from .view import CSV_NAME, HTML_NAME, PortfolioView, build_view

__all__ = ["PortfolioView", "build_view", "latest_agendas", "publish"]

_AGENDA_FILE = re.compile(r"-cycle\d+(-\d+)?\.eml$")  # …-cycle3.eml, a resend …-cycle3-2.eml


def publish(
    directory: Path,
    outcome: BatchOutcome,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
) -> list[Followup]:
    """Write portfolio.html and portfolio.csv, and mail the weekly digest when portfolio.toml
    says to (at most once per ISO week)."""
    settings_path = directory / PORTFOLIO_CONFIG
    settings: digest.PortfolioFile | None = None
    problem: Followup | None = None
    templates: Path | None = None
    if settings_path.is_file():
        try:
            settings = digest.load_settings(settings_path)
            templates = digest.templates_path(settings_path, settings)
        except ConfigError as error:
            problem = _mail(
                say("consultant.portfolio_not_sent", TABLE_LANG, error=error), EXIT_CONFIG
            )
            settings = None
    # The page's own time: in the consultant's zone when portfolio.toml names it, else in
    # this machine's, named either way (never a bare offset).
    zone = ZoneInfo(settings.portfolio.timezone) if settings is not None else machine_zone()
    now = (now or datetime.now(zone).replace(microsecond=0)).astimezone(zone)
    today = as_of or now.date()
    try:
        view = build_view(outcome, today=today, now=now, latest_agendas=latest_agendas(outcome))
        html = render_html(view, templates)
    except ConfigError as error:
        return [
            _page(say("consultant.portfolio_not_written", TABLE_LANG, error=error), EXIT_CONFIG)
        ]
    suffix = f".{outcome.shard.index}-of-{outcome.shard.count}" if outcome.shard else ""
    html_path = directory / HTML_NAME.replace(".html", f"{suffix}.html")
    csv_path = directory / CSV_NAME.replace(".csv", f"{suffix}.csv")
    try:
        write_atomically(html_path, html.encode("utf-8"))
        write_atomically(csv_path, render_csv(view).encode("utf-8-sig"))
    except OSError as error:
        reason = error.strerror or str(error)
        unwritten = say(
            "consultant.portfolio_unwritable", TABLE_LANG, folder=directory, reason=reason
        )
        return [_page(unwritten, EXIT_CONFIG)]
    written = say("consultant.portfolio_written", TABLE_LANG, html=html_path, csv=csv_path.name)
    done = [_page(written)]
    if problem is not None:
        done.append(problem)
    elif settings is not None:
        done.append(_weekly(settings_path, settings, view, templates, now, today))
    return done


def latest_agendas(outcome: BatchOutcome) -> dict[str, str]:
    """Each client's newest agenda .eml in its outbox (this run's, else the last one written)."""
    found: dict[str, str] = {}
    for run in outcome.runs:
        if run.agenda_sent_to and run.agenda_sent_to.endswith(".eml"):
            found[run.config_path.name] = run.agenda_sent_to
            continue
        config = run.config
        if config is None or config.mail.transport != "outbox":
            continue
        try:
            outbox = config.outbox_path()
            found_files = outbox.glob(f"*-{slugify(config.slug)}-cycle*.eml")
            # An agenda's file ends with its cycle (a reminder's or follow-up's with its kind).
            files = sorted(path for path in found_files if _AGENDA_FILE.search(path.name))
        except (OSError, ConfigError):
            continue
        if files:
            found[run.config_path.name] = str(files[-1])
    return found


def _weekly(
    path: Path,
    settings: digest.PortfolioFile,
    view: PortfolioView,
    templates: Path | None,
    now: datetime,
    today: date,
) -> Followup:
    week = digest.iso_week(today)
    state = digest.state_path(path, view.shard)
    if digest.already_sent(state, week):
        return _mail(say("consultant.portfolio_already_sent", TABLE_LANG, week=week))
    try:
        message = digest.build_message(
            view, render_text(view, templates), render_mail_html(view, templates), settings, now
        )
        where = digest.send(message, path, settings)
    except ConfigError as error:
        return _mail(say("consultant.portfolio_not_sent", TABLE_LANG, error=error), EXIT_CONFIG)
    except MailError as error:
        return _mail(say("consultant.portfolio_not_sent", TABLE_LANG, error=error), EXIT_MAIL)
    try:
        digest.remember_sent(state, week, now, where)
    except OSError as error:
        unrecorded = say(
            "consultant.portfolio_sent_unrecorded",
            TABLE_LANG,
            where=where,
            state=state,
            reason=error.strerror or error,
        )
        return _mail(unrecorded, EXIT_CONFIG)
    return _mail(say("consultant.portfolio_sent", TABLE_LANG, week=week, where=where))


# The lines under sync-all's table: English, like the table.
def _page(message: str, exit_code: int = EXIT_OK) -> Followup:
    return Followup(say("consultant.what_portfolio", TABLE_LANG), message, exit_code)


def _mail(message: str, exit_code: int = EXIT_OK) -> Followup:
    return Followup(say("consultant.what_portfolio_mail", TABLE_LANG), message, exit_code)
