"""The five chat fakes running, the environment pointing at them, and a client config with one
[[chat]] table per service (import the fixtures into a test module to use them)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from sheets_sync.meeting.chat import line_works_auth
from sheets_sync.meeting.chat.http import ChatHttp
from tests.fake_chat import (
    FakeChatwork,
    FakeGoogleChat,
    FakeLineWorks,
    FakeSlack,
    FakeTeams,
    private_key_pem,
)
from tests.fake_chat import chatwork as cw
from tests.fake_chat import google_chat as gc
from tests.fake_chat import line_works as lw
from tests.fake_chat import slack as sl
from tests.fake_chat import teams as tm

KEY_FILE = "lineworks-private.key"
# One table per service, in this order: chat:1:slack … chat:5:line_works.
CHAT_TABLES = f"""
[[chat]]
kind = "slack"
webhook_env = "SAKURA_SLACK_WEBHOOK"

[[chat]]
kind = "google_chat"
webhook_env = "SAKURA_GCHAT_WEBHOOK"

[[chat]]
kind = "teams"
webhook_env = "SAKURA_TEAMS_WEBHOOK"

[[chat]]
kind = "chatwork"
room = "{cw.ROOM}"
token_env = "SAKURA_CHATWORK_TOKEN"
task = true
people = {{ "佐藤" = 1234567 }}

[[chat]]
kind = "line_works"
bot = "{lw.BOT}"
channel = "{lw.CHANNEL}"
client_id_env = "SAKURA_LW_CLIENT_ID"
client_secret_env = "SAKURA_LW_CLIENT_SECRET"
service_account_env = "SAKURA_LW_SERVICE_ACCOUNT"
private_key_file = "{KEY_FILE}"
"""
CHANNELS = ("chat:1:slack", "chat:2:google_chat", "chat:3:teams", "chat:4:chatwork",
            "chat:5:line_works")  # fmt: skip


@dataclass
class Chats:
    """The running fakes, the sleeps the retries asked for, and every secret handed out."""

    slack: FakeSlack
    google_chat: FakeGoogleChat
    teams: FakeTeams
    chatwork: FakeChatwork
    line_works: FakeLineWorks
    private_key: str
    slept: list[float] = field(default_factory=list)

    @property
    def secrets(self) -> list[str]:
        """What must never appear in any output: the webhook URLs (and the secret parts a log
        might quote alone), the token, the client secret, the key, the access tokens."""
        key_body = "".join(self.private_key.strip().splitlines()[1:-1])
        return [
            self.slack.webhook,
            sl.SECRET_PATH,
            self.google_chat.webhook,
            gc.KEY,
            gc.TOKEN,
            self.teams.webhook,
            tm.SIG,
            cw.TOKEN,
            lw.CLIENT_SECRET,
            key_body[:40],
            key_body[-40:],
            *self.line_works.tokens,
        ]

    def agendas(self) -> dict[str, int]:
        """How many messages each channel holds (Google Chat: one per request id)."""
        return {
            "chat:1:slack": len(self.slack.messages),
            "chat:2:google_chat": len(self.google_chat.messages),
            "chat:3:teams": len(self.teams.cards),
            "chat:4:chatwork": len(self.chatwork.messages),
            "chat:5:line_works": len(self.line_works.messages),
        }


@pytest.fixture
def chats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Chats]:
    """All five fakes up, their addresses and secrets in the environment, the LINE WORKS key
    beside the config, the retries' sleeps recorded instead of waited, no cached token."""
    private, public = private_key_pem()
    (tmp_path / KEY_FILE).write_text(private, encoding="utf-8")
    fakes = (FakeSlack(), FakeGoogleChat(), FakeTeams(), FakeChatwork(), FakeLineWorks(public))
    for fake in fakes:
        fake.start()
    slack, google_chat, teams, chatwork, line_works = fakes
    found = Chats(slack, google_chat, teams, chatwork, line_works, private)
    monkeypatch.setattr(ChatHttp, "sleep", staticmethod(found.slept.append))
    monkeypatch.setattr(line_works_auth, "_TOKENS", {})
    environment = {
        "SAKURA_SLACK_WEBHOOK": slack.webhook,
        "SAKURA_GCHAT_WEBHOOK": google_chat.webhook,
        "SAKURA_TEAMS_WEBHOOK": teams.webhook,
        "SAKURA_CHATWORK_TOKEN": cw.TOKEN,
        "SHEETS_SYNC_CHATWORK_URL": chatwork.base,
        "SAKURA_LW_CLIENT_ID": lw.CLIENT_ID,
        "SAKURA_LW_CLIENT_SECRET": lw.CLIENT_SECRET,
        "SAKURA_LW_SERVICE_ACCOUNT": lw.SERVICE_ACCOUNT,
        "SHEETS_SYNC_LINE_WORKS_API_URL": line_works.api,
        "SHEETS_SYNC_LINE_WORKS_AUTH_URL": line_works.auth,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    try:
        yield found
    finally:
        for fake in fakes:
            fake.stop()
