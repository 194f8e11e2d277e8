"""One run per client and per workbook at a time: OS-level file locks, released even when a
run is killed."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from filelock import FileLock, Timeout

from ..backends import workbook_key as workbook_key  # the lock's key, as callers know it
from ..config import Config
from ..errors import ConfigError, LockedError
from ..util.files import STATE_FOLDER, short_stem, user_state_folder
from ..words.core import Phrase

# How long a run waits for another config's run on the same workbook (a sync takes seconds).
WORKBOOK_WAIT_SECONDS: Final = 60.0
_LOCK_SUFFIX: Final = ".sheets-sync.lock"

_holders: dict[str, Path] = {}  # workbook key → the config whose run holds it (this process)
_holders_guard = threading.Lock()


def lock_path(config: Config) -> Path:
    return config.folder / f".{short_stem(config.slug)}{_LOCK_SUFFIX}"


@contextmanager
def client_lock(config: Config) -> Iterator[None]:
    """Hold the client's lock for the duration, or raise LockedError (exit 5) at once.

    filelock uses flock(2): the kernel drops the lock when the holder dies, so a killed run
    never leaves a stale lock behind (the empty lock file that stays is harmless).
    """
    lock = FileLock(str(lock_path(config)), timeout=0)
    try:
        lock.acquire()
    except Timeout:
        raise LockedError(
            "client_busy", client=config.client, lock=lock_path(config).name
        ) from None
    except OSError as error:  # a read-only folder, a folder in the lock file's place …
        raise ConfigError(
            "lock_not_creatable",
            path=lock_path(config),
            reason=error.strerror or error,
            folder=config.folder,
        ) from None
    try:
        yield
    finally:
        lock.release()


def workbook_lock_paths(config: Config) -> list[Path]:
    """Where the workbook's lock file goes, in order of preference, named by a digest of the
    workbook's key (its real path, or the Google spreadsheet id): this user's sheets-sync
    folder, which every config on the machine shares wherever it lies, else the state folder
    beside the config (when the user's folder cannot be made). Never beside the workbook: its
    folder is the staff's, often shared or synced, and should hold the workbook alone."""
    key = workbook_key(config)
    name = f"workbook-{hashlib.sha256(key.encode('utf-8')).hexdigest()[:16]}.lock"
    return [user_state_folder() / "locks" / name, config.folder / STATE_FOLDER / name]


@contextmanager
def workbook_lock(config: Config, *, wait: float | None = None) -> Iterator[None]:
    """Hold the workbook's lock for the duration: another config's run on the same workbook
    is waited for up to `wait` seconds (WORKBOOK_WAIT_SECONDS), then LockedError (exit 5)."""
    timeout = WORKBOOK_WAIT_SECONDS if wait is None else wait
    key = workbook_key(config)
    lock = _acquire(config, key, timeout)
    with _holders_guard:
        _holders[key] = config.path
    try:
        yield
    finally:
        with _holders_guard:
            _holders.pop(key, None)
        lock.release()


def _acquire(config: Config, key: str, timeout: float) -> FileLock:
    candidates = workbook_lock_paths(config)
    for number, path in enumerate(candidates, start=1):
        lock = FileLock(str(path), timeout=timeout)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            lock.acquire()
        except Timeout:
            raise _busy(config, key) from None
        except OSError as error:
            if number < len(candidates):
                continue  # no writable home folder (a locked-down cron user): the config's
            raise ConfigError(
                "lock_not_creatable", path=path, reason=error.strerror or error, folder=path.parent
            ) from None
        return lock
    raise AssertionError("unreachable: the last candidate returns or raises")


def _busy(config: Config, key: str) -> LockedError:
    with _holders_guard:
        holder = _holders.get(key)
    by = (
        Phrase("run.workbook_holder", {"holder": holder})
        if holder is not None
        else Phrase("run.workbook_holder_unknown")
    )
    workbook = key.split(":", 1)[1]
    return LockedError("workbook_busy", workbook=workbook, holder=by, config=config.path.name)
