"""The meeting tells the truth on ordinary days: each way the agenda and the
Summary used to state what the data cannot support, tried on a small eyeglass shop's workbook
and synced for real on both backends (.xlsx and the Google emulator), the Summary and Checks
tabs read back from the backend that wrote them."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.backends import open_backend
from sheets_sync.config import Config, load_config
from sheets_sync.core.report import Report
from sheets_sync.meeting import render_agenda
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.sheet import schema
from sheets_sync.words.core import say
from tests.support.golden_stories import (
    CLIENT,
    first_cycle,
    first_cycle_day,
    left_out_rows,
    left_out_rows_day,
    skipped_value,
    skipped_value_day,
)
from tests.support.google import MakeClient
from tests.support.workbooks import Tabs

TOKYO = ZoneInfo("Asia/Tokyo")
ARROWS = re.compile(r"[↑↓]|→ [^今]")  # a move, or a comparison's arrow ("前回 … → 今回" aside)


@dataclass(frozen=True)
class Synced:
    """One sync of a workbook on one backend: the report, the agenda's text, the tabs written."""

    report: Report
    config: Config
    agenda: str
    tabs: dict[str, list[list[str]]]

    def summary(self) -> list[list[str]]:
        return self.tabs["サマリー"]

    def summary_text(self) -> str:
        return "\n".join("\t".join(row) for row in self.summary())

    def checks(self) -> list[list[str]]:
        return self.tabs["チェック"]

    def kpi_row(self, name: str) -> list[str]:
        """The Summary's KPI-table row of a KPI (its name with its unit in column B)."""
        return next(row for row in self.summary() if len(row) > 1 and row[1].startswith(name))

    def agenda_line(self, start: str) -> str:
        """The agenda's number line of a KPI (the line after its name)."""
        lines = self.agenda.splitlines()
        index = next(i for i, line in enumerate(lines) if start in line and line.startswith("["))
        return lines[index + 1]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def sync(make_client: MakeClient, tabs: Tabs, day: date) -> Synced:
    """Sync the workbook on the day (no mail), render the agenda, read the tabs back."""
    config = load_config(make_client(tabs, client=CLIENT["ja"]))  # type: ignore[call-arg, unused-ignore]
    now = datetime.combine(day, time(8, 0), tzinfo=TOKYO)
    report = run(config, RunOptions(as_of=day, no_agenda=True), now=now, announce=False).report
    snapshot = open_backend(config).read()
    written = {
        raw.title: [[_text(cell.value) for cell in row] for row in raw.rows]
        for raw in snapshot.tabs
        if raw.title in ("サマリー", "チェック")
    }
    return Synced(report, config, render_agenda(report, config).text, written)


def _edit(tabs: Tabs, title: str, change: Callable[[list[list[Any]]], None]) -> Tabs:
    change(tabs[title])
    return tabs


# -- 1. the first cycle compares against nothing --------------------------------------------------


def test_the_first_cycle_compares_against_nothing(make_client: MakeClient) -> None:
    """Cycle 1 of a new shop: no previous value, arrow, delta or 「0 →」 anywhere; one plain
    sentence says it is the first cycle; ① says there is no earlier step and asks nothing about
    it; nothing asks for evidence the cycle already has (four rows)."""
    done = sync(make_client, first_cycle("ja"), first_cycle_day())
    agenda = done.agenda
    kpi_lines = [done.agenda_line(name) for name in ("サイクル回数", "不安のサイン", "注文率")]
    assert not any("前回" in line or ARROWS.search(line) for line in kpi_lines), kpi_lines
    signals = agenda.split("証拠のサイン")[1].split("今回の「変化")[0]
    assert "→" not in signals and "0 →" not in agenda
    assert say("chain.first_cycle", "ja") in agenda
    section_one = agenda.split("■ ①")[1].split("■ ②")[0]
    assert say("agenda.last_step_first", "ja") in section_one
    assert "できた・一部・まだ" not in section_one and "一歩の実施" not in section_one
    assert "記録しましょう" not in agenda and "証拠(お客さまの一言)がまだ" not in agenda
    assert say("summary.first_cycle", "ja") in done.summary_text()
    for name in ("不安のサイン", "注文率"):
        row = done.kpi_row(name)
        assert row[2] == "—" and row[4] == "—" and not ARROWS.search(row[6]), row


