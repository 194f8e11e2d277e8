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
from pathlib import Path
from typing import Final

from ..backends import open_backend
from ..config import DEFAULT_MINUTES, ChatworkChat, Config, SmtpSettings, load_config, local_today
from ..core.report import Check
from ..core.validate import validate
from ..errors import EXIT_CHECK_ERRORS, EXIT_CONFIG, EXIT_MAIL, EXIT_OK, ChatError, SheetsSyncError
from ..meeting.chat import chat_outlets
from ..sheet import schema
from ..sheet.locate import locate_headers
from ..sheet.ownership import Ownership, decide, refusal_words
from ..sheet.schema import Lang
from ..sheet.tabs import Snapshot
from ..util.addresses import NotAnAddress, one_address
from ..util.shell import shell_word
from ..words.core import join, say
from .locking import lock_path

OK_MARK: Final = "✓"
FAIL_MARK: Final = "✗"
TAB_CODES: Final = ("missing_tab", "missing_column", "duplicate_column")
# doctor speaks English: its findings sit between the backends' probes and config errors, which
# are English, and the first of them (a config that does not load) comes before any language.
DOCTOR_LANG: Final[Lang] = "en"
# The areas doctor looks at, each with its name; a backend's own probe may name another.
_AREAS: Final[dict[str, str]] = {
    "config": "doctor.area.config",
    "lock": "doctor.area.lock",
    "workbook": "doctor.area.workbook",
    "credentials": "doctor.area.credentials",
    "access": "doctor.area.access",
    "tabs": "doctor.area.tabs",
    "mail": "doctor.area.mail",
    "chat": "doctor.area.chat",
    "meeting": "doctor.area.meeting",
}


@dataclass(frozen=True)
class Finding:
    """One thing doctor looked at: fine or not, what it saw, and what to do about it."""

    ok: bool
    area: str  # config, lock, workbook, credentials, access, tabs, mail, chat, meeting (`_AREAS`)
    message: str
    exit_code: int = EXIT_OK
    fix: str = ""

    def line(self) -> str:
        mark = OK_MARK if self.ok else FAIL_MARK
        text = f"{mark} {_area(self.area)}: {self.message}"
        return f"{text}  → {self.fix}" if self.fix else text


def _ok(area: str, message: str) -> Finding:
    return Finding(True, area, message)


def _fail(area: str, message: str, exit_code: int, fix: str = "") -> Finding:
    return Finding(False, area, message, exit_code, fix)


def _area(area: str) -> str:
    """The area's name in doctor's language (a backend's own area shows as it is)."""
    key = _AREAS.get(area)
    return _say(key) if key is not None else area


def _say(key: str, /, **fields: object) -> str:
    """A finding's words (doctor.*), in doctor's language."""
    return say(key, DOCTOR_LANG, **fields)


def diagnose(config_path: Path) -> list[Finding]:
    """Every finding for one client, in the order a person would fix them."""
    try:
        config = load_config(config_path)
    except SheetsSyncError as error:
        return [_fail("config", error.render(DOCTOR_LANG), EXIT_CONFIG, _say("doctor.config_fix"))]
    loads = _say(
        "doctor.config_loads",
        path=config.path,
        client=repr(config.client),
        backend=config.sheet.backend,
    )
    findings = [_ok("config", loads)]
    findings.extend(meeting_findings(config))
    findings.extend(lock_findings(config))
    findings.extend(_sheet_findings(config))
    findings.extend(mail_findings(config))
    findings.extend(chat_findings(config))
    findings.extend(placeholder_findings(config))
    return findings


# -- chat channels --------------------------------------------------------------------------
def chat_findings(config: Config) -> list[Finding]:
    """Each [[chat]]: its settings and environment variables (and a LINE WORKS key that signs),
    without posting anything; `chat-test` posts."""
    findings: list[Finding] = []
    for outlet in chat_outlets(config):
        channel = outlet.channel.id
        try:
            outlet.check()
        except ChatError as error:
            fix = _say("doctor.chat_fix", path=config.path.name, channel=channel)
            findings.append(_fail("chat", error.render(DOCTOR_LANG), EXIT_MAIL, fix))
            continue
        findings.append(
            _ok("chat", _say("doctor.chat_ok", channel=channel, path=shell_word(config.path)))
        )
        settings = outlet.settings
        if isinstance(settings, ChatworkChat) and settings.task and not settings.people:
            findings.append(_ok("chat", _say("doctor.chat_no_people", channel=channel)))
    return findings


