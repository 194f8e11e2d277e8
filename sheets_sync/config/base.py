"""What every part of a config shares: a strict, frozen model, the checks several keys make,
and each problem a validator finds, said in the config's language (`problems`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, ValidationError

from ..util.addresses import NotAnAddress, one_address
from ..words.core import Phrase, Renderable, say
from ..words.lang import Lang


class ConfigProblem(ValueError):
    """What a validator finds wrong with one key, as words of the errors catalog: the code
    `ConfigProblem("not_a_time", value=…)` reads `[config.not_a_time]`.

    Pydantic wraps a validator's ValueError in its own error and keeps the exception in the
    error's `ctx`; `problems` finds the words there again and says them in the config's language.
    The English text is only what pydantic's own message shows."""

    def __init__(self, key: str, /, **fields: object) -> None:
        # Every raise passes its code as a literal (tests/test_command_words.py checks them).
        self.phrase = Phrase(f"config.{key}", fields)
        super().__init__(self.phrase.render("en"))


class Strict(BaseModel):
    """A config table: unknown keys refused, values frozen, text trimmed."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def zone_name(value: str) -> str:
    """A time zone's IANA name (Asia/Tokyo), or the problem that it is none."""
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigProblem("unknown_zone", value=repr(value)) from None
    return value


def one_line_setting(value: str | None) -> str | None:
    """A setting that is one line of text (a blank one is no setting)."""
    if value is None:
        return None
    if any(ch in value for ch in "\r\n"):
        raise ConfigProblem("one_line")
    return value or None


def one_address_setting(value: str) -> str:
    """One address, `user@host` or `Name <user@host>` (a quoted name may hold , ; and quotes),
    as RFC 5322 reads it: a mail header can carry it, and no second address hides in it."""
    try:
        one_address(value)
    except NotAnAddress:
        raise ConfigProblem("not_an_address", value=repr(value)) from None
    return value


@dataclass(frozen=True)
class _Problems:
    """Every problem pydantic found, each framed by its key, as one line in either language."""

    items: tuple[Renderable | str, ...]

    def render(self, lang: Lang) -> str:
        separator = say("config.problems_separator", lang)
        return separator.join(
            item if isinstance(item, str) else item.render(lang) for item in self.items
        )


def problems(error: ValidationError) -> Renderable:
    """A ValidationError's problems in words of the table: our validators' own words
    (`ConfigProblem`), or pydantic's message framed by ours ("<key>: <problem>")."""
    return _Problems(tuple(_describe(item) for item in error.errors()))


NEVER_ECHOED: Final = "chat"


def _describe(error: Any) -> Renderable | str:
    location = ".".join(str(part) for part in error["loc"] if not isinstance(part, int))
    location = location.replace("sender", "from")
    kind = error["type"]
    if kind == "extra_forbidden":
        return Phrase("config.unknown_key", {"key": repr(location)})
    if kind == "missing":
        return Phrase("config.key_required", {"key": location})
    found = error.get("ctx", {}).get("error")
    problem: Renderable | str = (
        found.phrase
        if isinstance(found, ConfigProblem)
        else str(error["msg"]).removeprefix("Value error, ")
    )
    given = error.get("input")
    # A [[chat]] table is where webhook URLs and tokens get pasted, under any key: what was
    # typed there is never echoed (the key is named, which is enough to find it).
    echoed = not location.startswith(f"{NEVER_ECHOED}.")
    if echoed and isinstance(given, str | int | float | bool):
        problem = Phrase("config.problem_got", {"problem": problem, "given": repr(given)})
    return Phrase("config.problem", {"key": location, "problem": problem}) if location else problem
