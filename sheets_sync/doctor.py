"""`doctor`: check a client's config, credentials, sheet access, tabs and mail; say what to do.

Each finding carries the exit code of the command it would make fail: a wrong config 2, a sheet
that cannot be read 3, missing tabs or columns 1 (what `check` reports), mail that could not go
out 4. Credentials, access and tabs build on each other, so the first failure among them ends
that chain; the mail settings are checked whatever happened to the sheet. Nothing is written,
and a password is never shown.
"""

from __future__ import annotations

import os
import socket
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Final

from . import schema
from .config import DEFAULT_MINUTES, Config, SmtpSettings, load_config
from .errors import (
    EXIT_CHECK_ERRORS,
    EXIT_CONFIG,
    EXIT_MAIL,
    EXIT_OK,
    EXIT_SHEET,
    SheetsSyncError,
)
from .tabs import Snapshot
from .validate import validate

OK_MARK: Final = "✓"
FAIL_MARK: Final = "✗"
TAB_CODES: Final = ("missing_tab", "missing_column")


@dataclass(frozen=True)
class Finding:
    """One thing doctor looked at: fine or not, what it saw, and what to do about it."""

    ok: bool
    area: str  # config, credentials, access, tabs, mail
    message: str
    exit_code: int = EXIT_OK
    fix: str = ""

    def line(self) -> str:
        mark = OK_MARK if self.ok else FAIL_MARK
        text = f"{mark} {self.area}: {self.message}"
        return f"{text}  → {self.fix}" if self.fix else text


def _ok(area: str, message: str) -> Finding:
    return Finding(True, area, message)


def _fail(area: str, message: str, exit_code: int, fix: str = "") -> Finding:
    return Finding(False, area, message, exit_code, fix)


def diagnose(config_path: Path) -> list[Finding]:
    """Every finding for one client, in the order a person would fix them."""
    try:
        config = load_config(config_path)
    except SheetsSyncError as error:
        return [_fail("config", str(error), EXIT_CONFIG, "fix the file, then run doctor again")]
    findings = [
        _ok("config", f"{config.path} loads (client {config.client!r}, {config.sheet.backend})")
    ]
    findings.extend(meeting_findings(config))
    findings.extend(_sheet_findings(config))
    findings.extend(mail_findings(config))
    return findings


def meeting_findings(config: Config) -> list[Finding]:
    """A note (not a failure) when the meeting is longer than the method's 15 minutes."""
    minutes = config.meeting.minutes
    if minutes <= DEFAULT_MINUTES:
        return []
    return [
        _ok(
            "meeting",
            f"note: meeting.minutes = {minutes}, longer than the method's {DEFAULT_MINUTES} "
            "minutes (a short meeting that decides only the learning and the next step is "
            "what keeps a team going)",
        )
    ]


# -- the sheet: credentials → access → tabs -------------------------------------------------
def _sheet_findings(config: Config) -> list[Finding]:
    if config.sheet.backend == "google":
        return _google_findings(config)
    return _xlsx_findings(config)


def _xlsx_findings(config: Config) -> list[Finding]:
    from .backends.xlsx import XlsxBackend, lock_files

    path = config.workbook_path()
    if not path.is_file():
        return [
            _fail(
                "credentials",
                f"workbook not found: {path}",
                EXIT_SHEET,
                f"check sheet.path in {config.path.name}, or create it with "
                "`sheets-sync new-client`",
            ),
        ]
    if not os.access(path, os.R_OK | os.W_OK):
        return [
            _fail(
                "credentials",
                f"{path} cannot be read and written by this user",
                EXIT_SHEET,
                "give this user read and write permission on the file",
            )
        ]
    open_by = [lock.name for lock in lock_files(path) if lock.exists()]
    if open_by:
        return [
            _fail(
                "credentials",
                f"{path.name} is open in Excel or LibreOffice ({open_by[0]} "
                "exists), so a sync would refuse to write it",
                EXIT_SHEET,
                "close the workbook (or delete the lock file if nobody has it open)",
            ),
        ]
    findings = [_ok("credentials", f"{path} exists and is not open in Excel or LibreOffice")]
    backend = XlsxBackend(path, config.language)
    try:
        snapshot = backend.read()
    except SheetsSyncError as error:
        return [*findings, _fail("access", str(error), error.exit_code)]
    findings.append(_ok("access", f"read {len(snapshot.tabs)} tabs from {path.name}"))
    return findings + tab_findings(config, snapshot)


def _google_findings(config: Config) -> list[Finding]:
    from .backends.google import GoogleBackend, load_credentials, make_client
    from .config import spreadsheet_id

    try:
        credentials = load_credentials(config)
    except SheetsSyncError as error:
        return [_fail("credentials", str(error), error.exit_code)]
    email = str(getattr(credentials, "service_account_email", "") or "")
    source = config.credentials_path() or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
    shown = f"service account {email}" if email else "application default credentials"
    where = f" (key file {source})" if source else ""
    findings = [_ok("credentials", f"{shown}{where}")]
    assert config.sheet.spreadsheet is not None
    key = spreadsheet_id(config.sheet.spreadsheet)
    backend = GoogleBackend(make_client(credentials), key, email or "the service account")
    try:
        snapshot = backend.read()
    except SheetsSyncError as error:
        return [*findings, _fail("access", str(error), error.exit_code)]
    findings.append(
        _ok(
            "access",
            f"read Google Sheet {key} ({len(snapshot.tabs)} tabs) as "
            f"{email or 'the default account'}",
        )
    )
    return findings + tab_findings(config, snapshot)


