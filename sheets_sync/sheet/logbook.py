"""The Log tab's rows: read back (either language, any earlier layout), and whose they are.

Each row the sync writes names the client it was for (the config's `client`), so a workbook
copied from another client never makes this client's agenda look "already sent". A row that
names no client was written by an earlier version and counts as this client's.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from . import schema
from .log_words import log_key
from .parse import cell_text, parse_integer
from .tabs import RawTab

# Where each field sits in every Log the sync wrote (the client column came last, later).
_WHEN, _WHAT, _RESULT, _CYCLE, _DETAILS = range(5)
_CLIENT_HEADERS = {
    header.strip().casefold()
    for key, ja, en, _ in schema.LOG_COLUMNS
    if key == "client"
    for header in (ja, en)
}


@dataclass(frozen=True)
class LogEntry:
    """A row of the Log tab, as the sync wrote it; `client` is "" on an earlier version's row."""

    when: str
    what: str
    result: str
    cycle: int | None
    details: str
    client: str = ""


def read_log(raw: RawTab) -> list[LogEntry]:
    """Every row under the header; the client is read from the column headed 店名 / Client
    wherever it stands (an earlier version's Log has none)."""
    header = [cell_text(cell.value).strip().casefold() for cell in raw.rows[0]] if raw.rows else []
    client_at = next((i for i, text in enumerate(header) if text in _CLIENT_HEADERS), None)
    entries: list[LogEntry] = []
    for line in raw.rows[1:]:
        texts = [cell_text(cell.value) for cell in line] + [""] * 5
        if not any(texts[:5]):
            continue
        number = parse_integer(line[_CYCLE].value) if len(line) > _CYCLE else None
        cycle = number if isinstance(number, int) else None
        what, result = log_key(texts[_WHAT]), log_key(texts[_RESULT])  # in either language
        client = texts[client_at].strip() if client_at is not None and client_at < len(line) else ""
        entries.append(LogEntry(texts[_WHEN], what, result, cycle, texts[_DETAILS], client))
    return entries


def _folded(name: str) -> str:
    return unicodedata.normalize("NFKC", name).strip().casefold()


def counts_for(entry: LogEntry, client: str) -> bool:
    """The row is this client's: it names this client (spaces, width and case aside), or no
    client at all (an earlier version's row)."""
    return not entry.client.strip() or _folded(entry.client) == _folded(client)


def own(entries: Iterable[LogEntry], client: str) -> list[LogEntry]:
    """The rows that count for this client, in order."""
    return [entry for entry in entries if counts_for(entry, client)]


def other_clients(entries: Iterable[LogEntry], client: str) -> list[tuple[str, int]]:
    """Each other client the rows name (as first written) with how many rows it has, in the
    order first met."""
    names: dict[str, str] = {}
    rows: Counter[str] = Counter()
    for entry in entries:
        if counts_for(entry, client):
            continue
        key = _folded(entry.client)
        names.setdefault(key, entry.client.strip())
        rows[key] += 1
    return [(names[key], rows[key]) for key in names]
