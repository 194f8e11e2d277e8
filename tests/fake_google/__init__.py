"""A local emulator of Google Sheets v4, Drive v3 and the OAuth2 token endpoint, for tests.

In-process::

    with FakeGoogle() as google:                      # real socket, port picked for you
        sid = google.create_spreadsheet("KPI", {"入力": [["date", "visits"]]})
        gc = client.emulator_client(google.host_port, service_account_file)   # real gspread
        ...
        assert google.values(sid, "入力") == [["date", "visits"]]

Standalone: ``python -m tests.fake_google --port 0`` prints ``http://127.0.0.1:PORT`` first.
Every service shares that origin: ``/v4/spreadsheets...``, ``/drive/v3/files...``,
``/upload/drive/...``, ``/token`` and ``/v1/projects/-/serviceAccounts/...``; the test-only
control endpoints live under ``/_emulator/`` (health, requests, faults, tokens, spreadsheets).
"""

from __future__ import annotations

from .fake import FakeGoogle
from .faults import Fault

__all__ = ["FakeGoogle", "Fault"]
