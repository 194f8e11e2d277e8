"""Days and times as people read them (GLOSSARY: 12月7日(月), 12月7日 21:00(日本時間)): one set
of functions that the agenda, the follow-up and the portfolio all use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.when import day_words, meeting_words, moment_words, zone_words

TOKYO = ZoneInfo("Asia/Tokyo")


def test_a_day_carries_its_weekday() -> None:
    assert day_words(date(2026, 12, 7), "ja") == "12月7日(月)"
    assert day_words(date(2026, 12, 7), "en") == "Mon 7 Dec"


def test_a_meeting_is_its_day_and_when_set_its_time_with_the_zone_in_words() -> None:
    day = date(2026, 12, 9)
    assert meeting_words(day, "18:30", TOKYO, "ja") == "12月9日(水) 18:30(日本時間)"
    assert meeting_words(day, "18:30", TOKYO, "en") == "Wed 9 Dec, 18:30 (Japan time)"
    assert meeting_words(day, None, TOKYO, "ja") == "12月9日(水)"
    assert meeting_words(day, "", TOKYO, "en") == "Wed 9 Dec"


def test_a_moment_is_shown_in_the_zone_asked_for() -> None:
    """12:00 UTC is 21:00 in Tokyo: the reader's clock, never the machine's."""
    noon_utc = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert moment_words(noon_utc, "ja", TOKYO) == "12月7日 21:00(日本時間)"
    assert moment_words(noon_utc, "en", TOKYO) == "7 Dec 21:00 (Japan time)"


@pytest.mark.parametrize(
    ("zone", "ja", "en"),
    [
        (TOKYO, "日本時間", "Japan time"),
        (ZoneInfo("UTC"), "協定世界時", "UTC"),
        (ZoneInfo("Etc/UTC"), "協定世界時", "UTC"),
        (ZoneInfo("Europe/Berlin"), "Europe/Berlin時間", "Europe/Berlin time"),
        (timezone(timedelta(hours=9)), "UTC+9", "UTC+9"),
    ],
)
def test_a_zone_is_named_in_words_never_as_a_bare_offset_of_zero(
    zone: timezone | ZoneInfo, ja: str, en: str
) -> None:
    assert (zone_words(zone, "ja"), zone_words(zone, "en")) == (ja, en)
    assert "+0000" not in zone_words(zone, "ja")
