"""The agenda's view model: everything the templates show, chosen, worded and formatted here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from difflib import SequenceMatcher
from typing import Final, Literal, TypedDict

from ..config import Config
from ..core.kpi_words import source_tab
from ..core.report import Check, Cycle, EvidenceItem, EvidenceJson, Report
from ..core.summary import left_out_line, left_out_rows
from ..core.summary_kpis import about_person_rows
from ..core.when import clock_words, day_words, moment_words
from ..errors import UsageError
from ..sheet.schema import LAYERS, SIGNAL_POLARITY, TABS_BY_KEY, Lang, choice_label
from ..words.core import count, join, say
from . import fixes
from .chain import intermediate_moves, layer_states, note_for
from .invite import role_lines
from .kpi_rows import KpiRow, RowContext, SignalRow, Tone, evidence_total, kpi_row, signal_rows
from .measure import read_kpi

__all__ = ["AgendaView", "KpiRow", "SignalRow", "build_view"]

QUOTES: Final = 3  # the best three quotes of the review cycle
PROMPTS: Final = 3  # "next try" prompts for the learning
LEARNINGS: Final = 3  # the last learnings shown in section ③, newest first
CHECK_LINES: Final = 5  # open checks listed by row (errors first)
SAME_STEP: Final = 0.6  # texts this similar (0-1, after folding) say the same step
_CIRCLED: Final = "①②③④⑤⑥⑦⑧⑨"
_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec")  # fmt: skip
_WEEKDAYS: Final[dict[Lang, tuple[str, ...]]] = {
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

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
class QuoteView:
    """One telling quote with its scene."""

    quote: str
    scene: str
    signal: str
    signal_label: str
    kind_label: str
    tone: Tone
    by: str
    date: str


@dataclass(frozen=True)
class CheckLine:
    """One open check, located by tab and row."""

    where: str
    message: str


@dataclass(frozen=True)
class ChecksView:
    """Open checks: every error, and the warnings of the review and current cycles; warnings
    about older cycles are only counted (they stay in the Checks tab)."""

    errors: int
    warnings: int
    summary: str
    lines: tuple[CheckLine, ...]
    more: int  # relevant checks not listed
    more_text: str  # "ほか2件" / "and 2 more"
    past_text: str = ""  # 「過去のサイクルの注意2件は…」, "" without any


@dataclass(frozen=True)
class FreshnessView:
    """What data is missing, said plainly, and how recent the rest is."""

    stale: bool
    missing: tuple[str, ...]
    as_of: str


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
    evidence = report.evidence_for(number)
    thin = bool(evidence is not None and evidence.get("thin"))
    context = RowContext(
        review,
        lang,
        config.mail.images,
        first=before is None,
        just_before=before.cycle if before else None,
        thin=thin,
        unreadable=report.unreadable,
    )
    rows = _kpi_rows(report, context)
    items = _items_of(report, number)
    ranked = _rank(items, _movement(report, number, before))
    client = config.client
    minutes = config.meeting.minutes
    day = day_words(review.end, lang)
    signals = _signals(report, review, before, lang)
    return AgendaView(
        lang=lang,
        client=client,
        cycle=number,
        subject=say("agenda.subject", lang, client=client, minutes=minutes, date=day, cycle=number),
        title=say("agenda.title", lang, client=client, minutes=minutes),
        subtitle=say("agenda.subtitle", lang, cycle=number, period=_period(review, lang)),
        meeting_date=review.end.isoformat(),
        minutes=minutes,
        sections=_sections(config, lang),
        last_step=_last_step(report, review, before, rows, lang),
        kpis=rows,
        signals=signals.rows,
        signals_previous_cycle=before.cycle if before else None,
        quotes=tuple(_quote(item, lang) for item in _pick_quotes(ranked)),
        hypothesis_prompt=(
            say("agenda.hypothesis_prompt", lang, hypothesis=review.hypothesis)
            if review.hypothesis
            else ""
        ),
        learning_written=_learning_written(report, review, lang),
        learning_prompts=_prompts(ranked),
        sheet_url=report.sheet_url,
        chain_note=note_for(layer_states(report, number), lang, intermediate_moves(report, number)),
        checks=_checks(report, lang),
        freshness=_freshness(report, config, review, before, rows, items),
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
    day = day_words(review.end, lang)
    if meeting.time is not None:
        day = say(
            "agenda.meeting_day_time",
            lang,
            day=day,
            time=clock_words(meeting.time, config.tz, lang),
        )
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


# --- evidence ----------------------------------------------------------------------------------


def _items_of(report: Report, number: int) -> list[EvidenceItem]:
    """The review cycle's evidence rows (a row without a cycle belongs to the cycle of its date)."""
    review = report.cycle(number)
    items = []
    for item in report.evidence_items:
        if item.cycle == number or (
            item.cycle is None and review is not None and review.contains(item.date)
        ):
            items.append(item)
    return items


