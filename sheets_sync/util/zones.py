"""Times a consultant reads, each with its zone named: never a bare UTC time.

Anything about one client is shown in the client's zone. A page that spans clients (the
portfolio without a `timezone` of its own, `status`) is shown in this machine's zone, found by
tzlocal (the TZ variable, else /etc/localtime) and named. A log line carries its offset, in the
zone of the client the command is for (`logging_in`), else in this machine's.
"""

from __future__ import annotations

import logging
from contextlib import AbstractContextManager
from contextvars import ContextVar
from datetime import datetime, tzinfo
from typing import Final
from zoneinfo import ZoneInfoNotFoundError

import tzlocal

from .context import holding

LOG_TIME: Final = "%Y-%m-%dT%H:%M:%S%z"  # 2026-12-07T21:00:00+0900: sorts, and says its offset

# The zone of the client a command is for, set once the client's config is known; log lines
# written meanwhile are stamped in it.
_LOG_ZONE: ContextVar[tzinfo | None] = ContextVar("sheets_sync_log_zone", default=None)


def machine_zone() -> tzinfo:
    """This machine's zone: a named zone (Asia/Tokyo) when tzlocal can tell, else the local
    offset with its abbreviation (a TZ such as "JST-9" names no zone)."""
    try:
        return tzlocal.get_localzone()
    except (ZoneInfoNotFoundError, ValueError, OSError):
        local = datetime.now().astimezone().tzinfo
        assert local is not None  # astimezone() always gives an aware time
        return local


def zone_name(zone: tzinfo, moment: datetime) -> str:
    """A zone as a person reads it: its name (Asia/Tokyo), else its abbreviation (JST)."""
    key = getattr(zone, "key", None)
    if key:
        return str(key)
    local = moment.astimezone(zone)
    return local.tzname() or local.strftime("%z")


def labelled(moment: datetime, zone: tzinfo, *, seconds: bool = False) -> str:
    """The moment in `zone`, the zone named: "2026-12-07 21:00 (Asia/Tokyo)" (a moment with no
    zone of its own is taken as already in `zone`)."""
    local = moment.astimezone(zone) if moment.tzinfo is not None else moment.replace(tzinfo=zone)
    shown = local.strftime("%Y-%m-%d %H:%M:%S" if seconds else "%Y-%m-%d %H:%M")
    return f"{shown} ({zone_name(zone, local)})"


def clock(moment: datetime, zone: tzinfo) -> str:
    """The moment in `zone` with the zone's abbreviation, narrow enough for a table column:
    "2026-12-07 21:00:00 JST"."""
    local = moment.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M:%S} {local.tzname() or local.strftime('%z')}"


def logging_in(zone: tzinfo) -> AbstractContextManager[None]:
    """Within this block, log lines are stamped in `zone` (the client's)."""
    return holding(_LOG_ZONE, zone)


class ZonedFormatter(logging.Formatter):
    """Stamps a log line in the zone of the client the command is for, else this machine's,
    with its offset: cron's mail and a log file never show a bare UTC time."""

    def __init__(self, fmt: str) -> None:
        super().__init__(fmt)
        # Found once, here: tzlocal logs while it looks, which must not re-enter a formatter.
        self.machine = machine_zone()

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        zone = _LOG_ZONE.get() or self.machine
        return datetime.fromtimestamp(record.created, zone).strftime(datefmt or LOG_TIME)
