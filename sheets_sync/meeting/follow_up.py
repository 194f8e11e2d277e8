"""The follow-up after the meeting: which cycle it is about, the days it may go out, and what it
says — 決まったこと when the meeting's decisions are in the sheet (the learning, the next step and
its owner), else 記入のお願い naming each cell still blank — worded here for the templates.

The cycle is the latest one whose meeting (its end date) has passed. That is not always the
review cycle: the review cycle moves on when the next agenda is due, and the follow-up's days
end there, so a follow-up is never about a meeting older than the latest one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from ..config import Config
from ..core.report import Cycle, FollowUp, Report, TabPlace
from ..core.when import day_words, meeting_words
from ..sheet.schema import CYCLE_DAYS, TABS_BY_KEY, Lang
from ..words.core import join, say

# The meeting's two decisions and who owns the step, as the Cycles tab's columns, in its order.
DECISIONS: Final = ("learning", "next_step", "owner")
# The next cycle's row, as staff add it: these columns, in this order.
ROW_COLUMNS: Final = ("cycle", "start", "end", "change")


# -- which cycle, which days ------------------------------------------------------------------
def follow_up_cycle(report: Report, today: date) -> Cycle | None:
    """The latest cycle whose meeting (its end date) is before today, if any."""
    held = [cycle for cycle in report.cycles if cycle.end < today]
    return max(held, key=lambda cycle: (cycle.end, cycle.cycle)) if held else None


def next_meeting(report: Report, cycle: Cycle) -> date:
    """The meeting after `cycle`'s: the next cycle's end, or two weeks on while it is not in the
    sheet yet."""
    following = report.cycle(cycle.cycle + 1)
    return following.end if following is not None else cycle.end + timedelta(days=CYCLE_DAYS)


def follow_up_window(report: Report, cycle: Cycle, config: Config) -> tuple[date, date] | None:
    """[meeting day + follow_up_days_after, the next agenda's due day): the days the follow-up
    may go out (a run that missed the first one catches up); None when it is off."""
    days = config.meeting.follow_up_days_after
    if days <= 0:
        return None
    until = next_meeting(report, cycle) - timedelta(days=config.meeting.send_days_before)
    return cycle.end + timedelta(days=days), until


def unrecorded(cycle: Cycle) -> tuple[str, ...]:
    """The decisions still blank in the cycle's row (column keys, in the tab's order)."""
    values = {"learning": cycle.learning, "next_step": cycle.next_step, "owner": cycle.owner}
    return tuple(key for key in DECISIONS if not values[key].strip())


# -- the view -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Item:
    """A label and its value (「学び」「目安で比較の質問が減った」), and what follows the value and
    is kept whole on a phone (「(担当：佐藤)」)."""

    label: str
    value: str
    aside: str = ""


@dataclass(frozen=True)
class CellLine:
    """A cell to fill: in one line (「「サイクル」タブ 4行目の「学び(1行)」(F4)」), and as a card
    shows it — the column's header as it stands, then where it is — with the link that opens
    it (Google), if any."""

    text: str
    column: str  # 「学び(1行)」
    where: str  # 「「サイクル」タブ 4行目・F4」
    url: str | None = None


@dataclass(frozen=True)
class NextRow:
    """The next cycle's row: to add (its cells, ready to copy), or already in the sheet."""

    cycle: int
    exists: bool
    intro: str
    cells: tuple[Item, ...]  # header as it stands → value as staff type it; () when it exists
    note: str  # one more thing about it ("" for none)


@dataclass(frozen=True)
class FollowUpView:
    """Everything the follow-up's templates and its chat form show, already worded."""

    lang: Lang
    which: FollowUp
    client: str
    cycle: int
    meeting: date
    next_meeting: date
    subject: str
    title: str
    intro: str
    decided: tuple[Item, ...]  # 決まったこと: the learning, the step and owner, the next meeting
    cells: tuple[CellLine, ...]  # 記入のお願い: each blank cell
    next_row_heading: str
    next_row: NextRow
    outro: str
    sheet_url: str | None
    sheet_label: str
    open_label: str
    footer: str
    learning: str  # the decisions as recorded, each on one line ("" in 記入のお願い)
    step: str
    owner: str
    when: str  # the next meeting: 「12月20日(日) 18:30(日本時間)」
    place: str  # `meeting.place` ("" without one)

    @property
    def is_decided(self) -> bool:
        return self.which == "decided"

    # The plain-text part's lines (the HTML lays the same parts out itself).
    def item_line(self, item: Item) -> str:
        return say("follow_up.item", self.lang, label=item.label, value=self.value_of(item))

    def value_of(self, item: Item) -> str:
        """The value with its aside, as one line says it (「試飲を増やす(担当：佐藤)」)."""
        if not item.aside:
            return item.value
        return say("follow_up.with_aside", self.lang, value=item.value, aside=item.aside)

    def bullet(self, text: str) -> str:
        return say("reminder.item", self.lang, line=text)

    @property
    def sheet_line(self) -> str:
        return self.item_line(Item(self.sheet_label, self.sheet_url or ""))


