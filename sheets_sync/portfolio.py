"""The consultant's portfolio after `sync-all`: every client on one page, neediest first.

Written next to the configs as `portfolio.html` (Jinja, autoescaped) and `portfolio.csv`
(UTF-8 with a BOM, so Excel shows Japanese), both atomically; e-mailed when the folder holds a
`portfolio.toml`:

    [portfolio]
    to = ["consultant@example.jp"]

    [mail]                      # the same keys as a client's [mail]
    transport = "smtp"
    from = "kpi@example.jp"
    [mail.smtp]
    host = "smtp.example.jp"

Who needs help first — the score (higher first, then the client's name):
    the run failed (sheet error, config error, crashed)    +100
    the agenda could not be sent                             +50
    the client was locked (another run was going)            +10
    each open error in the sheet                             +10
    evidence older than 14 days: each day beyond            +1  (at most 30; none at all: 30)
    each missed cycle                                         +15
A missed cycle is a done cycle without its learning or next step, plus one for every 14 days
since the last cycle ended when no cycle is running.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from pathlib import Path
from typing import Any, Final

import css_inline
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from pydantic import BaseModel, ConfigDict, ValidationError

from .agenda import builtin_templates_dir, chain_note, deliver
from .agenda.render import one_line
from .batch import PORTFOLIO_CONFIG, BatchOutcome, ClientRun, Followup, Outcome
from .config import Config, ConfigModel, MailSettings, PortfolioSettings, SheetSettings
from .errors import EXIT_CONFIG, EXIT_MAIL, ConfigError, MailError
from .files import write_atomically
from .report import Report
from .schema import Lang

HTML_NAME: Final = "portfolio.html"
CSV_NAME: Final = "portfolio.csv"
CYCLE_DAYS: Final = 14
STALE_AFTER_DAYS: Final = 14

SCORE_OUTCOME: Final[dict[Outcome, int]] = {
    "ok": 0,
    "locked": 10,
    "agenda failed": 50,
    "sheet error": 100,
    "config error": 100,
    "crashed": 100,
}
SCORE_PER_ERROR: Final = 10
SCORE_PER_MISSED_CYCLE: Final = 15
SCORE_STALE_CAP: Final = 30

CSV_COLUMNS: Final = (
    "client",
    "config",
    "outcome",
    "score",
    "last_sync",
    "current_cycle",
    "review_cycle",
    "cycles_missed",
    "days_since_evidence",
    "open_errors",
    "warnings",
    "agenda_sent",
    "chain_note",
    "problem",
)

_OUTCOME_WORDS: Final[dict[Lang, dict[Outcome, str]]] = {
    "ja": {
        "ok": "OK",
        "agenda failed": "案内メール送信失敗",
        "locked": "実行中のため未処理",
        "sheet error": "シートを読み書きできず",
        "config error": "設定ファイルの誤り",
        "crashed": "予期しないエラー",
    },
    "en": {
        "ok": "ok",
        "agenda failed": "agenda not sent",
        "locked": "locked (another run)",
        "sheet error": "sheet error",
        "config error": "config error",
        "crashed": "crashed",
    },
}
_AGENDA_WORDS: Final[dict[Lang, dict[str, str]]] = {
    "ja": {"yes": "送信済み", "no": "未送信", "failed": "失敗", "": "—"},
    "en": {"yes": "sent", "no": "not yet", "failed": "failed", "": "—"},
}
_SUBJECT: Final[dict[Lang, str]] = {
    "ja": "[sheets-sync] ポートフォリオ {day} — {total}社中{needy}社が要フォロー",
    "en": "[sheets-sync] Portfolio {day} — {needy} of {total} clients need help",
}


@dataclass(frozen=True)
class PortfolioRow:
    """One client as the portfolio shows it; None means unknown (the run did not get that far)."""

    client: str
    config: str
    outcome: Outcome
    outcome_word: str
    score: int
    last_sync: str
    current_cycle: int | None
    review_cycle: int | None
    cycles_missed: int | None
    days_since_evidence: int | None
    open_errors: int | None
    warnings: int | None
    agenda: str  # yes / no / failed / "" (unknown)
    agenda_word: str
    chain_note: str
    problem: str

    @property
    def needs_help(self) -> bool:
        return self.score > 0

    def csv_values(self) -> list[str]:
        values: dict[str, object] = {
            "client": self.client,
            "config": self.config,
            "outcome": self.outcome,
            "score": self.score,
            "last_sync": self.last_sync,
            "current_cycle": self.current_cycle,
            "review_cycle": self.review_cycle,
            "cycles_missed": self.cycles_missed,
            "days_since_evidence": self.days_since_evidence,
            "open_errors": self.open_errors,
            "warnings": self.warnings,
            "agenda_sent": self.agenda,
            "chain_note": self.chain_note,
            "problem": self.problem,
        }
        return [_csv_safe(values[column]) for column in CSV_COLUMNS]


@dataclass(frozen=True)
class PortfolioView:
    """Everything the portfolio templates show, already in words."""

    lang: Lang
    title: str
    as_of: str
    generated_at: str
    rows: list[PortfolioRow]
    needy: int
    total: int


class _PortfolioFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    portfolio: PortfolioSettings = PortfolioSettings()
    mail: MailSettings


# -- the figures ----------------------------------------------------------------------------
def cycles_missed(report: Report, today: date) -> int:
    """Done cycles lacking a learning or next step, plus each 14 days stalled with none running."""
    unfinished = sum(
        1
        for cycle in report.cycles
        if cycle.status == "done" and not (cycle.learning.strip() and cycle.next_step.strip())
    )
    ended = [cycle.end for cycle in report.cycles if cycle.end < today]
    stalled = 0
    if report.current_cycle is None and ended:
        stalled = (today - max(ended)).days // CYCLE_DAYS
    return unfinished + stalled


def days_since_evidence(report: Report, today: date) -> int | None:
    """Days since the newest evidence row dated on or before today; None when there is none."""
    days = [item.date for item in report.evidence_items if item.date <= today]
    return (today - max(days)).days if days else None


def score(
    outcome: Outcome,
    errors: int | None,
    stale_days: int | None,
    missed: int | None,
    *,
    has_report: bool,
) -> int:
    """The module docstring's score: higher means the client needs help sooner."""
    total = SCORE_OUTCOME[outcome]
    if not has_report:
        return total
    total += SCORE_PER_ERROR * (errors or 0)
    if stale_days is None:
        total += SCORE_STALE_CAP
    else:
        total += min(SCORE_STALE_CAP, max(0, stale_days - STALE_AFTER_DAYS))
    return total + SCORE_PER_MISSED_CYCLE * (missed or 0)


