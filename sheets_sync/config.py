"""TOML config → a validated, frozen client config; every mistake names the key and the file."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dt_time
from email.errors import HeaderParseError
from email.headerregistry import Address
from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Any, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError
from .files import short_stem

SECTION_KEYS = ("last_step", "kpis", "learning", "next_step")
DEFAULT_SECTIONS: tuple[tuple[str, int], ...] = (
    ("last_step", 2),
    ("kpis", 5),
    ("learning", 5),
    ("next_step", 3),
)
DEFAULT_MINUTES = 15
CLIENT_NAME_MAX = 100
DECIDING_SECTIONS = ("learning", "next_step")  # the two things every meeting decides
DEFAULT_REMIND_DAYS = 2
GOOGLE_ID = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
MEETING_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")


# A new client's zone until its config says otherwise (the first users are in Japan).
DEFAULT_TIMEZONE: Final = "Asia/Tokyo"


def local_today(zone: str = DEFAULT_TIMEZONE) -> date:
    """Today's date where the client is, not where the machine runs (cron often runs in UTC)."""
    return datetime.now(ZoneInfo(zone)).date()


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SheetSettings(_Strict):
    backend: Literal["xlsx", "google"] = "xlsx"
    path: str | None = None
    spreadsheet: str | None = None
    credentials: str | None = None

    @model_validator(mode="after")
    def _backend_needs_its_key(self) -> SheetSettings:
        if self.backend == "xlsx" and not self.path:
            raise ValueError('sheet.path is required when sheet.backend = "xlsx"')
        if self.backend == "google" and not self.spreadsheet:
            raise ValueError('sheet.spreadsheet is required when sheet.backend = "google"')
        return self


class Section(_Strict):
    key: Literal["last_step", "kpis", "learning", "next_step"]
    minutes: Annotated[int, Field(ge=0, le=120)]


class MeetingRoles(_Strict):
    """Who plays which part in the meeting (進行 / タイムキーパー / 記録); each one optional."""

    facilitator: str | None = None
    timekeeper: str | None = None
    recorder: str | None = None

    @field_validator("facilitator", "timekeeper", "recorder")
    @classmethod
    def _role_is_one_line(cls, value: str | None) -> str | None:
        return _one_line_setting(value)


class MeetingSettings(_Strict):
    minutes: Annotated[int, Field(ge=1, le=120)] = DEFAULT_MINUTES
    send_days_before: Annotated[int, Field(ge=0, le=14)] = 1
    remind_days_before: Annotated[int, Field(ge=0, le=14)] = DEFAULT_REMIND_DAYS  # 0 = off
    sections: tuple[Section, ...] | None = None
    time: str | None = None  # "18:30" in the client's time zone; None = an all-day event
    place: str | None = None  # a room, an address or a video link
    roles: MeetingRoles = MeetingRoles()

    @field_validator("time")
    @classmethod
    def _time_is_hh_mm(cls, value: str | None) -> str | None:
        if value is None:
            return None
        match = MEETING_TIME.match(unicodedata.normalize("NFKC", value).strip())
        if match is None:
            raise ValueError(f'{value!r} is not a time like "18:30" (24-hour HH:MM)')
        return f"{int(match.group(1)):02d}:{match.group(2)}"

    @field_validator("place")
    @classmethod
    def _place_is_one_line(cls, value: str | None) -> str | None:
        return _one_line_setting(value)

    def start_time(self) -> dt_time | None:
        """`meeting.time` as a time of day, or None for an all-day meeting."""
        if self.time is None:
            return None
        hours, minutes = self.time.split(":")
        return dt_time(int(hours), int(minutes))

    @model_validator(mode="after")
    def _sections_fill_the_meeting(self) -> MeetingSettings:
        if self.sections is not None:
            total = sum(section.minutes for section in self.sections)
            if total != self.minutes:
                raise ValueError(
                    f"meeting.sections add up to {total} minutes but meeting.minutes is "
                    f"{self.minutes}; make them equal"
                )
            keys = [section.key for section in self.sections]
            if len(set(keys)) != len(keys):
                raise ValueError("meeting.sections lists the same section twice")
            given: dict[str, int] = {section.key: section.minutes for section in self.sections}
            for key in DECIDING_SECTIONS:
                if given.get(key, 0) <= 0:
                    raise ValueError(
                        f'meeting.sections must include {{ key = "{key}", minutes = … }} with '
                        "more than 0 minutes: the meeting decides the learning and the next "
                        "step"
                    )
        return self

    def timeboxes(self) -> tuple[tuple[str, int], ...]:
        """Each section's key and minutes; the default split is scaled to `minutes`."""
        if self.sections is not None:
            return tuple((section.key, section.minutes) for section in self.sections)
        if self.minutes == DEFAULT_MINUTES:
            return DEFAULT_SECTIONS
        scaled = [max(0, round(m * self.minutes / DEFAULT_MINUTES)) for _, m in DEFAULT_SECTIONS]
        scaled[1] += self.minutes - sum(scaled)  # the KPI section absorbs rounding
        return tuple((key, m) for (key, _), m in zip(DEFAULT_SECTIONS, scaled, strict=True))


