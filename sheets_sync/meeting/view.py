"""The agenda's view model: everything the templates show, chosen, worded and formatted here."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Final, Literal, TypedDict

from ..config import Config
from ..core.report import Cycle, Report
from ..core.summary_kpis import about_person_rows
from ..core.when import cycle_span, day_words, meeting_words
from ..errors import UsageError
from ..sheet.schema import LAYERS, TABS_BY_KEY, Lang
from ..words.core import say
from .chain import intermediate_moves, layer_states, note_for
from .checks_view import ChecksView, FreshnessView, checks_view, freshness_view
from .evidence_view import QuoteView, evidence_view
from .invite import role_lines
from .kpi_rows import KpiRow, RowContext, SignalRow, kpi_row
from .measure import read_kpi

__all__ = ["AgendaView", "KpiRow", "SignalRow", "build_view"]

LEARNINGS: Final = 3  # the last learnings shown in section ③, newest first
SAME_STEP: Final = 0.6  # texts this similar (0-1, after folding) say the same step
_CIRCLED: Final = "①②③④⑤⑥⑦⑧⑨"

_DONE: Final[dict[str, Literal["done", "partly", "not_done", "unknown"]]] = {
    "yes": "done",
    "partial": "partly",
    "no": "not_done",
}
# The words for what the agenda shows: a section's title, what 一歩の実施 says.
_SECTION_WORDS: Final[dict[str, str]] = {
    "last_step": "agenda.section.last_step",
    "kpis": "agenda.section.kpis",
    "learning": "agenda.section.learning",
    "next_step": "agenda.section.next_step",
}
_STEP_DONE_WORDS: Final[dict[str, str]] = {
    "yes": "agenda.step_done.yes",
    "partial": "agenda.step_done.partial",
    "no": "agenda.step_done.no",
}
# Characters that do not change what a step says (quotes, punctuation, spaces).
_FOLD: Final = str.maketrans("", "", "「」『』()（）、。・,. 　!?！？\n")


@dataclass(frozen=True)
class SectionView:
    """One timeboxed part of the meeting."""

    key: str  # last_step | kpis | learning | next_step
    number: str  # ① ② …
    title: str
    minutes: int
    heading: str  # "① 前回決めた一歩(2分)"


@dataclass(frozen=True)
class LastStepView:
    """The step chosen last cycle and whether it was done: as recorded, or a question. In the
    first cycle there is no earlier step, and nothing is asked about one."""

    chosen_in: int | None  # the cycle where it was chosen
    label: str  # "サイクル2で決めた一歩"
    step: str  # the step as written, "" when none was written
    missing_text: str  # said instead when no step was written
    owner: str  # the owner of that step (担当 always means the next step's owner)
    owner_text: str  # "担当：佐藤", "" without an owner
    status: Literal["done", "partly", "not_done", "unknown"]  # unknown: the agenda asks
    status_text: str  # "" in the first cycle: there is nothing to ask about
    action_kpis: tuple[KpiRow, ...]
    change: str  # the review cycle's one change, when it is not the step chosen last time
    change_text: str  # "このサイクルの改善：…", "" without one
    hypothesis: str
    relation_text: str = ""  # 「前回の一歩が今回の改善になっています。」 when they match


@dataclass(frozen=True)
class AgendaView:
    """Everything the agenda templates show, already worded in the client's language."""

    lang: Lang
    client: str
    cycle: int
    subject: str
    title: str
    subtitle: str
    purpose: str
    meeting_date: str  # ISO, the review cycle's end date
    minutes: int
    sections: tuple[SectionView, ...]
    last_step: LastStepView
    kpis: tuple[KpiRow, ...]
    signals: tuple[SignalRow, ...]
    signals_previous_cycle: int | None
    quotes: tuple[QuoteView, ...]
    hypothesis_prompt: str
    learning_written: str
    learning_hint: str
    learning_prompts: tuple[str, ...]
    next_step_rule: str
    next_step_where: str
    ground_rule: str
    sheet_url: str | None
    sheet_label: str
    chain_note: str
    checks: ChecksView
    freshness: FreshnessView
    meeting: tuple[str, ...] = ()  # when, where and who: 「日時：…」「場所：…」「進行：…」
    first: bool = False  # the first cycle: nothing is compared
    chain_lead: str = ""  # 「行動→中間→結果の順に見ると：」, "" in the first cycle
    signals_heading: str = ""  # 「証拠のサイン(サイクル3：全6件 → サイクル4：全4件)」
    signals_title: str = ""  # 「証拠のサイン」 (above the table, whose first row is the totals)
    signals_previous_label: str = ""  # 「サイクル3」 (a table column's head), "" in the first
    signals_current_label: str = ""
    signals_totals: tuple[str, str, str] = ("", "", "")  # 「全体」, the two cycles' row counts
    learnings: tuple[str, ...] = ()  # the last learnings before this cycle, newest first
    learnings_title: str = ""
    footer: str = ""  # 「このメールはシートの内容から自動で作成しています。」


