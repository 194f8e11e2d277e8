"""The two languages, and the language of the run in progress."""

from __future__ import annotations

from contextlib import AbstractContextManager
from contextvars import ContextVar
from typing import Final, Literal

from ..util.context import holding

Lang = Literal["ja", "en"]
LANGS: Final[tuple[Lang, ...]] = ("ja", "en")

# A command sets the run's language once it knows the client (`speaking(config.language)`), so
# an error raised deep in a backend reads in the client's language without every function
# passing `lang` down. Outside a run (a config that cannot be read yet), English.
_SPEAKING: ContextVar[Lang | None] = ContextVar("sheets_sync_language", default=None)


def speaking(lang: Lang) -> AbstractContextManager[None]:
    """Within this block, errors and run messages are in `lang`."""
    return holding(_SPEAKING, lang)


def spoken_language() -> Lang | None:
    """The language set by `speaking`, or None outside it."""
    return _SPEAKING.get()


def current_language() -> Lang:
    """The language set by `speaking`, English outside it."""
    return _SPEAKING.get() or "en"