def _movement(report: Report, number: int, before: Cycle | None) -> dict[str, int]:
    """How far each signal's count moved against the previous cycle (the first cycle: its
    counts themselves, so its most frequent signals come first)."""
    now = report.evidence_for(number)
    then = report.evidence_for(before.cycle) if before is not None else None
    counts = now["counts"] if now is not None else {}
    earlier = then["counts"] if then is not None else {}
    return {
        signal: abs(counts.get(signal, 0) - earlier.get(signal, 0)) for signal in SIGNAL_POLARITY
    }


@dataclass(frozen=True)
class _Signals:
    rows: tuple[SignalRow, ...]
    heading: str
    previous_label: str
    current_label: str
    totals: tuple[str, str, str]


def _signals(report: Report, review: Cycle, before: Cycle | None, lang: Lang) -> _Signals:
    """Each signal against the previous cycle, by its share of the cycle's evidence; with thin
    evidence "few records", with rows an error left out "check" — never a change."""
    now = report.evidence_for(review.cycle)
    then = report.evidence_for(before.cycle) if before is not None else None
    reading = None
    if now is not None and now.get("thin"):
        reading = say("move.thin", lang)
    elif any(e is not None and e.get("unreadable_rows") for e in (now, then)):
        reading = say("move.doubted", lang)
    rows = signal_rows(now, then if before is not None else None, lang, reading=reading)
    current = say("agenda.signals_side", lang, cycle=review.cycle, total=evidence_total(now, lang))
    label = say("agenda.signals_cycle", lang, cycle=review.cycle)
    total = say("agenda.signals_total", lang)
    if before is None:
        heading = say("agenda.signals_first", lang, now=current)
        return _Signals(rows, heading, "", label, (total, "", str(_rows(now))))
    previous = say(
        "agenda.signals_side", lang, cycle=before.cycle, total=evidence_total(then, lang)
    )
    heading = say("agenda.signals_heading", lang, before=previous, now=current)
    previous_label = say("agenda.signals_cycle", lang, cycle=before.cycle)
    return _Signals(
        rows, heading, previous_label, label, (total, str(_rows(then)), str(_rows(now)))
    )


def _rows(entry: EvidenceJson | None) -> int:
    return sum(entry["counts"].values()) if entry is not None else 0


def _rank(items: Sequence[EvidenceItem], movement: dict[str, int]) -> list[EvidenceItem]:
    """Most telling first: the signal that moved most, then a quote with a scene, then newest."""

    def key(item: EvidenceItem) -> tuple[int, int, int, int, int, int]:
        return (
            -movement.get(item.signal, 0),
            -abs(SIGNAL_POLARITY.get(item.signal, 0)),
            -bool(item.scene.strip()),
            -bool(item.next_try.strip()),
            -item.date.toordinal(),
            item.row,
        )

    return sorted((item for item in items if item.quote.strip()), key=key)


def _pick_quotes(ranked: Sequence[EvidenceItem]) -> list[EvidenceItem]:
    """One quote from each of the most-moved signals first, then the next best ones."""
    picked: list[EvidenceItem] = []
    seen: set[str] = set()
    for item in ranked:
        if item.signal not in seen and len(picked) < QUOTES:
            picked.append(item)
            seen.add(item.signal)
    for item in ranked:
        if item not in picked and len(picked) < QUOTES:
            picked.append(item)
    return sorted(picked, key=ranked.index)


