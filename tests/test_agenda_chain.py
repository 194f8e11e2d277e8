"""Chain notes: the three KPI layers read together, as one table of rules."""

from __future__ import annotations

import itertools
import re

import pytest

from sheets_sync.core.report import Judgement
from sheets_sync.meeting import chain_note
from sheets_sync.meeting.chain import (
    ACTION_STATES,
    LAYER_KEYS,
    RULES,
    STATES,
    ChainRule,
    Layer,
    LayerState,
    layer_state,
    layer_states,
    note_for,
    rule_for,
)
from sheets_sync.words.core import say
from sheets_sync.words.lang import Lang
from tests.support.agenda_fixtures import make_kpi, make_report


@pytest.mark.parametrize(
    ("judgements", "state"),
    [
        (["improved"], "improved"),
        (["improved", "flat"], "improved"),
        (["improved", "no_previous"], "improved"),
        (["worsened", "flat"], "worsened"),
        (["improved", "worsened"], "mixed"),
        (["flat", "flat"], "flat"),
        (["flat", "no_value"], "flat"),
        (["no_value", "no_previous"], "no_data"),
        ([], "no_data"),
    ],
)
def test_layer_state_from_its_kpis_judgements(
    judgements: list[Judgement], state: LayerState
) -> None:
    """Improved if any improved and none worsened, worsened the other way, both → mixed."""
    assert layer_state(judgements) == state


# (action, intermediate, result) → rule key, and the sentence in ja and en.
CHAIN_TABLE: list[tuple[LayerState, LayerState, LayerState, str, str, str]] = [
    ("improved", "flat", "flat", "not_reaching",
     "サイクルは回りましたが、中間KPIは動いていません。"
     "改善がお客さまに届いているかどうか、証拠を見ながらチームで話しましょう。",
     "cycles ran but the intermediate KPIs did not move: talk as a team, with the "
     "evidence, about whether the change is reaching customers."),
    ("improved", "flat", "improved", "not_reaching", "中間KPIは動いていません。",
     "whether the change is reaching customers"),
    ("improved", "worsened", "flat", "backfired", "誰かを責めず", "no blame"),
    ("improved", "improved", "flat", "result_lags", "結果はたいてい遅れて出ます",
     "results usually lag, so keep going"),
    ("mixed", "improved", "mixed", "result_lags", "このまま続けましょう", "keep going"),
    ("improved", "improved", "worsened", "result_dipped", "もう1サイクル見てみましょう",
     "watch one more"),
    ("improved", "improved", "improved", "all_improved", "改善のおかげかどうかは、まだわかりません",
     "that alone does not show the change caused it"),
    ("improved", "improved", "no_data", "result_unmeasured", "結果KPIはまだ比べられません",
     "result KPIs cannot be compared yet"),
    ("improved", "mixed", "flat", "mixed_signals", "どのサインが動いたか",
     "went both ways"),
    ("improved", "no_data", "flat", "intermediate_unmeasured", "中間KPIはまだ前回と比べられません",
     "cannot be compared with last time yet"),
    ("improved", "doubted", "improved", "intermediate_doubted", "要確認の値",
     "values to check"),
    ("first", "improved", "worsened", "first_cycle", "前回と比べる数字はありません。",
     "this is the first cycle, so there is nothing to compare with yet"),
    ("doubted", "improved", "flat", "action_unknown", "まず一歩を実行できたかを確かめて",
     "first check whether the step was carried out"),
    ("improved", "improved", "doubted", "result_unmeasured", "結果KPIはまだ比べられません",
     "result KPIs cannot be compared yet"),
    ("flat", "improved", "improved", "not_done", "行動KPIは前回から進んでいません。",
     "ask whether the step was carried out"),
    ("worsened", "flat", "flat", "not_done", "誰かを責めることではありません",
     "nobody is to blame"),
    ("no_data", "improved", "flat", "action_unknown", "まず一歩を実行できたかを確かめて",
     "first check whether the step was carried out"),
    ("no_data", "no_data", "no_data", "no_data", "お客さまの一言(証拠)から話しましょう",
     "talk from what customers said"),
    ("improved", "thin", "improved", "evidence_thin", "証拠の記録が少なく",
     "too few evidence records"),
    ("mixed", "thin", "flat", "evidence_thin", "まだわかりません", "why so little was recorded"),
]  # fmt: skip


