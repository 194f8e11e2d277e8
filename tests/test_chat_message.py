"""The message a team chat shows: short and complete on a phone (the meeting, the two decisions,
last time's step, the KPIs by layer, the best quote, open errors, the sheet), made from the same
view model as the mail; in each chat's format within its size limit; and no text from a cell can
mention everyone, break the markup or add a link."""

from __future__ import annotations

import json
import re
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.config import Config, load_config
from sheets_sync.meeting import render_agenda
from sheets_sync.meeting.chat import formats
from sheets_sync.meeting.chat_view import ChatLink, ChatView, plain, staff
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.sheet.sample import SAMPLE_CLIENT
from sheets_sync.sheet.schema import Lang
from sheets_sync.words.core import say
from tests.support.golden_stories import CLIENT, STORIES
from tests.support.words import fixed_part
from tests.support.workbooks import config_file, write_xlsx

TODAY = date(2026, 11, 19)  # the demo reviews cycle 4, whose meeting is 11-20 (a Friday)
NOW = datetime(2026, 11, 19, 8, 0, tzinfo=timezone(timedelta(hours=9)))
LINK = ChatLink("https://contoso.sharepoint.com/sites/sakura/book.xlsx", "シートを開く")
# Words staff must not read (GLOSSARY.md's right-hand column), in any chat message.
FORBIDDEN = ("振り返", "レビュー", "会議", "MTG", "リマインダー", "リマインド", "議事録",
             "フォローアップ", "悪くなった", "悪化", "未達", "判定", "同期")  # fmt: skip
HOSTILE = (
    "@all @here <!channel> <!here> [toall] [To:123] *太字* _斜体_ ~消す~ `code` "
    "[ここを押す](https://evil.example/x) <https://evil.example|ここ> &lt;!channel&gt; 改行\nした"
)


def demo(tmp_path: Path, lang: Lang, meeting: str = "") -> Config:
    """The demo client; `meeting` lines go under its [meeting] table."""
    made = new_client(
        NewClientOrder(SAMPLE_CLIENT[lang], lang, config_dir=tmp_path, sample=True, today=TODAY)
    )
    text = made.config.path.read_text(encoding="utf-8").replace(
        "[meeting]\n", f"[meeting]\n{meeting}"
    )
    made.config.path.write_text(text, encoding="utf-8")
    return load_config(made.config.path)


def agenda_chat(config: Config) -> ChatView:
    report = run(config, RunOptions(as_of=TODAY, dry_run=True), now=NOW, announce=False).report
    chat = render_agenda(report, config).chat
    assert chat is not None
    return chat


def test_the_agenda_in_a_chat_says_what_the_meeting_needs_in_a_few_lines(tmp_path: Path) -> None:
    """The demo's agenda: the client, the meeting's day and time and place, the two decisions,
    last time's step and whether it was done, one line per KPI layer, the best quote; under
    400 characters, no ISO date, none of the glossary's forbidden words."""
    view = agenda_chat(demo(tmp_path, "ja", 'time = "18:30"\nplace = "店舗2階"\n'))
    assert view.title == "さくら珈琲 15分ミーティング 11月20日(金) 18:30・サイクル4"
    assert view.lines[0] == "場所：店舗2階"
    assert "学び(1行)" in view.lines[1] and "次の一歩(1つ)" in view.lines[1]
    assert view.lines[2].startswith("・前回の一歩：「Webの冒頭に選び方を載せ")
    layers = [line for line in view.lines if line.startswith(("・行動：", "・中間：", "・結果："))]
    assert len(layers) == 3 and "27%→29%(良い方向へ)" in layers[2]
    assert view.lines[-1].startswith("・一言：「")
    text = "\n".join((view.title, *view.lines))
    assert len(text) < 400 and len(view.lines) <= 8
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert [word for word in FORBIDDEN if word in text] == []


def test_the_english_agenda_reads_the_same_way(tmp_path: Path) -> None:
    """English: the same parts, English words and punctuation only."""
    view = agenda_chat(demo(tmp_path, "en"))
    assert view.title == "Sakura Coffee: 15-minute meeting, Fri 20 Nov, cycle 4"
    assert view.lines[1].startswith('- Last step: "')
    assert any(line.startswith("- result: Purchase rate before 27% → 29% (") for line in view.lines)
    assert not re.search(r"[「」、。：・]", "\n".join((view.title, *view.lines[1:])))