def _quote(item: EvidenceItem, lang: Lang) -> QuoteView:
    polarity = SIGNAL_POLARITY.get(item.signal, 0)
    tone: Tone = "good" if polarity > 0 else "bad" if polarity < 0 else "neutral"
    return QuoteView(
        quote=item.quote.strip(),
        scene=item.scene.strip(),
        signal=item.signal,
        signal_label=choice_label("signal", item.signal, lang),
        kind_label=choice_label("kind", item.kind, lang) if item.kind else "",
        tone=tone,
        by=item.by.strip(),
        date=item.date.isoformat(),
    )


def _prompts(ranked: Sequence[EvidenceItem]) -> tuple[str, ...]:
    prompts: list[str] = []
    for item in ranked:
        text = item.next_try.strip()
        if text and text not in prompts:
            prompts.append(text)
    return tuple(prompts[:PROMPTS])


# --- checks and freshness ----------------------------------------------------------------------


def _checks(report: Report, lang: Lang) -> ChecksView:
    """Counts of the open checks (every error, the warnings of the review and current cycles),
    then the first few by row; warnings about older cycles are only counted."""
    relevant = [c for c in report.open_checks if c.severity == "error"]
    relevant += [c for c in report.open_checks if c.severity == "warning"]
    errors = sum(1 for check in relevant if check.severity == "error")
    warnings = len(relevant) - errors
    checks_tab = TABS_BY_KEY["checks"].title(lang)
    if not relevant:
        summary = say("agenda.checks_none", lang)
    else:
        summary = say(
            "agenda.checks_some",
            lang,
            errors=count("error", errors, lang),
            warnings=count("warning", warnings, lang),
            tab=checks_tab,
        )
    lines = tuple(
        CheckLine(where=_where(check, lang), message=check.message)
        for check in relevant[:CHECK_LINES]
    )
    more = max(0, len(relevant) - len(lines))
    more_text = say("agenda.checks_more", lang, count=more) if more else ""
    past = len(report.past_checks)
    past_text = (
        say("agenda.checks_past", lang, count=count("warning", past, lang), tab=checks_tab)
        if past
        else ""
    )
    return ChecksView(errors, warnings, summary, lines, more, more_text, past_text)


def _where(check: Check, lang: Lang) -> str:
    tab = check.tab_title or (
        TABS_BY_KEY[check.tab].title(lang) if check.tab in TABS_BY_KEY else check.tab
    )
    if check.row is None:
        return say("agenda.check_where_tab", lang, tab=tab)
    return say("agenda.check_where", lang, tab=tab, row=check.row)


