"""How fast and how often a service may be called: retry backoff and a shared rate limit (the
Google backend and the chat channels alike)."""

from __future__ import annotations

import bisect
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

__all__ = ["RateLimiter", "RetryPolicy"]


@dataclass(frozen=True)
class RetryPolicy:
    """Capped exponential backoff with jitter, bounded in attempts and in total time."""

    attempts: int = 6
    base_seconds: float = 1.0
    cap_seconds: float = 32.0
    total_seconds: float = 120.0

    def delay(self, attempt: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `attempt` (1-based)."""
        backoff = min(self.cap_seconds, self.base_seconds * 2 ** (attempt - 1))
        jittered = backoff * random.uniform(0.5, 1.0)
        return float(max(jittered, retry_after or 0.0))


_TOKEN_EPSILON = 1e-9


class RateLimiter:
    """A token bucket shared by every client of a `sync-all` run, so together they stay
    under the Sheets quota (requests per minute per user). With `keep_times` it also remembers
    when each request went out, for the run's figures (`requests`, `peak`); a process that
    runs for days (`watch`) keeps none."""

    def __init__(
        self,
        per_minute: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
        keep_times: bool = False,
    ) -> None:
        self.interval = 60.0 / per_minute
        self.capacity = max(1.0, per_minute / 6)  # allow a short burst of 10 s worth
        self.clock = clock  # injectable, so tests run on a fake clock instead of wall time
        self._sleep = sleep
        self._tokens = self.capacity
        self._updated = clock()
        self._lock = threading.Lock()
        self.waited_seconds = 0.0
        self._times: list[float] | None = [] if keep_times else None

    def acquire(self) -> None:
        while True:
            with self._lock:
                now = self.clock()
                self._tokens = min(
                    self.capacity, self._tokens + (now - self._updated) / self.interval
                )
                self._updated = now
                # A wait of exactly (1 - tokens) intervals may refill to 0.999…: that is a token
                # (else the next wait is too small to move the clock, and it spins).
                if self._tokens >= 1 - _TOKEN_EPSILON:
                    self._tokens = max(0.0, self._tokens - 1)
                    if self._times is not None:
                        self._times.append(now)
                    return
                wait = (1 - self._tokens) * self.interval
            self.waited_seconds += wait
            self._sleep(wait)

    @property
    def requests(self) -> int:
        """How many requests went out (with `keep_times`; else 0)."""
        with self._lock:
            return len(self._times or ())

    def peak(self, window_seconds: float) -> int:
        """The most requests that went out within any `window_seconds` (what a quota counts)."""
        with self._lock:
            times = sorted(self._times or ())
        best = 0
        for index, start in enumerate(times):
            end = bisect.bisect_left(times, start + window_seconds, lo=index)
            best = max(best, end - index)
        return best
