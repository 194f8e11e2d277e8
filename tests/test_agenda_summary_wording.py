"""What reaches the agenda and the Summary tells the truth, in the method's spirit: doubted values
are never judged, thin evidence is never improvement, the action layer asks "did we do it?",
nothing is silently left out, and no grading word appears anywhere staff read."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.core.report import Check, KpiJson, Report
from sheets_sync.core.summary import summary_tab
from sheets_sync.meeting import build_view, render_agenda
from sheets_sync.meeting.chain import layer_states
from sheets_sync.run.doctor import diagnose
from sheets_sync.run.sync import RunOptions, run
from tests.support.agenda_fixtures import NOW, Lang, make_kpi, make_report, write_config
from tests.support.workbooks import baseline, config_file, write_xlsx

GRADING = ("未達", "判定", "悪くなった", "worse", "missed", "#c62828")


def summary_cells(report: Report) -> list[list[Any]]:
    tab = summary_tab(report, titles={}, sparkline="text", now=NOW)
    return [[cell.value for cell in row] for row in tab.rows]


def summary_text(report: Report) -> str:
    return "\n".join(str(v) for row in summary_cells(report) for v in row if v is not None)


def kpi_line(report: Report, kpi_id: str) -> list[Any]:
    name = next(k["name"] for k in report.kpis if k["id"] == kpi_id)
    return next(
        row for row in summary_cells(report) if len(row) > 8 and str(row[1]).startswith(name)
    )


def doubted_report(lang: Lang) -> Report:
    """購入率 typed as 0.71 (meant 71%? 27%?): percent_as_fraction, so the core doubts it."""
    report = make_report(lang)
    purchase = next(k for k in report.kpis if k["id"] == "K4")
    purchase["values"][-1] = {"cycle": 3, "value": 0.71}
    assert purchase["latest"] is not None
    latest = purchase["latest"]
    latest["value"], latest["delta"], latest["delta_pct"] = 0.71, None, None
    latest["judgement"], latest["target_met"], latest["doubted"] = None, None, True
    warning = Check("warning", "percent_as_fraction", "values", 12, "value", "0.71",
                    "「購入率」の値0.71は割合で入力されたようです。" if lang == "ja"
                    else 'The value 0.71 for "Purchase rate" looks like a fraction.',
                    "KPI記録", "C")  # fmt: skip
    return replace(report, checks=[*report.checks, warning])


def thin_report(lang: Lang) -> Report:
    """Cycle 3's evidence cut to one row: evidence_thin marks it."""
    report = make_report(lang)
    items = [i for i in report.evidence_items if i.cycle != 3 or i.signal == "relief"][:7]
    report = replace(report, evidence_items=items)
    for entry in report.evidence:
        if entry["cycle"] == 3:
            entry["counts"] = {s: (1 if s == "relief" else 0) for s in entry["counts"]}
            entry["positive"], entry["negative"], entry["net"] = 1, 0, 1
            entry["thin"] = True
    hesitation = next(k for k in report.kpis if k["id"] == "K2")
    hesitation["values"][-1] = {"cycle": 3, "value": 0}
    assert hesitation["latest"] is not None
    latest = hesitation["latest"]
    latest["value"], latest["delta"], latest["delta_pct"] = 0, -3, -1.0
    latest["judgement"], latest["target_met"] = "improved", True
    return report


def with_action(report: Report, judgement: str, values: dict[int, float]) -> Report:
    """K1 as the chapter's action KPI 「改善を1つ実装したか」 = 1 every cycle, judged per cycle."""
    kpi = make_kpi("K1", "改善を1つ実装したか", "action", "up", "回", None, values)
    assert kpi["latest"] is not None
    kpi["latest"]["judgement"] = judgement  # type: ignore[typeddict-item]
    kpis = [kpi, *(k for k in report.kpis if k["id"] != "K1")]
    return replace(report, kpis=kpis)


