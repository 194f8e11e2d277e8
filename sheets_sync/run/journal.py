"""Sent messages not yet recorded in the workbook's Log: a file beside the config.

The Log tab is where the sync keeps its state. But a message goes out before the one write
that records it, so if that write fails (Google down, the workbook opened in Excel), every
later run on a due day would send it again. This journal bridges exactly that gap: each send
is noted right after it goes out, read by the next runs (which put it in the Log), and the file
is removed once the Log holds it. The file holds a list of sends, each with its kind and (for a
chat) its channel; an entry without a channel is a mail, as every older file's are, and an older
file holding one agenda object is still read.

A journal that exists but cannot be read (broken JSON, an entry of no known shape, no read
permission) may hold sends the Log never got: nothing is sent while it is there, and it is never
removed by the sync. A person checks the Log and deletes it; the run says so (exit 4).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..config import Config
from ..core.sends import WHAT, Channel, MessageKind, SendRecord
from ..errors import MailError
from ..util.files import short_stem
from ..words.core import Phrase

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
    """Prove the journal can be read and written before a message goes out, or raise MailError
    (exit 4).

    A send that cannot be remembered would be repeated by every later run, so when the folder
    refuses the journal nothing is sent: the run says why and the next run retries. A journal
    that cannot be read may hold a send the Log lacks: nothing is sent until a person looks.
    """
    path = journal_path(config)
    damaged = damage(config)
    if damaged is not None:
        raise MailError("journal_damaged", what=WHAT[kind], path=path, reason=damaged)
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
    """The sends waiting to be recorded, each entry read on its own (an older journal's single
    object is one agenda send by mail). What cannot be read is left out here; `damage` says
    so, and no message goes out while it does."""
    try:
        data = json.loads(journal_path(config).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    sends = []
    for item in data if isinstance(data, list) else [data]:
        try:
            sends.append(_send(item))
        except (ValueError, KeyError, TypeError, AttributeError):
            continue
    return sends


def damage(config: Config) -> Phrase | str | None:
    """Why the journal cannot be read, when it exists and cannot; None when it is absent or
    every entry in it is a send."""
    try:
        data = json.loads(journal_path(config).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except OSError as error:
        return error.strerror or str(error)
    except ValueError:
        return Phrase("error.journal_reason_form")
    items = data if isinstance(data, list) else [data]
    if len(pending_sends(config)) != len(items):
        return Phrase("error.journal_reason_form")
    return None


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
    """Remove the journal once the Log holds its sends; a damaged one stays for a person."""
    if damage(config) is None:
        journal_path(config).unlink(missing_ok=True)
