"""A message as a team chat shows it: short enough for a phone screen, built from the same view
models as the mail (the agenda's `AgendaView`, the reminder's `Missing`, the follow-up's
`FollowUpView`), in plain text only.

Every chat reads its own markup out of plain characters (`*bold*`, `<url|text>`, `[toall]`,
`@here`, `[text](url)`), so no text from a cell may carry one: each part is folded to its
full-width twin (`＊ ＜ ［ ＠ …`, natural in Japanese text) and a staff-typed `https://` loses
the power to become a link (`https：//`). Each chat's format then adds its own markup around
these parts (`chat/formats.py`); the sheet's link is the one link, and it comes from the config.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from ..config import Config
from ..core.when import day_words
from ..sheet.schema import LAYERS, TABS_BY_KEY, Lang
from ..words.core import count, join, say
from .follow_up import FollowUpView, NextRow
from .view import AgendaView, KpiRow

QUOTE_CHARS: Final = 60  # a quote longer than this is cut (the sheet has the rest)
REMINDER_LINES: Final = 6  # what the reminder asks for, then "and 2 more"
_FOLD: Final = str.maketrans(
    {"<": "＜", ">": "＞", "[": "［", "]": "］", "*": "＊", "_": "＿", "~": "〜", "`": "｀",
     "|": "｜", "@": "＠", "&": "＆", "#": "＃"}
)  # fmt: skip
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_SCHEME: Final = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*):(//)")


def plain(text: str) -> str:
    """One line of text no chat reads markup in: control characters and line breaks become
    spaces, markup characters their full-width twins."""
    return " ".join(_CONTROL.sub(" ", text).translate(_FOLD).split())


def staff(text: str) -> str:
    """Text from a cell: `plain`, and a typed address cannot become a link (`https：//…`)."""
    return _SCHEME.sub(r"\1：\2", plain(text))


@dataclass(frozen=True)
class ChatLink:
    """The message's one link: the sheet (from the config or Google), with its label."""

    url: str
    label: str


@dataclass(frozen=True)
class ChatTask:
    """A decided next step, for a chat that keeps tasks (Chatwork): what, whose, by when."""

    step: str
    owner: str
    due: date


@dataclass(frozen=True)
class ChatView:
    """A chat message: a title, a few one-line parts, the sheet's link; all plain text."""

    title: str
    lines: tuple[str, ...]
    link: ChatLink | None = None
    task: ChatTask | None = None  # the follow-up's decided step, for a chat that keeps tasks

    @classmethod
    def of(cls, title: str, lines: Iterable[str], link: ChatLink | None = None) -> ChatView:
        """A view whose every part is `plain` (the one way one is made)."""
        return cls(plain(title), tuple(p for line in lines if (p := plain(line))), link)

    @classmethod
    def from_text(cls, subject: str, text: str, link: ChatLink | None) -> ChatView:
        """Any message a chat has no short form for: its subject and its first lines."""
        lines = [line for line in text.splitlines() if line.strip()]
        return cls.of(subject, lines[:8], link)


def sheet_link(url: str | None, lang: Lang) -> ChatLink | None:
    return ChatLink(url, say("agenda.sheet", lang)) if url else None


# -- the agenda -------------------------------------------------------------------------------
def agenda_chat(view: AgendaView, config: Config) -> ChatView:
    """The agenda in a few lines: when and where, the two decisions, last time's step, the KPIs
    layer by layer, the best quote, open errors, the sheet."""
    lang = view.lang
    meeting = config.meeting
    title = say(
        "chat.agenda_title",
        lang,
        client=view.client,
        minutes=view.minutes,
        day=day_words(date.fromisoformat(view.meeting_date), lang),
        time=f" {meeting.time}" if meeting.time else "",
        cycle=view.cycle,
    )
    lines = [say("chat.place", lang, place=meeting.place)] if meeting.place else []
    lines.append(view.purpose)
    lines.extend(_last_step(view))
    lines.extend(_layers(view.kpis, lang))
    if view.quotes:
        best = view.quotes[0]
        quote = staff(best.quote)
        quote = quote if len(quote) <= QUOTE_CHARS else quote[: QUOTE_CHARS - 1] + "…"
        lines.append(say("chat.quote", lang, quote=quote, signal=best.signal_label))
    if view.checks.errors:
        errors = count("error", view.checks.errors, lang)
        checks = TABS_BY_KEY["checks"].title(lang)
        lines.append(say("chat.errors", lang, errors=errors, tab=checks))
    return ChatView.of(title, lines, sheet_link(view.sheet_url, lang))


# Whether last time's step was carried out (LastStep.status), as the chat says it.
_STEP_WORDS: Final[dict[str, str]] = {
    "done": "chat.step_done",
    "partly": "chat.step_partly",
    "not_done": "chat.step_not_done",
    "unknown": "chat.step_unknown",
}