# -- 1. doubted values -------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_a_doubted_value_is_shown_as_typed_and_marked_check(tmp_path: Path, lang: Lang) -> None:
    """0.71 for a % KPI: shown as typed with 要確認 / "check", no arrow, no change, no target
    gap, no trend point, no part in the chain note; listed at the top and in the open checks."""
    report = doubted_report(lang)
    view = build_view(report, write_config(tmp_path, language=lang))
    row = next(r for r in view.kpis if r.id == "K4")
    assert row.current == "0.71"
    assert row.word == ("要確認" if lang == "ja" else "check") and row.verdict == row.word
    assert (row.arrow, row.change, row.met_word, row.met) == ("–", "", "", None)
    assert row.series == (22.0, 24.5)  # the doubted 0.71 is not a point on the trend
    assert layer_states(report, 3)["result"] == "doubted"  # never read as a move
    assert any("0.71" in line for line in view.freshness.missing)
    assert any("0.71" in line.message for line in view.checks.lines)
    line = kpi_line(report, "K4")
    assert line[3] == 0.71 and line[4] == "—" and line[6] == ("要確認" if lang == "ja" else "check")
    assert line[8] == ""  # no "to target" for a value we doubt


def test_a_doubted_value_from_a_real_sync_is_shown_as_typed(tmp_path: Path) -> None:
    """End to end: 0.71 typed for the % KPI in cycle 2 → 要確認, no arrow, listed in checks."""
    tabs = baseline()
    tabs["KPI記録"] = [row if row[0] != 2 else [2, "K3", 0.71, ""] for row in tabs["KPI記録"]]
    write_xlsx(tmp_path / "book.xlsx", tabs)
    config = load_config(config_file(tmp_path))
    report = run(config, RunOptions(as_of=date(2026, 11, 21), dry_run=True)).report
    view = build_view(report, config)
    row = next(r for r in view.kpis if r.id == "K3")
    assert (row.current, row.word, row.arrow, row.change) == ("0.71", "要確認", "–", "")
    assert any("0.71" in line.message for line in view.checks.lines)
    text = render_agenda(report, config).text
    assert "0.71%" not in text and "悪くなった" not in text


def test_the_agenda_footer_lists_warnings_that_touch_the_review_cycle(tmp_path: Path) -> None:
    """Beside the errors: the warnings of the review (and current) cycle; an older cycle's
    warning is only counted, and waits in the Checks tab under 過去のサイクル."""
    report = make_report("ja")
    review_row = next(c.row for c in report.cycles if c.cycle == 3)
    extra = [
        Check("warning", "missing_value", "values", None, None, "", "K3 サイクル3 値なし", cycle=3),
        Check("warning", "missing_hypothesis", "cycles", review_row, "hypothesis", "",
              "仮説が空欄", cycle=3),
        Check("warning", "cycle_length", "cycles", 2, "end", "", "サイクル1は10日間", cycle=1),
    ]  # fmt: skip
    view = build_view(replace(report, checks=[*report.checks, *extra]), write_config(tmp_path))
    listed = [line.message for line in view.checks.lines]
    assert "K3 サイクル3 値なし" in listed and "仮説が空欄" in listed
    assert "サイクル1は10日間" not in listed
    assert view.checks.past_text.startswith("過去のサイクルの注意1件は")


# -- 2. thin evidence --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_thin_evidence_is_few_records_never_better(tmp_path: Path, lang: Lang) -> None:
    """Evidence cut to one row: hesitation 3→0 is 「記録が少ない」, not 良い方向/達成; the signal
    changes say so too, and the chain note talks about recording, not about customers."""
    report = thin_report(lang)
    few = "記録が少ない" if lang == "ja" else "few records"
    view = build_view(report, write_config(tmp_path, language=lang))
    hesitation = next(r for r in view.kpis if r.id == "K2")
    assert hesitation.word == few and hesitation.arrow == "–" and hesitation.change == ""
    assert hesitation.met_word == "" and hesitation.series == (6.0, 3.0)  # no 達成, no trend point
    assert all(signal.change == few and signal.tone == "neutral" for signal in view.signals)
    assert ("証拠の記録が少なく" if lang == "ja" else "too few evidence records") in view.chain_note
    assert any(few.split()[0] in line or "few" in line for line in view.freshness.missing)
    assert kpi_line(report, "K2")[6] == few and kpi_line(report, "K2")[8] == ""
    evidence_deltas = [row[4] for row in summary_cells(report) if len(row) > 4 and row[4] == few]
    assert len(evidence_deltas) >= 6  # every signal row of the evidence table


