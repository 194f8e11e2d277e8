"""The report's numbers are right, complete and in the
method's spirit — doubted values are never judged, thin evidence is never improvement, the
action layer answers "did we do it?", and one bad cell degrades only itself."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from sheets_sync.api import upgrade
from sheets_sync.core.compute import is_thin
from sheets_sync.core.report import AgendaState
from sheets_sync.core.summary import summary_tab
from sheets_sync.core.summary_kpis import text_sparkline
from sheets_sync.meeting.kpi_rows import RowContext, kpi_row
from sheets_sync.meeting.measure import read_kpi, series
from sheets_sync.sheet import schema
from sheets_sync.sheet.sample import minimum_set_rows, sample_rows
from sheets_sync.words.core import say
from tests.support.reports import (
    NOW,
    PERCENT_KPI,
    TODAY_IN_5,
    codes,
    cycles_of,
    demo_tabs,
    kpi,
    report_for,
)
from tests.support.workbooks import (
    BASELINE_TODAY,
    UNCOMPUTED,
    baseline,
    config_file,
    write_xlsx,
)

# --- doubted values ------------------------------------------------------------------------


def test_a_fraction_typed_for_a_percent_kpi_is_doubted_and_never_judged() -> None:
    """0.71 beside 62%: percent_as_fraction, shown as typed, with no delta, judgement or target."""
    tabs = cycles_of(4, layer_kpis=[PERCENT_KPI], values=[(2, "K3", 62), (3, "K3", 0.71)])
    report = report_for(tabs, date(2026, 11, 10))  # review = cycle 3
    latest = kpi(report, "K3")["latest"]
    assert "percent_as_fraction" in codes(report)
    assert (latest["value"], latest["doubted"]) == (0.71, True)
    assert (latest["delta"], latest["delta_pct"], latest["judgement"]) == (None, None, None)
    assert latest["target_met"] is None
    assert kpi(report, "K3")["values"][-1] == {"cycle": 3, "value": 0.71, "doubted": True}


def test_a_doubted_value_is_out_of_the_streak_and_never_previous() -> None:
    """20 → 22 → (0.71 doubted) → 25: cycle 4 is compared with cycle 2 and the streak is 2."""
    values = [(1, "K3", 20), (2, "K3", 22), (3, "K3", 0.71), (4, "K3", 25)]
    report = report_for(cycles_of(5, layer_kpis=[PERCENT_KPI], values=values), TODAY_IN_5)
    latest = kpi(report, "K3")["latest"]
    assert (latest["previous_cycle"], latest["previous"], latest["delta"]) == (2, 22, 3)
    assert (latest["judgement"], latest["streak"], latest["doubted"]) == ("improved", 2, False)
    assert series(kpi(report, "K3"), 4) == (20, 22, 25)  # the trend leaves it out too


def test_a_clean_value_is_not_doubted() -> None:
    """latest.doubted is false when no check doubts the value."""
    latest = kpi(report_for(baseline()), "K3")["latest"]
    assert latest["doubted"] is False and latest["judgement"] == "no_previous"


# --- thin evidence -------------------------------------------------------------------------


def test_evidence_cut_to_one_row_is_thin_and_its_counts_are_not_judged() -> None:
    """One evidence row for the review cycle: evidence_thin, thin: true, and 証拠:迷い's count
    from it is doubted (few records are never an improvement)."""
    tabs = baseline()
    del tabs["証拠"][1:3]  # cycle 1 keeps only the row of 11-02
    report = report_for(tabs)
    assert "evidence_thin" in codes(report)
    assert report.evidence_for(1)["thin"] is True  # type: ignore[index]
    latest = kpi(report, "K2")["latest"]
    assert (latest["doubted"], latest["judgement"]) == (True, None)


def test_enough_evidence_is_not_thin() -> None:
    """The baseline's review cycle has 3 rows: thin is false and no check is raised."""
    report = report_for(baseline())
    assert report.evidence_for(1)["thin"] is False  # type: ignore[index]
    assert "evidence_thin" not in codes(report)


@pytest.mark.parametrize(
    ("rows", "previous", "thin"),
    [(0, None, True), (2, None, True), (3, None, False), (3, 6, True), (4, 6, False),
     (4, 7, True), (10, 15, False), (9, 14, True)],
)  # fmt: skip
def test_thin_means_under_three_rows_or_under_two_thirds_of_the_cycle_before(
    rows: int, previous: int | None, thin: bool
) -> None:
    """The rule of evidence_thin, as a table: 3 rows against 6 is thin (recording less is
    never progress), 4 against 6 is not."""
    assert is_thin(rows, previous) is thin


