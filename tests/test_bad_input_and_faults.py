"""Robust under bad input and faults: no second copy of an agenda, no traceback, no crash, and
every failure visible to cron. Each case runs through the real command line."""

from __future__ import annotations

import errno
import json
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_sync.backends.google import GoogleBackend
from sheets_sync.backends.google_calls import first_line as _first_line
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.core.judge import change_ratio
from sheets_sync.core.summary_kpis import text_sparkline
from sheets_sync.errors import (
    EXIT_CONFIG,
    EXIT_LOCKED,
    EXIT_MAIL,
    EXIT_OK,
    EXIT_SHEET,
    SheetAccessError,
)
from sheets_sync.meeting.images import trend_png
from sheets_sync.run.journal import journal_path
from sheets_sync.run.locking import client_lock, lock_path
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.util.files import STATE_FOLDER
from sheets_sync.util.pacing import RetryPolicy
from sheets_sync.words.core import say
from tests.fake_google import FakeGoogle
from tests.fake_google.client import make_service_account_file
from tests.support.google import SERVICE_EMAIL, google_config
from tests.support.reminders import OpensTheWorkbook
from tests.support.smtp_server import Collector, free_port, serving
from tests.support.words import fixed_part, shows
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file, input_cells, write_xlsx

DUE_DAY = date(2026, 11, 21)  # cycle 2's agenda is due (meeting 2026-11-22)
ROOT = Path(__file__).resolve().parent.parent


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`sheets-sync ARGS` in a real process, as cron runs it."""
    return subprocess.run(
        [sys.executable, "-m", "sheets_sync", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd=cwd,
    )


def eml_count(folder: Path) -> int:
    return len(list((folder / "outbox").glob("*.eml")))


@pytest.fixture
def client(tmp_path: Path) -> Path:
    write_xlsx(tmp_path / "book.xlsx", baseline())
    return config_file(tmp_path)


def smtp_config(folder: Path, port: int) -> Path:
    path = config_file(
        folder, extra=f'[mail.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
    )
    text = path.read_text(encoding="utf-8").replace('transport = "outbox"', 'transport = "smtp"')
    path.write_text(text, encoding="utf-8")
    return path


# -- an agenda the server accepted counts as sent ---------------------------------------------
class OddQuit(Collector):
    """Takes the message (250 after DATA), then answers QUIT oddly or hangs up without a word."""

    def __init__(self, how: str) -> None:
        super().__init__()
        self.how = how

    async def handle_QUIT(self, server: Any, session: Any, envelope: Any) -> str:
        if self.how == "drop":
            server.transport.abort()
            return "221 never seen"
        return "500 5.5.1 what was that"


@pytest.mark.parametrize("how", ["odd", "drop"])
def test_an_agenda_accepted_before_an_odd_quit_counts_as_sent(tmp_path: Path, how: str) -> None:
    """250 after DATA, then a QUIT answered with 500 (or a dropped line, which smtplib already
    forgave): the run says sent (exit 0) and the next run on the same day sends no copy."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    port = free_port()
    config = smtp_config(tmp_path, port)
    handler = OddQuit(how)
    with serving(handler, port):
        first = invoke("sync", "--config", str(config), "--as-of", DUE_DAY.isoformat())
        second = invoke("sync", "--config", str(config), "--as-of", DUE_DAY.isoformat())
    assert first.exit_code == EXIT_OK, first.output
    assert say("run.agenda_sent", "ja", to=f"smtp://127.0.0.1:{port}") in first.stdout
    assert second.exit_code == EXIT_OK
    assert shows(second.stdout, "run.skip_already_sent", "ja")
    assert len(handler.envelopes) == 1


