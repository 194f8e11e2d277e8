"""`sync-all`: every client in a folder, one failure never stops the others, one shared quota.

Real .xlsx files, the real Google emulator (real gspread and google-auth over HTTP), real locks.
"""

from __future__ import annotations

import bisect
import re
import threading
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync import api
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.consultant.batch import (
    EXIT_PRIORITY,
    BatchOutcome,
    ClientRun,
    client_configs,
    sync_all,
)
from sheets_sync.errors import LockedError
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.locking import client_lock
from sheets_sync.util.pacing import RateLimiter, RetryPolicy
from tests.fake_google import FakeGoogle
from tests.fake_google.client import make_service_account_file
from tests.support.clients import xlsx_client
from tests.support.google import SERVICE_EMAIL, google_config
from tests.support.words import shows
from tests.support.workbooks import BASELINE_TODAY, baseline

AS_OF = BASELINE_TODAY.isoformat()
SAMPLE_DAY = date(2026, 11, 19)  # a sample client made this day has its meeting tomorrow
SPREADSHEET_IN_PATH = re.compile(r"/spreadsheets/([^/:?]+)")


def google_clients(folder: Path, server: FakeGoogle, count: int) -> list[str]:
    """`count` Google clients sharing one service-account key file; their spreadsheet ids."""
    make_service_account_file(folder / "key.json", server.token_uri, SERVICE_EMAIL)
    keys = []
    for number in range(count):
        key = server.create_spreadsheet(f"店{number:03}", baseline(), shared_with={SERVICE_EMAIL})
        google_config(folder, key, client=f"店{number:03}").rename(
            folder / f"client-{number:03}.toml"
        )
        keys.append(key)
    return keys


def api_requests_per_spreadsheet(server: FakeGoogle) -> Counter[str]:
    found = (SPREADSHEET_IN_PATH.search(entry["path"]) for entry in server.requests("api"))
    return Counter(match.group(1) for match in found if match)


def tab_titles(path: Path) -> list[str]:
    return list(load_workbook(path).sheetnames)


def test_one_broken_config_and_one_open_workbook_do_not_stop_the_good_client(
    tmp_path: Path,
) -> None:
    """A broken config (exit 2) and a workbook open in Excel (exit 3) sort before the good
    client, yet the good one is synced; the table lists all three; the run exits 3."""
    (tmp_path / "a-broken.toml").write_text(
        'client = "壊れた設定"\n[sheet]\nbackend = "xlsx"\n', encoding="utf-8"
    )
    xlsx_client(tmp_path, "b-open", client="開いている店")
    lock_file = tmp_path / "~$b-open.xlsx"
    lock_file.write_bytes(b"")
    open_before = (tmp_path / "b-open.xlsx").read_bytes()
    xlsx_client(tmp_path, "c-good", client="良い店")

    result = CliRunner().invoke(main, ["sync-all", str(tmp_path), "--as-of", AS_OF])

    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    rows: dict[str, str] = {}
    for line in result.stdout.splitlines()[2:5]:  # the table's rows, after header and rule
        rows[line.split()[0]] = line
    assert "a-broken" in rows and "config error" in rows["a-broken"]
    assert "sheet error" in rows["開いている店"]
    assert re.search(r"良い店\s+ok\s+0 errors, \d+ warnings?\s+no\s+\d+\.\d+s", rows["良い店"])
    # The table covers every client whatever its language: English, though both are ja clients.
    assert shows(result.stdout, "config.backend_needs_path", "en")
    assert shows(result.stdout, "error.workbook_open", "en")
    assert "サマリー" in tab_titles(tmp_path / "c-good.xlsx")
    assert (tmp_path / "b-open.xlsx").read_bytes() == open_before


def test_the_table_is_aligned_for_japanese_names(tmp_path: Path) -> None:
    """Wide (Japanese) characters count as two columns, so the outcome column lines up."""
    xlsx_client(tmp_path, "a", client="さくら珈琲")
    xlsx_client(tmp_path, "b", client="Blue Cafe")

    outcome = sync_all(tmp_path, jobs=2, as_of=BASELINE_TODAY)

    lines = outcome.table().splitlines()
    starts = {line.split("ok")[0] for line in lines[2:4]}
    widths = {sum(2 if ord(ch) > 0x2E7F else 1 for ch in start) for start in starts}
    assert len(widths) == 1, lines
    assert lines[0].startswith("client") and set(lines[1]) == {"-"}


