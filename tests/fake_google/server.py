"""The HTTP layer: a ThreadingHTTPServer whose handler hands each request to the App."""

from __future__ import annotations

import contextlib
import gzip
import socket
import struct
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

from .app import App
from .protocol import Request, Response


class EmulatorHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server that carries the App its handlers use."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], app: App) -> None:
        self.app = app
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    """Parses one HTTP/1.1 request, asks the App, writes (or withholds) the answer."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # headers and body go out as two writes: no 40 ms stalls
    server_version = "FakeGoogle/1.0"
    sys_version = ""
    server: EmulatorHTTPServer

    def log_message(self, format: str, *args: object) -> None:
        """Stay quiet; the App keeps its own request log."""

    def do_GET(self) -> None:
        """GET."""
        self._handle()

    def do_POST(self) -> None:
        """POST."""
        self._handle()

    def do_PUT(self) -> None:
        """PUT."""
        self._handle()

    def do_PATCH(self) -> None:
        """PATCH."""
        self._handle()

    def do_DELETE(self) -> None:
        """DELETE."""
        self._handle()

    def _read_body(self) -> bytes:
        """The request body (Content-Length or chunked)."""
        if "chunked" in (self.headers.get("Transfer-Encoding") or "").lower():
            chunks = []
            while True:
                size = int(self.rfile.readline().split(b";")[0].strip() or b"0", 16)
                if size == 0:
                    self.rfile.readline()
                    break
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            return b"".join(chunks)
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _handle(self) -> None:
        """Build a Request, serve it, and write the answer or reset the connection."""
        parts = urlsplit(self.path)
        req = Request(
            method=self.command,
            path=parts.path or "/",
            query=parse_qs(parts.query, keep_blank_values=True),
            headers={k.lower(): v for k, v in self.headers.items()},
            body=self._read_body(),
        )
        outcome = self.server.app.serve(req)
        if outcome.reset or outcome.response is None:
            self._reset()
            return
        self._send(outcome.response, gzip_ok=accepts_gzip(req.headers.get("accept-encoding", "")))

    def _send(self, response: Response, *, gzip_ok: bool = False) -> None:
        """Write status, headers and body (gzip-compressed when the client asked for it, as
        Google does); a client that went away is not an error."""
        body = response.body
        compressed = gzip_ok and len(body) > 0
        if compressed:
            body = gzip.compress(body, compresslevel=6)
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(body)))
            if compressed:
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Vary", "Accept-Encoding")
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def _reset(self) -> None:
        """Close the socket with an RST and no answer (SO_LINGER 0)."""
        self.close_connection = True
        with contextlib.suppress(OSError):
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()


def accepts_gzip(accept_encoding: str) -> bool:
    """True when an Accept-Encoding header lists gzip (or *) without q=0."""
    for part in accept_encoding.lower().split(","):
        coding, _, params = part.strip().partition(";")
        if coding.strip() in ("gzip", "*"):
            quality = params.strip().removeprefix("q=")
            return not (params.strip().startswith("q=") and _is_zero(quality))
    return False


def _is_zero(text: str) -> bool:
    try:
        return float(text) == 0
    except ValueError:
        return False


def start(
    app: App, host: str = "127.0.0.1", port: int = 0
) -> tuple[EmulatorHTTPServer, threading.Thread]:
    """Bind and serve in a daemon thread; returns the server and its thread."""
    httpd = EmulatorHTTPServer((host, port), app)
    thread = threading.Thread(
        target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, name="fake-google", daemon=True
    )
    thread.start()
    return httpd, thread
