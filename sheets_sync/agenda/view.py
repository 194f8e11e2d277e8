"""The agenda's view model: everything the templates show, chosen, worded and formatted here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Final, Literal

from ..config import Config
from ..errors import UsageError
from ..kpi_words import State, kpi_state, shows_change, source_tab, state_word
from ..report import Check, Cycle, EvidenceItem, Judgement, KpiJson, LatestJson, Report
from ..schema import LAYERS, SIGNAL_POLARITY, SIGNALS, TABS_BY_KEY, Lang, choice_label
from ..summary import left_out_line, left_out_rows
from ..words.core import count, join, say
from .chain import intermediate_moves, layer_states, note_for
from .measure import Number, Reading, read_kpi

Tone = Literal["good", "bad", "neutral"]

QUOTES: Final = 3  # the best three quotes of the review cycle
PROMPTS: Final = 3  # "next try" prompts for the learning
CHECK_LINES: Final = 5  # open checks listed by row (errors first)
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
# The words for what the agenda shows: a section's title, what 一歩の実施 says, a signal's tone.
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
_TONE_WORDS: Final[dict[Tone, str]] = {
    "good": "agenda.signal.good",
    "bad": "agenda.signal.bad",
}
# Codes that are about the review cycle itself (the agenda lists them beside the errors).
REVIEW_CODES: Final = frozenset(
    {"missing_value", "evidence_thin", "stale_data", "percent_as_fraction"}
)
CYCLE_CODES: Final = frozenset(
    {
        "evidence_incomplete",
        "missing_hypothesis",
        "missing_change",
        "missing_learning",
        "missing_next_step",
        "multiple_items",
        "learning_too_long",
        "cycle_length",
    }
)


@dataclass(frozen=True)
class SectionView:
    """One timeboxed part of the meeting."""

    key: str  # last_step | kpis | learning | next_step
    number: str  # ① ② …
    title: str
    minutes: int
    heading: str  # "① 前回決めた一歩(2分)"


@dataclass(frozen=True)
class KpiRow:
    """One KPI at the review cycle: previous → current, with an arrow and a word."""

    id: str
    name: str
    layer: str  # action | intermediate | result
    layer_label: str  # 行動 / 中間 / 結果
    better_when: str  # 下がると良い / lower is better
    previous: str  # formatted with the unit, "—" when there is none
    previous_cycle: int | None
    current: str
    change: str  # "-3件(-25%)", "+2.5pt", "" when there is nothing to compare
    arrow: str  # ↑ ↓ → (the value's own movement), "–" when there is nothing to compare
    word: str  # 良い方向へ / できた / 要確認 … descriptive, never a grade
    verdict: str  # the arrow and the word together: "↓ 良い方向へ", or just "値なし"
    judgement: Judgement | None
    state: State  # what can honestly be said: improved … doubted, unset, thin
    tone: Tone  # colour only repeats what the word says
    target: str  # "5件", "" without a target
    met: bool | None
    met_word: str  # 達成 / 目標まで あと0.5分 / "" — how far there is to go, not a grade
    series: tuple[float, ...]  # values up to the review cycle, for the trend picture
    image_cid: str | None  # Content-ID of its trend picture; None without a current value


@dataclass(frozen=True)
class LastStepView:
    """The step chosen last cycle and whether it was done: as recorded, or a question."""

    chosen_in: int | None  # the cycle where it was chosen
    label: str  # "サイクル2で決めた一歩"
    step: str  # the step as written, "" when none was written
    missing_text: str  # said instead when no step was written
    owner: str  # the owner of that step (担当 always means the next step's owner)
    owner_text: str  # "担当:佐藤", "" without an owner
    status: Literal["done", "partly", "not_done", "unknown"]  # unknown: the agenda asks
    status_text: str
    action_kpis: tuple[KpiRow, ...]
    change: str  # the review cycle's one change, when it differs from the step
    change_text: str  # "このサイクルの改善:…", "" without one
    hypothesis: str


@dataclass(frozen=True)
class SignalRow:
    """One evidence signal's count, previous cycle → review cycle."""

    signal: str
    label: str
    previous: int
    current: int
    change: str  # "+2", "-1", "±0", or 記録が少ない when the evidence is thin
    arrow: str
    tone: Tone  # fewer hesitations is good, fewer conviction remarks is bad
    word: str  # 良い兆し / 気になる / "" — the tone in words


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
    """Open checks: counts, then the errors and the warnings that touch the review cycle."""

    errors: int
    warnings: int
    summary: str
    lines: tuple[CheckLine, ...]
    more: int  # relevant checks not listed
    more_text: str  # "ほか2件" / "and 2 more"


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


