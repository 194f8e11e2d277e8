"""`watch`: one long-running process that syncs a client within seconds of a staff edit, at
almost no quota, and runs the daily duties (every client synced as cron would, then the
portfolio) at `--daily-at` in each client's time zone.

The loop is a sequence of `poll()` steps over an injectable clock, so tests drive it in fake
time. Each poll:
1. reads what changed (one Drive change-feed request per service account; a `stat` per .xlsx),
2. marks the changed clients pending, ignoring the sync's own writes,
3. syncs (in a small thread pool, Sheets calls under `sync-all`'s shared rate limiter) the
   clients whose last change is `debounce` seconds old — so a half-typed row is not judged —
   and whose workbook is not open in Excel/LibreOffice,
4. writes the status file.

After a quiet spell (no change seen, nothing pending or in flight for `IDLE_AFTER_SECONDS`) the
loop polls every `idle_interval` seconds (default 1.5 x `interval`) instead of `interval`, and
returns to `interval` at the first change it sees: fewer Drive requests per idle hour, and the
first edit after a quiet spell still shows within idle_interval + debounce + one sync.

An edit-triggered sync never sends mail (`--no-agenda`): agendas and reminders go out from the
daily run, exactly once, like cron's. A client that fails is retried with exponential backoff
(capped at an hour) and never holds the others up.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from types import FrameType
from typing import Any, Final, Protocol

from filelock import FileLock, Timeout

from . import watch_status
from .backends.google_http import RetryPolicy
from .batch import (
    DEFAULT_REQUESTS_PER_MINUTE,
    PORTFOLIO_CONFIG,
    TABLE_LANG,
    BatchOutcome,
    ClientRun,
    MeteredRateLimiter,
    client_configs,
    crashed,
)
from .changes import (
    DriveChange,
    DriveFeed,
    DriveFilePoller,
    FeedRefused,
    XlsxStamp,
    open_in_office,
    xlsx_stamp,
)
from .config import Config, load_config, spreadsheet_id
from .errors import (
    ConfigError,
    LockedError,
    MailError,
    SheetAccessError,
    SheetsSyncError,
    UsageError,
)
from .messages import Phrase, count, say
from .sync import RunOptions, run
from .watch_status import ClientState, WatchStatus

log = logging.getLogger("sheets_sync.watch")

# The watch's log and status cover every client whatever its language: English, like sync-all's.
WATCH_LANG: Final = TABLE_LANG

DEFAULT_INTERVAL: Final = 10.0
DEFAULT_DEBOUNCE: Final = 10.0
DEFAULT_JOBS: Final = 4
# Quiet for this long (no change seen, nothing to sync), the loop slows to its idle interval.
IDLE_AFTER_SECONDS: Final = 120.0
IDLE_INTERVAL_FACTOR: Final = 1.5
BACKOFF_BASE_SECONDS: Final = 30.0
BACKOFF_CAP_SECONDS: Final = 3600.0
# Someone typing without a pause for this long still gets their checks.
MAX_SETTLE_SECONDS: Final = 120.0
# Polls drift by the time a Drive request takes: a change seen one poll ago has been quiet
# for "interval" even when the clock says 9.9 s, so one settles that close to debounce.
SETTLE_SLACK_SECONDS: Final = 0.5
LOCK_NAME: Final = ".sheets-sync-watch.lock"

EDIT_OPTIONS: Final = RunOptions(no_agenda=True)  # mail goes out from the daily run only
DAILY_OPTIONS: Final = RunOptions()


class Clock(Protocol):
    """Where the watch gets its time: monotonic seconds for timers, an aware now for people."""

    def monotonic(self) -> float: ...

    def now(self) -> datetime: ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC).astimezone()


@dataclass
class _Client:
    """One config file and what the loop tracks for it between polls."""

    path: Path
    state: ClientState
    config_mtime: int = -1
    config: Config | None = None
    file_id: str | None = None  # Google
    feed_key: str | None = None  # which service account's feed covers it
    stamp: XlsxStamp | None = None  # .xlsx, after the last look
    changes: int = 0  # changes seen so far (a sync clears those it started after)
    synced_changes: int = 0
    last_change: float | None = None  # monotonic time of the latest change seen
    first_change: float | None = None  # ... and of the oldest one not yet synced
    retry_at: float | None = None
    open_lock: Path | None = None
    missing_since: float | None = None  # .xlsx: monotonic time it was first found missing
    missing_said: bool = False

    @property
    def key(self) -> str:
        return self.path.name

    @property
    def dirty(self) -> bool:
        return self.changes > self.synced_changes


@dataclass
class _Job:
    """A sync handed to the pool."""

    client: _Client
    trigger: str
    changes_at_start: int
    future: Future[ClientRun]
    local_date: str | None = None


def parse_daily_at(text: str | None) -> clock_time | None:
    """`HH:MM` → a time; None stays None (no daily duties)."""
    if text is None:
        return None
    try:
        hours, minutes = text.strip().split(":")
        return clock_time(int(hours), int(minutes))
    except ValueError:
        raise UsageError("daily_at_format", text=repr(text)) from None


class Watcher:
    """The watch over one folder of client configs; `poll()` is one step of the loop."""

    def __init__(
        self,
        directory: Path,
        *,
        interval: float = DEFAULT_INTERVAL,
        debounce: float = DEFAULT_DEBOUNCE,
        idle_interval: float | None = None,
        daily_at: clock_time | None = None,
        jobs: int = DEFAULT_JOBS,
        requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE,
        clock: Clock | None = None,
        policy: RetryPolicy | None = None,
        feed_factory: Callable[[Config, str | None], DriveFeed] | None = None,
    ) -> None:
        if interval <= 0 or debounce < 0:
            raise UsageError("interval_range")
        idle = interval * IDLE_INTERVAL_FACTOR if idle_interval is None else idle_interval
        if idle < interval:
            raise UsageError("idle_interval_short", idle=f"{idle:g}", interval=f"{interval:g}")
        if jobs < 1:
            raise UsageError("jobs_below_one", jobs=jobs)
        if not directory.is_dir():
            raise ConfigError("not_a_config_folder", directory=directory)
        self.directory = directory
        self.interval = interval
        self.debounce = debounce
        self.idle_interval = idle
        self.daily_at = daily_at
        self.clock = clock or SystemClock()
        self.policy = policy
        self.limiter = MeteredRateLimiter(requests_per_minute)
        self._feed_factory = feed_factory or _default_feed
        self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="watch")
        self._jobs: dict[str, _Job] = {}
        self._clients: dict[str, _Client] = {}
        self._feeds: dict[str, DriveFeed] = {}
        self._failing_feeds: set[str] = set()
        self._daily_runs: dict[str, ClientRun] = {}
        previous = watch_status.load(directory) or WatchStatus()
        self.status = WatchStatus(
            pid=os.getpid(),
            started=self.clock.now().isoformat(timespec="seconds"),
            interval=interval,
            idle_interval=idle,
            debounce=debounce,
            daily_at=daily_at.strftime("%H:%M") if daily_at else None,
            last_portfolio=previous.last_portfolio,
            page_tokens=dict(previous.page_tokens),
        )
        self._previous = previous.clients
        self._had_status = bool(previous.started)
        self.polls = 0
        self._last_activity = self.clock.monotonic()  # the start counts: fast polls first

    # -- the loop ---------------------------------------------------------------------------
    def poll(self, *, wait: bool = False) -> None:
        """One step: collect finished syncs, look for changes, start the syncs that are due,
        write the status file. `wait` lets the syncs started here finish first (for tests)."""
        self.polls += 1
        self._collect()
        self._scan_configs()
        self._look_at_google()
        self._look_at_xlsx()
        self._start_due()
        if wait:
            self.drain()
        self.status.last_poll = self.clock.now().isoformat(timespec="seconds")
        self._save()

    def idle(self) -> bool:
        """Whether the watch is in a quiet spell: no change seen for `IDLE_AFTER_SECONDS`, no
        client waiting to sync or to be retried, no sync in flight."""
        if self._jobs or any(c.dirty or c.retry_at is not None for c in self._clients.values()):
            return False
        return self.clock.monotonic() - self._last_activity >= IDLE_AFTER_SECONDS

    def next_wait(self) -> float:
        """Seconds from the start of this poll to the next: `idle_interval` in a quiet spell,
        else `interval`."""
        return self.idle_interval if self.idle() else self.interval

    def drain(self) -> None:
        """Wait for every sync in flight and record its outcome."""
        for job in list(self._jobs.values()):
            job.future.exception()  # waits; the runner never raises
        self._collect()

    def run_forever(self, stop: threading.Event) -> None:
        """Poll every `interval` seconds (`idle_interval` in a quiet spell) until `stop` is set;
        then finish the syncs in flight."""
        daily = say("watch.daily_at", WATCH_LANG, time=self.status.daily_at)
        beginning = say(
            "watch.started",
            WATCH_LANG,
            directory=self.directory,
            clients=count("client", len(client_configs(self.directory)), WATCH_LANG),
            interval=f"{self.interval:g}",
            idle=f"{self.idle_interval:g}",
            quiet=f"{IDLE_AFTER_SECONDS:g}",
            debounce=f"{self.debounce:g}",
            daily=daily if self.daily_at else "",
        )
        log.info("%s", beginning)
        try:
            while not stop.is_set():
                started = time.monotonic()
                try:
                    self.poll()
                except Exception as error:  # a bug in one poll must not end the service
                    failed = say(
                        "watch.poll_failed", WATCH_LANG, kind=type(error).__name__, error=error
                    )
                    log.warning("%s", failed)
                    log.debug("watch poll failure", exc_info=True)
                stop.wait(max(0.0, self.next_wait() - (time.monotonic() - started)))
        finally:
            self.close()

    def close(self) -> None:
        """Finish the syncs in flight, start no new one, write the status one last time."""
        in_flight = len(self._jobs)
        if in_flight:
            log.info("%s", say("watch.finishing", WATCH_LANG, n=in_flight))
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._collect()
        self._save()

    # -- configs ----------------------------------------------------------------------------
    def _scan_configs(self) -> None:
        paths = {path.name: path for path in client_configs(self.directory)}
        for key in list(self._clients):
            if key not in paths and key not in self._jobs:
                log.info("%s", say("watch.config_gone", WATCH_LANG, config=key))
                del self._clients[key]
        for key, path in paths.items():
            client = self._clients.get(key)
            if client is None:
                state = self._previous.get(key) or ClientState(config=key)
                client = _Client(path, state)
                client.stamp = XlsxStamp.from_list(state.seen)
                self._clients[key] = client
            try:
                mtime = path.stat().st_mtime_ns
            except OSError:
                continue
            if mtime != client.config_mtime:
                first = client.config_mtime == -1
                client.config_mtime = mtime
                self._load(client, changed=not first)
                if first and client.config is not None and self._is_new(key):
                    self._changed(client, Phrase("watch.why_new_config"))
                if first and client.state.pending_since and client.config is not None:
                    # Seen before a restart and not synced: the page token has moved past it.
                    client.state.pending_since = None
                    self._changed(client, Phrase("watch.why_before_restart"))

    def _is_new(self, key: str) -> bool:
        """A config first seen after the watch's first look, or one the last watch never saw:
        it gets its first sync now rather than at its first staff edit."""
        return self.polls > 1 or (self._had_status and key not in self._previous)

    def _load(self, client: _Client, *, changed: bool) -> None:
        try:
            config = load_config(client.path)
        except SheetsSyncError as error:
            client.config = None
            client.file_id = client.feed_key = None
            client.state.result, client.state.exit_code = "config error", error.exit_code
            client.state.message = error.render(WATCH_LANG)
            log.warning(
                "%s", say("watch.client_problem", WATCH_LANG, client=client.key, problem=error)
            )
            return
        client.config = config
        client.state.client = config.client
        client.state.backend = config.sheet.backend
        if config.sheet.backend == "google" and config.sheet.spreadsheet:
            client.file_id = spreadsheet_id(config.sheet.spreadsheet)
            client.feed_key = _feed_key(config)
        else:
            client.file_id = client.feed_key = None
            if client.stamp is None:
                client.stamp = xlsx_stamp(config.workbook_path())
                client.state.seen = client.stamp.as_list() if client.stamp else None
        if changed:
            self._changed(client, Phrase("watch.why_config_changed"))

    # -- change detection -------------------------------------------------------------------
    def _changed(self, client: _Client, why: Phrase) -> None:
        now = self.clock.monotonic()
        client.changes += 1
        client.last_change = now
        self._last_activity = now  # back to `interval` at once
        if client.first_change is None:
            client.first_change = now
            client.state.pending_since = self.clock.now().isoformat(timespec="seconds")
            changed = say("watch.changed", WATCH_LANG, client=client.state.client, why=why)
            log.info("%s", changed)

    def _look_at_google(self) -> None:
        by_feed: dict[str, dict[str, _Client]] = {}
        for client in self._clients.values():
            if client.feed_key is not None and client.file_id is not None:
                by_feed.setdefault(client.feed_key, {})[client.file_id] = client
        for key, clients in by_feed.items():
            entry = self._feeds.get(key)
            if entry is None:
                config = next(iter(clients.values())).config
                assert config is not None
                try:
                    feed = self._feed_factory(config, self.status.page_tokens.get(key))
                except SheetsSyncError as error:
                    self._feed_failed(key, error)
                    continue
                entry = self._feeds[key] = feed
            before = entry.requests
            try:
                if isinstance(entry, DriveFilePoller):
                    found = entry.poll_files(sorted(clients))
                else:
                    found = entry.poll()
            except FeedRefused as error:
                refused = say("watch.feed_refused", WATCH_LANG, error=error, n=len(clients))
                log.warning("%s", refused)
                self._feeds[key] = poller = DriveFilePoller(entry.session)
                poller.poll_files(sorted(clients))  # the versions to compare with
                self.status.drive_requests += poller.requests
                self.status.page_tokens.pop(key, None)
                continue
            except SheetsSyncError as error:
                self._feed_failed(key, error)
                continue
            finally:
                self.status.drive_requests += entry.requests - before
            if key in self._failing_feeds:
                log.info("%s", say("watch.feed_back", WATCH_LANG))
                self._failing_feeds.discard(key)
            self.status.feed_error = None
            if entry.token is not None:
                self.status.page_tokens[key] = entry.token
            for change in found:
                self._google_change(clients.get(change.file_id), change)

    def _feed_failed(self, key: str, error: SheetsSyncError) -> None:
        """Say so once per failure streak (not every poll), and keep trying."""
        if key not in self._failing_feeds:
            log.warning("%s", say("watch.feed_failed", WATCH_LANG, error=error))
        self._failing_feeds.add(key)
        self.status.feed_error = error.render(WATCH_LANG)

    def _google_change(self, client: _Client | None, change: DriveChange) -> None:
        if client is None:
            return  # a file no client config names
        if change.by_me and not change.removed:
            return  # the sync's own write (or the watch's service account's): no loop
        who = change.who or Phrase("watch.someone")
        removed = Phrase("watch.why_sheet_removed")
        self._changed(
            client, removed if change.removed else Phrase("watch.why_sheet_edited", {"who": who})
        )

    def _look_at_xlsx(self) -> None:
        for client in self._clients.values():
            config = client.config
            if config is None or config.sheet.backend == "google" or client.key in self._jobs:
                continue
            path = config.workbook_path()
            stamp = xlsx_stamp(path)
            if not self._still_there(client, path, stamp is not None):
                continue
            if stamp is not None and stamp != client.stamp:
                client.stamp = stamp
                client.state.seen = stamp.as_list()
                self._changed(client, Phrase("watch.why_saved", {"file": path.name}))
            lock = open_in_office(path)
            if lock is not None and client.open_lock is None:
                client.state.waiting = say("watch.open_waiting", WATCH_LANG, lock=lock.name)
                opened = say(
                    "watch.open",
                    WATCH_LANG,
                    client=client.state.client,
                    file=path.name,
                    lock=lock.name,
                )
                log.info("%s", opened)
            elif lock is None and client.open_lock is not None:
                client.state.waiting = None
                closed = say("watch.closed", WATCH_LANG, client=client.state.client, file=path.name)
                log.info("%s", closed)
                if client.dirty:  # settle from the moment it was closed
                    client.last_change = self.clock.monotonic()
            client.open_lock = lock

    def _still_there(self, client: _Client, path: Path, present: bool) -> bool:
        """Whether the .xlsx is there; once it has been missing for `debounce` (not just
        mid-save by Excel), say so once in the log and in the status until it is back."""
        now = self.clock.monotonic()
        if present:
            if client.missing_said:
                back = say("watch.back", WATCH_LANG, client=client.state.client, file=path.name)
                log.info("%s", back)
                client.state.waiting = None
            client.missing_since, client.missing_said = None, False
            return True
        if client.missing_since is None:
            client.missing_since = now
        if not client.missing_said and now - client.missing_since >= self.debounce:
            client.missing_said = True
            client.state.waiting = say("watch.missing_waiting", WATCH_LANG, file=path.name)
            missing = say(
                "watch.missing", WATCH_LANG, client=client.state.client, file=path.name, path=path
            )
            log.warning("%s", missing)
        return False

    # -- scheduling -------------------------------------------------------------------------
    def _settled(self, client: _Client, now: float) -> bool:
        assert client.last_change is not None and client.first_change is not None
        slack = min(SETTLE_SLACK_SECONDS, self.interval / 10)
        quiet = now - client.last_change + slack >= self.debounce
        overdue = now - client.first_change >= MAX_SETTLE_SECONDS + self.debounce
        return quiet or overdue

    def _start_due(self) -> None:
        now = self.clock.monotonic()
        for client in self._clients.values():
            if client.config is None or client.key in self._jobs:
                continue
            if client.retry_at is not None and now < client.retry_at:
                continue
            if client.open_lock is not None:
                continue  # Excel has it open: saving now would fail (exit 3) or lose edits
            local_date = self._daily_due(client)
            if local_date is not None:
                self._submit(client, "daily", local_date)
            elif client.dirty and self._settled(client, now):
                self._submit(client, "retry" if client.state.failures else "edit")

    def _daily_due(self, client: _Client) -> str | None:
        """The client's local date when its daily run is due now, else None."""
        if self.daily_at is None or client.config is None:
            return None
        local = self.clock.now().astimezone(client.config.tz)
        if local.time() < self.daily_at:
            return None
        today = local.date().isoformat()
        return None if client.state.last_daily == today else today

    def _submit(self, client: _Client, trigger: str, local_date: str | None = None) -> None:
        options = DAILY_OPTIONS if trigger == "daily" else EDIT_OPTIONS
        future = self._pool.submit(self._sync, client.path, options, trigger)
        self._jobs[client.key] = _Job(client, trigger, client.changes, future, local_date)

    def _collect(self) -> None:
        for key, job in list(self._jobs.items()):
            if not job.future.done():
                continue
            del self._jobs[key]
            self._record(job, job.future.result())

    def _record(self, job: _Job, row: ClientRun) -> None:
        client, state = job.client, job.client.state
        now = self.clock.now()
        self.status.sheets_syncs += 1
        state.last_sync = now.isoformat(timespec="seconds")
        state.trigger, state.result, state.exit_code = job.trigger, row.outcome, row.exit_code
        state.seconds, state.message = round(row.seconds, 2), row.message
        if client.config is not None and client.config.sheet.backend != "google":
            # The sync's own save changed the file: that is not an edit, neither for this
            # client nor for another config naming the same workbook (no ping-pong).
            self._own_save(client.config.workbook_path())
        if row.outcome in ("sheet error", "crashed", "locked", "config error"):
            state.failures += 1
            delay = min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2 ** (state.failures - 1))
            client.retry_at = self.clock.monotonic() + delay
            state.next_retry = (now + timedelta(seconds=delay)).isoformat(timespec="seconds")
            if job.trigger == "daily":
                client.changes = max(client.changes, client.synced_changes + 1)  # retry it
            return
        state.failures, client.retry_at, state.next_retry = 0, None, None
        client.synced_changes = max(client.synced_changes, job.changes_at_start)
        if not client.dirty:
            client.first_change = client.last_change = None
            state.pending_since = None
        if job.trigger == "daily" and job.local_date is not None:
            state.last_daily = job.local_date
            self._daily_runs[client.key] = row
            self._maybe_portfolio()

    def _own_save(self, workbook: Path) -> None:
        """Take the workbook as it is now as seen, for every idle client naming it."""
        stamp = xlsx_stamp(workbook)
        target = workbook.resolve()
        for other in self._clients.values():
            config = other.config
            if config is None or config.sheet.backend == "google" or other.key in self._jobs:
                continue
            if config.workbook_path().resolve() == target:
                other.stamp = stamp
                other.state.seen = stamp.as_list() if stamp else None

    # -- the portfolio ----------------------------------------------------------------------
    def _maybe_portfolio(self) -> None:
        """After every client's daily run of the day: the portfolio, as `sync-all` does it."""
        settings = self.directory / PORTFOLIO_CONFIG
        today = self.clock.now().date().isoformat()
        if not settings.exists() or self.status.last_portfolio == today:
            return
        waiting = [
            c
            for c in self._clients.values()
            if c.config is not None and self._daily_due(c) is not None
        ]
        if waiting or not self._daily_runs:
            return
        from .portfolio import publish

        outcome = BatchOutcome(self.directory, runs=list(self._daily_runs.values()))
        # The single call site of the portfolio digest in `watch` (sync-all calls it likewise).
        for followup in publish(self.directory, outcome):
            said = say("watch.portfolio", WATCH_LANG, what=followup.what, message=followup.message)
            log.info("%s", said)
        self.status.last_portfolio = today

    # -- one sync ---------------------------------------------------------------------------
    def _sync(self, path: Path, options: RunOptions, trigger: str) -> ClientRun:
        """One client's run; every failure becomes the row's outcome, never an exception."""
        started = time.monotonic()
        row = ClientRun(path, path.stem, "crashed")
        backend: Any = None
        try:
            config = load_config(path)
            row.client, row.language = config.client, config.language
            log.debug("watch %s: syncing (%s)", config.client, trigger)
            if config.sheet.backend == "google":
                from .backends.google import GoogleBackend

                backend = GoogleBackend.from_config(
                    config, policy=self.policy, limiter=self.limiter
                )
            result = run(config, options, backend=backend, announce=False)
        except LockedError as error:
            row.outcome, row.problem = "locked", error
        except SheetAccessError as error:
            row.outcome, row.problem = "sheet error", error
        except MailError as error:
            row.outcome, row.problem = "agenda failed", error
        except SheetsSyncError as error:
            row.outcome, row.problem = "config error", error
        except Exception as error:
            log.debug("watch: %s crashed", path, exc_info=True)
            row.outcome, row.problem = "crashed", crashed(error)
        else:
            row.report = result.report
            row.agenda_sent_to, row.agenda_error = result.agenda_sent_to, result.agenda_error
            failed = result.agenda_error or result.chat_problem  # a chat is a message too
            row.outcome = "agenda failed" if failed else "ok"
            row.problem = failed or None
        finally:
            row.seconds = time.monotonic() - started
            http = getattr(backend, "http", None)
            row.api_requests = int(getattr(http, "api_requests", 0))
        line = say(
            "watch.client_line",
            WATCH_LANG,
            client=row.client,
            outcome=row.outcome,
            checks=row.checks,
            agenda=row.agenda_this_run,  # an edit sync sends nothing: "yes" only when this run sent
            seconds=f"{row.seconds:.1f}",
            trigger=trigger,
        )
        log.info("%s%s", line, row.and_problem())
        return row

    def _save(self) -> None:
        self.status.clients = {key: c.state for key, c in sorted(self._clients.items())}
        try:
            watch_status.save(self.directory, self.status)
        except OSError as error:
            unwritten = say(
                "watch.status_unwritable", WATCH_LANG, file=watch_status.STATUS_NAME, error=error
            )
            log.warning("%s", unwritten)