# -- placeholder addresses ----------------------------------------------------------------------
# Domains reserved for examples (RFC 2606 / RFC 6761) and the template's own: mail to them never
# reaches anybody, so a config still holding one is not finished.
PLACEHOLDER_DOMAINS: Final = ("example.jp", "example.com", "example.org", "example.net")
PLACEHOLDER_SUFFIXES: Final = (".example", ".invalid", ".test", ".localhost", "localhost")


def is_placeholder(address: str) -> bool:
    """True for user@example.jp, team@sakura.example.com, kpi@shop.invalid and the like."""
    try:
        domain = one_address(address).domain.strip().lower().rstrip(".")
    except NotAnAddress:
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
                    say("consultant.placeholder_address", DOCTOR_LANG, key=key, address=address),
                    EXIT_CONFIG,
                    _say("doctor.placeholder_fix", key=key, file=config.path.name),
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
            _say("doctor.long_meeting", minutes=minutes, default=DEFAULT_MINUTES),
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
            "lock",
            _say("doctor.lock_not_creatable", path=path, reason=error.strerror or error),
            EXIT_CONFIG,
            _say("doctor.lock_fix", folder=config.folder),
        )
        return [failed]
    return []


# -- the sheet: credentials → access → tabs -------------------------------------------------
def _sheet_findings(config: Config) -> list[Finding]:
    try:
        backend = open_backend(config)
    except SheetsSyncError as error:
        return [_fail("credentials", error.render(DOCTOR_LANG), error.exit_code)]
    diagnosis = backend.diagnose()
    findings = [Finding(p.ok, p.area, p.message, p.exit_code, p.fix) for p in diagnosis.probes]
    if diagnosis.snapshot is None:
        return findings
    return findings + tab_findings(config, diagnosis.snapshot)


def tab_findings(config: Config, snapshot: Snapshot) -> list[Finding]:
    """Missing tabs and required columns (as `check` reports them), and the template version."""
    decided = decide(snapshot)
    book = validate(snapshot, config.language, local_today(config.model.timezone), decided)
    upgrade = _say("doctor.upgrade", path=shell_word(config.path))
    findings: list[Finding] = []
    for check in book.checks:
        if check.code not in TAB_CODES:
            continue
        tab = schema.TABS_BY_KEY[check.tab]
        if check.code == "duplicate_column":
            fix = _say("doctor.duplicate_column_fix")
            findings.append(_fail("tabs", check.message, EXIT_CHECK_ERRORS, fix))
            continue
        if check.code == "missing_tab":
            what = _say("doctor.missing_tab", title=repr(tab.title(config.language)), key=tab.key)
        else:
            assert check.column is not None
            header = tab.column(check.column).header(config.language)
            title = check.tab_title or tab.title(config.language)
            what = _say(
                "doctor.missing_column", title=repr(title), header=repr(header), column=check.column
            )
        findings.append(_fail("tabs", what, EXIT_CHECK_ERRORS, upgrade))
    findings.extend(_reading_findings(book.checks))
    findings.extend(_columns_to_add(config, snapshot, upgrade))
    findings.extend(_ownership_findings(decided))
    version = snapshot.template_version
    if version is not None and version < schema.TEMPLATE_VERSION:
        findings.append(
            _fail(
                "tabs",
                _say("doctor.template_older", version=version, current=schema.TEMPLATE_VERSION),
                EXIT_CHECK_ERRORS,
                upgrade,
            )
        )
    elif version is not None and version > schema.TEMPLATE_VERSION:
        findings.append(
            _fail(
                "tabs",
                _say("doctor.template_newer", version=version, current=schema.TEMPLATE_VERSION),
                EXIT_CONFIG,
                _say("doctor.update_fix"),
            )
        )
    if all(finding.ok for finding in findings):
        known = (
            _say("doctor.template_version", version=version)
            if version is not None
            else _say("doctor.no_template_version")
        )
        findings.insert(0, _ok("tabs", _say("doctor.tabs_ok", known=known)))
    return findings


def _reading_findings(checks: list[Check]) -> list[Finding]:
    """Two tabs that could both be one input tab: which one is read; a Cycles tab with no row
    yet: what to add first (warnings, not failures: a new client starts there)."""
    notes = [
        _ok("tabs", _say("doctor.note", message=check.message))
        for check in checks
        if check.code == "ambiguous_tab"
    ]
    notes += [
        _ok("tabs", _say("doctor.todo", message=check.message))
        for check in checks
        if check.code == "no_cycles"
    ]
    return notes


