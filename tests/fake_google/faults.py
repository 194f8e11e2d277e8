"""Injected faults: error statuses, latency, hangs and connection resets, scoped and counted."""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Any

_FIELDS = (
    "status",
    "count",
    "latency_ms",
    "hang_ms",
    "reset_connection",
    "retry_after",
    "path_contains",
    "method",
    "include_token",
    "message",
)


@dataclass
class Fault:
    """One fault rule.

    ``status`` answers that HTTP status with Google's error JSON; ``reset_connection`` closes
    the socket without answering; ``hang_ms`` delays the answer (to trip client timeouts);
    ``latency_ms`` delays every matching request. ``count`` is how many requests the rule
    affects (-1 = until cleared; default 1, or -1 for a latency-only rule). ``path_contains``
    and ``method`` scope it; token/IAM calls are spared unless ``include_token``.
    ``retry_after`` adds a ``Retry-After`` header (seconds) to the error answer.
    """

    status: int | None = None
    count: int = 1
    latency_ms: int = 0
    hang_ms: int = 0
    reset_connection: bool = False
    retry_after: float | None = None
    path_contains: str | None = None
    method: str | None = None
    include_token: bool = False
    message: str | None = None

    @property
    def is_action(self) -> bool:
        """True when the rule changes the answer (not just its timing)."""
        return self.status is not None or self.reset_connection or self.hang_ms > 0

    def matches(self, method: str, path: str, kind: str) -> bool:
        """True when the rule applies to this request."""
        if kind == "token" and not self.include_token:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        return not (self.path_contains and self.path_contains not in path)

    def to_json(self) -> dict[str, Any]:
        """The rule as JSON (for ``GET /_emulator/faults``)."""
        return {k: v for k, v in asdict(self).items() if v not in (None, False, 0) or k == "count"}


def fault_from_json(data: Any) -> Fault:
    """Build a Fault from JSON like ``{"status": 429, "count": 3}``; ValueError when invalid."""
    if not isinstance(data, dict):
        raise ValueError("a fault must be a JSON object")
    unknown = set(data) - set(_FIELDS)
    if unknown:
        raise ValueError(f"unknown fault field(s): {', '.join(sorted(unknown))}")
    fault = Fault(
        status=int(data["status"]) if data.get("status") is not None else None,
        latency_ms=int(data.get("latency_ms") or 0),
        hang_ms=int(data.get("hang_ms") or 0),
        reset_connection=bool(data.get("reset_connection", False)),
        retry_after=float(data["retry_after"]) if data.get("retry_after") is not None else None,
        path_contains=str(data["path_contains"]) if data.get("path_contains") else None,
        method=str(data["method"]) if data.get("method") else None,
        include_token=bool(data.get("include_token", False)),
        message=str(data["message"]) if data.get("message") else None,
    )
    if "count" in data:
        fault.count = int(data["count"])
    elif not fault.is_action:
        fault.count = -1
    if fault.status is not None and not 400 <= fault.status <= 599:
        raise ValueError("status must be an HTTP error status (400-599)")
    if not fault.is_action and not fault.latency_ms:
        raise ValueError("a fault needs status, reset_connection, hang_ms or latency_ms")
    if fault.count == 0 or fault.count < -1:
        raise ValueError("count must be positive, or -1 for 'until cleared'")
    return fault


@dataclass
class Decision:
    """What to do with one request: wait, then answer normally / with a status / reset."""

    delay_s: float = 0.0
    status: int | None = None
    reset: bool = False
    retry_after: float | None = None
    message: str | None = None
    applied: list[str] = field(default_factory=list)


class Faults:
    """The active fault rules, consumed in order (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rules: list[Fault] = []

    def add(self, fault: Fault) -> None:
        """Append a rule."""
        with self._lock:
            self._rules.append(fault)

    def clear(self) -> None:
        """Remove every rule."""
        with self._lock:
            self._rules.clear()

    def list(self) -> list[dict[str, Any]]:
        """The remaining rules as JSON."""
        with self._lock:
            return [rule.to_json() for rule in self._rules]

    def decide(self, method: str, path: str, kind: str) -> Decision:
        """Consume matching rules: every latency rule adds delay; the first action rule acts."""
        decision = Decision()
        acted = False
        with self._lock:
            for rule in list(self._rules):
                if not rule.matches(method, path, kind):
                    continue
                used = False
                if rule.latency_ms:
                    decision.delay_s += rule.latency_ms / 1000
                    decision.applied.append("latency")
                    used = True
                if rule.is_action and not acted:
                    acted = used = True
                    decision.delay_s += rule.hang_ms / 1000
                    if rule.hang_ms:
                        decision.applied.append("hang")
                    if rule.reset_connection:
                        decision.reset = True
                        decision.applied.append("reset_connection")
                    elif rule.status is not None:
                        decision.status = rule.status
                        decision.retry_after = rule.retry_after
                        decision.message = rule.message
                        decision.applied.append(f"status:{rule.status}")
                if used and rule.count > 0:
                    rule.count -= 1
                    if rule.count == 0:
                        self._rules.remove(rule)
        return decision
