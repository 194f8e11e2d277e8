"""The one interface every backend implements: what sync, doctor, upgrade and sync-all need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..schema import Lang
from ..tabs import GeneratedTab, Snapshot, SparklineKind


@dataclass(frozen=True)
class Probe:
    """One thing `doctor` learnt from a backend: credentials or access, fine or not."""

    ok: bool
    area: str  # "credentials" or "access"
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

    def add_missing(self, lang: Lang) -> list[str]:
        """For `upgrade`: add the tabs and header cells a newer template has, in the header row
        the sync reads; write nothing at all when nothing is missing."""
        ...

    def usage(self) -> Usage:
        """The API requests made so far (sync-all's figures)."""
        ...
