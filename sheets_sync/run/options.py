"""What a run is asked to do: the command, the send policy it implies, the command line options."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import Enum, StrEnum
from pathlib import Path


class SendPolicy(Enum):
    """Which messages a run may send."""

    WHEN_DUE = "when due"  # each message by its own due rule (and --no-agenda, --force)
    NOW = "now"  # the agenda now, due or not; nothing else
    NEVER = "never"  # nothing


class Command(StrEnum):
    """The command a run serves; the value is its word in the Log (`sync | ok`)."""

    SYNC = "sync"
    CHECK = "check"  # writes the Checks tab only
    AGENDA = "agenda"  # `agenda --send`
    DEMO = "demo"  # the demo's first run, which sends its agenda

    @property
    def send_policy(self) -> SendPolicy:
        """A command implies its policy, so no run can pair `check` with sending now."""
        return _POLICY[self]


_POLICY = {
    Command.SYNC: SendPolicy.WHEN_DUE,
    Command.CHECK: SendPolicy.NEVER,
    Command.AGENDA: SendPolicy.NOW,
    Command.DEMO: SendPolicy.NOW,
}


@dataclass(frozen=True)
class RunOptions:
    """What the command line asked for."""

    as_of: date | None = None
    cycle: int | None = None
    dry_run: bool = False
    no_agenda: bool = False
    force: bool = False
    report_path: Path | None = None