def _columns_to_add(config: Config, snapshot: Snapshot, upgrade: str) -> list[Finding]:
    """Template columns an input tab lacks that are not required (an older workbook's Cycles
    tab without 一歩の実施): the sync works without them, so a to-do naming `upgrade`, not a
    failure — else "every line ✓" hides that staff have nowhere to record the step."""
    notes: list[Finding] = []
    for key, found in locate_headers(snapshot).items():
        tab = schema.TABS_BY_KEY[key]
        absent = [c for c in tab.columns if not c.required and c.key not in found.positions]
        if absent:
            headers = join((repr(c.header(config.language)) for c in absent), DOCTOR_LANG)
            what = _say(
                "doctor.columns_to_add", title=repr(found.title), headers=headers, upgrade=upgrade
            )
            notes.append(_ok("tabs", _say("doctor.todo", message=what)))
    return notes


def _ownership_findings(decided: Ownership) -> list[Finding]:
    """Each generated tab: written, created at the next sync, or staff's (never written)."""
    findings: list[Finding] = []
    for refused in decided.not_ours:
        key, title = refused.key, refused.title
        what = _say("doctor.not_ours", title=repr(title), key=key)
        if refused.reason != "staff":  # swapped titles, a chart sheet …: say which, as Checks do
            text_key, fields = refusal_words(refused, DOCTOR_LANG)
            what = say(text_key, DOCTOR_LANG, **fields)
        fix = _say("doctor.not_ours_fix", renamed=repr(_say("doctor.renamed", title=title.strip())))
        if key == "log":
            what += _say("doctor.not_ours_log")
        findings.append(_fail("tabs", what, EXIT_CHECK_ERRORS, fix))
    legacy = [d.title for d in decided.decisions.values() if d.legacy and d.title]
    if legacy:
        names = join((repr(title) for title in legacy), DOCTOR_LANG)
        findings.append(_ok("tabs", _say("doctor.legacy", names=names)))
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
                _say("doctor.no_recipients"),
                EXIT_MAIL,
                _say("doctor.no_recipients_fix", file=config.path.name),
            )
        )
    findings.append(_password_finding(config, smtp))
    findings.append(smtp_finding(smtp))
    return findings


def _outbox_finding(config: Config) -> Finding:
    try:
        folder = config.outbox_path()
    except SheetsSyncError as error:
        return _fail("mail", error.render(DOCTOR_LANG), error.exit_code)
    if folder.is_dir():
        try:
            with tempfile.TemporaryFile(dir=folder):
                pass
        except OSError as error:
            return _fail(
                "mail",
                _say("doctor.outbox_not_writable", folder=folder, reason=error.strerror),
                EXIT_MAIL,
                _say("doctor.outbox_permission_fix"),
            )
        return _ok("mail", _say("doctor.outbox_writable", folder=folder))
    parent = next((p for p in folder.parents if p.exists()), None)
    if parent is None or not parent.is_dir() or not os.access(parent, os.W_OK | os.X_OK):
        return _fail(
            "mail",
            _say("doctor.outbox_cannot_create", folder=folder),
            EXIT_MAIL,
            _say("doctor.outbox_create_fix"),
        )
    return _ok("mail", _say("doctor.outbox_later", folder=folder))


def _password_finding(config: Config, smtp: SmtpSettings) -> Finding:
    if not smtp.username:
        return _ok("mail", _say("doctor.no_login"))
    if not smtp.password_env:
        return _fail(
            "mail",
            _say("doctor.no_password_env"),
            EXIT_MAIL,
            _say("doctor.no_password_env_fix", file=config.path.name),
        )
    if not os.environ.get(smtp.password_env):
        return _fail(
            "mail",
            _say("doctor.password_unset", variable=smtp.password_env),
            EXIT_MAIL,
            _say("doctor.password_unset_fix", variable=smtp.password_env),
        )
    return _ok("mail", _say("doctor.password_set", user=smtp.username, variable=smtp.password_env))


def smtp_finding(smtp: SmtpSettings) -> Finding:
    """The SMTP host resolves and accepts a connection within mail.smtp.timeout."""
    where = f"{smtp.host}:{smtp.port}"
    try:
        socket.getaddrinfo(smtp.host, smtp.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        return _fail(
            "mail",
            _say("doctor.host_unresolved", host=smtp.host, reason=error),
            EXIT_MAIL,
            _say("doctor.host_fix"),
        )
    try:
        with socket.create_connection((smtp.host, smtp.port), timeout=smtp.timeout):
            pass
    except TimeoutError:
        return _fail(
            "mail",
            _say("doctor.timeout", where=where, seconds=f"{smtp.timeout:g}"),
            EXIT_MAIL,
            _say("doctor.timeout_fix"),
        )
    except OSError as error:
        reason = error.strerror or str(error)
        return _fail(
            "mail",
            _say("doctor.cannot_connect", where=where, reason=reason),
            EXIT_MAIL,
            _say("doctor.connect_fix"),
        )
    return _ok("mail", _say("doctor.smtp_ok", where=where, security=smtp.security))
