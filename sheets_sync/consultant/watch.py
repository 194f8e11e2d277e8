"""`watch`: one long-running process that syncs a client within seconds of a staff edit, at
almost no quota, and runs the daily duties (every client synced as cron would, then the
portfolio) at `--daily-at` in each client's time zone.

The loop is a sequence of `poll()` steps over an injectable clock, so tests drive it in fake
time. Each poll:
1. asks the backends' change sources what changed (`backends.Changes`: one Drive change-feed
   request per service account, a `stat` per .xlsx), the sync's own writes not counted,
2. marks the changed clients pending,
3. syncs (in a small thread pool, with `sync-all`'s own `run_client` under its shared rate
   limiter) the clients whose last change has settled (`Schedule`) — so a half-typed row is
   not judged — and whose workbook is not open in Excel/LibreOffice,
4. writes the status file (`watch_status`).

After a quiet spell (no change seen, nothing pending or in flight for `IDLE_AFTER_SECONDS`) the
loop polls every idle interval (default 1.5 x `interval`) instead of `interval`, and returns to
`interval` at the first change it sees: fewer Drive requests per idle hour, and the first edit
after a quiet spell still shows within idle interval + debounce + one sync.

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
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType
from typing import Final, Protocol

from filelock import FileLock, Timeout

from ..backends import Changes, workbook_key
from ..config import load_config
from ..errors import ConfigError, LockedError, SheetsSyncError, UsageError
from ..run.sync import RunOptions
from ..util.pacing import RateLimiter
from ..words.core import Phrase, count, in_language, say
from . import watch_status
from .batch import (
    DEFAULT_REQUESTS_PER_MINUTE,
    PORTFOLIO_CONFIG,
    BatchOutcome,
    ClientRun,
    client_configs,
    run_client,
)
from .outcome import Outcome
from .portfolio import publish
from .watch_clients import WATCH_LANG, WatchedClient
from .watch_schedule import IDLE_AFTER_SECONDS, Schedule
from .watch_status import ClientState, WatchStatus

log = logging.getLogger("sheets_sync.watch")

DEFAULT_JOBS: Final = 4
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
class _Job:
    """A sync handed to the pool."""

    client: WatchedClient
    trigger: str
    changes_at_start: int
    future: Future[ClientRun]
    local_date: str | None = None


class Watcher:
    """The watch over one folder of client configs; `poll()` is one step of the loop."""

    def __init__(
        self,
        directory: Path,
        schedule: Schedule | None = None,
        *,
        jobs: int = DEFAULT_JOBS,
        requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE,
        clock: Clock | None = None,
    ) -> None:
        if jobs < 1:
            raise UsageError("jobs_below_one", jobs=jobs)
        if not directory.is_dir():
            raise ConfigError("not_a_config_folder", directory=directory)
        self.directory = directory
        self.schedule = schedule or Schedule()
        self.clock = clock or SystemClock()
        self.limiter = RateLimiter(requests_per_minute)
        self._pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="watch")
        self._jobs: dict[str, _Job] = {}
        self._clients: dict[str, WatchedClient] = {}
        self._daily_runs: dict[str, ClientRun] = {}
        previous = watch_status.load(directory) or WatchStatus()
        self.changes = Changes(previous.kept_bookmarks())
        self.status = _fresh_status(self.schedule, previous, self.clock.now())
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
        self._look()
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
        """Seconds from the start of this poll to the next: the idle interval in a quiet
        spell, else `interval`."""
        return self.schedule.next_wait(self.idle())

    def drain(self) -> None:
        """Wait for every sync in flight and record its outcome."""
        for job in list(self._jobs.values()):
            job.future.exception()  # waits; the runner never raises
        self._collect()

    def run_forever(self, stop: threading.Event) -> None:
        """Poll at the schedule's pace until `stop` is set; then finish the syncs in flight."""
        log.info("%s", self._beginning())
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

    def _beginning(self) -> str:
        schedule = self.schedule
        daily = say("watch.daily_at", WATCH_LANG, time=self.status.daily_at)
        return say(
            "watch.started",
            WATCH_LANG,
            directory=self.directory,
            clients=count("client", len(client_configs(self.directory)), WATCH_LANG),
            interval=f"{schedule.interval:g}",
            idle=f"{schedule.quiet_interval:g}",
            quiet=f"{IDLE_AFTER_SECONDS:g}",
            debounce=f"{schedule.debounce:g}",
            daily=daily if schedule.daily_at else "",
        )

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
                client = self._clients[key] = WatchedClient(path, state)
            try:
                mtime = path.stat().st_mtime_ns
            except OSError:
                continue
            if mtime != client.config_mtime:
                first = client.config_mtime == -1
                client.config_mtime = mtime
                self._load(client, changed=not first)
                if first and client.config is not None:
                    self._first_sight(client)

    def _first_sight(self, client: WatchedClient) -> None:
        """A config first seen after the watch's first look, or one the last watch never saw,
        gets its first sync now rather than at its first staff edit; one seen before a restart
        and not synced is synced now (the change feed's page token has moved past it)."""
        if self.polls > 1 or (self._had_status and client.key not in self._previous):
            self._changed(client, Phrase("watch.why_new_config"))
        if client.state.pending_since:
            client.state.pending_since = None
            self._changed(client, Phrase("watch.why_before_restart"))

    def _load(self, client: WatchedClient, *, changed: bool) -> None:
        try:
            config = load_config(client.path)
        except SheetsSyncError as error:
            client.config = client.workbook = None
            outcome = Outcome.from_error(error)
            client.state.result, client.state.exit_code = outcome.value, outcome.exit_code
            client.state.message = error.render(WATCH_LANG)
            log.warning(
                "%s", say("watch.client_problem", WATCH_LANG, client=client.key, problem=error)
            )
            return
        client.config = config
        client.workbook = workbook_key(config)
        client.state.client = config.client
        client.state.backend = config.sheet.backend  # shown by `status`
        if changed:
            self._changed(client, Phrase("watch.why_config_changed"))

    # -- change detection -------------------------------------------------------------------
    def _changed(self, client: WatchedClient, why: Phrase) -> None:
        now = self.clock.monotonic()
        self._last_activity = now  # back to `interval` at once
        client.changed(why, now, self.clock.now())

    def _look(self) -> None:
        """Ask the change sources about every loaded client's workbook."""
        busy = {job.client.workbook for job in self._jobs.values() if job.client.workbook}
        watched = {
            client.workbook: client.config
            for client in self._clients.values()
            if client.config is not None and client.workbook is not None
        }
        looks = self.changes.poll(watched, busy)
        for notice in self.changes.notices():
            level = logging.WARNING if notice.warning else logging.INFO
            log.log(level, "%s", notice.phrase.render(WATCH_LANG))
        now = self.clock.monotonic()
        for client in self._clients.values():
            look = looks.get(client.workbook or "")
            if look is None or client.config is None:
                continue
            if client.still_there(look, now, self.schedule.debounce):
                if look.changed is not None:
                    self._changed(client, look.changed)
                client.note_open(look, now)
        problem = self.changes.problem
        self.status.feed_error = in_language(problem, WATCH_LANG) if problem else None
        self.status.drive_requests = self.changes.requests
        self.status.bookmarks = self.changes.bookmarks()

    # -- scheduling -------------------------------------------------------------------------
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

    def _settled(self, client: WatchedClient, now: float) -> bool:
        assert client.last_change is not None and client.first_change is not None
        return self.schedule.settled(client.first_change, client.last_change, now)

    def _daily_due(self, client: WatchedClient) -> str | None:
        """The client's local date when its daily run is due now, else None."""
        if client.config is None:
            return None
        now, last = self.clock.now(), client.state.last_daily
        return self.schedule.daily_due(now, client.config.tz, last)

    def _submit(self, client: WatchedClient, trigger: str, local_date: str | None = None) -> None:
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
        client, wall = job.client, self.clock.now()
        self.status.sheets_syncs += 1
        client.synced(row, job.trigger, wall)
        if client.workbook is not None:
            # The sync's own save is not an edit, neither for this client nor for another
            # config naming the same workbook (no ping-pong).
            self.changes.saved(client.workbook)
        if not row.outcome.finished:
            daily = job.trigger == "daily"
            client.failed(self.clock.monotonic(), wall, daily=daily)
            return
        client.succeeded(job.changes_at_start)
        if job.trigger == "daily" and job.local_date is not None:
            client.state.last_daily = job.local_date
            self._daily_runs[client.key] = row
            self._maybe_portfolio()

    # -- the portfolio ----------------------------------------------------------------------
    def _maybe_portfolio(self) -> None:
        """After every client's daily run of the day: the portfolio, as `sync-all` does it."""
        settings = self.directory / PORTFOLIO_CONFIG
        today = self.clock.now().date().isoformat()
        if not settings.exists() or self.status.last_portfolio == today:
            return
        waiting = [c for c in self._clients.values() if self._daily_due(c) is not None]
        if waiting or not self._daily_runs:
            return
        outcome = BatchOutcome(self.directory, runs=list(self._daily_runs.values()))
        for followup in publish(self.directory, outcome):
            said = say("watch.portfolio", WATCH_LANG, what=followup.what, message=followup.message)
            log.info("%s", said)
        self.status.last_portfolio = today

    # -- one sync ---------------------------------------------------------------------------
    def _sync(self, path: Path, options: RunOptions, trigger: str) -> ClientRun:
        """One client's run, as `sync-all` runs it, and its line in the watch's log."""
        log.debug("watch %s: syncing (%s)", path.name, trigger)
        row = run_client(path, options, limiter=self.limiter)
        # An edit sync sends nothing: the agenda is "yes" only when this run sent it.
        log.info("%s", row.log_line("watch.client_line", row.agenda_this_run, trigger=trigger))
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


def _fresh_status(schedule: Schedule, previous: WatchStatus, now: datetime) -> WatchStatus:
    """This watch's status, keeping what the last one learnt (bookmarks, the last portfolio)."""
    return WatchStatus(
        pid=os.getpid(),
        started=now.isoformat(timespec="seconds"),
        interval=schedule.interval,
        idle_interval=schedule.quiet_interval,
        debounce=schedule.debounce,
        daily_at=schedule.daily_at.strftime("%H:%M") if schedule.daily_at else None,
        last_portfolio=previous.last_portfolio,
        bookmarks=previous.kept_bookmarks(),
    )


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


def serve(
    directory: Path,
    schedule: Schedule,
    *,
    jobs: int = DEFAULT_JOBS,
    requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE,
) -> None:
    """`sheets-sync watch DIR`: poll until SIGTERM or SIGINT, then finish the syncs in flight."""
    stopper = _Stopper()
    with single_watch(directory):
        watcher = Watcher(directory, schedule, jobs=jobs, requests_per_minute=requests_per_minute)
        previous = {sig: signal.signal(sig, stopper) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            watcher.run_forever(stopper.stop)
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
    log.info("%s", say("watch.stopped", WATCH_LANG, directory=directory))
