"""The emulator's request pipeline: classify, inject faults, authenticate, route and log."""

from __future__ import annotations

import sys
import threading
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

from . import control, drive_api, oauth, sheets_api
from .errors import DEFAULT_MESSAGES, ApiError, error_body
from .faults import Faults
from .protocol import Request, Response, json_response
from .reqlog import RequestLog
from .store import Store

TOKEN_PATHS = ("/token", "/oauth2/v4/token", "/o/oauth2/token")


@dataclass
class Outcome:
    """The answer to send, or ``reset`` to drop the connection without one."""

    response: Response | None
    reset: bool = False


def classify(path: str) -> str:
    """``token`` (OAuth/IAM), ``emulator`` (control endpoints) or ``api``."""
    if path in TOKEN_PATHS or path.startswith("/v1/projects/"):
        return "token"
    if path.startswith("/_emulator"):
        return "emulator"
    return "api"


class App:
    """All emulator state plus the logic that answers one request."""

    def __init__(self) -> None:
        self.store = Store()
        self.tokens = oauth.Tokens()
        self.faults = Faults()
        self.log = RequestLog()
        self.stopping = threading.Event()

    def serve(self, req: Request) -> Outcome:
        """Answer ``req`` (called from the HTTP handler's thread)."""
        kind = classify(req.path)
        if kind == "emulator":
            return Outcome(self._guard(lambda: control.handle(self, req)))
        path = unquote(req.path)
        decision = self.faults.decide(req.method, path, kind)
        entry: dict[str, Any] = {
            "method": req.method,
            "path": path,
            "query": {k: v[0] if len(v) == 1 else list(v) for k, v in req.query.items()},
            "kind": kind,
            "status": None,  # in flight; set when the answer is decided
        }
        if decision.applied:
            entry["faults"] = list(decision.applied)
        # Logged on arrival: a request that hangs past the end of one test is not counted in
        # the next test's log once that test has called reset_requests().
        self.log.add(entry)
        if decision.delay_s:
            self.stopping.wait(decision.delay_s)
        if decision.reset:
            self.log.finish(entry, 0)
            return Outcome(None, reset=True)
        if decision.status is not None:
            headers: dict[str, str] = {}
            if decision.retry_after is not None:
                seconds = decision.retry_after
                headers["Retry-After"] = str(int(seconds) if seconds.is_integer() else seconds)
            response = json_response(
                error_body(decision.status, decision.message), decision.status, headers
            )
        else:
            response = self._guard(lambda: self._route(req, kind))
        self.log.finish(entry, response.status)
        return Outcome(response)

    def _route(self, req: Request, kind: str) -> Response:
        """Dispatch by path after authentication (token endpoints need none)."""
        if kind == "token":
            if req.path in TOKEN_PATHS:
                return oauth.token_endpoint(self.tokens, req)
            return oauth.iam_endpoint(self.tokens, req)
        segments = req.segments
        if segments[:2] == ["v4", "spreadsheets"]:
            req.caller = oauth.authenticate(self.tokens, req)
            return sheets_api.handle(self.store, req)
        if segments[:2] == ["drive", "v3"] or segments[:1] == ["upload"]:
            req.caller = oauth.authenticate(self.tokens, req)
            return drive_api.handle(self.store, req)
        raise ApiError(404, f"The requested URL {req.path} was not found on this server.")

    @staticmethod
    def _guard(action: Callable[[], Response]) -> Response:
        """Run a handler, turning ApiError into Google's error JSON and crashes into 500."""
        try:
            return action()
        except ApiError as exc:
            return json_response(exc.body, exc.code, exc.headers)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            return json_response(error_body(500, DEFAULT_MESSAGES[500]), 500)
