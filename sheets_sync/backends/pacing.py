"""The retry backoff and the shared rate limit, from their neutral home (chat uses them too)."""

from __future__ import annotations

from ..pacing import RateLimiter, RetryPolicy

__all__ = ["RateLimiter", "RetryPolicy"]
