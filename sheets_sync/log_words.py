"""The Log tab's words: what an entry did and how it ended. A Log row stores a short key (sync,
agenda, sent …; `LogEntry.what` / `.result`), shows it in the client's language, and reads it
back from either language (older rows say agenda/sent in English)."""

from __future__ import annotations

from typing import Final

from .words.core import say
from .words.lang import LANGS, Lang

# Each key a Log row stores, and its words.
LOG_WORDS: Final[dict[str, str]] = {
    "sync": "log.sync",
    "check": "log.check",
    "demo": "log.demo",
    "agenda": "log.agenda",
    "reminder": "log.reminder",
    "ok": "log.ok",
    "sent": "log.sent",
    "failed": "log.failed",
    "error": "log.error",
}

# Words earlier versions wrote for a key (a sync was 「同期」 before staff read 「更新」).
_EARLIER_WORDS: Final[dict[str, str]] = {"同期": "sync"}

# The words of every key in either language, folded (the cell may be any case) → the key.
_READ_BACK: Final[dict[str, str]] = {
    **_EARLIER_WORDS,
    **{say(words, lang).casefold(): key for key, words in LOG_WORDS.items() for lang in LANGS},
}


def log_word(key: str, lang: Lang) -> str:
    """How the Log tab shows a stored key in `lang`; a key without words shows as it is."""
    words = LOG_WORDS.get(key)
    return say(words, lang) if words is not None else key


def log_key(text: str) -> str:
    """The key a Log cell says, in either language (any other text stays as it is, trimmed)."""
    cleaned = text.strip()
    return _READ_BACK.get(cleaned.casefold(), cleaned)