def build_view(report: Report, config: Config, *, cycle: int | None = None) -> AgendaView:
    """The agenda for `cycle` (default: the report's review cycle)."""
    lang = config.language
    number = cycle if cycle is not None else report.review_cycle
    if number is None:
        raise UsageError("no_cycle_in_sheet")
    review = report.cycle(number)
    if review is None:
        raise UsageError("cycle_not_in_sheet", cycle=number)
    previous = _previous_cycle(report.cycles, number)
    evidence = report.evidence_for(number)
    thin = bool(evidence is not None and evidence.get("thin"))
    rows = tuple(
        sorted(
            (
                _kpi_row(
                    kpi, read_kpi(kpi, number), number, index, lang, images=config.mail.images,
                    thin=thin, unreadable=report.unreadable,
                )
                for index, kpi in enumerate(report.kpis, start=1)
            ),
            key=_layer_order,
        )
    )  # fmt: skip
    items = _items_of(report, number)
    ranked = _rank(items, _movement(report, number))
    cycles_tab = TABS_BY_KEY["cycles"].title(lang)
    client = config.client
    minutes = config.meeting.minutes
    day = review.end.isoformat()
    return AgendaView(
        lang=lang,
        client=client,
        cycle=number,
        subject=say("agenda.subject", lang, client=client, minutes=minutes, date=day, cycle=number),
        title=say("agenda.title", lang, client=client, minutes=minutes),
        subtitle=say(
            "agenda.subtitle",
            lang,
            cycle=number,
            period=_period(review, lang),
            day=_day(review.end, lang),
        ),
        purpose=say("agenda.purpose", lang),
        meeting_date=day,
        minutes=minutes,
        sections=_sections(config, lang),
        last_step=_last_step(review, previous, rows, lang),
        kpis=rows,
        signals=_signals(report, number, lang, thin=thin),
        signals_previous_cycle=_previous_evidence_cycle(report, number),
        quotes=tuple(_quote(item, lang) for item in _pick_quotes(ranked)),
        hypothesis_prompt=(
            say("agenda.hypothesis_prompt", lang, hypothesis=review.hypothesis)
            if review.hypothesis
            else ""
        ),
        learning_written=(
            say("agenda.learning_written", lang, learning=review.learning)
            if review.learning
            else ""
        ),
        learning_hint=say("agenda.learning_hint", lang),
        learning_prompts=_prompts(ranked),
        next_step_rule=say("agenda.next_step_rule", lang),
        next_step_where=say("agenda.next_step_where", lang, tab=cycles_tab),
        ground_rule=say("agenda.ground_rule", lang),
        sheet_url=report.sheet_url,
        sheet_label=say("agenda.sheet", lang),
        chain_note=note_for(layer_states(report, number), lang, intermediate_moves(report, number)),
        checks=_checks(report, review, items, lang),
        freshness=_freshness(report, config, number, rows, items, lang),
    )


def _previous_cycle(cycles: Sequence[Cycle], number: int) -> Cycle | None:
    earlier = [cycle for cycle in cycles if cycle.cycle < number]
    return max(earlier, key=lambda cycle: cycle.cycle) if earlier else None


# --- sections ----------------------------------------------------------------------------------


def _sections(config: Config, lang: Lang) -> tuple[SectionView, ...]:
    boxes = [(key, minutes) for key, minutes in config.meeting.timeboxes() if minutes > 0]
    sections = []
    for index, (key, minutes) in enumerate(boxes):
        number = _CIRCLED[index] if index < len(_CIRCLED) else f"{index + 1}."
        title = say(_SECTION_WORDS[key], lang)
        heading = say("agenda.heading", lang, number=number, title=title, minutes=minutes)
        sections.append(SectionView(key, number, title, minutes, heading))
    return tuple(sections)


# --- KPIs --------------------------------------------------------------------------------------


def _kpi_row(
    kpi: KpiJson,
    reading: Reading,
    cycle: int,
    index: int,
    lang: Lang,
    *,
    images: bool,
    thin: bool = False,
    unreadable: frozenset[str] = frozenset(),
) -> KpiRow:
    unit = kpi["unit"] or ""
    state = kpi_state(kpi, _as_latest(kpi, reading), thin=thin, unreadable=unreadable)
    compared = shows_change(state)
    doubted = state == "doubted"
    unread = state in ("doubted", "thin")  # neither a trend point nor a target claim
    values = tuple(
        float(entry["value"])
        for entry in sorted(kpi["values"], key=lambda entry: entry["cycle"])
        if entry["cycle"] <= cycle
        and not entry.get("doubted")
        and not (unread and entry["cycle"] == cycle)
    )
    draw = images and len(values) >= 2 and reading.value is not None
    word = state_word(state, lang)
    return KpiRow(
        id=kpi["id"],
        name=kpi["name"],
        layer=kpi["layer"],
        layer_label=choice_label("layer", kpi["layer"], lang),
        better_when=_better_when(kpi, lang),
        previous=_amount(reading.previous, unit),
        previous_cycle=reading.previous_cycle,
        current=_as_typed(reading.value) if doubted else _amount(reading.value, unit),
        change=_change(reading, unit, lang) if compared else "",
        arrow=_arrow(reading.delta) if compared else "–",
        word=word,
        verdict=f"{_arrow(reading.delta)} {word}"
        if compared and reading.delta is not None
        else word,
        judgement=reading.judgement,
        state=state,
        tone="good" if state in ("improved", "done") else "neutral",
        target=_amount(kpi["target"], unit) if kpi["target"] is not None else "",
        met=None if unread else reading.target_met,
        met_word="" if unread else _met_word(reading, kpi["target"], unit, lang),
        series=values,
        image_cid=f"trend-{index}.cycle{cycle}@sheets-sync" if draw else None,
    )


