"""A client whose review cycle lacks a value, synced on the day its input reminder is due, over a
real SMTP server."""

from __future__ import annotations

from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from sheets_sync.config import load_config
from sheets_sync.run.sync import RunOptions, RunResult, run
from tests.support.smtp_server import Collector
from tests.support.workbooks import (
    FOLLOW_UP_OFF_KEY,
    Tabs,
    baseline,
    config_file,
    with_enough_evidence,
    write_xlsx,
)

REMIND_DAY = date(2026, 11, 20)  # cycle 2's meeting is 11-22; remind_days_before = 2 (default)


def without_cycle2_value() -> Tabs:
    """The baseline with cycle 2's 購入率 (K3) not yet typed (and enough evidence)."""
    tabs = with_enough_evidence(baseline())
    tabs["KPI記録"] = [row for row in tabs["KPI記録"] if row[0] != 2]
    return tabs


def client(tmp_path: Path, port: int, tabs: Tabs, meeting: str = "", **top: str) -> Path:
    """An .xlsx client mailing over SMTP on `port`, its [meeting] table `meeting` (the follow-up
    off: these tests count the reminder's mails)."""
    write_xlsx(tmp_path / "book.xlsx", tabs)
    meeting = (meeting or "[meeting]\n") + FOLLOW_UP_OFF_KEY
    extra = f"""[mail.smtp]
host = "127.0.0.1"
port = {port}
security = "none"
timeout = 5
{meeting}"""
    path = config_file(tmp_path, extra=extra, **top)
    text = path.read_text(encoding="utf-8").replace('transport = "outbox"', 'transport = "smtp"')
    path.write_text(text, encoding="utf-8")
    return path


def sync(config_path: Path, today: date) -> RunResult:
    return run(load_config(config_path), RunOptions(as_of=today))


def log_rows(tmp_path: Path) -> list[tuple[object, ...]]:
    sheet = load_workbook(tmp_path / "book.xlsx")["ログ"]
    return [row[1:4] for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]


def mails(collector: Collector) -> list[EmailMessage]:
    return [
        message_from_bytes(envelope.content, policy=policy.default)
        for envelope in collector.envelopes
    ]


class OpensTheWorkbook(Collector):
    """Takes the message, and meanwhile someone opens the workbook in Excel (its lock file)."""

    def __init__(self, excel_lock: Path) -> None:
        super().__init__()
        self.excel_lock = excel_lock

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.excel_lock.write_text("someone", encoding="utf-8")
        return await super().handle_DATA(server, session, envelope)
