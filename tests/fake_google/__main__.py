"""Run the emulator standalone: ``python -m tests.fake_google --port 0`` prints its URL first."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
from types import FrameType

from .fake import FakeGoogle


def main(argv: list[str] | None = None) -> int:
    """Serve until interrupted; the first stdout line is the base URL."""
    parser = argparse.ArgumentParser(prog="python -m tests.fake_google", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (127.0.0.1)")
    parser.add_argument("--port", type=int, default=0, help="port to bind; 0 picks a free one")
    args = parser.parse_args(argv)
    done = threading.Event()

    def on_signal(signum: int, frame: FrameType | None) -> None:
        done.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    google = FakeGoogle(args.host, args.port).start()
    print(google.url, flush=True)
    try:
        while not done.wait(0.5):
            pass
    finally:
        google.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