# --- the action layer ----------------------------------------------------------------------


ACTION_KPI: list[object] = ["K1", "改善を1つ実装したか", "行動", "上がる", "回", None, "", "", ""]


def test_a_one_per_cycle_action_kpi_is_done_every_cycle() -> None:
    """改善を1つ実装したか = 1 every cycle: done at every cycle, never "flat"."""
    values = [(n, "K1", 1) for n in (1, 2, 3, 4)]
    report = report_for(cycles_of(5, layer_kpis=[ACTION_KPI], values=values), TODAY_IN_5)
    entry = kpi(report, "K1")
    assert entry["latest"]["judgement"] == "done" and entry["latest"]["streak"] == 4
    assert [read_kpi(entry, n).judgement for n in (1, 2, 3, 4)] == ["done"] * 4


@pytest.mark.parametrize(
    ("value", "target", "judgement"),
    [(0, "", "not_done"), (2, 3, "not_done"), (3, 3, "done"), (1, "", "done")],
)
def test_an_action_kpi_is_done_when_above_zero_or_at_its_target(
    value: int, target: object, judgement: str
) -> None:
    """done = value > 0, or ≥ target when one is set; never judged by change."""
    action = [*ACTION_KPI[:5], target, *ACTION_KPI[6:]]
    tabs = cycles_of(4, layer_kpis=[action], values=[(2, "K1", 5), (3, "K1", value)])
    assert kpi(report_for(tabs, date(2026, 11, 10)), "K1")["latest"]["judgement"] == judgement


def test_the_demo_on_the_send_day_with_status_blank_counts_the_review_cycle_as_run() -> None:
    """On the send day the review cycle's 状態 is often still blank; its 改善 is recorded, so
    サイクル完了数 counts it (3 → 4) and the action KPI reads done."""
    today = date(2026, 11, 23)
    tabs = demo_tabs("ja", today, days_into=12)  # cycle 4 ends tomorrow: the send day
    tabs["サイクル"][4][7] = None  # 状態 of cycle 4 left blank
    report = report_for(tabs, today)
    assert report.review_cycle == 4
    latest = kpi(report, "K1")["latest"]
    assert (latest["previous"], latest["value"], latest["judgement"]) == (3, 4, "done")


def test_a_review_cycle_without_its_change_is_not_counted_as_run() -> None:
    """No 改善 recorded and 状態 blank: the review cycle is not counted, so the step reads
    not done rather than done."""
    today = date(2026, 11, 23)
    tabs = demo_tabs("ja", today, days_into=12)
    tabs["サイクル"][4][7] = None
    tabs["サイクル"][4][4] = None
    latest = kpi(report_for(tabs, today), "K1")["latest"]
    assert (latest["value"], latest["judgement"]) == (3, "not_done")


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_cycles_done_counts_exactly_what_its_how_says(lang: str) -> None:
    """One rule, said once: the 測り方 every new workbook writes for サイクル完了数 is the words of
    `judge.counts_as_run`, and the count follows them — done cycles, and the cycle under review
    once its change is written; never a planned one (status 計画), whatever its dates."""
    how = say("kpi.cycles_done_how", lang)  # type: ignore[arg-type]
    minimum = minimum_set_rows(lang)["kpis"]  # type: ignore[arg-type]
    assert [k["how"] for k in minimum if k["id"] == "K1"] == [how]
    sample = sample_rows(lang, BASELINE_TODAY)["kpis"]  # type: ignore[arg-type]
    assert [k["how"] for k in sample if k["id"] == "K1"] == [how]
    if lang == "ja":
        assert "完了したサイクル" in how and "改善" in how
    tabs = baseline()
    tabs["サイクル"][2][7] = None  # cycle 2 (under review on 11-21): 状態 blank, 改善 written
    tabs["サイクル"].append([3, "2026-11-23", "", "h", "c", "", "", "計画", ""])
    report = report_for(tabs, date(2026, 11, 21))
    assert report.review_cycle == 2
    values = {v["cycle"]: v["value"] for v in kpi(report, "K1")["values"]}
    assert values == {1: 1, 2: 2}  # the planned cycle 3 is neither counted nor a point