# -- 2. "previous" names its cycle when it is not the one just before ----------------------------


def test_a_skipped_previous_value_names_its_cycle(make_client: MakeClient) -> None:
    """Cycle 2's order rate was typed as 0.31 (doubted): cycle 3 is compared with cycle 1's
    28%, and the agenda and the Summary say so (前回(サイクル1)), never a bare 「前回 28%」."""
    done = sync(make_client, skipped_value("ja"), skipped_value_day())
    line = done.agenda_line("注文率")
    assert line.strip().startswith("前回(サイクル1) 28% → 今回 33%"), line
    assert done.kpi_row("注文率")[2] == "28(サイクル1)"
    latest = next(k for k in done.report.kpis if k["id"] == "K3")["latest"]
    assert latest is not None and latest["previous_cycle"] == 1
    # The cycle just before needs no name.
    assert done.agenda_line("サイクル回数").strip().startswith("前回 2回 → 今回 3回")


# -- 3. left-out rows are never zeros ------------------------------------------------------------


def test_rows_left_out_by_errors_are_never_zeros(make_client: MakeClient) -> None:
    """Cycle 2 lost an evidence row (12月1日, no year) and its order-rate row (集計中): the
    counts say 「0件/全4件(ほかに読めない行 1件)」 and are doubted (要確認) — no move, no chain
    note built on them — and the order rate is 「—(読めない行 1件)」, never a missing value."""
    done = sync(make_client, left_out_rows("ja"), left_out_rows_day())
    worry = done.agenda_line("不安のサイン")
    assert "今回 0件/全4件(ほかに読めない行 1件)" in worry and "要確認" in worry
    assert not re.search(r"[↑↓]", worry) and "割合" not in worry
    assert "今回 —(読めない行 1件)" in done.agenda_line("注文率")
    assert say("chain.intermediate_doubted", "ja") in done.agenda
    assert "「証拠」11行目：「日付」の「12月1日」に年がありません。" in done.agenda
    assert "「KPI記録」3行目：「値」の「集計中」を数字として読めません。" in done.agenda
    signals = done.agenda.split("証拠のサイン")[1].split("今回の「変化")[0]
    assert "(ほかに読めない行 1件)" in signals and signals.count("(要確認)") == 4
    assert done.kpi_row("不安のサイン")[3] == "0/全4件(ほかに読めない行 1件)"
    assert done.kpi_row("不安のサイン")[6] == "要確認"
    latest = next(k for k in done.report.kpis if k["id"] == "K2")["latest"]
    assert latest is not None and latest["doubted"] and latest["judgement"] is None
    assert latest.get("unreadable_rows") == 1
    codes = {check.code for check in done.report.checks}
    assert "missing_value" not in codes and "stale_data" not in codes


# -- 4. counts speak as counts; no cause is claimed, either way ------------------------------------


def _with_calls(tabs: Tabs, cycle_2: int, cycle_3: int) -> Tabs:
    """A typed count KPI (値段の質問, 件, fewer is better) beside the shop's own."""
    tabs["KPI"].append(["K4", "値段の質問", "中間", "下がる", "件", None, None, None, None])
    tabs["KPI記録"] += [[2, "K4", cycle_2, None], [3, "K4", cycle_3, None]]
    return tabs


