"""TOML config → a validated, frozen client config; every mistake names the key and the file."""

from __future__ import annotations

import os
import re
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from datetime import time as dt_time
from pathlib import Path
from typing import Annotated, Any, Final, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import ConfigError
from .util.addresses import NotAnAddress, one_address
from .util.files import short_stem
from .words.core import Phrase, Renderable, say
from .words.lang import Lang, speaking

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
DEFAULT_FOLLOW_UP_DAYS = 1
GOOGLE_ID = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")
MEETING_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# A link staff can open from a phone: http(s), one piece of text, none of the characters a chat's
# link markup or a mail header would read as its own (`<>|[]"` and spaces).
WEB_ADDRESS = re.compile(r"^https?://[^\s<>|\[\]\"\\`]+$", re.IGNORECASE)


# A new client's zone until its config says otherwise (the first users are in Japan).
DEFAULT_TIMEZONE: Final = "Asia/Tokyo"


def local_today(zone: str = DEFAULT_TIMEZONE) -> date:
    """Today's date where the client is, not where the machine runs (cron often runs in UTC)."""
    return datetime.now(ZoneInfo(zone)).date()


class ConfigProblem(ValueError):
    """What a validator finds wrong with one key, as words of the errors catalog: the code
    `ConfigProblem("not_a_time", value=…)` reads `[config.not_a_time]`.

    Pydantic wraps a validator's ValueError in its own error and keeps the exception in the
    error's `ctx`; `problems` finds the words there again and says them in the config's language.
    The English text is only what pydantic's own message shows."""

    def __init__(self, key: str, /, **fields: object) -> None:
        # Every raise passes its code as a literal (tests/test_command_words.py checks them).
        self.phrase = Phrase(f"config.{key}", fields)
        super().__init__(self.phrase.render("en"))


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SheetSettings(_Strict):
    backend: Literal["xlsx", "google"] = "xlsx"
    path: str | None = None
    url: str | None = None  # the address staff open (OneDrive, SharePoint …); never a file path
    spreadsheet: str | None = None
    credentials: str | None = None

    @field_validator("url")
    @classmethod
    def _url_is_a_web_address(cls, value: str | None) -> str | None:
        if value is None or not value:
            return None
        if WEB_ADDRESS.match(value) is None:
            raise ConfigProblem("sheet_url_not_web")
        return value

    @model_validator(mode="after")
    def _backend_needs_its_key(self) -> SheetSettings:
        if self.backend == "xlsx" and not self.path:
            raise ConfigProblem("backend_needs_path")
        if self.backend == "google" and not self.spreadsheet:
            raise ConfigProblem("backend_needs_spreadsheet")
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
    follow_up_days_after: Annotated[int, Field(ge=0, le=14)] = DEFAULT_FOLLOW_UP_DAYS  # 0 = off
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
            raise ConfigProblem("not_a_time", value=repr(value))
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
                raise ConfigProblem("sections_total", total=total, minutes=self.minutes)
            keys = [section.key for section in self.sections]
            if len(set(keys)) != len(keys):
                raise ConfigProblem("sections_twice")
            given: dict[str, int] = {section.key: section.minutes for section in self.sections}
            for key in DECIDING_SECTIONS:
                if given.get(key, 0) <= 0:
                    section = f'{{ key = "{key}", minutes = … }}'  # as the TOML writes it
                    raise ConfigProblem("sections_deciding", section=section)
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
            raise ConfigProblem("recipients_empty")
        return value

    @model_validator(mode="after")
    def _smtp_needs_settings(self) -> MailSettings:
        if self.transport == "smtp" and self.smtp is None:
            raise ConfigProblem("smtp_needed")
        return self


# -- chat channels ([[chat]]) -------------------------------------------------------------------
CHAT_KINDS: Final = ("slack", "google_chat", "teams", "chatwork", "line_works")
# What a channel may be sent: each message's name in `send = [...]`.
CHAT_MESSAGES: Final = ("agenda", "reminder", "follow_up")
ENV_NAME: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# Keys someone might type a secret under: a secret never lives in the file (it would end up in
# backups, screenshots and version control), so each is refused with where it goes instead.
SECRET_KEYS: Final[dict[str, str]] = {
    "webhook": "webhook_env",
    "webhook_url": "webhook_env",
    "url": "webhook_env",
    "token": "token_env",
    "api_token": "token_env",
    "client_id": "client_id_env",
    "client_secret": "client_secret_env",
    "secret": "client_secret_env",
    "service_account": "service_account_env",
    "private_key": "private_key_file",
    "password": "token_env",
}


