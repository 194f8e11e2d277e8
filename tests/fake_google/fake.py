"""``FakeGoogle``: start/stop the emulator in-process and seed or inspect its state directly."""

from __future__ import annotations

from types import TracebackType
from typing import Any

from . import seed
from .app import App
from .faults import Fault, fault_from_json
from .server import EmulatorHTTPServer, start


class FakeGoogle:
    """A local Sheets v4 / Drive v3 / OAuth2 emulator on a real socket.

    >>> with FakeGoogle() as google:
    ...     sid = google.create_spreadsheet("KPI", {"Input": [["date", "visits"]]})
    """

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = App()
        self._host = host
        self._port = port
        self._httpd: EmulatorHTTPServer | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self) -> FakeGoogle:
        """Serve in a background thread (port 0 picks a free port)."""
        if self._httpd is None:
            self.app.stopping.clear()
            self._httpd, _ = start(self.app, self._host, self._port)
        return self

    def stop(self) -> None:
        """Stop serving and release the port (slow/hung answers are cut short)."""
        httpd, self._httpd = self._httpd, None
        if httpd is not None:
            self.app.stopping.set()
            httpd.shutdown()
            httpd.server_close()

    def __enter__(self) -> FakeGoogle:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def host_port(self) -> str:
        """``127.0.0.1:PORT`` (the value for ``SHEETS_EMULATOR_HOST``)."""
        if self._httpd is None:
            raise RuntimeError("FakeGoogle is not started")
        host, port = self._httpd.server_address[:2]
        return f"{host!s}:{port}"

    @property
    def url(self) -> str:
        """``http://127.0.0.1:PORT``: every emulated Google service lives under it."""
        return f"http://{self.host_port}"

    @property
    def token_uri(self) -> str:
        """The OAuth2 token endpoint (for a service-account file's ``token_uri``)."""
        return f"{self.url}/token"

    # ------------------------------------------------------------------ state

    def create_spreadsheet(
        self,
        title: str,
        sheets: dict[str, list[list[Any]]] | None = None,
        *,
        shared_with: set[str] | None = None,
        value_input_option: str = "USER_ENTERED",
        spreadsheet_id: str | None = None,
        owner: str = seed.SEED_OWNER,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
    ) -> str:
        """Create a spreadsheet (sheet title -> rows); returns its id. See ``seed``."""
        return seed.create_spreadsheet(
            self.app.store,
            title,
            sheets,
            shared_with=shared_with,
            value_input_option=value_input_option,
            spreadsheet_id=spreadsheet_id,
            owner=owner,
            locale=locale,
            time_zone=time_zone,
        )

    def values(
        self, spreadsheet_id: str, sheet_title: str, render: str = "UNFORMATTED_VALUE"
    ) -> list[list[Any]]:
        """A sheet's (or A1 range's) effective values, trimmed; formulas show as ``""`` unless
        ``render="FORMULA"``; ``render="FORMATTED_VALUE"`` gives the displayed strings."""
        with self.app.store.lock:
            spreadsheet = seed.spreadsheet(self.app.store, spreadsheet_id)
            is_title = spreadsheet.sheet_by_title(sheet_title) is not None
        text = "'" + sheet_title.replace("'", "''") + "'" if is_title else sheet_title
        return seed.values(self.app.store, spreadsheet_id, text, render)

    def cell(self, spreadsheet_id: str, a1: str) -> dict[str, Any]:
        """One cell as API ``CellData`` (userEnteredValue, effectiveValue, formats, note...)."""
        return seed.cell(self.app.store, spreadsheet_id, a1)

    def metadata(self, spreadsheet_id: str, include_grid: bool = False) -> dict[str, Any]:
        """The spreadsheet resource as ``spreadsheets.get`` returns it."""
        return seed.metadata(self.app.store, spreadsheet_id, include_grid)

    def sheet_titles(self, spreadsheet_id: str) -> list[str]:
        """Sheet titles in tab order."""
        with self.app.store.lock:
            return [s.title for s in seed.spreadsheet(self.app.store, spreadsheet_id).sheets]

    def spreadsheet_ids(self) -> list[str]:
        """Ids of all live spreadsheets, oldest first."""
        with self.app.store.lock:
            return [
                f.file_id
                for f in self.app.store.files.values()
                if f.spreadsheet is not None and not f.trashed
            ]

    def share(self, spreadsheet_id: str, email: str) -> None:
        """Let ``email`` open a spreadsheet created with ``shared_with``."""
        with self.app.store.lock:
            found = self.app.store.get(spreadsheet_id)
            if found is None:
                raise KeyError(spreadsheet_id)
            if found.shared_with is not None:
                found.shared_with.add(email)

    # ------------------------------------------------------------------ log, faults, tokens

    def requests(self, kind: str | None = None) -> list[dict[str, Any]]:
        """Logged requests ``{"method", "path", "query", "status", "kind"[, "faults"]}``;
        ``kind`` "api" or "token" filters."""
        return self.app.log.entries(kind)

    def reset_requests(self) -> None:
        """Clear the request log."""
        self.app.log.clear()

    def add_fault(self, fault: dict[str, Any] | Fault | None = None, **fields: Any) -> None:
        """Add one fault rule, e.g. ``add_fault(status=429, count=3)`` (see ``Fault``)."""
        if isinstance(fault, Fault):
            self.app.faults.add(fault)
        else:
            self.app.faults.add(fault_from_json({**(fault or {}), **fields}))

    def set_faults(self, *faults: dict[str, Any] | Fault, **fields: Any) -> None:
        """Replace all fault rules: ``set_faults(status=503, count=-1)`` or several dicts."""
        self.app.faults.clear()
        for fault in faults:
            self.add_fault(fault)
        if fields:
            self.add_fault(**fields)

    def clear_faults(self) -> None:
        """Remove every fault rule."""
        self.app.faults.clear()

    def revoke_tokens(self) -> None:
        """Invalidate all access tokens (clients get 401 and must refresh)."""
        self.app.tokens.revoke_all()
