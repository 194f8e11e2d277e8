"""When the watch looks and syncs, as pure rules: the quiet-spell pace, the debounce, the
daily duties in the client's zone, and the backoff after failures."""

from __future__ import annotations

from datetime import UTC, datetime
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.consultant.watch_schedule import (
    BACKOFF_BASE_SECONDS,
    BACKOFF_CAP_SECONDS,
    MAX_SETTLE_SECONDS,
    Schedule,
    backoff,
    parse_daily_at,
)
from sheets_sync.errors import UsageError

TOKYO = ZoneInfo("Asia/Tokyo")


def test_the_pace_is_interval_and_one_and_a_half_times_it_when_quiet() -> None:
    """By default the quiet pace is 1.5 x interval; an idle interval below it is refused."""
    schedule = Schedule(interval=10, debounce=10)
    assert schedule.next_wait(idle=False) == 10 and schedule.next_wait(idle=True) == 15
    assert Schedule(interval=10, idle_interval=30).next_wait(idle=True) == 30
    for wrong in ({"interval": 0}, {"debounce": -1}, {"interval": 10, "idle_interval": 5}):
        with pytest.raises(UsageError):
            Schedule(**wrong)  # type: ignore[arg-type]


def test_changes_settle_after_the_debounce_or_when_typing_never_pauses() -> None:
    """Quiet for `debounce` (a little slack for a poll's drift), or typed on for two minutes
    past it."""
    schedule = Schedule(interval=10, debounce=10)
    assert not schedule.settled(first_change=0, last_change=0, now=9.0)
    assert schedule.settled(first_change=0, last_change=0, now=9.6)
    typing = MAX_SETTLE_SECONDS + 10
    assert not schedule.settled(first_change=0, last_change=typing - 1, now=typing - 0.5)
    assert schedule.settled(first_change=0, last_change=typing, now=typing)


def test_the_daily_run_is_due_once_a_day_from_its_time_in_the_clients_zone() -> None:
    """07:30 in Tokyo is 22:30 UTC the day before; due once that local day."""
    schedule = Schedule(daily_at=parse_daily_at("07:30"))
    before = datetime(2026, 11, 19, 22, 29, tzinfo=UTC)
    at = datetime(2026, 11, 19, 22, 30, tzinfo=UTC)
    assert schedule.daily_due(before, TOKYO, None) is None
    assert schedule.daily_due(at, TOKYO, None) == "2026-11-20"
    assert schedule.daily_due(at, TOKYO, "2026-11-20") is None
    assert Schedule().daily_due(at, TOKYO, None) is None
    assert parse_daily_at(None) is None and parse_daily_at(" 7:05") == clock_time(7, 5)
    with pytest.raises(UsageError):
        parse_daily_at("7時")


def test_the_backoff_doubles_from_30_seconds_up_to_an_hour() -> None:
    """30, 60, 120 … seconds, never more than an hour."""
    assert [backoff(n) for n in (1, 2, 3)] == [BACKOFF_BASE_SECONDS * f for f in (1, 2, 4)]
    assert backoff(50) == BACKOFF_CAP_SECONDS