def build_follow_up(report: Report, config: Config, cycle: Cycle) -> FollowUpView:
    """The follow-up about `cycle`'s meeting."""
    lang, client = config.language, config.client
    place = cycles_place(report, lang)
    blank = unrecorded(cycle)
    which: FollowUp = "asked" if blank else "decided"
    meeting, coming = cycle.end, next_meeting(report, cycle)
    day, when = (
        day_words(meeting, lang),
        meeting_words(coming, config.meeting.time, config.tz, lang),
    )
    where = config.meeting.place or ""
    learning, step, owner = (
        one_line(text) for text in (cycle.learning, cycle.next_step, cycle.owner)
    )
    subject_key = "follow_up.subject_decided" if which == "decided" else "follow_up.subject_asked"
    title_key = "follow_up.title_decided" if which == "decided" else "follow_up.title_asked"
    intro_key = "follow_up.intro_decided" if which == "decided" else "follow_up.intro_asked"
    return FollowUpView(
        lang=lang,
        which=which,
        client=client,
        cycle=cycle.cycle,
        meeting=meeting,
        next_meeting=coming,
        subject=say(subject_key, lang, client=client, cycle=cycle.cycle),
        title=say(title_key, lang, cycle=cycle.cycle),
        intro=say(intro_key, lang, day=day),
        decided=() if blank else _decided(learning, step, owner, (when, where), lang),
        cells=tuple(_cell(place, cycle.row, key, lang) for key in blank),
        next_row_heading=say("follow_up.next_row_heading", lang),
        next_row=_next_row(report, cycle, place, lang),
        outro=say("follow_up.outro_asked", lang) if blank else "",
        sheet_url=report.sheet_url,
        sheet_label=say("agenda.sheet", lang),
        open_label=say("follow_up.open_cell", lang),
        footer=say("follow_up.footer", lang),
        learning="" if blank else learning,
        step="" if blank else step,
        owner="" if blank else owner,
        when=when,
        place=where,
    )


def cycles_place(report: Report, lang: Lang) -> TabPlace:
    """Where the Cycles tab is (the schema's title and no letters when the report knows none)."""
    return report.places.get("cycles") or TabPlace(TABS_BY_KEY["cycles"].title(lang))


def asked_for(view: FollowUpView) -> str:
    """The columns a 記入のお願い asked for, joined (the Log's note): 「学び(1行)、担当」."""
    return join((line.column for line in view.cells), view.lang)


def _decided(
    learning: str, step: str, owner: str, meeting: tuple[str, str], lang: Lang
) -> tuple[Item, ...]:
    when, place = meeting
    items = (
        Item(say("follow_up.learning", lang), learning),
        Item(say("follow_up.next_step", lang), step, say("follow_up.owner", lang, owner=owner)),
        Item(say("follow_up.next_meeting", lang), when),
    )
    return (*items, Item(say("follow_up.place_label", lang), place)) if place else items


def _cell(place: TabPlace, row: int, column: str, lang: Lang) -> CellLine:
    header = _header(place, column, lang)
    letter = place.letters.get(column)
    if letter is None:
        text = say("follow_up.cell_no_column", lang, tab=place.title, row=row, column=header)
        return CellLine(text, header, text)
    cell = f"{letter}{row}"
    text = say("follow_up.cell", lang, tab=place.title, row=row, column=header, cell=cell)
    where = say("follow_up.cell_where", lang, tab=place.title, row=row, cell=cell)
    return CellLine(text, header, where, place.cell_url(column, row))


def _header(place: TabPlace, column: str, lang: Lang) -> str:
    return place.headers.get(column) or TABS_BY_KEY["cycles"].column(column).header(lang)


def _next_row(report: Report, cycle: Cycle, place: TabPlace, lang: Lang) -> NextRow:
    """The next cycle's row as it should be: No., 開始日, 終了日, 改善 = the next step."""
    following = report.cycle(cycle.cycle + 1)
    step = one_line(cycle.next_step)
    if following is not None:
        return _row_there(following, step, place, lang)
    return _row_to_add(cycle, step, place, lang)


def _row_there(following: Cycle, step: str, place: TabPlace, lang: Lang) -> NextRow:
    """Staff added it already: said so (with its 改善 cell asked for when it is blank)."""
    start, end = day_words(following.start, lang), day_words(following.end, lang)
    period = say("follow_up.period", lang, start=start, end=end)
    intro = say("follow_up.next_row_exists", lang, cycle=following.cycle, period=period)
    letter = place.letters.get("change")
    note = ""
    if step and not following.change.strip() and letter is not None:
        column, cell = _header(place, "change", lang), f"{letter}{following.row}"
        note = say("follow_up.next_row_change", lang, column=column, cell=cell, step=step)
    return NextRow(following.cycle, True, intro, (), note)


def _row_to_add(cycle: Cycle, step: str, place: TabPlace, lang: Lang) -> NextRow:
    """Its cells ready to copy, where to add it; a 改善 not decided yet is left out, said."""
    start = cycle.end + timedelta(days=1)
    values = {
        "cycle": str(cycle.cycle + 1),
        "start": typed_day(start, lang),
        "end": typed_day(start + timedelta(days=CYCLE_DAYS - 1), lang),
        "change": step,
    }
    # The columns the tab has (all of them when the report knows none).
    cells = tuple(
        Item(_header(place, key, lang), values[key])
        for key in ROW_COLUMNS
        if (key in place.letters or not place.letters) and values[key]
    )
    intro = say("follow_up.next_row_add", lang, tab=place.title, row=place.free_row)
    change = _header(place, "change", lang)
    note = "" if step else say("follow_up.next_row_step", lang, column=change)
    return NextRow(cycle.cycle + 1, False, intro, cells, note)


def typed_day(day: date, lang: Lang) -> str:
    """A date as staff type it in a cell, with its year (so it is never ambiguous)."""
    return f"{day.year}/{day.month}/{day.day}" if lang == "ja" else day.isoformat()


def one_line(text: str) -> str:
    """Text from a cell on one line (a learning typed over two lines reads as one)."""
    return " ".join(text.split())
