"""`sheets-sync watch` as a real service process: SIGTERM while a sync is writing lets that
sync finish (nothing half-written), exits 0, and a second watch on the same folder is refused."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from sheets_sync.consultant import watch_status
from tests.fake_google import FakeGoogle
from tests.support.watching import BAD_DATE, Staff, checks_show, google_client, xlsx_client

REPO = Path(__file__).resolve().parent.parent
WAIT = 120.0  # generous bounds on a busy machine; nothing is asserted about time


class Service:
    """`python -m sheets_sync watch DIR` in a subprocess, its stderr read line by line."""

    def __init__(self, folder: Path, server: FakeGoogle | None, *args: str) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        env.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
        if server is not None:
            env["SHEETS_EMULATOR_HOST"] = server.host_port
        command = [sys.executable, "-m", "sheets_sync", "-v", "watch", str(folder), *args]
        self.process = subprocess.Popen(
            command, cwd=REPO, env=env, stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.put(line)

    def wait_for(self, text: str) -> str:
        """The first stderr line containing `text` (fails if the process ends first)."""
        while True:
            try:
                line = self.lines.get(timeout=WAIT)
            except queue.Empty:
                pytest.fail(f"no line with {text!r}; got: {''.join(self.seen)}")
            self.seen.append(line)
            if text in line:
                return line

    def output(self) -> str:
        """Everything it wrote to stderr (once it has exited)."""
        self._reader.join(timeout=WAIT)
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return "".join(self.seen)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def until(condition: Callable[[], bool]) -> None:
    """Wait (bounded) until `condition` holds, e.g. the first poll wrote its page token."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("the watch never got there")
        time.sleep(0.05)


@pytest.fixture
def services() -> Iterator[list[Service]]:
    started: list[Service] = []
    yield started
    for service in started:
        service.stop()


def test_sigterm_during_a_sync_finishes_it_and_exits_0(
    tmp_path: Path, google_env: FakeGoogle, services: list[Service]
) -> None:
    """The write is slowed down; SIGTERM arrives after the sync started: the watch waits for
    it, the Checks tab is complete, the status file says ok, and the exit code is 0."""
    key = google_client(tmp_path, google_env, "さくら")
    service = Service(tmp_path, google_env, "--interval", "0.2", "--debounce", "0")
    services.append(service)
    service.wait_for(": 1 client, every 0.2s")
    until(lambda: bool(getattr(watch_status.load(tmp_path), "bookmarks", None)))
    google_env.add_fault(latency_ms=1500, path_contains=":batchUpdate", count=-1)
    Staff(google_env, tmp_path).type_evidence(key, 5)
    service.wait_for("syncing (edit)")
    service.process.send_signal(signal.SIGTERM)
    assert service.process.wait(timeout=WAIT) == 0
    rest = service.output()
    assert "SIGTERM received; stopping after the syncs in flight" in rest
    assert "さくら: ok" in rest
    google_env.clear_faults()
    assert checks_show(google_env, key, BAD_DATE)
    state = watch_status.load(tmp_path)
    assert state is not None and state.clients["さくら.toml"].result == "ok"


def test_a_second_watch_on_the_same_folder_is_refused_with_exit_5(
    tmp_path: Path, services: list[Service]
) -> None:
    """Two watches would sync every client twice: the second says so and exits 5."""
    xlsx_client(tmp_path, "shop")
    first = Service(tmp_path, None, "--interval", "0.2")
    services.append(first)
    first.wait_for(": 1 client, every 0.2s")
    second = Service(tmp_path, None)
    services.append(second)
    assert second.process.wait(timeout=WAIT) == 5
    assert "already watching" in second.wait_for("already watching")
    first.process.send_signal(signal.SIGINT)
    assert first.process.wait(timeout=WAIT) == 0