def _feed_key(config: Config) -> str:
    path = config.credentials_path()
    if path is None and os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
        path = Path(os.environ["GOOGLE_APPLICATION_CREDENTIALS"])
    return str(path.resolve()) if path is not None else "application-default"


def _default_feed(config: Config, token: str | None) -> DriveFeed:
    from .backends.google import load_credentials

    return DriveFeed.for_credentials(load_credentials(config), token)


@contextmanager
def single_watch(directory: Path) -> Iterator[None]:
    """One watch per folder: a second would sync every client twice."""
    lock = FileLock(str(directory / LOCK_NAME), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise LockedError("watch_running", directory=directory, lock=LOCK_NAME) from None
    try:
        yield
    finally:
        lock.release()


@dataclass
class _Stopper:
    """SIGTERM/SIGINT: stop polling, let the syncs in flight finish, exit 0."""

    stop: threading.Event = field(default_factory=threading.Event)

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        if not self.stop.is_set():
            name = signal.Signals(signum).name
            log.info("%s", say("watch.stopping", WATCH_LANG, signal=name))
        self.stop.set()


def serve(directory: Path, **options: Any) -> None:
    """`sheets-sync watch DIR`: poll until SIGTERM or SIGINT, then finish the syncs in flight."""
    stopper = _Stopper()
    with single_watch(directory):
        watcher = Watcher(directory, **options)
        previous = {sig: signal.signal(sig, stopper) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            watcher.run_forever(stopper.stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    log.info("%s", say("watch.stopped", WATCH_LANG, directory=directory))
