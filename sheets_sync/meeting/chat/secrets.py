"""A channel's secrets, only from environment variables or a key file, and never shown.

Each value read is handed to `redact.remember_secret` (with the parts of a webhook URL a log line
might quote alone: its path, its query and each query value), so a log line, an error or a
traceback that carries one prints `***` instead.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from ...errors import ChatError
from ...util.redact import remember_secret
from .http import Target

LOOPBACK = ("127.0.0.1", "localhost", "::1")  # a local test server or relay may use plain http


def from_env(variable: str, target: Target, environ: Mapping[str, str] | None = None) -> str:
    """The value of `variable`, remembered as a secret; ChatError when it is unset or blank, or
    is no single word of printable ASCII (every token, id and webhook URL is one; full-width
    letters or a line break inside would fail deep in the HTTP library instead)."""
    value = (environ if environ is not None else os.environ).get(variable, "").strip()
    if not value:
        raise ChatError(
            "chat_env_unset", channel=target.channel.id, service=target.service, variable=variable
        )
    remember_secret(value)
    if not (value.isascii() and value.isprintable()) or any(c.isspace() for c in value):
        raise ChatError(
            "chat_env_malformed",
            channel=target.channel.id,
            service=target.service,
            variable=variable,
        )
    return value


def webhook_url(variable: str, target: Target, environ: Mapping[str, str] | None = None) -> str:
    """An incoming-webhook URL from `variable`: https (plain http only to this machine)."""
    url = from_env(variable, target, environ)
    try:
        parts = urlsplit(url)
        secure = parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in LOOPBACK)
        secure = secure and parts.port != 0  # .port raises ValueError past 65535
    except ValueError:  # "[::1" and other hosts that do not parse
        secure = False
    if not (secure and parts.hostname):
        raise ChatError(
            "chat_webhook_not_https",
            channel=target.channel.id,
            service=target.service,
            variable=variable,
        )
    for piece in (parts.path, parts.query, f"{parts.path}?{parts.query}"):
        remember_secret(piece if len(piece) > 8 else None)
    for _, value in parse_qsl(parts.query):
        remember_secret(value)
    return url


def key_file(path: Path, target: Target) -> str:
    """A private key (PEM) from its file; ChatError saying which file when it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or type(error).__name__
        raise ChatError(
            "chat_key_unreadable",
            channel=target.channel.id,
            service=target.service,
            path=path.name,  # the Log shows this: a file name, not the machine's folders
            reason=reason,
        ) from None
    if "PRIVATE KEY-----" not in text:
        raise ChatError(
            "chat_key_not_pem", channel=target.channel.id, service=target.service, path=path.name
        )
    remember_secret(text.strip())
    return text
