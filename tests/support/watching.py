"""A watch driven in fake time: the clock, one poll step, a watcher over a folder of clients, and
staff editing a workbook on either backend."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

from sheets_sync.consultant.watch import Watcher
from sheets_sync.consultant.watch_schedule import Schedule
from tests.fake_google import FakeGoogle
from tests.fake_google.client import emulator_client, make_service_account_file
from tests.support.google import SERVICE_EMAIL, google_config
from tests.support.workbooks import baseline, config_file, write_xlsx

STAFF_EMAIL = "staff@example.jp"
INTERVAL = 10.0
DEBOUNCE = 10.0

BAD_DATE = "11/23"  # a date without a year: an ambiguous_date error on the Checks tab


class FakeClock:
    """Monotonic seconds and an aware now that move only when the test says so."""

    def __init__(self, start: datetime | None = None) -> None:
        self.seconds = 1000.0
        self.start = start or datetime(2026, 11, 20, 1, 0, tzinfo=UTC)

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds - 1000.0)

    def advance(self, seconds: float) -> None:
        self.seconds += seconds


def step(watcher: Watcher, clock: FakeClock, seconds: float = INTERVAL) -> None:
    """One loop step: time passes, then the watch polls (and lets its syncs finish)."""
    clock.advance(seconds)
    watcher.poll(wait=True)


def make_watcher(
    folder: Path,
    clock: FakeClock,
    *,
    idle_interval: float | None = None,
    daily_at: clock_time | None = None,
) -> Watcher:
    schedule = Schedule(INTERVAL, DEBOUNCE, idle_interval, daily_at)
    watcher = Watcher(folder, schedule, clock=clock)
    watcher.poll(wait=True)  # the first look: baselines and a page token, no sync
    return watcher


def google_client(folder: Path, server: FakeGoogle, name: str) -> str:
    """`<name>.toml` for a sheet shared with the service account and with staff."""
    make_service_account_file(folder / "key.json", server.token_uri, SERVICE_EMAIL)
    key = server.create_spreadsheet(
        name, baseline(), shared_with={SERVICE_EMAIL, STAFF_EMAIL}, time_zone="Asia/Tokyo"
    )
    google_config(folder, key, client=name).rename(folder / f"{name}.toml")
    return key


def xlsx_client(folder: Path, name: str) -> Path:
    """`<name>.toml` beside `<name>.xlsx` (the valid baseline)."""
    workbook = write_xlsx(folder / f"{name}.xlsx", baseline())
    config_file(folder, workbook=workbook.name, client=name).rename(folder / f"{name}.toml")
    return workbook


class Staff:
    """Staff typing in the Google Sheet: a second identity, through real gspread."""

    def __init__(self, server: FakeGoogle, folder: Path) -> None:
        key_file = make_service_account_file(folder / "staff.json", server.token_uri, STAFF_EMAIL)
        self.client = emulator_client(server.host_port, key_file)

    def type_evidence(self, key: str, row: int, when: str = BAD_DATE) -> None:
        sheet = self.client.open_by_key(key).worksheet("証拠")
        row_values = [when, None, "会話", "迷い", "どれがいいの?", "棚の前", "", "佐藤"]
        sheet.update([row_values], f"A{row}")


def checks_show(server: FakeGoogle, key: str, text: str) -> bool:
    if "チェック" not in server.sheet_titles(key):
        return False
    return any(text in str(cell) for row in server.values(key, "チェック") for cell in row)
