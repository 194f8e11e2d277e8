"""The words' one home: every key of the catalogs in both languages with the same fields, every
key used by the package, no key built at run time; every message renders in both languages,
English never carries Japanese punctuation, lists and counts read right, and the Log's words
read back in either language."""

from __future__ import annotations

import ast
import string
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from sheets_sync import errors
from sheets_sync.core.log_tab import log_tab
from sheets_sync.sheet.log_words import log_key, log_word
from sheets_sync.sheet.logbook import LogEntry
from sheets_sync.words import catalog
from sheets_sync.words.catalog import CATALOGS, SINGULAR, WORDS, CatalogError, merge, parse
from sheets_sync.words.core import Noun, count, join, say
from tests.support.key_scan import Module, called_name, scan
from tests.support.words import JAPANESE_PUNCTUATION

PACKAGE = Path(errors.__file__).parent
WORDS_PACKAGE = Path(catalog.__file__).parent
EVERY_KEY = list(WORDS)


def _fields(template: str) -> dict[str, str]:
    """A sample value for every placeholder, as a message would be filled in."""
    return {name: "X1" for _, name, _, _ in string.Formatter().parse(template) if name}


def _placeholders(template: str) -> set[str]:
    return set(_fields(template))


# -- the catalogs -----------------------------------------------------------------------------


@pytest.mark.parametrize("key", EVERY_KEY)
def test_every_key_says_the_same_fields_in_both_languages(key: str) -> None:
    """A field the Japanese shows and the English forgets (or the other way) would stop a run
    with a KeyError in one language only; a counted noun's singular has the plural's fields."""
    entry = WORDS[key]
    assert set(entry) == {"ja", "en"}
    assert _placeholders(entry["ja"]) == _placeholders(entry["en"]), key
    if key in SINGULAR:
        assert _placeholders(SINGULAR[key]) == _placeholders(entry["en"]), key


@pytest.mark.parametrize("key", EVERY_KEY)
def test_every_message_renders_in_both_languages(key: str) -> None:
    """Both languages exist and fill in completely; the English one has no 「」、。()・:."""
    for lang in ("ja", "en"):
        template = WORDS[key][lang]
        fields = _fields(template)
        text = say(key, lang, **fields)
        assert text == template.format(**fields)
        assert text.strip(), (key, lang)
        assert "{" not in text and "}" not in text, (key, lang, text)
        assert "None" not in text, (key, lang, text)
        if lang == "en":
            leaked = [ch for ch in text if ch in JAPANESE_PUNCTUATION]
            assert not leaked, (key, text)


def test_every_audience_is_read_through_the_one_lookup() -> None:
    """Five catalogs by audience, one table of keys: each catalog's words are found by `say`
    under their full key, and no key is in two catalogs."""
    assert list(CATALOGS) == ["common", "staff", "checks", "consultant", "errors"]
    assert sum(len(c.words) for c in CATALOGS.values()) == len(WORDS)
    for name, found in CATALOGS.items():
        for key, entry in found.words.items():
            assert say(key, "ja", **_fields(entry["ja"])) == entry["ja"].format(
                **_fields(entry["ja"])
            ), (name, key)


def test_a_check_codes_severity_is_in_its_catalog() -> None:
    """Each check code says whether it leaves the row out (error) or only asks (warning)."""
    checks = CATALOGS["checks"]
    assert set(checks.severity.values()) == {"error", "warning"}
    assert set(checks.severity) <= set(checks.words)
    assert checks.severity["missing_tab"] == "error"
    assert checks.severity["stale_data"] == "warning"
    assert "stale_data_values" not in checks.severity  # a variant has its code's severity


