"""The local .xlsx file as a kind of backend: its key is the resolved path, a new one is built
from the template, and `watch` sees a change in its size and modification time."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Final

from ..config import Config
from ..errors import ConfigError, UsageError
from ..util.pacing import RateLimiter, RetryPolicy
from ..words.core import Phrase, Words
from .base import Backend, ChangeSource, Created, Look, NewWorkbook, Notice, SheetEntries
from .xlsx import STATE_FOLDER, XlsxBackend, create_workbook, lock_files

log = logging.getLogger("sheets_sync")

NAME: Final = "xlsx"


class XlsxKind:
    """A workbook on this machine."""

    name: str = NAME
    link: bool = False

    def workbook_key(self, config: Config) -> str:
        return f"xlsx:{config.workbook_path().resolve()}"

    def local_file(self, config: Config) -> Path | None:
        return config.workbook_path()

    def web_link(self, config: Config) -> str | None:
        """A file has no address of its own (`sheet.url` may give one: see places.sheet_link)."""
        return None

    def open(
        self, config: Config, *, policy: RetryPolicy | None, limiter: RateLimiter | None
    ) -> Backend:
        """The file, with its backups in the `.sheets-sync` folder beside the config."""
        state = config.folder / STATE_FOLDER
        return XlsxBackend(config.workbook_path(), config.language, config.tz, state=state)

    def prepare(self, request: NewWorkbook) -> SheetEntries:
        """A file is not shared nor copied from a Google template; one that is there already
        is never replaced."""
        if request.share or request.from_template:
            raise UsageError("google_only_options")
        path = _place(request)
        if path.exists():
            raise ConfigError("file_exists", path=path)
        return SheetEntries(NAME, path=path)

    def create(self, request: NewWorkbook) -> Created:
        path = _place(request)
        create_workbook(path, request.lang, dict(request.rows))
        return Created(str(path), SheetEntries(NAME, path=path), lambda: _remove(path))

    def change_source(self, bookmarks: Mapping[str, str]) -> ChangeSource:
        return FileStamps(bookmarks)


XLSX: Final = XlsxKind()


def _place(request: NewWorkbook) -> Path:
    return request.file or request.folder / f"{request.stem}.xlsx"


def _remove(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as error:  # the failure that came first is the one to report
        log.debug("new-client: could not remove %s: %s", path, error)


def _stamp(path: Path) -> str | None:
    """The file's size and modification time (ns), or None when it is missing (e.g. half-way
    through a save by Excel)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return f"{stat.st_size}:{stat.st_mtime_ns}"


class FileStamps:
    """The .xlsx change source: each file's size and modification time, and whether Excel's
    (`~$name.xlsx`) or LibreOffice's (`.~lock.name.xlsx#`) lock file sits beside it — then the
    workbook is open, and the watch waits. A stat per file per poll, no API request."""

    def __init__(self, bookmarks: Mapping[str, str]) -> None:
        self._stamps: dict[str, str | None] = dict(bookmarks)  # by workbook key
        self._paths: dict[str, Path] = {}

    def poll(self, workbooks: Mapping[str, Config], busy: Collection[str]) -> dict[str, Look]:
        """The sync's own save cannot be told from staff's: a workbook being synced is not
        looked at until `saved`."""
        looks = {}
        for key, config in workbooks.items():
            self._paths[key] = config.workbook_path()
            if key not in busy:
                looks[key] = self._look(key, self._paths[key])
        return looks

    def _look(self, key: str, path: Path) -> Look:
        stamp = _stamp(path)
        if key not in self._stamps:
            self._stamps[key] = stamp  # first sight: the baseline, not a change
        if stamp is None:
            return Look(path.name, str(path), missing=True)
        changed = stamp != self._stamps[key]
        self._stamps[key] = stamp
        lock = next((lock for lock in lock_files(path) if lock.exists()), None)
        return Look(
            path.name,
            str(path),
            changed=Phrase("watch.why_saved", {"file": path.name}) if changed else None,
            open_by=lock.name if lock is not None else None,
        )

    def saved(self, workbook: str) -> None:
        path = self._paths.get(workbook)
        if path is not None:
            self._stamps[workbook] = _stamp(path)

    def bookmarks(self) -> dict[str, str]:
        return {key: stamp for key, stamp in self._stamps.items() if stamp is not None}

    def notices(self) -> list[Notice]:
        return []

    @property
    def problem(self) -> Words | None:
        return None

    @property
    def requests(self) -> int:
        return 0
