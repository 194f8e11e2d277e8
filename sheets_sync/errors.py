"""The one exception tree of sheets-sync; each error carries the exit code the spec gives it.

An error names what went wrong as a code with its fields, not as text: `SheetAccessError(
"workbook_missing", path=…)` reads the entry `[error.workbook_missing]` of the errors catalog
(sheets_sync/words/errors.toml). It is put into words in the language of the run it stopped
(set by `words.lang.speaking`), or in any language with `render`. This module imports only the
words' core.
"""

from __future__ import annotations

from .words.core import Phrase
from .words.lang import Lang, spoken_language

EXIT_OK = 0
EXIT_CHECK_ERRORS = 1
EXIT_CONFIG = 2
EXIT_SHEET = 3
EXIT_MAIL = 4
EXIT_LOCKED = 5


class SheetsSyncError(Exception):
    """A failure of the environment (not of the data) that stops a command."""

    exit_code = EXIT_CONFIG

    def __init__(self, key: str, /, **fields: object) -> None:
        super().__init__(key)
        # The one place a key is made from a code: every raise passes its code as a literal
        # (tests/test_error_words.py checks each against the catalog, with its fields).
        self.phrase = Phrase(f"error.{key}", fields)
        # The language of the run it was raised in, so it reads the same wherever it is shown.
        self.language: Lang | None = spoken_language()

    @property
    def key(self) -> str:
        return self.phrase.key.removeprefix("error.")

    def render(self, lang: Lang) -> str:
        return self.phrase.render(lang)

    def __str__(self) -> str:
        try:
            return self.render(self.language or "en")
        except (KeyError, IndexError, ValueError):
            # Words missing from the table (a bug the tests' gates exist to catch): the key and
            # fields still say what happened, and logging never prints a traceback for it.
            return f"{self.phrase.key} {dict(self.phrase.fields)}"


class ConfigError(SheetsSyncError):
    """The config file is missing, unreadable or wrong; the message names the key and the file."""

    exit_code = EXIT_CONFIG


class UsageError(SheetsSyncError):
    """A command was called with options that do not fit together."""

    exit_code = EXIT_CONFIG


class SheetAccessError(SheetsSyncError):
    """The workbook could not be read or written (after retries)."""

    exit_code = EXIT_SHEET


class WorkbookOpenError(SheetAccessError):
    """The .xlsx is open in Excel or LibreOffice, so writing it now would lose someone's edits."""


class MailError(SheetsSyncError):
    """The agenda could not be sent; the sheet was already updated and the next run retries."""

    exit_code = EXIT_MAIL


class ChatError(MailError):
    """A chat channel could not be posted to; the sheet, the mail and the other channels went on,
    and the next run posts to this channel only. The words name the channel, never a secret."""


class LockedError(SheetsSyncError):
    """Another run holds this client's lock."""

    exit_code = EXIT_LOCKED
