"""The consultant's side of chat channels: `chat-test` posts one short message to each channel
(or one) so its arrival can be seen during onboarding; `doctor` checks every channel's settings
and variables without posting; sync-all's table and the portfolio name a failed channel; and a
message with no short form of its own still reaches every chat."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner, Result

from sheets_sync import api
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.core.sends import MessageKind, SendHistory, Sent, Skipped
from sheets_sync.meeting.render import RenderedAgenda
from sheets_sync.run.options import RunOptions, SendPolicy
from sheets_sync.run.sending import Draft, SendContext, send_due
from sheets_sync.run.sync import render_only
from tests.support.chat_fixtures import CHANNELS, CHAT_TABLES, KEY_FILE, Chats, chats
from tests.support.workbooks import baseline, config_file, write_xlsx

__all__ = ["chats"]  # the fixture, imported for pytest

DUE_DAY = date(2026, 11, 21)


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def client(folder: Path, tables: str = CHAT_TABLES, name: str = "client.toml") -> Path:
    write_xlsx(folder / "book.xlsx", baseline())
    return config_file(folder, extra=tables).rename(folder / name)


# -- chat-test ----------------------------------------------------------------------------------
def test_chat_test_posts_one_short_message_to_every_channel(tmp_path: Path, chats: Chats) -> None:
    """Each chat gets one test message naming the client; nothing is recorded (no Log row, no
    journal); each channel is said with ✓; exit 0."""
    config = client(tmp_path)
    result = invoke("chat-test", "--config", str(config))
    assert result.exit_code == 0, result.output
    assert chats.agendas() == dict.fromkeys(CHANNELS, 1)
    assert [line[:2] for line in result.output.splitlines()] == ["✓ "] * 5
    assert "テスト店：sheets-sync のテストです" in chats.line_works.messages[0]
    assert not (tmp_path / "outbox").exists() and not list(tmp_path.glob(".*.agenda-sent.json"))


def test_chat_test_twice_posts_twice_even_on_google_chat(tmp_path: Path, chats: Chats) -> None:
    """A test is no agenda: each one is new (Google Chat gets a fresh requestId every time)."""
    config = client(tmp_path)
    for _ in range(2):
        invoke("chat-test", "--config", str(config), "--channel", "2")
    assert len(chats.google_chat.messages) == 2 and len(chats.slack.messages) == 0


def test_chat_test_says_which_channel_failed_and_exits_4(tmp_path: Path, chats: Chats) -> None:
    """A channel that answers 500 every time: ✗ with the channel and why, the others ✓, exit 4."""
    chats.teams.fail_next(*["500"] * 4)
    result = invoke("chat-test", "--config", str(client(tmp_path)))
    assert result.exit_code == 4
    assert "✗ chat:3:teams" in result.output and "HTTP 500" in result.output
    assert result.output.count("✓") == 4


@pytest.mark.parametrize(("tables", "channel"), [("", "1"), (CHAT_TABLES, "6")])
def test_chat_test_without_such_a_channel_is_a_usage_error(
    tmp_path: Path, chats: Chats, tables: str, channel: str
) -> None:
    """No [[chat]] at all, or --channel past the last one: exit 2 saying so; nothing posted."""
    result = invoke("chat-test", "--config", str(client(tmp_path, tables)), "--channel", channel)
    assert result.exit_code == 2 and "[[chat]]" in result.output
    assert chats.agendas() == dict.fromkeys(CHANNELS, 0)


# -- doctor ---------------------------------------------------------------------------------
def test_doctor_checks_each_channel_without_posting(
    tmp_path: Path, chats: Chats, monkeypatch: pytest.MonkeyPatch
) -> None:
    """All set: one ✓ per channel, nothing posted. A variable unset and a key file that is no
    key: ✗ naming the channel and what is wrong (exit 4), still nothing posted."""
    config = client(tmp_path)
    lines = [f.line() for f in api.doctor(config) if f.area == "chat"]
    assert len(lines) == 5 and all(line.startswith("✓ chat: chat:") for line in lines)
    monkeypatch.delenv("SAKURA_TEAMS_WEBHOOK")
    (tmp_path / KEY_FILE).write_text("not a key", encoding="utf-8")
    failed = [f for f in api.doctor(config) if f.area == "chat" and not f.ok]
    assert [f.exit_code for f in failed] == [4, 4]
    assert "chat:3:teams" in failed[0].message and "SAKURA_TEAMS_WEBHOOK" in failed[0].message
    assert "chat:5:line_works" in failed[1].message and KEY_FILE in failed[1].message
    assert chats.agendas() == dict.fromkeys(CHANNELS, 0)


def test_doctor_notes_a_task_setting_without_people(tmp_path: Path, chats: Chats) -> None:
    """task = true with an empty people table: a note that no task will be made."""
    tables = CHAT_TABLES.replace('people = { "佐藤" = 1234567 }', "")
    notes = [f.message for f in api.doctor(client(tmp_path, tables)) if f.area == "chat"]
    assert any("people is empty" in note for note in notes)


# -- sync-all and the portfolio ---------------------------------------------------------------
def test_sync_all_and_the_portfolio_name_a_failed_channel(tmp_path: Path, chats: Chats) -> None:
    """Chatwork down during sync-all: the client's row is `agenda failed` (exit 4) naming
    chat:4:chatwork, and the portfolio gives that as its reason."""
    client(tmp_path, name="sakura.toml")
    chats.chatwork.fail_next(*["500"] * 4)
    outcome = api.sync_all(tmp_path, as_of=DUE_DAY)
    assert outcome.exit_code == 4
    [row] = outcome.runs
    assert row.outcome == "agenda failed" and "chat:4:chatwork" in row.message
    assert "chat:4:chatwork" in outcome.table()
    with (tmp_path / "portfolio.csv").open(encoding="utf-8-sig", newline="") as stream:
        [portfolio] = list(csv.DictReader(stream))
    assert "chat:4:chatwork" in portfolio["reason"]


# -- a message with no short form of its own ------------------------------------------------
class Announcement:
    """A stand-in for a message kind the chats know nothing about (its renderer gives no
    chat form): due now, rendered as a mail only."""

    kind = MessageKind.AGENDA
    fails_run_when_blocked = True

    def due(self, run: SendContext) -> Draft:
        def render() -> RenderedAgenda:
            text = "お知らせの1行目です。\n\n2行目です。\n"
            return RenderedAgenda("テスト店 お知らせ", text, "<p>…</p>", {}, cycle=2)

        return Draft(self.kind, 2, render)


def test_a_message_without_a_chat_form_reaches_every_chat_from_its_text(
    tmp_path: Path, chats: Chats
) -> None:
    """Every chat gets it, made from its subject and first lines — a new kind of message needs
    no chat code to reach the chats."""
    config = load_config(client(tmp_path))
    options = RunOptions(as_of=DUE_DAY)
    report, _ = render_only(config, options)
    now = datetime(2026, 11, 21, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    context = SendContext(
        config, report, DUE_DAY, now, SendPolicy.NOW, options, SendHistory(), None
    )
    step = send_due(context, (Announcement(),))
    assert all(isinstance(d.result, Sent) for d in step.deliveries), step.deliveries
    assert not any(isinstance(d.result, Skipped) for d in step.deliveries)
    assert chats.agendas() == dict.fromkeys(CHANNELS, 1)
    assert chats.line_works.messages[0].splitlines()[:3] == [
        "テスト店 お知らせ",
        "お知らせの1行目です。",
        "2行目です。",
    ]


def test_agenda_send_posts_to_the_chats_too_and_exits_4_naming_a_failed_one(
    tmp_path: Path, chats: Chats
) -> None:
    """`agenda --send`: the mail and every chat get the agenda now; with LINE WORKS down the
    command exits 4 naming chat:5:line_works, the others got it once."""
    config = client(tmp_path)
    chats.line_works.fail_next(*["500"] * 4)
    result = invoke("agenda", "--config", str(config), "--as-of", "2026-11-21", "--send")
    assert result.exit_code == 4 and "chat:5:line_works" in result.stderr
    assert chats.agendas() == {**dict.fromkeys(CHANNELS, 1), "chat:5:line_works": 0}
    assert len(list((tmp_path / "outbox").glob("*.eml"))) == 1