def test_thin_evidence_from_a_real_sync_reads_few_records(tmp_path: Path) -> None:
    """End to end: the baseline's cycle 2 has 1 evidence row (evidence_thin); the core doubts
    the hesitation count, and the agenda and Summary say 記録が少ない, not 要確認 or better."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    config = load_config(config_file(tmp_path))
    report = run(config, RunOptions(as_of=date(2026, 11, 21), dry_run=True)).report
    assert report.review_cycle == 2 and "evidence_thin" in {c.code for c in report.checks}
    row = next(r for r in build_view(report, config).kpis if r.id == "K2")
    assert row.word == "記録が少ない" and row.met_word == ""
    assert kpi_line(report, "K2")[6] == "記録が少ない"


# -- 3. the action layer asks "did we do it?" ---------------------------------------------------


@pytest.mark.parametrize(
    ("judgement", "ja", "en"), [("done", "できた", "done"), ("not_done", "まだ", "not yet")]
)
def test_an_action_kpi_says_done_or_not_yet(
    tmp_path: Path, judgement: str, ja: str, en: str
) -> None:
    """「改善を1つ実装したか」 = 1 every cycle is done in the report (its judgement), but the
    agenda and the Summary have one answer to "did we do it?": 一歩の実施. The action KPI's line
    repeats it (here できた / まだ as recorded), never its own verdict beside another answer, and
    never 「行動KPIが動いていません」."""
    languages: tuple[tuple[Lang, str], ...] = (("ja", ja), ("en", en))
    step = "yes" if judgement == "done" else "no"
    for lang, word in languages:
        report = with_action(
            make_report(lang), judgement, {1: 1, 2: 1, 3: 1 if ja == "できた" else 0}
        )
        cycles = [replace(c, step_done=step) if c.cycle == 3 else c for c in report.cycles]  # type: ignore[arg-type]
        report = replace(report, cycles=cycles)
        assert report.kpis[0]["latest"]["judgement"] == judgement  # type: ignore[index]
        view = build_view(report, write_config(tmp_path, language=lang))
        row = next(r for r in view.kpis if r.id == "K1")
        assert row.word.endswith(word) and row.change == ""
        assert kpi_line(report, "K1")[6] == row.word
        assert "動いていません" not in render_agenda(report, write_config(tmp_path)).text


@pytest.mark.parametrize(
    ("step_done", "status", "ja"),
    [("yes", "done", "できた"), ("partial", "partly", "一部"), ("no", "not_done", "まだ")],
)
def test_section_one_uses_step_done_when_recorded(
    tmp_path: Path, step_done: str, status: str, ja: str
) -> None:
    """一歩の実施 recorded → section ① says it, as staff recorded it."""
    report = make_report("ja")
    cycles = [replace(c, step_done=step_done) if c.cycle == 3 else c for c in report.cycles]  # type: ignore[arg-type]
    view = build_view(replace(report, cycles=cycles), write_config(tmp_path))
    assert view.last_step.status == status and view.last_step.status_text.startswith(ja)


def test_step_done_typed_in_the_sheet_reaches_section_one(tmp_path: Path) -> None:
    """End to end: 一歩の実施 = 一部 on cycle 2 → section ① says 一部."""
    tabs = baseline()
    tabs["サイクル"][0].append("一歩の実施")
    tabs["サイクル"][2].append("一部")
    write_xlsx(tmp_path / "book.xlsx", tabs)
    config = load_config(config_file(tmp_path))
    report = run(config, RunOptions(as_of=date(2026, 11, 21), dry_run=True)).report
    assert build_view(report, config).last_step.status_text.startswith("一部(")


def test_section_one_asks_when_step_done_is_blank_even_if_the_action_kpi_is_flat(
    tmp_path: Path,
) -> None:
    """The demo on the send day with 状態 blank: サイクル完了数 2→2. The agenda asks
    (できた/一部/まだ) and never tells the team, under the owner's name, that it was not done."""
    kpis = [make_kpi("K1", "サイクル完了数", "action", "up", "回", None, {2: 2, 3: 2})]
    report = make_report("ja", kpis=kpis)
    text = render_agenda(report, write_config(tmp_path)).text
    assert "できた・一部・まだ" in text
    assert "実行できていない" not in text and "動いていません" not in text


def test_the_summary_card_does_not_show_owner_as_the_current_cycles_owner() -> None:
    """担当 is the next step's owner: the learning log shows it beside the next step (headed
    担当(次の一歩)); the current cycle card shows 一歩の実施 instead."""
    cells = summary_cells(make_report("ja"))
    labels = [row[0] for row in cells if row]
    assert "担当" not in labels and "一歩の実施" in labels
    step = "はじめての方向けに3種の飲み比べを出す"
    assert any(len(row) > 9 and row[7] == step and row[9] == "田中" for row in cells)
    assert any(len(row) > 9 and row[9] == "担当(次の一歩)" for row in cells)


