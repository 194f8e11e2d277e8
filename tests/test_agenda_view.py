"""The agenda's view model: what the meeting sees, worded and ordered before any template runs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sheets_sync.core.report import EvidenceItem
from sheets_sync.errors import UsageError
from sheets_sync.meeting import build_view
from tests.support.agenda_fixtures import make_kpi, make_report, with_items, write_config


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("ja", "[さくら珈琲] 15分ミーティング 11月15日(日) — サイクル3"),
        ("en", "[Sakura Coffee] 15-minute meeting Sun 15 Nov — cycle 3"),
    ],
)
def test_subject_is_exactly_the_spec_format(tmp_path: Path, lang: str, expected: str) -> None:
    """Client, the meeting day (the review cycle's end date, as people read a day: 11月15日(日))
    and the cycle, with an em dash; `meeting_date` keeps the ISO day for the invite."""
    config = write_config(tmp_path, language=lang)  # type: ignore[arg-type]
    view = build_view(make_report(lang), config)  # type: ignore[arg-type]
    assert view.subject == expected
    assert view.meeting_date == "2026-11-15"


# (direction, previous, current) → arrow, ja word, en word
DIRECTION_TABLE = [
    ("up", 2, 3, "↑", "良い方向へ", "the way we want"),
    ("up", 3, 2, "↓", "ねらいと逆の動き", "the other way"),
    ("down", 3, 1, "↓", "良い方向へ", "the way we want"),  # a fall of a down-KPI is good news
    ("down", 1, 3, "↑", "ねらいと逆の動き", "the other way"),
    ("up", 2, 2, "→", "変化なし", "no change"),
    ("down", 2, 2, "→", "変化なし", "no change"),
    ("up", None, 3, "–", "前回なし", "no previous"),
    ("down", 3, None, "–", "値なし", "no value"),
]


@pytest.mark.parametrize(("direction", "previous", "current", "arrow", "ja", "en"),
                         DIRECTION_TABLE)  # fmt: skip
def test_arrow_follows_the_number_and_the_word_follows_the_direction(
    tmp_path: Path,
    direction: str,
    previous: int | None,
    current: int | None,
    arrow: str,
    ja: str,
    en: str,
) -> None:
    """The arrow says where the number went; the word says whether that is better for this KPI."""
    values = {c: v for c, v in ((2, previous), (3, current)) if v is not None}
    kpi = make_kpi("K2", "迷いのサイン", "intermediate", direction, "件", None, values)
    for lang, word in (("ja", ja), ("en", en)):
        config = write_config(tmp_path, language=lang)  # type: ignore[arg-type]
        row = build_view(make_report(lang, kpis=[kpi]), config).kpis[0]  # type: ignore[arg-type]
        assert (row.arrow, row.word) == (arrow, word)
        assert word in row.verdict and (arrow in row.verdict) == (arrow != "–")


def test_kpi_rows_show_previous_current_change_and_target(tmp_path: Path) -> None:
    """Numbers carry their unit; a % KPI changes in ポイント; the target says how far to go."""
    view = build_view(make_report("ja"), write_config(tmp_path))
    rows = {row.id: row for row in view.kpis}
    assert [row.layer_label for row in view.kpis] == ["行動", "中間", "中間", "結果"]
    assert (rows["K3"].previous, rows["K3"].current, rows["K3"].change) == (
        "6分",
        "4.5分",
        "-1.5分(-25%)",
    )
    assert rows["K3"].better_when == "下がると良い"
    assert (rows["K2"].target, rows["K2"].met, rows["K2"].met_word) == ("5件", True, "達成")
    assert (rows["K4"].change, rows["K4"].met_word) == ("+2.5ポイント", "あと3ポイント")
    assert rows["K1"].target == "" and rows["K1"].met_word == ""


def test_last_step_is_the_previous_cycles_next_step_and_its_owner(tmp_path: Path) -> None:
    """Section 1 shows what cycle 2 decided and who owns it; with 一歩の実施 blank it asks
    (できた/一部/まだ) instead of asserting from the action KPIs."""
    view = build_view(make_report("ja"), write_config(tmp_path))
    last = view.last_step
    assert (last.chosen_in, last.step, last.owner) == (
        2,
        "はじめての方向けに3種の飲み比べを出す",
        "田中",
    )
    assert last.status == "unknown" and "できた・一部・まだ" in last.status_text
    assert "「一歩の実施」欄に記入してください。" in last.status_text
    assert last.owner_text == "担当：田中"
    assert [row.id for row in last.action_kpis] == ["K1"]
    assert last.change == ""  # cycle 3's change is that very step, so it is not repeated


def test_last_step_asks_when_the_action_kpis_did_not_move(tmp_path: Path) -> None:
    """Action KPIs flat (状態 blank on the send day) and nothing recorded: the agenda asks,
    it never says "not yet" under the owner's name."""
    kpis = [make_kpi("K1", "Cycles completed", "action", "up", "cycles", None, {2: 2, 3: 2})]
    view = build_view(make_report("en", kpis=kpis), write_config(tmp_path, language="en"))
    assert view.last_step.status == "unknown"
    assert "done, partly done or not yet" in view.last_step.status_text
    assert "Not yet" not in view.last_step.status_text


def test_top_three_quotes_favour_the_signals_that_moved_most(tmp_path: Path) -> None:
    """Anxiety jumps from 1 to 4: its quote leads; signals that did not move are left out."""
    anxious = [
        EvidenceItem(100 + n, date(2026, 11, 3 + n), 3, "conversation", "anxiety",
                     f"本当に家で同じ味になりますか?({n})", "淹れ方の話をしたとき")
        for n in range(4)
    ]  # fmt: skip
    report = with_items(make_report("ja"), *anxious)
    view = build_view(report, write_config(tmp_path))
    assert len(view.quotes) == 3
    assert view.quotes[0].signal == "anxiety"
    assert {quote.signal for quote in view.quotes} == {"anxiety", "hesitation", "relief"}
    assert all(quote.scene for quote in view.quotes)
    signals = {row.signal: row for row in view.signals}
    assert (signals["anxiety"].previous, signals["anxiety"].current) == (1, 4)
    assert signals["anxiety"].tone == "bad" and signals["hesitation"].tone == "good"


def test_learning_prompts_come_from_the_evidence_next_try(tmp_path: Path) -> None:
    """Section 3 offers the review cycle's "next try" ideas, most telling first, no repeats."""
    view = build_view(make_report("ja"), write_config(tmp_path))
    assert view.learning_prompts == (
        "Webの冒頭に選び方を載せて、来る前に目安を知ってもらう",
        "1杯目は必ず酸味ひかえめにする",
    )
    assert "実際に味を比べられれば" in view.hypothesis_prompt


@pytest.mark.parametrize(
    ("lang", "phrase", "auto"),
    [
        (
            "ja",
            "サイクル3の「説明にかかった時間(平均)」(K3)、「購入率」(K4)がまだ入力されていません",
            "自動で数えるKPI",
        ),
        (
            "en",
            'Cycle 3 has no value yet for "Time spent explaining (average)" (K3), '
            '"Purchase rate" (K4)',
            "counted automatically",
        ),
    ],
)
def test_freshness_says_plainly_when_the_cycles_values_are_missing(
    tmp_path: Path, lang: str, phrase: str, auto: str
) -> None:
    """No KPI value for the review cycle → the freshness line says so instead of looking current;
    it asks only for the typed KPIs (K3, K4) and says the auto ones (K1, K2) are counted, each
    KPI named by its name in quotes, then its id (GLOSSARY: 「購入率」(K4))."""
    config = write_config(tmp_path, language=lang)  # type: ignore[arg-type]
    view = build_view(make_report(lang, values_for_review=False), config)  # type: ignore[arg-type]
    assert view.freshness.stale
    asks = [line for line in view.freshness.missing if phrase in line]
    assert len(asks) == 1 and "K4" in asks[0] and "K1" not in asks[0] and "K2" not in asks[0]
    counted = [line for line in view.freshness.missing if auto in line]
    assert [line[line.index("(K") : line.index(")", line.index("(K")) + 1] for line in counted] == [
        "(K1)",
        "(K2)",
    ], counted
    assert all(line.endswith("。" if lang == "ja" else ".") for line in view.freshness.missing)
    assert all(row.image_cid is None for row in view.kpis)  # no picture ending in an old value


@pytest.mark.parametrize(
    ("lang", "phrase"),
    [("ja", "サイクル3のKPIの値がまだ入っていません"), ("en", "No KPI values for cycle 3")],
)
def test_freshness_says_no_values_at_all_when_every_kpi_is_typed_and_missing(
    tmp_path: Path, lang: str, phrase: str
) -> None:
    """Every KPI typed and none with a value at the review cycle → one plain line for all."""
    kpis = [
        make_kpi("K3", "説明時間", "intermediate", "down", "分", 4, {1: 7.5, 2: 6}),
        make_kpi("K4", "購入率", "result", "up", "%", 30, {1: 22, 2: 24.5}),
    ]
    config = write_config(tmp_path, language=lang)  # type: ignore[arg-type]
    view = build_view(make_report(lang, kpis=kpis), config)  # type: ignore[arg-type]
    assert any(phrase in line for line in view.freshness.missing)


def test_freshness_names_missing_evidence_and_the_last_sync(tmp_path: Path) -> None:
    """No evidence for the review cycle is said too; the last update's time is shown, with its
    zone in words."""
    config = write_config(tmp_path, language="en")
    view = build_view(make_report("en", evidence_for_review=False), config)
    assert view.freshness.missing == ("No evidence (what customers said or did) for cycle 3 yet.",)
    assert "13 Nov 09:00 (Japan time)" in view.freshness.as_of
    assert not build_view(make_report("en"), config).freshness.stale


def test_sections_use_the_configured_timeboxes_and_sum_to_the_meeting(tmp_path: Path) -> None:
    """Four sections in order, minutes from meeting.timeboxes(), adding up to meeting.minutes."""
    view = build_view(make_report("ja"), write_config(tmp_path))
    assert [s.heading for s in view.sections] == [
        "① 前回決めた一歩(2分)",
        "② KPIと証拠(5分)",
        "③ 学びを1行で(5分)",
        "④ 次の一歩を1つ決める(3分)",
    ]
    longer = build_view(make_report("en"), write_config(tmp_path, language="en", minutes=20))
    assert sum(s.minutes for s in longer.sections) == 20
    assert longer.sections[0].heading.startswith("① The step we chose last time (")


def test_open_checks_are_counted_and_located(tmp_path: Path) -> None:
    """Counts of errors and warnings, and each listed error with its tab and row."""
    view = build_view(make_report("ja"), write_config(tmp_path))
    assert (view.checks.errors, view.checks.warnings) == (1, 1)
    assert view.checks.lines[0].where == "「KPI記録」7行目"
    english = build_view(make_report("en"), write_config(tmp_path, language="en"))
    assert english.checks.summary.startswith("Checks: 1 error, 1 warning")


def test_an_earlier_cycle_can_be_reviewed(tmp_path: Path) -> None:
    """`cycle=2` dates the meeting on cycle 2's end and judges the KPIs at cycle 2."""
    view = build_view(make_report("en"), write_config(tmp_path, language="en"), cycle=2)
    assert view.subject == "[Sakura Coffee] 15-minute meeting Sun 1 Nov — cycle 2"
    hesitation = next(row for row in view.kpis if row.id == "K2")
    assert (hesitation.previous, hesitation.current, hesitation.word) == (
        "6 remarks",
        "3 remarks",
        "the way we want",
    )


def test_a_cycle_that_is_not_in_the_sheet_is_a_usage_error(tmp_path: Path) -> None:
    """Asking for cycle 9 of a four-cycle sheet says so plainly."""
    with pytest.raises(UsageError, match="Cycle 9"):
        build_view(make_report("en"), write_config(tmp_path, language="en"), cycle=9)


@pytest.mark.parametrize(
    ("lang", "line"),
    [
        ("ja", "「購入率」(K4)の値「27」は要確認です(入力のとおり表示し、比べていません)。"),
        (
            "en",
            'The value 27 of "Purchase rate" (K4) needs checking (shown as typed, not compared).',
        ),
    ],
)
def test_a_doubted_value_is_named_by_the_kpis_name_then_its_id(
    tmp_path: Path, lang: str, line: str
) -> None:
    """A typed value under a plausibility warning is one sentence naming its KPI as GLOSSARY
    asks (「購入率」(K4)), never 「要確認の値：K4 購入率 27%」."""
    report = make_report(lang)  # type: ignore[arg-type]
    k4 = next(kpi for kpi in report.kpis if kpi["id"] == "K4")
    assert k4["latest"] is not None
    k4["latest"]["doubted"] = True
    view = build_view(report, write_config(tmp_path, language=lang))  # type: ignore[arg-type]
    assert line in view.freshness.missing, view.freshness.missing