def test_a_catalog_reads_nested_tables_as_dotted_keys() -> None:
    """`[agenda.section.kpis]` is the key agenda.section.kpis; the attributes stay apart."""
    found = parse(
        '[agenda.section.kpis]\nja = "KPI"\nen = "KPIs"\n\n'
        '[missing_tab]\nseverity = "error"\nja = """\nタブが\\\nありません"""\n'
        'en = """\nThe tab is \\\nmissing"""\n\n'
        '[count.kpi]\nja = "{n}個"\nen = "{n} KPIs"\nen_one = "{n} KPI"\n',
        "test",
    )
    assert dict(found.words["agenda.section.kpis"]) == {"ja": "KPI", "en": "KPIs"}
    assert dict(found.words["missing_tab"]) == {
        "ja": "タブがありません",
        "en": "The tab is missing",
    }
    assert dict(found.severity) == {"missing_tab": "error"}
    assert dict(found.singular) == {"count.kpi": "{n} KPI"}


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('[a.b]\nja = "x"\nen = "y"\n\n[a.b]\nja = "x"\nen = "z"\n', "test.toml"),
        ('[a.b]\nja = "x"\n', "missing ['en']"),
        ('[a.b]\nja = "x"\nen = "y"\njp = "z"\n', "unknown ['jp']"),
        ('[a.b]\nja = "x"\nen = "y"\nseverity = "fatal"\n', "severity"),
        ('[a.b]\nja = "x"\nen = 3\n', "string"),
        ('a = "x"\n', "not an entry"),
    ],
    ids=["key twice", "no English", "unknown language", "bad severity", "not text", "bare"],
)
def test_a_mistake_in_a_catalog_stops_the_load(text: str, says: str) -> None:
    """A key given twice (TOML refuses it), a missing language, a misspelt attribute: the
    package does not start with words that would fail in one language later."""
    with pytest.raises(CatalogError, match=says.replace("[", r"\[").replace("]", r"\]")):
        parse(text, "test")


def test_a_key_in_two_catalogs_stops_the_load() -> None:
    one = parse('[run.line]\nja = "a"\nen = "b"\n', "staff")
    other = parse('[run.line]\nja = "c"\nen = "d"\n', "consultant")
    with pytest.raises(CatalogError, match=r"both staff.toml and consultant.toml"):
        merge({"staff": one, "consultant": other})


def test_the_catalogs_ship_with_the_package() -> None:
    """An installed (non-editable) sheets-sync reads its catalogs with importlib.resources: the
    words package and its TOML files are in the distribution."""
    project = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    assert "sheets_sync.words" in setuptools["packages"]
    assert "*.toml" in setuptools["package-data"]["sheets_sync.words"]
    assert sorted(p.stem for p in WORDS_PACKAGE.glob("*.toml")) == sorted(CATALOGS)


# -- every key used, none built ---------------------------------------------------------------

# Key expressions that are not literals but come from a typed table of literals, each with why
# it is safe: (file, the expression as `ast.unparse` writes it).
ALLOWED: dict[tuple[str, str], str] = {
    # An error's code names [error.<code>]: every raise passes a literal code, checked against
    # the catalog with exactly its fields by tests/test_error_words.py.
    ("sheets_sync/errors.py", "f'error.{key}'"): "an error's code",
    # A config validator's code names [config.<code>]: tests/test_command_words.py checks each.
    ("sheets_sync/config/base.py", "f'config.{key}'"): "a config problem's code",
    # ChainRule.words: every rule of the RULES table is built with its literal key.
    ("sheets_sync/meeting/chain.py", "self.words"): "a chain rule's sentence",
    # parse.Invalid.code is typed InvalidCode, a Literal of check codes.
    ("sheets_sync/core/rows.py", "value.code"): "an unreadable cell's check code",
    # Finding.text_key: a variant of a check's message, set only from the literal tables in
    # rows.py (_SOFT_WORDS), reader.py (_LEFT_OUT_WORDS) and literal keys in rules.py.
    ("sheets_sync/core/findings.py", "finding.text_key"): "a check message's variant",
    # ownership.refusal_words picks one of the literal tab_not_ours variants (its own table).
    ("sheets_sync/run/doctor.py", "refusal_words(refused, DOCTOR_LANG)"): "a refusal's words",
    ("sheets_sync/api.py", "refusal_words(refused, lang)"): "a refusal's words (upgrade)",
}

