"""A client config's tables besides [[chat]]: [sheet], [meeting] (with its sections and roles),
[mail] (with [mail.smtp]), and portfolio.toml's [portfolio]."""

from __future__ import annotations

import re
import unicodedata
from datetime import time as dt_time
from typing import Annotated, Literal

from pydantic import ConfigDict, Field, field_validator, model_validator

from .base import ConfigProblem, Strict, one_address_setting, one_line_setting, zone_name

DEFAULT_SECTIONS: tuple[tuple[str, int], ...] = (
    ("last_step", 2),
    ("kpis", 5),
    ("learning", 5),
    ("next_step", 3),
)
DEFAULT_MINUTES = 15
DECIDING_SECTIONS = ("learning", "next_step")  # the two things every meeting decides
DEFAULT_REMIND_DAYS = 2
DEFAULT_FOLLOW_UP_DAYS = 1
MEETING_TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
# A link staff can open from a phone: http(s), one piece of text, none of the characters a chat's
# link markup or a mail header would read as its own (`<>|[]"` and spaces).
WEB_ADDRESS = re.compile(r"^https?://[^\s<>|\[\]\"\\`]+$", re.IGNORECASE)


class SheetSettings(Strict):
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


class Section(Strict):
    key: Literal["last_step", "kpis", "learning", "next_step"]
    minutes: Annotated[int, Field(ge=0, le=120)]


class MeetingRoles(Strict):
    """Who plays which part in the meeting (進行 / タイムキーパー / 記録); each one optional."""

    facilitator: str | None = None
    timekeeper: str | None = None
    recorder: str | None = None

    @field_validator("facilitator", "timekeeper", "recorder")
    @classmethod
    def _role_is_one_line(cls, value: str | None) -> str | None:
        return one_line_setting(value)


class MeetingSettings(Strict):
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
        return one_line_setting(value)

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


class SmtpSettings(Strict):
    host: str
    port: Annotated[int, Field(ge=1, le=65535)] = 587
    security: Literal["starttls", "ssl", "none"] = "starttls"
    username: str | None = None
    password_env: str | None = None
    timeout: Annotated[float, Field(gt=0, le=300)] = 30.0


class MailSettings(Strict):
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
        return one_address_setting(value)

    @field_validator("to", "cc")
    @classmethod
    def _recipients_are_one_line(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(one_address_setting(address) for address in value)

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


class PortfolioSettings(Strict):
    """portfolio.toml's [portfolio]: who gets the weekly digest, and in which time zone it runs."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    to: tuple[str, ...] = ()
    timezone: str = "Asia/Tokyo"  # the consultant's zone: when an ISO week starts

    @field_validator("timezone")
    @classmethod
    def _known_timezone(cls, value: str) -> str:
        return zone_name(value)
