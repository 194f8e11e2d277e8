"""The request log: one entry per API/token request, for tests to count and inspect calls."""

from __future__ import annotations

import copy
import threading
from typing import Any


class RequestLog:
    """Thread-safe list of ``{"method", "path", "query", "status", "kind", ...}`` entries,
    each added when its request arrives (``status`` is None until it is answered)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: list[dict[str, Any]] = []

    def add(self, entry: dict[str, Any]) -> None:
        """Record one request as it arrives."""
        with self._lock:
            self._entries.append(entry)

    def finish(self, entry: dict[str, Any], status: int) -> None:
        """Set the status of a request logged on arrival (it may have been cleared since)."""
        with self._lock:
            entry["status"] = status

    def entries(self, kind: str | None = None) -> list[dict[str, Any]]:
        """A copy of the entries, optionally only those of ``kind`` ("api" or "token")."""
        with self._lock:
            chosen = [e for e in self._entries if kind is None or e.get("kind") == kind]
            return copy.deepcopy(chosen)

    def clear(self) -> None:
        """Forget every entry."""
        with self._lock:
            self._entries.clear()
