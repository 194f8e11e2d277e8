"""The catalogs: every sentence a person reads, in Japanese and English, by audience.

Five TOML files beside this module, read once when it is first imported (with
`importlib.resources`, so an installed package finds them as well as a checkout does):

- `common.toml`: how every audience joins a list and counts things;
- `staff.toml`: the agenda, the reminder, the invite, the Summary/Checks/Log tabs, a new workbook;
- `checks.toml`: each check code's message, with its severity, and its variants;
- `consultant.toml`: the run's line, sync-all, watch, status, doctor, the portfolio;
- `errors.toml`: what stops a run (`error.*`) and what is wrong in a config file (`config.*`).

An entry is a TOML table named by its key, holding `ja` and `en` with the same `{fields}`; a
check code also has its `severity`, a counted noun its `en_one` (English for exactly one). A key
lives in one catalog only; `WORDS` holds every catalog's words under their full keys, and
`core.say` looks them up there.

To add a word:

1. Pick the catalog by who reads it and add the entry beside its neighbours, key in full:

       [run.agenda_sent_to]
       ja = "アジェンダを{to}へ送信"
       en = "agenda sent to {to}"

   A long sentence goes over several lines of a triple-quoted string, every line but the last
   ending in a backslash (which joins the lines without a space: put the space before it).
   A new check code also gets `severity = "error"` (the row is left out) or `"warning"`.
2. Say it with its key written out: `say("run.agenda_sent_to", lang, to=where)`; `tell(…)` in
   the run's language; `Phrase("run.agenda_sent_to", {"to": where})` to put it into words
   where it is shown. An error is `raise MailError("<code>", field=…)` with the entry
   `[error.<code>]` in errors.toml; a config validator's is `ConfigProblem("<code>")` with
   `[config.<code>]`. When the words depend on a value, map the value to literal keys (a dict
   or a match), never build a key from strings, so that grep finds every use of a key.
3. Run `pytest tests/test_words.py`: both languages with the same fields, every key used, no key
   built at run time.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib.resources import files
from types import MappingProxyType
from typing import Any, Final, Literal, cast

from .lang import LANGS, Lang

Entry = Mapping[Lang, str]
Severity = Literal["error", "warning"]

AUDIENCES: Final = ("common", "staff", "checks", "consultant", "errors")
_PACKAGE: Final = __name__.rpartition(".")[0]
_ATTRIBUTES: Final = frozenset({"severity", "en_one"})  # what an entry may say besides words
_SEVERITIES: Final = frozenset({"error", "warning"})


class CatalogError(ValueError):
    """A catalog that cannot be read: a mistake in one of this package's TOML files."""


@dataclass(frozen=True)
class Catalog:
    """One audience's words, and what its entries say besides them."""

    words: Mapping[str, Entry]
    severity: Mapping[str, Severity]  # a check code's severity (checks.toml)
    singular: Mapping[str, str]  # a counted noun in English for exactly one (common.toml)


def parse(text: str, name: str) -> Catalog:
    """A catalog from its TOML text; `name` only says where a mistake is."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:  # a key given twice is one of these
        raise CatalogError(f"{name}.toml: {error}") from None
    words: dict[str, Entry] = {}
    severity: dict[str, Severity] = {}
    singular: dict[str, str] = {}
    for key, table in _entries(document, "", name):
        _check_entry(table, f"{name}.toml [{key}]")
        words[key] = MappingProxyType({lang: table[lang] for lang in LANGS})
        if "severity" in table:
            severity[key] = cast(Severity, table["severity"])
        if "en_one" in table:
            singular[key] = table["en_one"]
    return Catalog(MappingProxyType(words), MappingProxyType(severity), MappingProxyType(singular))


def _entries(table: Mapping[str, Any], prefix: str, name: str) -> Iterator[tuple[str, Any]]:
    """Each entry with its full key: a table holding a language is an entry; any other table
    only groups entries (`[agenda.section.kpis]` is the entry agenda.section.kpis)."""
    for part, value in table.items():
        key = prefix + part
        if not isinstance(value, dict):
            raise CatalogError(f"{name}.toml: {key} is not an entry (a table with ja and en)")
        if any(lang in value for lang in LANGS):
            yield key, value
        else:
            yield from _entries(value, key + ".", name)


def _check_entry(table: Mapping[str, Any], where: str) -> None:
    missing = [lang for lang in LANGS if lang not in table]
    unknown = sorted(set(table) - set(LANGS) - _ATTRIBUTES)
    if missing or unknown:
        raise CatalogError(f"{where}: missing {missing}, unknown {unknown}")
    if not all(isinstance(text, str) for text in table.values()):
        raise CatalogError(f"{where}: every value is a string")
    if table.get("severity", "error") not in _SEVERITIES:
        raise CatalogError(f"{where}: severity is error or warning")


def merge(catalogs: Mapping[str, Catalog]) -> Mapping[str, Entry]:
    """Every catalog's words under their full keys; a key in two catalogs is a mistake."""
    merged: dict[str, Entry] = {}
    home: dict[str, str] = {}
    for name, catalog in catalogs.items():
        for key, entry in catalog.words.items():
            if key in merged:
                raise CatalogError(f"[{key}] is in both {home[key]}.toml and {name}.toml")
            merged[key], home[key] = entry, name
    return MappingProxyType(merged)


def _read(name: str) -> Catalog:
    return parse(files(_PACKAGE).joinpath(f"{name}.toml").read_text(encoding="utf-8"), name)


CATALOGS: Final[Mapping[str, Catalog]] = MappingProxyType({n: _read(n) for n in AUDIENCES})
WORDS: Final = merge(CATALOGS)

# The checks' messages, and each check code's severity (in the catalog's order).
CHECKS: Final = CATALOGS["checks"].words
SEVERITY: Final = CATALOGS["checks"].severity
ERROR_CODES: Final = tuple(code for code, level in SEVERITY.items() if level == "error")
WARNING_CODES: Final = tuple(code for code, level in SEVERITY.items() if level == "warning")

SINGULAR: Final = CATALOGS["common"].singular
