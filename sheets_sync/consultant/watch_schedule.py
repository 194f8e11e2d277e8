"""When `watch` looks and when it syncs: its pace (every `interval`, slower in a quiet spell),
the debounce that lets staff finish typing before their rows are judged, the daily duties'
time in each client's zone, and the backoff after a failed sync. Pure: times are passed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from datetime import time as clock_time
from typing import Final

from ..errors import UsageError

DEFAULT_INTERVAL: Final = 10.0
DEFAULT_DEBOUNCE: Final = 10.0
# Quiet for this long (no change seen, nothing to sync), the loop slows to its idle interval.
IDLE_AFTER_SECONDS: Final = 120.0
IDLE_INTERVAL_FACTOR: Final = 1.5
BACKOFF_BASE_SECONDS: Final = 30.0
BACKOFF_CAP_SECONDS: Final = 3600.0
# Someone typing without a pause for this long still gets their checks.
MAX_SETTLE_SECONDS: Final = 120.0
# Polls drift by the time a Drive request takes: a change seen one poll ago has been quiet
# for "interval" even when the clock says 9.9 s, so one settles that close to debounce.
SETTLE_SLACK_SECONDS: Final = 0.5


def parse_daily_at(text: str | None) -> clock_time | None:
    """`HH:MM` → a time; None stays None (no daily duties)."""
    if text is None:
        return None
    try:
        hours, minutes = text.strip().split(":")
        return clock_time(int(hours), int(minutes))
    except ValueError:
        raise UsageError("daily_at_format", text=repr(text)) from None


@dataclass(frozen=True)
class Schedule:
    """The watch's timings, checked when made (a usage error, exit 2, names the option)."""

    interval: float = DEFAULT_INTERVAL
    debounce: float = DEFAULT_DEBOUNCE
    idle_interval: float | None = None  # None: IDLE_INTERVAL_FACTOR x interval
    daily_at: clock_time | None = None  # None: no daily duties

    def __post_init__(self) -> None:
        if self.interval <= 0 or self.debounce < 0:
            raise UsageError("interval_range")
        if self.quiet_interval < self.interval:
            idle, interval = f"{self.quiet_interval:g}", f"{self.interval:g}"
            raise UsageError("idle_interval_short", idle=idle, interval=interval)

    @property
    def quiet_interval(self) -> float:
        """Seconds between polls in a quiet spell."""
        if self.idle_interval is None:
            return self.interval * IDLE_INTERVAL_FACTOR
        return self.idle_interval

    def next_wait(self, idle: bool) -> float:
        """Seconds from the start of one poll to the next."""
        return self.quiet_interval if idle else self.interval

    def settled(self, first_change: float, last_change: float, now: float) -> bool:
        """Whether changes seen at these (monotonic) times may be synced now: quiet for
        `debounce`, or waiting too long already."""
        slack = min(SETTLE_SLACK_SECONDS, self.interval / 10)
        quiet = now - last_change + slack >= self.debounce
        overdue = now - first_change >= MAX_SETTLE_SECONDS + self.debounce
        return quiet or overdue

    def daily_due(self, now: datetime, zone: tzinfo, last_daily: str | None) -> str | None:
        """The client's local date when its daily run is due now (it has not had today's),
        else None."""
        if self.daily_at is None:
            return None
        local = now.astimezone(zone)
        if local.time() < self.daily_at:
            return None
        today = local.date().isoformat()
        return None if last_daily == today else today


def backoff(failures: int) -> float:
    """Seconds before the next try after `failures` failed syncs in a row (doubling, capped)."""
    return min(BACKOFF_CAP_SECONDS, BACKOFF_BASE_SECONDS * 2.0 ** (failures - 1))
