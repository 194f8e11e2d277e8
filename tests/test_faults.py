"""Nothing lost, nothing sent twice: Google failing (429, 5xx, timeouts, resets) through the
emulator, SMTP failing on either backend, an .xlsx open in Excel, damaged, or its writer killed
mid-save, and a run killed between sending the agenda and writing the Log."""

from __future__ import annotations

import io
import logging
import os
import signal
import stat
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.backends.google import GoogleBackend
from sheets_sync.backends.google_http import RetryingHTTPClient
from sheets_sync.backends.xlsx_files import STALE_TEMP_SECONDS
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.errors import EXIT_MAIL, EXIT_SHEET, SheetAccessError
from sheets_sync.run.sync import RunOptions, RunResult, run
from sheets_sync.util.pacing import RetryPolicy
from tests.fake_google import FakeGoogle
from tests.support.google import SERVICE_EMAIL, google_config
from tests.support.smtp_server import Collector, RejectAfterData, free_port, serving
from tests.support.words import shows
from tests.support.workbooks import (
    BASELINE_TODAY,
    Tabs,
    backups_of,
    baseline,
    config_file,
    input_cells,
    write_xlsx,
)

DUE_DAY = date(2026, 11, 21)  # cycle 2 ends 11-22 (its meeting); send_days_before = 1
GENERATED = ("サマリー", "チェック", "ログ")
INPUT_TITLES = ["KPI", "サイクル", "KPI記録", "証拠"]
FAST = RetryPolicy(base_seconds=0.01, cap_seconds=0.05)
ROOT = Path(__file__).resolve().parents[1]
BIG_ROWS = 8_000  # enough for openpyxl's save to take a few hundred milliseconds


# -- helpers -----------------------------------------------------------------------------------
def google_client(tmp_path: Path, google: FakeGoogle, extra: str = "") -> tuple[Path, str]:
    """A client config for a baseline spreadsheet in the emulator (key.json already written)."""
    key = google.create_spreadsheet("テスト店", baseline(), shared_with={SERVICE_EMAIL})
    return google_config(tmp_path, key, extra=extra), key


def google_run(
    config_path: Path, today: date = BASELINE_TODAY, policy: RetryPolicy = FAST, **options: Any
) -> tuple[RunResult, GoogleBackend]:
    config = load_config(config_path)
    backend = GoogleBackend.from_config(config, policy=policy)
    options.setdefault("no_agenda", True)
    return run(config, RunOptions(as_of=today, **options), backend=backend), backend


def generated_values(google: FakeGoogle, key: str) -> dict[str, list[list[Any]]]:
    return {title: google.values(key, title) for title in GENERATED}


def api_calls(google: FakeGoogle, path_part: str = "") -> list[dict[str, Any]]:
    return [entry for entry in google.requests("api") if path_part in entry["path"]]


def retry_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The backend's retry lines, in the client's language (these tests' clients are
    Japanese)."""
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == "sheets_sync.google" and shows(record.getMessage(), "google.retry", "ja")
    ]


def sync_rows(google: FakeGoogle, key: str) -> list[list[Any]]:
    return [row for row in google.values(key, "ログ")[1:] if row[1:3] == ["更新", "完了"]]


def smtp_settings(port: int) -> str:
    return f"""[mail.smtp]
