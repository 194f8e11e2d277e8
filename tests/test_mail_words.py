"""The agenda's and the run's own words in the client's language: the same SMTP failure, skip
reason or failed write after a send reads in Japanese for a Japanese client and in English for
an English one, through the library's run and the CLI."""

from __future__ import annotations

import logging
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.errors import EXIT_MAIL, EXIT_OK, EXIT_SHEET
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.words.core import in_language
from sheets_sync.words.lang import LANGS, Lang
from tests.support.reminders import REMIND_DAY, OpensTheWorkbook, client, without_cycle2_value
from tests.support.smtp_server import free_port, serving
from tests.support.words import JAPANESE_PUNCTUATION, shows
from tests.support.workbooks import baseline, with_enough_evidence

DUE_DAY = date(2026, 11, 21)  # cycle 2's agenda is due (meeting 11-22)


def _no_japanese_punctuation(text: str) -> bool:
    return not any(ch in JAPANESE_PUNCTUATION for ch in text)


@pytest.mark.parametrize("lang", LANGS)
def test_an_unreachable_smtp_server_is_said_in_the_clients_language(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, lang: Lang
) -> None:
    """Nobody listens on the port: the agenda's error (and cron's run line) names the server in
    the client's language, and the English one carries no Japanese punctuation."""
    port = free_port()
    config = load_config(client(tmp_path, port, baseline(), language=lang))
    with caplog.at_level(logging.INFO, logger="sheets_sync"):
        result = run(config, RunOptions(as_of=DUE_DAY))
    said = in_language(result.agenda_error, lang)
    assert result.exit_code == EXIT_MAIL and said
    assert shows(said, "error.smtp_unreachable", lang)
    assert f"smtp://127.0.0.1:{port}" in said
    assert shows(caplog.text, "error.smtp_unreachable", lang)
    if lang == "en":
        assert _no_japanese_punctuation(said)


@pytest.mark.parametrize("lang", LANGS)
def test_why_no_agenda_went_out_is_said_in_the_clients_language(tmp_path: Path, lang: Lang) -> None:
    """The day before the due day cycle 1's meeting has passed: `sync` says so in the client's
    language (it used to be English inside a Japanese line). Nothing is missing for cycle 2,
    so no reminder is due either."""
    config = client(tmp_path, free_port(), with_enough_evidence(baseline()), language=lang)
    done = CliRunner().invoke(main, ["sync", "--config", str(config), "--as-of", "2026-11-20"])
    assert done.exit_code == EXIT_OK, done.output
    assert shows(done.output, "run.skip_meeting_passed", lang)
    other: Lang = "en" if lang == "ja" else "ja"
    assert not shows(done.output, "run.skip_meeting_passed", other)


@pytest.mark.parametrize("lang", LANGS)
def test_a_write_failing_after_a_send_says_what_went_out_in_the_clients_language(
    tmp_path: Path, lang: Lang
) -> None:
    """The reminder goes out, then Excel opens the workbook: the write's error (exit 3) adds
    that the reminder WAS sent, in the client's language, so nobody sends it again by hand."""
    port = free_port()
    config = client(tmp_path, port, without_cycle2_value(), language=lang)
    with serving(OpensTheWorkbook(tmp_path / "~$book.xlsx"), port):
        done = CliRunner().invoke(
            main, ["sync", "--config", str(config), "--as-of", str(REMIND_DAY)]
        )
    assert done.exit_code == EXIT_SHEET, done.output
    assert shows(done.output, "error.sent_not_recorded", lang)
    assert shows(done.output, "error.sent_reminder", lang)
    assert f"smtp://127.0.0.1:{port}" in done.output
