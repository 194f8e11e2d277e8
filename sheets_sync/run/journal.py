"""Sent messages not yet recorded in the workbook's Log: a file beside the config.

The Log tab is where the sync keeps its state. But a message goes out before the one write
that records it, so if that write fails (Google down, the workbook opened in Excel), every
later run on a due day would send it again. This journal bridges exactly that gap: each send
is noted right after it goes out, read by the next runs (which put it in the Log), and the file
is removed once the Log holds it. The file holds a list of sends, each with its kind and (for a
chat) its channel; an entry without a channel is a mail, as every older file's are, and an older
file holding one agenda object is still read.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..config import Config
from ..core.sends import WHAT, Channel, MessageKind, SendRecord
from ..errors import MailError
from ..util.files import short_stem

# The journal's rows are send records; the name callers knew is kept.
PendingSend = SendRecord


def journal_path(config: Config) -> Path:
    return config.folder / f".{short_stem(config.slug)}.agenda-sent.json"


def record(config: Config, sent: SendRecord) -> None:
    """Remember a send until the Log has it, beside the ones already noted (atomic: temp file
    + rename)."""
    path = journal_path(config)
    temp = path.with_suffix(".tmp")
    key = (sent.kind, sent.cycle, sent.channel)
    sends = [s for s in pending_sends(config) if (s.kind, s.cycle, s.channel) != key]
    data = [_row(s) for s in [*sends, sent]]
    temp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(temp, path)


def ensure_writable(config: Config, kind: MessageKind = MessageKind.AGENDA) -> None:
    """Prove the journal can be written before a message goes out, or raise MailError (exit 4).

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
            what=WHAT[kind],
            path=path,
            reason=error.strerror or error,
        ) from None


def pending_sends(config: Config) -> list[SendRecord]:
    """The sends waiting to be recorded (an unreadable journal counts as none; an older
    journal's single object is one agenda send by mail)."""
    try:
        data = json.loads(journal_path(config).read_text(encoding="utf-8"))
        items = data if isinstance(data, list) else [data]
        return [_send(item) for item in items]
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return []


def _row(sent: SendRecord) -> dict[str, object]:
    """Its JSON object (the keys as older versions wrote and read them; a chat's channel too)."""
    row: dict[str, object] = {
        "cycle": sent.cycle,
        "sent_at": sent.sent_at,
        "where": sent.where,
        "kind": sent.kind.value,
    }
    if not sent.channel.is_mail:
        row["channel"] = sent.channel.id
    return row


def _send(item: dict[str, object]) -> SendRecord:
    kind = MessageKind(str(item.get("kind", "agenda")))  # an unknown kind: ValueError
    channel = Channel.parse(str(item.get("channel", "mail")))
    if channel is None:
        raise ValueError("unknown channel")
    cycle, sent_at, where = int(str(item["cycle"])), str(item["sent_at"]), str(item["where"])
    return SendRecord(kind, cycle, sent_at, where, channel)


def pending(config: Config, kind: MessageKind = MessageKind.AGENDA) -> SendRecord | None:
    """The latest send of `kind` by mail waiting to be recorded, if any."""
    sends = [s for s in pending_sends(config) if s.kind is kind and s.channel.is_mail]
    return sends[-1] if sends else None


def clear(config: Config) -> None:
    journal_path(config).unlink(missing_ok=True)