def test_a_held_lock_reports_locked_and_leaves_the_workbook_alone(tmp_path: Path) -> None:
    """While another run holds a client's lock, sync-all reports it as locked (exit 5) and does
    not touch its workbook; the other client is synced as usual."""
    busy = xlsx_client(tmp_path, "busy", client="実行中の店")
    xlsx_client(tmp_path, "free", client="空いている店")
    before = (tmp_path / "busy.xlsx").read_bytes()

    with client_lock(load_config(busy)):
        outcome = api.sync_all(tmp_path, jobs=2, as_of=BASELINE_TODAY)

    by_client = {run.client: run for run in outcome.runs}
    assert by_client["実行中の店"].outcome == "locked"
    assert by_client["実行中の店"].exit_code == 5
    busy_row = by_client["実行中の店"]
    assert shows(busy_row.message, "error.client_busy", "en")  # the table's words: English
    assert isinstance(busy_row.problem, LockedError)  # kept as it was raised, in the client's
    assert shows(str(busy_row.problem), "error.client_busy", "ja")  # language
    assert by_client["空いている店"].outcome == "ok"
    assert outcome.exit_code == 5
    assert (tmp_path / "busy.xlsx").read_bytes() == before
    assert "サマリー" in tab_titles(tmp_path / "free.xlsx")


def test_the_portfolio_settings_file_is_not_a_client(tmp_path: Path) -> None:
    """portfolio.toml lives beside the client configs but is never synced as one."""
    xlsx_client(tmp_path, "shop")
    (tmp_path / "portfolio.toml").write_text('[portfolio]\nto = ["c@example.jp"]\n', "utf-8")

    assert [path.name for path in client_configs(tmp_path)] == ["shop.toml"]


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        (["ok", "ok"], 0),
        (["ok", "locked"], 5),
        (["locked", "agenda failed"], 4),
        (["agenda failed", "config error", "locked"], 2),
        (["config error", "crashed"], 1),
        (["crashed", "sheet error", "config error", "agenda failed", "locked"], 3),
    ],
)
def test_exit_code_is_the_most_pressing_failure(outcomes: list[str], expected: int) -> None:
    """3 sheet error > 1 crashed > 2 config error > 4 agenda not sent > 5 locked > 0."""
    runs = [ClientRun(Path(f"{n}.toml"), str(n), o) for n, o in enumerate(outcomes)]  # type: ignore[arg-type]
    assert BatchOutcome(Path("."), runs).exit_code == expected
    assert EXIT_PRIORITY == (3, 1, 2, 4, 5)


