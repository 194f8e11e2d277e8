"""A bad cell (or tab) degrades only itself, in the pure core: an unreadable tab's numbers are
unknown, never zeros or "no value", every left-out row is named in plain words, and a percent
typed as fractions is doubted — what reaches the meeting is true."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from openpyxl import load_workbook

from sheets_sync.config import load_config
from sheets_sync.core.summary import summary_tab
from sheets_sync.core.validate import validate
from sheets_sync.meeting import build_view, render_agenda
from sheets_sync.meeting.chain import layer_states
from sheets_sync.meeting.reminder import missing_inputs
from sheets_sync.run.sync import RunOptions, run
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
    Tabs,
    baseline,
    config_file,
    snapshot,
    write_xlsx,
)

# --- percent typed as fractions throughout (finding 4) ------------------------------------


def test_a_percent_kpi_typed_as_fractions_throughout_is_doubted_by_its_target() -> None:
    """0.22, 0.245, 0.27, 0.29 with target 30: no whole value to compare with, but the target
    is a whole percent, so every fraction is percent_as_fraction and never judged."""
    values = [(1, "K3", 0.22), (2, "K3", 0.245), (3, "K3", 0.27), (4, "K3", 0.29)]
    report = report_for(cycles_of(5, layer_kpis=[PERCENT_KPI], values=values), TODAY_IN_5)
    doubted = [c for c in report.checks if c.code == "percent_as_fraction"]
    assert sorted(c.row or 0 for c in doubted) == [2, 3, 4, 5]
    latest = kpi(report, "K3")["latest"]
    assert (latest["value"], latest["doubted"], latest["judgement"]) == (0.29, True, None)


def test_a_fraction_percent_kpi_with_a_fraction_target_is_not_doubted() -> None:
    """Target 0.3 and values 0.22 → 0.27: typed consistently as fractions, nothing is doubted."""
    fraction_kpi = [*PERCENT_KPI[:5], 0.3, *PERCENT_KPI[6:]]
    values = [(3, "K3", 0.22), (4, "K3", 0.27)]
    report = report_for(cycles_of(5, layer_kpis=[fraction_kpi], values=values), TODAY_IN_5)
    assert "percent_as_fraction" not in codes(report)
    assert kpi(report, "K3")["latest"]["judgement"] == "improved"


def test_the_percent_as_fraction_message_uses_the_value_itself() -> None:
    """0.71 → 71 in both languages, not a fixed 12."""
    values = [(2, "K3", 62), (3, "K3", 0.71)]
    tabs = cycles_of(4, layer_kpis=[PERCENT_KPI], values=values)
    for lang in ("ja", "en"):
        report = report_for(tabs, date(2026, 11, 10), lang=lang)
        text = next(c.message for c in report.checks if c.code == "percent_as_fraction")
        assert "0.71 → 71" in text and "12" not in text


# --- a doubted value carries no streak (finding 5) ------------------------------------------


def test_a_doubted_latest_value_has_streak_0() -> None:
    """20 → 22 → 25 → (0.71 doubted): the latest value is out of the streak, so streak is 0,
    not the 2 improvements before it."""
    values = [(1, "K3", 20), (2, "K3", 22), (3, "K3", 25), (4, "K3", 0.71)]
    report = report_for(cycles_of(5, layer_kpis=[PERCENT_KPI], values=values), TODAY_IN_5)
    latest = kpi(report, "K3")["latest"]
    assert (latest["doubted"], latest["streak"]) == (True, 0)


# --- ambiguous_tab names the input tab's proper title (finding 6) ----------------------------


def test_ambiguous_tab_names_the_proper_title_not_the_tab_read() -> None:
    """Two look-alikes of KPI記録: the message says both could be 「KPI記録」 (the input tab),
    never 「KPI記録(古い)」, in either language."""
    tabs = baseline()
    rows = tabs.pop("KPI記録")
    tabs = {"KPI記録(古い)": [row[:] for row in rows], **tabs, "KPI記録 (2)": rows}
    ja = next(c for c in validate(snapshot(tabs), "ja", BASELINE_TODAY).checks
              if c.code == "ambiguous_tab")  # fmt: skip
    assert "どちらも「KPI記録」として読めます" in ja.message
    assert ja.tab_title == "KPI記録(古い)"  # the link still goes to the tab read
    en = next(c for c in validate(snapshot(tabs), "en", BASELINE_TODAY).checks
              if c.code == "ambiguous_tab")  # fmt: skip
    assert en.message.startswith('Two tabs could be "KPI values"')


# --- cycles_done counts by cycle number (finding 3) ------------------------------------------

DEMO_TODAY = date(2026, 11, 23)  # cycle 4 of the demo ends tomorrow: the send day


def _demo_with_cycle_5(status: str | None) -> Tabs:
    """The demo plus a cycle 5 whose year was mistyped (2025/12/4 instead of 2026/12/4)."""
    tabs = demo_tabs("ja", DEMO_TODAY, days_into=12)
    tabs["サイクル"].append([5, "2025/12/4", None, "次の仮説", "", "", "", status, "", None])
    return tabs


def test_a_mistyped_year_does_not_make_k1_jump() -> None:
    """Cycle 5 dated 2025 (status blank, so done by its dates) still counts only at cycles ≥ 5:
    サイクル完了数 at the review cycle 4 stays 4 (by date it was 5)."""
    report = report_for(_demo_with_cycle_5(None), DEMO_TODAY)
    assert report.review_cycle == 4
    values = {v["cycle"]: v["value"] for v in kpi(report, "K1")["values"]}
    assert [values[n] for n in (1, 2, 3, 4)] == [1, 2, 3, 4]
    assert kpi(report, "K1")["latest"]["value"] == 4


def test_a_cycle_typed_planned_never_counts_even_with_past_dates() -> None:
    """状態 計画 with dates in the past: not done, no K1 value of its own, no missing_learning
    or missing_next_step."""
    report = report_for(_demo_with_cycle_5("計画"), DEMO_TODAY)
    assert [c.status for c in report.cycles if c.cycle == 5] == ["planned"]
    assert 5 not in {v["cycle"] for v in kpi(report, "K1")["values"]}
    assert kpi(report, "K1")["latest"]["value"] == 4
    assert not {"missing_learning", "missing_next_step"} & set(codes(report))


# --- a tab the sync cannot read does not cascade (finding 1) ---------------------------------


def _demo_today() -> Tabs:
    return demo_tabs("ja", DEMO_TODAY, days_into=12)


def test_an_unreadable_values_tab_raises_no_stale_data_or_missing_value() -> None:
    """A second 値 column (E1) skips the values tab with duplicate_column; nothing then tells
    staff to add rows that are there (stale_data about values, missing_value per KPI)."""
    tabs = _demo_today()
    tabs["KPI記録"][0].append("値")
    report = report_for(tabs, DEMO_TODAY)
    assert codes(report) == ["duplicate_column"]
    assert report.unreadable == {"values"}


def test_an_unreadable_kpi_tab_raises_no_unknown_kpi() -> None:
    """C1 renamed レイヤー: missing_column on the KPI tab, and not 8× unknown_kpi."""
    tabs = _demo_today()
    tabs["KPI"][0][2] = "レイヤー"
    assert codes(report_for(tabs, DEMO_TODAY)) == ["missing_column"]


def test_an_unreadable_cycles_tab_raises_no_unknown_cycle() -> None:
    """B1 of サイクル renamed: missing_column, and no unknown_cycle on any value or evidence."""
    tabs = _demo_today()
    tabs["サイクル"][0][1] = "はじまり"
    report = report_for(tabs, DEMO_TODAY)
    assert codes(report) == ["missing_column"]
    assert report.review_cycle is None


def test_an_unreadable_evidence_tab_has_unknown_counts_not_zeros() -> None:
    """サイン renamed: evidence is null in the JSON (not 0 per signal), no stale_data or
    evidence_thin about it, and the evidence-counted KPI is not a missing value."""
    tabs = _demo_today()
    tabs["証拠"][0][3] = "しるし"
    report = report_for(tabs, DEMO_TODAY)
    assert codes(report) == ["missing_column"]
    data = report.to_json()
    assert data["evidence"] is None and report.unreadable == {"evidence"}


def test_a_missing_tab_is_unreadable_too() -> None:
    """No 証拠 tab at all: missing_tab, and no stale_data saying there is no evidence yet."""
    tabs = _demo_today()
    tabs.pop("証拠")
    report = report_for(tabs, DEMO_TODAY)
    assert codes(report) == ["missing_tab"] and report.to_json()["evidence"] is None


def test_unreadable_evidence_reads_as_unknown_in_summary_agenda_and_log(
    tmp_path: Path,
) -> None:
    """End to end on a real .xlsx: the Summary's evidence table says 読めません instead of
    迷い 0 → 0, the agenda says the counts are unknown rather than "no evidence yet", and the
    Log's counts say 読めません rather than 0 rows."""
    tabs = _demo_today()
    tabs["証拠"][0][3] = "しるし"
    write_xlsx(tmp_path / "book.xlsx", tabs)
    config = load_config(config_file(tmp_path))
    report = run(config, RunOptions(as_of=DEMO_TODAY, no_agenda=True)).report
    book = load_workbook(tmp_path / "book.xlsx")
    summary = [
        [c for c in row if c is not None] for row in book["サマリー"].iter_rows(values_only=True)
    ]
    start = next(i for i, row in enumerate(summary) if row and str(row[0]).startswith("現場の証拠"))
    section = summary[start : start + 3]
    assert any("読めません" in str(cell) for row in section for cell in row)
    assert not any(row and row[0] == "迷い" for row in summary[start:])
    log_details = [row[4] for row in book["ログ"].iter_rows(min_row=2, values_only=True)]
    assert "証拠 読めません" in str(log_details[-1])
    text = render_agenda(report, config).text
    assert "証拠の数はわかりません" in text
    assert "証拠(お客さまの一言)がまだありません" not in text


