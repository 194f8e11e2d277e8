"""Times in the Summary are the client's local time, labelled with its zone."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook

from sheets_sync import api


def test_the_last_sync_time_in_the_summary_names_the_clients_zone(tmp_path: Path) -> None:
    """The demo client runs in Asia/Tokyo: the freshness line ends with JST, so a consultant
    reading it from another zone knows whose clock it is."""
    outcome = api.demo(tmp_path / "d", "ja")
    book = load_workbook(outcome.config.workbook_path(), read_only=True)
    texts = [str(row[0]) for row in book["サマリー"].iter_rows(max_row=4, values_only=True)]
    freshness = next(text for text in texts if "最終同期" in text)
    assert freshness.endswith(" JST"), freshness
