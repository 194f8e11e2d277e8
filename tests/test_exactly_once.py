"""The agenda goes out exactly once per review cycle, across runs, over a real SMTP server:
on or after its due day, before the meeting has passed, retried after a failure, never
resent after success unless --force."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.run.sync import RunOptions, RunResult, run
from sheets_sync.words.core import say
from tests.support.smtp_server import Collector, RejectAfterData, Server, free_port, serve, serving
from tests.support.words import shows
from tests.support.workbooks import (
    FOLLOW_UP_OFF,
    baseline,
    config_file,
    with_enough_evidence,
    write_xlsx,
)

DUE_DAY = date(2026, 11, 21)  # cycle 2 ends 11-22 (the meeting); send_days_before = 1


def smtp_extra(port: int) -> str:
    """SMTP on `port`, and the follow-up off (these tests count the agenda's mails)."""
    return f"""[mail.smtp]
host = "127.0.0.1"
port = {port}
security = "none"
timeout = 5
{FOLLOW_UP_OFF}"""


@pytest.fixture
def smtp() -> Iterator[Server]:
    yield from serve()


def client(tmp_path: Path, port: int) -> Path:
    """The baseline client over SMTP (cycle 2 with enough evidence: no input reminder)."""
    write_xlsx(tmp_path / "book.xlsx", with_enough_evidence(baseline()))
    path = config_file(tmp_path, extra=smtp_extra(port))
    text = path.read_text(encoding="utf-8").replace('transport = "outbox"', 'transport = "smtp"')
    path.write_text(text, encoding="utf-8")
    return path


def sync(config_path: Path, today: date, *, force: bool = False) -> RunResult:
    return run(load_config(config_path), RunOptions(as_of=today, force=force))


def log_rows(tmp_path: Path) -> list[tuple[object, ...]]:
    sheet = load_workbook(tmp_path / "book.xlsx")["ログ"]
    return [row[1:4] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]


def test_due_day_sends_once_and_a_second_run_does_not_resend(tmp_path: Path, smtp: Server) -> None:
    """Due day → one message; the same day again → still one, the Log says it was sent."""
    config = client(tmp_path, smtp.port)
    first = sync(config, DUE_DAY)
    assert first.agenda_sent_to == f"smtp://127.0.0.1:{smtp.port}"
    second = sync(config, DUE_DAY)
    assert second.agenda_sent_to is None and shows(
        second.agenda_skipped, "run.skip_already_sent", "ja"
    )
    assert len(smtp.collector.envelopes) == 1
    message = message_from_bytes(smtp.collector.envelopes[0].content, policy=policy.default)
    assert message["Subject"] == "[テスト店] 15分ミーティング 11月22日(日) — サイクル2"
    assert ("アジェンダ", "送信済み", 2) in log_rows(tmp_path)


def test_nothing_is_sent_before_the_due_day(tmp_path: Path, smtp: Server) -> None:
    """The day before the due day the review cycle is still cycle 1, whose meeting has passed."""
    result = sync(client(tmp_path, smtp.port), date(2026, 11, 20))
    assert smtp.collector.envelopes == [] and shows(
        result.agenda_skipped, "run.skip_meeting_passed", "ja"
    )


def test_a_missed_due_day_is_caught_up_but_never_after_the_meeting(
    tmp_path: Path, smtp: Server
) -> None:
    """No run on the due day: the meeting day catches up; the day after sends nothing."""
    config = client(tmp_path, smtp.port)
    assert sync(config, date(2026, 11, 22)).agenda_sent_to
    assert len(smtp.collector.envelopes) == 1
    later = tmp_path / "later"
    later.mkdir()
    assert sync(client(later, smtp.port), date(2026, 11, 23)).agenda_sent_to is None
    assert len(smtp.collector.envelopes) == 1


def test_server_down_is_exit_4_and_the_next_run_sends(tmp_path: Path) -> None:
    """SMTP unreachable: the sheet is still updated, exit 4, the Log records the failure; once
    the server is up the next run sends exactly one message."""
    port = free_port()
    config = client(tmp_path, port)
    failed = sync(config, DUE_DAY)
    assert failed.exit_code == 4 and failed.wrote
    assert ("アジェンダ", "失敗", 2) in log_rows(tmp_path)
    collector = Collector()
    with serving(collector, port):
        retried = sync(config, DUE_DAY)
        assert retried.exit_code == 0 and retried.agenda_sent_to
        assert sync(config, DUE_DAY).agenda_sent_to is None
    assert len(collector.envelopes) == 1


def test_smtp_failing_after_data_is_retried_next_run(tmp_path: Path) -> None:
    """A refusal after DATA is a failed send (exit 4), never recorded as sent."""
    handler = RejectAfterData()
    port = free_port()
    with serving(handler, port):
        config = client(tmp_path, port)
        assert sync(config, DUE_DAY).exit_code == 4
        assert sync(config, DUE_DAY).exit_code == 4  # retried, not marked as sent
    assert handler.refused == 2
    assert ("アジェンダ", "送信済み", 2) not in log_rows(tmp_path)


def test_force_sends_again(tmp_path: Path, smtp: Server) -> None:
    """--force resends an agenda that was already sent: two messages."""
    config = client(tmp_path, smtp.port)
    sync(config, DUE_DAY)
    assert sync(config, DUE_DAY, force=True).agenda_sent_to
    assert len(smtp.collector.envelopes) == 2


def test_cli_exit_code_4_when_the_agenda_cannot_be_sent(tmp_path: Path) -> None:
    """`sheets-sync sync` exits 4 with a one-line message and no traceback."""
    config = client(tmp_path, free_port())
    result = CliRunner().invoke(main, ["sync", "--config", str(config), "--as-of", "2026-11-21"])
    assert result.exit_code == 4
    assert "アジェンダを送れませんでした" in result.output and "Traceback" not in result.output


def test_no_agenda_and_dry_run_send_nothing(tmp_path: Path, smtp: Server) -> None:
    """--no-agenda skips the mail; --dry-run writes and sends nothing at all."""
    config = client(tmp_path, smtp.port)
    before = (tmp_path / "book.xlsx").read_bytes()
    dry = run(load_config(config), RunOptions(as_of=DUE_DAY, dry_run=True))
    assert not dry.wrote and (tmp_path / "book.xlsx").read_bytes() == before
    run(load_config(config), RunOptions(as_of=DUE_DAY, no_agenda=True))
    assert smtp.collector.envelopes == []


def test_force_after_the_meeting_sends_nothing_and_says_why(tmp_path: Path, smtp: Server) -> None:
    """`sync --force` the day after cycle 2's meeting: the old agenda (and its invite) is of no
    use, so nothing goes out and the run says the meeting (11月22日(日), as a person reads a
    day) has passed; `agenda --send --cycle 2` remains the explicit way to send it."""
    config = client(tmp_path, smtp.port)
    late = CliRunner().invoke(
        main, ["sync", "--config", str(config), "--as-of", "2026-11-23", "--force"]
    )
    assert late.exit_code == 0, late.output
    assert say("run.skip_meeting_passed", "ja", cycle=2, day="11月22日(日)") in late.output
    assert smtp.collector.envelopes == []
    explicit = CliRunner().invoke(
        main, ["agenda", "--config", str(config), "--send", "--cycle", "2"]
    )
    assert explicit.exit_code == 0, explicit.output
    assert len(smtp.collector.envelopes) == 1