def build_view(report: Report, config: Config, *, cycle: int | None = None) -> AgendaView:
    """The agenda for `cycle` (default: the report's review cycle)."""
    lang = config.language
    number = cycle if cycle is not None else report.review_cycle
    if number is None:
        raise UsageError("no_cycle_in_sheet")
    review = report.cycle(number)
    if review is None:
        raise UsageError("cycle_not_in_sheet", cycle=number)
    before = report.cycle_before(number)
    rows = _kpi_rows(report, _row_context(report, config, review, before))
    shown = evidence_view(report, review, before, lang)
    client = config.client
    minutes = config.meeting.minutes
    day = day_words(review.end, lang)
    signals = shown.signals
    return AgendaView(
        lang=lang,
        client=client,
        cycle=number,
        subject=say("agenda.subject", lang, client=client, minutes=minutes, date=day, cycle=number),
        title=say("agenda.title", lang, client=client, minutes=minutes),
        subtitle=say(
            "agenda.subtitle", lang, cycle=number, period=cycle_span(review.start, review.end, lang)
        ),
        meeting_date=review.end.isoformat(),
        minutes=minutes,
        sections=_sections(config, lang),
        last_step=_last_step(report, review, before, rows, lang),
        kpis=rows,
        signals=signals.rows,
        signals_previous_cycle=before.cycle if before else None,
        quotes=shown.quotes,
        hypothesis_prompt=(
            say("agenda.hypothesis_prompt", lang, hypothesis=review.hypothesis)
            if review.hypothesis
            else ""
        ),
        learning_written=_learning_written(report, review, lang),
        learning_prompts=shown.prompts,
        sheet_url=report.sheet_url,
        chain_note=note_for(layer_states(report, number), lang, intermediate_moves(report, number)),
        checks=checks_view(report, lang),
        freshness=freshness_view(report, config, review, before, rows, shown.items),
        meeting=_meeting(review, config),
        first=before is None,
        chain_lead="" if before is None else say("agenda.chain_lead", lang),
        signals_heading=signals.heading,
        signals_previous_label=signals.previous_label,
        signals_current_label=signals.current_label,
        signals_totals=signals.totals,
        learnings=_learnings(report, review, lang),
        **_fixed_words(lang),
    )


class _FixedWords(TypedDict):
    """The agenda's words that depend on nothing but the language."""

    purpose: str
    learning_hint: str
    next_step_rule: str
    next_step_where: str
    ground_rule: str
    sheet_label: str
    signals_title: str
    learnings_title: str
    footer: str


def _fixed_words(lang: Lang) -> _FixedWords:
    return {
        "purpose": say("agenda.purpose", lang),
        "learning_hint": say("agenda.learning_hint", lang),
        "next_step_rule": say("agenda.next_step_rule", lang),
        "next_step_where": say(
            "agenda.next_step_where", lang, tab=TABS_BY_KEY["cycles"].title(lang)
        ),
        "ground_rule": say("agenda.ground_rule", lang),
        "sheet_label": say("agenda.sheet", lang),
        "signals_title": say("agenda.signals_title", lang),
        "learnings_title": say("agenda.learnings_title", lang),
        "footer": say("agenda.footer", lang),
    }


def _row_context(report: Report, config: Config, review: Cycle, before: Cycle | None) -> RowContext:
    """What every KPI row is said against: the review cycle and the one before it."""
    evidence = report.evidence_for(review.cycle)
    return RowContext(
        review,
        config.language,
        config.mail.images,
        first=before is None,
        just_before=before.cycle if before else None,
        thin=bool(evidence is not None and evidence.get("thin")),
        unreadable=report.unreadable,
    )


def _kpi_rows(report: Report, context: RowContext) -> tuple[KpiRow, ...]:
    """Each KPI at the cycle, action first, then intermediate, then result."""
    number = context.cycle.cycle
    rows = (
        kpi_row(kpi, read_kpi(kpi, number), index, context)
        for index, kpi in enumerate(report.kpis, start=1)
    )
    return tuple(sorted(rows, key=_layer_order))


# --- when, where, who; sections -------------------------------------------------------------


