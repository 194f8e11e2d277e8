"""The Log tab: what each run did, newest last, trimmed to the rows worth keeping."""

from __future__ import annotations

from ..sheet import schema
from ..sheet.log_words import log_word
from ..sheet.logbook import LogEntry
from ..sheet.schema import Lang
from ..sheet.tabs import GeneratedTab, OutCell
from .grid import text_cell
from .sends import send_whats

LOG_ROWS_KEPT = 1000  # agenda and reminder rows are always kept: they say what was sent


def log_tab(entries: list[LogEntry], lang: Lang, client: str = "") -> GeneratedTab:
    """The Log tab: every earlier entry (trimmed to the newest runs) plus this run's. Each row
    names its client: another client's rows keep theirs; a row naming none (this run's, or an
    earlier version's, which count as this client's) gets `client`."""
    widths = [width for *_, width in schema.LOG_COLUMNS]
    rows = [[OutCell(ja if lang == "ja" else en, "header") for _, ja, en, _ in schema.LOG_COLUMNS]]
    for entry in _trim_log(entries):
        style = ("good" if entry.result in ("ok", "sent") else
                 "bad" if entry.result in ("failed", "error") else None)  # fmt: skip
        rows.append([
            text_cell(entry.when),
            text_cell(log_word(entry.what, lang)),
            text_cell(log_word(entry.result, lang), style),
            OutCell(entry.cycle) if entry.cycle is not None else OutCell(""),
            text_cell(entry.details),
            text_cell(entry.client or client),
        ])  # fmt: skip
    return GeneratedTab("log", schema.LOG.title(lang), rows, widths, frozen_rows=1)


def _trim_log(entries: list[LogEntry]) -> list[LogEntry]:
    if len(entries) <= LOG_ROWS_KEPT:
        return entries
    # The messages' rows (agenda, reminder, on the mail and on each chat) are the exactly-once
    # state (a trimmed "sent" row would be sent again), so they are all kept; only other rows
    # are trimmed, oldest first.
    kinds = send_whats()
    state = [e for e in entries if e.what in kinds]
    others = [e for e in entries if e.what not in kinds]
    room = max(LOG_ROWS_KEPT - len(state), 0)
    keep = {id(e) for e in state + (others[-room:] if room else [])}
    return [e for e in entries if id(e) in keep]