def tab_findings(config: Config, snapshot: Snapshot) -> list[Finding]:
    """Missing tabs and required columns (as `check` reports them), and the template version."""
    book = validate(snapshot, config.language, date.today())
    upgrade = f"run `sheets-sync upgrade --config {config.path}` to add what is missing"
    findings: list[Finding] = []
    for check in book.checks:
        if check.code not in TAB_CODES:
            continue
        tab = schema.TABS_BY_KEY[check.tab]
        if check.code == "missing_tab":
            what = f"tab {tab.title(config.language)!r} ({tab.key}) is missing"
        else:
            assert check.column is not None
            header = tab.column(check.column).header(config.language)
            title = check.tab_title or tab.title(config.language)
            what = f"tab {title!r} has no column {header!r} ({check.column})"
        findings.append(_fail("tabs", what, EXIT_CHECK_ERRORS, upgrade))
    version = snapshot.template_version
    if version is not None and version < schema.TEMPLATE_VERSION:
        findings.append(
            _fail(
                "tabs",
                f"the workbook is template version {version}; this "
                f"sheets-sync has version {schema.TEMPLATE_VERSION}",
                EXIT_CHECK_ERRORS,
                upgrade,
            )
        )
    elif version is not None and version > schema.TEMPLATE_VERSION:
        findings.append(
            _fail(
                "tabs",
                f"the workbook is template version {version}, newer than "
                f"this sheets-sync knows ({schema.TEMPLATE_VERSION})",
                EXIT_CONFIG,
                "update sheets-sync (pip install -U sheets-sync)",
            )
        )
    if not findings:
        known = f"template version {version}" if version is not None else "no template version"
        findings.append(_ok("tabs", f"every input tab and required column is there ({known})"))
    return findings


# -- mail -----------------------------------------------------------------------------------
def mail_findings(config: Config) -> list[Finding]:
    """The outbox folder is writable, or the SMTP server answers and its password is set."""
    if config.mail.transport == "outbox":
        return [_outbox_finding(config)]
    assert config.mail.smtp is not None
    smtp = config.mail.smtp
    findings: list[Finding] = []
    if not config.mail.to:
        findings.append(
            _fail(
                "mail",
                "mail.to is empty, so nobody would get the agenda",
                EXIT_MAIL,
                f"add mail.to = [...] to {config.path.name}",
            )
        )
    findings.append(_password_finding(config, smtp))
    findings.append(smtp_finding(smtp))
    return findings


def _outbox_finding(config: Config) -> Finding:
    try:
        folder = config.outbox_path()
    except SheetsSyncError as error:
        return _fail("mail", str(error), error.exit_code)
    if folder.is_dir():
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            return _fail(
                "mail",
                f"the outbox {folder} is not writable ({error.strerror})",
                EXIT_MAIL,
                "give this user write permission on the folder",
            )
        return _ok("mail", f"the outbox {folder} is writable")
    parent = next((p for p in folder.parents if p.exists()), None)
    if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        return _fail(
            "mail",
            f"the outbox {folder} cannot be created",
            EXIT_MAIL,
            "create the folder or give this user write permission",
        )
    return _ok("mail", f"the outbox {folder} will be created at the first agenda")


def _password_finding(config: Config, smtp: SmtpSettings) -> Finding:
    if not smtp.username:
        return _ok("mail", "no SMTP login configured (mail.smtp.username is not set)")
    if not smtp.password_env:
        return _fail(
            "mail",
            "mail.smtp.username is set but mail.smtp.password_env is not",
            EXIT_MAIL,
            f'add password_env = "SHEETS_SYNC_SMTP_PASSWORD" under '
            f"[mail.smtp] in {config.path.name} and set that variable",
        )
    if not os.environ.get(smtp.password_env):
        return _fail(
            "mail",
            f"the SMTP password variable {smtp.password_env} is not set",
            EXIT_MAIL,
            f"set the environment variable {smtp.password_env} where the "
            "sync runs (e.g. in the cron line's environment)",
        )
    return _ok("mail", f"the SMTP password for {smtp.username} is set in {smtp.password_env}")


def smtp_finding(smtp: SmtpSettings) -> Finding:
    """The SMTP host resolves and accepts a connection within mail.smtp.timeout."""
    where = f"{smtp.host}:{smtp.port}"
    try:
        socket.getaddrinfo(smtp.host, smtp.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        return _fail(
            "mail",
            f"the SMTP host {smtp.host} does not resolve ({error})",
            EXIT_MAIL,
            "check mail.smtp.host",
        )
    try:
        with socket.create_connection((smtp.host, smtp.port), timeout=smtp.timeout):
            pass
    except TimeoutError:
        return _fail(
            "mail",
            f"{where} did not answer within {smtp.timeout:g} s",
            EXIT_MAIL,
            "check mail.smtp.host/port and that a firewall lets the connection out",
        )
    except OSError as error:
        reason = error.strerror or str(error)
        return _fail(
            "mail",
            f"cannot connect to {where} ({reason})",
            EXIT_MAIL,
            "check mail.smtp.host and mail.smtp.port",
        )
    return _ok("mail", f"the SMTP server {where} accepts connections ({smtp.security})")