class _Chat(_Strict):
    """What every [[chat]] table has: which messages it is sent (all of them by default)."""

    send: tuple[Literal["agenda", "reminder", "follow_up"], ...] = CHAT_MESSAGES

    @model_validator(mode="before")
    @classmethod
    def _no_secret_in_the_file(cls, raw: Any) -> Any:
        """A secret typed into the file is refused naming the key, never echoing the value."""
        if not isinstance(raw, dict):
            return raw
        for key, value in raw.items():
            if key in SECRET_KEYS:
                raise ConfigProblem("chat_secret_in_file", key=key, instead=SECRET_KEYS[key])
            if key.endswith("_env") and not (isinstance(value, str) and ENV_NAME.match(value)):
                raise ConfigProblem("chat_env_not_a_name", key=key)
            if key.endswith("_file") and str(value).lstrip().startswith("-----BEGIN"):
                raise ConfigProblem("chat_secret_in_file", key=key, instead=key)
        return raw

    @field_validator("send")
    @classmethod
    def _sends_something(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or len(set(value)) != len(value):
            raise ConfigProblem("chat_send_list", names=", ".join(CHAT_MESSAGES))
        return value


class WebhookChat(_Chat):
    """Slack, Google Chat or Teams: an incoming-webhook URL, from an environment variable."""

    kind: Literal["slack", "google_chat", "teams"]
    webhook_env: str


class ChatworkChat(_Chat):
    """A Chatwork room, posted to with an API token from an environment variable."""

    kind: Literal["chatwork"]
    room: str
    token_env: str
    task: bool = False  # the decided next step becomes a task for its owner
    people: dict[str, int] = Field(default_factory=dict)  # owner name → Chatwork account id

    @field_validator("room", mode="before")
    @classmethod
    def _room_is_digits(cls, value: Any) -> str:
        text = str(value).strip()
        if not text.isdigit() or not text.isascii():
            raise ConfigProblem("chatwork_room")
        return text


class LineWorksChat(_Chat):
    """A LINE WORKS talk room the bot was added to; the service account signs in with a key."""

    kind: Literal["line_works"]
    bot: str
    channel: str
    client_id_env: str
    client_secret_env: str
    service_account_env: str
    private_key_file: str

    @field_validator("bot", mode="before")
    @classmethod
    def _bot_is_digits(cls, value: Any) -> str:
        text = str(value).strip()
        if not text.isdigit() or not text.isascii():
            raise ConfigProblem("line_works_bot")
        return text


ChatSettings = Annotated[WebhookChat | ChatworkChat | LineWorksChat, Field(discriminator="kind")]


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
    chat: tuple[ChatSettings, ...] = ()

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return _zone_name(value)

    @field_validator("chat", mode="before")
    @classmethod
    def _chat_kinds_are_known(cls, value: Any) -> Any:
        """Each [[chat]] table names a kind this version knows (said before pydantic's words)."""
        for table in value if isinstance(value, list | tuple) else ():
            if isinstance(table, dict) and table.get("kind") not in CHAT_KINDS:
                raise ConfigProblem("chat_kind", kinds=", ".join(CHAT_KINDS))
        return value

    @field_validator("client")
    @classmethod
    def _client_is_one_line(cls, value: str) -> str:
        if any(ch in value for ch in "\r\n"):
            raise ConfigProblem("one_line")
        return value


def _zone_name(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigProblem("unknown_zone", value=repr(value)) from None
    return value


def _one_line_setting(value: str | None) -> str | None:
    if value is None:
        return None
    if any(ch in value for ch in "\r\n"):
        raise ConfigProblem("one_line")
    return value or None


def _one_address(value: str) -> str:
    """One address, `user@host` or `Name <user@host>` (a quoted name may hold , ; and quotes),
    as RFC 5322 reads it: a mail header can carry it, and no second address hides in it."""
    try:
        one_address(value)
    except NotAnAddress:
        raise ConfigProblem("not_an_address", value=repr(value)) from None
    return value


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

    def local_time(self, moment: datetime) -> str:
        """A moment as the client reads it: "2026-12-03 02:11" in their zone (a naive one is
        taken as already local)."""
        local = moment.astimezone(self.tz) if moment.tzinfo is not None else moment
        return local.strftime("%Y-%m-%d %H:%M")

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

    @property
    def chat(self) -> tuple[WebhookChat | ChatworkChat | LineWorksChat, ...]:
        return self.model.chat

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
                "path_absolute", path=self.path, key=key, value=repr(relative), folder=self.folder
            )
        resolved = (self.folder / candidate).resolve()
        if absolute_ok:
            # A key that may name any absolute path may also name a symbolic link placed in
            # the folder (a workbook in a shared folder): only `..` is checked, by the text.
            resolved = Path(os.path.normpath(self.folder.resolve() / candidate))
        if not resolved.is_relative_to(self.folder.resolve()):
            raise ConfigError(
                "path_outside", path=self.path, key=key, value=repr(relative), folder=self.folder
            )
        return resolved


def load_config(path: Path | str) -> Config:
    """Read and validate a client config; raise ConfigError naming the key and the file.

    A file that cannot be read as TOML has no language yet: its error is said in the caller's
    (English outside a run). Once it parses, its errors are in the config's own language."""
    path = Path(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8-sig"))  # Notepad may add a BOM
    except FileNotFoundError:
        raise ConfigError("config_not_found", path=path) from None
    except UnicodeDecodeError:
        raise ConfigError("config_not_utf8", path=path) from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError("config_not_toml", path=path, reason=str(error)) from None
    except OSError as error:
        raise ConfigError("config_unreadable", path=path, reason=error.strerror or error) from None
    return config_from_dict(raw, path)


def language_of(raw: dict[str, Any]) -> Lang:
    """The language a parsed config's errors are said in: its `language` (ja when the key is
    absent, the config's own default), English when that value is not a valid one."""
    return "ja" if raw.get("language", "ja") == "ja" else "en"


def config_from_dict(raw: dict[str, Any], path: Path) -> Config:
    """Validate an already-parsed config mapping (used by load_config and new-client); its
    errors are in the config's language (`language_of`)."""
    with speaking(language_of(raw)):
        try:
            model = ConfigModel.model_validate(raw)
        except ValidationError as error:
            raise ConfigError("config_invalid", path=path, problems=problems(error)) from None
        config = Config(path=path.absolute(), model=model)
        if model.sheet.backend == "xlsx":
            config.workbook_path()
        templates = config.templates_path()
        if templates is not None and not templates.is_dir():
            raise ConfigError(
                "templates_dir_missing",
                path=path,
                value=repr(model.templates_dir),
                folder=templates,
            )
        config.outbox_path()
    return config


@dataclass(frozen=True)
class _Problems:
    """Every problem pydantic found, each framed by its key, as one line in either language."""

    items: tuple[Renderable | str, ...]

    def render(self, lang: Lang) -> str:
        separator = say("config.problems_separator", lang)
        return separator.join(
            item if isinstance(item, str) else item.render(lang) for item in self.items
        )


def problems(error: ValidationError) -> Renderable:
    """A ValidationError's problems in words of the table: our validators' own words
    (`ConfigProblem`), or pydantic's message framed by ours ("<key>: <problem>")."""
    return _Problems(tuple(_describe(item) for item in error.errors()))


def _describe(error: Any) -> Renderable | str:
    location = ".".join(str(part) for part in error["loc"] if not isinstance(part, int))
    location = location.replace("sender", "from")
    kind = error["type"]
    if kind == "extra_forbidden":
        return Phrase("config.unknown_key", {"key": repr(location)})
    if kind == "missing":
        return Phrase("config.key_required", {"key": location})
    found = error.get("ctx", {}).get("error")
    problem: Renderable | str = (
        found.phrase
        if isinstance(found, ConfigProblem)
        else str(error["msg"]).removeprefix("Value error, ")
    )
    given = error.get("input")
    if isinstance(given, str | int | float | bool):
        problem = Phrase("config.problem_got", {"problem": problem, "given": repr(given)})
    return Phrase("config.problem", {"key": location, "problem": problem}) if location else problem


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
        raise ConfigError("client_name_empty")
    if any(ch in cleaned for ch in "\r\n"):
        raise ConfigError("client_name_multiline")
    if len(cleaned) > CLIENT_NAME_MAX:
        raise ConfigError("client_name_too_long", count=len(cleaned), most=CLIENT_NAME_MAX)
    return cleaned


def spreadsheet_id(value: str) -> str:
    """A Google spreadsheet id from a URL or an id."""
    match = GOOGLE_ID.search(value)
    return match.group(1) if match else value.strip()


def spreadsheet_url(value: str) -> str:
    """The address staff open for a Google spreadsheet given as a URL or an id."""
    return f"https://docs.google.com/spreadsheets/d/{spreadsheet_id(value)}/edit"
