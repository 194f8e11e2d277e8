"""Times and days are the client's: the Summary labels its zone, the demo counts in it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from openpyxl import load_workbook

from sheets_sync import api
from sheets_sync.config import local_today


def test_the_last_sync_time_in_the_summary_names_the_clients_zone(tmp_path: Path) -> None:
    """The demo client runs in Asia/Tokyo: the freshness line names its zone in words
    (日本時間), so a consultant reading it from another zone knows whose clock it is — and
    no ISO stamp or UTC offset reaches staff."""
    outcome = api.demo(tmp_path / "d", "ja")
    book = load_workbook(outcome.config.workbook_path(), read_only=True)
    texts = [str(row[0]) for row in book["サマリー"].iter_rows(max_row=4, values_only=True)]
    freshness = next(text for text in texts if "最後の更新" in text)
    assert freshness.endswith("(日本時間))。"), freshness
    assert "UTC" not in freshness and "+09" not in freshness and "-" not in freshness


def test_the_demo_meeting_is_tomorrow_in_the_clients_zone_not_the_machines(
    tmp_path: Path,
) -> None:
    """Cron machines often run in UTC, nine hours behind Tokyo: the demo's review cycle ends
    tomorrow for the client (Asia/Tokyo), so its agenda is for a meeting still to come."""
    before = local_today("Asia/Tokyo")
    outcome = api.demo(tmp_path / "d", "ja")
    after = local_today("Asia/Tokyo")
    report = outcome.result.report
    review = report.cycle(report.review_cycle)
    assert review is not None
    assert review.end in {before + timedelta(days=1), after + timedelta(days=1)}
