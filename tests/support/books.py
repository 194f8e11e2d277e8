"""A workbook on either backend as staff change it (tabs renamed, added, charts), and what the sync
then wrote and sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from sheets_sync.backends.google import MARKER_KEY
from sheets_sync.config import load_config
from sheets_sync.core.report import Check
from sheets_sync.run.sync import RunOptions, RunResult, run
from sheets_sync.sheet.schema import CHECKS_COLUMNS, LOG_COLUMNS
from tests.fake_google import FakeGoogle
from tests.fake_google.client import emulator_client, make_service_account_file
from tests.support.google import SERVICE_EMAIL, google_config
from tests.support.workbooks import (
    BASELINE_TODAY,
    Tabs,
    baseline,
    config_file,
    write_xlsx,
)

DUE_DAY = date(2026, 11, 21)  # cycle 2's agenda is due (meeting 11-22, send_days_before = 1)


QUIET = RunOptions(as_of=BASELINE_TODAY, no_agenda=True)


CHECKS_JA = [ja for _, ja, _, _ in CHECKS_COLUMNS]


LOG_JA = [ja for _, ja, _, _ in LOG_COLUMNS]


@dataclass
class Book:
    """One client's workbook on one backend, with what the tests look at."""

    backend: str
    folder: Path
    server: FakeGoogle | None = None
    config: Path | None = None

    def make(self, tabs: Tabs, **top: str) -> Path:
        if self.server is None:
            write_xlsx(self.folder / "book.xlsx", tabs)
            self.config = config_file(self.folder, **top)
        else:
            make_service_account_file(
                self.folder / "key.json", self.server.token_uri, SERVICE_EMAIL
            )
            key = self.server.create_spreadsheet("テスト店", tabs, shared_with={SERVICE_EMAIL})
            self.config = google_config(self.folder, key, **top)
        return self.config

    @property
    def key(self) -> str:
        assert self.config is not None
        url = load_config(self.config).sheet.spreadsheet or ""
        return url.split("/d/")[1].split("/")[0]

    def titles(self) -> list[str]:
        if self.server is None:
            return list(load_workbook(self.folder / "book.xlsx").sheetnames)
        return self.server.sheet_titles(self.key)

    def values(self, title: str) -> list[list[Any]]:
        """A tab's values, trailing blanks trimmed, the same shape on both backends."""
        if self.server is not None:
            rows = self.server.values(self.key, title)
        else:
            sheet = load_workbook(self.folder / "book.xlsx")[title]
            rows = [
                ["" if v is None else v for v in row] for row in sheet.iter_rows(values_only=True)
            ]
        trimmed = [trim(row) for row in rows]
        while trimmed and not trimmed[-1]:
            trimmed.pop()
        return trimmed

    def markers(self) -> dict[str, list[str]]:
        """Google: the ownership marker values on each sheet, by title."""
        assert self.server is not None
        body = self.server.metadata(self.key)
        return {
            sheet["properties"]["title"]: [
                m["metadataValue"]
                for m in sheet.get("developerMetadata", [])
                if m["metadataKey"] == MARKER_KEY
            ]
            for sheet in body["sheets"]
        }

    def sync(self, options: RunOptions = QUIET) -> RunResult:
        assert self.config is not None
        return run(load_config(self.config), options)


def codes(result: RunResult, code: str) -> list[Check]:
    return [check for check in result.report.checks if check.code == code]


def with_tabs(extra: Tabs, *, before: bool = False) -> Tabs:
    tabs = baseline()
    return {**extra, **tabs} if before else {**tabs, **extra}


def staff_renames(book: Book, old: str, new: str) -> None:
    """Rename a tab as staff would: Excel/openpyxl on the file, a batchUpdate on Google."""
    if book.server is None:
        workbook = load_workbook(book.folder / "book.xlsx")
        workbook[old].title = new
        workbook.save(book.folder / "book.xlsx")
        return
    client = emulator_client(book.server.host_port, book.folder / "key.json")
    sheet = client.open_by_key(book.key)
    sheet_id = sheet.worksheet(old).id
    sheet.batch_update(
        {
            "requests": [
                {
                    "updateSheetProperties": {
                        "properties": {"sheetId": sheet_id, "title": new},
                        "fields": "title",
                    }
                }
            ]
        }
    )


def sent_mails(book: Book) -> int:
    outbox = book.folder / "outbox"
    return len(list(outbox.glob("*.eml"))) if outbox.exists() else 0


def trim(row: list[Any]) -> list[Any]:
    row = list(row)
    while row and row[-1] in ("", None):
        row.pop()
    return row
