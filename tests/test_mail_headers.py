"""Mail headers that must arrive exactly: a long Japanese Subject, and each recipient once."""

from __future__ import annotations

from collections.abc import Iterator
from email import message_from_bytes, policy
from email.headerregistry import Address
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheets_sync.config import Config, load_config
from sheets_sync.meeting import build_message, deliver_for, render_agenda
from sheets_sync.meeting.mail_policy import MAIL_POLICY
from sheets_sync.sheet.schema import Lang
from tests.support.agenda_fixtures import NOW, make_report, write_config
from tests.support.smtp_server import Server, serve

SUBJECT = {
    "ja": "[{client}] 15分ミーティング 11月15日(日) — サイクル3",
    "en": "[{client}] 15-minute meeting Sun 15 Nov — cycle 3",
}
NAME_CHARACTERS = {"ja": "さくら珈琲店", "en": "w"}


@pytest.fixture(scope="module")
def smtp_server() -> Iterator[Server]:
    """One real SMTP server (aiosmtpd) for the module's many small sends."""
    yield from serve()


def _client_name(lang: Lang, length: int) -> str:
    letters = NAME_CHARACTERS[lang]
    return "".join(letters[i % len(letters)] for i in range(length))


def _config(folder: Path, lang: Lang, client: str, port: int | None = None) -> Config:
    """The client's config, its own name in From and in the owner's display name in To."""
    smtp = None
    if port is not None:
        smtp = {"host": "127.0.0.1", "port": port, "security": "none", "timeout": 5}
    config = write_config(
        folder,
        language=lang,
        client=client,
        images=False,
        transport="outbox" if port is None else "smtp",
        smtp=smtp,
    )
    text = config.path.read_text(encoding="utf-8")
    text = text.replace("さくら珈琲 KPI <", f"{client} KPI <").replace("店長 <", f"店長 {client} <")
    config.path.write_text(text, encoding="utf-8")
    return load_config(config.path)


def _people(message: EmailMessage) -> list[tuple[str, str, str]]:
    return [
        (header, address.display_name, address.addr_spec)
        for header in ("From", "To", "Cc")
        if message[header] is not None
        for address in message[header].addresses
    ]


def _intended_people(client: str) -> list[tuple[str, str, str]]:
    return [
        ("From", f"{client} KPI", "kpi@sakura.example.jp"),
        ("To", "", "team@sakura.example.jp"),
        ("To", f"店長 {client}", "owner@sakura.example.jp"),
    ]


def _message(config: Config, lang: Lang) -> EmailMessage:
    return build_message(render_agenda(make_report(lang), config), config, now=NOW)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("length", range(1, 41))
def test_a_long_subject_arrives_exactly_over_smtp_and_in_the_outbox(
    tmp_path: Path, smtp_server: Server, lang: Lang, length: int
) -> None:
    """Client names of 1–40 characters: wherever the header fold falls, the Subject parsed back
    from what the SMTP server received and from the outbox .eml is the intended one, spaces
    and all (a fold once ate the space in "— サイクル4"); so are the From and To names and
    addresses (a fold once encoded the comma between two recipients, hiding the second)."""
    client = _client_name(lang, length)
    intended = SUBJECT[lang].format(client=client)
    before = len(smtp_server.collector.envelopes)
    over_smtp = _config(tmp_path, lang, client, smtp_server.port)
    deliver_for(_message(over_smtp, lang), over_smtp, password_env={})
    envelope = smtp_server.collector.envelopes[before]
    arrived = message_from_bytes(envelope.content, policy=policy.default)
    assert arrived["Subject"] == intended
    assert _people(arrived) == _intended_people(client)
    outbox = _config(tmp_path, lang, client)
    eml = Path(deliver_for(_message(outbox, lang), outbox))
    raw = eml.read_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert parsed["Subject"] == intended
    assert _people(parsed) == _intended_people(client)
    subject_lines = raw.split(b"\r\nFrom:")[0].split(b"Subject:")[1].split(b"\r\n")
    assert max(len(line) for line in subject_lines) <= 78  # folded, not one long line
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998