def _as_latest(kpi: KpiJson, reading: Reading) -> LatestJson:
    """The report's `latest` when it is about this cycle, else the reading in its shape."""
    latest = kpi["latest"]
    if latest is not None and latest["cycle"] == reading.cycle:
        return latest
    return reading.to_latest()


def _better_when(kpi: KpiJson, lang: Lang) -> str:
    if kpi["layer"] == "action":
        return say("agenda.better_when.action", lang)
    if kpi["direction"] == "up":
        return say("agenda.better_when.up", lang)
    if kpi["direction"] == "down":
        return say("agenda.better_when.down", lang)
    return say("agenda.better_when.unset", lang)


def _layer_order(row: KpiRow) -> int:
    """Action, then intermediate, then result: the order the method builds them in."""
    return LAYERS.index(row.layer) if row.layer in LAYERS else len(LAYERS)


def _number(value: Number) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _as_typed(value: Number | None) -> str:
    """A doubted value, without the unit that would make it look meant (0.71, not 0.71%)."""
    return "" if value is None else _number(value) if float(value).is_integer() else f"{value:g}"


def _amount(value: Number | None, unit: str) -> str:
    if value is None:
        return "—"
    return _number(value) + _unit_suffix(unit, value)


def _unit_suffix(unit: str, value: Number | None = None) -> str:
    """ "分" and "%" stick to the number; an English unit follows a space and is singular for
    one ("1 remark", "+1 cycle", never "1 remarks")."""
    if not unit or unit == "%" or not unit.isascii():
        return unit
    if value is not None and abs(value) == 1 and unit.isalpha() and unit.endswith("s"):
        unit = unit[:-1]
    return " " + unit


def _signed(value: Number) -> str:
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "-") + _number(abs(value))


def _change(reading: Reading, unit: str, lang: Lang) -> str:
    if reading.delta is None:
        return ""
    if unit == "%":
        return _signed(reading.delta) + "pt"
    text = _signed(reading.delta) + _unit_suffix(unit, reading.delta)
    if reading.delta_pct is None or reading.delta == 0:
        return text
    percent = _signed(round(reading.delta_pct * 100)) + "%"
    return f"{text}({percent})" if lang == "ja" else f"{text} ({percent})"


def _met_word(reading: Reading, target: Number | None, unit: str, lang: Lang) -> str:
    if reading.target_met is None or target is None or reading.value is None:
        return ""
    if reading.target_met:
        return say("move.met", lang)
    gap = abs(target - reading.value)
    shown = _number(gap) + ("pt" if unit == "%" else _unit_suffix(unit, gap))
    return say("move.to_go", lang, gap=shown)


def _arrow(delta: Number | None) -> str:
    if delta is None:
        return "–"
    return "↑" if delta > 0 else "↓" if delta < 0 else "→"


# --- the last step -----------------------------------------------------------------------------