# -- 4. no grading words ----------------------------------------------------------------------


def worsened_report(lang: Lang) -> Report:
    kpis = [
        make_kpi("K2", "迷いのサイン", "intermediate", "down", "件", 5, {2: 2, 3: 4}),
        make_kpi("K3", "説明時間", "intermediate", "down", "分", 4, {2: 6, 3: 4.5}),
        make_kpi("K4", "購入率", "result", "up", "%", 30, {2: 27, 3: 22}),
    ]
    return make_report(lang, kpis=kpis)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("build", [make_report, worsened_report, doubted_report, thin_report])
def test_no_grading_words_anywhere_staff_read(tmp_path: Path, lang: Lang, build: Any) -> None:
    """The rendered agenda (text and HTML) and every Summary cell: no 未達 / 判定 / 悪くなった /
    "worse" / "missed" and no red verdict colour."""
    report = build(lang)
    rendered = render_agenda(report, write_config(tmp_path, language=lang))
    for text in (rendered.subject, rendered.text, rendered.html, summary_text(report)):
        for word in GRADING:
            assert word not in text, word


def test_a_target_not_met_says_how_far_there_is_to_go() -> None:
    """説明時間 4.5分 with target 4分: 「あと0.5分」 under 「目標まで」, in the agenda
    「目標 4分まで あと0.5分」; a met target says 達成."""
    report = worsened_report("ja")
    line = kpi_line(report, "K3")
    assert line[8] == "あと0.5分"
    headers = next(row for row in summary_cells(report) if len(row) > 8 and row[0] == "層")
    assert headers[6] == "動き" and headers[8] == "目標まで"


def test_agenda_says_target_gap_in_words(tmp_path: Path) -> None:
    """The agenda line reads 「目標 4分まで あと0.5分」."""
    text = render_agenda(worsened_report("ja"), write_config(tmp_path)).text
    assert "目標 4分まで あと0.5分" in text


def test_english_units_are_singular_for_one(tmp_path: Path) -> None:
    """ "up 1 visit" and "1 remark", never "1 visits" or "1 remarks"."""
    kpis = [
        make_kpi("K1", "Cycles run", "action", "up", "cycles", None, {2: 2, 3: 3}),
        make_kpi("K2", "Hesitation", "intermediate", "down", "remarks", None, {2: 3, 3: 1}),
        make_kpi("K3", "Return visits", "result", "up", "visits", None, {2: 2, 3: 3}),
    ]
    view = build_view(make_report("en", kpis=kpis), write_config(tmp_path, language="en"))
    rows = {row.id: row for row in view.kpis}
    assert rows["K1"].before == "before 2 cycles" and rows["K2"].current == "1 remark"
    assert rows["K2"].change == "down 2 remarks" and rows["K3"].change == "up 1 visit"


def test_ground_rule_stands_under_the_summary_title() -> None:
    """Row 2 of the Summary is the ground rule, in both languages."""
    assert "誰かを責めず「試して学ぶ」" in summary_cells(make_report("ja"))[1][0]
    assert "No blame" in summary_cells(make_report("en"))[1][0]


def test_hypothesis_is_asked_about_customers_reactions(tmp_path: Path) -> None:
    """Learning is not a quiz: 「お客さまの反応から何がわかりましたか?」."""
    view = build_view(make_report("ja"), write_config(tmp_path))
    assert view.hypothesis_prompt.endswith("お客さまの反応から何がわかりましたか?")
    assert "当たって" not in view.hypothesis_prompt


# -- 5. nothing is silently absent -------------------------------------------------------------


def test_a_left_out_kpi_row_is_named_in_the_summary_and_the_agenda(tmp_path: Path) -> None:
    """A KPI row dropped by an error check is visible as left out, with where to look."""
    report = make_report("ja")
    dropped = Check("error", "not_a_number", "kpis", 6, "target", "たくさん",
                    "「目標」の「たくさん」を数字として読めません。", "KPI", "F")  # fmt: skip
    report = replace(report, checks=[*report.checks, dropped])
    assert "「KPI」6行目(たくさん)：集計に入っていません → 「チェック」タブ" in summary_text(report)
    view = build_view(report, write_config(tmp_path))
    assert any("「KPI」6行目" in line for line in view.freshness.missing)


