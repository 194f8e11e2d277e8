"""`watch`: staff edits reach the Checks tab within interval + debounce, bursts give one sync,
idle costs no Sheets request, the sync's own writes trigger nothing, a failing client is backed
off, and an .xlsx open in Excel waits. Driven step by step in fake time (no wall-clock races)
against the Google emulator and real .xlsx files."""

from __future__ import annotations

import itertools
import logging
from datetime import UTC, datetime
from datetime import time as clock_time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.consultant import watch_status
from sheets_sync.consultant.watch import Watcher
from sheets_sync.consultant.watch_schedule import BACKOFF_BASE_SECONDS
from sheets_sync.run.locking import client_lock
from tests.fake_google import FakeGoogle
from tests.support.watching import (
    BAD_DATE,
    DEBOUNCE,
    INTERVAL,
    FakeClock,
    Staff,
    checks_show,
    google_client,
    make_watcher,
    step,
    xlsx_client,
)
from tests.support.words import shows
from tests.support.workbooks import baseline, config_file, write_xlsx


def sheets_requests(server: FakeGoogle) -> list[dict[str, Any]]:
    return [e for e in server.requests("api") if e["path"].startswith("/v4/spreadsheets")]


def drive_requests(server: FakeGoogle) -> list[dict[str, Any]]:
    return [e for e in server.requests("api") if e["path"].startswith("/drive/")]


def writes(server: FakeGoogle, key: str) -> int:
    return sum(1 for e in sheets_requests(server) if e["path"].endswith(f"{key}:batchUpdate"))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_staff_edit_reaches_the_checks_tab_within_interval_plus_debounce(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """A date typed without a year shows on the Checks tab after at most interval + debounce
    of fake time (plus the one sync), with one log line for the sync, and the status file
    says what happened."""
    key = google_client(tmp_path, google_env, "さくら")
    watcher = make_watcher(tmp_path, clock)
    caplog.set_level(logging.INFO, logger="sheets_sync")
    Staff(google_env, tmp_path).type_evidence(key, 5)
    edited_at = clock.monotonic()
    while not checks_show(google_env, key, BAD_DATE):
        assert clock.monotonic() - edited_at < 10 * INTERVAL, "the edit was never synced"
        step(watcher, clock)
    assert clock.monotonic() - edited_at <= INTERVAL + DEBOUNCE
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith("watch さくら")]
    assert [line for line in lines if "ok · " in line] == lines[-1:]
    assert lines[-1].startswith("watch さくら: ok · ") and lines[-1].endswith(" · edit")
    state = watch_status.load(tmp_path)
    assert state is not None and state.clients["さくら.toml"].result == "ok"
    assert state.clients["さくら.toml"].trigger == "edit"
    assert state.last_poll is not None


def test_a_burst_of_20_edits_gives_one_sync(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock
) -> None:
    """Edits every 2 s for 40 s: the watch waits until they settle, then syncs once."""
    key = google_client(tmp_path, google_env, "さくら")
    watcher = make_watcher(tmp_path, clock)
    staff = Staff(google_env, tmp_path)
    google_env.reset_requests()
    for number in range(20):
        staff.type_evidence(key, 5 + number, when="2026-11-1" + str(number % 10))
        clock.advance(2)
        if number % 5 == 4:
            watcher.poll(wait=True)
    for _ in range(6):
        step(watcher, clock)
    assert writes(google_env, key) == 1
    assert watcher.status.sheets_syncs == 1


def test_idle_for_30_polls_costs_no_sheets_request_and_one_drive_request_per_poll(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock
) -> None:
    """Three Google clients and an .xlsx, nothing edited: the Sheets API is never called and
    Drive answers one change-feed request per poll for all clients together."""
    for name in ("a", "b", "c"):
        google_client(tmp_path, google_env, name)
    xlsx_client(tmp_path, "d")
    watcher = make_watcher(tmp_path, clock)
    google_env.reset_requests()
    for _ in range(30):
        step(watcher, clock)
    assert sheets_requests(google_env) == []
    drive = drive_requests(google_env)
    assert len(drive) == 30
    assert {e["path"] for e in drive} == {"/drive/v3/changes"}
    assert watcher.status.sheets_syncs == 0


