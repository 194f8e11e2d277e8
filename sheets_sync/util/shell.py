"""A path as a shell reads it, so that a command printed for the user runs as printed."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Final

# Characters no POSIX shell treats specially inside a word (plus any non-ASCII letter or sign).
_PLAIN: Final = frozenset("@%+=:,./-_")


def shell_word(value: str | Path) -> str:
    """`value` as one shell word: as it is when nothing in it is special to a shell (so
    `config/clients/梅の湯.toml` stays readable), else single-quoted (`'my clients/a.toml'`)."""
    text = str(value)
    if text and all(not ch.isascii() or ch.isalnum() or ch in _PLAIN for ch in text):
        return text
    return shlex.quote(text)
