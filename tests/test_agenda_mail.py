"""Sending the agenda: the MIME message, the outbox, and a real SMTP server (aiosmtpd)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest

from sheets_sync.config import Config
from sheets_sync.errors import EXIT_MAIL, MailError
from sheets_sync.meeting import build_message, deliver_for, render_agenda
from tests.support.agenda_fixtures import NOW, make_report, write_config
from tests.support.smtp_server import PASSWORD, Server, authenticate, free_port, serve

pytestmark = pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
SUBJECT_JA = "[さくら珈琲] 15分ミーティング 11月15日(日) — サイクル3"


@pytest.fixture
def smtp_server() -> Iterator[Server]:
    """A plain SMTP server on 127.0.0.1 that accepts anything."""
    yield from serve()


@pytest.fixture
def login_server() -> Iterator[Server]:
    """An SMTP server that requires a login (AUTH over plain text, as in a test lab)."""
    yield from serve(authenticator=authenticate, auth_required=True, auth_require_tls=False)


def _smtp_config(folder: Path, port: int, **smtp: Any) -> Config:
    settings = {"host": "127.0.0.1", "port": port, "security": "none", "timeout": 5, **smtp}
    return write_config(folder, transport="smtp", smtp=settings, cc=("cc@sakura.example.jp",))


def _message(config: Config) -> EmailMessage:
    return build_message(render_agenda(make_report("ja"), config), config, now=NOW)


def _parts_by_cid(message: EmailMessage) -> dict[str, EmailMessage]:
    return {
        str(part["Content-ID"]).strip("<>"): part
        for part in message.walk()
        if part["Content-ID"] is not None
    }


def test_message_structure(tmp_path: Path) -> None:
    """mixed [ related [ alternative [plain, html, calendar], PNGs ], invite.ics ]; UTF-8
    bodies; the cycle header."""
    config = write_config(tmp_path)
    message = _message(config)
    assert message.get_content_type() == "multipart/mixed"
    related, attachment = message.iter_parts()
    assert related.get_content_type() == "multipart/related"
    assert related.get_param("type") == "multipart/alternative"
    assert attachment.get_content_type() == "application/ics"
    assert attachment.get_filename() == "invite.ics"
    alternative, *pictures = related.iter_parts()
    assert alternative.get_content_type() == "multipart/alternative"
    kinds = [p.get_content_type() for p in alternative.iter_parts()]
    assert kinds == ["text/plain", "text/html", "text/calendar"]
    assert all(p.get_content_charset() == "utf-8" for p in alternative.iter_parts())
    assert [p.get_content_type() for p in pictures] == ["image/png"] * 4
    assert message["X-Sheets-Sync-Cycle"] == "3"
    assert message["From"].addresses[0].display_name == "さくら珈琲 KPI"
    raw = message.as_bytes()
    assert b"=?utf-8?" in raw.split(b"\r\n\r\n")[0]  # Japanese headers are RFC 2047 encoded
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


def test_delivered_over_smtp(tmp_path: Path, smtp_server: Server) -> None:
    """What arrives parses back: subject, both bodies, every cid: picture, Message-ID and Date."""
    config = _smtp_config(tmp_path, smtp_server.port)
    where = deliver_for(_message(config), config, password_env={})
    assert where == f"smtp://127.0.0.1:{smtp_server.port}"
    (envelope,) = smtp_server.collector.envelopes
    assert sorted(envelope.rcpt_tos) == [
        "cc@sakura.example.jp",
        "owner@sakura.example.jp",
        "team@sakura.example.jp",
    ]
    assert envelope.mail_from == "kpi@sakura.example.jp"
    arrived = message_from_bytes(envelope.content, policy=policy.default)
    assert arrived["Subject"] == SUBJECT_JA
    assert arrived["Message-ID"].endswith("@sakura.example.jp>")
    assert arrived["Date"] is not None and arrived["Date"].datetime.utcoffset() is not None
    assert any(p.get_content_type() == "multipart/alternative" for p in arrived.walk())
    html = arrived.get_body(preferencelist=("html",))
    text = arrived.get_body(preferencelist=("plain",))
    assert html is not None and text is not None
    assert "それなら安心です" in text.get_content()
    pictures = _parts_by_cid(arrived)
    referenced = set(
        part.removeprefix("cid:").split('"')[0]
        for part in html.get_content().split('src="')[1:]
        if part.startswith("cid:")
    )
    assert referenced and referenced <= set(pictures)
    assert all(pictures[cid].get_content().startswith(b"\x89PNG") for cid in referenced)


def test_login_with_the_password_from_the_environment(tmp_path: Path, login_server: Server) -> None:
    """username + password_env: the password is read from that variable and the login works."""
    config = _smtp_config(
        tmp_path, login_server.port, username="kpi", password_env="SAKURA_SMTP_PASSWORD"
    )
    deliver_for(_message(config), config, password_env={"SAKURA_SMTP_PASSWORD": PASSWORD})
    assert len(login_server.collector.envelopes) == 1


def test_missing_password_variable_names_it(tmp_path: Path, login_server: Server) -> None:
    """No such environment variable → MailError (exit 4) saying which variable to set."""
    config = _smtp_config(
        tmp_path, login_server.port, username="kpi", password_env="SAKURA_SMTP_PASSWORD"
    )
    with pytest.raises(MailError, match="SAKURA_SMTP_PASSWORD") as caught:
        deliver_for(_message(config), config, password_env={})
    assert caught.value.exit_code == EXIT_MAIL
    assert login_server.collector.envelopes == []


def test_wrong_password_never_appears_in_the_error(tmp_path: Path, login_server: Server) -> None:
    """A refused login is a MailError that names the variable, not the password."""
    config = _smtp_config(
        tmp_path, login_server.port, username="kpi", password_env="SAKURA_SMTP_PASSWORD"
    )
    wrong = "wrong-" + PASSWORD
    with pytest.raises(MailError) as caught:
        deliver_for(_message(config), config, password_env={"SAKURA_SMTP_PASSWORD": wrong})
    text = str(caught.value)
    assert "SAKURA_SMTP_PASSWORD" in text
    assert wrong not in text and PASSWORD not in text


def test_server_down_is_a_quick_mail_error(tmp_path: Path) -> None:
    """A closed port → MailError naming the server, at once (no hang), password not shown."""
    config = _smtp_config(
        tmp_path, free_port(), username="kpi", password_env="SAKURA_SMTP_PASSWORD"
    )
    started = time.monotonic()
    with pytest.raises(MailError) as caught:
        deliver_for(_message(config), config, password_env={"SAKURA_SMTP_PASSWORD": PASSWORD})
    assert time.monotonic() - started < 3
    assert caught.value.key == "smtp_unreachable" and "smtp://127.0.0.1:" in str(caught.value)
    assert PASSWORD not in str(caught.value)


def test_starttls_against_a_server_without_it_is_a_mail_error(
    tmp_path: Path, smtp_server: Server
) -> None:
    """security = "starttls" never falls back to plain text when the server cannot do TLS."""
    config = _smtp_config(tmp_path, smtp_server.port, security="starttls")
    with pytest.raises(MailError, match=r"smtp://127\.0\.0\.1"):
        deliver_for(_message(config), config, password_env={})
    assert smtp_server.collector.envelopes == []


def test_outbox_writes_one_eml_that_parses_back(tmp_path: Path) -> None:
    """transport = "outbox": <outbox>/<YYYYmmdd-HHMMSS>-<slug>-cycle<n>.eml, folder created."""
    config = write_config(tmp_path)
    where = Path(deliver_for(_message(config), config))
    assert where.parent == tmp_path / "outbox"
    assert where.name == "20261114-090000-sakura-cycle3.eml"
    assert [p.name for p in (tmp_path / "outbox").iterdir()] == [where.name]  # no temp left
    parsed = message_from_bytes(where.read_bytes(), policy=policy.default)
    assert parsed["Subject"] == SUBJECT_JA
    assert parsed.get_body(preferencelist=("plain",)) is not None
    again = Path(deliver_for(_message(config), config))  # --force in the same second
    assert again.name == "20261114-090000-sakura-cycle3-2.eml" and where.exists()


def test_an_unwritable_outbox_is_a_mail_error(tmp_path: Path) -> None:
    """The outbox path is a file, not a folder → MailError naming it."""
    config = write_config(tmp_path)
    (tmp_path / "outbox").write_text("not a folder", encoding="utf-8")
    with pytest.raises(MailError, match="outbox"):
        deliver_for(_message(config), config)
