"""Sent mails (agenda, reminder) not yet recorded in the workbook's Log: a file beside the config.

The Log tab is where the sync keeps its state. But the mail goes out before the one write
that records it, so if that write fails (Google down, the workbook opened in Excel), every
later run on a due day would send the agenda again. This journal bridges exactly that gap:
written right after a send, read by the next runs, and removed once the Log holds the entry.
The input reminder is guarded the same way. The file holds a list of sends, each with its
kind (agenda or reminder); an older file holding one agenda object is still read.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import MailError
from .files import short_stem
from .words.core import Phrase

KINDS = ("agenda", "reminder")
# What the journal keeps from going out twice, as an error names it.
_WHAT = {"agenda": Phrase("error.what_agenda"), "reminder": Phrase("error.what_reminder")}


@dataclass(frozen=True)
class PendingSend:
    """A mail (agenda or reminder) that went out but is not in the Log yet."""

    cycle: int
    sent_at: str
    where: str
    kind: str = "agenda"


def journal_path(config: Config) -> Path:
    return config.folder / f".{short_stem(config.slug)}.agenda-sent.json"


def record(config: Config, sent: PendingSend) -> None:
    """Remember a send until the Log has it, beside the ones already noted (atomic: temp file
    + rename)."""
    path = journal_path(config)
    temp = path.with_suffix(".tmp")
    sends = [s for s in pending_sends(config) if (s.kind, s.cycle) != (sent.kind, sent.cycle)]
    data = [s.__dict__ for s in [*sends, sent]]
    temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)


def ensure_writable(config: Config, kind: str = "agenda") -> None:
    """Prove the journal can be written before a mail goes out, or raise MailError (exit 4).

    A send that cannot be remembered would be repeated by every later run, so when the folder
    refuses the journal nothing is sent: the run says why and the next run retries.
    """
    path = journal_path(config)
    probe = path.with_suffix(".tmp")
    try:
        probe.write_text("", encoding="utf-8")
        probe.unlink()
    except OSError as error:
        raise MailError(
            "journal_unwritable",
            what=_WHAT[kind],
            path=path,
            reason=error.strerror or error,
        ) from None


def pending_sends(config: Config) -> list[PendingSend]:
    """The sends waiting to be recorded (an unreadable journal counts as none; an older
    journal's single object is one agenda send)."""
    try:
        data = json.loads(journal_path(config).read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else [data]
        return [_send(item) for item in items]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []


def _send(item: dict[str, object]) -> PendingSend:
    kind = str(item.get("kind", "agenda"))
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}")
    return PendingSend(int(str(item["cycle"])), str(item["sent_at"]), str(item["where"]), kind)


def pending(config: Config, kind: str = "agenda") -> PendingSend | None:
    """The latest send of `kind` waiting to be recorded, if any."""
    sends = [s for s in pending_sends(config) if s.kind == kind]
    return sends[-1] if sends else None


def clear(config: Config) -> None:
    journal_path(config).unlink(missing_ok=True)
