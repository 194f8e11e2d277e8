"""The input reminder goes out exactly once before the meeting, over a real SMTP server, and
only when the coming meeting's cycle lacks KPI values, evidence or its change."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from email.message import EmailMessage
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_sync.config import load_config
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.words.core import say
from tests.support.reminders import REMIND_DAY, client, log_rows, mails, sync, without_cycle2_value
from tests.support.smtp_server import Collector, Server, free_port, serve, serving
from tests.support.words import shows
from tests.support.workbooks import (
    baseline,
    with_enough_evidence,
)


@pytest.fixture
def smtp() -> Iterator[Server]:
    yield from serve()


def body(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain",))
    assert part is not None
    return str(part.get_content())


def test_reminder_day_sends_once_listing_exactly_what_is_missing(
    tmp_path: Path, smtp: Server
) -> None:
    """Meeting day − 2 with cycle 2's 購入率 missing: one mail naming it, Log `reminder sent`;
    a second run the same day sends nothing more."""
    config = client(tmp_path, smtp.port, without_cycle2_value())
    first = sync(config, REMIND_DAY)
    assert first.reminder_sent_to == f"smtp://127.0.0.1:{smtp.port}"
    assert first.agenda_sent_to is None  # the agenda is due tomorrow
    second = sync(config, REMIND_DAY)
    assert second.reminder_sent_to is None and shows(
        second.reminder_skipped, "run.reminder_skip_already_sent", "ja"
    )
    [message] = mails(smtp.collector)
    assert message["Subject"] == "[テスト店] 入力のお願い — サイクル2(11月22日(日)のミーティング)"
    text = body(message)
    assert "サイクル2の「購入率」(K3)がまだ入力されていません(「KPI記録」タブ)。" in text
    assert "証拠" not in text.split("入力する場所")[0]  # cycle 2 has evidence: not asked for
    assert ("入力のお願い", "送信済み", 2) in log_rows(tmp_path)


def test_nothing_missing_sends_no_reminder(tmp_path: Path, smtp: Server) -> None:
    """The baseline's cycle 2 has its value, enough evidence and its change: no reminder."""
    result = sync(client(tmp_path, smtp.port, with_enough_evidence(baseline())), REMIND_DAY)
    assert smtp.collector.envelopes == [] and result.reminder_skipped == say(
        "run.reminder_skip_nothing_missing", "ja"
    )


def test_a_missed_reminder_day_catches_up_until_the_agenda_is_due(
    tmp_path: Path, smtp: Server
) -> None:
    """remind_days_before = 4: the window is 11-18 … 11-20; a first run on 11-20 still sends;
    the agenda's due day (11-21) sends the agenda, never a late reminder."""
    tabs = without_cycle2_value()
    tabs["証拠"] = tabs["証拠"][:3]  # cycle 2's only evidence row removed too
    config = client(tmp_path, smtp.port, tabs, meeting="[meeting]\nremind_days_before = 4\n")
    assert sync(config, date(2026, 11, 17)).reminder_sent_to is None  # before the window
    assert sync(config, REMIND_DAY).reminder_sent_to
    [message] = mails(smtp.collector)
    assert "サイクル2の証拠(お客さまの一言)がまだありません" in body(message)
    assert "サイクル2の「購入率」(K3)がまだ入力されていません" in body(message)
    later = tmp_path / "later"
    later.mkdir()
    agenda_day = sync(client(later, smtp.port, tabs), date(2026, 11, 21))
    assert agenda_day.reminder_sent_to is None and agenda_day.agenda_sent_to
    assert [m["X-Sheets-Sync-Kind"] for m in mails(smtp.collector)] == ["reminder", None]


def test_reminders_off_with_zero_days(tmp_path: Path, smtp: Server) -> None:
    """meeting.remind_days_before = 0 turns the reminder off."""
    meeting = "[meeting]\nremind_days_before = 0\n"
    result = sync(client(tmp_path, smtp.port, without_cycle2_value(), meeting), REMIND_DAY)
    assert smtp.collector.envelopes == [] and result.reminder_sent_to is None


def test_smtp_down_is_exit_4_and_the_reminder_is_retried_next_run(tmp_path: Path) -> None:
    """Server unreachable: the sheet is updated, exit 4, Log `reminder failed`; the next run
    sends exactly one reminder, and the one after sends none."""
    port = free_port()
    config = client(tmp_path, port, without_cycle2_value())
    failed = sync(config, REMIND_DAY)
    assert failed.exit_code == 4 and failed.wrote and failed.reminder_error
    assert ("入力のお願い", "失敗", 2) in log_rows(tmp_path)
    collector = Collector()
    with serving(collector, port):
        assert sync(config, REMIND_DAY).reminder_sent_to
        assert sync(config, REMIND_DAY).reminder_sent_to is None
    assert len(collector.envelopes) == 1


def test_english_subject_and_report_state(tmp_path: Path, smtp: Server) -> None:
    """The English subject; once cycle 2 is under review, report.agenda.reminder_sent says the
    reminder went out (read back from the Log, whatever language it was written in)."""
    config = client(tmp_path, smtp.port, without_cycle2_value(), language="en")
    sync(config, REMIND_DAY)
    [message] = mails(smtp.collector)
    assert message["Subject"] == "[テスト店] Please fill in — cycle 2 (meeting Sun 22 Nov)"
    assert 'Cycle 2 has no value yet for "購入率" (K3)' in body(message)
    assert not any(ch in body(message) for ch in "「」、。")
    state = run(load_config(config), RunOptions(as_of=date(2026, 11, 21), no_agenda=True))
    assert state.report.agenda.cycle == 2 and state.report.agenda.reminder_sent
    assert state.report.to_json()["agenda"]["reminder_sent_at"]


def test_renaming_the_log_never_sends_the_same_reminder_again(tmp_path: Path, smtp: Server) -> None:
    """Staff rename ログ to ログ(11月まで) after the reminder went out: the renamed tab still
    carries the Log's marker, so the next run on the reminder day sends nothing more."""
    config = client(tmp_path, smtp.port, without_cycle2_value())
    assert sync(config, REMIND_DAY).reminder_sent_to
    workbook = load_workbook(tmp_path / "book.xlsx")
    workbook["ログ"].title = "ログ(11月まで)"
    workbook.save(tmp_path / "book.xlsx")
    second = sync(config, REMIND_DAY)
    assert second.reminder_sent_to is None and shows(
        second.reminder_skipped, "run.reminder_skip_already_sent", "ja"
    )
    assert len(mails(smtp.collector)) == 1
