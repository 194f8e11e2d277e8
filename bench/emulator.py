"""The Google emulator in its own process, driven through its `/_emulator/...` control endpoints.

A separate process keeps the server's parsing, JSON encoding and cell store out of the
measured (client) process: its CPU time, its memory and its GIL are not charged to the client.
It is started through `bench/emulator_server.py` (Nagle off, per-request compute time logged).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import requests

from tests.fake_google.client import make_service_account_file

REPO = Path(__file__).resolve().parent.parent
SERVICE_EMAIL = "sheets-sync-bench@emulator-project.iam.gserviceaccount.com"


class EmulatorProcess:
    """`python -m tests.fake_google --port 0`, with seeding, latency and the request log."""

    def __init__(self) -> None:
        self._process = subprocess.Popen(
            [sys.executable, "-m", "bench.emulator_server", "--port", "0"],
            cwd=REPO,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self._process.stdout is not None
        self.url = self._process.stdout.readline().strip()
        if not self.url.startswith("http://"):
            self.stop()
            raise RuntimeError("the emulator did not start (no URL on its first line)")
        self.host_port = self.url.removeprefix("http://")
        self._session = requests.Session()

    @property
    def token_uri(self) -> str:
        return f"{self.url}/token"

    def key_file(self, path: Path) -> Path:
        """A service-account key (real RSA) whose token exchange goes to this emulator."""
        return make_service_account_file(path, self.token_uri, SERVICE_EMAIL)

    def _call(self, method: str, path: str, body: Any = None) -> Any:
        response = self._session.request(method, f"{self.url}{path}", json=body, timeout=600)
        response.raise_for_status()
        return response.json() if response.content else None

    def seed(self, title: str, tabs: dict[str, list[list[Any]]]) -> str:
        """A new spreadsheet holding these tabs (values typed as USER_ENTERED); its id."""
        body = {"title": title, "sheets": tabs, "shared_with": [SERVICE_EMAIL]}
        return str(self._call("POST", "/_emulator/spreadsheets", body)["spreadsheetId"])

    def set_latency(self, milliseconds: int) -> None:
        """Every request, the OAuth token exchange included, answers `milliseconds` late."""
        self._call("DELETE", "/_emulator/faults")
        if milliseconds > 0:
            fault = {"latency_ms": milliseconds, "include_token": True}
            self._call("POST", "/_emulator/faults", fault)

    def reset_requests(self) -> None:
        self._call("DELETE", "/_emulator/requests")

    def requests(self) -> list[dict[str, Any]]:
        """Every logged request since the last reset: `kind` is "api" (Sheets, Drive) or
        "token"; `server_ms` is the emulator's compute time for it (see emulator_server)."""
        entries: list[dict[str, Any]] = self._call("GET", "/_emulator/requests")
        return entries

    def stop(self) -> None:
        self._session.close()
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
