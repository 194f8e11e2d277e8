"""The agenda as an e-mail: build the MIME message, then deliver it to the outbox or over SMTP."""

from __future__ import annotations

import base64
import os
import smtplib
import ssl
from collections.abc import Mapping, Sequence
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parsedate_to_datetime
from pathlib import Path
from typing import Final

from ..config import Config, MailSettings, SmtpSettings, slugify
from ..errors import ConfigError, MailError, UsageError
from ..util.addresses import NotAnAddress, one_address
from ..util.files import write_atomically
from ..util.redact import remember_secret
from ..words.core import tell
from .invite import invite_ics
from .mail_policy import MAIL_POLICY
from .render import RenderedAgenda, one_line

CYCLE_HEADER: Final = "X-Sheets-Sync-Cycle"
INVITE_FILENAME: Final = "invite.ics"
KIND_HEADER: Final = "X-Sheets-Sync-Kind"  # agenda | reminder
# Every agenda message carries X-Sheets-Sync-… headers; .html and .txt end with this line, so a
# later --out knows the file for an agenda it wrote (`run.outputs`).
AGENDA_HEADER_PREFIX: Final = b"x-sheets-sync-"
AGENDA_MARKER: Final = "sheets-sync agenda"
_POLICY: Final = MAIL_POLICY  # CRLF line ends, RFC 2047 for non-ASCII headers
_FALLBACK_DOMAIN: Final = "sheets-sync.invalid"


def build_message(
    rendered: RenderedAgenda, config: Config, *, now: datetime, kind: str = "agenda"
) -> EmailMessage:
    """multipart/related [ multipart/alternative [text/plain, text/html], inline PNGs … ];
    `kind` = "reminder" for the input reminder (its own Message-ID and outbox file name)."""
    sender = _address(config.mail.sender, config, "mail.from", default_name=config.client)
    message = EmailMessage(policy=_POLICY)
    message["Subject"] = one_line(rendered.subject)
    message["From"] = sender
    to = [_address(a, config, "mail.to") for a in config.mail.to]
    cc = [_address(a, config, "mail.cc") for a in config.mail.cc]
    to, cc = distinct(to), distinct(cc, already=to)
    if to:
        message["To"] = to
    if cc:
        message["Cc"] = cc
    when = now if now.tzinfo is not None else now.replace(tzinfo=config.tz)
    message["Date"] = format_datetime(when)
    message["Message-ID"] = make_msgid(
        idstring=f"{kind}.cycle{rendered.cycle}", domain=_ascii_domain(sender.domain)
    )
    message[CYCLE_HEADER] = str(rendered.cycle)
    if kind != "agenda":
        message[KIND_HEADER] = kind
    message["MIME-Version"] = "1.0"
    message.make_related()
    message.set_param("type", "multipart/alternative")

    bodies = EmailMessage(policy=_POLICY)
    bodies.set_content(rendered.text, subtype="plain", charset="utf-8", cte="base64")
    bodies.add_alternative(rendered.html, subtype="html", charset="utf-8", cte="base64")
    ics = invite_ics(rendered.invite, config, now=when) if rendered.invite else None
    if ics is not None:
        # As calendar programs send it: the event is the last alternative (method=REQUEST), so
        # Gmail and Outlook show "add to calendar"; the .ics attachment is for everyone else.
        calendar = EmailMessage(policy=_POLICY)
        calendar.set_content(
            ics, maintype="text", subtype="calendar", params={"method": "REQUEST"}, cte="base64"
        )
        calendar.set_param("charset", "utf-8")
        del calendar["MIME-Version"]
        bodies.attach(calendar)
    message.attach(bodies)
    for number, (cid, png) in enumerate(rendered.images.items(), start=1):
        picture = EmailMessage(policy=_POLICY)
        picture.set_content(
            png,
            maintype="image",
            subtype="png",
            disposition="inline",
            filename=f"trend-{number}.png",
            cid=f"<{cid}>",
        )
        message.attach(picture)
    if ics is not None:
        message.make_mixed()
        message.add_attachment(
            ics, maintype="application", subtype="ics", filename=INVITE_FILENAME, cte="base64"
        )
    return message


def deliver(
    message: EmailMessage,
    mail: MailSettings,
    folder: Path,
    *,
    name: str = "mail",
    origin: Path | None = None,
    password_env: Mapping[str, str] | None = None,
) -> str:
    """Send `message` with `mail`'s transport; return where it went (an .eml path or smtp://…).

    `folder` is what a relative `mail.outbox` is read against (the config file's folder), `name`
    goes into the outbox file's name, and `origin` (the settings file) is named in messages.
    """
    origin = origin or folder
    if not _recipients(message):
        raise MailError("mail_to_empty", file=origin)
    if mail.transport == "smtp":
        if mail.smtp is None:  # config validation already refuses this
            raise MailError("smtp_settings_missing", file=origin)
        environ = password_env if password_env is not None else os.environ
        return _send_smtp(message, origin, mail.smtp, environ)
    return str(_write_outbox(message, _outbox_folder(mail, folder, origin), name))


