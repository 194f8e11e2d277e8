"""TOML config → a validated, frozen client config; every mistake names the key and the file."""

from __future__ import annotations

import os
import re
import string
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Final, Literal
from zoneinfo import ZoneInfo

from pydantic import Field, ValidationError, field_validator

from ..errors import ConfigError
from ..util.files import short_stem
from ..words.lang import Lang, speaking
from .base import ConfigProblem, Strict, problems, zone_name
from .chats import CHAT_KINDS, ChatSettings, ChatworkChat, LineWorksChat, WebhookChat
from .sections import MailSettings, MeetingSettings, SheetSettings

CLIENT_NAME_MAX = 100
GOOGLE_ID = re.compile(r"/spreadsheets/d/([A-Za-z0-9_-]+)")


# A new client's zone until its config says otherwise (the first users are in Japan).
DEFAULT_TIMEZONE: Final = "Asia/Tokyo"


def local_today(zone: str = DEFAULT_TIMEZONE) -> date:
    """Today's date where the client is, not where the machine runs (cron often runs in UTC)."""
    return datetime.now(ZoneInfo(zone)).date()


class ConfigModel(Strict):
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
        return zone_name(value)

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


_NOT_IN_SLUG: Final = re.compile(
    "[\\s" + re.escape("".join(ch for ch in string.punctuation if ch not in "-_")) + "]+"
)


def slugify(name: str) -> str:
    """A file-name-safe slug for a client name; Japanese names keep their characters, and a
    long name is cut (with a short hash) so every file named after it fits the file system.
    ASCII punctuation other than - and _ becomes -: a shell reads `'` `(` `&` `$` in a path,
    so `--config config/clients/bob's-cafe.toml` would not run as new-client prints it."""
    text = unicodedata.normalize("NFKC", name).strip().lower()
    text = _NOT_IN_SLUG.sub("-", text).strip("-")
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