# -- the previous value, as the agenda says it -----------------------------------------------
def story_chat(tmp_path: Path, story: str, lang: Lang) -> tuple[ChatView, str]:
    """One of the eyeglass shop's days (tests/golden_stories.py): its chat and its mail text."""
    build, day = STORIES[story]
    write_xlsx(tmp_path / "book.xlsx", build(lang))
    config = load_config(config_file(tmp_path, client=CLIENT[lang], language=lang))
    now = datetime.combine(day(), time(8, 0), tzinfo=NOW.tzinfo)
    report = run(config, RunOptions(as_of=day(), no_agenda=True), now=now, announce=False).report
    rendered = render_agenda(report, config)
    assert rendered.chat is not None
    return rendered.chat, rendered.text


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_previous_value_from_an_earlier_cycle_is_named_in_chat_as_in_mail(
    tmp_path: Path, lang: Lang
) -> None:
    """Cycle 3's order rate is compared with cycle 1's 28% (cycle 2's was doubted): the chat
    names that cycle with the agenda's very words (「前回(サイクル1) 28%」), never an unnamed
    28%; an evidence count's previous value stands beside its total, as in the mail."""
    chat, mail = story_chat(tmp_path, "skipped_value", lang)
    named = say("kpi.before_named", lang, cycle=1, value="28%")
    line = next(line for line in chat.lines if "33%" in line)
    assert named in line and named in mail, line
    two = {"ja": "2件", "en": "2 remarks"}[lang]
    counted = say("kpi.before", lang, value=say("kpi.of_total", lang, value=two, total=5))
    assert any(counted in line for line in chat.lines) and counted in mail


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_first_cycle_compares_nothing_in_chat_either(tmp_path: Path, lang: Lang) -> None:
    """Cycle 1: no previous value, no arrow, and no empty brackets where a KPI has no word."""
    chat, _ = story_chat(tmp_path, "first_cycle", lang)
    text = "\n".join(chat.lines)
    assert fixed_part("kpi.before", lang) not in text and "→" not in text, text
    assert "()" not in text and "24%" in text, text


# -- nothing from a cell becomes markup, a mention or a link --------------------------------
def hostile_view() -> ChatView:
    return ChatView.of(
        "さくら珈琲 15分ミーティング 11月20日(金)・サイクル4",
        [f"・一言：「{staff(HOSTILE)}」", f"・前回の一歩：「{staff(HOSTILE)}」"],
        LINK,
    )


def strings(payload: Any) -> list[str]:
    """Every string in a payload (the texts a chat shows or reads)."""
    if isinstance(payload, str):
        return [payload]
    if isinstance(payload, dict):
        return [s for value in payload.values() for s in strings(value)]
    if isinstance(payload, list):
        return [s for value in payload for s in strings(value)]
    return []


DANGEROUS = ("@all", "@here", "<!", "[toall]", "[To:", "](", "<https://evil", "https://evil",
             "*太字*", "_斜体_", "~消す~", "`code`", "&lt;!")  # fmt: skip


@pytest.mark.parametrize("name", ["slack", "google_chat", "teams", "chatwork", "line_works"])
def test_a_hostile_cell_reaches_no_chat_as_markup(name: str) -> None:
    """A quote and a step full of mentions, markup and links: no chat's format carries any of
    them as written; each chat's own markup is there exactly once; the one link is the sheet."""
    payload = getattr(formats, name)(hostile_view())
    texts = strings(payload)
    for text in texts:
        for token in DANGEROUS:
            assert token not in text, (name, token)
        assert "\n した" not in text  # a line break from a cell stays inside its line
    joined = json.dumps(payload, ensure_ascii=False)
    assert joined.count("https://") == 1  # the sheet, once
    if name == "chatwork":
        body = payload
        assert (body.count("[info]"), body.count("[/info]"), body.count("[title]")) == (1, 1, 1)
    if name == "google_chat":
        assert payload["text"].count("<") == 1 and payload["text"].count("*") == 2


def test_staff_text_is_folded_to_look_the_same_and_read_as_text() -> None:
    """Markup characters become their full-width twins and a typed address loses its power
    (`https：//`); our own full-width punctuation is untouched."""
    assert plain("<!here> [toall] *x* @all") == "＜!here＞ ［toall］ ＊x＊ ＠all"
    assert staff("see https://evil.example/x") == "see https：//evil.example/x"
    assert plain("「一言」、です。") == "「一言」、です。"


# -- each service's size limit ----------------------------------------------------------------
def measure(name: str, payload: Any) -> bool:
    """Whether a payload keeps its service's documented limit."""
    if name == "slack":
        most = {"header": 150, "section": 3000}
        texts = [(b["type"], b["text"]["text"]) for b in payload["blocks"] if b["type"] in most]
        return all(len(text) <= most[kind] for kind, text in texts)
    if name == "google_chat":
        return len(payload["text"]) <= 4000 and len(payload["text"].encode()) <= 32_000
    if name == "teams":
        return len(json.dumps(payload, ensure_ascii=False).encode()) <= 28 * 1024
    if name == "chatwork":
        return len(payload) <= 4000
    return len(payload["content"]["text"]) <= 2000


@pytest.mark.parametrize("name", ["slack", "google_chat", "teams", "chatwork", "line_works"])
@given(
    title=st.text(min_size=1, max_size=400),
    lines=st.lists(st.text(min_size=1, max_size=900), min_size=1, max_size=60),
)
def test_any_message_fits_its_service_and_keeps_its_title_and_link(
    name: str, title: str, lines: list[str]
) -> None:
    """However long the title and the lines, the payload keeps the service's limit, and the
    sheet's link is always there (the last lines give way first, marked …)."""
    view = ChatView.of(title or "x", lines, LINK)
    payload = getattr(formats, name)(view)
    assert measure(name, payload)
    assert LINK.url in json.dumps(payload, ensure_ascii=False)
