"""Secrets never reach a log line or an error message: passwords, private keys, tokens."""

from __future__ import annotations

import logging
import os
import re

_PATTERNS = (
    re.compile(
        r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)", re.DOTALL
    ),
    re.compile(r"(?i)(bearer\s+)[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(
        r'(?i)("?(access_token|refresh_token|id_token|private_key|password)"?\s*[:=]\s*)'
        r'("[^"]*"|\S+)'
    ),
    re.compile(r"ya29\.[A-Za-z0-9._-]+"),
)
_SECRET_ENV_HINTS = ("PASSWORD", "SECRET", "TOKEN", "PRIVATE_KEY")
_known_secrets: set[str] = set()


def remember_secret(value: str | None) -> None:
    """A value read from the environment that must never be printed."""
    if value and len(value) >= 4:
        _known_secrets.add(value)


def redact(text: str) -> str:
    """The text with every secret we know of, or that looks like one, replaced by ***."""
    for secret in _known_secrets | _secrets_from_env():
        text = text.replace(secret, "***")
    for pattern in _PATTERNS:
        text = pattern.sub(
            lambda m: (
                (
                    m.group(1)
                    if m.re.groups >= 1 and m.group(1) and not m.group(1).startswith("-----")
                    else ""
                )
                + "***"
            ),
            text,
        )
    return text


def _secrets_from_env() -> set[str]:
    return {
        value
        for name, value in os.environ.items()
        if any(hint in name.upper() for hint in _SECRET_ENV_HINTS) and len(value) >= 4
    }


class RedactingFilter(logging.Filter):
    """Applies `redact` to every record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        cleaned = redact(message)
        if record.exc_info:
            formatter = logging.Formatter()
            cleaned += "\n" + redact(formatter.formatException(record.exc_info))
            record.exc_info = None
            record.exc_text = None
        record.msg, record.args = cleaned, None
        return True


def install() -> None:
    """Put the redacting filter on every handler of the root logger."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, RedactingFilter) for f in handler.filters):
            handler.addFilter(RedactingFilter())
