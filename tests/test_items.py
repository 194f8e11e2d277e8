"""「1つだけ」: the detector behind `multiple_items` — lists in every form staff type them are
caught, and ordinary single sentences never are."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.items import several_items

SEVERAL = [
    "説明トークの順番を変え、店頭POPも新しくする",  # 「、…も」
    "POPも作り、説明も変える",
    "値札を見やすくし、説明もそれに合わせる",
    "目安を出す\n価格を下げる",  # several lines
    "・目安を出す\n・価格を下げる",  # bullets
    "- 目安を出す\n- 価格を下げる",
    "目安カードを置く・POPを作る",  # inline ・
    "目安・比較表を出す",
    "説明を短くする/POPを置く",  # slash
    "説明を短くする／POPを置く",  # full-width slash
    "Reorder the talk / make a new POP",
    "1. 目安を出す 2. 価格を下げる",  # numbered
    "1) reorder the talk 2) a new POP",
    "(1) 目安 (2) 試飲",
    "①目安を出す②価格を下げる",
    "① 目安を出す ② 試飲を出す",
]

ONE = [
    "目安を先に出す",
    "説明の順番を変える",
    "目安を先に出すと、比較の質問も減る",  # conditional: one hypothesis
    "比較表を作れば、質問も減る",
    "POPを置くので、説明も短くなる",
    "迷いが減り、購入率も上がる",  # one change, two effects
    "何を選べばいいか、誰も説明していない",
    "価格を見て、どれも高いと思われている",
    "説明を聞いて、とても安心した",
    "カフェ・ラテの説明を短くする",  # a katakana word with ・
    "2026/11/23から価格表を置く",  # a date
    "A/Bテストで見出しを比べる",
    "1.5倍の大きさのPOPにする",  # a decimal
    "客単価を円/人で見る",  # a rate
    "来店数/週を数える",
    "・目安を出す",  # one bullet is one item
    "1. 目安を出す",
    "Show the price guide first",
    "https://example.jp/a/b のページを見せる",
    "迷いは“選び方がわからない”が原因。目安を最初に出す",
    "棚に「酸味↔苦味」の目安カードを置く",
    "説明トークの順番を変える(味の目安→産地)",
    "Webの冒頭に選び方を載せ、来店前に目安を伝える",
    "",
    "   ",
]


@pytest.mark.parametrize("text", SEVERAL)
def test_a_list_in_any_form_is_several_items(text: str) -> None:
    """Lines, bullets, ・, /, numbers and 「、…も」 each make a list."""
    assert several_items(text)


@pytest.mark.parametrize("text", ONE)
def test_an_ordinary_single_item_is_not_a_list(text: str) -> None:
    """Dates, rates, decimals, katakana words, conditionals and どれも・とても pass."""
    assert not several_items(text)


# Text without any separator: hiragana, katakana, common kanji, Latin letters and spaces.
_PLAIN = st.text(
    alphabet=st.sampled_from(
        list(
            "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめやゆよらりるれろわを"
        )
        + list("アイウエオカキクケコサシスセソタチツテト")
        + list("目安説明価格順番変出置試飲比較")
        + list("abcdefgxyz ")
    ),
    max_size=40,
)


@given(_PLAIN)
def test_a_plain_short_sentence_without_separators_is_never_flagged(text: str) -> None:
    """No line break, bullet, ・, /, number or 、: never several items."""
    assert not several_items(text)


_ITEM = st.text(
    alphabet=st.sampled_from(list("目安説明価格順番変出置試飲比較をするPOPabc")),
    min_size=2,
    max_size=15,
)


@given(_ITEM, _ITEM)
def test_two_items_on_two_lines_are_always_several(first: str, second: str) -> None:
    """Whatever the items say, two non-blank lines are two items."""
    assert several_items(f"{first}\n{second}")


@given(st.text(max_size=200))
def test_any_text_gives_an_answer_and_never_raises(text: str) -> None:
    """The detector is total: any cell text, even odd Unicode, gives True or False."""
    assert several_items(text) in (True, False)
