"""The weekly digest: the portfolio mailed to the consultant once per ISO week (portfolio.toml).

    [portfolio]
    to = ["consultant@example.jp"]
    timezone = "Asia/Tokyo"        # the consultant's zone: when a week starts
    # templates_dir = "templates"  # own copies of portfolio.*.j2, beside portfolio.toml

    [mail]                         # the same keys as a client's [mail]
    transport = "smtp"
    from = "kpi@example.jp"

The week already mailed is kept in a small state file beside portfolio.toml, written atomically
after the mail went out: a failed send is retried by the next run, a second run in the same week
sends nothing. (A sharded run keeps one state file per shard.)
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, ValidationError

from ...config import MailSettings, PortfolioSettings
from ...errors import ConfigError
from ...meeting import deliver
from ...meeting.mail import distinct
from ...meeting.mail_policy import MAIL_POLICY
from ...meeting.render import one_line
from ...util.addresses import NotAnAddress, one_address
from ...util.files import write_atomically
from ...words.core import Phrase, join, say
from ...words.lang import Lang
from .view import PortfolioView, subject

STATE_NAME: Final = ".portfolio-digest.json"


class PortfolioFile(BaseModel):
    """portfolio.toml: [portfolio] and [mail]."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    portfolio: PortfolioSettings = PortfolioSettings()
    mail: MailSettings
    templates_dir: str | None = None


def load_settings(path: Path) -> PortfolioFile:
    """portfolio.toml → its [portfolio] and [mail]; a mistake names the key and the file."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
        settings = PortfolioFile.model_validate(raw)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError("portfolio_unreadable", path=path, reason=error) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError("portfolio_not_toml", path=path, reason=error) from None
    except ValidationError as error:
        problems = _Each(tuple(_describe(e) for e in error.errors()))
        raise ConfigError("portfolio_invalid", path=path, problems=problems) from None
    for address in settings.portfolio.to:
        if any(ch in address for ch in "\r\n,;") or "@" not in address:
            raise ConfigError("portfolio_bad_address", path=path, address=repr(address))
    if not (settings.portfolio.to or settings.mail.to):
        raise ConfigError("portfolio_no_recipients", path=path)
    return settings


def templates_path(path: Path, settings: PortfolioFile) -> Path | None:
    """templates_dir, relative to portfolio.toml's folder and inside it."""
    if settings.templates_dir is None:
        return None
    folder = path.parent.resolve()
    resolved = (folder / settings.templates_dir).resolve()
    if not resolved.is_relative_to(folder):
        raise ConfigError("portfolio_templates_outside", path=path, folder=folder)
    return resolved


def iso_week(day: date) -> str:
    """ "2026-W48": the ISO year and week a day falls in."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def state_path(path: Path, shard: str = "") -> Path:
    suffix = "-" + shard.replace("/", "of") if shard else ""
    return path.parent / STATE_NAME.replace(".json", f"{suffix}.json")


def already_sent(state: Path, week: str) -> bool:
    """True when the state file says this week's digest went out (a broken file: not sent)."""
    try:
        data = json.loads(state.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(data, dict) and data.get("week") == week


def remember_sent(state: Path, week: str, now: datetime, where: str) -> None:
    record = {"week": week, "sent_at": now.isoformat(timespec="seconds"), "to": where}
    write_atomically(state, (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8"))


def build_message(
    view: PortfolioView, text: str, html: str, settings: PortfolioFile, now: datetime
) -> EmailMessage:
    """multipart/alternative: the text part, then the HTML (CSS already inlined)."""
    message = EmailMessage(policy=MAIL_POLICY)
    sender = _address(settings.mail.sender, "sheets-sync")
    title = subject(view.lang, day=view.day, total=view.total, needy=view.needy)
    if view.shard:
        title += say("consultant.portfolio_subject_shard", view.lang, shard=view.shard)
    message["Subject"] = one_line(title)
    message["From"] = sender
    to = distinct([_address(a) for a in settings.portfolio.to or settings.mail.to])
    message["To"] = to
    cc = distinct([_address(a) for a in settings.mail.cc], already=to)
    if cc:
        message["Cc"] = cc
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid(idstring="portfolio", domain=_domain(sender))
    message.set_content(text, subtype="plain", charset="utf-8", cte="base64")
    message.add_alternative(html, subtype="html", charset="utf-8", cte="base64")
    return message


def send(message: EmailMessage, path: Path, settings: PortfolioFile) -> str:
    """Through the one `deliver`, with portfolio.toml's own [mail] (outbox beside it)."""
    return deliver(message, settings.mail, path.parent, name="portfolio", origin=path)


@dataclass(frozen=True)
class _Each:
    """Several mistakes in one message, put into words in the message's language."""

    phrases: tuple[Phrase, ...]

    def render(self, lang: Lang) -> str:
        return join((phrase.render(lang) for phrase in self.phrases), lang)


def _describe(error: Any) -> Phrase:
    where = ".".join(str(part) for part in error["loc"] if not isinstance(part, int))
    where = where.replace("sender", "from")
    if error["type"] == "extra_forbidden":
        return Phrase("consultant.portfolio_unknown_key", {"key": repr(where)})
    if error["type"] == "missing":
        return Phrase("consultant.portfolio_key_required", {"key": where})
    reason = str(error["msg"]).removeprefix("Value error, ")
    return Phrase("consultant.portfolio_key_invalid", {"key": where, "reason": reason})


def _address(text: str, default_name: str = "") -> Address:
    try:
        found = one_address(one_line(text))
        name = one_line(found.display_name or default_name)
        return Address(display_name=name, username=found.username, domain=found.domain)
    except (NotAnAddress, ValueError, IndexError) as error:
        raise ConfigError("portfolio_not_an_address", address=repr(text), reason=error) from None


def _domain(address: Address) -> str:
    try:
        return address.domain.encode("idna").decode("ascii") or "sheets-sync.invalid"
    except UnicodeError:
        return "sheets-sync.invalid"