def _last_step(
    review: Cycle, previous: Cycle | None, rows: tuple[KpiRow, ...], lang: Lang
) -> LastStepView:
    """Was last time's step carried out? As staff recorded it (一歩の実施), else a question:
    the agenda never asserts it from a KPI."""
    actions = tuple(row for row in rows if row.layer == "action")
    chosen_in = previous.cycle if previous is not None else None
    step = previous.next_step.strip() if previous is not None else ""
    owner = previous.owner.strip() if previous is not None else ""
    if review.step_done is not None:
        status = _DONE[review.step_done]
        status_text = say(_STEP_DONE_WORDS[review.step_done], lang)
    else:
        status = "unknown"
        status_text = say(
            "agenda.step_done.ask_with_kpis" if actions else "agenda.step_done.ask", lang
        )
    change = review.change.strip() if review.change.strip() != step else ""
    return LastStepView(
        chosen_in=chosen_in,
        label=(
            say("agenda.last_step_chosen", lang, cycle=chosen_in)
            if chosen_in is not None
            else say("agenda.last_step_first", lang)
        ),
        step=step,
        missing_text=say("agenda.last_step_missing", lang),
        owner=owner,
        owner_text=say("agenda.owner", lang, owner=owner) if owner else "",
        status=status,
        status_text=status_text,
        action_kpis=actions,
        change=change,
        change_text=say("agenda.change_this_cycle", lang, change=change) if change else "",
        hypothesis=review.hypothesis,
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


def _previous_evidence_cycle(report: Report, number: int) -> int | None:
    """The cycle the evidence is compared with: the previous cycle in the Cycles tab."""
    previous = _previous_cycle(report.cycles, number)
    if previous is not None:
        return previous.cycle
    earlier = [entry["cycle"] for entry in report.evidence if entry["cycle"] < number]
    return max(earlier) if earlier else None


def _counts(report: Report, number: int | None) -> dict[str, int]:
    entry = report.evidence_for(number)
    counts = entry["counts"] if entry is not None else {}
    return {signal: int(counts.get(signal, 0)) for signal in SIGNALS}


def _movement(report: Report, number: int) -> dict[str, int]:
    """How far each signal's count moved against the previous cycle."""
    now = _counts(report, number)
    before = _counts(report, _previous_evidence_cycle(report, number))
    return {signal: abs(now[signal] - before[signal]) for signal in SIGNALS}


def _signals(report: Report, number: int, lang: Lang, *, thin: bool) -> tuple[SignalRow, ...]:
    """Each signal's count against the previous cycle; with thin evidence, "few records"."""
    now = _counts(report, number)
    before = _counts(report, _previous_evidence_cycle(report, number))
    rows = []
    for signal in SIGNALS:
        if now[signal] == 0 and before[signal] == 0:
            continue
        delta = now[signal] - before[signal]
        polarity = SIGNAL_POLARITY[signal]
        tone: Tone = (
            "neutral"
            if thin or delta == 0 or polarity == 0
            else "good"
            if delta * polarity > 0
            else "bad"
        )
        rows.append(
            SignalRow(
                signal=signal,
                label=choice_label("signal", signal, lang),
                previous=before[signal],
                current=now[signal],
                change=say("move.thin", lang) if thin else _signed(delta),
                arrow="" if thin else _arrow(delta),
                tone=tone,
                word="" if tone == "neutral" else say(_TONE_WORDS[tone], lang),
            )
        )
    return tuple(rows)


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


def _checks(report: Report, review: Cycle, items: Sequence[EvidenceItem], lang: Lang) -> ChecksView:
    """Counts of every open check, then the ones the meeting should know about: every error and
    each warning that touches the review cycle (a doubted value, a missing value, thin evidence,
    the review cycle's own row)."""
    checks = report.checks
    errors = [check for check in checks if check.severity == "error"]
    warnings = [check for check in checks if check.severity == "warning"]
    checks_tab = TABS_BY_KEY["checks"].title(lang)
    if not checks:
        summary = say("agenda.checks_none", lang)
    else:
        summary = say(
            "agenda.checks_some",
            lang,
            errors=count("error", len(errors), lang),
            warnings=count("warning", len(warnings), lang),
            tab=checks_tab,
        )
    rows = {item.row for item in items}
    relevant = errors + [c for c in warnings if _touches(c, review, rows)]
    lines = tuple(
        CheckLine(where=_where(check, lang), message=check.message)
        for check in relevant[:CHECK_LINES]
    )
    more = max(0, len(relevant) - len(lines))
    more_text = say("agenda.checks_more", lang, count=more) if more else ""
    return ChecksView(len(errors), len(warnings), summary, lines, more, more_text)


def _touches(check: Check, review: Cycle, evidence_rows: set[int]) -> bool:
    """Whether a warning is about the cycle under review."""
    if check.code in REVIEW_CODES:
        return True
    if check.tab == "cycles" and check.row == review.row:
        return True
    if check.tab == "evidence" and check.row in evidence_rows:
        return True
    return check.code in CYCLE_CODES and check.value.strip() == str(review.cycle)


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
    number: int,
    rows: Sequence[KpiRow],
    items: Sequence[EvidenceItem],
    lang: Lang,
) -> FreshnessView:
    """What the meeting cannot trust yet, said plainly at the top: missing values, missing or
    thin evidence, doubted values, and rows left out of the numbers."""
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
    doubted = [row for row in rows if row.state == "doubted"]
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
    if report.last_sync:
        last_sync = config.local_time(report.last_sync)
    else:
        last_sync = say("agenda.never_synced", lang)
    as_of = say("agenda.as_of", lang, as_of=report.as_of.isoformat(), last_sync=last_sync)
    return FreshnessView(stale=bool(missing), missing=tuple(missing), as_of=as_of)


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
