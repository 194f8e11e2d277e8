"""Small workbooks read into a report: the demo's tabs on a fixed day, a KPI typed as a percent,
and the check codes and cycles a report holds."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sheets_sync.core.compute import Timing, compute
from sheets_sync.core.report import Report
from sheets_sync.core.validate import validate
from sheets_sync.sheet import schema
from sheets_sync.sheet.sample import sample_rows
from sheets_sync.sheet.template import row_cells
from tests.support.workbooks import (
    BASELINE_TODAY,
    CYCLE_HEADER,
    EVIDENCE_HEADER,
    KPI_HEADER,
    VALUE_HEADER,
    Tabs,
    snapshot,
)

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def report_for(tabs: Tabs, today: date = BASELINE_TODAY, cycle: int | None = None,
               lang: str = "ja", send_days_before: int = 1) -> Report:  # fmt: skip
    book = validate(snapshot(tabs), lang, today)  # type: ignore[arg-type]
    return compute(book, client="t", timing=Timing(today, send_days_before, cycle), now=NOW)


def kpi(report: Report, kpi_id: str) -> Any:
    return next(k for k in report.kpis if k["id"] == kpi_id)


def codes(report: Report) -> list[str]:
    return [check.code for check in report.checks]


def cycles_of(n: int, *, layer_kpis: Sequence[Sequence[object]],
              values: Sequence[tuple[int, str, object]],
              evidence: Sequence[list[object]] | None = None) -> Tabs:  # fmt: skip
    """n consecutive 14-day cycles from 2026-09-28 (all done but the last, which runs)."""
    start = date(2026, 9, 28)
    cycles = [
        [i, start + timedelta(days=14 * (i - 1)), "", "h", "c", "l", "n",
         "完了" if i < n else "実行中", ""]
        for i in range(1, n + 1)
    ]  # fmt: skip
    return {
        "KPI": [KPI_HEADER, *(list(k) for k in layer_kpis)],
        "サイクル": [CYCLE_HEADER, *cycles],
        "KPI記録": [VALUE_HEADER] + [[c, k, v, ""] for c, k, v in values],
        "証拠": [EVIDENCE_HEADER, *(evidence or [])],
    }


PERCENT_KPI: list[object] = ["K3", "購入率", "結果", "上がる", "%", 30, "", "", ""]


TODAY_IN_5 = date(2026, 11, 24)  # inside cycle 5 (11-23 .. 12-06); review = cycle 4


def demo_tabs(lang: schema.Lang, today: date, days_into: int) -> Tabs:
    rows = sample_rows(lang, today, days_into_current=days_into)
    tabs: Tabs = {}
    for tab in schema.INPUT_TABS:
        header: list[Any] = [column.header(lang) for column in tab.columns]
        tabs[tab.title(lang)] = [header] + [row_cells(tab, row) for row in rows[tab.key]]
    return tabs
