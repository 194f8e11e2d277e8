"""Days and times as people read them: 「12月7日(月)」, 「12月7日 21:00(日本時間)」 — never an
ISO stamp or a bare UTC offset in anything staff read (GLOSSARY)."""

from __future__ import annotations

from datetime import date, datetime, tzinfo
from typing import Final
from zoneinfo import ZoneInfo

from ..sheet.schema import Lang
from ..util.zones import labelled
from ..words.core import say

_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec")  # fmt: skip
_WEEKDAYS: Final[dict[Lang, tuple[str, ...]]] = {
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
# Time zones people name in words; any other zone is named by its key ("Europe/Paris time").
_ZONE_WORDS: Final[dict[str, str]] = {
    "Asia/Tokyo": "zone.japan",
    "Japan": "zone.japan",
    "UTC": "zone.utc",  # a server's clock: 「協定世界時」, not "UTC時間"
    "Etc/UTC": "zone.utc",
}


def day_words(day: date, lang: Lang) -> str:
    """「11月20日(金)」, "Fri 20 Nov"."""
    weekday = _WEEKDAYS[lang][day.weekday()]
    if lang == "ja":
        return f"{day.month}月{day.day}日({weekday})"
    return f"{weekday} {day.day} {_MONTHS[day.month - 1]}"


def terminal_day(day: date, lang: Lang) -> str:
    """A day in the consultant's terminal lines: 「12月8日(火)」 in Japanese, as a person reads
    it; English lines keep the ISO day they always showed (2026-12-08)."""
    return day_words(day, lang) if lang == "ja" else day.isoformat()


def terminal_moment(moment: datetime, lang: Lang, zone: tzinfo) -> str:
    """A moment in the consultant's terminal lines, in `zone` (a moment with no zone of its own
    is taken as already in it): 「12月3日 2:11(日本時間)」 in Japanese, as a person reads it;
    English lines keep the sortable form they always showed (2026-12-03 02:11 (Asia/Tokyo))."""
    if lang != "ja":
        return labelled(moment, zone)
    return moment_words(moment if moment.tzinfo else moment.replace(tzinfo=zone), lang, zone)


def date_words(day: date, lang: Lang) -> str:
    """「11月20日」, "20 Nov" (no weekday: a range, a table cell)."""
    if lang == "ja":
        return f"{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]}"


def span_words(start: date, end: date, lang: Lang) -> str:
    """「11月7日〜11月20日」, "7 Nov – 20 Nov"."""
    return say("when.span", lang, start=date_words(start, lang), end=date_words(end, lang))


def cycle_span(start: date, end: date, lang: Lang) -> str:
    """A cycle's days, short, as the agenda's subtitle and the Summary's learning log give
    them: 「11/26〜12/9」, "26 Nov – 9 Dec"."""
    if lang == "ja":
        return say(
            "when.span", lang, start=f"{start.month}/{start.day}", end=f"{end.month}/{end.day}"
        )
    return span_words(start, end, lang)


def zone_words(zone: tzinfo | None, lang: Lang) -> str:
    """A time zone in words: 「日本時間」, "Japan time", else its name ("Europe/Paris time")."""
    if isinstance(zone, ZoneInfo):
        if zone.key in _ZONE_WORDS:
            return say(_ZONE_WORDS[zone.key], lang)
        return say("zone.named", lang, zone=zone.key)
    # A fixed offset has no place name: said as the offset ("UTC+9").
    offset = zone.utcoffset(None) if zone is not None else None
    hours = offset.total_seconds() / 3600 if offset is not None else 0
    shown = f"{hours:+g}" if hours else ""
    return say("zone.offset", lang, offset=shown)


def moment_words(moment: datetime, lang: Lang, zone: tzinfo | None = None) -> str:
    """「11月19日 8:00(日本時間)」, "19 Nov 08:00 (Japan time)": in `zone` (default: the
    moment's own), which is named in words."""
    local = moment.astimezone(zone) if zone is not None and moment.tzinfo else moment
    clock = f"{local.hour}:{local.minute:02d}" if lang == "ja" else f"{local:%H:%M}"
    return say(
        "when.moment",
        lang,
        day=date_words(local.date(), lang),
        time=clock,
        zone=zone_words(zone or local.tzinfo, lang),
    )


def clock_words(time: str, zone: tzinfo | None, lang: Lang) -> str:
    """A configured meeting time with its zone: 「18:30(日本時間)」."""
    return say("when.clock", lang, time=time, zone=zone_words(zone, lang))


def meeting_words(day: date, time: str | None, zone: tzinfo | None, lang: Lang) -> str:
    """A meeting as people read it: 「12月9日(水) 18:30(日本時間)」, or its day alone when no
    time is set (the agenda, the follow-up and the portfolio all say it this way)."""
    shown = day_words(day, lang)
    if not time:
        return shown
    return say("when.day_clock", lang, day=shown, clock=clock_words(time, zone, lang))