class FakeClock:
    """A clock that moves only when someone sleeps on it (shared by threads)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []
        self._lock = threading.Lock()

    def time(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.slept.append(seconds)
            self.now += seconds


def test_rate_limiter_spends_the_burst_then_waits_one_interval_per_request() -> None:
    """30/s: the first 300 requests (10 s worth) go at once, then each waits 1/30 s."""
    clock = FakeClock()
    limiter = RateLimiter(30 * 60, clock=clock.time, sleep=clock.sleep)
    for _ in range(int(limiter.capacity)):
        limiter.acquire()
    assert clock.slept == []
    for _ in range(60):
        limiter.acquire()
    assert clock.now - 1000.0 == pytest.approx(2.0)
    assert limiter.waited_seconds == pytest.approx(2.0)


def test_rate_limiter_caps_several_threads_at_30_per_second() -> None:
    """Four threads sharing the bucket never get more than the burst plus 30 per second of
    (fake) time, in any window; a metered limiter counts the same stamps."""
    clock = FakeClock()
    limiter = RateLimiter(30 * 60, clock=clock.time, sleep=clock.sleep, keep_times=True)
    granted: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(150):
            limiter.acquire()
            with lock:
                granted.append(clock.time())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    granted.sort()
    assert len(granted) == limiter.requests == 600
    for index, start in enumerate(granted):
        within = bisect.bisect_right(granted, start + 1.0) - index
        assert within <= limiter.capacity + 30 + 1
    assert granted[-1] - granted[0] >= (600 - limiter.capacity) / 30 - 1e-6
    assert limiter.peak(window_seconds=1.0) <= limiter.capacity + 31


@pytest.mark.slow
def test_load_100_google_clients_8_jobs_two_requests_each(
    tmp_path: Path, google_env: FakeGoogle
) -> None:
    """100 Google clients, 8 jobs, one shared key file and rate limiter: all succeed, no 429
    is ever answered, and each spreadsheet gets exactly its 2 requests (one read, one write)."""
    keys = google_clients(tmp_path, google_env, 100)
    google_env.reset_requests()

    outcome = api.sync_all(tmp_path, jobs=8, requests_per_minute=6000, as_of=BASELINE_TODAY)

    print(
        f"\nload test: {len(outcome.runs)} clients, {outcome.jobs} jobs, "
        f"{outcome.seconds:.1f} s, {outcome.api_requests} API requests, "
        f"{outcome.retries} retries, peak {outcome.peak_requests_per_minute} requests in a "
        f"60 s window (mean {outcome.mean_requests_per_minute:.0f}/min; limit "
        f"{outcome.requests_per_minute}/min)"
    )
    assert [run.outcome for run in outcome.runs] == ["ok"] * 100, outcome.table()
    assert outcome.exit_code == 0
    statuses = Counter(entry["status"] for entry in google_env.requests("api"))
    assert statuses == {200: 200}
    assert api_requests_per_spreadsheet(google_env) == dict.fromkeys(keys, 2)
    assert outcome.api_requests == 200 and outcome.retries == 0
    assert outcome.peak_requests_per_minute == 200
    assert outcome.seconds < 60


def test_a_429_storm_is_absorbed_by_retries(tmp_path: Path, google_env: FakeGoogle) -> None:
    """20 answers of 429 while 10 clients sync: every one is retried, every client ends ok,
    nothing reaches the table or the exit code."""
    google_clients(tmp_path, google_env, 10)
    google_env.reset_requests()
    google_env.set_faults({"status": 429, "count": 20})
    # The storm is 20 answers long, so 21 attempts per request can never all be refused.
    policy = RetryPolicy(attempts=21, base_seconds=0.01, cap_seconds=0.05)

    outcome = api.sync_all(
        tmp_path, jobs=4, requests_per_minute=6000, as_of=BASELINE_TODAY, policy=policy
    )

    assert [run.outcome for run in outcome.runs] == ["ok"] * 10, outcome.table()
    assert outcome.exit_code == 0
    statuses = Counter(entry["status"] for entry in google_env.requests("api"))
    assert statuses == {429: 20, 200: 20}
    assert outcome.retries == 20
    assert outcome.api_requests == 40


def test_the_log_line_says_agenda_no_when_this_run_sent_none(tmp_path: Path) -> None:
    """The cron log must agree with the table: the run that sends the agenda logs "agenda yes";
    the next morning's run, which sends nothing (the agenda went out the day before), logs
    "agenda no", not "yes" as if it had been sent again."""
    folder = tmp_path / "clients"
    order = NewClientOrder("さくら珈琲", "ja", folder, sample=True, today=SAMPLE_DAY)
    new_client(order)
    log_file = tmp_path / "cron.log"
    command = ["--log-file", str(log_file), "sync-all", str(folder), "--as-of", str(SAMPLE_DAY)]

    first = CliRunner().invoke(main, command)
    second = CliRunner().invoke(main, command)

    assert first.exit_code == 0 and second.exit_code == 0, first.output + second.output
    lines = [
        line for line in log_file.read_text("utf-8").splitlines() if "sync-all さくら珈琲" in line
    ]
    assert len(lines) == 2, lines
    assert "agenda yes" in lines[0] and "agenda no" in lines[1], lines
    assert re.search(r"さくら珈琲\s+ok\s+.*\s+no\s+\d+\.\d+s", second.stdout), second.stdout
