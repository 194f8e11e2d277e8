"""The five chats, each posting a `ChatView` the way its documentation describes.

Slack, Google Chat and Teams take an incoming-webhook URL (the URL is the secret); Chatwork an
API token in a header; LINE WORKS a bot's access token from its service account. Every request
goes through `ChatHttp` (retries, words for failures). `key` is the message's stable id: Google
Chat creates one message per `requestId`, so a repeated post (a lost journal, a crash between
the post and the note) shows once; the others have no such key and may show a repeat once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Final, Protocol
from zoneinfo import ZoneInfo

from ...errors import ChatError
from ...words.core import tell
from ..chat_view import ChatTask, ChatView, plain
from . import formats, line_works_auth
from .http import ChatHttp
from .line_works_auth import ServiceAccount

log = logging.getLogger("sheets_sync.chat")

CHATWORK_URL: Final = "https://api.chatwork.com/v2"
LINE_WORKS_API_URL: Final = "https://www.worksapis.com/v1.0"
LINE_WORKS_AUTH_URL: Final = "https://auth.worksmobile.com/oauth2/v2.0/token"


class Service(Protocol):
    """A chat that can take a message."""

    def post(self, view: ChatView, key: str) -> None:
        """Post `view` (`key`: its stable id, for a service that deduplicates by one)."""
        ...


@dataclass(frozen=True)
class Webhook:
    """An incoming webhook posted one JSON body made by `body`: Slack's (`text` + `blocks`; the
    answer is `ok`) or Teams Workflows' ("When a Teams webhook request is received": a message
    whose one attachment is an Adaptive Card; the answer is 202 Accepted)."""

    url: str
    http: ChatHttp
    body: Callable[[ChatView], dict[str, Any]]

    def post(self, view: ChatView, key: str) -> None:
        self.http.post(self.url, json_body=self.body(view))


@dataclass(frozen=True)
class GoogleChatWebhook:
    """Google Chat incoming webhook: POST JSON `text`, with `requestId` = the message's key."""

    url: str
    http: ChatHttp

    def post(self, view: ChatView, key: str) -> None:
        self.http.post(self.url, json_body=formats.google_chat(view), params={"requestId": key})


@dataclass(frozen=True)
class Chatwork:
    """Chatwork API v2: `POST /rooms/{room}/messages` (form field `body`, header
    `X-ChatWorkToken`); with `task = true` and an owner in `people`, the decided step becomes
    `POST /rooms/{room}/tasks` (`body`, `to_ids`, `limit`) due at the next meeting."""

    base_url: str
    room: str
    token: str
    http: ChatHttp
    tasks: bool = False
    people: tuple[tuple[str, int], ...] = ()
    zone: str = "Asia/Tokyo"

    def post(self, view: ChatView, key: str) -> None:
        headers = {"X-ChatWorkToken": self.token}
        url = f"{self.base_url.rstrip('/')}/rooms/{self.room}"
        form = {"body": formats.chatwork(view), "self_unread": "0"}
        self.http.post(f"{url}/messages", form=form, headers=headers)
        task = view.task if self.tasks else None
        if task is not None:
            self._task(task, url, headers)

    def _task(self, task: ChatTask, url: str, headers: dict[str, str]) -> None:
        """The step as a task for its owner; an owner not in `people` gets none (said in the
        log), and a refused task never undoes the message that went out."""
        account = self.account_of(task.owner)
        channel = self.http.target.channel.id
        if account is None:
            log.info("%s", tell("chat.task_no_account", channel=channel, owner=task.owner))
            return
        # The end of the meeting day in the client's zone: the task is due at that meeting.
        due = datetime.combine(task.due, time(23, 59), tzinfo=ZoneInfo(self.zone))
        form = {
            "body": formats.chatwork_task(task.step),
            "to_ids": str(account),
            "limit": str(int(due.timestamp())),
            "limit_type": "date",
        }
        try:
            self.http.post(f"{url}/tasks", form=form, headers=headers)
        except ChatError as error:
            log.warning("%s", tell("chat.task_failed", channel=channel, error=error))

    def account_of(self, owner: str) -> int | None:
        wanted = plain(owner).casefold()
        return next((aid for name, aid in self.people if plain(name).casefold() == wanted), None)


@dataclass(frozen=True)
class LineWorks:
    """LINE WORKS API 2.0: `POST /bots/{bot}/channels/{channel}/messages` with a bearer token
    and `content.type = "text"`."""

    api_url: str
    bot: str
    channel: str
    account: ServiceAccount
    http: ChatHttp

    def post(self, view: ChatView, key: str) -> None:
        url = f"{self.api_url.rstrip('/')}/bots/{self.bot}/channels/{self.channel}/messages"
        body = formats.line_works(view)
        for attempt in (1, 2):
            token = line_works_auth.access_token(self.account, self.http)
            headers = {"Authorization": f"Bearer {token}"}
            try:
                self.http.post(url, json_body=body, headers=headers)
                return
            except ChatError as error:
                # A token revoked or expired early: sign in again, once.
                if attempt == 2 or error.phrase.fields.get("status") != 401:
                    raise
                line_works_auth.forget(self.account)
