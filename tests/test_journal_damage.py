"""The sent-journal bridges a send and the Log write that records it. When it cannot be read, or
when the Log could not be written, the sends it holds must not be forgotten: nothing goes out
while a damaged journal is there, and the sync removes the journal only once the Log holds it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.core.sends import MessageKind, SendRecord
from sheets_sync.errors import EXIT_MAIL, EXIT_OK
from sheets_sync.run.journal import journal_path, record
from tests.support.words import shows
from tests.support.workbooks import baseline, config_file, write_xlsx

DUE_DAY = date(2026, 11, 21)  # cycle 2's agenda is due (meeting 2026-11-22)
SENT_AT = "2026-11-21T08:00:00+09:00"
AGENDA_SENT = ("アジェンダ", "送信済み", 2)


def _client(folder: Path) -> Path:
    write_xlsx(folder / "book.xlsx", baseline())
    return config_file(folder)


def _sync(config: Path) -> Result:
    result = CliRunner().invoke(main, ["sync", "--config", str(config), "--as-of", str(DUE_DAY)])
    assert "Traceback" not in result.output
    return result


def _mails(folder: Path) -> int:
    return len(list((folder / "outbox").glob("*.eml")))


def _log_rows(folder: Path) -> list[tuple[object, ...]]:
    log = load_workbook(folder / "book.xlsx")["ログ"]
    return [row[1:4] for row in log.iter_rows(min_row=2, values_only=True)]


def test_a_journal_that_cannot_be_read_stops_every_send_until_a_person_removes_it(
    tmp_path: Path,
) -> None:
    """A journal cut off mid-write may hold an agenda the Log lacks: the due agenda is not sent
    (exit 4, the message names the file and says to check the Log and delete it), the sheet is
    still written, the sync never deletes the file; once a person has, the agenda goes out once."""
    config = _client(tmp_path)
    path = journal_path(load_config(config))
    path.write_text('[{"cycle": 2, "sent_at": "2026-11-21T08:00', encoding="utf-8")
    for _ in range(2):
        blocked = _sync(config)
        assert blocked.exit_code == EXIT_MAIL, blocked.output
        assert shows(blocked.output, "error.journal_damaged", "ja") and path.name in blocked.output
        assert _mails(tmp_path) == 0 and path.exists()
    assert "サマリー" in load_workbook(tmp_path / "book.xlsx").sheetnames
    path.unlink()
    assert _sync(config).exit_code == EXIT_OK
    assert _sync(config).exit_code == EXIT_OK
    assert _mails(tmp_path) == 1 and _log_rows(tmp_path).count(AGENDA_SENT) == 1


def test_a_journal_entry_of_no_known_shape_keeps_the_good_ones_and_the_file(
    tmp_path: Path,
) -> None:
    """One good entry beside one that is no send: the good one still counts (the agenda is not
    sent again and the Log gets its row), and the file stays for a person to look at."""
    config = _client(tmp_path)
    path = journal_path(load_config(config))
    good = {"cycle": 2, "sent_at": SENT_AT, "where": "smtp://earlier", "kind": "agenda"}
    path.write_text(json.dumps([good, {"cycle": "two"}]), encoding="utf-8")
    result = _sync(config)
    assert result.exit_code == EXIT_OK, result.output
    assert shows(result.output, "run.skip_already_sent", "ja")
    assert _mails(tmp_path) == 0 and path.exists()
    assert _log_rows(tmp_path).count(AGENDA_SENT) == 1


def test_the_journal_is_kept_while_a_staff_tab_stands_where_the_log_should_be(
    tmp_path: Path,
) -> None:
    """The agenda went out but its Log write failed, so the journal holds it. Staff then put a
    tab of their own titled ログ: the run writes no Log and so keeps the journal; once the tab
    is gone, the next run records the send and sends nothing again."""
    config = _client(tmp_path)
    record(load_config(config), SendRecord(MessageKind.AGENDA, 2, SENT_AT, "smtp://earlier"))
    book = load_workbook(tmp_path / "book.xlsx")
    book.create_sheet("ログ")["A1"] = "店長のメモ"
    book.save(tmp_path / "book.xlsx")
    _sync(config)
    assert journal_path(load_config(config)).exists()
    book = load_workbook(tmp_path / "book.xlsx")
    assert book["ログ"]["A1"].value == "店長のメモ"
    del book["ログ"]
    book.save(tmp_path / "book.xlsx")
    freed = _sync(config)
    assert freed.exit_code == EXIT_OK, freed.output
    assert _mails(tmp_path) == 0
    assert _log_rows(tmp_path).count(AGENDA_SENT) == 1
    assert not journal_path(load_config(config)).exists()
