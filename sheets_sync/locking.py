"""One run per client at a time: an OS-level file lock, released even when a run is killed."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from filelock import FileLock, Timeout

from .config import Config
from .errors import ConfigError, LockedError
from .files import short_stem


def lock_path(config: Config) -> Path:
    return config.folder / f".{short_stem(config.slug)}.sheets-sync.lock"


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
            f"another sheets-sync run for {config.client!r} is still going "
            f"(lock {lock_path(config).name}); this run did nothing"
        ) from None
    except OSError as error:  # a read-only folder, a folder in the lock file's place …
        raise ConfigError(
            f"cannot create the lock file {lock_path(config)} ({error.strerror or error}); make "
            f"the folder {config.folder} writable for the user that runs sheets-sync"
        ) from None
    try:
        yield
    finally:
        lock.release()
