"""Mail addresses as RFC 5322 reads them: a display name may hold commas, semicolons and quotes,
one entry is one address, and new-client splits a list as the standard library does."""

from __future__ import annotations

import tomllib
from email.headerregistry import Address
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.errors import ConfigError
from sheets_sync.meeting import build_message, render_agenda
from sheets_sync.util.addresses import NotAnAddress, one_address, parse_addresses, split_addresses
from tests.support.agenda_fixtures import NOW, make_report, write_config

DESK = '"Sakura, KPI desk" <kpi@x.jp>'


@pytest.mark.parametrize(
    ("text", "name", "spec"),
    [
        (DESK, "Sakura, KPI desk", "kpi@x.jp"),
        ('"Sakura; desk" <kpi@x.jp>', "Sakura; desk", "kpi@x.jp"),
        ('"say \\"hi\\"" <kpi@x.jp>', 'say "hi"', "kpi@x.jp"),
        ("さくら珈琲 KPI <kpi@x.jp>", "さくら珈琲 KPI", "kpi@x.jp"),
        ("kpi@x.jp", "", "kpi@x.jp"),
        ("<kpi@x.jp>", "", "kpi@x.jp"),
    ],
)
def test_one_address_with_any_display_name(text: str, name: str, spec: str) -> None:
    """A quoted display name may hold , ; and quotes: still one address."""
    found = one_address(text)
    assert (found.display_name, found.addr_spec) == (name, spec)


@pytest.mark.parametrize(
    "text",
    [
        "Sakura, KPI desk <kpi@x.jp>",  # an unquoted comma: "Sakura" is a second, broken one
        "a@x.jp, b@x.jp",
        "a@x.jp; b@x.jp",
        "kpi@",
        "@x.jp",
        "a b@x.jp",
        "",
        "kpi@x.jp\r\nBcc: y@z.jp",
        '"unclosed <kpi@x.jp>',
    ],
)
def test_anything_but_one_whole_address_is_refused(text: str) -> None:
    """Two addresses, a broken one or a header smuggled in: NotAnAddress, never a guess."""
    with pytest.raises(NotAnAddress):
        one_address(text)


_NAMES = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=40
).map(lambda text: " ".join(text.split()))


@given(_NAMES.filter(bool), st.from_regex(r"[a-z0-9][a-z0-9._-]{0,10}", fullmatch=True))
def test_any_display_name_written_as_a_header_would_reads_back(name: str, user: str) -> None:
    """Whatever the name (commas, semicolons, quotes, Japanese), the address as a mail header
    writes it is read back as exactly one address with that name."""
    user = user.rstrip(".") or "k"
    if ".." in user:
        return  # not a dot-atom local part: no header writes it unquoted
    written = str(Address(display_name=name, username=user, domain="x.jp"))
    found = one_address(written)
    assert (found.display_name, found.username, found.domain) == (name, user, "x.jp")


def test_the_config_takes_a_display_name_with_a_comma(tmp_path: Path) -> None:
    """`from = '"Sakura, KPI desk" <kpi@x.jp>'` loads; the agenda's From header carries that
    name and address, and the invite's organizer is that address. (It used to be refused.)"""
    config = write_config(tmp_path)
    text = config.path.read_text(encoding="utf-8")
    text = text.replace('from = "さくら珈琲 KPI <kpi@sakura.example.jp>"', f"from = '{DESK}'")
    config.path.write_text(text, encoding="utf-8")
    loaded = load_config(config.path)
    assert loaded.mail.sender == DESK
    message = build_message(render_agenda(make_report("ja"), loaded), loaded, now=NOW)
    (sender,) = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Sakura, KPI desk", "kpi@x.jp")
    calendars = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    payload = calendars[0].get_payload(decode=True)
    assert isinstance(payload, bytes)
    organizer = next(line for line in payload.decode().splitlines() if "ORGANIZER" in line)
    assert organizer == 'ORGANIZER;CN="Sakura, KPI desk":mailto:kpi@x.jp'


def test_a_second_address_in_one_config_entry_is_still_refused(tmp_path: Path) -> None:
    """`to = ["a@x.jp, b@x.jp"]` hides a second recipient in one entry: a config error naming
    mail.to (one address per entry), as before."""
    config = write_config(tmp_path)
    text = config.path.read_text(encoding="utf-8")
    text = text.replace("to = [", 'to = ["a@x.jp, b@x.jp", ', 1)
    config.path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=r"mail\.to"):
        load_config(config.path)


def test_new_client_splits_to_as_rfc_5322_reads_it(tmp_path: Path) -> None:
    """`new-client --from '"Sakura, KPI desk" <kpi@x.jp>' --to 'a@x.jp, "B, C" <b@x.jp>'`:
    one sender, two recipients, in a config that loads."""
    result = CliRunner().invoke(
        main,
        ["new-client", "テスト店", "--config-dir", str(tmp_path), "--from", DESK,
         "--to", 'a@x.jp, "B, C" <b@x.jp>', "--cc", "c@x.jp"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    config = next(tmp_path.glob("*.toml"))
    mail = tomllib.loads(config.read_text(encoding="utf-8"))["mail"]
    assert mail["from"] == DESK and mail["to"] == ["a@x.jp", '"B, C" <b@x.jp>']
    assert load_config(config).mail.to == ("a@x.jp", '"B, C" <b@x.jp>')


def test_split_addresses_keeps_what_it_cannot_read_for_the_config_to_name() -> None:
    """A value that is no address list stays as typed (the config check then names it)."""
    assert split_addresses(["a@x.jp;b@x.jp", "c@x.jp , d@x.jp"]) == (
        "a@x.jp;b@x.jp", "c@x.jp", "d@x.jp"
    )  # fmt: skip
    assert [a.addr_spec for a in parse_addresses("g: e@x.jp, f@x.jp;")] == ["e@x.jp", "f@x.jp"]
