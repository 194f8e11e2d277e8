"""One home for words: every message renders in both languages, English never carries Japanese
punctuation, lists and counts read right, and the Log's words read back in either language."""

from __future__ import annotations

import string
from datetime import datetime, timedelta, timezone

import pytest

from sheets_sync.logbook import LogEntry
from sheets_sync.messages import (
    JAPANESE_PUNCTUATION,
    MESSAGES,
    WORDS,
    count,
    join,
    log_key,
    log_word,
    message,
    say,
)
from sheets_sync.summary import log_tab

TABLES = {"MESSAGES": MESSAGES, "WORDS": WORDS}
EVERY_KEY = [(name, key) for name, table in TABLES.items() for key in table]


def _fields(template: str) -> dict[str, str]:
    """A sample value for every placeholder, as a message would be filled in."""
    return {name: "X1" for _, name, _, _ in string.Formatter().parse(template) if name}


@pytest.mark.parametrize(("table", "key"), EVERY_KEY, ids=[k for _, k in EVERY_KEY])
def test_every_message_renders_in_both_languages(table: str, key: str) -> None:
    """Both languages exist and fill in completely; the English one has no 「」、。()・:."""
    for lang in ("ja", "en"):
        template = TABLES[table][key][lang]
        fields = _fields(template)
        text = message(key, lang, **fields) if table == "MESSAGES" else template.format(**fields)
        if table == "WORDS":
            assert text == say(key, lang, **fields)
        assert text.strip(), (key, lang)
        assert "{" not in text and "}" not in text, (key, lang, text)
        assert "None" not in text, (key, lang, text)
        if lang == "en":
            leaked = [ch for ch in text if ch in JAPANESE_PUNCTUATION]
            assert not leaked, (key, text)


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
def test_counts_are_plural_in_english(noun: str, n: int, signed: bool, ja: str, en: str) -> None:
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


def test_the_japanese_log_does_not_say_sync_ok_or_sent() -> None:
    """The ログ tab speaks Japanese: 同期 / 完了, アジェンダ / 送信済み."""
    when = datetime(2026, 11, 20, 9, tzinfo=timezone(timedelta(hours=9))).isoformat()
    entries = [
        LogEntry(when, "sync", "ok", 2, ""),
        LogEntry(when, "agenda", "sent", 2, "outbox/x.eml"),
        LogEntry(when, "reminder", "failed", 3, "smtp down"),
    ]
    tab = log_tab(entries, "ja")
    shown = [[cell.value for cell in row[1:3]] for row in tab.rows[1:]]
    assert shown == [["同期", "完了"], ["アジェンダ", "送信済み"], ["入力のお願い", "失敗"]]
    english = [[cell.value for cell in row[1:3]] for row in log_tab(entries, "en").rows[1:]]
    assert english == [["sync", "ok"], ["agenda", "sent"], ["reminder", "failed"]]
