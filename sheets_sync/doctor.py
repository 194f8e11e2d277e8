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
from email.utils import parseaddr
from pathlib import Path
from typing import Final

from . import schema
from .backends import open_backend
from .config import DEFAULT_MINUTES, Config, SmtpSettings, load_config, local_today
from .errors import (
    EXIT_CHECK_ERRORS,
    EXIT_CONFIG,
    EXIT_MAIL,
    EXIT_OK,
    SheetsSyncError,
)
from .locking import lock_path
from .messages import consultant_word
from .ownership import decide
from .report import Check
from .tabs import Snapshot
from .validate import validate

OK_MARK: Final = "✓"
FAIL_MARK: Final = "✗"
TAB_CODES: Final = ("missing_tab", "missing_column", "duplicate_column")


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
    findings.extend(lock_findings(config))
    findings.extend(_sheet_findings(config))
    findings.extend(mail_findings(config))
    findings.extend(placeholder_findings(config))
    return findings


# -- placeholder addresses ----------------------------------------------------------------------
# Domains reserved for examples (RFC 2606 / RFC 6761) and the template's own: mail to them never
# reaches anybody, so a config still holding one is not finished.
PLACEHOLDER_DOMAINS: Final = ("example.jp", "example.com", "example.org", "example.net")
PLACEHOLDER_SUFFIXES: Final = (".example", ".invalid", ".test", ".localhost", "localhost")


def is_placeholder(address: str) -> bool:
    """True for user@example.jp, team@sakura.example.com, kpi@shop.invalid and the like."""
    domain = parseaddr(address)[1].rpartition("@")[2].strip().lower().rstrip(".")
    if not domain:
        return False
    if any(domain == d or domain.endswith("." + d) for d in PLACEHOLDER_DOMAINS):
        return True
    return domain.endswith(PLACEHOLDER_SUFFIXES)


def placeholder_findings(config: Config) -> list[Finding]:
    """One ✗ per example address left in mail.from / mail.to / mail.cc, saying what to do."""
    found = []
    keyed = [("mail.from", config.mail.sender)]
    keyed += [("mail.to", a) for a in config.mail.to] + [("mail.cc", a) for a in config.mail.cc]
    for key, address in keyed:
        if is_placeholder(address):
            found.append(
                _fail(
                    "mail",
                    consultant_word("placeholder_address", "en", key=key, address=address),
                    EXIT_CONFIG,
                    f"edit {key} in {config.path.name} (or make the client again with "
                    "`sheets-sync new-client NAME --to … --from …`)",
                )
            )
    return found


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


def lock_findings(config: Config) -> list[Finding]:
    """A ✗ when `sync` cannot create (or open) its lock file in the config folder: without it
    every sync stops with exit 2 before reading anything, whatever the workbook allows."""
    path = lock_path(config)
    try:
        if path.exists():
            os.close(os.open(path, os.O_RDWR))  # what filelock does, without truncating
        else:
            with tempfile.TemporaryFile(dir=config.folder):
                pass
    except OSError as error:
        failed = _fail(
            "config",
            f"sync cannot create its lock file {path} ({error.strerror or error}), so every "
            "sync (and check) stops before reading the sheet",
            EXIT_CONFIG,
            f"make the folder {config.folder} writable for the user that runs sheets-sync "
            "(sync --dry-run works without it)",
        )
        return [failed]
    return []


# -- the sheet: credentials → access → tabs -------------------------------------------------
def _sheet_findings(config: Config) -> list[Finding]:
    try:
        backend = open_backend(config)
    except SheetsSyncError as error:
        return [_fail("credentials", str(error), error.exit_code)]
    diagnosis = backend.diagnose()
    findings = [Finding(p.ok, p.area, p.message, p.exit_code, p.fix) for p in diagnosis.probes]
    if diagnosis.snapshot is None:
        return findings
    return findings + tab_findings(config, diagnosis.snapshot)


def tab_findings(config: Config, snapshot: Snapshot) -> list[Finding]:
    """Missing tabs and required columns (as `check` reports them), and the template version."""
    book = validate(snapshot, config.language, local_today(config.model.timezone))
    upgrade = f"run `sheets-sync upgrade --config {config.path}` to add what is missing"
    findings: list[Finding] = []
    for check in book.checks:
        if check.code not in TAB_CODES:
            continue
        tab = schema.TABS_BY_KEY[check.tab]
        if check.code == "duplicate_column":
            fix = "rename or remove one of the two columns (see the Checks tab)"
            findings.append(_fail("tabs", check.message, EXIT_CHECK_ERRORS, fix))
            continue
        if check.code == "missing_tab":
            what = f"tab {tab.title(config.language)!r} ({tab.key}) is missing"
        else:
            assert check.column is not None
            header = tab.column(check.column).header(config.language)
            title = check.tab_title or tab.title(config.language)
            what = f"tab {title!r} has no column {header!r} ({check.column})"
        findings.append(_fail("tabs", what, EXIT_CHECK_ERRORS, upgrade))
    findings.extend(_reading_findings(book.checks))
    findings.extend(_ownership_findings(config, snapshot))
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
    if all(finding.ok for finding in findings):
        known = f"template version {version}" if version is not None else "no template version"
        findings.insert(0, _ok("tabs", f"every input tab and required column is there ({known})"))
    return findings


def _reading_findings(checks: list[Check]) -> list[Finding]:
    """Two tabs that could both be one input tab: which one is read (a warning, not a failure)."""
    return [
        _ok("tabs", f"note: {check.message}") for check in checks if check.code == "ambiguous_tab"
    ]


def _ownership_findings(config: Config, snapshot: Snapshot) -> list[Finding]:
    """Each generated tab: written, created at the next sync, or staff's (never written)."""
    decided = decide(snapshot)
    findings: list[Finding] = []
    for key, title in decided.not_ours:
        what = (
            f"tab {title!r} has the title of a generated tab ({key}) but was not made by "
            "sheets-sync, so the sync never writes it"
        )
        fix = f"rename it (e.g. {title.strip() + ' (notes)'!r}); the next sync makes its own"
        if key == "log":
            what += "; until then no agenda is sent (the sync could not record it)"
        findings.append(_fail("tabs", what, EXIT_CHECK_ERRORS, fix))
    legacy = [d.title for d in decided.decisions.values() if d.legacy and d.title]
    if legacy:
        names = ", ".join(repr(title) for title in legacy)
        findings.append(
            _ok("tabs", f"{names}: made by an earlier sheets-sync; marked at the next sync")
        )
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
