"""What `watch` tracks for each client config between polls, and how a look at its workbook or
a finished sync changes that: pending changes, a workbook open in Excel or missing, failures
in a row and the next retry. Times are passed in (monotonic seconds, and an aware now)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final

from ..backends import Look
from ..config import Config
from ..words.core import Phrase, say
from .batch import TABLE_LANG, ClientRun
from .watch_schedule import backoff
from .watch_status import ClientState

log = logging.getLogger("sheets_sync.watch")

# The watch's log and status cover every client whatever its language: English, like sync-all's.
WATCH_LANG: Final = TABLE_LANG


@dataclass
class WatchedClient:
    """One config file and what the loop knows of it."""

    path: Path
    state: ClientState  # what the status file shows
    config_mtime: int = -1
    config: Config | None = None
    workbook: str | None = None  # the workbook key: what change sources and locks go by
    changes: int = 0  # changes seen so far (a sync clears those it started after)
    synced_changes: int = 0
    last_change: float | None = None  # monotonic time of the latest change seen
    first_change: float | None = None  # ... and of the oldest one not yet synced
    retry_at: float | None = None
    open_lock: str | None = None  # an office program has the workbook open (its lock file)
    missing_since: float | None = None  # monotonic time the workbook was first found missing
    missing_said: bool = False

    @property
    def key(self) -> str:
        return self.path.name

    @property
    def dirty(self) -> bool:
        return self.changes > self.synced_changes

    def changed(self, why: Phrase, now: float, wall: datetime) -> None:
        """Count a change; the first one not yet synced is said in the log, with why."""
        self.changes += 1
        self.last_change = now
        if self.first_change is None:
            self.first_change = now
            self.state.pending_since = wall.isoformat(timespec="seconds")
            log.info("%s", say("watch.changed", WATCH_LANG, client=self.state.client, why=why))

    def still_there(self, look: Look, now: float, debounce: float) -> bool:
        """Whether the workbook is there; once it has been missing for `debounce` (not just
        half-way through a save by Excel), say so once in the log and in the status until it
        is back."""
        name = self.state.client
        if not look.missing:
            if self.missing_said:
                log.info("%s", say("watch.back", WATCH_LANG, client=name, file=look.name))
                self.state.waiting = None
            self.missing_since, self.missing_said = None, False
            return True
        if self.missing_since is None:
            self.missing_since = now
        if not self.missing_said and now - self.missing_since >= debounce:
            self.missing_said = True
            self.state.waiting = say("watch.missing_waiting", WATCH_LANG, file=look.name)
            missing = say("watch.missing", WATCH_LANG, client=name, file=look.name, path=look.where)
            log.warning("%s", missing)
        return False

    def note_open(self, look: Look, now: float) -> None:
        """An office program opened or closed the workbook: say so once; a change settles
        from the moment it was closed."""
        lock, name = look.open_by, self.state.client
        if lock is not None and self.open_lock is None:
            self.state.waiting = say("watch.open_waiting", WATCH_LANG, lock=lock)
            opened = say("watch.open", WATCH_LANG, client=name, file=look.name, lock=lock)
            log.info("%s", opened)
        elif lock is None and self.open_lock is not None:
            self.state.waiting = None
            log.info("%s", say("watch.closed", WATCH_LANG, client=name, file=look.name))
            if self.dirty:
                self.last_change = now
        self.open_lock = lock

    def synced(self, row: ClientRun, trigger: str, wall: datetime) -> None:
        """What a finished sync leaves in the status."""
        state = self.state
        state.last_sync = wall.isoformat(timespec="seconds")
        state.trigger, state.result, state.exit_code = trigger, row.outcome.value, row.exit_code
        state.seconds, state.message = round(row.seconds, 2), row.message

    def failed(self, now: float, wall: datetime, *, daily: bool) -> None:
        """A sync that did not get through: try again after a backoff (a daily run too)."""
        self.state.failures += 1
        delay = backoff(self.state.failures)
        self.retry_at = now + delay
        self.state.next_retry = (wall + timedelta(seconds=delay)).isoformat(timespec="seconds")
        if daily:
            self.changes = max(self.changes, self.synced_changes + 1)

    def succeeded(self, changes_at_start: int) -> None:
        """A sync got through: the changes it started after are synced."""
        self.state.failures, self.retry_at, self.state.next_retry = 0, None, None
        self.synced_changes = max(self.synced_changes, changes_at_start)
        if not self.dirty:
            self.first_change = self.last_change = None
            self.state.pending_since = None
