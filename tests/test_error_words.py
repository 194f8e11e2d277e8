"""Every error and run line is words from the one table: a raised error names a key of
`error.*` with exactly the fields its text needs, logs are filled from the table, and the same
error reads in the language of the run that raised it."""

from __future__ import annotations

import ast
import string
from collections.abc import Iterator
from pathlib import Path

import pytest

from sheets_sync import errors
from sheets_sync.errors import MailError, SheetAccessError, SheetsSyncError
from sheets_sync.words.catalog import WORDS
from sheets_sync.words.core import Phrase, say, tell
from sheets_sync.words.lang import current_language, speaking

PACKAGE = Path(errors.__file__).parent
ERROR_CLASSES = {
    name
    for name, value in vars(errors).items()
    if isinstance(value, type) and issubclass(value, SheetsSyncError)
}


def _sources() -> Iterator[tuple[Path, ast.Module]]:
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), str(path))


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def _placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _error_constructions() -> Iterator[tuple[str, ast.Call]]:
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node) in ERROR_CLASSES:
                yield f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", node


CONSTRUCTIONS = list(_error_constructions())


@pytest.mark.parametrize(("where", "call"), CONSTRUCTIONS, ids=[w for w, _ in CONSTRUCTIONS])
def test_every_raised_error_names_a_key_of_the_words_with_exactly_its_fields(
    where: str, call: ast.Call
) -> None:
    """`raise SheetAccessError("workbook_missing", path=path)`: the key is a literal of the
    table's `error.*` keys and the keywords are the placeholders of both languages, so no
    error can be raised with inline English or with a field its text never shows."""
    assert call.args, f"{where}: an error needs its key"
    key = call.args[0]
    assert isinstance(key, ast.Constant) and isinstance(key.value, str), (
        f"{where}: the first argument must be a literal key, not text"
    )
    assert len(call.args) == 1, f"{where}: fields are keywords"
    entry = WORDS.get(f"error.{key.value}")
    assert entry is not None, f"{where}: no words for error.{key.value}"
    given = {keyword.arg for keyword in call.keywords}
    assert None not in given, f"{where}: fields are named, not **spread"
    for lang, template in entry.items():
        assert _placeholders(template) == given, (where, lang)


def test_the_error_words_are_used() -> None:
    """No `error.*` entry is left behind by a change that stopped raising it."""
    raised = {
        call.args[0].value
        for _, call in CONSTRUCTIONS
        if call.args and isinstance(call.args[0], ast.Constant)
    }
    spoken = {
        node.args[0].value.removeprefix("error.")
        for _, tree in _sources()
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and node.args
        and isinstance(node.args[0], ast.Constant)
        and isinstance(node.args[0].value, str)
        and node.args[0].value.startswith("error.")
    }
    defined = {key.removeprefix("error.") for key in WORDS if key.startswith("error.")}
    assert defined - raised - spoken == set()


LOG_LEVELS = {"info", "warning", "error", "critical"}


def _literal_words(node: ast.expr) -> str:
    """The letters a log call's message carries itself (not from the table)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = "".join(
            part.value
            for part in node.values
            if isinstance(part, ast.Constant) and isinstance(part.value, str)
        )
    else:
        return ""
    text = text.replace("sheets-sync", "")
    for directive in ("%s", "%d", "%r"):
        text = text.replace(directive, "")
    return "".join(ch for ch in text if ch.isalpha())


def _log_message(node: ast.AST) -> ast.expr | None:
    """The message argument of a log call a person reads (`log.info(msg)`, `log.log(level,
    msg)`), or None for anything else (`log.debug` is for developers)."""
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id in {"log", "logger", "logging"}
    ):
        return None
    if node.func.attr in LOG_LEVELS and node.args:
        return node.args[0]
    if node.func.attr == "log" and len(node.args) >= 2:
        return node.args[1]
    return None


LOG_CALLS = [
    (f"{path.relative_to(PACKAGE.parent)}:{message.lineno}", message)
    for path, tree in _sources()
    for node in ast.walk(tree)
    if (message := _log_message(node)) is not None
]


@pytest.mark.parametrize(("where", "message"), LOG_CALLS, ids=[w for w, _ in LOG_CALLS])
def test_what_a_run_logs_comes_from_the_words(where: str, message: ast.expr) -> None:
    """Cron reads info, warning and error lines: their words come from the table (`tell`,
    `say`), never written inline, so a Japanese client's log is Japanese."""
    assert _literal_words(message) == "", f"{where}: inline words in a log line"


def test_the_log_gate_sees_inline_words() -> None:
    """The gate itself can fail: an inline sentence in either form of log call is caught."""
    inline = ast.parse('log.warning("could not write %s", path)\nlog.log(20, f"sent to {x}")')
    found = [_log_message(node) for node in ast.walk(inline)]
    messages = [m for m in found if m is not None]
    assert len(messages) == 2
    assert all(_literal_words(m) for m in messages)