def test_unreadable_values_are_named_once_in_the_agenda_and_the_reminder(tmp_path: Path) -> None:
    """The values tab skipped: the agenda says the KPI values are unknown (not "no values for
    cycle 4 yet"), and the reminder names the tab's header rather than each KPI."""
    tabs = _demo_today()
    tabs["KPI記録"][0].append("値")
    report = report_for(tabs, DEMO_TODAY)
    config = load_config(config_file(tmp_path))
    text = render_agenda(report, config).text
    assert "KPIの値はわかりません" in text and "KPIの値がまだ入っていません" not in text
    cycle = next(c for c in report.cycles if c.cycle == 4)
    lines = missing_inputs(report, cycle, "ja").lines
    assert len(lines) == 1 and "「KPI記録」タブの見出し" in lines[0]


# --- a cycle left out by its own check is named, not dropped (finding 2) ----------------------


def _cycle_4_starts_on_cycle_3s_end() -> Tabs:
    """The demo with サイクル!B5 (cycle 4's start) typed as cycle 3's end day: a common slip."""
    tabs = _demo_today()
    tabs["サイクル"][4][1] = tabs["サイクル"][3][2]
    return tabs


def test_the_values_of_a_left_out_cycle_are_each_named() -> None:
    """Cycle 4 overlaps cycle 3 and is left out (overlapping_cycles, as the SPEC says); each of
    its KPI value rows gets a check naming the cycle and the Cycles row, in plain words."""
    report = report_for(_cycle_4_starts_on_cycle_3s_end(), DEMO_TODAY)
    assert [c.row for c in report.checks if c.code == "overlapping_cycles"] == [5]
    value_rows = [i + 1 for i, row in enumerate(_demo_today()["KPI記録"]) if row[0] == 4]
    named = [c for c in report.checks if c.tab == "values"]
    assert value_rows and [c.row for c in named] == value_rows
    assert all(c.severity == "error" and c.column == "cycle" for c in named)
    assert (
        "サイクル4は「サイクル」タブ5行目のチェックのため集計から外れています" in named[0].message
    )
    assert "この値は数えていません" in named[0].message