def test_the_demo_is_clean_in_both_languages() -> None:
    """The sample client raises no check at all (the demo shows a healthy sheet)."""
    today = date(2026, 11, 20)
    for lang in ("ja", "en"):
        report = report_for(demo_tabs(lang, today, 3), today, lang=lang)
        assert report.checks == [], [c.code for c in report.checks]


# --- step_done -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "key"),
    [("はい", "yes"), ("できた", "yes"), ("済", "yes"), ("○", "yes"), ("✓", "yes"),
     ("yes", "yes"), ("一部", "partial"), ("途中", "partial"), ("△", "partial"),
     ("partial", "partial"), ("いいえ", "no"), ("まだ", "no"), ("できなかった", "no"),
     ("×", "no"), ("no", "no"), ("", None)],
)  # fmt: skip
def test_step_done_spellings(typed: str, key: str | None) -> None:
    """一歩の実施 accepts the spec's spellings; blank is "not recorded" (null)."""
    tabs = baseline()
    tabs["サイクル"][0].append("一歩の実施")
    tabs["サイクル"][2].append(typed)
    report = report_for(tabs)
    assert report.cycles[1].to_json()["step_done"] == key
    assert report.checks == []


def test_a_step_done_typo_keeps_the_cycle() -> None:
    """A typo in 一歩の実施 is unknown_choice; the cycle stays, its step_done null."""
    tabs = baseline()
    tabs["サイクル"][0].append("一歩の実施")
    tabs["サイクル"][2].append("たぶん")
    report = report_for(tabs)
    assert [c.cycle for c in report.cycles] == [1, 2] and report.cycles[1].step_done is None
    assert codes(report) == ["unknown_choice"]