class SmtpSettings(_Strict):
    host: str
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = None
    timeout: Annotated[float, Field(gt=0, le=300)] = 30.0


class MailSettings(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    transport: Literal["outbox", "smtp"] = "outbox"
    outbox: str = "outbox"
    sender: str = Field(default="sheets-sync@localhost", alias="from")
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    images: bool = True
    smtp: SmtpSettings | None = None

    @field_validator("sender")
    @classmethod
    def _sender_is_one_line(cls, value: str) -> str:
        return _one_address(value)

    @field_validator("to", "cc")
    @classmethod
    def _recipients_are_one_line(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(_one_address(address) for address in value)

    @field_validator("to")
    @classmethod
    def _someone_gets_it(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError(
                'the list is empty: name who gets the agenda, e.g. ["team@example.jp"]'
            )
        return value

    @model_validator(mode="after")
    def _smtp_needs_settings(self) -> MailSettings:
        if self.transport == "smtp" and self.smtp is None:
            raise ValueError('mail.smtp (host, port …) is required when mail.transport = "smtp"')
        return self


class PortfolioSettings(_Strict):
    """portfolio.toml's [portfolio]: who gets the weekly digest, and in which time zone it runs."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    to: tuple[str, ...] = ()
    timezone: str = "Asia/Tokyo"  # the consultant's zone: when an ISO week starts

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return _zone_name(value)


class ConfigModel(_Strict):
    client: Annotated[str, Field(min_length=1, max_length=CLIENT_NAME_MAX)]
    language: Literal["ja", "en"] = "ja"
    timezone: str = DEFAULT_TIMEZONE
    templates_dir: str | None = None
    sheet: SheetSettings
    meeting: MeetingSettings = MeetingSettings()
    mail: MailSettings = MailSettings()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f'unknown time zone {value!r} (e.g. "Asia/Tokyo")') from None
        return value

    @field_validator("client")
    @classmethod
    def _client_is_one_line(cls, value: str) -> str:
        if any(ch in value for ch in "\r\n"):
            raise ValueError("must be on one line")
        return value


def _zone_name(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f'unknown time zone {value!r} (e.g. "Asia/Tokyo")') from None
    return value


def _one_line_setting(value: str | None) -> str | None:
    if value is None:
        return None
    if any(ch in value for ch in "\r\n"):
        raise ValueError("must be on one line")
    return value or None


def _one_address(value: str) -> str:
    """One address, `user@host` or `Name <user@host>`, that a mail header can carry."""
    if any(ch in value for ch in "\r\n,;") or not _is_address(value):
        raise ValueError(f"{value!r} is not one e-mail address (like team@example.jp)")
    return value


def _is_address(value: str) -> bool:
    _, addr_spec = parseaddr(value)
    user, at, host = addr_spec.rpartition("@")
    if not (user and at and host) or "@" in user or any(ch.isspace() for ch in addr_spec):
        return False
    try:
        Address(addr_spec=addr_spec)
    except (ValueError, IndexError, HeaderParseError):
        return False
    return True


@dataclass(frozen=True)
class Config:
    """A client's validated settings, with paths resolved against the config file's folder."""

    path: Path
    model: ConfigModel

    @property
    def client(self) -> str:
        return self.model.client

    @property
    def language(self) -> Literal["ja", "en"]:
        return self.model.language

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.model.timezone)

    @property
    def folder(self) -> Path:
        return self.path.parent

    @property
    def slug(self) -> str:
        return self.path.stem

    @property
    def sheet(self) -> SheetSettings:
        return self.model.sheet

    @property
    def meeting(self) -> MeetingSettings:
        return self.model.meeting

    @property
    def mail(self) -> MailSettings:
        return self.model.mail

    def workbook_path(self) -> Path:
        assert self.sheet.path is not None
        return self.inside_folder(self.sheet.path, "sheet.path", absolute_ok=True)

    def outbox_path(self) -> Path:
        return self.inside_folder(self.mail.outbox, "mail.outbox")

    def templates_path(self) -> Path | None:
        if self.model.templates_dir is None:
            return None
        return self.inside_folder(self.model.templates_dir, "templates_dir")

    def credentials_path(self) -> Path | None:
        if self.sheet.credentials is None:
            return None
        return self.inside_folder(self.sheet.credentials, "sheet.credentials", absolute_ok=True)

    def inside_folder(self, relative: str, key: str, *, absolute_ok: bool = False) -> Path:
        """Resolve a configured path; relative paths may not climb out of the client's folder."""
        candidate = Path(relative).expanduser()
        if candidate.is_absolute():
            if absolute_ok:
                return candidate
            raise ConfigError(
                f"{self.path}: {key} = {relative!r} must be a path inside the config's folder "
                f"({self.folder}), not an absolute path"
            )
        resolved = (self.folder / candidate).resolve()
        if not resolved.is_relative_to(self.folder.resolve()):
            raise ConfigError(
                f"{self.path}: {key} = {relative!r} points outside the config's folder "
                f"({self.folder}); keep the client's files together"
            )
        return resolved


def load_config(path: Path | str) -> Config:
    """Read and validate a client config; raise ConfigError naming the key and the file."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad may add a BOM
    except FileNotFoundError:
        raise ConfigError(f"{path}: config file not found") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: config file is not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from None
    except OSError as error:
        raise ConfigError(f"{path}: cannot read the config file: {error.strerror}") from None
    return config_from_dict(raw, path)


def config_from_dict(raw: dict[str, Any], path: Path) -> Config:
    """Validate an already-parsed config mapping (used by load_config and new-client)."""
    try:
        model = ConfigModel.model_validate(raw)
    except ValidationError as error:
        raise ConfigError(f"{path}: " + "; ".join(_describe(e) for e in error.errors())) from None
    config = Config(path=path.absolute(), model=model)
    if model.sheet.backend == "xlsx":
        config.workbook_path()
    templates = config.templates_path()
    if templates is not None and not templates.is_dir():
        raise ConfigError(
            f"{path}: templates_dir = {model.templates_dir!r}: there is no folder {templates}. "
            "Create it with copies of the templates you change, or remove the key"
        )
    config.outbox_path()
    return config


def _describe(error: Any) -> str:
    location = ".".join(str(part) for part in error["loc"] if not isinstance(part, int))
    location = location.replace("sender", "from")
    kind = error["type"]
    if kind == "extra_forbidden":
        return f"unknown key {location!r} (check its spelling against the README's config table)"
    if kind == "missing":
        return f"{location} is required"
    message = str(error["msg"]).removeprefix("Value error, ")
    given = error.get("input")
    shown = f" (got {given!r})" if isinstance(given, str | int | float | bool) else ""
    return f"{location}: {message}{shown}" if location else f"{message}{shown}"


def slugify(name: str) -> str:
    """A file-name-safe slug for a client name; Japanese names keep their characters, and a
    long name is cut (with a short hash) so every file named after it fits the file system."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = re.sub(r"[\s/\\:*?\"<>|.]+", "-", text).strip("-")
    return short_stem(text) if text else "client"


def check_client_name(name: str) -> str:
    """The name `new-client` was given, trimmed, or ConfigError before any file is made."""
    cleaned = name.strip()
    if not cleaned:
        raise ConfigError(
            "new-client: the client name is empty; give the shop's name, e.g. さくら珈琲"
        )
    if any(ch in cleaned for ch in "\r\n"):
        raise ConfigError("new-client: the client name must be on one line")
    if len(cleaned) > CLIENT_NAME_MAX:
        raise ConfigError(
            f"new-client: the client name has {len(cleaned)} characters; at most "
            f"{CLIENT_NAME_MAX} fit (the config key client). Use a shorter name"
        )
    return cleaned


def spreadsheet_id(value: str) -> str:
    """A Google spreadsheet id from a URL or an id."""
    match = GOOGLE_ID.search(value)
    return match.group(1) if match else value.strip()