def test_the_evidence_in_a_left_out_cycles_dates_is_not_outside_every_cycle() -> None:
    """Evidence dated inside cycle 4 (left out) is named as cycle 4's, never
    evidence_outside_cycles."""
    report = report_for(_cycle_4_starts_on_cycle_3s_end(), DEMO_TODAY)
    assert "evidence_outside_cycles" not in codes(report)
    named = [c for c in report.checks if c.tab == "evidence"]
    assert named and all(c.column == "date" for c in named)
    assert all("サイクル4のものですが" in c.message for c in named)


def test_a_left_out_cycle_covering_today_is_not_called_no_running_cycle() -> None:
    """cycle_stalled names cycle 4 (which covers today) as left out by its check, on its row,
    instead of saying no cycle is running; in English too, without Japanese punctuation."""
    report = report_for(_cycle_4_starts_on_cycle_3s_end(), DEMO_TODAY)
    stalled = [c for c in report.checks if c.code == "cycle_stalled"]
    assert [c.row for c in stalled] == [5]
    assert "今日を含むサイクル4" in stalled[0].message
    assert "実行中のサイクルがありません" not in stalled[0].message
    english = report_for(_cycle_4_starts_on_cycle_3s_end(), DEMO_TODAY, lang="en")
    texts = [c.message for c in english.checks if c.code in ("cycle_stalled", "unknown_cycle")]
    assert any(t.startswith("Cycle 4, which covers today, is left out") for t in texts)
    assert not any(ch in t for t in texts for ch in "「」、。")