@pytest.mark.parametrize(("order_rate", "rose"), [("33%", True), ("20%", False)])
def test_counts_speak_as_counts_and_no_cause_is_claimed(
    make_client: MakeClient, order_rate: str, rose: bool
) -> None:
    """2 price questions → 1 is 「1件減」 with no percentage (the previous count is under 10), in
    the agenda and the Summary; the result rising or falling gets the very same caution, and the
    note never says what worked."""
    tabs = _with_calls(skipped_value("ja"), 2, 1)
    tabs["KPI記録"] = [row if row[:2] != [3, "K3"] else [3, "K3", order_rate, None]
                       for row in tabs["KPI記録"]]  # fmt: skip
    done = sync(make_client, tabs, skipped_value_day())
    calls = done.agenda_line("値段の質問")
    assert "前回 2件 → 今回 1件" in calls and "1件減" in calls and "%" not in calls, calls
    row = done.kpi_row("値段の質問")
    assert row[5] == "—", row  # no change % for a count under 10
    assert say("chain.caution", "ja") in done.agenda
    assert (
        "も結果も良い方向に動きました" if rose else "結果はねらいと逆に動きました"
    ) in done.agenda
    assert "何が効いた" not in done.agenda and "結果も良くなりました" not in done.agenda


# -- 5. recording less never reads as progress ---------------------------------------------------


def _evidence_rows(tabs: Tabs, cycle: int) -> list[list[Any]]:
    header = tabs["証拠"][0]
    first = date(2026, 10, 5) + timedelta(days=14 * (cycle - 1))
    return [row for row in tabs["証拠"][1:] if first <= date.fromisoformat(row[0]) <= first +
            timedelta(days=13)] if header else []  # fmt: skip


def test_recording_less_is_few_records_not_progress(make_client: MakeClient) -> None:
    """Cycle 3 records 3 rows against cycle 2's 5 (under two thirds): evidence_thin, and its
    fewer worry remarks read 「記録が少ない」, never 良い方向へ or 達成."""
    tabs = skipped_value("ja")
    keep = _evidence_rows(tabs, 3)[:3]
    tabs["証拠"] = [
        row for row in tabs["証拠"] if row not in _evidence_rows(tabs, 3) or row in keep
    ]
    done = sync(make_client, tabs, skipped_value_day())
    assert "evidence_thin" in {check.code for check in done.report.checks}
    worry = done.agenda_line("不安のサイン")
    assert "記録が少ない" in worry and "良い方向" not in worry and "達成" not in worry
    assert done.kpi_row("不安のサイン")[6] == "記録が少ない"


def test_an_evidence_count_is_judged_on_its_share(make_client: MakeClient) -> None:
    """Worry remarks 2 of 5 → 1 of 4 is a smaller share (40% → 25%): the count is shown with
    its cycle's total and the move is the share's — never the bare count's."""
    tabs = skipped_value("ja")
    third = _evidence_rows(tabs, 3)
    worry = [*third[1:4], [*third[0][:3], "不安", *third[0][4:]]]
    tabs["証拠"] = [row for row in tabs["証拠"] if row not in third] + worry
    done = sync(make_client, tabs, skipped_value_day())
    line = done.agenda_line("不安のサイン")
    assert "前回 2件/全5件 → 今回 1件/全4件" in line and "割合 40% → 25%" in line, line
    latest = next(k for k in done.report.kpis if k["id"] == "K2")["latest"]
    assert latest is not None and (latest["total"], latest["previous_total"]) == (4, 5)
    assert done.kpi_row("不安のサイン")[4] == "40% → 25%"


# -- 6. blame does not pass ----------------------------------------------------------------------


def test_a_learning_about_a_person_is_flagged_and_never_shown_beside_their_name(
    make_client: MakeClient,
) -> None:
    """Cycle 2's learning blames 石井 (the owner of the step it chose): learning_about_person,
    whose message offers the customer-centred form; the agenda and the Summary never show 石井
    as owner beside it."""
    blame = "石井さんの説明が長くて、お客さまが決めきれなかった"
    tabs = skipped_value("ja")
    tabs["サイクル"][2][5] = blame
    done = sync(make_client, tabs, skipped_value_day())
    flagged = [c for c in done.report.checks if c.code == "learning_about_person"]
    assert [(c.tab, c.row, c.column) for c in flagged] == [("cycles", 3, "learning")]
    assert "「〇〇をすると、お客さまの△△が□□した」" in flagged[0].message
    assert any(blame in row for row in done.checks())
    section_one = done.agenda.split("■ ①")[1].split("■ ②")[0]
    assert "担当：石井" not in section_one and "石井" not in section_one
    log = done.summary()[-2]  # cycle 2's learning-log row (newest first: 3, then 2)
    assert blame in log and "石井" not in log[-1], log