def loop_step(watcher: Watcher, clock: FakeClock) -> float:
    """One step of `run_forever`'s own pace: wait what the watch asks, then poll."""
    wait = watcher.next_wait()
    step(watcher, clock, wait)
    return wait


def test_an_idle_hour_at_interval_10_costs_at_most_240_drive_requests_and_no_sheets_request(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock
) -> None:
    """After two quiet minutes the loop polls every 1.5 x --interval (15 s at 10): one fake
    hour of nothing, paced by the watch itself, costs <= 240 change-feed requests (cron
    every 5 minutes: 2,400 Sheets requests for 100 clients) and no Sheets request."""
    for name in ("a", "b"):
        google_client(tmp_path, google_env, name)
    watcher = make_watcher(tmp_path, clock)
    assert watcher.next_wait() == INTERVAL  # fast at first
    while not watcher.idle():
        loop_step(watcher, clock)
    assert watcher.next_wait() == 1.5 * INTERVAL
    google_env.reset_requests()
    start = clock.monotonic()
    while clock.monotonic() - start < 3600:
        assert loop_step(watcher, clock) == 1.5 * INTERVAL
    assert sheets_requests(google_env) == []
    drive = drive_requests(google_env)
    assert {e["path"] for e in drive} == {"/drive/v3/changes"}
    assert len(drive) == 240


def test_the_first_edit_after_a_quiet_spell_shows_within_idle_interval_plus_debounce(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock
) -> None:
    """Worst case: staff type just after a slow poll. The next slow poll sees the edit, the
    watch is back to --interval at once, and the Checks tab shows it within idle interval +
    debounce (25 s at --interval 10 --debounce 10), well inside the 30 s target."""
    key = google_client(tmp_path, google_env, "さくら")
    watcher = make_watcher(tmp_path, clock)
    while not watcher.idle():
        loop_step(watcher, clock)
    loop_step(watcher, clock)  # a slow poll; staff type right after it
    Staff(google_env, tmp_path).type_evidence(key, 5)
    edited_at = clock.monotonic()
    assert loop_step(watcher, clock) == 1.5 * INTERVAL  # the poll that sees the edit
    assert not watcher.idle() and watcher.next_wait() == INTERVAL  # back to fast at once
    while not checks_show(google_env, key, BAD_DATE):
        assert clock.monotonic() - edited_at < 10 * INTERVAL, "the edit was never synced"
        loop_step(watcher, clock)
    assert clock.monotonic() - edited_at <= 1.5 * INTERVAL + DEBOUNCE
    # Two quiet minutes later it slows down again, not before.
    since = clock.monotonic()
    while not watcher.idle():
        assert loop_step(watcher, clock) == INTERVAL
    assert clock.monotonic() - since >= 100


def test_idle_interval_is_an_option_and_may_not_be_below_interval(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock
) -> None:
    """`--idle-interval S` sets the quiet-spell pace, which `status` shows; one below
    --interval is a usage error (exit 2, one line), and `watch --help` documents it."""
    google_client(tmp_path, google_env, "a")
    watcher = make_watcher(tmp_path, clock, idle_interval=30.0)
    while not watcher.idle():
        loop_step(watcher, clock)
    assert watcher.next_wait() == 30.0
    status = watch_status.describe(tmp_path, clock.now()).splitlines()[0]
    assert "every 10s (30s when quiet), debounce 10s" in status
    runner = CliRunner()
    low = runner.invoke(main, ["watch", str(tmp_path), "--interval", "10", "--idle-interval", "5"])
    assert low.exit_code == 2 and "--idle-interval" in low.output
    assert "Traceback" not in low.output
    help_text = runner.invoke(main, ["watch", "--help"]).output
    assert "--idle-interval" in help_text and "1.5 x --interval" in help_text


def test_the_syncs_own_write_triggers_nothing(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock
) -> None:
    """After the sync wrote Summary/Checks/Log (a change in the feed, by the service account),
    twenty more polls start no sync: no loop."""
    key = google_client(tmp_path, google_env, "さくら")
    watcher = make_watcher(tmp_path, clock)
    Staff(google_env, tmp_path).type_evidence(key, 5)
    for _ in range(3):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1
    google_env.reset_requests()
    for _ in range(20):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1
    assert sheets_requests(google_env) == []


