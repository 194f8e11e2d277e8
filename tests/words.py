"""Asserting on words without copying them: a test says which message it expects (its key in
the one table) and in which language, and `shows` looks for that message's own words."""

from __future__ import annotations

import string

from sheets_sync.messages import WORDS, Lang


def fixed_part(key: str, lang: Lang) -> str:
    """The longest stretch of `key`'s words that no field fills in (what any rendering of it
    contains)."""
    parts = [literal for literal, _, _, _ in string.Formatter().parse(WORDS[key][lang])]
    return max((part.strip() for part in parts), key=len)


def shows(text: str, key: str, lang: Lang) -> bool:
    """`text` carries the message `key` in `lang`."""
    return fixed_part(key, lang) in text
