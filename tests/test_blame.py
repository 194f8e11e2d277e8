"""`learning_about_person`'s reading (`sheets_sync.core.blame.about_person`): a line about
someone on the team with a fault word is caught; a line about customers — even one naming the
manager — is not. A table of what shops really write, each way, with no wrong answer."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.core.blame import FAULT_PATTERNS, PERSON_WORDS, about_person

NAMES = ("佐藤", "田中", "小林(店長)", "Sato")

BLAMING = [
    "〇〇さんの説明が長くて、お客さまが決めきれなかった",
    "佐藤さんの説明が長くて、お客さまが迷った",
    "田中の説明不足で、お客さまが帰ってしまった",
    "小林が値札を付け忘れた",
    "店長の準備不足で試飲が出せなかった",
    "スタッフのせいで待たせてしまった",
    "新人のミスで注文を間違えた",
    "バイトの対応が遅くて、お客さまが帰った",
    "田中さんが声かけを忘れたので、迷う人が増えた",
    "佐藤は説明が下手なので、お客さまが決められない",
    "店員の態度が悪いから、リピートが減った",
    "担当者が見本を出し忘れた",
    "アルバイトが雑に説明したので伝わらなかった",
    "スタッフが説明できていないので、迷う人が多い",
    "私の確認不足で在庫を切らした",
    "自分の説明が長すぎた",
    "山本くんがカードを渡さなかったのが悪い",
    "パートさんの手際が悪くて待たせた",
    "店長がサボったので貼り紙が出ていない",
    "新人の練習不足が原因",
    "田中さんの勉強不足で質問に答えられなかった",
    "スタッフはまだ慣れていないから説明が遅い",
    "佐藤さんが価格を間違えたせいで不安にさせた",
    "店長の責任で試飲が止まった",
    "後輩が失敗して、お客さまを待たせた",
    "小林が足を引っ張った",
    "社員の知識不足でレンズの説明ができなかった",
    "田中がダメだったので成約しなかった",
    "オーナーが無愛想で、お客さまが話しかけにくい",
    "佐藤のへたな説明で迷わせた",
    "田中様の声かけが遅くて、お客さまを待たせた",
    "山本さまが値札を付け忘れた",
    "Sato's explanation was too long, so the customer couldn't decide",
    "The new hire forgot to hand over the card",
    "The manager was too slow to answer",
    "Staff made mistakes with the prices",
]

INNOCENT = [
    "お客さまが店長に相談した",
    "総額を先に見せると、お客さまの値段の質問が減った",
    "目安カードを置くと、迷いの言葉が減った",
    "試飲を出すと、お客さまが「これにします」と言った",
    "お客さんが長く迷ったので、店長が声をかけた",
    "スタッフが試飲を勧めると、お客さまの迷いが減った",
    "スタッフが忘れずに声をかけると、お客さまが安心した",
    "店長が責任を持って案内すると、お客さまが安心した",
    "待ち時間が長いと、お客さまが帰ってしまった",
    "説明が長いと、お客さまが疲れた様子だった",
    "お客さまが試着できなかったので、鏡を増やす",
    "常連さんが新しい豆を試した",
    "患者さんが受付で迷わなくなった",
    "お子さんが一緒だと、決めるのが早かった",
    "奥さんに相談してから決める人が多い",
    "みなさんの声を集めると、選び方がわからないという声が多い",
    "スタッフが3本選んで出すと、早く決まった",
    "店長に聞いたお客さまは迷わず買った",
    "お客さまが店員に値段を聞いた",
    "赤ちゃんが泣いて、お母さんが急いで帰った",
    "佐藤さんが出した見本で、お客さまの不安が消えた",
    "田中さんの提案で置いたカードを、お客さまがよく見ていた",
    "小林が作ったPOPの前で立ち止まる人が増えた",
    "店長の話を聞いたお客さまは納得していた",
    "スタッフの声かけが早いと、お客さまの迷いが減った",
    "ミスなく総額を伝えると、値段の質問が減った",
    "遅い時間に来るお客さまは、すぐ決める",
    "雨の日はお客さまが少なかった",
    "お客さまの「高いかな」という声が減った",
    "レンズの厚さを見せると、安心して注文した",
    "お客様が長く迷ったので、店長が声をかけた",
    "皆様の声を集めると、待ち時間が長いという声が多い",
    "説明が長いと、お客様が疲れた様子だった",
    "The customer asked the manager for advice",
    "Customers who waited too long left without buying",
    "When staff offered a tasting, customers decided faster",
    "Showing the total first cut price questions",
]


@pytest.mark.parametrize("text", BLAMING)
def test_a_line_about_a_person_at_fault_is_caught(text: str) -> None:
    """Someone on the team (a name from 担当/記録者, a name with さん/くん, or a person word)
    is what a clause is about, beside a fault word."""
    assert about_person(text, NAMES) is not None, text


@pytest.mark.parametrize("text", INNOCENT)
def test_a_line_about_customers_is_not(text: str) -> None:
    """Customers (お客さん, 常連さん, 患者さん …) are who a learning should be about; a team
    member named without fault, or as whom a customer spoke to, is no blame."""
    assert about_person(text, NAMES) is None, text


@pytest.mark.parametrize("typed", ["小川さん", "小川 様", "小川(店長)", "小川"])
def test_a_name_is_found_however_the_owner_column_spells_it(typed: str) -> None:
    """担当/記録者 typed with an honorific or a role is the same person in a line that names
    them plainly, with an honorific, or with another one."""
    for line in ("小川の説明が長すぎた", "小川さんの説明が長すぎた", "小川様の説明が長すぎた"):
        assert about_person(line, [typed]) is not None, (typed, line)


def test_the_table_is_large_enough_both_ways() -> None:
    """At least thirty phrases each way, none in both."""
    assert len(BLAMING) >= 30 and len(INNOCENT) >= 30
    assert not set(BLAMING) & set(INNOCENT)


_PLAIN = st.text(alphabet=st.sampled_from("お客さまがカードを見て迷わず買った。、"), max_size=40)


@given(_PLAIN)
def test_a_line_without_anyone_on_the_team_is_never_caught(text: str) -> None:
    """Whatever customers did, in any order: no team member, no finding."""
    assert about_person(text) is None


@given(st.sampled_from(PERSON_WORDS), st.sampled_from(("の", "が", "は")), _PLAIN)
def test_a_person_without_a_fault_word_is_never_caught(person: str, particle: str,
                                                       rest: str) -> None:  # fmt: skip
    """Naming someone is not blaming them: no fault word, no finding."""
    assert about_person(f"{person}{particle}{rest}") is None


@given(st.sampled_from(BLAMING), _PLAIN, _PLAIN)
def test_a_customer_sentence_around_blame_does_not_hide_it(
    text: str, before: str, after: str
) -> None:
    """Blame stays blame with other sentences around it (a learning of several clauses)."""
    assert about_person(f"{before}。{text}。{after}", NAMES) is not None


def test_every_fault_pattern_is_a_row_of_data() -> None:
    """The rule is data: each fault pattern, after a person word and の, is caught."""
    samples = {
        r"せい": "せいで", r"ミス(?!なく|のない|を防)": "ミスで",
        r"(説明|準備|確認|練習|勉強|知識|声かけ|努力)不足": "説明不足",
    }  # fmt: skip
    for pattern, fault in samples.items():
        assert pattern in FAULT_PATTERNS
        assert about_person(f"店長の{fault}") == "店長"
