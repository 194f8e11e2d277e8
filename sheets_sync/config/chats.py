"""A client's [[chat]] tables: one per channel (Slack, Google Chat, Teams, Chatwork, LINE WORKS),
each naming where its secrets are read from, never holding one."""

from __future__ import annotations

import re
from typing import Annotated, Any, Final, Literal

from pydantic import Field, field_validator, model_validator

from .base import ConfigProblem, Strict

CHAT_KINDS: Final = ("slack", "google_chat", "teams", "chatwork", "line_works")
# What a channel may be sent: each message's name in `send = [...]`.
CHAT_MESSAGES: Final = ("agenda", "reminder", "follow_up")
ENV_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Keys someone might type a secret under: a secret never lives in the file (it would end up in
# backups, screenshots and version control), so each is refused with where it goes instead.
SECRET_KEYS: Final[dict[str, str]] = {
    "webhook": "webhook_env",
    "webhook_url": "webhook_env",
    "url": "webhook_env",
    "token": "token_env",
    "api_token": "token_env",
    "client_id": "client_id_env",
    "client_secret": "client_secret_env",
    "secret": "client_secret_env",
    "service_account": "service_account_env",
    "private_key": "private_key_file",
    "password": "token_env",
}


def _ascii_digits(value: Any, problem: ConfigProblem) -> str:
    """An id of ASCII digits, typed as a number or as text (full-width digits are refused:
    the service would not find the room or bot); else `problem`."""
    text = str(value).strip()
    if not text.isdigit() or not text.isascii():
        raise problem
    return text


class _Chat(Strict):
    """What every [[chat]] table has: which messages it is sent (all of them by default)."""

    send: tuple[Literal["agenda", "reminder", "follow_up"], ...] = CHAT_MESSAGES

    @model_validator(mode="before")
    @classmethod
    def _no_secret_in_the_file(cls, raw: Any) -> Any:
        """A secret typed into the file is refused naming the key, never echoing the value."""
        if not isinstance(raw, dict):
            return raw
        for key, value in raw.items():
            if key in SECRET_KEYS:
                raise ConfigProblem("chat_secret_in_file", key=key, instead=SECRET_KEYS[key])
            if key.endswith("_env") and not (isinstance(value, str) and ENV_NAME.match(value)):
                raise ConfigProblem("chat_env_not_a_name", key=key)
            if key.endswith("_file") and str(value).lstrip().startswith("-----BEGIN"):
                raise ConfigProblem("chat_secret_in_file", key=key, instead=key)
        return raw

    @field_validator("send")
    @classmethod
    def _sends_something(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or len(set(value)) != len(value):
            raise ConfigProblem("chat_send_list", names=", ".join(CHAT_MESSAGES))
        return value


class WebhookChat(_Chat):
    """Slack, Google Chat or Teams: an incoming-webhook URL, from an environment variable."""

    kind: Literal["slack", "google_chat", "teams"]
    webhook_env: str


class ChatworkChat(_Chat):
    """A Chatwork room, posted to with an API token from an environment variable."""

    kind: Literal["chatwork"]
    room: str
    token_env: str
    task: bool = False  # the decided next step becomes a task for its owner
    people: dict[str, int] = Field(default_factory=dict)  # owner name → Chatwork account id

    @field_validator("room", mode="before")
    @classmethod
    def _room_is_digits(cls, value: Any) -> str:
        return _ascii_digits(value, ConfigProblem("chatwork_room"))


class LineWorksChat(_Chat):
    """A LINE WORKS talk room the bot was added to; the service account signs in with a key."""

    kind: Literal["line_works"]
    bot: str
    channel: str
    client_id_env: str
    client_secret_env: str
    service_account_env: str
    private_key_file: str

    @field_validator("bot", mode="before")
    @classmethod
    def _bot_is_digits(cls, value: Any) -> str:
        return _ascii_digits(value, ConfigProblem("line_works_bot"))


ChatSettings = Annotated[WebhookChat | ChatworkChat | LineWorksChat, Field(discriminator="kind")]