@pytest.mark.parametrize(("action", "intermediate", "result", "key", "ja", "en"), CHAIN_TABLE)
def test_chain_rules_table(
    action: LayerState, intermediate: LayerState, result: LayerState, key: str, ja: str, en: str
) -> None:
    """Each combination of layer states gets its rule's sentence, in Japanese and in English."""
    states: dict[Layer, LayerState] = {
        "action": action,
        "intermediate": intermediate,
        "result": result,
    }
    assert rule_for(states).key == key
    assert ja in note_for(states, "ja")
    assert en in note_for(states, "en")


def test_every_combination_of_layer_states_has_a_rule() -> None:
    """The table is complete: all 441 combinations (the action layer may also be
    step_skipped or first) match a rule and read as one paragraph, ending with its stop."""
    for combination in itertools.product(ACTION_STATES, STATES, STATES):
        states: dict[Layer, LayerState] = dict(zip(LAYER_KEYS, combination, strict=True))
        for lang in ("ja", "en"):
            note = note_for(states, lang)
            assert note and "\n" not in note and "{" not in note
            assert note.endswith("。" if lang == "ja" else "."), note


def test_every_rule_is_reachable() -> None:
    """No rule is shadowed by an earlier one (each is the first match for some combination)."""
    reached = {
        rule_for(dict(zip(LAYER_KEYS, combination, strict=True))).key
        for combination in itertools.product(ACTION_STATES, STATES, STATES)
    }
    assert reached == {rule.key for rule in RULES}


def test_chain_note_reads_the_report_at_the_review_cycle() -> None:
    """The sample story (all three layers improved) gets the all-improved sentence."""
    report = make_report("ja")
    assert layer_states(report, 3) == {
        "action": "improved",
        "intermediate": "improved",
        "result": "improved",
    }
    assert "中間KPIの「" in chain_note(report) and "も結果も良い方向に動きました。" in chain_note(
        report
    )
    assert "moved the way we want" in chain_note(report, lang="en")


def test_chain_note_cycles_ran_but_hesitation_stayed() -> None:
    """Action up, a down-KPI (hesitation) unchanged → the team is asked whether the change is
    reaching customers (nothing is claimed)."""
    kpis = [
        make_kpi("K1", "サイクル完了数", "action", "up", "回", None, {2: 2, 3: 3}),
        make_kpi("K2", "迷いのサイン", "intermediate", "down", "件", 5, {2: 4, 3: 4}),
        make_kpi("K4", "購入率", "result", "up", "%", 30, {2: 24, 3: 24}),
    ]
    report = make_report("ja", kpis=kpis)
    assert chain_note(report) == (
        "サイクルは回りましたが、中間KPIは動いていません。"
        "改善がお客さまに届いているかどうか、証拠を見ながらチームで話しましょう。"
    )


def test_chain_note_for_an_earlier_cycle() -> None:
    """`cycle=` reads the layers at that cycle from the KPI values, not from `latest`."""
    report = make_report("en")
    # Cycle 1 is the first: nothing is compared there, whatever its KPIs say.
    assert layer_states(report, 1)["action"] == "first"
    assert chain_note(report, cycle=1).startswith("this is the first cycle")
    assert "moved the way we want" in chain_note(report, cycle=2)


