"""A client's TOML config → a validated, frozen `Config`; every mistake names the key and the
file. `client` loads it, `sections` and `chats` declare its tables, `base` says its problems."""

from __future__ import annotations

from .base import ConfigProblem, problems
from .chats import CHAT_KINDS, ChatworkChat, LineWorksChat, WebhookChat
from .client import (
    DEFAULT_TIMEZONE,
    Config,
    ConfigModel,
    check_client_name,
    config_from_dict,
    language_of,
    load_config,
    local_today,
    slugify,
    spreadsheet_id,
    spreadsheet_url,
)
from .sections import DEFAULT_MINUTES, MailSettings, PortfolioSettings, SmtpSettings

__all__ = [
    "CHAT_KINDS",
    "DEFAULT_MINUTES",
    "DEFAULT_TIMEZONE",
    "ChatworkChat",
    "Config",
    "ConfigModel",
    "ConfigProblem",
    "LineWorksChat",
    "MailSettings",
    "PortfolioSettings",
    "SmtpSettings",
    "WebhookChat",
    "check_client_name",
    "config_from_dict",
    "language_of",
    "load_config",
    "local_today",
    "problems",
    "slugify",
    "spreadsheet_id",
    "spreadsheet_url",
]
