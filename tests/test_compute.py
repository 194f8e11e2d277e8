"""Computation exactly as the spec defines it: previous, delta, delta_pct, judgement,
target_met, streak, auto KPIs, evidence counts, review and current cycle."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

import pytest

from sheets_sync.core.validate import validate
from tests.support.reports import kpi, report_for
from tests.support.workbooks import (
    BASELINE_TODAY,
    CYCLE_HEADER,
    EVIDENCE_HEADER,
    KPI_HEADER,
    VALUE_HEADER,
    Tabs,
    baseline,
    snapshot,
)


def four_cycles(values: Sequence[tuple[int, str, object]]) -> Tabs:
    """Four consecutive 14-day cycles from 2026-09-28, two typed KPIs (K3 up, K4 down)."""
    tabs: Tabs = {
        "KPI": [
            KPI_HEADER,
            ["K1", "回数", "行動", "", "回", None, "サイクル完了数", "", ""],
            ["K3", "購入率", "結果", "上がる", "%", 30, "", "", ""],
            ["K4", "説明時間", "中間", "下がる", "分", 4, "", "", ""],
        ],
        "サイクル": [CYCLE_HEADER]
        + [[n, date(2026, 9, 28 + 0) + (n - 1) * (date(2026, 10, 12) - date(2026, 9, 28)), "",
            "h", "c", "l", "n", "完了" if n < 4 else "実行中", ""] for n in (1, 2, 3, 4)],
        "KPI記録": [VALUE_HEADER] + [[c, k, v, ""] for c, k, v in values],
        "証拠": [EVIDENCE_HEADER],
    }  # fmt: skip
    return tabs


TODAY_IN_4 = date(2026, 11, 10)  # inside cycle 4 (11-09 .. 11-22); review = cycle 3


def test_delta_and_judgement_follow_the_kpi_direction() -> None:
    """A rise is improved for an up-KPI; a fall is improved for a down-KPI."""
    report = report_for(four_cycles([(2, "K3", 22), (3, "K3", 24.5), (2, "K4", 6),
                                     (3, "K4", 4.5)]), TODAY_IN_4)  # fmt: skip
    up, down = kpi(report, "K3")["latest"], kpi(report, "K4")["latest"]
    assert (up["previous"], up["value"], up["delta"], up["judgement"]) == (
        22,
        24.5,
        2.5,
        "improved",
    )
    assert up["delta_pct"] == pytest.approx(2.5 / 22)
    assert (down["delta"], down["judgement"], down["delta_pct"]) == (-1.5, "improved", -0.25)


def test_previous_is_the_most_recent_earlier_cycle_with_a_value() -> None:
    """A cycle without a value is skipped, and the report says which cycle was used."""
    report = report_for(four_cycles([(1, "K3", 20), (3, "K3", 18)]), TODAY_IN_4)
    latest = kpi(report, "K3")["latest"]
    assert (latest["previous_cycle"], latest["previous"], latest["judgement"]) == (
        1,
        20,
        "worsened",
    )


@pytest.mark.parametrize(
    ("values", "judgement", "delta_pct"),
    [
        ([(2, "K3", 0), (3, "K3", 5)], "improved", None),  # previous 0 → no percentage
        ([(2, "K3", 5), (3, "K3", 5)], "flat", 0.0),
        ([(3, "K3", 5)], "no_previous", None),
        ([(2, "K3", 5)], "no_value", None),
    ],
)
def test_judgement_edge_cases(values: list[tuple[int, str, object]], judgement: str,
                              delta_pct: float | None) -> None:  # fmt: skip
    """flat when delta = 0, no_previous, no_value, and delta_pct null when previous is 0."""
    latest = kpi(report_for(four_cycles(values), TODAY_IN_4), "K3")["latest"]
    assert (latest["judgement"], latest["delta_pct"]) == (judgement, delta_pct)


@pytest.mark.parametrize(("value", "met"), [(30, True), (29.9, False)])
def test_target_met_for_an_up_kpi(value: float, met: bool) -> None:
    """value ≥ target when up."""
    latest = kpi(report_for(four_cycles([(3, "K3", value)]), TODAY_IN_4), "K3")["latest"]
    assert latest["target_met"] is met


@pytest.mark.parametrize(("value", "met"), [(4, True), (4.5, False)])
def test_target_met_for_a_down_kpi(value: float, met: bool) -> None:
    """value ≤ target when down; null without a value."""
    latest = kpi(report_for(four_cycles([(3, "K4", value)]), TODAY_IN_4), "K4")["latest"]
    assert latest["target_met"] is met


def test_streak_counts_consecutive_improvements_up_to_the_cycle() -> None:
    """20 → 18 (worse) → 21 → 25: two improvements in a row at cycle 4."""
    values = [(1, "K3", 20), (2, "K3", 18), (3, "K3", 21), (4, "K3", 25)]
    report = report_for(four_cycles(values), date(2026, 11, 21))  # review = cycle 4
    assert report.review_cycle == 4
    assert kpi(report, "K3")["latest"]["streak"] == 2


def test_cycles_done_is_the_cumulative_count_of_done_cycles() -> None:
    """The action KPI counts itself: 1, 2, 3, then 3 while cycle 4 runs."""
    report = report_for(four_cycles([]), TODAY_IN_4)
    assert [v["value"] for v in kpi(report, "K1")["values"]] == [1, 2, 3, 3]
    assert kpi(report, "K1")["direction"] == "up"


def test_evidence_counts_and_net_per_cycle() -> None:
    """Counts per signal, positive, negative, net = positive − negative, and net_delta."""
    report = report_for(baseline())
    first, second = report.evidence
    assert first["counts"]["hesitation"] == 1 and first["counts"]["conviction"] == 2
    assert (first["positive"], first["negative"], first["net"], first["net_delta"]) == (
        2,
        1,
        1,
        None,
    )
    assert (second["cycle"], second["net"], second["net_delta"]) == (2, 1, 0)


def test_auto_evidence_kpi_counts_its_signal() -> None:
    """証拠:迷い counts hesitation rows per cycle, with the cycle's evidence rows beside it (it
    is judged on its share), and its direction is down; a count from thin evidence (cycle 2 has
    one row) is marked doubted."""
    k2 = kpi(report_for(baseline()), "K2")
    assert k2["values"] == [
        {"cycle": 1, "value": 1, "total": 3},
        {"cycle": 2, "value": 0, "doubted": True, "total": 1},
    ]
    assert k2["direction"] == "down"


def test_percent_text_and_percent_cells_read_as_displayed() -> None:
    """ "25%" typed is 25, and a percent-formatted 0.25 is 25 too."""
    tabs = baseline()
    assert [v["value"] for v in kpi(report_for(tabs), "K3")["values"]] == [22, 25]
    tabs["KPI記録"][2][2] = 0.25
    book = validate(snapshot(tabs, percent={("KPI記録", 2, 2)}), "ja", BASELINE_TODAY)
    assert [v.value for v in book.values] == [22, 25]


@pytest.mark.parametrize(
    ("today", "send_days_before", "review", "current"),
    [
        (date(2026, 11, 20), 1, 1, 2),  # cycle 2 ends 11-22: not yet within 1 day
        (date(2026, 11, 21), 1, 2, 2),  # the day before cycle 2's meeting: review cycle 2
        (date(2026, 11, 19), 3, 2, 2),  # send 3 days before
        (date(2026, 10, 27), 1, 1, 1),  # nothing ended yet: the running one
        (date(2026, 12, 30), 1, 2, None),  # after every cycle
    ],
)
def test_review_and_current_cycle(today: date, send_days_before: int, review: int,
                                  current: int | None) -> None:  # fmt: skip
    """Review: latest cycle ending by today + send_days_before, else the running one."""
    report = report_for(baseline(), today, send_days_before=send_days_before)
    assert (report.review_cycle, report.current_cycle) == (review, current)


def test_cycle_option_overrides_the_review_cycle() -> None:
    """--cycle N picks the cycle to review."""
    assert report_for(baseline(), cycle=2).review_cycle == 2


def test_blank_end_is_start_plus_13_days() -> None:
    """A cycle without an end date lasts two weeks."""
    tabs = baseline()
    tabs["サイクル"][2][2] = ""
    assert report_for(tabs).cycles[1].end == date(2026, 11, 22)


def test_report_json_has_exactly_the_spec_keys() -> None:
    """The JSON report's shape is the contract cron users parse."""
    data = report_for(baseline()).to_json()
    assert list(data) == ["client", "language", "generated_at", "review_cycle", "current_cycle",
                          "cycles", "kpis", "evidence", "checks", "agenda"]  # fmt: skip
    assert set(data["kpis"][0]) == {"id", "name", "layer", "direction", "unit", "target", "auto",
                                    "values", "latest"}  # fmt: skip
    assert set(data["kpis"][0]["latest"]) == {"cycle", "value", "previous_cycle", "previous",
                                              "delta", "delta_pct", "judgement", "target_met",
                                              "streak", "doubted"}  # fmt: skip
    assert set(data["evidence"][0]) == {"cycle", "counts", "positive", "negative", "net",
                                        "net_delta", "thin"}  # fmt: skip
    assert set(data["agenda"]) == {"cycle", "due", "sent", "sent_at", "reminder_sent",
                                   "reminder_sent_at", "follow_up", "follow_up_sent_at",
                                   "chat"}  # fmt: skip
    assert set(data["cycles"][0]) == {"cycle", "start", "end", "status", "hypothesis", "change",
                                      "learning", "next_step", "step_done"}  # fmt: skip
