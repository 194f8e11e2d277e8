"""`python -m tests.fake_google` for the benchmark: Nagle off, each answer's compute time logged.

* Nagle: the emulator's handler writes an answer's headers and body in two `send` calls; with
  Nagle on, the body waits for the client's delayed ACK (about 40 ms on Linux) on every
  request. Google's front ends do not do that, and the stall would be charged per request —
  mostly to the implementations that make many requests — so it is switched off.
* Compute time: the emulator is pure Python; building a large answer (a 20,000-row
  `includeGridData` read) takes it far longer than Google's servers. Each logged request gets
  `server_ms`, the time spent routing, encoding and gzipping the answer (injected latency
  excluded), so the benchmark can show the client's own time beside the end-to-end time.

Both are attached from outside (no file under tests/ is changed); if the emulator's internals
move, the instrumentation quietly switches itself off and `server_ms` is simply absent.
"""

from __future__ import annotations

import functools
import gzip
import sys
import threading
import time
from typing import Any

from tests.fake_google import __main__ as emulator_main
from tests.fake_google import server
from tests.fake_google.app import App
from tests.fake_google.reqlog import RequestLog

server._Handler.disable_nagle_algorithm = True  # socketserver sets TCP_NODELAY in setup()

_local = threading.local()


def _instrument() -> None:
    route = getattr(App, "_route", None)
    finish = getattr(RequestLog, "finish", None)
    if route is None or finish is None:
        return

    @functools.wraps(route)
    def timed_route(self: Any, *args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return route(self, *args, **kwargs)
        finally:
            _local.server_ms = (time.perf_counter() - start) * 1000

    # A request is logged on arrival and finished once answered, in the same thread: the
    # answer's compute time is attached when it finishes.
    @functools.wraps(finish)
    def finish_with_time(self: Any, entry: dict[str, Any], status: int) -> None:
        elapsed = getattr(_local, "server_ms", None)
        _local.server_ms = None
        _local.entry = entry  # the answer's gzip, next, is charged to it too
        if elapsed is not None:
            entry["server_ms"] = round(elapsed, 3)
        finish(self, entry, status)

    # Compressing a 10 MB answer is the server's work (Google's takes next to nothing), not
    # the client's: its time is added to the request it answers.
    # (This process is the emulator alone, so the stdlib's function is wrapped in place.)
    compress = gzip.compress

    def timed_compress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        start = time.perf_counter()
        try:
            return bytes(compress(data, *args, **kwargs))
        finally:
            entry = getattr(_local, "entry", None)
            if entry is not None and "server_ms" in entry:
                elapsed_ms = (time.perf_counter() - start) * 1000
                entry["server_ms"] = round(entry["server_ms"] + elapsed_ms, 3)

    App._route = timed_route  # type: ignore[method-assign]
    RequestLog.finish = finish_with_time  # type: ignore[method-assign]
    gzip.compress = timed_compress  # type: ignore[assignment]


_instrument()

if __name__ == "__main__":
    sys.exit(emulator_main.main())
