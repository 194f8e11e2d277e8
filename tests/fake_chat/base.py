"""A small real HTTP server on loopback for one chat service: it checks each request the way
the service documents it, keeps what it accepted, and can be told to answer the next requests
with 429 (and Retry-After), 500, or a dropped connection."""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, urlsplit

TRICKLE_BYTES = 1000  # ten seconds of a body that never ends


@dataclass(frozen=True)
class Request:
    """One request as the fake saw it."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))

    def form(self) -> dict[str, str]:
        pairs = parse_qs(self.body.decode("utf-8"), keep_blank_values=True)
        return {key: values[-1] for key, values in pairs.items()}

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass(frozen=True)
class Answer:
    status: int = 200
    body: Any = b""  # bytes, str, or JSON
    headers: dict[str, str] = field(default_factory=dict)


class Reject(Exception):
    """The request is not what the service's documentation says: answered with `status`."""

    def __init__(self, status: int, why: str) -> None:
        super().__init__(why)
        self.status = status
        self.why = why


class FakeChat:
    """Base of the fakes: a ThreadingHTTPServer whose handler asks `handle` for the answer."""

    def __init__(self) -> None:
        self.requests: list[Request] = []  # every request that arrived, faults included
        self.rejected: list[str] = []  # why each refused request was refused
        self._faults: deque[str] = deque()
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self.trickled = 0  # bytes of a "trickle" body written before the client hung up

    # -- what a test uses ----------------------------------------------------------------
    @property
    def url(self) -> str:
        assert self._server is not None, "not started"
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def fail_next(self, *faults: str) -> None:
        """Answer the next requests with these, in order: "429" or "429:<Retry-After>",
        "500", "503", "drop" (read the request, then close without an answer), or
        "302:<Location>" (any 3xx: a redirect elsewhere), or "trickle" (200, then a body
        that never ends: one byte every 10 ms, up to TRICKLE_BYTES, counted in `trickled`)."""
        with self._lock:
            self._faults.extend(faults)

    def handle(self, request: Request) -> Answer:  # pragma: no cover - each fake has its own
        raise NotImplementedError

    # -- the server -------------------------------------------------------------------------
    def start(self) -> FakeChat:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:
                """Quiet."""

            def do_POST(self) -> None:
                fake._serve(self)

            def do_GET(self) -> None:
                fake._serve(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeChat:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _serve(self, handler: BaseHTTPRequestHandler) -> None:
        parts = urlsplit(handler.path)
        length = int(handler.headers.get("Content-Length") or 0)
        request = Request(
            handler.command,
            parts.path,
            parse_qs(parts.query, keep_blank_values=True),
            {name.lower(): value for name, value in handler.headers.items()},
            handler.rfile.read(length) if length else b"",
        )
        with self._lock:
            self.requests.append(request)
            fault = self._faults.popleft() if self._faults else None
        if fault == "trickle":
            self._trickle(handler)
            return
        if fault == "drop":
            handler.close_connection = True  # no answer at all: the client sees it dropped
            return
        if fault is not None:
            status, _, value = fault.partition(":")
            where = "Location" if status.startswith("3") else "Retry-After"
            headers = {where: value} if value else {}
            self._write(handler, Answer(int(status), {"error": "fault"}, headers))
            return
        try:
            with self._lock:
                answer = self.handle(request)
        except Reject as reject:
            self.rejected.append(reject.why)
            answer = Answer(reject.status, {"errors": [reject.why]})
        self._write(handler, answer)

    def _trickle(self, handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Transfer-Encoding", "chunked")
        handler.end_headers()
        handler.close_connection = True
        try:
            for _ in range(TRICKLE_BYTES):
                handler.wfile.write(b"1\r\nx\r\n")
                handler.wfile.flush()
                self.trickled += 1
                time.sleep(0.01)
        except OSError:
            return  # the client hung up

    @staticmethod
    def _write(handler: BaseHTTPRequestHandler, answer: Answer) -> None:
        body = answer.body
        kind = "text/plain; charset=utf-8"
        if not isinstance(body, bytes | str):
            body, kind = json.dumps(body), "application/json; charset=utf-8"
        data = body.encode("utf-8") if isinstance(body, str) else body
        handler.send_response(answer.status)
        handler.send_header("Content-Type", kind)
        handler.send_header("Content-Length", str(len(data)))
        for name, value in answer.headers.items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)


def require(condition: bool, why: str, status: int = 400) -> None:
    """Refuse the request (as the service would) when `condition` does not hold."""
    if not condition:
        raise Reject(status, why)


def content_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()