def test_chain_note_names_the_intermediate_kpi_that_moved_not_hesitation() -> None:
    """Hesitation unchanged, explaining time shorter, result flat: the note says the
    intermediate KPIs moved the way we want and names explaining time — it never says that
    customers hesitate less."""
    kpis = [
        make_kpi("K1", "サイクル完了数", "action", "up", "回", None, {2: 2, 3: 3}),
        make_kpi("K2", "迷いのサイン", "intermediate", "down", "件", 5, {2: 1, 3: 1}),
        make_kpi("K3", "説明時間", "intermediate", "down", "分", 4, {2: 6, 3: 4.5}),
        make_kpi("K4", "購入率", "result", "up", "%", 30, {2: 24, 3: 24}),
    ]
    ja = chain_note(make_report("ja", kpis=kpis))
    assert ja.startswith("中間KPIの「説明時間」(K3)は良い方向に動きましたが"), ja
    assert "迷い" not in ja
    en = chain_note(make_report("en", kpis=kpis), lang="en")
    assert en.startswith('the intermediate KPIs, "説明時間" (K3), moved the way we want'), en
    assert "hesita" not in en


def test_chain_note_names_the_intermediate_kpi_that_moved_the_wrong_way() -> None:
    """Backfired: the note names the intermediate KPI that got worse, not "hesitation"."""
    kpis = [
        make_kpi("K1", "サイクル完了数", "action", "up", "回", None, {2: 2, 3: 3}),
        make_kpi("K3", "説明時間", "intermediate", "down", "分", 4, {2: 4.5, 3: 6}),
        make_kpi("K4", "購入率", "result", "up", "%", 30, {2: 24, 3: 24}),
    ]
    note = chain_note(make_report("ja", kpis=kpis))
    assert "中間KPIの「説明時間」(K3)はねらいと逆に動きました。" in note, note
    assert "迷い" not in note


def test_note_without_known_kpis_stays_neutral() -> None:
    """Called without the KPIs' names, an intermediate ↑ reads "moved the way we want"."""
    states: dict[Layer, LayerState] = {
        "action": "improved",
        "intermediate": "improved",
        "result": "flat",
    }
    assert note_for(states, "en").startswith("the intermediate KPIs moved the way we want")
    assert note_for(states, "ja").startswith("中間KPIは良い方向に動きました")


@pytest.mark.parametrize("rule", RULES, ids=lambda rule: rule.key)
def test_no_chain_rule_uses_a_grading_word(rule: ChainRule) -> None:
    """KPIs are instruments, not a report card: no rule's note, in either language, says
    悪くなった / 悪い / 未達 / worse / wrong / failed — a move against the hoped-for direction is
    "the other way" (ねらいと逆の動き)."""
    checks = [
        (rule.ja, ("悪くな", "悪い", "未達", "判定")),
        (rule.en, ("worse", "wrong", "failed")),
    ]
    for template, words in checks:
        text = re.sub(r"\{\w+\}", "", template)  # placeholders such as {worse} are not words
        assert not [word for word in words if word in text], text


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("rule", CHAIN_TABLE, ids=[row[3] for row in CHAIN_TABLE])
def test_a_chain_note_carries_no_arrows(
    rule: tuple[LayerState, LayerState, LayerState, str, str, str], lang: Lang
) -> None:
    """The agenda's arrows mean a number went up or down (its legend says so); a chain note
    says in words which way a layer moved, so an intermediate KPI that fell the way we want
    is never shown as ↑ next to its own ↓."""
    action, intermediate, result = rule[:3]
    states: dict[Layer, LayerState] = {
        "action": action,
        "intermediate": intermediate,
        "result": result,
    }
    note = note_for(states, lang)
    assert not set(note) & set("↑↓→↕×"), note


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_rise_and_a_fall_of_the_result_get_the_same_caution(lang: Lang) -> None:
    """No cause is claimed either way: when the result moved the way we want and when it moved
    the other way, the note carries the very same caution (season, weather, one cycle)."""
    caution = say("chain.caution", lang)
    rise = {"action": "improved", "intermediate": "improved", "result": "improved"}
    fall = {"action": "improved", "intermediate": "improved", "result": "worsened"}
    assert note_for(rise, lang).endswith(caution)  # type: ignore[arg-type]
    assert note_for(fall, lang).endswith(caution)  # type: ignore[arg-type]
    for claim in ("何が効いた", "効果があった", "what worked", "because of"):
        assert claim not in note_for(rise, lang)  # type: ignore[arg-type]