def test_a_client_that_always_fails_is_backed_off_and_the_others_keep_their_latency(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock
) -> None:
    """A broken .xlsx fails every sync: its attempts thin out exponentially (not one per
    poll), while a Google client edited meanwhile is still synced within interval + debounce."""
    broken = xlsx_client(tmp_path, "broken")
    key = google_client(tmp_path, google_env, "good")
    watcher = make_watcher(tmp_path, clock)
    broken.write_bytes(b"this is not a zip file")
    attempts: list[float] = []
    retries: list[str] = []
    edited_at = None
    good_latency = None
    for poll in range(40):
        step(watcher, clock)
        state = watcher.status.clients["broken.toml"]
        if state.last_sync and (not attempts or state.failures > len(attempts)):
            attempts.append(clock.monotonic())
            assert state.next_retry is not None
            retries.append(state.next_retry)
        if poll == 20:
            Staff(google_env, tmp_path).type_evidence(key, 5)
            edited_at = clock.monotonic()
        if edited_at and good_latency is None and checks_show(google_env, key, BAD_DATE):
            good_latency = clock.monotonic() - edited_at
    state = watcher.status.clients["broken.toml"]
    assert state.result == "sheet error" and state.exit_code == 3
    assert 3 <= state.failures <= 5  # 400 s of polls: 30, 60, 120, 240 s apart, not 40 tries
    gaps = [b - a for a, b in itertools.pairwise(attempts)]
    assert all(later > earlier for earlier, later in itertools.pairwise(gaps))
    assert gaps[0] >= BACKOFF_BASE_SECONDS
    assert retries == sorted(retries)
    assert good_latency is not None and good_latency <= INTERVAL + DEBOUNCE


