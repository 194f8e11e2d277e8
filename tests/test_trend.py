"""The trend beside a KPI plots what its judgement reads: an evidence count judged by its share
of the cycle's evidence rows is drawn by that share, so a count that falls while its share
rises (「↑ ねらいと逆の動き」) never sits beside a falling line — in the agenda and the Summary
alike."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sheets_sync.core.compute import Timing, compute
from sheets_sync.core.kpi_words import trend_points
from sheets_sync.core.report import KpiJson, Report
from sheets_sync.core.summary import summary_tab
from sheets_sync.core.validate import validate
from sheets_sync.meeting import build_view
from tests.support.agenda_fixtures import write_config
from tests.support.workbooks import EVIDENCE_HEADER, baseline, snapshot

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def _row(day: str, signal: str) -> list[object]:
    return [day, None, "会話", signal, "一言", "棚の前", "次に試すこと", "佐藤"]


def _fewer_but_a_larger_share() -> Report:
    """迷い: 4 of 12 rows in cycle 1 (33%), 3 of 8 in cycle 2 (38%) — the count falls, its
    share rises; cycle 2 (ended) is the one reviewed."""
    tabs = baseline()
    tabs["証拠"] = [
        EVIDENCE_HEADER,
        *(_row("2026-10-28", "迷い") for _ in range(4)),
        *(_row("2026-10-29", "納得") for _ in range(8)),
        *(_row("2026-11-10", "迷い") for _ in range(3)),
        *(_row("2026-11-11", "納得") for _ in range(5)),
    ]
    book = validate(snapshot(tabs), "ja", NOW.date())
    return compute(book, client="t", timing=Timing(NOW.date(), 1), now=NOW)


def _hesitation(report: Report) -> KpiJson:
    return next(kpi for kpi in report.kpis if kpi["id"] == "K2")


def test_an_evidence_kpi_judged_by_share_is_plotted_by_its_share() -> None:
    """Counts 4 → 3, shares 33% → 38%: the judgement reads the share (↑, the other way for a
    KPI that should fall), and so do the trend's points."""
    report = _fewer_but_a_larger_share()
    kpi = _hesitation(report)
    assert [v["value"] for v in kpi["values"]] == [4, 3]
    assert kpi["latest"] is not None and kpi["latest"]["judgement"] == "worsened"
    points = trend_points(kpi)
    assert points == (round(4 / 12, 10), round(3 / 8, 10))
    assert points[1] > points[0]


def test_the_summary_trend_rises_with_the_share() -> None:
    """The Summary's 推移 cell rises (▁█) where the count alone would fall (█▁)."""
    report = _fewer_but_a_larger_share()
    tab = summary_tab(report, titles={}, sparkline="text", now=NOW)
    row = next(r for r in tab.rows if len(r) > 1 and str(r[1].value).startswith("迷いのサイン"))
    assert row[-1].value == "▁█"


def test_the_agenda_trend_rises_with_the_share(tmp_path: Path) -> None:
    """The agenda's KPI row (its picture and text trend) plots the shares, rising."""
    report = _fewer_but_a_larger_share()
    view = build_view(report, write_config(tmp_path))
    row = next(r for r in view.kpis if r.id == "K2")
    assert row.arrow == "↑"
    assert row.series == trend_points(_hesitation(report), until=2)
    assert row.series[-1] > row.series[0]


def test_a_kpi_not_judged_by_share_is_plotted_by_its_values() -> None:
    """Any other KPI's trend is its values as typed (購入率 22 → 25)."""
    report = _fewer_but_a_larger_share()
    kpi = next(kpi for kpi in report.kpis if kpi["id"] == "K3")
    assert trend_points(kpi) == (22.0, 25.0)
