"""The interfaces every backend implements: an opened workbook (`Backend`) for sync, doctor and
upgrade, and what a kind of backend answers from a config alone (`BackendKind`) for locks,
new-client and watch — so no caller ever needs to know which backend it has."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..config import Config
from ..sheet.ownership import NotOurs
from ..sheet.schema import Lang
from ..sheet.tabs import GeneratedTab, Snapshot, SparklineKind
from ..util.pacing import RateLimiter, RetryPolicy
from ..words.core import Phrase, Words


@dataclass(frozen=True)
class Probe:
    """One thing `doctor` learnt from a backend: credentials or access, fine or not."""

    ok: bool
    area: str  # "workbook" (a file) or "credentials" (Google), then "access"
    message: str
    exit_code: int = 0
    fix: str = ""


@dataclass(frozen=True)
class Diagnosis:
    """What a backend could find out without writing: probes in order, and the snapshot when
    the workbook could be read (None when an earlier probe failed)."""

    probes: list[Probe]
    snapshot: Snapshot | None


@dataclass(frozen=True)
class Usage:
    """API requests a backend made (and how many were retries); 0 for a local file."""

    requests: int = 0
    retries: int = 0


@dataclass(frozen=True)
class Upgraded:
    """What `upgrade` did: what it added, for people (empty: nothing was written), and why each
    generated tab it did not add was left out (a tab not the sync's holds its title)."""

    added: list[str]
    left_out: tuple[NotOurs, ...] = ()


class Backend(Protocol):
    """A workbook the sync can read in one request and write in one request."""

    sparkline: SparklineKind

    def describe(self) -> str:
        """Where the workbook is, for messages ("sakura.xlsx", "Google Sheet <id>")."""
        ...

    def read(self) -> Snapshot:
        """All tabs, input and generated; `RawTab.owned` says which carry the sync's marker."""
        ...

    def write(self, tabs: list[GeneratedTab]) -> None:
        """Write each tab into the tab whose title is exactly `tab.title` (the sync decided, see
        `ownership`, that it may), or create it when there is none; each written tab carries the
        sync's marker afterwards. Touch nothing else."""
        ...

    def diagnose(self) -> Diagnosis:
        """For `doctor`: can the credentials reach the workbook, and what does it hold."""
        ...

    def add_missing(self, lang: Lang) -> Upgraded:
        """For `upgrade`: add the tabs and header cells a newer template has, in the header row
        the sync reads; write nothing at all when nothing is missing. A generated tab whose
        title a tab not the sync's holds (`ownership`) is not added, and never touched."""
        ...

    def usage(self) -> Usage:
        """The API requests made so far (sync-all's figures)."""
        ...


# -- new-client ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class SheetEntries:
    """What a config's `[sheet]` says to name a workbook; paths stay paths (the config writer
    makes them relative to the config's folder)."""

    backend: str
    path: Path | None = None
    spreadsheet: str | None = None
    credentials: Path | None = None


@dataclass(frozen=True)
class NewWorkbook:
    """What `new-client` asks a backend to make."""

    name: str  # the client's name: a spreadsheet's title
    lang: Lang
    folder: Path  # the config's folder
    stem: str  # the config's file name without .toml (a new file is named after it)
    rows: Mapping[str, list[list[object]]]  # each input tab's starting rows, by tab key
    file: Path | None = None  # a file-backed workbook's place (default: <folder>/<stem>.xlsx)
    from_template: str | None = None  # a spreadsheet (URL or id) to copy instead of building
    share: tuple[str, ...] = ()  # addresses to share it with (no notification mail)
    credentials: Path | None = None  # the service-account key


@dataclass(frozen=True)
class Created:
    """What a backend made for `new-client`, and how to take it back when a later step fails."""

    workbook: str  # as new-client shows it: the file's path or the sheet's URL
    sheet: SheetEntries
    remove: Callable[[], None]


# -- watch ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Look:
    """One workbook as a change source saw it at a poll."""

    name: str = ""  # how the watch's log names it ("shop.xlsx")
    where: str = ""  # its full location, for a warning
    changed: Phrase | None = None  # why it counts as changed since the last look
    missing: bool = False  # not there now (deleted, moved, or half-way through a save)
    open_by: str | None = None  # an office program has it open (this lock file): wait


@dataclass(frozen=True)
class Notice:
    """A line a change source has for the watch's log; words not yet in a language."""

    phrase: Phrase
    warning: bool = False


class ChangeSource(Protocol):
    """Cheap change detection for `watch`: one poll answers for many workbooks (one Drive
    change feed per service account, a `stat` per file), and never counts the sync's own
    writes as an edit."""

    def poll(self, workbooks: Mapping[str, Config], busy: Collection[str]) -> dict[str, Look]:
        """Each workbook's look since the last poll, keyed like `workbooks` (by workbook key).
        A sync is writing the workbooks in `busy` now: a source that cannot tell that write
        from staff's leaves them out, and is told `saved` once the sync is over."""
        ...

    def saved(self, workbook: str) -> None:
        """A sync wrote `workbook` (a key): take it as it is now as seen."""
        ...

    def bookmarks(self) -> dict[str, str]:
        """What to keep across a restart (page tokens, file stamps), so the next watch syncs
        what changed while none ran."""
        ...

    def notices(self) -> list[Notice]:
        """What happened since the last call that the log should say (each said once)."""
        ...

    @property
    def problem(self) -> Words | None:
        """Why changes cannot be seen right now (None when they can)."""
        ...

    @property
    def requests(self) -> int:
        """API requests made so far."""
        ...


# -- a kind of backend ------------------------------------------------------------------------
class BackendKind(Protocol):
    """What one kind of backend (the config's `sheet.backend`) answers before any workbook is
    opened: which workbook a config names, how to open, make and watch it."""

    name: str
    link: bool  # staff open the workbook from a link it is shared by (else a file handed over)

    def workbook_key(self, config: Config) -> str:
        """What two configs share when they name one workbook (the lock, the watch)."""
        ...

    def local_file(self, config: Config) -> Path | None:
        """The workbook's file on this machine; None when it lives online."""
        ...

    def web_link(self, config: Config) -> str | None:
        """The web address staff open the workbook at, known from the config alone (a Google
        Sheet's); None for a file on this machine."""
        ...

    def open(
        self, config: Config, *, policy: RetryPolicy | None, limiter: RateLimiter | None
    ) -> Backend:
        """The workbook `config` names; `policy` and `limiter` pace its API requests."""
        ...

    def prepare(self, request: NewWorkbook) -> SheetEntries:
        """Refuse what cannot be made (nothing is made yet), and say what the config's
        `[sheet]` will hold (an id not known before the workbook exists is a stand-in)."""
        ...

    def create(self, request: NewWorkbook) -> Created:
        """Make the workbook from the template (or the copy), shared as asked; when a step
        fails, what was made is removed before the error goes up."""
        ...

    def change_source(self, bookmarks: Mapping[str, str]) -> ChangeSource:
        """`watch`'s change detection for this kind, resuming from `bookmarks`."""
        ...