def test_a_degraded_row_is_not_called_left_out() -> None:
    """A cycle still in the report (its bad end date fell back) and a KPI whose only error is
    its direction are kept, so they are not listed as left out — the check still is."""
    report = make_report("ja")
    review_row = next(c.row for c in report.cycles if c.cycle == 3)
    degraded = [
        Check("error", "ambiguous_date", "cycles", review_row, "end", "12/3", "年がありません",
              "サイクル", "C"),
        Check("error", "unknown_choice", "kpis", 6, "direction", "うえ", "選べる値ではありません",
              "KPI", "D"),
    ]  # fmt: skip
    report = replace(report, checks=[*report.checks, *degraded])
    assert "集計に入っていません" not in summary_text(report)


def test_a_kpi_without_a_direction_keeps_its_values_with_no_judgement(tmp_path: Path) -> None:
    """A direction typo: the KPI stays in the Summary with 「方向が未設定」 and its numbers."""
    kpi: KpiJson = make_kpi("K3", "説明時間", "intermediate", "down", "分", None, {2: 6, 3: 4.5})
    kpi["direction"] = None
    report = make_report("ja", kpis=[kpi])
    line = kpi_line(report, "K3")
    assert (line[2], line[3], line[6]) == (6, 4.5, "方向が未設定")
    row = build_view(report, write_config(tmp_path)).kpis[0]
    assert row.word == "方向が未設定" and row.better_when == "方向が未設定"


# -- 7. the meeting stays the method's ---------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "subject"),
    [
        ("ja", "[さくら珈琲] 30分ミーティング 11月15日(日) — サイクル3"),
        ("en", "[Sakura Coffee] 30-minute meeting Sun 15 Nov — cycle 3"),
    ],
)
def test_subject_uses_meeting_minutes(tmp_path: Path, lang: Lang, subject: str) -> None:
    """meeting.minutes = 30 → the subject says 30, not 15."""
    view = build_view(make_report(lang), write_config(tmp_path, language=lang, minutes=30))
    assert view.subject == subject


def test_doctor_notes_a_meeting_longer_than_15_minutes(tmp_path: Path) -> None:
    """A 30-minute meeting is a note (not a failure); 15 minutes says nothing."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    path = config_file(tmp_path, extra="[meeting]\nminutes = 30\n")
    notes = [f for f in diagnose(path) if f.area == "meeting"]
    assert len(notes) == 1 and notes[0].ok and "longer than the method's 15" in notes[0].message
    path.write_text(path.read_text(encoding="utf-8").replace("minutes = 30", "minutes = 15"))
    assert [f for f in diagnose(path) if f.area == "meeting"] == []


# -- 6. the minimum set ------------------------------------------------------------------------


def test_new_client_prefills_the_minimum_set_and_empty_leaves_it_blank(tmp_path: Path) -> None:
    """`new-client` fills 行動 サイクル回数 (auto), 中間 迷いのサイン (auto), 結果 購入率;
    `--empty` gives a KPI tab with only its header."""
    runner = CliRunner()
    made = runner.invoke(main, ["new-client", "花屋", "--config-dir", str(tmp_path / "a")])
    assert made.exit_code == 0, made.output
    rows = list(load_workbook(tmp_path / "a" / "花屋.xlsx")["KPI"].iter_rows(values_only=True))
    kpis = [row[:7] for row in rows[1:] if row[0]]
    assert [(r[0], r[1], r[2], r[6]) for r in kpis] == [
        ("K1", "サイクル回数", "行動", "サイクル完了数"),
        ("K2", "迷いのサイン", "中間", "証拠:迷い"),
        ("K3", "購入率(成約率)", "結果", None),
    ]
    empty = runner.invoke(main, ["new-client", "花屋", "--empty", "--config-dir",
                                 str(tmp_path / "b")])  # fmt: skip
    assert empty.exit_code == 0, empty.output
    rows = list(load_workbook(tmp_path / "b" / "花屋.xlsx")["KPI"].iter_rows(values_only=True))
    assert [row for row in rows[1:] if row[0]] == []
    check = runner.invoke(main, ["check", "--config", str(tmp_path / "a" / "花屋.toml")])
    assert "too_few_kpis" not in check.output and "missing_layer" not in check.output