def _freshness(
    report: Report,
    config: Config,
    review: Cycle,
    before: Cycle | None,
    rows: Sequence[KpiRow],
    items: Sequence[EvidenceItem],
) -> FreshnessView:
    """What the meeting cannot trust yet, said plainly at the top: missing values, missing or
    thin evidence, doubted values, and rows left out of the numbers."""
    lang, number = config.language, review.cycle
    missing: list[str] = []
    values_tab = TABS_BY_KEY["values"].title(lang)
    # A tab that could not be read is said once, as unknown; its KPIs are not "missing" values.
    if report.could_not_read("kpis"):
        kpis_tab = TABS_BY_KEY["kpis"].title(lang)
        missing.append(say("agenda.kpis_unreadable", lang, tab=kpis_tab))
    if report.could_not_read("values"):
        missing.append(say("agenda.values_unreadable", lang, tab=values_tab))
    if report.could_not_read("evidence"):
        evidence_tab = TABS_BY_KEY["evidence"].title(lang)
        missing.append(say("agenda.evidence_unreadable", lang, tab=evidence_tab))
    unknown = [row for row in rows if row.state == "unreadable"]
    rows = [row for row in rows if row.state != "unreadable"]
    # Only typed KPIs are asked for: an auto KPI is counted, and typing it is an error.
    sources = {kpi["id"]: source_tab(kpi) for kpi in report.kpis}
    without = [row for row in rows if row.state == "no_value"]
    typed = [row for row in without if sources.get(row.id, "values") == "values"]
    counted = [row for row in without if sources.get(row.id, "values") != "values"]
    all_missing = (rows and len(typed) == len(rows)) or not (rows or unknown)
    if all_missing and not report.could_not_read("kpis"):  # with no KPI read, none is missing
        missing.append(say("agenda.no_values_all", lang, cycle=number, tab=values_tab))
    elif typed:
        names = join((f"{row.id} {row.name}" for row in typed), lang)
        missing.append(
            say("agenda.no_values_some", lang, cycle=number, names=names, tab=values_tab)
        )
    missing.extend(_uncounted(report, number, counted, sources, lang))
    # A typed value to check; a count that lost rows is said by its rows' own lines below.
    doubted = [r for r in rows if r.state == "doubted" and sources.get(r.id) == "values"]
    if doubted:
        names = join((f"{row.id} {row.name} {row.current}" for row in doubted), lang)
        missing.append(say("agenda.doubted_values", lang, names=names))
    entry = report.evidence_for(number)
    total = sum(entry["counts"].values()) if entry is not None else 0
    if not items and total == 0 and not report.could_not_read("evidence"):
        missing.append(say("agenda.no_evidence", lang, cycle=number))
    elif entry is not None and entry.get("thin"):
        missing.append(
            say("agenda.thin_evidence", lang, cycle=number, count=count("record", total, lang))
        )
    left_out = left_out_rows(report)
    if left_out:
        checks_tab = TABS_BY_KEY["checks"].title(lang)
        missing.extend(left_out_line(check, lang, checks_tab) for check in left_out)
    cycles = {number, None} | ({before.cycle} if before is not None else set())
    missing.extend(fixes.lost_rows(report, cycles, lang))
    return FreshnessView(stale=bool(missing), missing=tuple(missing), as_of=_as_of(report, config))


def _as_of(report: Report, config: Config) -> str:
    """「11月19日(木)時点のデータです(最後の更新：11月19日 8:00(日本時間))。」"""
    lang = config.language
    day = day_words(report.as_of, lang)
    if report.last_sync is None:
        return say("agenda.as_of", lang, as_of=day)
    updated = moment_words(report.last_sync, lang, config.tz)
    return say("agenda.as_of_updated", lang, as_of=day, updated=updated)


def _uncounted(
    report: Report,
    number: int,
    rows: Sequence[KpiRow],
    sources: dict[str, str],
    lang: Lang,
) -> list[str]:
    """Why each auto KPI without a value could not be counted: no evidence in the cycle, or
    nothing yet in the tab it counts — never a request to type it."""
    entry = report.evidence_for(number)
    no_evidence = entry is None or sum(entry["counts"].values()) == 0
    lines: list[str] = []
    by_tab: dict[str, list[KpiRow]] = {}
    for row in rows:
        by_tab.setdefault(sources[row.id], []).append(row)
    for tab, group in by_tab.items():
        names = join((f"{row.id} {row.name}" for row in group), lang)
        title = TABS_BY_KEY[tab].title(lang)
        if tab == "evidence" and no_evidence:
            lines.append(say("agenda.auto_no_evidence", lang, names=names, tab=title))
        else:
            lines.append(say("agenda.auto_no_value", lang, names=names, tab=title))
    return lines


# --- dates -------------------------------------------------------------------------------------


def _period(cycle: Cycle, lang: Lang) -> str:
    if lang == "ja":
        return f"{cycle.start.month}/{cycle.start.day}〜{cycle.end.month}/{cycle.end.day}"
    return f"{_en_day(cycle.start)} – {_en_day(cycle.end)}"


def _en_day(day: date) -> str:
    return f"{day.day} {_MONTHS[day.month - 1]}"


def _day(day: date, lang: Lang) -> str:
    weekday = _WEEKDAYS[lang][day.weekday()]
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日({weekday})"
    return f"{weekday} {_en_day(day)} {day.year}"


def short_day(day: date, lang: Lang) -> str:
    """A day as a phone shows it: 「11月22日(日)」, "Sun 22 Nov"."""
    weekday = _WEEKDAYS[lang][day.weekday()]
    if lang == "ja":
        return f"{day.month}月{day.day}日({weekday})"
    return f"{weekday[:3]} {_en_day(day)}"