def test_upgrade_adds_the_step_done_column(tmp_path: Path) -> None:
    """A version-1 workbook (no 一歩の実施) gets the column from `upgrade`, data untouched."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    added = upgrade(config_file(tmp_path))
    assert "サイクル!一歩の実施" in added
    assert schema.TEMPLATE_VERSION == 2


# --- a bad cell degrades only itself -----------------------------------------------------------


def test_an_ambiguous_end_date_keeps_the_cycle_with_start_plus_13() -> None:
    """End typed 11/22 (no year): ambiguous_date is raised, the cycle stays with start + 13
    days, its evidence stays inside it and it is still the current cycle."""
    tabs = baseline()
    tabs["サイクル"][2][2] = "11/22"
    report = report_for(tabs)
    assert [(c.code, c.row, c.column) for c in report.checks] == [("ambiguous_date", 3, "end")]
    assert report.cycle(2) is not None and report.cycle(2).end == date(2026, 11, 22)  # type: ignore[union-attr]
    assert report.current_cycle == 2
    assert "evidence_outside_cycles" not in codes(report)
    assert "開始日の13日後" in report.checks[0].message


def test_an_ambiguous_end_date_does_not_move_the_review() -> None:
    """The review cycle stays where the dates put it (cycle 3 of four), not one cycle back."""
    tabs = cycles_of(4, layer_kpis=[PERCENT_KPI], values=[(3, "K3", 25)])
    tabs["サイクル"][3][2] = "12/3"
    report = report_for(tabs, date(2026, 11, 10))
    assert report.review_cycle == 3 and kpi(report, "K3")["latest"]["value"] == 25


def test_a_direction_typo_keeps_the_kpi_and_its_values_with_no_judgement() -> None:
    """良い方向 typed 上がるう: unknown_choice, and the KPI stays with its values, direction
    null and no judgement (the view shows 方向が未設定)."""
    tabs = baseline()
    tabs["KPI"][3][3] = "上がるう"
    report = report_for(tabs, cycle=2)
    entry = kpi(report, "K3")
    assert [c.code for c in report.checks if c.severity == "error"] == ["unknown_choice"]
    assert entry["direction"] is None
    assert [v["value"] for v in entry["values"]] == [22, 25]
    assert (entry["latest"]["value"], entry["latest"]["delta"]) == (25, 3)
    assert (entry["latest"]["judgement"], entry["latest"]["target_met"]) == (None, None)
    assert "良し悪しは出しません" in report.checks[0].message


def test_a_blank_direction_keeps_the_kpi_too() -> None:
    """A blank 良い方向 on a typed KPI is `required`, and the KPI still shows its values."""
    tabs = baseline()
    tabs["KPI"][3][3] = ""
    report = report_for(tabs)
    assert codes(report) == ["required"] and kpi(report, "K3")["direction"] is None
    assert "良し悪しは出しません" in report.checks[0].message


# --- cycle order, ids, formulas, headers ---------------------------------------------------


def test_cycles_numbered_out_of_date_order_are_compared_in_date_order() -> None:
    """Cycle 2 starts before cycle 1: cycle_order names cycle 2's row, and cycle 1 (the later
    one) is compared with cycle 2, never the other way round."""
    tabs = cycles_of(2, layer_kpis=[PERCENT_KPI], values=[(1, "K3", 30), (2, "K3", 20)])
    tabs["サイクル"][1][1] = date(2026, 10, 12)  # cycle 1: 10-12 .. 10-25
    tabs["サイクル"][2][1] = date(2026, 9, 28)  # cycle 2: 09-28 .. 10-11
    report = report_for(tabs, date(2026, 10, 26))
    order = [c for c in report.checks if c.code == "cycle_order"]
    assert [(c.row, c.column) for c in order] == [(3, "start")]
    assert report.review_cycle == 1
    latest = kpi(report, "K3")["latest"]
    assert (latest["previous_cycle"], latest["previous"], latest["judgement"]) == (
        2,
        20,
        "improved",
    )
    assert [v["cycle"] for v in kpi(report, "K3")["values"]] == [2, 1]


def test_full_width_ids_match() -> None:
    """Ｋ３ in KPI values is K3 (ids and references are NFKC-folded)."""
    tabs = baseline()
    tabs["KPI記録"][1][1] = "Ｋ３"
    report = report_for(tabs)
    assert report.checks == [] and kpi(report, "K3")["values"][0] == {"cycle": 1, "value": 22}


def test_a_formula_without_a_result_is_named_not_called_blank() -> None:
    """formula_no_value (a warning) instead of `required`; the row cannot be used."""
    tabs = baseline()
    tabs["KPI記録"][1][2] = UNCOMPUTED
    report = report_for(tabs)
    assert "required" not in codes(report)
    check = next(c for c in report.checks if c.code == "formula_no_value")
    assert (check.severity, check.row, check.column) == ("warning", 2, "value")
    assert "LibreOffice" in check.message


def test_a_row_of_uncomputed_formulas_is_data_not_blank() -> None:
    """A row whose only cell is an uncomputed formula is still reported."""
    tabs = baseline()
    tabs["KPI記録"].append([None, None, UNCOMPUTED, None])
    assert "formula_no_value" in codes(report_for(tabs))


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_header_too_far_down_says_where_the_header_must_be(lang: str) -> None:
    """A header in row 7: the message says the header row must be within the first 5 rows."""
    tabs = baseline()
    tabs["KPI記録"][0:0] = [["KPIの記録"]] + [[None]] * 5
    report = report_for(tabs, lang=lang)
    missing = [c for c in report.checks if c.code == "missing_column"]
    assert missing and all("5" in c.message for c in missing)
    assert all("row 1;" not in c.message and "1行目に" not in c.message for c in missing)


# --- completeness and its words ------------------------------------------------------------


def test_missing_value_names_each_kpi_without_a_value() -> None:
    """An active typed KPI without a value for the review cycle: missing_value names it (in its
    message: no cell was typed, so the check's 入力値 is empty, never 「K4」)."""
    tabs = baseline()
    tabs["KPI"].append(["K4", "説明時間", "中間", "下がる", "分", None, "", "", ""])
    report = report_for(tabs)
    missing = [c for c in report.checks if c.code == "missing_value"]
    assert [c.value for c in missing] == [""]
    assert "説明時間" in missing[0].message and "K4" in missing[0].message
    assert "stale_data" not in codes(report)  # K3 has its value: data is not stale


@pytest.mark.parametrize(
    ("drop_values", "drop_evidence", "ja", "en"),
    [
        (True, False, "KPIの値がまだありません", "has no KPI values yet"),
        (False, True, "証拠がまだありません", "has no evidence yet"),
        (True, True, "KPIの値も証拠もまだありません", "no KPI values and no evidence"),
    ],
)
def test_stale_data_fires_for_either_kind_with_whole_sentences(
    drop_values: bool, drop_evidence: bool, ja: str, en: str
) -> None:
    """stale_data when KPI values or evidence are missing, in correct grammar in both languages
    (never 「KPIの値も証拠がありません」)."""
    for lang, expected in (("ja", ja), ("en", en)):
        tabs = baseline()
        if drop_values:
            tabs["KPI記録"] = [t for t in tabs["KPI記録"] if t[0] != 1]
        if drop_evidence:
            tabs["証拠"] = [tabs["証拠"][0], tabs["証拠"][3]]
        report = report_for(tabs, lang=lang)
        stale = [c for c in report.checks if c.code == "stale_data"]
        assert len(stale) == 1 and expected in stale[0].message
        assert "証拠がありません" not in stale[0].message


def test_missing_hypothesis_and_change_on_a_done_cycle() -> None:
    """A done cycle with neither 仮説 nor 改善: one check each."""
    tabs = baseline()
    tabs["サイクル"][1][3] = tabs["サイクル"][1][4] = ""
    assert {"missing_hypothesis", "missing_change"} <= set(codes(report_for(tabs)))


def test_a_planned_cycle_needs_no_hypothesis_yet() -> None:
    """Only running or done cycles need a hypothesis and a change."""
    tabs = baseline()
    tabs["サイクル"].append([3, "2026-11-23", "", "", "", "", "", "計画", ""])
    assert report_for(tabs).checks == []


def test_evidence_incomplete_is_one_check_per_cycle() -> None:
    """Several rows without scene or next try in one cycle give one check, not one per row."""
    tabs = baseline()
    for row in tabs["証拠"][1:]:
        row[6] = ""
    incomplete = [c for c in report_for(tabs).checks if c.code == "evidence_incomplete"]
    assert len(incomplete) == 2  # cycle 1 and cycle 2


# --- 1つだけ ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "col", "column"),
    [(2, 3, "hypothesis"), (2, 4, "change"), (2, 6, "next_step")],
)
def test_a_one_line_list_is_multiple_items_in_each_cycle_column(
    row: int, col: int, column: str
) -> None:
    """「説明トークの順番を変え、店頭POPも新しくする」 is two changes in one line."""
    tabs = baseline()
    tabs["サイクル"][row - 1][col] = "説明トークの順番を変え、店頭POPも新しくする"
    found = [c for c in report_for(tabs).checks if c.code == "multiple_items"]
    assert [(c.row, c.column) for c in found] == [(row, column)]


