"""The input reminder is exactly-once state like the agenda: noted in the sent-journal when the
Log write after it fails, never trimmed from the Log, and not sent when it cannot be noted."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.core.log_tab import LOG_ROWS_KEPT
from sheets_sync.errors import EXIT_MAIL, EXIT_OK, EXIT_SHEET
from sheets_sync.run.journal import journal_path, pending_sends
from sheets_sync.words.core import say
from tests.support.reminders import (
    REMIND_DAY,
    OpensTheWorkbook,
    client,
    log_rows,
    mails,
    sync,
    without_cycle2_value,
)
from tests.support.smtp_server import Server, free_port, serve, serving
from tests.support.words import shows

REMINDER_SENT = ("入力のお願い", "送信済み", 2)


@pytest.fixture
def smtp() -> Iterator[Server]:
    yield from serve()


def _sync_cli(config: Path) -> Any:
    return CliRunner().invoke(main, ["sync", "--config", str(config), "--as-of", str(REMIND_DAY)])


def test_a_reminder_whose_log_write_fails_is_not_sent_again(tmp_path: Path) -> None:
    """The reminder goes out, then the workbook cannot be written (opened in Excel): exit 3
    saying the reminder WAS sent; the runs after (still blocked, then free) send no second
    reminder, and the free one records the send in the Log and removes the journal."""
    port = free_port()
    config = client(tmp_path, port, without_cycle2_value())
    excel_lock = tmp_path / "~$book.xlsx"
    handler = OpensTheWorkbook(excel_lock)
    with serving(handler, port):
        first = _sync_cli(config)
        assert first.exit_code == EXIT_SHEET, first.output
        assert say("error.sent_reminder", "ja", where=f"smtp://127.0.0.1:{port}") in first.output
        [noted] = pending_sends(load_config(config))
        assert (noted.kind, noted.cycle) == ("reminder", 2)
        still_blocked = _sync_cli(config)
        assert still_blocked.exit_code == EXIT_SHEET, still_blocked.output
        assert not shows(still_blocked.output, "error.sent_reminder", "ja")
        excel_lock.unlink()
        freed = sync(config, REMIND_DAY)
        assert freed.reminder_sent_to is None and shows(
            freed.reminder_skipped, "run.reminder_skip_already_sent", "ja"
        )
    assert len(handler.envelopes) == 1
    assert log_rows(tmp_path).count(REMINDER_SENT) == 1
    assert not journal_path(load_config(config)).exists()


def test_no_reminder_goes_out_when_the_journal_cannot_be_written(
    tmp_path: Path, smtp: Server
) -> None:
    """The journal's temp name is taken by a folder: no reminder (it could not be remembered),
    exit 4 saying the reminder was NOT sent and why; after the fix it goes out once."""
    config = client(tmp_path, smtp.port, without_cycle2_value())
    blocker = journal_path(load_config(config)).with_suffix(".tmp")
    blocker.mkdir()
    failed = _sync_cli(config)
    assert failed.exit_code == EXIT_MAIL, failed.output
    assert shows(failed.output, "error.journal_unwritable", "ja")
    assert say("error.what_reminder", "ja") in failed.output
    assert smtp.collector.envelopes == []
    blocker.rmdir()
    assert sync(config, REMIND_DAY).reminder_sent_to
    assert sync(config, REMIND_DAY).reminder_sent_to is None
    assert len(mails(smtp.collector)) == 1


def test_an_old_single_agenda_journal_is_still_recorded(tmp_path: Path, smtp: Server) -> None:
    """A journal written by an older version (one object, no kind) still counts as a sent
    agenda: the next run on the due day records it in the Log and sends no copy."""
    config = client(tmp_path, smtp.port, without_cycle2_value())
    old = {"cycle": 2, "sent_at": "2026-11-21T09:00:00+09:00", "where": "smtp://old"}
    journal_path(load_config(config)).write_text(json.dumps(old), encoding="utf-8")
    result = sync(config, REMIND_DAY.replace(day=21))
    assert result.agenda_sent_to is None and shows(
        result.agenda_skipped, "run.skip_already_sent", "ja"
    )
    assert ("アジェンダ", "送信済み", 2) in log_rows(tmp_path)
    assert smtp.collector.envelopes == []


def test_trimming_a_long_log_keeps_the_reminder_row(tmp_path: Path, smtp: Server) -> None:
    """More than LOG_ROWS_KEPT sync rows after a `reminder sent` row: the trimmed Log keeps
    the reminder row, so later runs on the reminder day still send no second reminder."""
    config = client(tmp_path, smtp.port, without_cycle2_value())
    assert sync(config, REMIND_DAY).reminder_sent_to
    book_path = tmp_path / "book.xlsx"
    workbook = load_workbook(book_path)
    sheet = workbook["ログ"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True) if r[0]]
    sync_row = next(r for r in rows if r[1:4] != REMINDER_SENT)
    for _ in range(LOG_ROWS_KEPT + 5):
        sheet.append(list(sync_row))
    workbook.save(book_path)
    for _ in range(2):
        again = sync(config, REMIND_DAY)
        assert again.exit_code == EXIT_OK and again.reminder_sent_to is None
    assert REMINDER_SENT in log_rows(tmp_path)
    assert len(log_rows(tmp_path)) <= LOG_ROWS_KEPT + 1  # the Log is still trimmed
    assert len(mails(smtp.collector)) == 1