def deliver_for(
    message: EmailMessage, config: Config, *, password_env: Mapping[str, str] | None = None
) -> str:
    """`deliver` with a client's own [mail], folder and name (the agenda and the reminder)."""
    return deliver(
        message,
        config.mail,
        config.folder,
        name=config.slug,
        origin=config.path,
        password_env=password_env,
    )


def agenda_marker_line(suffix: str) -> str:
    """The line that ends an agenda written as .html or .txt, so a later --out knows it."""
    if suffix in (".html", ".htm"):
        return f"\n<!-- {AGENDA_MARKER} -->\n"
    return f"\n\n-- {AGENDA_MARKER}\n"


def render_to_file(rendered: RenderedAgenda, message: EmailMessage, out: Path) -> Path:
    """`agenda --out FILE`: .eml (the message), .html (pictures inlined) or .txt (plain text)."""
    suffix = out.suffix.lower()
    if suffix == ".eml":
        data = message.as_bytes(policy=_POLICY)
    elif suffix in (".html", ".htm"):
        html = rendered.html
        for cid, png in rendered.images.items():
            uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
            html = html.replace(f"cid:{cid}", uri)
        data = (html.rstrip("\n") + agenda_marker_line(suffix)).encode("utf-8")
    elif suffix == ".txt":
        text = f"{rendered.subject}\n\n{rendered.text}".rstrip("\n")
        data = (text + agenda_marker_line(suffix)).encode()
    else:
        raise UsageError("agenda_out_suffix", out=out)
    try:
        write_atomically(out, data)
    except OSError as error:
        raise UsageError("agenda_out_unwritable", out=out, reason=error.strerror or error) from None
    return out


# --- addresses ---------------------------------------------------------------------------------


def _address(text: str, config: Config, key: str, *, default_name: str = "") -> Address:
    """`Name <user@host>` or `user@host` from the config (RFC 5322: a quoted name may hold
    , ; and quotes), as a header-safe Address."""
    try:
        found = one_address(one_line(text))
        name = one_line(found.display_name or default_name)
        return Address(display_name=name, username=found.username, domain=found.domain)
    except (NotAnAddress, ValueError, IndexError) as error:
        raise ConfigError(
            "not_an_address", file=config.path, key=key, text=text, reason=error
        ) from None


def distinct(addresses: Sequence[Address], *, already: Sequence[Address] = ()) -> list[Address]:
    """`addresses` without repeats (nor those in `already`), ignoring case; the first spelling
    stays, so one person listed in both To and Cc gets the mail once, in To."""
    seen = {address.addr_spec.casefold() for address in already}
    kept: list[Address] = []
    for address in addresses:
        key = address.addr_spec.casefold()
        if key not in seen:
            seen.add(key)
            kept.append(address)
    return kept


def _ascii_domain(domain: str) -> str:
    try:
        return domain.encode("idna").decode("ascii") or _FALLBACK_DOMAIN
    except UnicodeError:
        return _FALLBACK_DOMAIN


def _recipients(message: EmailMessage) -> list[str]:
    """The envelope's RCPT TO: every To and Cc address once (ignoring case), first spelling."""
    addresses: list[Address] = []
    for header in ("To", "Cc"):
        value = message.get(header)
        if value is not None:
            addresses.extend(value.addresses)
    return [address.addr_spec for address in distinct(addresses)]


# --- outbox ------------------------------------------------------------------------------------


def _outbox_folder(mail: MailSettings, folder: Path, origin: Path) -> Path:
    """mail.outbox, relative to `folder` and inside it (an absolute path is refused)."""
    relative = Path(mail.outbox).expanduser()
    resolved = (folder / relative).resolve()
    if relative.is_absolute() or not resolved.is_relative_to(folder.resolve()):
        raise ConfigError("outbox_outside", file=origin, outbox=mail.outbox, folder=folder)
    return resolved


def _write_outbox(message: EmailMessage, folder: Path, name: str) -> Path:
    sent = _message_time(message)
    cycle = message.get(CYCLE_HEADER)
    stem = f"{sent:%Y%m%d-%H%M%S}-{slugify(name)}"
    if cycle is not None:
        stem += f"-cycle{str(cycle).strip()}"
    if message.get(KIND_HEADER, "agenda") != "agenda":
        stem += f"-{message[KIND_HEADER]}"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{stem}.eml"
        counter = 2
        while target.exists():  # a resend in the same second keeps the earlier file
            target = folder / f"{stem}-{counter}.eml"
            counter += 1
        write_atomically(target, message.as_bytes(policy=_POLICY))
    except OSError as error:
        raise MailError(
            "outbox_unwritable", folder=folder, reason=error.strerror or error
        ) from None
    return target


def _message_time(message: EmailMessage) -> datetime:
    """The message's own Date, in the offset it was written with (the sender's zone)."""
    try:
        return parsedate_to_datetime(str(message["Date"]))
    except (TypeError, ValueError):
        return datetime.now().astimezone()


