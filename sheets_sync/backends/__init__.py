"""Backends behind one interface: the callers ask these functions, never a concrete backend.

`open_backend` opens the workbook a config names; `workbook_key`, `local_file` and `web_link`
answer from the config alone (locks, outputs, the portfolio's link, chat-test's link);
`kind_named` makes a new workbook for new-client; `Changes` is the watch's change detection
over every kind.
"""

from __future__ import annotations

from pathlib import Path

from ..config import Config
from ..sheet.tabs import GeneratedTab, OutCell, RawCell, RawTab, Snapshot
from ..util.pacing import RateLimiter, RetryPolicy
from .base import (
    Backend,
    BackendKind,
    ChangeSource,
    Created,
    Diagnosis,
    Look,
    NewWorkbook,
    Notice,
    Probe,
    SheetEntries,
    Upgraded,
    Usage,
)
from .changes import Changes
from .kinds import kind_named, kind_of

__all__ = [
    "Backend",
    "BackendKind",
    "ChangeSource",
    "Changes",
    "Created",
    "Diagnosis",
    "GeneratedTab",
    "Look",
    "NewWorkbook",
    "Notice",
    "OutCell",
    "Probe",
    "RawCell",
    "RawTab",
    "SheetEntries",
    "Snapshot",
    "Upgraded",
    "Usage",
    "kind_named",
    "kind_of",
    "local_file",
    "open_backend",
    "web_link",
    "workbook_key",
]


def open_backend(
    config: Config, *, policy: RetryPolicy | None = None, limiter: RateLimiter | None = None
) -> Backend:
    """The workbook a client's config points at; `policy` and `limiter` pace its API requests
    (sync-all shares one limiter)."""
    return kind_of(config).open(config, policy=policy, limiter=limiter)


def workbook_key(config: Config) -> str:
    """What two configs share when they name one workbook: the resolved .xlsx path, or the
    Google spreadsheet id."""
    return kind_of(config).workbook_key(config)


def local_file(config: Config) -> Path | None:
    """The workbook's file on this machine; None when it lives online."""
    return kind_of(config).local_file(config)


def web_link(config: Config) -> str | None:
    """The web address staff open the workbook at, from the config alone; None for a file."""
    return kind_of(config).web_link(config)