_SUBJECT_TEXT = st.text(
    alphabet=st.sampled_from(list("ab 15分ミーティングサイクル—[]-:　珈琲")),
    min_size=1,
    max_size=120,
).map(lambda text: " ".join(text.split(" ")).strip())


_NAME_TEXT = st.text(
    alphabet=st.sampled_from(list('ab 店長珈琲—,."()<>@;:　1')), min_size=1, max_size=60
).map(lambda text: " ".join(text.split()))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(_SUBJECT_TEXT.filter(bool))
def test_any_subject_reads_back_exactly(subject: str) -> None:
    """Any mix of Japanese, ASCII, spaces and dashes survives folding and parsing unchanged."""
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = subject
    message["From"] = "kpi@sakura.example.jp"
    message.set_content("x")
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert parsed["Subject"] == subject


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(st.lists(_NAME_TEXT.filter(bool), min_size=1, max_size=4))
def test_any_display_names_read_back_exactly(names: list[str]) -> None:
    """Japanese, ASCII, spaces, quotes and commas in display names: every recipient of To
    reads back with its own name and address, none merged or lost. (Runs of spaces are one
    space, as in any unquoted name, which readers collapse anyway.)"""
    people = [(name, f"p{number}@sakura.example.jp") for number, name in enumerate(names)]
    message = EmailMessage(policy=MAIL_POLICY)
    message["Subject"] = "x"
    message["From"] = Address(display_name=names[0], addr_spec="kpi@sakura.example.jp")
    message["To"] = [Address(display_name=name, addr_spec=spec) for name, spec in people]
    message.set_content("x")
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert [(a.display_name, a.addr_spec) for a in parsed["To"].addresses] == people
    assert parsed["From"].addresses[0].display_name == names[0]


# -- each recipient once --------------------------------------------------------------------
CC = '["x@y.jp", "OWNER@sakura.EXAMPLE.jp", "cc@y.jp", "Cc@Y.jp"]'


def _duplicated_config(folder: Path, port: int, cc: str = CC) -> Config:
    path = folder / "dup.toml"
    path.write_text(
        "\n".join([
            'client = "さくら珈琲"', 'language = "ja"', 'timezone = "Asia/Tokyo"', "",
            "[sheet]", 'backend = "xlsx"', 'path = "sakura.xlsx"', "",
            "[mail]", 'transport = "smtp"', 'from = "kpi@sakura.example.jp"',
            'to = ["x@y.jp", "X@y.jp", "店長 <owner@Sakura.example.jp>"]',
            f"cc = {cc}",
            "images = false", "",
            "[mail.smtp]", 'host = "127.0.0.1"', f"port = {port}", 'security = "none"',
        ]) + "\n",
        encoding="utf-8",
    )  # fmt: skip
    return load_config(path)


def test_duplicate_recipients_get_one_copy_each(tmp_path: Path, smtp_server: Server) -> None:
    """to = [x@y.jp, X@y.jp], cc repeating them: one RCPT TO per person (case ignored), and
    the headers list each once, in the first spelling, To before Cc."""
    config = _duplicated_config(tmp_path, smtp_server.port)
    before = len(smtp_server.collector.envelopes)
    deliver_for(_message(config, "ja"), config, password_env={})
    envelope: Any = smtp_server.collector.envelopes[before]
    assert envelope.rcpt_tos == ["x@y.jp", "owner@Sakura.example.jp", "cc@y.jp"]
    arrived = message_from_bytes(envelope.content, policy=policy.default)
    assert [a.addr_spec for a in arrived["To"].addresses] == ["x@y.jp", "owner@Sakura.example.jp"]
    assert [a.addr_spec for a in arrived["Cc"].addresses] == ["cc@y.jp"]


def test_a_cc_list_made_only_of_to_addresses_leaves_no_cc_header(tmp_path: Path) -> None:
    """Everyone in Cc is already in To: the message has no (empty) Cc header at all."""
    config = _duplicated_config(tmp_path, 25, cc='["X@Y.JP"]')
    message = _message(config, "ja")
    assert message["Cc"] is None
    assert [a.addr_spec for a in message["To"].addresses] == ["x@y.jp", "owner@Sakura.example.jp"]