def portfolio_row(run: ClientRun, lang: Lang, today: date) -> PortfolioRow:
    """One client's row, from what its run produced (little is known when it failed early)."""
    report = run.report
    day = report.as_of if report is not None else today
    missed = cycles_missed(report, day) if report is not None else None
    stale = days_since_evidence(report, day) if report is not None else None
    errors = len(report.errors) if report is not None else None
    known_agenda = report is not None or run.outcome == "agenda failed"
    agenda = run.agenda if known_agenda else ""
    return PortfolioRow(
        client=run.client,
        config=run.config_path.name,
        outcome=run.outcome,
        outcome_word=_OUTCOME_WORDS[lang][run.outcome],
        score=score(run.outcome, errors, stale, missed, has_report=report is not None),
        last_sync=_when(report.generated_at) if report is not None else "",
        current_cycle=report.current_cycle if report is not None else None,
        review_cycle=report.review_cycle if report is not None else None,
        cycles_missed=missed,
        days_since_evidence=stale,
        open_errors=errors,
        warnings=len(report.warnings) if report is not None else None,
        agenda=agenda,
        agenda_word=_AGENDA_WORDS[lang][agenda],
        chain_note=chain_note(report, lang=lang) if report is not None else "",
        problem=run.message,
    )


def portfolio_language(runs: Sequence[ClientRun]) -> Lang:
    """The clients' majority language; Japanese on a tie or when none is known."""
    counts = Counter(run.language for run in runs if run.language is not None)
    return "en" if counts["en"] > counts["ja"] else "ja"


def build_view(outcome: BatchOutcome, *, today: date, now: datetime) -> PortfolioView:
    """The rows sorted neediest first (score, then name), with the page's words."""
    lang = portfolio_language(outcome.runs)
    rows = sorted(
        (portfolio_row(run, lang, today) for run in outcome.runs),
        key=lambda row: (-row.score, row.client, row.config),
    )
    needy = sum(1 for row in rows if row.needs_help)
    title = _SUBJECT[lang].format(day=today.isoformat(), total=len(rows), needy=needy)
    return PortfolioView(
        lang=lang,
        title=title.removeprefix("[sheets-sync] "),
        as_of=today.isoformat(),
        generated_at=_when(now),
        rows=rows,
        needy=needy,
        total=len(rows),
    )