# Keys no code names, only templates or tests (none today: say why beside each if one comes).
UNUSED_ON_PURPOSE: frozenset[str] = frozenset()


def _package() -> list[Module]:
    modules = []
    for path in sorted(PACKAGE.rglob("*.py")):
        where = str(path.relative_to(PACKAGE.parent))
        allowed = frozenset(text for (file, text) in ALLOWED if file == where)
        modules.append(Module(where, path.read_text(encoding="utf-8"), allowed))
    return modules


MODULES = _package()
# The words package defines the lookups themselves (`say` passes its key on by design).
SCANS = {m.path: scan(m) for m in MODULES if WORDS_PACKAGE.name not in Path(m.path).parts}


def test_no_key_is_built_at_run_time() -> None:
    """Every key the package looks up is written out where it is chosen: a literal, one of a
    few literals (`"a" if x else "b"`), a loop over literals or a module's table of literal
    keys (`_STATE_WORDS[state]`), or a helper's parameter whose callers do the same. So grep
    finds every use of a key, and a renamed key fails here instead of in one language, once."""
    built = [where for _, found in SCANS.values() for where in found]
    assert built == []


def test_every_allowed_key_expression_is_still_in_its_file() -> None:
    """The allow-list only shrinks: an entry whose expression left its file goes with it."""
    for file, text in ALLOWED:
        module = next(m for m in MODULES if m.path == file)
        written = {ast.unparse(n) for n in ast.walk(module.tree) if isinstance(n, ast.expr)}
        assert text in written, (file, text)


def test_every_key_the_package_names_is_in_the_catalogs() -> None:
    """A key written out where it is chosen (or in a table of them) has its words."""
    named = {key for found, _ in SCANS.values() for key in found}
    assert len(named) > 400  # the scan does see the package's keys
    assert sorted(named - set(WORDS)) == []


def _constants() -> set[str]:
    return {
        node.value
        for module in MODULES
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
    }


def _codes(classes: set[str]) -> set[str]:
    """The literal codes given to `classes` (`raise MailError("<code>", …)`)."""
    return {
        code.value
        for module in MODULES
        for node in ast.walk(module.tree)
        if isinstance(node, ast.Call) and called_name(node) in classes and node.args
        for code in node.args[:1]
        if isinstance(code, ast.Constant) and isinstance(code.value, str)
    }


def test_every_key_in_the_catalogs_is_used() -> None:
    """No words are left behind by a change that stopped saying them: each key is written
    somewhere in the package (an error's as its code, `raise XError("<code>")`)."""
    error_classes = {
        name
        for name, value in vars(errors).items()
        if isinstance(value, type) and issubclass(value, errors.SheetsSyncError)
    }
    used = (
        _constants()
        | {f"error.{code}" for code in _codes(error_classes)}
        | {f"config.{code}" for code in _codes({"ConfigProblem"})}
    )
    assert sorted(set(WORDS) - used - UNUSED_ON_PURPOSE) == []


@pytest.mark.parametrize(
    ("source", "built"),
    [
        ('say(f"summary.{key}", lang)', ["f'summary.{key}'"]),
        ('say("consultant.outcome." + outcome, lang)', ["'consultant.outcome.' + outcome"]),
        ('Phrase("run." + key)\ntell(key)', ["'run.' + key", "key"]),
        ('def _t(key):\n    return say(key, "en")\n_t(f"x.{y}")\n_t("x.y")', ["f'x.{y}'"]),
        ('say("a.b" if x else "a.c", lang)\nsay(T[k], lang)\nT = {"k": "a.d"}', []),
        ('for k, w in (("p", "a.b"), ("n", "a.c")):\n    say(w, lang)', []),
        ("say(WORDS[key], lang)", ["WORDS[key]"]),
    ],
    ids=[
        "f-string",
        "concatenated",
        "phrase and tell",
        "helper",
        "literals",
        "loop",
        "not a table",
    ],
)
def test_the_scan_sees_a_key_built_at_run_time(source: str, built: list[str]) -> None:
    """The gate itself can fail: a key made of strings is caught, also through a helper;
    literals, tables of literals and loops over literals pass."""
    found = scan(Module("x.py", source))[1]
    assert [line.split(": ", 1)[1] for line in found] == built