def test_an_error_reads_in_the_language_of_the_run_that_raised_it() -> None:
    """Raised inside `speaking("ja")`, the error is Japanese wherever it is shown; outside any
    run it is English; and either language can still be asked for."""
    with speaking("ja"):
        inside = MailError("journal_unwritable", what=Phrase("error.what_agenda"),
                           path="/x/agenda-sent.json", reason="Permission denied")  # fmt: skip
    outside = MailError("journal_unwritable", what=Phrase("error.what_agenda"),
                        path="/x/agenda-sent.json", reason="Permission denied")  # fmt: skip
    assert str(inside) == inside.render("ja") != inside.render("en") == str(outside)
    assert "/x/agenda-sent.json" in str(inside) and "アジェンダ" in str(inside)
    assert "NOT sent" in str(outside) and inside.key == "journal_unwritable"


def test_a_nested_error_or_phrase_takes_the_outer_language() -> None:
    """An error quoted inside another message is rendered in that message's language."""
    inner = SheetAccessError("workbook_missing", path="/x/a.xlsx")
    assert inner.render("ja") in say("consultant.reason_failed", "ja", problem=inner)
    assert inner.render("en") in say("consultant.reason_failed", "en", problem=inner)


def test_speaking_sets_the_language_only_within_its_block() -> None:
    assert current_language() == "en"
    with speaking("ja"):
        assert current_language() == "ja"
        assert tell("log.sent") == "送信済み"
    assert tell("log.sent") == "sent"


# Calls that fill a table entry in, and where their key and fields are: (prefix, key argument
# index, fields as keywords or as a dict at this index).
FILLERS: dict[str, tuple[str, int, int | None]] = {
    "say": ("", 0, None),
    "tell": ("", 0, None),
    "Phrase": ("", 0, 1),
}


def _filled_fields(call: ast.Call, dict_at: int | None) -> set[str] | None:
    """The field names a call gives, or None when they cannot be read statically (**spread)."""
    if dict_at is None:
        names = {keyword.arg for keyword in call.keywords}
        return None if None in names else {name for name in names if name is not None}
    if len(call.args) <= dict_at:
        return set()
    given = call.args[dict_at]
    if not isinstance(given, ast.Dict) or None in given.keys:
        return None
    keys = {
        key.value
        for key in given.keys
        if isinstance(key, ast.Constant) and isinstance(key.value, str)
    }
    return keys if len(keys) == len(given.keys) else None


def _literal_key(call: ast.Call, at: int) -> str | None:
    """The call's key when it is written as a literal string."""
    if len(call.args) <= at:
        return None
    key = call.args[at]
    return key.value if isinstance(key, ast.Constant) and isinstance(key.value, str) else None


FILLED = [
    (f"{path.relative_to(PACKAGE.parent)}:{node.lineno}", prefix + key, fields)
    for path, tree in _sources()
    for node in ast.walk(tree)
    if isinstance(node, ast.Call) and _called_name(node) in FILLERS
    for prefix, at, dict_at in [FILLERS[_called_name(node)]]
    if (key := _literal_key(node, at)) is not None
    and (fields := _filled_fields(node, dict_at)) is not None
]


@pytest.mark.parametrize(("where", "key", "fields"), FILLED, ids=[w for w, _, _ in FILLED])
def test_every_literal_use_of_the_words_gives_exactly_their_fields(
    where: str, key: str, fields: set[str]
) -> None:
    """`say("run.review", lang, cycle=n)`, `Phrase("run.x", {"n": 3})`: a missing field would
    stop a run with a KeyError, a surplus one means the text forgot to show it."""
    entry = WORDS.get(key)
    assert entry is not None, f"{where}: no words for {key}"
    for lang, template in entry.items():
        assert _placeholders(template) == fields, (where, lang, sorted(fields))


def test_the_fields_gate_sees_a_missing_field() -> None:
    """The gate can fail: `say("run.review", lang)` gives no `cycle`, a Phrase's dict is read."""
    calls = [
        node
        for node in ast.walk(ast.parse('say("run.review", lang)\nPhrase("run.review", {"n": 1})'))
        if isinstance(node, ast.Call)
    ]
    assert [_filled_fields(call, FILLERS[_called_name(call)][2]) for call in calls] == [
        set(),
        {"n"},
    ]
    assert _placeholders(WORDS["run.review"]["ja"]) == {"cycle"}


def test_an_error_whose_words_are_missing_still_reads_as_its_key_and_fields() -> None:
    """A safety net, not a way to raise errors: if a key ever slipped past the gates, the run's
    one log line would name it instead of stopping on a traceback inside logging."""
    error = SheetAccessError("no_such_words_anywhere", path="/x/a.xlsx")
    assert str(error) == "error.no_such_words_anywhere {'path': '/x/a.xlsx'}"