host = "127.0.0.1"
port = {port}
security = "none"
timeout = 5
"""


def use_smtp(config_path: Path) -> Path:
    text = config_path.read_text(encoding="utf-8")
    config_path.write_text(text.replace('transport = "outbox"', 'transport = "smtp"'), "utf-8")
    return config_path


def run_child(script: str, *args: str) -> subprocess.Popen[bytes]:
    """A separate Python process running `script` (the project is installed in the venv)."""
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(script), *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


# -- Google: retried, bounded, never half-written ------------------------------------------------
@pytest.mark.parametrize(("status", "count"), [(429, 3), (500, 2), (503, 1)])
def test_transient_google_errors_are_retried_and_logged(
    tmp_path: Path,
    google_env: FakeGoogle,
    key_file: Path,
    caplog: pytest.LogCaptureFixture,
    status: int,
    count: int,
) -> None:
    """N answers of 429/5xx then success: the sync succeeds, with exactly N retries logged as
    warnings on "sheets_sync.google", and the write lands once."""
    config_path, key = google_client(tmp_path, google_env)
    google_env.set_faults({"status": status, "count": count})
    caplog.set_level(logging.WARNING, logger="sheets_sync.google")
    result, backend = google_run(config_path)
    assert result.wrote
    assert len(retry_lines(caplog)) == count == backend.http.retries
    assert all(f"HTTP {status}" in line for line in retry_lines(caplog))
    assert [e["status"] for e in api_calls(google_env)] == [status] * count + [200, 200]
    assert len(sync_rows(google_env, key)) == 1


@pytest.mark.parametrize("where", [None, ":batchUpdate"], ids=["every-call", "write-only"])
def test_persistent_503_gives_up_in_bounded_time_and_writes_nothing(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path, where: str | None
) -> None:
    """Google answering 503 for ever: SheetAccessError (exit 3) after the policy's attempts,
    well within its total time, and the generated tabs hold exactly what they held before."""
    config_path, key = google_client(tmp_path, google_env)
    google_run(config_path)  # a good first sync, so there are generated tabs to protect
    before = generated_values(google_env, key)
    google_env.reset_requests()
    google_env.set_faults({"status": 503, "count": -1, "path_contains": where})
    policy = RetryPolicy(attempts=4, base_seconds=0.01, cap_seconds=0.05, total_seconds=2.0)
    started = time.monotonic()
    with pytest.raises(SheetAccessError) as raised:
        google_run(config_path, BASELINE_TODAY + timedelta(days=1), policy=policy)
    elapsed = time.monotonic() - started
    assert raised.value.exit_code == EXIT_SHEET
    assert "503" in str(raised.value) and shows(
        str(raised.value), "error.google_kept_failing", "ja"
    )
    assert elapsed < policy.total_seconds + 3.0
    assert [e["status"] for e in api_calls(google_env, where or "")] == [503] * policy.attempts
    google_env.clear_faults()
    assert generated_values(google_env, key) == before


def test_a_hung_read_times_out_and_is_retried(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """An answer slower than the read timeout is a ReadTimeout, retried; the sync succeeds."""
    config_path, key = google_client(tmp_path, google_env)
    config = load_config(config_path)
    backend = GoogleBackend.from_config(config, policy=FAST)
    backend.http.timeout = (2, 0.5)
    google_env.set_faults({"hang_ms": 3000, "count": 1, "method": "GET"})
    caplog.set_level(logging.WARNING, logger="sheets_sync.google")
    started = time.monotonic()
    result = run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    assert result.wrote and time.monotonic() - started < 2.5
    assert [line for line in retry_lines(caplog) if "Timeout" in line] == retry_lines(caplog)
    assert len(retry_lines(caplog)) == 1
    assert len(sync_rows(google_env, key)) == 1


@pytest.mark.parametrize("where", [None, ":batchUpdate"], ids=["read", "write"])
def test_a_connection_reset_is_retried(
    tmp_path: Path,
    google_env: FakeGoogle,
    key_file: Path,
    caplog: pytest.LogCaptureFixture,
    where: str | None,
) -> None:
    """The server drops the connection without answering (RST): retried, and the write lands
    exactly once."""
    config_path, key = google_client(tmp_path, google_env)
    google_env.set_faults({"reset_connection": True, "count": 1, "path_contains": where})
    caplog.set_level(logging.WARNING, logger="sheets_sync.google")
    result, _ = google_run(config_path)
    assert result.wrote
    assert len(retry_lines(caplog)) == 1 and "ConnectionError" in retry_lines(caplog)[0]
    writes = api_calls(google_env, ":batchUpdate")
    assert [w["status"] for w in writes] == ([0, 200] if where else [200])
    assert len(sync_rows(google_env, key)) == 1


def test_a_429_on_the_write_only_is_retried_and_the_write_lands_once(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The read goes through; the batchUpdate gets 429 (with Retry-After: 0) then succeeds:
    one retry, one write, one Log row for the run."""
    config_path, key = google_client(tmp_path, google_env)
    google_env.set_faults(
        {"status": 429, "count": 1, "path_contains": ":batchUpdate", "retry_after": 0}
    )
    caplog.set_level(logging.WARNING, logger="sheets_sync.google")
    result, _ = google_run(config_path)
    assert result.wrote
    assert len(retry_lines(caplog)) == 1 and ":batchUpdate" in retry_lines(caplog)[0]
    assert [w["status"] for w in api_calls(google_env, ":batchUpdate")] == [429, 200]
    assert len(api_calls(google_env)) == 3  # one read, two write attempts
    assert len(sync_rows(google_env, key)) == 1


