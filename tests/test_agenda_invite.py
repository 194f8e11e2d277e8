"""The agenda mail's calendar invite, parsed back with `email` and `icalendar` after delivery."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date, datetime, timedelta
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import icalendar
import pytest

from sheets_sync.config import Config, load_config
from sheets_sync.errors import ConfigError
from sheets_sync.meeting import build_message, deliver_for, event_uid, render_agenda
from tests.support.agenda_fixtures import NOW, make_report, write_config
from tests.support.smtp_server import Server, serve

TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def smtp_server() -> Iterator[Server]:
    """A plain SMTP server on 127.0.0.1 that accepts anything."""
    yield from serve()


def _with_meeting(config: Config, *lines: str) -> Config:
    """The fixture's config with more [meeting] keys, reloaded like the CLI would."""
    text = config.path.read_text(encoding="utf-8")
    text = text.replace("send_days_before = 1", "\n".join(["send_days_before = 1", *lines]))
    config.path.write_text(text, encoding="utf-8")
    return load_config(config.path)


def _timed(folder: Path, **options: Any) -> Config:
    return _with_meeting(
        write_config(folder, **options),
        'time = "18:30"',
        'place = "本店 2階"',
        'roles = { facilitator = "店長", timekeeper = "佐藤", recorder = "田中" }',
    )


def _message(config: Config, now: datetime = NOW) -> EmailMessage:
    return build_message(render_agenda(make_report(config.language), config), config, now=now)


def _bytes(payload: object) -> bytes:
    assert isinstance(payload, bytes)
    return payload


def _events(raw: bytes) -> tuple[icalendar.cal.Component, icalendar.cal.Component, str]:
    """The event from the text/calendar part and from the .ics attachment, and the part's method."""
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    calendar_parts = [p for p in parsed.walk() if p.get_content_type() == "text/calendar"]
    attachments = [p for p in parsed.iter_attachments() if p.get_filename() == "invite.ics"]
    assert len(calendar_parts) == 1 and len(attachments) == 1
    part, attachment = calendar_parts[0], attachments[0]
    inline = icalendar.Calendar.from_ical(_bytes(part.get_payload(decode=True)))
    attached = icalendar.Calendar.from_ical(_bytes(attachment.get_payload(decode=True)))
    assert inline["METHOD"] == "REQUEST" and attached["METHOD"] == "REQUEST"
    (event,) = inline.walk("VEVENT")
    (same,) = attached.walk("VEVENT")
    return event, same, str(part.get_param("method"))


def test_the_mail_sent_over_smtp_carries_the_meeting_at_its_time_place_and_length(
    tmp_path: Path, smtp_server: Server
) -> None:
    """A real SMTP server receives an invite for 2026-11-15 18:30 Asia/Tokyo, 15 minutes, at the
    configured place, with the roles in the description, as text/calendar and as invite.ics."""
    config = _timed(
        tmp_path,
        transport="smtp",
        smtp={"host": "127.0.0.1", "port": smtp_server.port, "security": "none", "timeout": 5},
    )
    deliver_for(_message(config), config, password_env={})
    (envelope,) = smtp_server.collector.envelopes
    event, attached, method = _events(envelope.content)
    assert method == "REQUEST"
    start = event.decoded("DTSTART")
    assert start == datetime(2026, 11, 15, 18, 30, tzinfo=TOKYO)
    assert str(start.tzinfo) == "Asia/Tokyo"
    assert event["DTSTART"].params["TZID"] == "Asia/Tokyo"
    assert event.decoded("DURATION") == timedelta(minutes=15)
    assert str(event["LOCATION"]) == "本店 2階"
    description = str(event["DESCRIPTION"])
    assert "進行：店長" in description and "タイムキーパー：佐藤" in description
    assert "記録：田中" in description and "① 前回決めた一歩(2分)" in description
    assert str(event["SUMMARY"]).startswith("[さくら珈琲] 15分ミーティング 11月15日(日)")
    assert str(event["UID"]) == str(attached["UID"]) == event_uid(config, 3)
    assert str(event["ORGANIZER"]) == "mailto:kpi@sakura.example.jp"
    attendees = {str(a) for a in event.get("ATTENDEE")}
    assert attendees == {"mailto:team@sakura.example.jp", "mailto:owner@sakura.example.jp"}


