"""The watch's status file (`DIR/.sheets-sync-watch.json`): written atomically after every poll,
read back on restart (page tokens, last daily runs) and shown by `sheets-sync status DIR`."""

from __future__ import annotations

import json
import os
from dataclasses import MISSING, asdict, dataclass, field, fields
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Final, TypeVar

from ..errors import ConfigError
from ..sheet.schema import Lang
from ..util.display import table
from ..util.files import write_atomically
from ..util.shell import shell_word
from ..util.zones import clock, machine_zone
from ..words.core import Phrase, say

STATUS_NAME: Final = ".sheets-sync-watch.json"
STATUS_LANG: Final[Lang] = "en"  # `status` lists every client whatever its language


@dataclass
class ClientState:
    """What the watch knows and last did for one client config."""

    config: str  # the config's file name
    client: str = ""
    backend: str = ""
    last_sync: str | None = None  # ISO time the last sync ended
    trigger: str | None = None  # edit | daily | retry | config
    result: str | None = None  # sync-all's outcome words: ok, sheet error, ...
    exit_code: int | None = None
    seconds: float | None = None
    message: str = ""
    failures: int = 0  # failed syncs in a row
    next_retry: str | None = None  # ISO time of the next attempt after a failure
    waiting: str | None = None  # why a changed workbook is not synced yet (open in Excel)
    pending_since: str | None = None  # a change seen and not yet synced
    last_daily: str | None = None  # the client's local date of the last daily run


@dataclass
class WatchStatus:
    """The whole file."""

    pid: int = 0
    started: str = ""
    last_poll: str | None = None
    interval: float = 0.0
    idle_interval: float = 0.0  # the pace in a quiet spell (0: a file from before it existed)
    debounce: float = 0.0
    daily_at: str | None = None
    drive_requests: int = 0
    sheets_syncs: int = 0
    last_portfolio: str | None = None
    # What each kind's change source keeps across a restart (Drive page tokens, file stamps),
    # by backend kind.
    bookmarks: dict[str, dict[str, str]] = field(default_factory=dict)
    # Drive page tokens by credentials, as a watch before `bookmarks` kept them: read once.
    page_tokens: dict[str, str] = field(default_factory=dict)
    feed_error: str | None = None
    clients: dict[str, ClientState] = field(default_factory=dict)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1, sort_keys=True) + "\n"

    @classmethod
    def from_json(cls, text: str) -> WatchStatus:
        """The file read back; ValueError when it is not the shape the watch writes."""
        data = json.loads(text)
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        known = {f.name for f in fields(cls)}
        state_fields = {f.name for f in fields(ClientState)}
        raw_clients = data.get("clients") or {}
        if not isinstance(raw_clients, dict):
            raise ValueError("clients is not an object")
        clients = {
            str(key): _checked(ClientState(**{k: v for k, v in value.items() if k in state_fields}))
            for key, value in raw_clients.items()
            if isinstance(value, dict) and "config" in value
        }
        rest = {k: v for k, v in data.items() if k in known and k != "clients"}
        status = _checked(cls(**rest, clients=clients))
        if not all(isinstance(v, str) for v in status.page_tokens.values()):
            raise ValueError("page_tokens holds a value that is not text")
        if not all(_text_table(marks) for marks in status.bookmarks.values()):
            raise ValueError("bookmarks holds a value that is not a table of text")
        return status

    def kept_bookmarks(self) -> dict[str, dict[str, str]]:
        """The bookmarks to resume from, Drive page tokens of an older file included."""
        kept = {kind: dict(marks) for kind, marks in self.bookmarks.items()}
        if self.page_tokens and "google" not in kept:
            kept["google"] = dict(self.page_tokens)
        return kept


def _text_table(value: object) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and isinstance(v, str) for k, v in value.items()
    )


_Checked = TypeVar("_Checked", ClientState, WatchStatus)


def _checked(record: _Checked) -> _Checked:
    """`record` when each field has the type of its default (None allowed where the default is
    None), else ValueError: a hand-edited or foreign file must not crash the watch later."""
    for spec in fields(record):
        value = getattr(record, spec.name)
        default = spec.default_factory() if callable(spec.default_factory) else spec.default
        if default is MISSING:
            default = ""  # `config`, the one field without a default, is the file's name
        if value is None and default is None:
            continue
        if isinstance(default, bool) != isinstance(value, bool):
            raise ValueError(f"{spec.name} has the wrong type")
        expected: tuple[type, ...]
        if isinstance(default, float):
            expected = (int, float)
        elif default is None:
            expected = (str, int, float)
        else:
            expected = (type(default),)
        if not isinstance(value, expected):
            raise ValueError(f"{spec.name} has the wrong type")
    return record