def test_next_try_is_one_item_too() -> None:
    """次に試すこと with two items: multiple_items on that evidence row."""
    tabs = baseline()
    tabs["証拠"][2][6] = "①POPを変える ②試飲を出す"
    found = [c for c in report_for(tabs).checks if c.code == "multiple_items"]
    assert [(c.tab, c.row, c.column) for c in found] == [("evidence", 3, "next_try")]


@pytest.mark.parametrize(
    ("text", "flagged"),
    [
        ("店頭の黒板に、今週の豆・焙煎度・味の目安を書く", False),
        ("歯科の初診は、痛み/費用/時間の3点が分からず予約をためらう", False),
        ("目安カードを置く+試飲を出す", True),
        ("目安カード設置、試飲、POP改善", True),
    ],
)
def test_a_noun_list_is_one_change_but_two_actions_are_not(text: str, flagged: bool) -> None:
    """In the change column, 「A・B・Cを書く」 is one change; two actions are multiple_items."""
    tabs = baseline()
    tabs["サイクル"][1][4] = text
    found = [c for c in report_for(tabs).checks if c.code == "multiple_items"]
    assert [(c.row, c.column) for c in found] == ([(2, "change")] if flagged else [])


def test_a_150_character_learning_is_too_long() -> None:
    """A "one-line" learning of 150 characters is learning_too_long."""
    tabs = baseline()
    tabs["サイクル"][1][5] = "目安を先に出すと比較の質問が減った" * 9  # 153 characters
    found = [c for c in report_for(tabs).checks if c.code == "learning_too_long"]
    assert [(c.row, c.column) for c in found] == [(2, "learning")]


def test_a_one_line_english_learning_of_ordinary_length_passes() -> None:
    """60 is counted in full-width characters: an ordinary English sentence is not too long."""
    tabs = baseline()
    tabs["サイクル"][1][5] = (
        "With the guide up front, fewer comparison questions, but many ask before looking"
    )
    assert report_for(tabs).checks == []


# --- the report's shape --------------------------------------------------------------------


