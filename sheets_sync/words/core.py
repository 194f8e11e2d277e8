"""Words in a language: `say` a key, a `Phrase` put into words where it is shown, lists and
counts. Every key is looked up by `template`, in `catalog.WORDS`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Literal, Protocol

from .catalog import SINGULAR, WORDS
from .lang import Lang, current_language


class Renderable(Protocol):
    """Words not yet put into a language: a `Phrase`, or an error carrying one."""

    def render(self, lang: Lang) -> str: ...


# What a run keeps of a problem: words not yet in a language, or text as given (a test's,
# a foreign library's).
Words = Renderable | str


def template(key: str, lang: Lang) -> str:
    """The words for `key` in `lang` as written, their fields not filled in: the one lookup."""
    return WORDS[key][lang]


def say(key: str, lang: Lang, /, **fields: Any) -> str:
    """The words for `key` in `lang`, filled in; a field that is itself words not yet in a
    language (a `Phrase`, an error) is rendered in the same language."""
    filled = {
        name: value.render(lang) if callable(getattr(value, "render", None)) else value
        for name, value in fields.items()
    }
    return template(key, lang).format(**filled)


def tell(key: str, /, **fields: Any) -> str:
    """`say` in the current run's language (a log line written deep in a backend)."""
    return say(key, current_language(), **fields)


def in_language(words: Words | None, lang: Lang) -> str:
    """`words` in `lang` ("" for none); text as given stays as it is."""
    if words is None:
        return ""
    return words if isinstance(words, str) else words.render(lang)


@dataclass(frozen=True)
class Phrase:
    """Words chosen where something happens, put into a language where they are shown: a
    backend knows what went wrong, the command that called it knows who reads it."""

    key: str
    fields: Mapping[str, object] = field(default_factory=dict)

    def render(self, lang: Lang) -> str:
        return say(self.key, lang, **self.fields)

    def __str__(self) -> str:
        return self.render(current_language())


def join(items: Iterable[object], lang: Lang) -> str:
    """A list as one phrase: 「、」 between items in Japanese, ", " in English; an item that is
    words not yet in a language (a `Phrase`) is put into `lang`, as `say` does."""
    return say("list.separator", lang).join(
        item.render(lang) if isinstance(item, Phrase) else str(item) for item in items
    )


Noun = Literal["error", "warning", "kpi", "evidence_row", "record", "cycle", "client"]
_COUNTED: Final[dict[Noun, str]] = {
    "error": "count.error",
    "warning": "count.warning",
    "kpi": "count.kpi",
    "evidence_row": "count.evidence_row",
    "record": "count.record",
    "cycle": "count.cycle",
    "client": "count.client",
}


def count(noun: Noun, n: int, lang: Lang, *, signed: bool = False) -> str:
    """`n` with its noun: 「3件」, "1 warning", "2 warnings"; `signed` writes "+1 cycle"."""
    key = _COUNTED[noun]
    words = SINGULAR[key] if lang == "en" and abs(n) == 1 else template(key, lang)
    return words.format(n=f"{n:+d}" if signed else str(n))