# -- lists, counts, the Log -------------------------------------------------------------------


def test_join_uses_the_languages_own_separator() -> None:
    """「、」 between items in Japanese, ", " in English."""
    assert join(["迷い", "不安"], "ja") == "迷い、不安"
    assert join(["hesitation", "anxiety"], "en") == "hesitation, anxiety"


@pytest.mark.parametrize(
    ("noun", "n", "signed", "ja", "en"),
    [
        ("warning", 1, False, "1件", "1 warning"),
        ("warning", 2, False, "2件", "2 warnings"),
        ("error", 0, False, "0件", "0 errors"),
        ("cycle", 1, True, "+1サイクル", "+1 cycle"),
        ("cycle", -2, True, "-2サイクル", "-2 cycles"),
        ("kpi", 1, False, "1個", "1 KPI"),
    ],
)
def test_counts_are_plural_in_english(noun: Noun, n: int, signed: bool, ja: str, en: str) -> None:
    """English says "1 warning" and "+1 cycle", never "1 warnings" or "+1 cycles"."""
    assert count(noun, n, "ja", signed=signed) == ja
    assert count(noun, n, "en", signed=signed) == en


@pytest.mark.parametrize("key", ["sync", "check", "demo", "agenda", "reminder", "ok", "sent",
                                 "failed", "error"])  # fmt: skip
def test_log_words_read_back_in_either_language(key: str) -> None:
    """What the Log tab shows in ja or en, and old rows with agenda/sent, read back to the key."""
    assert log_key(log_word(key, "ja")) == key
    assert log_key(log_word(key, "en")) == key
    assert log_key(f" {key.upper()} ") == key


def test_a_log_written_before_staff_read_koushin_still_reads_as_sync() -> None:
    """Earlier versions wrote 「同期」 for a sync; such rows still count as syncs (the last
    update time comes from them) now that the Log says 「更新」."""
    assert log_key("同期") == "sync" and log_word("sync", "ja") == "更新"


@pytest.mark.parametrize("key", ["chat_agenda", "chat_reminder", "chat_follow_up"])
def test_a_chats_log_words_read_back_in_either_language(key: str) -> None:
    """A message posted to a chat has its own words in the Log (never the bare key), and they
    read back to its key from either language."""
    assert log_word(key, "ja") != key and log_word(key, "en") != key
    assert log_key(log_word(key, "ja")) == key
    assert log_key(f" {log_word(key, 'en').upper()} ") == key


def test_the_japanese_log_does_not_say_sync_ok_or_sent() -> None:
    """The ログ tab speaks Japanese: 更新 / 完了, アジェンダ / 送信済み."""
    when = datetime(2026, 11, 20, 9, tzinfo=timezone(timedelta(hours=9))).isoformat()
    entries = [
        LogEntry(when, "sync", "ok", 2, ""),
        LogEntry(when, "agenda", "sent", 2, "outbox/x.eml"),
        LogEntry(when, "reminder", "failed", 3, "smtp down"),
    ]
    tab = log_tab(entries, "ja")
    shown = [[cell.value for cell in row[1:3]] for row in tab.rows[1:]]
    assert shown == [["更新", "完了"], ["アジェンダ", "送信済み"], ["入力のお願い", "失敗"]]
    english = [[cell.value for cell in row[1:3]] for row in log_tab(entries, "en").rows[1:]]
    assert english == [["sync", "ok"], ["agenda", "sent"], ["reminder", "failed"]]
