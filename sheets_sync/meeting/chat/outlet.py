"""Each [[chat]] table of a client as an outlet of the send step: its channel, which messages it
takes, and how a rendered message is posted there.

Secrets are read when a message is posted (not when the config loads), so a missing variable
fails that channel only — the sheet, the mail and the other channels go on, and the run exits 4
naming the channel.
"""

from __future__ import annotations

import hashlib
import os
import time
from dataclasses import dataclass
from typing import Final, Protocol

from ...config import ChatworkChat, Config, LineWorksChat, WebhookChat
from ...core.report import Report
from ...core.sends import Channel, MessageKind
from ...errors import ChatError
from ...words.core import say
from ..chat_view import ChatView, sheet_link
from ..render import RenderedAgenda
from . import formats, secrets
from .http import ChatHttp, Target
from .line_works_auth import ServiceAccount, assertion
from .services import (
    CHATWORK_URL,
    LINE_WORKS_API_URL,
    LINE_WORKS_AUTH_URL,
    Chatwork,
    GoogleChatWebhook,
    LineWorks,
    Service,
    Webhook,
)

# Base-URL overrides for tests and private deployments (like SHEETS_EMULATOR_HOST for Google).
CHATWORK_URL_ENV: Final = "SHEETS_SYNC_CHATWORK_URL"
LINE_WORKS_API_URL_ENV: Final = "SHEETS_SYNC_LINE_WORKS_API_URL"
LINE_WORKS_AUTH_URL_ENV: Final = "SHEETS_SYNC_LINE_WORKS_AUTH_URL"

ChatSettings = WebhookChat | ChatworkChat | LineWorksChat


def channel_of(number: int, settings: ChatSettings) -> Channel:
    """The channel of the `number`-th [[chat]] table (1 = the first)."""
    return Channel.chat(number, settings.kind)


# Each kind's service by its own name (config.CHAT_KINDS).
_SERVICE_WORDS: Final[dict[str, str]] = {
    "slack": "chat.service.slack",
    "google_chat": "chat.service.google_chat",
    "teams": "chat.service.teams",
    "chatwork": "chat.service.chatwork",
    "line_works": "chat.service.line_works",
}


def target_of(number: int, settings: ChatSettings) -> Target:
    return Target(channel_of(number, settings), say(_SERVICE_WORDS[settings.kind], "en"))


class RunFacts(Protocol):
    """What posting needs to know of the run (the send step's context has it)."""

    @property
    def report(self) -> Report: ...


@dataclass(frozen=True)
class ChatOutlet:
    """One chat channel of a client."""

    config: Config
    number: int
    settings: ChatSettings

    @property
    def channel(self) -> Channel:
        return channel_of(self.number, self.settings)

    def takes(self, kind: MessageKind) -> bool:
        """Whether this channel's `send` list names the message (`agenda`, `follow_up` …)."""
        return kind.name.lower() in self.settings.send

    def deliver(self, rendered: RenderedAgenda, kind: MessageKind, run: RunFacts) -> str:
        """Post the message; return the channel (the Log's details), or raise ChatError."""
        link = sheet_link(run.report.sheet_url, self.config.language)
        # A decided step travels as the follow-up's task (for a chat that keeps tasks) only.
        view = rendered.chat or ChatView.from_text(rendered.subject, rendered.text, link)
        self.service().post(view, request_id(self.config, rendered.cycle, kind, self.channel))
        return self.channel.id

    def service(self) -> Service:
        """The chat to post to, with its secrets read now (ChatError naming what is missing)."""
        return build_service(self.config, self.number, self.settings)

    def check(self) -> None:
        """`doctor`: every setting and secret in place, without posting (ChatError if not); a
        LINE WORKS key is made to sign an assertion, as signing in would."""
        service = self.service()
        if isinstance(service, LineWorks):
            target = service.http.target
            try:
                assertion(service.account, time.time())
            except (ValueError, TypeError, IndexError):
                raise ChatError(
                    "chat_key_rejected", channel=target.channel.id, service=target.service
                ) from None


def chat_outlets(config: Config) -> tuple[ChatOutlet, ...]:
    """Every [[chat]] table of the client, in the file's order."""
    return tuple(
        ChatOutlet(config, number, settings) for number, settings in enumerate(config.chat, start=1)
    )


def build_service(config: Config, number: int, settings: ChatSettings) -> Service:
    target = target_of(number, settings)
    http = ChatHttp(target)
    if isinstance(settings, WebhookChat):
        url = secrets.webhook_url(settings.webhook_env, target)
        if settings.kind == "google_chat":
            return GoogleChatWebhook(url, http)
        return Webhook(url, http, formats.slack if settings.kind == "slack" else formats.teams)
    if isinstance(settings, ChatworkChat):
        return Chatwork(
            os.environ.get(CHATWORK_URL_ENV) or CHATWORK_URL,
            settings.room,
            secrets.from_env(settings.token_env, target),
            http,
            tasks=settings.task,
            people=tuple(settings.people.items()),
            zone=config.model.timezone,
        )
    key_path = config.inside_folder(
        settings.private_key_file, "chat.line_works.private_key_file", absolute_ok=True
    )
    account = ServiceAccount(
        os.environ.get(LINE_WORKS_AUTH_URL_ENV) or LINE_WORKS_AUTH_URL,
        secrets.from_env(settings.client_id_env, target),
        secrets.from_env(settings.client_secret_env, target),
        secrets.from_env(settings.service_account_env, target),
        secrets.key_file(key_path, target),
    )
    api = os.environ.get(LINE_WORKS_API_URL_ENV) or LINE_WORKS_API_URL
    return LineWorks(api, settings.bot, settings.channel, account, http)


def request_id(config: Config, cycle: int, kind: MessageKind, channel: Channel) -> str:
    """The message's stable id: the same client (config file and name), cycle, message and
    channel give the same id on every run, so Google Chat shows a repeated post once."""
    seed = "\0".join((config.slug, config.client, str(cycle), kind.name.lower(), channel.id))
    return "sheets-sync-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:32]