def status_path(directory: Path) -> Path:
    return directory / STATUS_NAME


def save(directory: Path, status: WatchStatus) -> None:
    """Atomically: `status` never sees half a file."""
    write_atomically(status_path(directory), status.to_json().encode("utf-8"))


def load(directory: Path) -> WatchStatus | None:
    """The last status written, or None when there is none or it cannot be read."""
    try:
        return WatchStatus.from_json(status_path(directory).read_text(encoding="utf-8"))
    except (OSError, ValueError, TypeError):
        return None


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _short(iso: str | None, zone: tzinfo) -> str:
    """A recorded time in the reader's zone, its abbreviation after it (2026-12-02 14:00:11 JST)."""
    if not iso:
        return "—"
    try:
        return clock(datetime.fromisoformat(iso), zone)
    except ValueError:
        return iso


def _ago(iso: str | None, now: datetime, zone: tzinfo) -> str:
    if not iso:
        return say("status.never", STATUS_LANG)
    try:
        seconds = (now - datetime.fromisoformat(iso)).total_seconds()
    except (ValueError, TypeError):
        return iso
    return say("status.ago", STATUS_LANG, time=_short(iso, zone), seconds=max(0, round(seconds)))


def describe(directory: Path, now: datetime) -> str:
    """`sheets-sync status DIR`: the watch's last poll and, per client, what it last did. Times
    are shown in `now`'s zone (this machine's), each with its zone."""
    if not directory.is_dir():
        raise ConfigError("not_a_config_folder", directory=directory)
    status = load(directory)
    if status is None:
        raise ConfigError(
            "no_watch_status",
            directory=directory,
            command_dir=shell_word(directory),
            name=STATUS_NAME,
        )
    zone = now.tzinfo or machine_zone()
    return "\n".join([*_watch_lines(status, now, zone), "", *_client_table(status, zone)])


def _watch_lines(status: WatchStatus, now: datetime, zone: tzinfo) -> list[str]:
    """The watch itself: its process, pace and daily time, then its last poll."""
    lang = STATUS_LANG
    running = Phrase("status.watch_alive" if _alive(status.pid) else "status.watch_dead")
    daily = (
        Phrase("status.watch_daily", {"time": status.daily_at})
        if status.daily_at
        else Phrase("status.watch_no_daily")
    )
    quiet = (
        say("status.watch_quiet", lang, idle=f"{status.idle_interval:g}")
        if status.idle_interval > status.interval
        else ""
    )
    watch_line = say(
        "status.watch_line",
        lang,
        pid=status.pid,
        running=running,
        interval=f"{status.interval:g}",
        quiet=quiet,
        debounce=f"{status.debounce:g}",
        daily=daily,
    )
    last_poll = say(
        "status.last_poll",
        lang,
        ago=_ago(status.last_poll, now, zone),
        requests=status.drive_requests,
        syncs=status.sheets_syncs,
        started=_short(status.started, zone),
    )
    lines = [watch_line, last_poll]
    if status.feed_error:
        lines.append(say("status.feed_error", lang, error=status.feed_error))
    return lines


def _client_table(status: WatchStatus, zone: tzinfo) -> list[str]:
    """One row per client: its last sync, what triggered it, how it ended, the next retry."""
    keys = (
        "table.client",
        "table.backend",
        "table.last_sync",
        "table.trigger",
        "table.result",
        "table.exit",
        "table.next_retry",
        "table.note",
    )
    header = tuple(say(key, STATUS_LANG) for key in keys)
    rows = [
        (
            state.client or key,
            state.backend or "—",
            _short(state.last_sync, zone),
            state.trigger or "—",
            state.result or "—",
            "—" if state.exit_code is None else str(state.exit_code),
            _short(state.next_retry, zone),
            _note(state, zone),
        )
        for key, state in sorted(status.clients.items())
    ]
    return table(header, rows)


def _note(state: ClientState, zone: tzinfo) -> str:
    if state.waiting:
        return state.waiting
    if state.pending_since:
        return say("status.note_pending", STATUS_LANG, time=_short(state.pending_since, zone))
    if state.failures:
        failures = say(
            "status.note_failures", STATUS_LANG, failures=state.failures, message=state.message
        )
        return failures[:120]
    return state.message[:120]