def test_a_long_retry_after_is_not_slept_past_the_bound(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Persistent 429 with `Retry-After: 30`: the client gives up at once rather than sleeping
    past the policy's total time (exit 3, no sleep at all, one request)."""
    config_path, _ = google_client(tmp_path, google_env)
    google_env.set_faults({"status": 429, "count": -1, "retry_after": 30})
    policy = RetryPolicy(base_seconds=0.01, cap_seconds=0.05, total_seconds=5.0)
    slept: list[float] = []
    monkeypatch.setattr(RetryingHTTPClient, "sleep", staticmethod(slept.append))
    with pytest.raises(SheetAccessError, match="429"):
        google_run(config_path, policy=policy)
    assert slept == []
    assert len(api_calls(google_env)) == 1


def test_a_google_that_hangs_for_ever_is_bounded_by_total_time_plus_one_timeout(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path
) -> None:
    """Every read hangs: each attempt ends at the read timeout, and the run gives up once the
    policy's total time is spent — at most total_seconds plus one read timeout (the bound a
    cron job can rely on)."""
    config_path, _ = google_client(tmp_path, google_env)
    config = load_config(config_path)
    policy = RetryPolicy(attempts=10, base_seconds=0.01, cap_seconds=0.05, total_seconds=1.0)
    backend = GoogleBackend.from_config(config, policy=policy)
    backend.http.timeout = (2, 0.3)
    google_env.set_faults({"hang_ms": 1500, "count": -1, "method": "GET"})
    started = time.monotonic()
    with pytest.raises(SheetAccessError, match="ReadTimeout"):
        run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    assert time.monotonic() - started < policy.total_seconds + 0.3 + 1.0


def test_a_token_revoked_between_runs_is_refreshed_transparently(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path
) -> None:
    """The access token stops working (401): google-auth fetches a new one and the same backend
    syncs again without any error."""
    config_path, key = google_client(tmp_path, google_env)
    config = load_config(config_path)
    backend = GoogleBackend.from_config(config, policy=FAST)
    run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    google_env.revoke_tokens()
    run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    assert 401 in [e["status"] for e in api_calls(google_env)]
    assert len(sync_rows(google_env, key)) == 2


def test_a_first_write_whose_answer_is_lost_is_not_reported_as_failed(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path
) -> None:
    """The first sync's batchUpdate (which adds Summary/Checks/Log) is applied by Google but
    its answer never arrives (read timeout); the retry must not turn that into a failure."""
    config_path, key = google_client(tmp_path, google_env)
    config = load_config(config_path)
    slow = RetryPolicy(base_seconds=1.2, cap_seconds=1.2)  # the retry leaves after it landed
    backend = GoogleBackend.from_config(config, policy=slow)
    backend.http.timeout = (2, 0.2)
    google_env.set_faults({"hang_ms": 500, "count": 1, "path_contains": ":batchUpdate"})
    try:
        result = run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    finally:
        time.sleep(0.5)  # let the emulator finish the hung request
    assert result.wrote
    assert set(GENERATED) <= set(google_env.sheet_titles(key))
    assert len(sync_rows(google_env, key)) == 1


# -- SMTP failing, on Google too -----------------------------------------------------------------
@pytest.mark.parametrize("failure", ["down", "rejects-after-data"])
def test_smtp_failure_with_google_writes_the_sheet_and_the_next_run_sends_once(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path, failure: str
) -> None:
    """SMTP unreachable, or refusing after DATA: the Google Sheet is still written, exit 4, its
    Log tab says `agenda failed`; with a working server the next run sends exactly one message
    and the run after that sends none."""
    port = free_port()
    config_path, key = google_client(tmp_path, google_env, extra=smtp_settings(port))
    use_smtp(config_path)
    if failure == "down":
        failed, _ = google_run(config_path, DUE_DAY, no_agenda=False)
    else:
        handler = RejectAfterData()
        with serving(handler, port):
            failed, _ = google_run(config_path, DUE_DAY, no_agenda=False)
        assert handler.refused == 1
    assert failed.exit_code == EXIT_MAIL and failed.wrote and failed.agenda_error
    log = google_env.values(key, "ログ")
    assert ["アジェンダ", "失敗", 2] in [row[1:4] for row in log]
    assert generated_values(google_env, key)["サマリー"]  # the Summary was written

    collector = Collector()
    with serving(collector, port):
        retried, _ = google_run(config_path, DUE_DAY, no_agenda=False)
        again, _ = google_run(config_path, DUE_DAY, no_agenda=False)
    assert retried.exit_code == 0 and retried.agenda_sent_to == f"smtp://127.0.0.1:{port}"
    assert again.agenda_sent_to is None
    assert shows(again.agenda_skipped, "run.skip_already_sent", "ja")
    assert len(collector.envelopes) == 1
    assert ["アジェンダ", "送信済み", 2] in [row[1:4] for row in google_env.values(key, "ログ")]


def test_while_google_refuses_writes_the_agenda_is_sent_only_once(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path
) -> None:
    """The read works but every batchUpdate fails (exit 3, saying the agenda WAS sent): later
    runs do not send it again, and once Google accepts the write the Log records the send."""
    config_path, key = google_client(tmp_path, google_env)
    outbox = tmp_path / "outbox"
    google_env.set_faults({"status": 503, "count": -1, "path_contains": ":batchUpdate"})
    policy = RetryPolicy(attempts=2, base_seconds=0.01, cap_seconds=0.01, total_seconds=1.0)
    for attempt in range(2):
        with pytest.raises(SheetAccessError) as raised:
            google_run(config_path, DUE_DAY, policy=policy, no_agenda=False)
        assert shows(str(raised.value), "error.sent_agenda", "ja") == (attempt == 0)
        assert len(list(outbox.glob("*.eml"))) == 1
    google_env.clear_faults()
    healed, _ = google_run(config_path, DUE_DAY, no_agenda=False)
    assert healed.agenda_sent_to is None and len(list(outbox.glob("*.eml"))) == 1
    assert ["アジェンダ", "送信済み", 2] in [row[1:4] for row in google_env.values(key, "ログ")]


# -- .xlsx: open in Excel, damaged, killed mid-save ----------------------------------------------
@pytest.mark.parametrize("lock_name", ["~$book.xlsx", ".~lock.book.xlsx#"])
def test_a_workbook_open_in_excel_is_exit_3_and_untouched(tmp_path: Path, lock_name: str) -> None:
    """`sheets-sync sync` on the due day with Excel's or LibreOffice's lock file present:
    exit 3, a one-line message saying to close it, the file byte-for-byte the same, and no
    agenda sent (the read refuses before anything happens)."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    config_path = config_file(tmp_path)
    original = workbook.read_bytes()
    (tmp_path / lock_name).write_text("someone", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["sync", "--config", str(config_path), "--as-of", DUE_DAY.isoformat()]
    )
    assert result.exit_code == EXIT_SHEET
    assert shows(result.output, "error.workbook_open", "ja")
    assert "Traceback" not in result.output
    assert workbook.read_bytes() == original
    assert not (tmp_path / "outbox").exists()


def _corrupt(good: bytes, kind: str) -> bytes:
    if kind == "empty":
        return b""
    if kind == "not-a-zip":
        return b"date,quote\n2026-11-20,hello\n"
    if kind == "truncated":
        return good[: len(good) // 2]
    # A valid zip whose XML part was cut short (a sync tool or a disk that gave up halfway).
    part = {
        "broken-sheet-xml": "xl/worksheets/sheet1.xml",
        "broken-workbook-xml": "xl/workbook.xml",
    }
    source = zipfile.ZipFile(io.BytesIO(good))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            data = source.read(name)
            target.writestr(name, data[: len(data) // 2] if name == part[kind] else data)
    return out.getvalue()


@pytest.mark.parametrize(
    "kind",
    [
        "empty",
        "not-a-zip",
        "truncated",
        "broken-sheet-xml",
        "broken-workbook-xml",
    ],
)
def test_a_corrupt_workbook_is_exit_3_pointing_at_the_backups(tmp_path: Path, kind: str) -> None:
    """A damaged .xlsx that a sync backed up before: exit 3 with a message naming the file
    and the newest backup in the backups folder, no traceback, and the damaged file left as
    it was (for recovery)."""
    good = write_xlsx(tmp_path / "good.xlsx", baseline()).read_bytes()
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(good)
    config_path = config_file(tmp_path)
    run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    (newest,) = backups_of(tmp_path).iterdir()
    workbook.write_bytes(_corrupt(good, kind))
    damaged = workbook.read_bytes()
    result = CliRunner().invoke(main, ["sync", "--config", str(config_path), "--no-agenda"])
    assert result.exit_code == EXIT_SHEET, result.output
    assert "book.xlsx" in result.output and str(newest) in result.output
    assert "Traceback" not in result.output
    assert workbook.read_bytes() == damaged


def test_a_sync_keeps_the_workbook_file_permissions(tmp_path: Path) -> None:
    """A workbook shared with the team (mode 0664) keeps its mode after a sync."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    workbook.chmod(0o664)
    run(load_config(config_file(tmp_path)), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    assert stat.S_IMODE(workbook.stat().st_mode) == 0o664


def _big_workbook(path: Path, rows: int) -> Path:
    tabs: Tabs = baseline()
    start = date(2026, 10, 26)
    signals = ("迷い", "納得", "安心", "不安")
    for i in range(rows):
        day = (start + timedelta(days=i % 27)).isoformat()
        tabs["証拠"].append([day, None, "会話", signals[i % 4], f"一言{i}", "棚の前", "", "田中"])
    return write_xlsx(path, tabs)


# The package writer copies staff parts as stored, so a real save takes milliseconds: this
# child writes on a slow disk (each zip entry flushed, then a pause) so the kill lands mid-save.
_SYNC_CHILD = """
    import sys, time
    from datetime import date
    from sheets_sync.backends import zip_copy
    from sheets_sync.config import load_config
    from sheets_sync.run.sync import RunOptions, run

    real_write = zip_copy.ZipCopier._write

    def slow_disk(self, *args):
        real_write(self, *args)
        self.out.flush()
        time.sleep(0.2)

    zip_copy.ZipCopier._write = slow_disk
    run(load_config(sys.argv[1]), RunOptions(as_of=date(2026, 11, 20), no_agenda=True))
"""


def _age(paths: list[Path]) -> None:
    """Make leftover temp files look older than STALE_TEMP_SECONDS."""
    long_ago = time.time() - STALE_TEMP_SECONDS - 60
    for path in paths:
        os.utime(path, (long_ago, long_ago))


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def _kill_during_save(tmp_path: Path, config_path: Path) -> list[Path]:
    """Start a sync in a child process, SIGKILL it once its temp file is being written."""
    child = run_child(_SYNC_CHILD, str(config_path))
    deadline = time.monotonic() + 60
    temps: list[Path] = []
    try:
        while not any(_size(temp) for temp in temps):  # bytes written: mid-save
            assert child.poll() is None, child.communicate()[1].decode()
            assert time.monotonic() < deadline, "the child never started saving"
            temps = list(tmp_path.glob(".book.*.xlsx.tmp"))
            time.sleep(0.002)
    finally:
        child.send_signal(signal.SIGKILL)
        child.communicate()
    assert child.returncode == -signal.SIGKILL
    return temps


@pytest.mark.slow
def test_killed_during_an_xlsx_save_the_original_is_intact(tmp_path: Path) -> None:
    """A child process syncing a big workbook (BIG_ROWS evidence rows) is SIGKILLed while it
    writes its temp file: the workbook on disk is byte-for-byte the original (the rename never
    happened), so it opens with every input cell as before; the next sync succeeds despite the
    leftover temp file, which that next save removes."""
    workbook = _big_workbook(tmp_path / "book.xlsx", BIG_ROWS)
    config_path = config_file(tmp_path)
    original = workbook.read_bytes()
    before = input_cells(workbook, INPUT_TITLES)

    temps = _kill_during_save(tmp_path, config_path)

    assert all(temp.exists() for temp in temps), "killed after the rename: kill earlier"
    assert workbook.read_bytes() == original  # so every input cell is as it was
    _age(temps)  # an hour later: old enough to be nobody's live save
    result = run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    assert result.wrote
    assert input_cells(workbook, INPUT_TITLES) == before
    assert set(load_workbook(workbook, read_only=True).sheetnames) >= set(GENERATED)
    assert not any(temp.exists() for temp in temps)  # the next save removed the leftover


def test_a_temp_file_left_by_a_killed_save_is_cleaned_up_by_the_next_sync(tmp_path: Path) -> None:
    """A stale `.book.*.xlsx.tmp` from a killed run (over STALE_TEMP_SECONDS old, so no live
    run's) is removed by the next successful save."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    config_path = config_file(tmp_path)
    stale = tmp_path / ".book.k1ll3d.xlsx.tmp"
    stale.write_bytes(b"PK\x03\x04 half a workbook")
    _age([stale])
    run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    assert not stale.exists()


_DIES_BEFORE_WRITING = """
    import os, sys
    from datetime import date
    from sheets_sync.backends.xlsx import XlsxBackend
    from sheets_sync.config import load_config
    from sheets_sync.run.sync import RunOptions, run

    class DiesBeforeWriting(XlsxBackend):
        def write(self, tabs):
            os._exit(137)  # as if SIGKILLed after the agenda went out, before the Log

    config = load_config(sys.argv[1])
    backend = DiesBeforeWriting(config.workbook_path(), config.language)
    run(config, RunOptions(as_of=date.fromisoformat(sys.argv[2])), backend=backend)
"""


def test_killed_between_sending_and_logging_the_agenda_is_not_sent_again(tmp_path: Path) -> None:
    """A run dies after delivering the agenda but before writing the Log: the workbook does
    not know, but the journal beside the config does, so the next run records the send in
    the Log instead of sending a duplicate, and removes the journal."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    config_path = config_file(tmp_path)
    original = workbook.read_bytes()
    outbox = tmp_path / "outbox"

    child = run_child(_DIES_BEFORE_WRITING, str(config_path), DUE_DAY.isoformat())
    _, stderr = child.communicate(timeout=60)
    assert child.returncode == 137, stderr.decode()
    assert len(list(outbox.glob("*.eml"))) == 1
    assert workbook.read_bytes() == original  # the Log never learnt about it

    second = run(load_config(config_path), RunOptions(as_of=DUE_DAY))  # no stale lock either
    assert second.agenda_sent_to is None
    assert shows(second.agenda_skipped, "run.skip_already_sent", "ja")
    assert second.wrote and len(list(outbox.glob("*.eml"))) == 1
    assert not list(tmp_path.glob(".*.agenda-sent.json"))
    log = load_workbook(workbook)["ログ"]
    sent = [
        r
        for r in log.iter_rows(min_row=2, values_only=True)
        if r[1:3] == ("アジェンダ", "送信済み")
    ]
    assert len(sent) == 1


def test_killed_process_leaves_no_stale_lock(tmp_path: Path) -> None:
    """The client lock is an OS lock: a run killed while holding it does not block the next."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    config_path = config_file(tmp_path)
    child = run_child(
        """
        import os, sys
        from sheets_sync.config import load_config
        from sheets_sync.run.locking import client_lock
        with client_lock(load_config(sys.argv[1])):
            os.kill(os.getpid(), 9)
        """,
        str(config_path),
    )
    child.communicate(timeout=60)
    assert child.returncode == -signal.SIGKILL
    assert run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True)).wrote