def test_the_agenda_state_is_a_frozen_value_with_reminder_fields() -> None:
    """report.agenda is typed and frozen; its JSON keeps the spec's keys plus the reminder's and
    the follow-up's."""
    report = report_for(baseline())
    assert isinstance(report.agenda, AgendaState)
    with pytest.raises(AttributeError):
        report.agenda.sent = True  # type: ignore[misc]
    assert report.to_json()["agenda"] == {
        "cycle": 1,
        "due": "2026-11-07",
        "sent": False,
        "sent_at": None,
        "reminder_sent": False,
        "reminder_sent_at": None,
        "follow_up": None,
        "follow_up_sent_at": None,
        "chat": [],
    }


def test_every_cycle_carries_step_done_and_every_evidence_entry_thin() -> None:
    """The JSON cycles carry step_done (null when blank); evidence entries carry thin."""
    data = report_for(baseline()).to_json()
    assert [c["step_done"] for c in data["cycles"]] == [None, None]
    assert [e["thin"] for e in data["evidence"]] == [False, True]


def test_the_agenda_reads_a_kpi_exactly_as_the_report_does() -> None:
    """One KPI rule: at every cycle, agenda.measure (from the values) equals the report's
    own latest for that cycle (--cycle N), rounding included."""
    values: list[tuple[int, str, object]] = [
        (1, "K3", 20.1),
        (2, "K3", 22.3),
        (3, "K3", 0.5),
        (4, "K3", 22.3),
    ]
    kpis: list[list[object]] = [
        PERCENT_KPI,
        ACTION_KPI,
        ["K4", "時間", "中間", "下がる", "分", 4, "", "", ""],
    ]
    values += [(1, "K1", 1), (3, "K1", 0), (2, "K4", 6.2), (4, "K4", 4.1)]
    tabs = cycles_of(5, layer_kpis=kpis, values=values)
    full = report_for(tabs, TODAY_IN_5)
    for number in (1, 2, 3, 4, 5):
        pinned = report_for(tabs, TODAY_IN_5, cycle=number)
        for entry in pinned.kpis:
            latest = entry["latest"]
            assert latest is not None
            other = next(k for k in full.kpis if k["id"] == entry["id"])
            reading = read_kpi({**other, "latest": None}, number)
            assert (reading.value, reading.previous, reading.delta, reading.delta_pct,
                    reading.judgement, reading.target_met, reading.streak, reading.doubted) == (
                latest["value"], latest["previous"], latest["delta"], latest["delta_pct"],
                latest["judgement"], latest["target_met"], latest["streak"], latest["doubted"],
            ), (entry["id"], number)  # fmt: skip


def test_the_summary_trend_leaves_a_doubted_value_out() -> None:
    """The Summary's text sparkline is drawn from 20, 22, 25 — not from the doubted 0.71."""
    values = [(1, "K3", 20), (2, "K3", 22), (3, "K3", 0.71), (4, "K3", 25)]
    report = report_for(cycles_of(5, layer_kpis=[PERCENT_KPI], values=values), TODAY_IN_5)
    tab = summary_tab(report, titles={}, sparkline="text", now=NOW)
    sparks = [cell.value for row in tab.rows for cell in row if cell.style == "spark"]
    assert sparks == [text_sparkline([20, 22, 25])]


def test_the_agenda_row_of_a_kpi_without_direction_says_so() -> None:
    """A direction typo reaches the agenda as 方向が未設定, never as "higher is better"."""
    tabs = baseline()
    tabs["KPI"][3][3] = "上がるう"
    report = report_for(tabs, cycle=2)
    entry = kpi(report, "K3")
    cycle = report.cycle(2)
    assert cycle is not None
    context = RowContext(cycle, "ja", images=False, first=False, just_before=1)
    row = kpi_row(entry, read_kpi(entry, 2), 0, context)
    assert (row.better_when, row.word, row.judgement) == ("方向が未設定", "方向が未設定", None)


def test_an_english_unknown_choice_lists_the_choices_without_japanese_punctuation() -> None:
    """The allowed choices are quoted and joined the English way ("up", "down")."""
    tabs = baseline()
    tabs["KPI"][3][3] = "sideways"
    check = next(c for c in report_for(tabs, lang="en").checks if c.code == "unknown_choice")
    assert '"up", "down"' in check.message
    assert not set(check.message) & set("「」、。")
