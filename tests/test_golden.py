"""Golden files: the agenda text (ja, en) and the Summary's cell values of the demo and of three
ordinary days of a small eyeglass shop (its first cycle, a cycle whose previous value was
doubted, a cycle that lost rows to errors), so that a change to what staff read shows up as a
reviewable diff.

Regenerate after an intended change with

    UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_golden.py

and read the diff of tests/golden/ before committing it. The day is fixed (the demo's dates are
laid out around it), so the files do not depend on when the tests run.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.config import load_config
from sheets_sync.core.report import Report
from sheets_sync.core.summary import summary_tab
from sheets_sync.meeting import render_agenda
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.sheet.sample import SAMPLE_CLIENT
from sheets_sync.sheet.schema import Lang
from tests.support.golden_stories import CLIENT, STORIES
from tests.support.workbooks import Tabs, config_file, write_xlsx

GOLDEN = Path(__file__).parent / "golden"
TODAY = date(2026, 11, 19)  # the demo's cycle 4 started three days ago; cycle 3 is reviewed
TOKYO = ZoneInfo("Asia/Tokyo")
NOW = datetime(2026, 11, 19, 8, 0, tzinfo=TOKYO)
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


def _demo(tmp_path: Path, lang: Lang) -> tuple[Report, str]:
    made = new_client(
        NewClientOrder(
            SAMPLE_CLIENT[lang],
            lang,
            config_dir=tmp_path,
            sample=True,
            today=TODAY,
        )
    )
    result = run(made.config, RunOptions(as_of=TODAY, dry_run=True), now=NOW, announce=False)
    rendered = render_agenda(result.report, made.config)
    text = f"{rendered.subject}\n\n{rendered.text}".replace(tmp_path.as_uri(), "file://<dir>")
    return result.report, text


def _story(tmp_path: Path, name: str, lang: Lang) -> tuple[Report, str]:
    """One of the shop's days, synced (without sending) on the day before its meeting."""
    build, day = STORIES[name]
    tabs: Tabs = build(lang)
    write_xlsx(tmp_path / "book.xlsx", tabs)
    config = load_config(config_file(tmp_path, client=CLIENT[lang], language=lang))
    now = datetime.combine(day(), time(8, 0), tzinfo=TOKYO)
    result = run(config, RunOptions(as_of=day(), dry_run=True), now=now, announce=False)
    rendered = render_agenda(result.report, config)
    text = f"{rendered.subject}\n\n{rendered.text}".replace(tmp_path.as_uri(), "file://<dir>")
    return result.report, text


def _summary_cells(report: Report, now: datetime = NOW) -> str:
    """One line per Summary row, its non-blank cells joined by tabs (merges leave None)."""
    tab = summary_tab(report, titles={}, sparkline="text", now=now)
    lines = []
    for row in tab.rows:
        values = ["" if cell.value is None else str(cell.value) for cell in row]
        while values and values[-1] == "":
            values.pop()
        lines.append("\t".join(values))
    return "\n".join(lines) + "\n"


def _compare(name: str, actual: str) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: run UPDATE_GOLDEN=1 pytest {__file__}"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} changed: review it, then regenerate (see module doc)"


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_demo_agenda_text_matches_the_golden_file(tmp_path: Path, lang: Lang) -> None:
    """The demo's agenda (subject and plain text) is exactly tests/golden/agenda.<lang>.txt."""
    _, text = _demo(tmp_path, lang)
    _compare(f"agenda.{lang}.txt", text)


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_demo_summary_cells_match_the_golden_file(tmp_path: Path, lang: Lang) -> None:
    """The demo's Summary cell values are exactly tests/golden/summary.<lang>.tsv."""
    report, _ = _demo(tmp_path, lang)
    _compare(f"summary.{lang}.tsv", _summary_cells(report))


Story = Callable[[Path, str, Lang], tuple[Report, str]]


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(STORIES))
def test_a_shop_day_agenda_matches_the_golden_file(tmp_path: Path, name: str, lang: Lang) -> None:
    """Each ordinary day's agenda (subject and plain text) is exactly tests/golden/<name>.agenda.
    <lang>.txt: the first cycle compares nothing, a skipped value names the cycle compared with,
    a left-out row is never a zero."""
    _, text = _story(tmp_path, name, lang)
    _compare(f"{name}.agenda.{lang}.txt", text)


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("name", list(STORIES))
def test_a_shop_day_summary_matches_the_golden_file(tmp_path: Path, name: str, lang: Lang) -> None:
    """Each ordinary day's Summary cells are exactly tests/golden/<name>.summary.<lang>.tsv."""
    report, _ = _story(tmp_path, name, lang)
    now = datetime.combine(report.as_of, time(8, 0), tzinfo=TOKYO)
    _compare(f"{name}.summary.{lang}.tsv", _summary_cells(report, now))
