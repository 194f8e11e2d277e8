"""Team chats: each [[chat]] table of a client (Slack, Google Chat, Teams, Chatwork, LINE WORKS)
is an outlet of the send step, posted the short form of every message the mail carries."""

from __future__ import annotations

from .http import ChatHttp, Target
from .outlet import ChatOutlet, chat_outlets, request_id

__all__ = [
    "ChatHttp",
    "ChatOutlet",
    "Target",
    "chat_outlets",
    "request_id",
]
