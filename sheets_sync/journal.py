"""A sent agenda not yet recorded in the workbook's Log: a small file beside the config.

The Log tab is where the sync keeps its state. But the mail goes out before the one write
that records it, so if that write fails (Google down, the workbook opened in Excel), every
later run on a due day would send the agenda again. This journal bridges exactly that gap:
written right after a send, read by the next runs, and removed once the Log holds the entry.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from .config import Config
from .errors import MailError
from .files import short_stem


@dataclass(frozen=True)
class PendingSend:
    """An agenda that went out but is not in the Log yet."""

    cycle: int
    sent_at: str
    where: str


def journal_path(config: Config) -> Path:
    return config.folder / f".{short_stem(config.slug)}.agenda-sent.json"


def record(config: Config, sent: PendingSend) -> None:
    """Remember a send until the Log has it (atomic: temp file + rename)."""
    path = journal_path(config)
    temp = path.with_suffix(".tmp")
    temp.write_text(json.dumps(sent.__dict__, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)


def ensure_writable(config: Config) -> None:
    """Prove the journal can be written before an agenda goes out, or raise MailError (exit 4).

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
            f"the agenda was NOT sent: cannot write {path} ({error.strerror or error}), the file "
            "that keeps a sent agenda from going out twice. Make the folder writable for the "
            "user that runs sheets-sync; the next run sends it"
        ) from None


def pending(config: Config) -> PendingSend | None:
    """The send waiting to be recorded, if any (an unreadable journal counts as none)."""
    try:
        data = json.loads(journal_path(config).read_text(encoding="utf-8"))
        return PendingSend(int(data["cycle"]), str(data["sent_at"]), str(data["where"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def clear(config: Config) -> None:
    journal_path(config).unlink(missing_ok=True)