# --- 一歩の実施 = いいえ in the agenda (finding 7) -------------------------------------------


def test_step_done_no_is_said_as_not_carried_out_not_as_a_stalled_kpi(tmp_path: Path) -> None:
    """いいえ typed for the review cycle on a real .xlsx: section ① says まだ (never できた),
    and the chain note says the chosen step was not carried out, instead of claiming the
    action KPI did not move while it reads 3 → 4 できた right below."""
    tabs = _demo_today()
    tabs["サイクル"][4][9] = "いいえ"
    write_xlsx(tmp_path / "book.xlsx", tabs)
    config = load_config(config_file(tmp_path))
    report = run(config, RunOptions(as_of=DEMO_TODAY, dry_run=True)).report
    text = render_agenda(report, config).text
    step = text[text.index("①") : text.index("②")]
    assert "→ まだ" in step and "→ できた" not in step
    assert "前回決めた一歩は実施できませんでした" in text
    assert "行動KPIは前回から進んでいません" not in text
    assert layer_states(report, 4)["action"] == "step_skipped"


def test_kpis_of_an_unreadable_tab_read_as_unknown_not_as_no_value(tmp_path: Path) -> None:
    """The values tab skipped: the typed KPIs' word is 読めません (not 値なし) in the Summary
    and the agenda; the evidence-counted KPI still reads normally."""
    tabs = _demo_today()
    tabs["KPI記録"][0].append("値")
    report = report_for(tabs, DEMO_TODAY)
    config = load_config(config_file(tmp_path))
    words = {row.id: row.word for row in build_view(report, config).kpis}
    typed = [k["id"] for k in report.kpis if k["auto"] is None]
    assert typed and all(words[kpi_id] == "読めません" for kpi_id in typed)
    assert "読めません" not in {words[k["id"]] for k in report.kpis if k["auto"]}
    summary = summary_tab(report, titles={}, sparkline="text", now=NOW)
    cells = [str(c.value) for row in summary.rows for c in row]
    assert "読めません" in cells and "値なし" not in cells


def test_an_unreadable_kpi_tab_is_not_called_no_kpis(tmp_path: Path) -> None:
    """The KPI tab skipped: the Summary says the KPI tab could not be read (not 使っているKPIが
    ありません), and the agenda says the KPIs are unknown, not that cycle 4 has no values."""
    tabs = _demo_today()
    tabs["KPI"][0][2] = "レイヤー"
    report = report_for(tabs, DEMO_TODAY)
    summary = summary_tab(report, titles={}, sparkline="text", now=NOW)
    text = "\n".join(str(c.value) for row in summary.rows for c in row)
    assert "読めません(「KPI」タブの見出しかタブ名を直してください" in text
    assert "使っているKPIがありません" not in text
    agenda = render_agenda(report, load_config(config_file(tmp_path))).text
    assert "KPIはわかりません" in agenda and "KPIの値がまだ入っていません" not in agenda


def test_no_agenda_for_an_unreadable_cycles_tab_names_the_tab(tmp_path: Path) -> None:
    """The Cycles tab skipped on a real .xlsx: the run says the Cycles tab could not be read,
    not merely "no cycle to review" as if none had been typed."""
    tabs = _demo_today()
    tabs["サイクル"][0][1] = "はじまり"
    write_xlsx(tmp_path / "book.xlsx", tabs)
    config = load_config(config_file(tmp_path))
    result = run(config, RunOptions(as_of=DEMO_TODAY))
    assert codes(result.report) == ["missing_column"]
    assert result.agenda_skipped == say("run.no_review_unreadable", "ja")  # the client's words
    assert not (tmp_path / "outbox").exists()
