"""The meeting as an iCalendar invite (RFC 5545 / iTIP REQUEST), made with the icalendar library.

One event per client and cycle. Its UID depends only on the client's config file and the cycle,
so a resend (`--force`, or an agenda after the cycle's dates moved) updates the event in the
staff's calendars instead of adding a second one. SEQUENCE must grow with every revision for a
calendar to accept the update; without state, the minutes since 2020-01-01 UTC at sending time
grow by themselves, so each later send supersedes the earlier one.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.headerregistry import Address
from typing import Final

from icalendar import Calendar, Event, vCalAddress, vText

from ..config import Config
from ..util.addresses import NotAnAddress, one_address
from ..words.core import say

PRODID: Final = "-//sheets-sync//agenda//EN"
UID_DOMAIN: Final = "sheets-sync.invalid"
_LINK: Final = re.compile(r"https?://\S+")
_SEQUENCE_EPOCH: Final = datetime(2020, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class MeetingInvite:
    """What the invite says: the meeting's day, its summary and a plain-text outline."""

    cycle: int
    day: date
    summary: str
    outline: tuple[str, ...]  # one line per agenda section, e.g. "① 前回決めた一歩(2分)"
    sheet_url: str | None = None


def event_uid(config: Config, cycle: int) -> str:
    """Stable per client (its config file's name and client name) and cycle."""
    digest = hashlib.sha256(f"{config.slug}\0{config.client}".encode()).hexdigest()[:20]
    return f"{digest}-cycle{cycle}@{UID_DOMAIN}"


def role_lines(config: Config) -> list[str]:
    """The configured roles, one line each, labelled in the client's language."""
    roles = config.meeting.roles
    return [
        say(words, config.language, person=person)
        for words, person in (  # in the invite's order
            ("invite.role.facilitator", roles.facilitator),
            ("invite.role.timekeeper", roles.timekeeper),
            ("invite.role.recorder", roles.recorder),
        )
        if person
    ]


def invite_ics(invite: MeetingInvite, config: Config, *, now: datetime) -> bytes:
    """A VCALENDAR with METHOD:REQUEST and one VEVENT (with its VTIMEZONE when timed)."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    calendar.add("calscale", "GREGORIAN")
    event = Event()
    event.add("uid", event_uid(config, invite.cycle))
    stamp = now.astimezone(UTC).replace(microsecond=0)
    event.add("dtstamp", stamp)
    event.add("sequence", max(0, int((stamp - _SEQUENCE_EPOCH).total_seconds() // 60)))
    event.add("summary", invite.summary)
    start = config.meeting.start_time()
    if start is None:
        event.add("dtstart", invite.day)  # VALUE=DATE: an all-day event on the meeting day
        event.add("dtend", invite.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")
    else:
        event.add("dtstart", datetime.combine(invite.day, start, tzinfo=config.tz))
        event.add("duration", timedelta(minutes=config.meeting.minutes))
    place = config.meeting.place
    if place:
        event.add("location", place)
        link = _LINK.search(place)
        if link is not None:
            event.add("url", link.group(0))
    event.add("description", _description(invite, config))
    event.add("status", "CONFIRMED")
    _add_people(event, config)
    calendar.add_component(event)
    if start is not None:
        calendar.add_missing_timezones()
    return bytes(calendar.to_ical())


def _description(invite: MeetingInvite, config: Config) -> str:
    lines = list(invite.outline)
    roles = role_lines(config)
    if roles:
        lines += ["", *roles]
    if invite.sheet_url and invite.sheet_url.startswith(("https://", "http://")):
        lines += ["", invite.sheet_url]  # a Google Sheet; a local file:// path helps nobody
    return "\n".join(lines)


def _parsed(text: str) -> Address | None:
    """The config's address (checked when the config was read), or None if it is not one."""
    try:
        return one_address(text)
    except NotAnAddress:
        return None


def _add_people(event: Event, config: Config) -> None:
    """ORGANIZER (mail.from) and one ATTENDEE per recipient: iTIP needs them for REQUEST."""
    sender = _parsed(config.mail.sender)
    organizer = vCalAddress(f"mailto:{sender.addr_spec if sender else ''}")
    organizer.params["cn"] = vText((sender.display_name if sender else "") or config.client)
    event.add("organizer", organizer)
    groups = (("REQ-PARTICIPANT", config.mail.to), ("OPT-PARTICIPANT", config.mail.cc))
    for role, recipients in groups:
        for recipient in recipients:
            person = _parsed(recipient)
            if person is None:
                continue
            attendee = vCalAddress(f"mailto:{person.addr_spec}")
            if person.display_name:
                attendee.params["cn"] = vText(person.display_name)
            attendee.params["role"] = vText(role)
            attendee.params["partstat"] = vText("NEEDS-ACTION")
            attendee.params["rsvp"] = vText("FALSE")
            event.add("attendee", attendee, encode=False)