def _meeting(review: Cycle, config: Config) -> tuple[str, ...]:
    """The meeting's day (and time, with its zone), its place and its roles, one line each."""
    lang, meeting = config.language, config.meeting
    day = meeting_words(review.end, meeting.time, config.tz, lang)
    lines = [say("agenda.meeting_when", lang, when=day)]
    if meeting.place:
        lines.append(say("agenda.meeting_place", lang, place=meeting.place))
    roles = role_lines(config)
    if roles:
        lines.append(say("list.roles", lang).join(roles))
    return tuple(lines)


def _sections(config: Config, lang: Lang) -> tuple[SectionView, ...]:
    boxes = [(key, minutes) for key, minutes in config.meeting.timeboxes() if minutes > 0]
    sections = []
    for index, (key, minutes) in enumerate(boxes):
        number = _CIRCLED[index] if index < len(_CIRCLED) else f"{index + 1}."
        title = say(_SECTION_WORDS[key], lang)
        heading = say("agenda.heading", lang, number=number, title=title, minutes=minutes)
        sections.append(SectionView(key, number, title, minutes, heading))
    return tuple(sections)


def _layer_order(row: KpiRow) -> int:
    """Action, then intermediate, then result: the order the method builds them in."""
    return LAYERS.index(row.layer) if row.layer in LAYERS else len(LAYERS)


# --- the last step -----------------------------------------------------------------------------


def same_step(step: str, change: str) -> bool:
    """Whether this cycle's change is the step chosen last time, in the same or close words
    (quotes, punctuation and spaces aside): pure, for the agenda's section ①."""
    a, b = step.translate(_FOLD), change.translate(_FOLD)
    if not a or not b:
        return False
    if a in b or b in a:
        return True
    return SequenceMatcher(None, a, b).ratio() >= SAME_STEP


def _last_step(
    report: Report, review: Cycle, previous: Cycle | None, rows: tuple[KpiRow, ...], lang: Lang
) -> LastStepView:
    """Was last time's step carried out? As staff recorded it (一歩の実施), else a question:
    the agenda never asserts it from a KPI. The first cycle has no earlier step: it says so
    and asks nothing."""
    change = review.change.strip()
    change_text = say("agenda.change_this_cycle", lang, change=change) if change else ""
    if previous is None:
        return LastStepView(
            chosen_in=None,
            label=say("agenda.last_step_first", lang),
            step="",
            missing_text="",
            owner="",
            owner_text="",
            status="unknown",
            status_text="",
            action_kpis=(),
            change=change,
            change_text=change_text,
            hypothesis=review.hypothesis,
        )
    actions = tuple(row for row in rows if row.layer == "action")
    step = previous.next_step.strip()
    # Beside a learning about a person, the owner's name is left out (nobody is blamed).
    owner = "" if previous.row in about_person_rows(report) else previous.owner.strip()
    if review.step_done is not None:
        status = _DONE[review.step_done]
        status_text = say(_STEP_DONE_WORDS[review.step_done], lang)
    else:
        status = "unknown"
        status_text = say("agenda.step_done.ask", lang)
    same = same_step(step, change)
    return LastStepView(
        chosen_in=previous.cycle,
        label=say("agenda.last_step_chosen", lang, cycle=previous.cycle),
        step=step,
        missing_text=say("agenda.last_step_missing", lang),
        owner=owner,
        owner_text=say("agenda.owner", lang, owner=owner) if owner else "",
        status=status,
        status_text=status_text,
        action_kpis=actions,
        change="" if same else change,
        change_text="" if same else change_text,
        hypothesis=review.hypothesis,
        relation_text=say("agenda.step_became_change", lang) if same else "",
    )


# --- learning -----------------------------------------------------------------------------------


def _learning_written(report: Report, review: Cycle, lang: Lang) -> str:
    if not review.learning:
        return ""
    text = say("agenda.learning_written", lang, learning=review.learning)
    if review.row in about_person_rows(report):
        text += say("agenda.learning_rephrase", lang)
    return text


def _learnings(report: Report, review: Cycle, lang: Lang) -> tuple[str, ...]:
    """The last three learnings before this cycle, newest first, one line each — so the team
    builds on them. No owner is named beside a learning."""
    order = report.chronological()
    earlier = order[: next(i for i, c in enumerate(order) if c.cycle == review.cycle)]
    written = [c for c in reversed(earlier) if c.learning.strip()]
    return tuple(
        say("agenda.learning_line", lang, cycle=c.cycle, learning=" ".join(c.learning.split()))
        for c in written[:LEARNINGS]
    )
