"""Asserting on words without copying them: a test says which message it expects (its key in
the catalogs) and in which language, and `shows` looks for that message's own words."""

from __future__ import annotations

import html
import re
import string

from sheets_sync.words.catalog import WORDS
from sheets_sync.words.lang import Lang

# Japanese punctuation, which English words never carry: 「」『』、。()・:!?〜
JAPANESE_PUNCTUATION = (
    "\u300c\u300d\u300e\u300f\u3001\u3002\uff08\uff09\u30fb\uff1a\uff01\uff1f\u301c"
)


def fixed_part(key: str, lang: Lang) -> str:
    """The longest stretch of `key`'s words that no field fills in (what any rendering of it
    contains)."""
    parts = [literal for literal, _, _, _ in string.Formatter().parse(WORDS[key][lang])]
    return max((part.strip() for part in parts), key=len)


def shows(text: str, key: str, lang: Lang) -> bool:
    """`text` carries the message `key` in `lang`."""
    return fixed_part(key, lang) in text


def page_text(page: str) -> str:
    """What a person reads on an HTML page: its text without tags, styles or entities."""
    return html.unescape(re.sub(r"<style.*?</style>|<[^>]+>", " ", page, flags=re.S))