def _last_step(view: AgendaView) -> list[str]:
    last, lang = view.last_step, view.lang
    if last.chosen_in is None:
        return []
    if not last.step:
        return [last.missing_text]
    owner = say("chat.owner", lang, owner=staff(last.owner)) if last.owner else ""
    status = say(_STEP_WORDS[last.status], lang)
    return [say("chat.last_step", lang, step=staff(last.step), owner=owner, status=status)]


def _layers(rows: Iterable[KpiRow], lang: Lang) -> list[str]:
    """One line per KPI layer, action first: each KPI's previous → current and its word. The
    previous value is the agenda's own (`KpiRow.before`: 「前回(サイクル1) 28%」 when it is not
    the cycle just before's), so chat and mail say the same; the first cycle compares nothing."""
    by_layer: dict[str, list[str]] = {}
    for row in rows:
        name = staff(row.name)
        word = say("chat.kpi_word", lang, word=row.word) if row.word else ""
        if row.before:
            kpi = say("chat.kpi_moved", lang, name=name, before=row.before,
                      current=row.current, word=word)  # fmt: skip
        else:
            kpi = say("chat.kpi_now", lang, name=name, current=row.current, word=word)
        by_layer.setdefault(row.layer, []).append(kpi)
    order = [layer for layer in LAYERS if layer in by_layer] + [
        layer for layer in by_layer if layer not in LAYERS
    ]
    labels = {row.layer: row.layer_label for row in rows}
    return [
        say("chat.layer", lang, layer=labels[layer], kpis=join(by_layer[layer], lang))
        for layer in order
    ]


# -- the input reminder -----------------------------------------------------------------------
def reminder_chat(
    config: Config, cycle: int, meeting: date, asks: Iterable[str], sheet_url: str | None
) -> ChatView:
    """The reminder in a few lines: the meeting, what to fill in (each from the sheet), where."""
    lang = config.language
    title = say(
        "chat.reminder_title",
        lang,
        client=config.client,
        cycle=cycle,
        day=day_words(meeting, lang),
    )
    wanted = [staff(line) for line in asks]
    lines = [say("reminder.item", lang, line=line) for line in wanted[:REMINDER_LINES]]
    if len(wanted) > REMINDER_LINES:
        lines.append(say("agenda.checks_more", lang, count=len(wanted) - REMINDER_LINES))
    lines.append(
        say(
            "reminder.where",
            lang,
            values=TABS_BY_KEY["values"].title(lang),
            evidence=TABS_BY_KEY["evidence"].title(lang),
            cycles=TABS_BY_KEY["cycles"].title(lang),
        )
    )
    return ChatView.of(title, lines, sheet_link(sheet_url, lang))


# -- the follow-up after the meeting -----------------------------------------------------------
def follow_up_chat(view: FollowUpView) -> ChatView:
    """The follow-up in a few lines: 決まったこと (the learning, the step and its owner, the next
    meeting — and the step as its owner's task, due at that meeting, for a chat that keeps
    tasks) or 記入のお願い (each blank cell); then the next cycle's row; the sheet."""
    lang = view.lang
    key = "chat.follow_up_decided_title" if view.is_decided else "chat.follow_up_asked_title"
    title = say(key, lang, client=view.client, cycle=view.cycle)
    lines: list[str] = []
    if view.is_decided:
        # Text from cells is `staff` (a typed address is no link); the config's place may be one.
        owner = say("follow_up.owner", lang, owner=staff(view.owner))
        step = say("follow_up.with_aside", lang, value=staff(view.step), aside=owner)
        decided = [
            ("follow_up.learning", staff(view.learning)),
            ("follow_up.next_step", step),
            ("follow_up.next_meeting", view.when),
        ]
        decided += [("follow_up.place_label", view.place)] if view.place else []
        lines += [
            say("chat.follow_up_item", lang, label=say(label, lang), value=value)
            for label, value in decided
        ]
    lines += [say("reminder.item", lang, line=staff(cell.text)) for cell in view.cells]
    lines += _row_lines(view.next_row, lang)
    chat = ChatView.of(title, lines, sheet_link(view.sheet_url, lang))
    if not (view.is_decided and view.step and view.owner):
        return chat
    return replace(chat, task=ChatTask(staff(view.step), view.owner, view.next_meeting))


def _row_lines(row: NextRow, lang: Lang) -> list[str]:
    """The next cycle's row on one line (「No. 4、開始日 2026/11/23、…」), or that it is there."""
    lines = [staff(row.intro)]
    if row.cells:
        cells = [say("chat.follow_up_cell", lang, header=c.label, value=c.value) for c in row.cells]
        lines.append(staff(join(cells, lang)))
    if row.note:
        lines.append(staff(row.note))
    return lines


def trial_message(config: Config, sheet_url: str | None) -> ChatView:
    """`chat-test`: one short message saying what will arrive here."""
    lang = config.language
    title = say("chat.test_title", lang, client=config.client)
    return ChatView.of(title, [say("chat.test_body", lang)], sheet_link(sheet_url, lang))