def test_an_xlsx_open_in_excel_waits_quietly_then_syncs_after_it_is_closed(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Saved while Excel holds its lock file: no sync and no exit-3 noise for as long as it is
    open (one log line), then one sync once it is closed; the sync's own save triggers none."""
    workbook = xlsx_client(tmp_path, "shop")
    watcher = make_watcher(tmp_path, clock)
    lock = tmp_path / "~$shop.xlsx"
    lock.write_bytes(b"")
    tabs = baseline()
    tabs["証拠"].append([BAD_DATE, None, "会話", "迷い", "どれ?", "棚", "", "佐藤"])
    write_xlsx(workbook, tabs)
    caplog.set_level(logging.INFO, logger="sheets_sync")
    for _ in range(12):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 0
    assert "チェック" not in load_workbook(workbook).sheetnames
    state = watcher.status.clients["shop.toml"]
    assert state.waiting is not None and "~$shop.xlsx" in state.waiting
    assert sum("is open" in r.getMessage() for r in caplog.records) == 1
    assert not any(r.levelno >= logging.WARNING for r in caplog.records)
    lock.unlink()
    for _ in range(3):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1
    checks = load_workbook(workbook)["チェック"]
    assert any(BAD_DATE in str(c.value) for row in checks.iter_rows() for c in row)
    for _ in range(5):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1


def test_daily_duties_sync_every_client_once_a_day_in_its_time_zone(
    tmp_path: Path, clock: FakeClock
) -> None:
    """--daily-at 07:30 in Asia/Tokyo: nothing before 07:30 local, one full sync at it, none
    again that day, one the next day."""
    xlsx_client(tmp_path, "shop")
    start = datetime(2026, 11, 19, 22, 0, tzinfo=UTC)  # 07:00 in Tokyo
    clock = FakeClock(start)
    watcher = make_watcher(tmp_path, clock, daily_at=clock_time(7, 30))
    assert watcher.status.sheets_syncs == 0
    for _ in range(170):  # 28 minutes
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 0
    for _ in range(30):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1
    state = watcher.status.clients["shop.toml"]
    assert state.trigger == "daily" and state.last_daily == "2026-11-20"
    step(watcher, clock, 23 * 3600)
    assert watcher.status.sheets_syncs == 1
    step(watcher, clock, 3600)
    assert watcher.status.sheets_syncs == 2


def test_status_shows_each_clients_last_sync_and_says_when_there_is_none(
    tmp_path: Path, clock: FakeClock
) -> None:
    """`sheets-sync status DIR` prints a table from the status file; without one, exit 2."""
    runner = CliRunner()
    missing = runner.invoke(main, ["status", str(tmp_path)])
    assert missing.exit_code == 2 and "sheets-sync watch" in missing.output
    workbook = xlsx_client(tmp_path, "shop")
    watcher = make_watcher(tmp_path, clock)
    tabs = baseline()
    write_xlsx(workbook, tabs)
    for _ in range(3):
        step(watcher, clock)
    shown = runner.invoke(main, ["status", str(tmp_path)])
    assert shown.exit_code == 0, shown.output
    lines = shown.output.splitlines()
    assert lines[0].startswith(f"watch pid {watcher.status.pid} (running), every 10s")
    row = next(line for line in lines if line.startswith("テスト店") or line.startswith("shop"))
    assert "xlsx" in row and " ok " in row and " edit " in row


def test_watch_refuses_a_bad_daily_time_and_a_missing_folder(tmp_path: Path) -> None:
    """Usage errors are one line and exit 2, never a traceback."""
    runner = CliRunner()
    bad_time = runner.invoke(main, ["watch", str(tmp_path), "--daily-at", "7時"])
    assert bad_time.exit_code == 2 and "HH:MM" in bad_time.output
    missing = runner.invoke(main, ["watch", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "not a folder" in missing.output


def test_the_daily_run_publishes_the_portfolio_once_when_portfolio_toml_is_there(
    tmp_path: Path,
) -> None:
    """After every client's daily sync, portfolio.toml asks for the portfolio: it is written
    (and mailed, here to the outbox) once that day, not again on later polls."""
    xlsx_client(tmp_path, "a")
    xlsx_client(tmp_path, "b")
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nto = ["consultant@example.jp"]\n\n[mail]\ntransport = "outbox"\n'
        'outbox = "portfolio-outbox"\nfrom = "kpi@example.jp"\n',
        encoding="utf-8",
    )
    clock = FakeClock(datetime(2026, 11, 19, 22, 40, tzinfo=UTC))  # 07:40 in Tokyo
    watcher = make_watcher(tmp_path, clock, daily_at=clock_time(7, 30))
    assert watcher.status.sheets_syncs == 2
    assert (tmp_path / "portfolio.html").is_file()
    assert watcher.status.last_portfolio is not None
    mails = list((tmp_path / "portfolio-outbox").glob("*.eml"))
    assert len(mails) == 1
    for _ in range(5):
        step(watcher, clock)
    assert len(list((tmp_path / "portfolio-outbox").glob("*.eml"))) == 1


def test_a_failing_change_feed_is_logged_once_and_the_watch_recovers(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """Drive answering 500 for a while: one warning (not one per poll), the status says why,
    and once Drive answers again an edit made meanwhile is still synced (the token held)."""
    key = google_client(tmp_path, google_env, "さくら")
    watcher = make_watcher(tmp_path, clock)
    caplog.set_level(logging.INFO, logger="sheets_sync")
    google_env.add_fault(status=500, path_contains="/drive/v3/changes", count=-1)
    Staff(google_env, tmp_path).type_evidence(key, 5)
    for _ in range(5):
        step(watcher, clock)
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and "change feed" in warnings[0].getMessage()
    assert watcher.status.feed_error is not None and "500" in watcher.status.feed_error
    assert watcher.status.sheets_syncs == 0
    google_env.clear_faults()
    for _ in range(3):
        step(watcher, clock)
    assert watcher.status.feed_error is None
    assert checks_show(google_env, key, BAD_DATE)


def test_a_broken_config_is_reported_and_the_other_clients_are_still_watched(
    tmp_path: Path, clock: FakeClock
) -> None:
    """A config that does not load shows as a config error (exit 2) in the status; the good
    client next to it is synced after its edit; fixing the file brings the client back."""
    (tmp_path / "broken.toml").write_text('client = "壊れた"\n[sheet\n', encoding="utf-8")
    workbook = xlsx_client(tmp_path, "shop")
    watcher = make_watcher(tmp_path, clock)
    broken = watcher.status.clients["broken.toml"]
    assert broken.result == "config error" and broken.exit_code == 2
    write_xlsx(workbook, baseline())
    for _ in range(3):
        step(watcher, clock)
    assert watcher.status.clients["shop.toml"].result == "ok"
    xlsx_client(tmp_path, "broken")
    for _ in range(3):
        step(watcher, clock)
    assert watcher.status.clients["broken.toml"].result == "ok"


def test_when_drive_refuses_the_change_feed_the_watch_asks_about_each_file(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock
) -> None:
    """A 403 on changes.list (e.g. an administrator blocked the scope): the watch falls back to
    files.get(version, lastModifyingUser) per file — one request per client per poll — and a
    staff edit is still synced, its own write still ignored."""
    keys = [google_client(tmp_path, google_env, name) for name in ("a", "b")]
    google_env.add_fault(status=403, path_contains="/drive/v3/changes", count=-1)
    watcher = make_watcher(tmp_path, clock)
    step(watcher, clock)
    google_env.reset_requests()
    step(watcher, clock)
    drive = drive_requests(google_env)
    assert sorted(e["path"] for e in drive) == sorted(f"/drive/v3/files/{k}" for k in keys)
    Staff(google_env, tmp_path).type_evidence(keys[1], 5)
    for _ in range(3):
        step(watcher, clock)
    assert checks_show(google_env, keys[1], BAD_DATE)
    assert watcher.status.sheets_syncs == 1
    google_env.reset_requests()
    for _ in range(5):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1 and sheets_requests(google_env) == []
    google_env.clear_faults()


def test_a_restarted_watch_syncs_what_changed_before_and_while_it_was_down(
    tmp_path: Path, google_env: FakeGoogle, clock: FakeClock
) -> None:
    """systemd restarts the watch: a Google edit seen but not yet synced, and an .xlsx saved
    while no watch ran, are both synced by the new process (page token and file stamps are
    kept in the status file); nothing else is."""
    key = google_client(tmp_path, google_env, "g")
    workbook = xlsx_client(tmp_path, "x")
    first = make_watcher(tmp_path, clock)
    Staff(google_env, tmp_path).type_evidence(key, 5)
    step(first, clock, 1)  # seen, not settled
    assert first.status.clients["g.toml"].pending_since is not None
    first.close()
    tabs = baseline()
    tabs["証拠"].append([BAD_DATE, None, "会話", "迷い", "どれ?", "棚", "", "佐藤"])
    write_xlsx(workbook, tabs)
    second = make_watcher(tmp_path, clock)
    for _ in range(2):
        step(second, clock)
    assert checks_show(google_env, key, BAD_DATE)
    checks = load_workbook(workbook)["チェック"]
    assert any(BAD_DATE in str(c.value) for row in checks.iter_rows() for c in row)
    assert second.status.sheets_syncs == 2
    for _ in range(3):
        step(second, clock)
    assert second.status.sheets_syncs == 2


def test_a_missing_workbook_is_said_once_in_the_log_and_in_status(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """The .xlsx deleted (or moved) while the watch runs, without --daily-at: one warning that
    names it, `status` says it is missing (not "—" forever); put back, it is synced once and
    the note goes away."""
    workbook = xlsx_client(tmp_path, "shop")
    watcher = make_watcher(tmp_path, clock)
    kept = workbook.read_bytes()
    workbook.unlink()
    caplog.set_level(logging.INFO, logger="sheets_sync")
    for _ in range(6):
        step(watcher, clock)
    said = [
        r for r in caplog.records if "shop.xlsx" in r.getMessage() and "missing" in r.getMessage()
    ]
    assert len(said) == 1 and said[0].levelno == logging.WARNING
    state = watcher.status.clients["shop.toml"]
    assert state.waiting is not None and "shop.xlsx" in state.waiting
    shown = CliRunner().invoke(main, ["status", str(tmp_path)])
    assert shown.exit_code == 0 and "missing" in shown.output, shown.output
    workbook.write_bytes(kept)
    for _ in range(3):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1 and state.waiting is None
    assert "チェック" in load_workbook(workbook).sheetnames


def test_a_client_config_added_while_watching_is_synced_on_first_sight(
    tmp_path: Path, clock: FakeClock
) -> None:
    """A new client config dropped into the folder while the watch runs gets its first sync
    without waiting for a staff edit; the clients that were there are left alone."""
    xlsx_client(tmp_path, "shop")
    watcher = make_watcher(tmp_path, clock)
    step(watcher, clock)
    assert watcher.status.sheets_syncs == 0
    added = xlsx_client(tmp_path, "new")
    for _ in range(3):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1
    assert watcher.status.clients["new.toml"].result == "ok"
    assert watcher.status.clients["shop.toml"].last_sync is None
    assert "チェック" in load_workbook(added).sheetnames


def test_the_log_line_of_an_edit_sync_says_no_agenda_was_sent_by_it(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """An edit-triggered sync never sends mail: its log line says "agenda no" even when the
    Log records the agenda as sent earlier."""
    tabs = baseline()
    tabs["ログ"] = [
        ["日時", "内容", "結果", "サイクル", "詳細"],
        *[["2026-11-01T09:00:00+09:00", "agenda", "sent", n, "x"] for n in range(1, 30)],
    ]
    workbook = write_xlsx(tmp_path / "shop.xlsx", tabs)
    config_file(tmp_path, workbook=workbook.name, client="shop").rename(tmp_path / "shop.toml")
    watcher = make_watcher(tmp_path, clock)
    write_xlsx(workbook, tabs)
    caplog.set_level(logging.INFO, logger="sheets_sync")
    for _ in range(3):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1
    [line] = [r.getMessage() for r in caplog.records if " · edit" in r.getMessage()]
    assert "agenda no" in line


@pytest.mark.parametrize(
    "text",
    [
        '{"clients": 5}',
        '{"page_tokens": 5}',
        "[1]",
        '{"clients": {"a.toml": {"config": "a.toml", "failures": "x"}}}',
    ],
)
def test_a_malformed_status_file_is_unreadable_for_status_and_absent_for_watch(
    tmp_path: Path, clock: FakeClock, text: str
) -> None:
    """A status file of the wrong shape: `status` says it is unreadable (exit 2, no
    traceback); `watch` starts as if there were none and writes a good one."""
    xlsx_client(tmp_path, "shop")
    (tmp_path / watch_status.STATUS_NAME).write_text(text, encoding="utf-8")
    shown = CliRunner().invoke(main, ["status", str(tmp_path)])
    assert shown.exit_code == 2 and "unreadable" in shown.output, shown.output
    assert shown.exception is None or isinstance(shown.exception, SystemExit)
    watcher = make_watcher(tmp_path, clock)
    step(watcher, clock)
    assert watch_status.load(tmp_path) is not None
    assert CliRunner().invoke(main, ["status", str(tmp_path)]).exit_code == 0


def test_a_japanese_clients_failure_reads_in_english_in_the_watch_log_and_status(
    tmp_path: Path, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    """The watch's log and `status` cover every client: a Japanese client's failure (another
    run holds its lock) is told there in English, from the table, not in the client's words."""
    watcher = make_watcher(tmp_path, clock)
    xlsx_client(tmp_path, "shop")  # language = "ja"
    with (
        client_lock(load_config(tmp_path / "shop.toml")),
        caplog.at_level(logging.INFO, "sheets_sync.watch"),
    ):
        step(watcher, clock)  # a new config: synced once it has settled
        step(watcher, clock)
    status = watch_status.load(tmp_path)
    assert status is not None
    state = status.clients["shop.toml"]
    assert state.result == "locked" and state.failures == 1
    assert shows(state.message, "error.client_busy", "en")
    assert not shows(state.message, "error.client_busy", "ja")
    shown = CliRunner().invoke(main, ["status", str(tmp_path)]).output
    assert shows(shown, "error.client_busy", "en") and "1 failures in a row" in shown
    logged = [record.getMessage() for record in caplog.records]
    assert any(shows(line, "error.client_busy", "en") for line in logged), logged
    assert any("shop: new client config; syncing once it has settled" in line for line in logged)
