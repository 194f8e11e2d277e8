"""The input reminder: what the review cycle still lacks, and the short mail that asks for it."""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date, timedelta

from ..config import Config
from ..core.report import Cycle, Report
from ..core.when import day_words
from ..sheet.schema import TABS_BY_KEY, Lang
from ..words.core import join, say
from . import fixes
from .chat_view import reminder_chat
from .render import RenderedAgenda


@dataclass(frozen=True)
class Missing:
    """What the review cycle lacks before its meeting; empty means nothing to ask for."""

    cycle: int
    meeting: date
    lines: tuple[str, ...]  # 「サイクル3の「成約率」(K4)がまだ入力されていません(…)。」 …

    def summary(self, lang: Lang) -> str:
        return join(self.lines, lang)


def reminder_window(cycle: Cycle, config: Config) -> tuple[date, date] | None:
    """[meeting day − remind_days_before, the agenda's due day): the days a reminder may go out
    (a run that missed the first day catches up); None when reminders are off."""
    days = config.meeting.remind_days_before
    if days <= 0:
        return None
    return cycle.end - timedelta(days=days), cycle.end - timedelta(
        days=config.meeting.send_days_before
    )


def reminder_cycle(report: Report, config: Config, today: date) -> Cycle | None:
    """The cycle whose meeting is coming and whose reminder window contains today.

    It is the *next* meeting's cycle: on these days the review cycle is still the one before
    (the review cycle moves on when the agenda is due).
    """
    for cycle in sorted(report.cycles, key=lambda c: c.cycle, reverse=True):
        window = reminder_window(cycle, config)
        if window is not None and window[0] <= today < window[1]:
            return cycle
    return None


def missing_inputs(report: Report, cycle: Cycle, lang: Lang) -> Missing:
    """Every fix staff can make before the meeting, each with where to make it: the cycle's
    typed KPIs without a value, its evidence when there is none or too little, a value to
    check, each row an error left out (of this cycle, the one before, or of no known cycle),
    and its hypothesis or change when blank."""
    # A tab the sync could not read is named as such: its rows may well be there.
    unreadable = [key for key in ("values", "evidence") if report.could_not_read(key)]
    lines = [
        say("reminder.unreadable", lang, tab=TABS_BY_KEY[key].title(lang)) for key in unreadable
    ]
    lines += fixes.missing_values(report, cycle, lang)
    lines += fixes.evidence(report, cycle, lang)
    lines += fixes.doubted_values(report, cycle.cycle, lang)
    before = report.cycle_before(cycle.cycle)
    cycles = {cycle.cycle, None} | ({before.cycle} if before is not None else set())
    lines += fixes.lost_rows(report, cycles, lang)
    lines += fixes.cycle_columns(cycle, lang)
    return Missing(cycle.cycle, cycle.end, tuple(lines))


def render_reminder(
    missing: Missing, config: Config, sheet_url: str | None = None
) -> RenderedAgenda:
    """Subject, plain text and a plain HTML copy of the reminder (no pictures), and its short
    form for a team chat (with the sheet's link, when there is one staff can open)."""
    lang = config.language
    day = day_words(missing.meeting, lang)
    subject = say("reminder.subject", lang, client=config.client, cycle=missing.cycle, date=day)
    intro = say("reminder.intro", lang, day=day, cycle=missing.cycle)
    where = say(
        "reminder.where",
        lang,
        values=TABS_BY_KEY["values"].title(lang),
        evidence=TABS_BY_KEY["evidence"].title(lang),
        cycles=TABS_BY_KEY["cycles"].title(lang),
    )
    outro = say("reminder.outro", lang)
    bullets = [f"  {say('reminder.item', lang, line=line)}" for line in missing.lines]
    text = "\n".join([intro, "", *bullets, "", where, outro, ""])
    items = "".join(f"<li>{html.escape(line)}</li>" for line in missing.lines)
    body = (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{html.escape(subject)}</title></head><body>"
        f"<p>{html.escape(intro)}</p><ul>{items}</ul>"
        f"<p>{html.escape(where)}</p><p>{html.escape(outro)}</p></body></html>\n"
    )
    chat = reminder_chat(config, missing.cycle, missing.meeting, missing.lines, sheet_url)
    return RenderedAgenda(
        subject=subject, text=text, html=body, images={}, cycle=missing.cycle, chat=chat
    )