# -- 7. one truth for the action layer -----------------------------------------------------------


def test_the_action_layer_has_one_answer(make_client: MakeClient) -> None:
    """Cycle 3 still running: its action KPI reads 実行中, not できた. Once it is 完了 with 一歩の
    実施 = 一部, the action KPI says 一部 too, in ① and in the Summary — never できた beside
    一部."""
    running = sync(make_client, skipped_value("ja"), skipped_value_day())
    assert "実行中" in running.agenda_line("サイクル回数")
    assert "できた" not in running.agenda_line("サイクル回数")
    assert running.kpi_row("サイクル回数")[6] == "実行中"
    tabs = skipped_value("ja")
    tabs["サイクル"][3][7] = "完了"
    done = sync(make_client, tabs, skipped_value_day() + timedelta(days=2))
    section_one = done.agenda.split("■ ①")[1].split("■ ②")[0]
    assert "→ 一部(" in section_one and "今回 3回  一歩の実施：一部" in section_one
    assert "  できた" not in section_one and "→ できた" not in section_one
    assert done.kpi_row("サイクル回数")[6] == "一歩の実施：一部"


# -- 8. only what matters now --------------------------------------------------------------------


def test_older_cycles_warnings_wait_in_the_checks_tab(make_client: MakeClient) -> None:
    """Cycle 2's warnings (its doubted 0.31, its incomplete evidence) are not the meeting's
    business at cycle 3: the agenda and the Summary only count them; the Checks tab lists them
    last, under 過去のサイクル."""
    done = sync(make_client, skipped_value("ja"), skipped_value_day())
    past = {c.code for c in done.report.past_checks}
    assert past == {"percent_as_fraction", "evidence_incomplete"}
    messages = [c.message for c in done.report.past_checks]
    assert not any(message in done.agenda for message in messages)
    assert "過去のサイクルの注意2件は" in done.agenda
    assert "チェック：問題はありません。" in done.summary_text()
    rows = done.checks()
    heading = next(i for i, row in enumerate(rows) if row[:1] == ["過去のサイクル"])
    below = [row[7] for row in rows[heading + 1 :]]
    assert set(below) == past


# -- 9. the small bugs ---------------------------------------------------------------------------


def test_no_doubled_counter_no_english_header_no_cell_for_a_whole_row(
    make_client: MakeClient,
) -> None:
    """Thin evidence says 「証拠 2件」, never 「2件件」; the Checks tab's last header is Japanese
    (問い合わせ用の記号), and a check about a whole row or tab (missing_value) shows no typed
    value — never 「K4」."""
    tabs = _with_calls(skipped_value("ja"), 2, 1)
    third = _evidence_rows(tabs, 3)
    tabs["証拠"] = [row for row in tabs["証拠"] if row not in third[2:]]
    tabs["KPI記録"] = [row for row in tabs["KPI記録"] if row[:2] != [3, "K4"]]
    done = sync(make_client, tabs, skipped_value_day())
    assert "件件" not in done.agenda and "件件" not in done.summary_text()
    header = done.checks()[0]
    assert header[-1] == "問い合わせ用の記号" and header[4] == "入力値"
    assert all(cell.isascii() is False for cell in header if cell)
    missing = next(row for row in done.checks() if row[-1] == "missing_value")
    assert missing[4] == "" and missing[3] == ""


def test_the_stories_are_what_the_golden_files_show() -> None:
    """The shop's workbooks are built in either language from one table: same numbers."""
    for build in (first_cycle, skipped_value, left_out_rows):
        ja, en = build("ja"), build("en")
        assert [len(rows) for rows in ja.values()] == [len(rows) for rows in en.values()]
        assert list(en) == [tab.en for tab in schema.INPUT_TABS]