def test_the_outbox_eml_holds_the_same_invite_and_a_resend_updates_the_event(
    tmp_path: Path,
) -> None:
    """Two sends of cycle 3 (the second a day later, as --force would) give one UID and a
    larger SEQUENCE and DTSTAMP, so a calendar updates the event instead of adding one."""
    config = _timed(tmp_path)
    first = Path(deliver_for(_message(config), config))
    second = Path(deliver_for(_message(config, NOW + timedelta(days=1)), config))
    assert first != second and first.suffix == ".eml"
    one, _, _ = _events(first.read_bytes())
    two, _, _ = _events(second.read_bytes())
    assert str(one["UID"]) == str(two["UID"])
    assert int(str(two["SEQUENCE"])) > int(str(one["SEQUENCE"]))
    assert two.decoded("DTSTAMP") > one.decoded("DTSTAMP")
    assert one.decoded("DTSTART") == two.decoded("DTSTART")


def test_without_a_time_the_invite_is_an_all_day_event_on_the_meeting_day(tmp_path: Path) -> None:
    """No meeting.time: DTSTART is the date 2026-11-15 (VALUE=DATE) and it ends the next day."""
    config = write_config(tmp_path)
    event, _, _ = _events(_message(config).as_bytes())
    assert event.decoded("DTSTART") == date(2026, 11, 15)
    assert not isinstance(event.decoded("DTSTART"), datetime)
    assert event.decoded("DTEND") == date(2026, 11, 16)
    assert "LOCATION" not in event


def test_a_longer_meeting_and_a_video_link(tmp_path: Path) -> None:
    """meeting.minutes = 30 gives a 30-minute event; a video link is the location and the URL."""
    config = _with_meeting(
        write_config(tmp_path, minutes=30),
        'time = "9:05"',
        'place = "https://meet.example.jp/abc-defg"',
    )
    event, _, _ = _events(_message(config).as_bytes())
    assert event.decoded("DTSTART") == datetime(2026, 11, 15, 9, 5, tzinfo=TOKYO)
    assert event.decoded("DURATION") == timedelta(minutes=30)
    assert str(event["LOCATION"]) == "https://meet.example.jp/abc-defg"
    assert str(event["URL"]) == "https://meet.example.jp/abc-defg"


def test_the_uid_differs_per_cycle_and_per_client(tmp_path: Path) -> None:
    """The UID is stable for one client and cycle, and different for another cycle or client."""
    sakura = write_config(tmp_path)
    other = write_config(tmp_path, name="ume", client="梅の湯")
    assert event_uid(sakura, 3) == event_uid(load_config(sakura.path), 3)
    assert len({event_uid(sakura, 3), event_uid(sakura, 4), event_uid(other, 3)}) == 3


def test_english_roles_are_labelled_in_english(tmp_path: Path) -> None:
    """An English client's description says Facilitator / Timekeeper / Recorder."""
    config = _timed(tmp_path, language="en")
    event, _, _ = _events(_message(config).as_bytes())
    description = str(event["DESCRIPTION"])
    assert "Facilitator: 店長" in description and "Recorder: 田中" in description


@pytest.mark.parametrize("value", ['"25:00"', '"6pm"', '"18:3"', "1830"])
def test_a_wrong_meeting_time_names_the_key(tmp_path: Path, value: str) -> None:
    """meeting.time must be HH:MM (24-hour); otherwise a ConfigError names meeting.time."""
    config = write_config(tmp_path)
    with pytest.raises(ConfigError, match=r"meeting\.time"):
        _with_meeting(config, f"time = {value}")


def test_an_unknown_role_is_refused(tmp_path: Path) -> None:
    """meeting.roles takes facilitator, timekeeper and recorder only (a typo is named)."""
    config = write_config(tmp_path)
    with pytest.raises(ConfigError, match=r"meeting\.roles\.chair"):
        _with_meeting(config, 'roles = { chair = "店長" }')


def test_a_link_inside_the_place_becomes_the_url_and_a_local_file_is_not_shared(
    tmp_path: Path,
) -> None:
    """place = "room / https://…": the link is the invite's URL; an .xlsx client's file:// sheet
    link stays out of the description (it points into the consultant's disk)."""
    config = _with_meeting(
        write_config(tmp_path), 'place = "本店2階 / https://meet.example.jp/x-y"', 'time = "18:00"'
    )
    rendered = render_agenda(
        replace(make_report("ja"), sheet_url="file:///srv/sakura.xlsx"), config
    )
    event, _, _ = _events(build_message(rendered, config, now=NOW).as_bytes())
    assert str(event["URL"]) == "https://meet.example.jp/x-y"
    assert "file://" not in str(event["DESCRIPTION"])