# -- rendering and files --------------------------------------------------------------------
def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(str(builtin_templates_dir())),
        undefined=StrictUndefined,
        autoescape=select_autoescape(["html.j2"], default_for_string=True, default=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def render_html(view: PortfolioView) -> str:
    return _environment().get_template(f"portfolio.{view.lang}.html.j2").render(view=view)


def render_text(view: PortfolioView) -> str:
    return _environment().get_template(f"portfolio.{view.lang}.txt.j2").render(view=view)


def render_csv(view: PortfolioView) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    writer.writerows(row.csv_values() for row in view.rows)
    return buffer.getvalue()


def publish(
    directory: Path,
    outcome: BatchOutcome,
    *,
    as_of: date | None = None,
    now: datetime | None = None,
) -> list[Followup]:
    """Write portfolio.html and portfolio.csv, and mail them when portfolio.toml says to."""
    now = now or datetime.now().astimezone().replace(microsecond=0)
    today = as_of or now.date()
    view = build_view(outcome, today=today, now=now)
    html = render_html(view)
    html_path, csv_path = directory / HTML_NAME, directory / CSV_NAME
    try:
        write_atomically(html_path, html.encode("utf-8"))
        write_atomically(csv_path, render_csv(view).encode("utf-8-sig"))
    except OSError as error:
        reason = error.strerror or str(error)
        return [
            Followup("portfolio", f"could not be written in {directory}: {reason}", EXIT_CONFIG)
        ]
    done = [Followup("portfolio", f"{html_path} and {csv_path.name} written")]
    settings_path = directory / PORTFOLIO_CONFIG
    if settings_path.is_file():
        done.append(_mail(settings_path, view, html, now))
    return done


# -- mail -----------------------------------------------------------------------------------
def load_settings(path: Path) -> _PortfolioFile:
    """portfolio.toml → its [portfolio] and [mail]; a mistake names the key and the file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        settings = _PortfolioFile.model_validate(raw)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read the file: {error}") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except ValidationError as error:
        raise ConfigError(f"{path}: " + "; ".join(_describe(e) for e in error.errors())) from None
    for address in settings.portfolio.to:
        if any(ch in address for ch in "\r\n,;") or "@" not in address:
            raise ConfigError(f"{path}: portfolio.to: {address!r} is not one e-mail address")
    if not (settings.portfolio.to or settings.mail.to):
        raise ConfigError(f"{path}: portfolio.to is empty; say who receives the portfolio")
    return settings


def _describe(error: Any) -> str:
    where = ".".join(str(part) for part in error["loc"] if not isinstance(part, int))
    where = where.replace("sender", "from")
    if error["type"] == "extra_forbidden":
        return f"unknown key {where!r}"
    if error["type"] == "missing":
        return f"{where} is required"
    return f"{where}: {str(error['msg']).removeprefix('Value error, ')}"


def build_message(
    view: PortfolioView, html: str, settings: _PortfolioFile, now: datetime
) -> EmailMessage:
    """multipart/alternative: the text part, then the HTML (CSS inlined for mail programs)."""
    message = EmailMessage(policy=email_policy.SMTP)
    sender = _address(settings.mail.sender, "sheets-sync")
    message["Subject"] = one_line(
        _SUBJECT[view.lang].format(day=view.as_of, total=view.total, needy=view.needy)
    )
    message["From"] = sender
    message["To"] = [_address(a) for a in settings.portfolio.to or settings.mail.to]
    if settings.mail.cc:
        message["Cc"] = [_address(a) for a in settings.mail.cc]
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(idstring="portfolio", domain=_domain(sender))
    message.set_content(render_text(view), subtype="plain", charset="utf-8", cte="base64")
    inliner = css_inline.CSSInliner(keep_at_rules=True, load_remote_stylesheets=False)
    message.add_alternative(
        str(inliner.inline(html)), subtype="html", charset="utf-8", cte="base64"
    )
    return message


def _mail(path: Path, view: PortfolioView, html: str, now: datetime) -> Followup:
    try:
        settings = load_settings(path)
        message = build_message(view, html, settings, now)
        where = deliver(message, _mail_config(path, settings, view.lang))
    except ConfigError as error:
        return Followup("portfolio mail", f"not sent: {error}", EXIT_CONFIG)
    except MailError as error:
        return Followup("portfolio mail", f"not sent: {error}", EXIT_MAIL)
    return Followup("portfolio mail", f"sent: {where}")


def _mail_config(path: Path, settings: _PortfolioFile, lang: Lang) -> Config:
    """`deliver` takes a client Config; this one carries only portfolio.toml's [mail]."""
    model = ConfigModel(
        client="portfolio",
        language=lang,
        sheet=SheetSettings(backend="xlsx", path=HTML_NAME),
        mail=settings.mail,
    )
    return Config(path=path.absolute(), model=model)


def _address(text: str, default_name: str = "") -> Address:
    name, addr_spec = parseaddr(one_line(text))
    try:
        return Address(display_name=one_line(name or default_name), addr_spec=addr_spec)
    except (ValueError, IndexError) as error:
        raise ConfigError(f"{text!r} is not an e-mail address ({error})") from None


def _domain(address: Address) -> str:
    try:
        return address.domain.encode("idna").decode("ascii") or "sheets-sync.invalid"
    except UnicodeError:
        return "sheets-sync.invalid"


# -- small helpers --------------------------------------------------------------------------
def _when(moment: datetime) -> str:
    """A moment in this machine's time zone (the consultant's), like the page's own time."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _csv_safe(value: object) -> str:
    """A cell for the CSV; text that a spreadsheet would evaluate is quoted with a '."""
    if value is None:
        return ""
    text = str(value)
    if isinstance(value, str) and text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text