# --- SMTP --------------------------------------------------------------------------------------


def _send_smtp(
    message: EmailMessage, origin: Path, smtp: SmtpSettings, environ: Mapping[str, str]
) -> str:
    where = f"smtp://{smtp.host}:{smtp.port}"
    recipients = _recipients(message)
    if not recipients:
        raise MailError("mail_to_empty", file=origin)
    password = _password(origin, smtp, environ)
    remember_secret(password)  # whatever the variable is called, logs never show it
    sender = _sender_addr(message)
    try:
        client = _connect(smtp)
        try:
            if smtp.security == "starttls":
                client.starttls(context=ssl.create_default_context())
                client.ehlo()
            if smtp.username:
                _login(client, smtp.username, password or "")
            refused = client.send_message(message, from_addr=sender, to_addrs=recipients)
        except BaseException:
            client.close()
            raise
    except (OSError, UnicodeError) as error:  # smtplib's and ssl's errors are OSErrors
        raise _smtp_error(error, smtp, password) from None
    # The server accepted the message (250 after DATA): it counts as sent whatever QUIT answers.
    _quit_quietly(client)
    if refused:
        # Others already have it, so this is not a failure to retry (that would send it twice);
        # the refused addresses are reported with where it went.
        return tell("mail.partly_refused", where=where, refused=", ".join(sorted(refused)))
    return where


def _smtp_error(
    error: OSError | UnicodeError, smtp: SmtpSettings, password: str | None
) -> MailError:
    """What went wrong with the SMTP server, in words, with the password never in them."""
    where = f"smtp://{smtp.host}:{smtp.port}"
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return MailError(
            "smtp_login_refused", server=where, user=smtp.username, variable=smtp.password_env
        )
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return MailError(
            "smtp_recipients_refused", server=where, recipients=", ".join(error.recipients)
        )
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return MailError("smtp_not_supported", server=where, reply=_scrub(error, password))
    if isinstance(error, smtplib.SMTPResponseException):
        reply = (
            error.smtp_error.decode("utf-8", "replace")
            if isinstance(error.smtp_error, bytes)
            else str(error.smtp_error)
        )
        return MailError(
            "smtp_said", server=where, code=error.smtp_code, reply=_scrub(reply, password)
        )
    if isinstance(error, smtplib.SMTPException):
        return MailError("smtp_failed", server=where, reason=_scrub(error, password))
    if isinstance(error, TimeoutError):
        return MailError("smtp_timeout", server=where, seconds=f"{smtp.timeout:g}")
    if isinstance(error, UnicodeError):
        return MailError("smtp_login_unencodable", server=where)
    if isinstance(error, ssl.SSLError):
        return MailError(
            "smtp_tls_failed", server=where, security=smtp.security, reason=_scrub(error, password)
        )
    reason = error.strerror or str(error) or type(error).__name__
    return MailError("smtp_unreachable", server=where, reason=_scrub(reason, password))


def _quit_quietly(client: smtplib.SMTP) -> None:
    """Say goodbye after an accepted message; an odd or dropped answer to QUIT changes nothing
    (retrying would deliver a second copy)."""
    try:
        client.quit()
    except (smtplib.SMTPException, OSError):
        pass
    finally:
        client.close()


def _login(client: smtplib.SMTP, username: str, password: str) -> None:
    """smtplib's login, plus AUTH PLAIN in UTF-8 (RFC 4616) for a non-ASCII user or password."""
    if (username + password).isascii():
        client.login(username, password)
        return
    client.ehlo_or_helo_if_needed()
    if not client.has_extn("auth"):
        raise smtplib.SMTPNotSupportedError("SMTP AUTH extension not supported by server.")
    token = base64.b64encode(f"\0{username}\0{password}".encode()).decode("ascii")
    code, reply = client.docmd("AUTH", f"PLAIN {token}")
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def _connect(smtp: SmtpSettings) -> smtplib.SMTP:
    if smtp.security == "ssl":
        context = ssl.create_default_context()
        return smtplib.SMTP_SSL(smtp.host, smtp.port, timeout=smtp.timeout, context=context)
    return smtplib.SMTP(smtp.host, smtp.port, timeout=smtp.timeout)


def _password(origin: Path, smtp: SmtpSettings, environ: Mapping[str, str]) -> str | None:
    """The SMTP password, only ever from the environment variable the config names."""
    if not smtp.username:
        return None
    if not smtp.password_env:
        raise MailError("smtp_password_env_unset", file=origin)
    password = environ.get(smtp.password_env)
    if not password:
        raise MailError("smtp_password_missing", variable=smtp.password_env, file=origin)
    return password


def _sender_addr(message: EmailMessage) -> str:
    value = message["From"]
    addresses = getattr(value, "addresses", ())
    return str(addresses[0].addr_spec) if addresses else str(value)


def _scrub(reason: object, secret: str | None) -> str:
    """A server's reply or a library's reason as text, without the password: it never reaches
    a message, a log or a terminal."""
    text = str(reason)
    return text.replace(secret, "********") if secret else text