# -- a send that cannot be remembered is not made ---------------------------------------------
def test_an_unwritable_journal_means_no_send_exit_4_and_the_next_run_sends_once(
    client: Path,
) -> None:
    """When the sent-journal cannot be written (here: its temp name is taken by a folder),
    nothing is sent, the run says why with exit 4, and the run after the fix sends once."""
    blocker = journal_path(load_config(client)).with_suffix(".tmp")
    blocker.mkdir()
    failed = invoke("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    assert failed.exit_code == EXIT_MAIL, failed.output
    assert (
        shows(failed.output, "error.journal_unwritable", "ja")
        and journal_path(load_config(client)).name in failed.output
    )
    assert eml_count(client.parent) == 0
    blocker.rmdir()
    retried = invoke("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    again = invoke("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    assert retried.exit_code == EXIT_OK and "アジェンダを送信" in retried.stdout
    assert again.exit_code == EXIT_OK and eml_count(client.parent) == 1


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder another user can enter (pytest's own tmp folders are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix="sheets-sync-ro-"))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _as_nobody(args: list[str]) -> subprocess.CompletedProcess[str]:
    prefix = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
    return subprocess.run(
        [*prefix, sys.executable, "-m", "sheets_sync", *args],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        cwd="/",
        env={**os.environ, "HOME": "/tmp"},
    )


@pytest.mark.skipif(
    os.geteuid() != 0 or shutil.which("setpriv") is None,
    reason="needs root to run the sync as a user who cannot write the config folder",
)
def test_a_read_only_config_folder_sends_nothing_and_says_why(shared_folder: Path) -> None:
    """The config folder is read-only for the user cron runs as (the lock file and the state
    folder, where backups go, already there): no agenda goes out, exit 4 with a message naming
    the journal; nothing is sent twice."""
    data = shared_folder / "data"
    data.mkdir()
    write_xlsx(data / "book.xlsx", baseline())
    config = config_file(shared_folder, workbook="data/book.xlsx")
    (shared_folder / "outbox").mkdir()
    lock = lock_path(load_config(config))
    lock.touch()
    state = shared_folder / STATE_FOLDER
    state.mkdir()
    for path in (data, data / "book.xlsx", shared_folder / "outbox", lock, state):
        os.chown(path, 65534, 65534)
    runs = [
        _as_nobody(["sync", "--config", str(config), "--as-of", DUE_DAY.isoformat()])
        for _ in range(2)
    ]
    for done in runs:
        assert done.returncode == EXIT_MAIL, done.stderr
        assert (
            shows(done.stderr, "error.journal_unwritable", "ja") and "Traceback" not in done.stderr
        )
    assert eml_count(shared_folder) == 0


# -- sync-all shows a send its run made before failing ----------------------------------------


def test_sync_all_shows_an_agenda_sent_by_a_run_that_then_failed(tmp_path: Path) -> None:
    """The agenda goes out, then the workbook cannot be written (opened in Excel): the table
    says the agenda was sent (not —), and the next sync-all does not send it again."""
    folder = tmp_path / "clients"
    folder.mkdir()
    write_xlsx(folder / "book.xlsx", baseline())
    port = free_port()
    smtp_config(folder, port)
    handler = OpensTheWorkbook(folder / "~$book.xlsx")
    with serving(handler, port):
        first = invoke("sync-all", str(folder), "--as-of", DUE_DAY.isoformat())
        row = next(line for line in first.stdout.splitlines() if line.startswith("テスト店"))
        assert first.exit_code == EXIT_SHEET, first.output
        assert row.split()[1:5] == ["sheet", "error", "—", "yes"]  # outcome, checks, agenda
        (folder / "~$book.xlsx").unlink()
        second = invoke("sync-all", str(folder), "--as-of", DUE_DAY.isoformat())
    assert second.exit_code == EXIT_OK, second.output
    assert len(handler.envelopes) == 1


# -- --log-file and the lines cron sees -------------------------------------------------------
def _unwritable_file(tmp_path: Path) -> Path:
    if os.geteuid() != 0:
        path = tmp_path / "ro.log"
        path.write_text("", encoding="utf-8")
        path.chmod(0o444)
        return path
    for candidate in (Path("/sys/kernel/notes"), Path("/proc/version")):
        try:
            candidate.open("a").close()
        except OSError:
            return candidate
    pytest.skip("no file here that root cannot append to")


@pytest.mark.parametrize("where", ["missing folder", "a folder", "unwritable file"])
def test_an_unusable_log_file_is_exit_2_with_a_message(
    client: Path, tmp_path: Path, where: str
) -> None:
    """--log-file in a missing folder, on a folder, or on a file that cannot be appended to:
    one line naming the option and the file, exit 2, no traceback, nothing done."""
    log_file = {
        "missing folder": tmp_path / "no" / "such" / "sync.log",
        "a folder": tmp_path,
    }.get(where) or _unwritable_file(tmp_path)
    before = (tmp_path / "book.xlsx").read_bytes()
    done = cli("--log-file", str(log_file), "sync", "--config", str(client))
    assert done.returncode == EXIT_CONFIG, done.stderr
    assert done.stderr.startswith(f"sheets-sync: --log-file {log_file}: cannot append")
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
    assert (tmp_path / "book.xlsx").read_bytes() == before


def _one_error_line(done: subprocess.CompletedProcess[str], log_file: Path) -> str:
    lines = done.stderr.splitlines()
    logged = log_file.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 1 and len(logged) == 1, (lines, logged)
    assert " ERROR " in lines[0] and lines[0] == logged[0]
    return lines[0]


@pytest.mark.parametrize(
    ("case", "code"),
    [("bad config", EXIT_CONFIG), ("damaged workbook", EXIT_SHEET), ("locked", EXIT_LOCKED)],
)
def test_a_failing_sync_leaves_one_error_line_on_stderr_and_in_the_log_file(
    client: Path, tmp_path: Path, case: str, code: int
) -> None:
    """Exit 2, 3 or 5: exactly one ERROR line, the same on stderr and in --log-file."""
    log_file = tmp_path / "sync.log"
    if case == "bad config":
        client.write_text("client = \n", encoding="utf-8")
    elif case == "damaged workbook":
        (tmp_path / "book.xlsx").write_bytes(b"not a zip")
    args = ["--log-file", str(log_file), "sync", "--config", str(client), "--no-agenda"]
    if case == "locked":
        with client_lock(load_config(client)):
            done = cli(*args)
    else:
        done = cli(*args)
    assert done.returncode == code, done.stderr
    assert "sheets-sync:" in _one_error_line(done, log_file)


def test_an_agenda_failure_is_one_error_line(tmp_path: Path) -> None:
    """Exit 4 (the SMTP server is down): one ERROR line on stderr and in --log-file."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    config = smtp_config(tmp_path, free_port())
    log_file = tmp_path / "sync.log"
    done = cli("--log-file", str(log_file), "sync", "--config", str(config),
               "--as-of", DUE_DAY.isoformat())  # fmt: skip
    assert done.returncode == EXIT_MAIL, done.stderr
    assert "アジェンダの送信に失敗" in _one_error_line(done, log_file)


def test_a_failing_sync_all_client_is_an_error_line_in_the_log_file(tmp_path: Path) -> None:
    """sync-all: the failing client's line is at ERROR level in --log-file, the good one at
    INFO."""
    folder = tmp_path / "clients"
    folder.mkdir()
    write_xlsx(folder / "book.xlsx", baseline())
    config_file(folder)
    (folder / "broken.toml").write_text("client = \n", encoding="utf-8")
    log_file = tmp_path / "all.log"
    done = cli("--log-file", str(log_file), "sync-all", str(folder), "--as-of",
               BASELINE_TODAY.isoformat())  # fmt: skip
    assert done.returncode == EXIT_CONFIG
    logged = log_file.read_text(encoding="utf-8").splitlines()
    assert next(line for line in logged if "sync-all broken:" in line).split()[1] == "ERROR"
    assert next(line for line in logged if "sync-all テスト店:" in line).split()[1] == "INFO"


@pytest.mark.parametrize("command", ["sync", "sync-all"])
def test_quiet_prints_nothing_at_all_when_nothing_is_wrong(client: Path, command: str) -> None:
    """--quiet: a run that went well prints nothing on stdout or stderr (sync-all's table
    included), so cron mails nothing."""
    target = str(client.parent) if command == "sync-all" else None
    args = [command, target] if target else [command, "--config", str(client)]
    done = cli("--quiet", *args, "--as-of", BASELINE_TODAY.isoformat())
    assert done.returncode == EXIT_OK, done.stderr
    assert done.stdout == "" and done.stderr == ""


def test_quiet_still_prints_the_table_when_a_client_failed(tmp_path: Path) -> None:
    """--quiet with a failing client: the table and the error line are shown."""
    (tmp_path / "broken.toml").write_text("client = \n", encoding="utf-8")
    done = cli("--quiet", "sync-all", str(tmp_path))
    assert done.returncode == EXIT_CONFIG and "config error" in done.stdout
    assert " ERROR " in done.stderr


@pytest.mark.parametrize("flag", ["-v", "-q", "--verbose", "--quiet", "--log-file"])
def test_logging_options_also_work_after_the_command(
    client: Path, tmp_path: Path, flag: str
) -> None:
    """`sheets-sync sync --config F -q` works like `sheets-sync -q sync --config F`."""
    log_file = tmp_path / "after.log"
    extra = [flag, str(log_file)] if flag == "--log-file" else [flag]
    result = invoke("sync", "--config", str(client), "--as-of", BASELINE_TODAY.isoformat(), *extra)
    assert result.exit_code == EXIT_OK, result.output
    if flag == "--log-file":
        line = say("run.line", "ja", client="テスト店", parts="ふり返るサイクル")
        assert line in log_file.read_text(encoding="utf-8")
    if flag in ("-q", "--quiet"):
        assert result.output == ""


# -- crashes that become checks or exit codes -------------------------------------------------
def _with_values(folder: Path, first: object, second: object) -> Path:
    tabs = baseline()
    tabs["KPI記録"][1][2] = first
    tabs["KPI記録"][2][2] = second
    write_xlsx(folder / "book.xlsx", tabs)
    return config_file(folder)


def test_absurd_kpi_values_are_checks_naming_the_cell_and_the_agenda_goes_out(
    tmp_path: Path,
) -> None:
    """KPI values 1.7e308 and -1.7e308 on the due day: exit 0, a not_a_number check for each
    cell (tab, row), the Summary written and the agenda sent once."""
    config = _with_values(tmp_path, 1.7e308, -1.7e308)
    report = tmp_path / "report.json"
    result = invoke("sync", "--config", str(config), "--as-of", DUE_DAY.isoformat(),
                    "--report", str(report))  # fmt: skip
    assert result.exit_code == EXIT_OK, result.output
    checks = json.loads(report.read_text(encoding="utf-8"))["checks"]
    flagged = {(c["code"], c["tab"], c["row"]) for c in checks}
    assert {("not_a_number", "values", 2), ("not_a_number", "values", 3)} <= flagged
    assert eml_count(tmp_path) == 1
    assert "サマリー" in load_workbook(tmp_path / "book.xlsx", read_only=True).sheetnames


@pytest.mark.parametrize("values", [(0, 5e-324), (5e-324, 0), (-1e15, 1e15)])
def test_extreme_but_valid_values_sync_and_send_without_a_crash(
    tmp_path: Path, values: tuple[float, float]
) -> None:
    """5e-324 beside 0, or -10^15 beside 10^15: the sync writes the Summary (text sparkline)
    and sends the agenda (trend pictures), exit 0 (a guard: the report rounds 5e-324 to 0, and
    the pictures themselves are tested below)."""
    config = _with_values(tmp_path, *values)
    result = invoke("sync", "--config", str(config), "--as-of", DUE_DAY.isoformat())
    assert result.exit_code == EXIT_OK, result.output
    assert eml_count(tmp_path) == 1


@pytest.mark.parametrize(
    "values",
    [[0.0, 5e-324], [5e-324, 0.0], [-1.7e308, 1.7e308], [1.7e308, 0.0, -1.7e308], [1e-300, 1e300]],
)
def test_every_picture_of_a_trend_copes_with_any_finite_values(values: list[float]) -> None:
    """The text sparkline and the trend PNG draw any finite values (no NaN, no overflow)."""
    line = text_sparkline(values)
    assert len(line) == len(values)
    png = trend_png(values)
    assert png is not None and png.startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("delta", "previous", "ratio"),
    [(5e-324, 5e-324, 1.0), (1.0, 5e-324, None), (1e15, 1.0, None), (0.0, 0.0, None)],
)
def test_a_change_ratio_is_a_number_or_none(
    delta: float, previous: float, ratio: float | None
) -> None:
    """delta / |previous| when it is a usable percentage, else None (never inf)."""
    assert change_ratio(delta, previous) == ratio


def test_as_of_far_in_the_future_is_exit_2_not_an_overflow(client: Path) -> None:
    """--as-of 9999-12-31: exit 2 naming the option, no OverflowError."""
    done = cli("sync", "--config", str(client), "--as-of", "9999-12-31")
    assert done.returncode == EXIT_CONFIG and "--as-of" in done.stderr
    assert "Traceback" not in done.stderr and "Overflow" not in done.stderr


@pytest.mark.parametrize(
    "spelling", ["2026/11/20", "2026年11月20日", "令和8年11月20日", "R8.11.20"]
)
def test_as_of_takes_every_spelling_the_sheet_takes(client: Path, spelling: str) -> None:
    """--as-of 2026/11/20 (and the other spellings a date cell accepts) is that day."""
    report = client.parent / "r.json"
    result = invoke("sync", "--config", str(client), "--as-of", spelling, "--report", str(report))
    assert result.exit_code == EXIT_OK, result.output
    assert json.loads(report.read_text(encoding="utf-8"))["current_cycle"] == 2


@pytest.mark.parametrize("where", ["a folder", "under a file"])
def test_an_unusable_report_path_is_refused_before_anything_is_written(
    client: Path, where: str
) -> None:
    """--report that cannot be written: exit 2 before the workbook is touched or mail sent."""
    folder = client.parent
    target = folder if where == "a folder" else folder / "book.xlsx" / "report.json"
    before = (folder / "book.xlsx").read_bytes()
    done = cli("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat(),
               "--report", str(target))  # fmt: skip
    assert done.returncode == EXIT_CONFIG, done.stderr
    assert "--report" in done.stderr and str(target) in done.stderr
    if where == "under a file":
        assert shows(done.stderr, "error.sync_report_unusable", "ja")  # "nothing was written"
    if where == "a folder":
        assert shows(done.stderr, "error.output_is_folder", "ja"), done.stderr
    assert (folder / "book.xlsx").read_bytes() == before and eml_count(folder) == 0


@pytest.mark.parametrize("name", ["   ", "", "店" * 101, "a\nb"])
def test_new_client_with_an_unusable_name_is_exit_2_and_leaves_nothing(
    tmp_path: Path, name: str
) -> None:
    """new-client "   " (or a 101-character name): exit 2 with a message, and no file or
    folder left behind."""
    target = tmp_path / "clients"
    result = invoke("new-client", name, "--config-dir", str(target))
    assert result.exit_code == EXIT_CONFIG, result.output
    said = ("error.client_name_empty", "error.client_name_too_long", "error.client_name_multiline")
    assert any(shows(result.stderr, key, "ja") for key in said), result.stderr
    assert "Traceback" not in result.output
    assert not target.exists()


def test_new_client_that_fails_half_way_removes_what_it_made(tmp_path: Path) -> None:
    """The workbook cannot be made (its path is under a file): a clear exit 2 or 3 (the
    workbook writer's own error), and the config folder new-client created is gone again."""
    target = tmp_path / "clients"
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    result = invoke("new-client", "店", "--config-dir", str(target),
                    "--path", str(blocker / "book.xlsx"))  # fmt: skip
    assert result.exit_code in (EXIT_CONFIG, EXIT_SHEET), result.output
    assert "Traceback" not in result.output and not target.exists()


def test_a_client_with_an_80_character_japanese_name_syncs(tmp_path: Path) -> None:
    """An 80-character Japanese name (240 bytes): new-client makes it, and sync, the lock,
    the journal and the outbox all work (their file names are shortened with a hash)."""
    name = "さくら珈琲" * 16
    made = invoke("new-client", name, "--config-dir", str(tmp_path), "--sample")
    assert made.exit_code == EXIT_OK, made.output
    (config,) = tmp_path.glob("*.toml")
    renamed = config.with_name("珈" * 80 + ".toml")  # a consultant's own long file name
    config.rename(renamed)
    result = invoke("sync", "--config", str(renamed))
    assert result.exit_code == EXIT_OK, result.output
    sent = invoke("agenda", "--config", str(renamed), "--send")
    assert sent.exit_code == EXIT_OK, sent.output
    assert eml_count(tmp_path) >= 1
    assert all(len(p.name.encode()) <= 255 for p in tmp_path.rglob("*"))
    assert len(lock_path(load_config(renamed)).name.encode()) < 200


# -- misleading or missing config messages ----------------------------------------------------
def test_a_config_saved_with_a_bom_loads(client: Path) -> None:
    """A config saved by Notepad with a UTF-8 BOM is read like any other."""
    client.write_bytes(b"\xef\xbb\xbf" + client.read_bytes())
    result = invoke("sync", "--config", str(client), "--as-of", BASELINE_TODAY.isoformat())
    assert result.exit_code == EXIT_OK, result.output


@pytest.mark.parametrize(
    ("line", "phrase"),
    [
        ('to = ["@"]', "mail.to"),
        ('to = ["team@"]', "mail.to"),
        ('to = ["@example.jp"]', "mail.to"),
        ('to = ["a b@example.jp"]', "mail.to"),
        ("to = []", "mail.to: " + fixed_part("config.recipients_empty", "ja")),
        ('from = "@"', "mail.from"),
    ],
)
def test_an_address_nobody_can_receive_is_a_config_error(
    client: Path, line: str, phrase: str
) -> None:
    """mail.to = ["@"] (and other non-addresses), or an empty list: exit 2 naming the key and
    the file when the config is loaded, on any day (not only when an agenda is due)."""
    text = client.read_text(encoding="utf-8")
    key = line.split(" =")[0]
    lines = [line if row.startswith(f"{key} =") else row for row in text.splitlines()]
    client.write_text("\n".join(lines) + "\n", encoding="utf-8")
    before = (client.parent / "book.xlsx").read_bytes()
    result = invoke("check", "--config", str(client), "--as-of", BASELINE_TODAY.isoformat())
    assert result.exit_code == EXIT_CONFIG, result.output
    assert phrase in result.stderr and "client.toml" in result.stderr
    assert (client.parent / "book.xlsx").read_bytes() == before


def test_a_missing_templates_dir_is_a_config_error(client: Path) -> None:
    """templates_dir naming a folder that does not exist: exit 2 naming the key and the file."""
    text = client.read_text(encoding="utf-8")
    client.write_text('templates_dir = "my-templates"\n' + text, encoding="utf-8")
    result = invoke("sync", "--config", str(client))
    assert result.exit_code == EXIT_CONFIG, result.output
    assert "templates_dir" in result.stderr and "client.toml" in result.stderr


# -- small things -----------------------------------------------------------------------------
def test_agenda_without_a_destination_prints_the_text_version(client: Path) -> None:
    """`agenda` with neither --out nor --send prints the plain-text agenda and sends nothing."""
    result = invoke("agenda", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    assert result.exit_code == EXIT_OK, result.output
    assert result.stdout.startswith("[テスト店] 15分ミーティング")
    assert "次の一歩" in result.stdout and eml_count(client.parent) == 0


def test_check_writes_only_the_checks_tab(client: Path) -> None:
    """`check` rewrites the Checks tab; the Summary and the Log stay exactly as they were."""
    first = invoke("sync", "--config", str(client), "--as-of", BASELINE_TODAY.isoformat())
    assert first.exit_code == EXIT_OK
    workbook = client.parent / "book.xlsx"
    before = input_cells(workbook, ["サマリー", "ログ"])
    book = load_workbook(workbook)
    book["KPI記録"]["C3"] = "たくさん"
    book.save(workbook)
    result = invoke("check", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    assert result.exit_code == 1, result.output
    assert input_cells(workbook, ["サマリー", "ログ"]) == before
    checks = [row for row in load_workbook(workbook)["チェック"].iter_rows(values_only=True)]
    assert any("たくさん" in str(cell) for row in checks for cell in row)


# -- Google's sign-in service unreachable is the network, not a revoked key -------------------
_QUICK = RetryPolicy(attempts=2, base_seconds=0.01, cap_seconds=0.01, total_seconds=30.0)


def _google_sync(folder: Path, google: FakeGoogle, token_uri: str) -> SheetAccessError:
    make_service_account_file(folder / "key.json", token_uri, SERVICE_EMAIL)
    key = google.create_spreadsheet("テスト店", baseline(), shared_with={SERVICE_EMAIL})
    return _failing_google_run(load_config(google_config(folder, key)))


def _failing_google_run(config: Any) -> SheetAccessError:
    with pytest.raises(SheetAccessError) as raised:
        backend = GoogleBackend.from_config(config, policy=_QUICK)
        run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    return raised.value


def _says_network_not_key(error: SheetAccessError, reason: str) -> None:
    message = str(error)  # the client's language: Japanese
    assert shows(message, "error.google_sign_in_unreachable", "ja") and reason in message
    assert not shows(message, "error.google_key_refused", "ja")
    english = error.render("en")
    assert "could not reach Google's sign-in service" in english and "key is fine" in english
    assert reason in english
    assert "revoked" not in english and "create a new one" not in english
    assert english.endswith("Nothing was written.")


def test_token_503_throughout_is_a_network_message_after_retries(
    tmp_path: Path, google_env: FakeGoogle
) -> None:
    """The token endpoint answers 503 every time: retried (google-auth's tries times ours),
    then a message about the network, not about the key."""
    make_service_account_file(tmp_path / "key.json", google_env.token_uri, SERVICE_EMAIL)
    key = google_env.create_spreadsheet("テスト店", baseline(), shared_with={SERVICE_EMAIL})
    config = load_config(google_config(tmp_path, key))
    google_env.set_faults({"status": 503, "count": -1, "include_token": True,
                           "path_contains": "/token"})  # fmt: skip
    google_env.reset_requests()
    error = _failing_google_run(config)
    _says_network_not_key(error, "503")
    tokens = [r for r in google_env.requests() if r["kind"] == "token"]
    assert len(tokens) > 3  # more than google-auth's own three tries: ours retried too


@pytest.mark.parametrize(
    ("host", "reason"),
    [("refused", "Connection refused"), ("no-such-host.invalid", "")],
    ids=["connection refused", "DNS failure"],
)
def test_an_unreachable_sign_in_service_is_retried_and_a_network_message(
    tmp_path: Path,
    google_env: FakeGoogle,
    caplog: pytest.LogCaptureFixture,
    host: str,
    reason: str,
) -> None:
    """Connection refused or a DNS failure on the token call: retried like any other call,
    then "could not reach Google's sign-in service … the key is fine"."""
    address = f"127.0.0.1:{free_port()}" if host == "refused" else host
    with caplog.at_level("WARNING", logger="sheets_sync.google"):
        error = _google_sync(tmp_path, google_env, f"http://{address}/token")
    _says_network_not_key(error, reason)
    assert any(shows(r.getMessage(), "google.retry_sign_in", "ja") and "(1回目)" in r.getMessage()
               for r in caplog.records)  # fmt: skip


def test_a_refused_key_still_says_revoked(tmp_path: Path, google_env: FakeGoogle) -> None:
    """invalid_grant from the token endpoint (the key itself refused) keeps its own message."""
    make_service_account_file(tmp_path / "key.json", google_env.token_uri, SERVICE_EMAIL)
    key = google_env.create_spreadsheet("テスト店", baseline(), shared_with={SERVICE_EMAIL})
    config = load_config(google_config(tmp_path, key))
    google_env.set_faults({"status": 400, "count": -1, "include_token": True,
                           "path_contains": "/token"})  # fmt: skip
    error = _failing_google_run(config)
    assert error.key == "google_key_refused"
    assert "revoked" in error.render("en") and "sign-in service" not in error.render("en")


@pytest.mark.parametrize("count", [2, 33, 34, 35, 100])
def test_an_error_text_is_never_cut_mid_word(count: int) -> None:
    """Long error texts (over 200 characters) are shortened at a word boundary, marked …"""
    words = " ".join(["tokens"] * count)
    shown = _first_line(ValueError(words))
    assert shown == words or (shown.endswith(" …") and words.startswith(shown[:-2]))
    assert all(word == "tokens" for word in shown.removesuffix(" …").split())


def test_a_lock_file_that_cannot_be_created_is_exit_2_naming_it(client: Path) -> None:
    """The lock file cannot be made (a folder stands in its place): exit 2 naming the lock
    file and the folder to fix, no traceback, nothing written or sent."""
    lock_path(load_config(client)).mkdir()
    before = (client.parent / "book.xlsx").read_bytes()
    done = cli("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    assert done.returncode == EXIT_CONFIG, done.stderr
    assert shows(done.stderr, "error.lock_not_creatable", "ja") and "Traceback" not in done.stderr
    assert (client.parent / "book.xlsx").read_bytes() == before and eml_count(client.parent) == 0


# -- a log file that fills up, a dry run without the lock, doctor and the lock ---------------
def test_a_full_disk_under_the_log_file_is_one_line_and_the_run_goes_on(
    client: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every write to --log-file fails with ENOSPC: no logging traceback, one line on stderr
    naming the file and the reason, and the run finishes (exit 0, the agenda sent)."""

    def full(self: logging.FileHandler) -> Any:
        stream = open(self.baseFilename, self.mode, encoding=self.encoding)  # noqa: SIM115

        def no_space(text: str) -> int:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        stream.write = no_space  # type: ignore[method-assign,assignment]
        return stream

    monkeypatch.setattr(logging.FileHandler, "_open", full)
    log_file = tmp_path / "sync.log"
    result = CliRunner().invoke(
        main,
        [
            "sync",
            "--config",
            str(client),
            "--as-of",
            DUE_DAY.isoformat(),
            "--log-file",
            str(log_file),
        ],
    )
    assert result.exit_code == EXIT_OK, result.output
    assert "Traceback" not in result.stderr and "Logging error" not in result.stderr
    said = [line for line in result.stderr.splitlines() if shows(line, "cli.log_file_failed", "ja")]
    assert len(said) == 1 and str(log_file) in said[0] and "No space left" in said[0]
    assert eml_count(client.parent) == 1


def test_a_dry_run_needs_no_lock_file(client: Path) -> None:
    """The lock file cannot be created (a folder holds its name, as a read-only config folder
    would refuse it): `sync --dry-run` still reads and checks (exit 0), `sync` says why it
    cannot run (exit 2), and neither sends anything."""
    lock_path(load_config(client)).mkdir()
    dry = invoke("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat(), "--dry-run")
    assert dry.exit_code == EXIT_OK, dry.output
    real = invoke("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    assert real.exit_code == EXIT_CONFIG
    assert shows(real.output, "error.lock_not_creatable", "ja")
    assert eml_count(client.parent) == 0


def test_doctor_says_when_the_lock_file_cannot_be_created(client: Path) -> None:
    """doctor names the lock file sync could not create (what stops every sync), with exit 2;
    once it can be created that line is gone."""
    lock = lock_path(load_config(client))
    lock.mkdir()
    blocked = invoke("doctor", "--config", str(client))
    line = next(x for x in blocked.output.splitlines() if "lock file" in x)
    assert line.startswith("✗ lock file: ") and str(lock) in line and "make the folder" in line
    assert blocked.exit_code == EXIT_CONFIG, blocked.output
    lock.rmdir()
    fine = invoke("doctor", "--config", str(client))
    assert "lock file" not in fine.output
