"""The Log tab's words: what an entry did and how it ended. A Log row stores a short key (sync,
agenda, sent …; `LogEntry.what` / `.result`), shows it in the client's language, and reads it
back from either language (older rows say agenda/sent in English)."""

from __future__ import annotations

from typing import Final, Literal

from ..words.core import say, template
from ..words.lang import LANGS, Lang

# Each key a Log row stores, and its words.
LOG_WORDS: Final[dict[str, str]] = {
    "sync": "log.sync",
    "check": "log.check",
    "demo": "log.demo",
    "agenda": "log.agenda",
    "reminder": "log.reminder",
    "follow_up": "log.follow_up",
    # a message posted to a chat (sends.log_what): the row's details open with its channel
    "chat_agenda": "log.chat_agenda",
    "chat_reminder": "log.chat_reminder",
    "chat_follow_up": "log.chat_follow_up",
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


# Which follow-up a `follow_up sent` row's details say went out, after where it went
# (「… · 決まったこと」, 「… · 記入のお願い：学び(1行)、担当」): the report reads it back.
FollowUpNote = Literal["decided", "asked"]
_FOLLOW_UP_NOTES: Final[dict[FollowUpNote, str]] = {
    "decided": "log.follow_up_decided",
    "asked": "log.follow_up_asked",
}


def follow_up_note(which: FollowUpNote, lang: Lang, cells: str = "") -> str:
    """The details' note of a follow-up: 「決まったこと」, or 「記入のお願い：学び(1行)、担当」."""
    return say(_FOLLOW_UP_NOTES[which], lang, cells=cells)


def follow_up_of(details: str) -> FollowUpNote | None:
    """Which follow-up a Log row's details say went out (either language), or None."""
    notes = [part.strip() for part in details.split(" · ")[1:]]
    for which, key in _FOLLOW_UP_NOTES.items():
        for lang in LANGS:
            fixed = template(key, lang).split("{", 1)[0]  # the words before {cells}, if any
            if any(note.casefold().startswith(fixed.casefold()) for note in notes):
                return which
    return None
