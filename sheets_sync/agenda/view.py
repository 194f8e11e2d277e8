"""The agenda's view model: everything the templates show, chosen, worded and formatted here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final, Literal

from ..config import Config
from ..errors import UsageError
from ..report import Check, Cycle, EvidenceItem, Judgement, KpiJson, Report
from ..schema import LAYERS, SIGNAL_POLARITY, SIGNALS, TABS_BY_KEY, Lang, choice_label
from .chain import LayerState, layer_state, layer_states, note_for
from .measure import Number, Reading, read_kpi, series

Tone = Literal["good", "bad", "neutral"]

QUOTES: Final = 3  # the best three quotes of the review cycle
PROMPTS: Final = 3  # "next try" prompts for the learning
CHECK_LINES: Final = 3  # open errors listed by row
_CIRCLED: Final = "①②③④⑤⑥⑦⑧⑨"
_MONTHS: Final = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                  "Dec")  # fmt: skip
_WEEKDAYS: Final[dict[Lang, tuple[str, ...]]] = {
    "ja": ("月", "火", "水", "木", "金", "土", "日"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}

# Every sentence the agenda says, in both languages (the templates add only labels).
_TEXT: Final[dict[str, dict[Lang, str]]] = {
    "subject": {
        "ja": "[{client}] 15分ミーティング {date} — サイクル{cycle}",
        "en": "[{client}] 15-minute meeting {date} — cycle {cycle}",
    },
    "title": {"ja": "{client} 15分ミーティング", "en": "{client}: 15-minute meeting"},
    "subtitle": {
        "ja": "サイクル{cycle}({period})のふり返り・{day}",
        "en": "Looking back on cycle {cycle} ({period}) · {day}",
    },
    "purpose": {
        "ja": "決めるのは2つだけ:「学び(1行)」と「次の一歩(1つ)」",
        "en": "We decide only two things: the learning (one line) and the next step (one).",
    },
    "ground_rule": {
        "ja": "誰かを責めず「試して学ぶ」。KPIは成績表ではなく、前に進むための計器です。",
        "en": "No blame: we test and learn. KPIs are instruments for moving forward, "
        "not report cards.",
    },
    "heading": {"ja": "{number} {title}({minutes}分)", "en": "{number} {title} ({minutes} min)"},
    "last_step_chosen": {
        "ja": "サイクル{cycle}で決めた一歩",
        "en": "The step chosen in cycle {cycle}",
    },
    "last_step_missing": {
        "ja": "前回の「次の一歩」はシートに書かれていません。",
        "en": "No next step was written down last time.",
    },
    "done_improved": {
        "ja": "できた:行動KPIが進みました。",
        "en": "Done: the action KPIs moved forward.",
    },
    "done_mixed": {
        "ja": "一部できた:行動KPIは進んだものと止まったものがあります。",
        "en": "Partly done: some action KPIs moved, some did not.",
    },
    "done_flat": {
        "ja": "まだ:行動KPIが動いていません。"
        "何が妨げになったかを話しましょう(誰のせいでもありません)。",
        "en": "Not yet: the action KPIs did not move. Talk about what got in the way "
        "(nobody's fault).",
    },
    "done_worsened": {
        "ja": "まだ:行動KPIが下がりました。"
        "何が妨げになったかを話しましょう(誰のせいでもありません)。",
        "en": "Not yet: the action KPIs went down. Talk about what got in the way "
        "(nobody's fault).",
    },
    "done_no_data": {
        "ja": "記録なし:行動KPIの値がないため、実行できたかをその場で確かめましょう。",
        "en": "Not recorded: there are no action KPI values, so ask in the meeting whether it "
        "was done.",
    },
    "learning_hint": {
        "ja": "「〇〇をすると、お客さまの△△が□□した」の形で、1行にまとめます。",
        "en": 'Put it in one line: "when we did X, customers\' Y changed like Z".',
    },
    "hypothesis_prompt": {
        "ja": "仮説「{hypothesis}」は当たっていましたか?",
        "en": 'Did the hypothesis hold? "{hypothesis}"',
    },
    "learning_written": {
        "ja": "シートに書かれている学び:{learning}",
        "en": "Learning already in the sheet: {learning}",
    },
    "next_step_rule": {
        "ja": "次に試すことを1つだけ選び、担当を決めます。増やしすぎず、2週間でできる大きさに。",
        "en": "Choose ONE thing to try next and who owns it. Keep it small enough for two weeks.",
    },
    "next_step_where": {
        "ja": "決めたら、シートの「{tab}」タブの「次の一歩」と「担当」に書きます。",
        "en": 'Then write it in the "{tab}" tab under "Next step" and "Owner".',
    },
    "checks_none": {"ja": "チェック:未解決の項目はありません。", "en": "Checks: nothing open."},
    "checks_some": {
        "ja": "チェック:エラー{errors}件・注意{warnings}件(シートの「{tab}」タブで確認できます)",
        "en": 'Checks: {errors}, {warnings} (see the "{tab}" tab in the sheet)',
    },
    "check_where": {"ja": "「{tab}」{row}行目", "en": "{tab}, row {row}"},
    "check_where_tab": {"ja": "「{tab}」タブ", "en": "{tab} tab"},
    "no_values_all": {
        "ja": "サイクル{cycle}のKPIの値がまだ入っていません。"
        "「{tab}」タブに入れると、次の同期で反映されます。",
        "en": 'No KPI values for cycle {cycle} yet: enter them in the "{tab}" tab and the next '
        "sync will show them.",
    },
    "no_values_some": {
        "ja": "サイクル{cycle}の値がまだないKPI:{names}(「{tab}」タブに入れてください)",
        "en": 'No value for cycle {cycle} yet: {names} (enter them in the "{tab}" tab)',
    },
    "no_evidence": {
        "ja": "サイクル{cycle}の証拠(お客さまの一言)がまだありません。",
        "en": "No evidence (what customers said or did) for cycle {cycle} yet.",
    },
    "as_of": {
        "ja": "データ:{as_of}時点・前回の同期:{last_sync}",
        "en": "Data as of {as_of} · last sync: {last_sync}",
    },
    "never_synced": {"ja": "記録なし", "en": "none recorded"},
    "sheet": {"ja": "シートを開く", "en": "Open the sheet"},
}

_SECTION_TITLES: Final[dict[str, dict[Lang, str]]] = {
    "last_step": {"ja": "前回決めた一歩", "en": "The step we chose last time"},
    "kpis": {"ja": "KPIと証拠", "en": "KPIs and evidence"},
    "learning": {"ja": "学びを1行で", "en": "The learning, in one line"},
    "next_step": {"ja": "次の一歩を1つ決める", "en": "Choose ONE next step"},
}

_WORDS: Final[dict[Judgement, dict[Lang, str]]] = {
    "improved": {"ja": "良くなった", "en": "improved"},
    "worsened": {"ja": "悪くなった", "en": "worsened"},
    "flat": {"ja": "変化なし", "en": "no change"},
    "no_previous": {"ja": "前回なし", "en": "no previous"},
    "no_value": {"ja": "値なし", "en": "no value"},
    "done": {"ja": "できた", "en": "done"},
    "not_done": {"ja": "まだ", "en": "not yet"},
}
_UNJUDGED: Final[dict[str, dict[Lang, str]]] = {
    "doubted": {"ja": "要確認", "en": "check"},
    "no_direction": {"ja": "方向が未設定", "en": "no direction set"},
}
_TONES: Final[dict[Judgement, Tone]] = {
    "improved": "good",
    "worsened": "bad",
    "flat": "neutral",
    "no_previous": "neutral",
    "no_value": "neutral",
    "done": "good",
    "not_done": "neutral",
}
_BETTER_WHEN: Final[dict[str, dict[Lang, str]]] = {
    "up": {"ja": "上がると良い", "en": "higher is better"},
    "down": {"ja": "下がると良い", "en": "lower is better"},
}
_MET: Final[dict[Lang, str]] = {"ja": "達成", "en": "met"}
_TO_GO: Final[dict[Lang, str]] = {"ja": "あと{gap}", "en": "{gap} to go"}
_SIGNAL_WORDS: Final[dict[Tone, dict[Lang, str]]] = {
    "good": {"ja": "良い兆し", "en": "good sign"},
    "bad": {"ja": "気になる", "en": "worth a look"},
    "neutral": {"ja": "", "en": ""},
}
_DONE: Final[dict[LayerState, Literal["done", "partly", "not_done", "unknown"]]] = {
    "improved": "done",
    "mixed": "partly",
    "flat": "not_done",
    "worsened": "not_done",
    "no_data": "unknown",
}


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
    word: str  # 良くなった … judged by the KPI's direction
    verdict: str  # the arrow and the word together: "↓ 良くなった", or just "値なし"
    judgement: Judgement | None  # None: a doubted value, or a KPI without a direction
    tone: Tone  # colour only repeats what the word says
    target: str  # "5件", "" without a target
    met: bool | None
    met_word: str  # 達成 / あと0.5分 / "" — how far there is to go, not a grade
    series: tuple[float, ...]  # values up to the review cycle, for the trend picture
    image_cid: str | None  # Content-ID of its trend picture; None without a current value


@dataclass(frozen=True)
class LastStepView:
    """The step chosen last cycle and whether it was done, judged by the action KPIs."""

    chosen_in: int | None  # the cycle where it was chosen
    label: str  # "サイクル2で決めた一歩"
    step: str  # the step as written, "" when none was written
    missing_text: str  # said instead when no step was written
    owner: str
    status: Literal["done", "partly", "not_done", "unknown"]
    status_text: str
    action_kpis: tuple[KpiRow, ...]
    change: str  # the review cycle's one change, when it differs from the step
    hypothesis: str


@dataclass(frozen=True)
class SignalRow:
    """One evidence signal's count, previous cycle → review cycle."""

    signal: str
    label: str
    previous: int
    current: int
    change: str  # "+2", "-1", "±0"
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
    """One open error, located by tab and row."""

    where: str
    message: str


@dataclass(frozen=True)
class ChecksView:
    """Open checks: counts and the first few errors."""

    errors: int
    warnings: int
    summary: str
    lines: tuple[CheckLine, ...]
    more: int  # errors not listed


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
        raise UsageError(_no_cycle(lang))
    review = report.cycle(number)
    if review is None:
        raise UsageError(_unknown_cycle(number, lang))
    previous = _previous_cycle(report.cycles, number)
    rows = tuple(
        sorted(
            (
                _kpi_row(kpi, read_kpi(kpi, number), number, index, lang, images=config.mail.images)
                for index, kpi in enumerate(report.kpis, start=1)
            ),
            key=_layer_order,
        )
    )
    items = _items_of(report, number)
    ranked = _rank(items, _movement(report, number))
    text = _texts(lang)
    cycles_tab = TABS_BY_KEY["cycles"].title(lang)
    client = config.client
    return AgendaView(
        lang=lang,
        client=client,
        cycle=number,
        subject=text["subject"].format(client=client, date=review.end.isoformat(), cycle=number),
        title=text["title"].format(client=client),
        subtitle=text["subtitle"].format(
            cycle=number, period=_period(review, lang), day=_day(review.end, lang)
        ),
        purpose=text["purpose"],
        meeting_date=review.end.isoformat(),
        minutes=config.meeting.minutes,
        sections=_sections(config, lang),
        last_step=_last_step(report, review, previous, rows, lang),
        kpis=rows,
        signals=_signals(report, number, lang),
        signals_previous_cycle=_previous_evidence_cycle(report, number),
        quotes=tuple(_quote(item, lang) for item in _pick_quotes(ranked)),
        hypothesis_prompt=(
            text["hypothesis_prompt"].format(hypothesis=review.hypothesis)
            if review.hypothesis
            else ""
        ),
        learning_written=(
            text["learning_written"].format(learning=review.learning) if review.learning else ""
        ),
        learning_hint=text["learning_hint"],
        learning_prompts=_prompts(ranked),
        next_step_rule=text["next_step_rule"],
        next_step_where=text["next_step_where"].format(tab=cycles_tab),
        ground_rule=text["ground_rule"],
        sheet_url=report.sheet_url,
        sheet_label=text["sheet"],
        chain_note=note_for(layer_states(report, number), lang),
        checks=_checks(report.checks, lang),
        freshness=_freshness(report, config, number, rows, items, lang),
    )


def _texts(lang: Lang) -> dict[str, str]:
    return {key: value[lang] for key, value in _TEXT.items()}


def _no_cycle(lang: Lang) -> str:
    if lang == "ja":
        return "ふり返るサイクルがありません。シートの「サイクル」タブにサイクルを書いてください。"
    return "There is no cycle to review yet: add one to the Cycles tab of the sheet."


def _unknown_cycle(number: int, lang: Lang) -> str:
    if lang == "ja":
        return f"サイクル{number}はシートの「サイクル」タブにありません。"
    return f"Cycle {number} is not in the Cycles tab of the sheet."


def _previous_cycle(cycles: Sequence[Cycle], number: int) -> Cycle | None:
    earlier = [cycle for cycle in cycles if cycle.cycle < number]
    return max(earlier, key=lambda cycle: cycle.cycle) if earlier else None


# --- sections ----------------------------------------------------------------------------------


def _sections(config: Config, lang: Lang) -> tuple[SectionView, ...]:
    boxes = [(key, minutes) for key, minutes in config.meeting.timeboxes() if minutes > 0]
    sections = []
    for index, (key, minutes) in enumerate(boxes):
        number = _CIRCLED[index] if index < len(_CIRCLED) else f"{index + 1}."
        title = _SECTION_TITLES[key][lang]
        heading = _TEXT["heading"][lang].format(number=number, title=title, minutes=minutes)
        sections.append(SectionView(key, number, title, minutes, heading))
    return tuple(sections)


# --- KPIs --------------------------------------------------------------------------------------


def _kpi_row(
    kpi: KpiJson, reading: Reading, cycle: int, index: int, lang: Lang, *, images: bool
) -> KpiRow:
    unit = kpi["unit"] or ""
    values = tuple(float(value) for value in series(kpi, cycle))
    draw = images and len(values) >= 2 and reading.value is not None
    return KpiRow(
        id=kpi["id"],
        name=kpi["name"],
        layer=kpi["layer"],
        layer_label=choice_label("layer", kpi["layer"], lang),
        better_when=_BETTER_WHEN.get(kpi["direction"] or "", _UNJUDGED["no_direction"])[lang],
        previous=_amount(reading.previous, unit),
        previous_cycle=reading.previous_cycle,
        current=_amount(reading.value, unit),
        change=_change(reading, unit, lang),
        arrow=_arrow(reading.delta),
        word=_word(reading, lang),
        verdict=_verdict(reading, lang),
        judgement=reading.judgement,
        tone=_TONES[reading.judgement] if reading.judgement else "neutral",
        target=_amount(kpi["target"], unit) if kpi["target"] is not None else "",
        met=reading.target_met,
        met_word=_met_word(reading, kpi["target"], unit, lang),
        series=values,
        image_cid=f"trend-{index}.cycle{cycle}@sheets-sync" if draw else None,
    )


def _layer_order(row: KpiRow) -> int:
    """Action, then intermediate, then result: the order the method builds them in."""
    return LAYERS.index(row.layer) if row.layer in LAYERS else len(LAYERS)


def _number(value: Number) -> str:
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _amount(value: Number | None, unit: str) -> str:
    if value is None:
        return "—"
    return _number(value) + _unit_suffix(unit)


def _unit_suffix(unit: str) -> str:
    if not unit or unit == "%" or not unit.isascii():
        return unit
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
    text = _signed(reading.delta) + _unit_suffix(unit)
    if reading.delta_pct is None or reading.delta == 0:
        return text
    percent = _signed(round(reading.delta_pct * 100)) + "%"
    return f"{text}({percent})" if lang == "ja" else f"{text} ({percent})"


def _met_word(reading: Reading, target: Number | None, unit: str, lang: Lang) -> str:
    if reading.target_met is None or target is None or reading.value is None:
        return ""
    if reading.target_met:
        return _MET[lang]
    gap = abs(target - reading.value)
    shown = _number(gap) + ("pt" if unit == "%" else _unit_suffix(unit))
    return _TO_GO[lang].format(gap=shown)


def _word(reading: Reading, lang: Lang) -> str:
    if reading.judgement is None:
        return _UNJUDGED["doubted" if reading.doubted else "no_direction"][lang]
    return _WORDS[reading.judgement][lang]


def _verdict(reading: Reading, lang: Lang) -> str:
    word = _word(reading, lang)
    return word if reading.delta is None else f"{_arrow(reading.delta)} {word}"


def _arrow(delta: Number | None) -> str:
    if delta is None:
        return "–"
    return "↑" if delta > 0 else "↓" if delta < 0 else "→"


# --- the last step -----------------------------------------------------------------------------


def _last_step(
    report: Report, review: Cycle, previous: Cycle | None, rows: tuple[KpiRow, ...], lang: Lang
) -> LastStepView:
    actions = tuple(row for row in rows if row.layer == "action")
    state = layer_state(row.judgement for row in actions)
    chosen_in = previous.cycle if previous is not None else None
    step = previous.next_step.strip() if previous is not None else ""
    return LastStepView(
        chosen_in=chosen_in,
        label=_TEXT["last_step_chosen"][lang].format(cycle=chosen_in if chosen_in else "—"),
        step=step,
        missing_text=_TEXT["last_step_missing"][lang],
        owner=previous.owner if previous is not None else "",
        status=_DONE[state],
        status_text=_TEXT[f"done_{state}"][lang],
        action_kpis=actions,
        change=review.change.strip() if review.change.strip() != step else "",
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


def _signals(report: Report, number: int, lang: Lang) -> tuple[SignalRow, ...]:
    now = _counts(report, number)
    before = _counts(report, _previous_evidence_cycle(report, number))
    rows = []
    for signal in SIGNALS:
        if now[signal] == 0 and before[signal] == 0:
            continue
        delta = now[signal] - before[signal]
        polarity = SIGNAL_POLARITY[signal]
        tone: Tone = (
            "neutral" if delta == 0 or polarity == 0 else "good" if delta * polarity > 0 else "bad"
        )
        rows.append(
            SignalRow(
                signal=signal,
                label=choice_label("signal", signal, lang),
                previous=before[signal],
                current=now[signal],
                change=_signed(delta),
                arrow=_arrow(delta),
                tone=tone,
                word=_SIGNAL_WORDS[tone][lang],
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


def _checks(checks: Sequence[Check], lang: Lang) -> ChecksView:
    errors = [check for check in checks if check.severity == "error"]
    warnings = [check for check in checks if check.severity == "warning"]
    checks_tab = TABS_BY_KEY["checks"].title(lang)
    if not checks:
        summary = _TEXT["checks_none"][lang]
    else:
        summary = _TEXT["checks_some"][lang].format(
            errors=_counted(len(errors), "error", lang),
            warnings=_counted(len(warnings), "warning", lang),
            tab=checks_tab,
        )
    lines = tuple(
        CheckLine(where=_where(check, lang), message=check.message)
        for check in errors[:CHECK_LINES]
    )
    return ChecksView(len(errors), len(warnings), summary, lines, max(0, len(errors) - len(lines)))


def _counted(count: int, noun: str, lang: Lang) -> str:
    """ja keeps the bare number (the sentence has 件); en says "1 error", "2 errors"."""
    if lang == "ja":
        return str(count)
    return f"{count} {noun}" + ("" if count == 1 else "s")


def _where(check: Check, lang: Lang) -> str:
    tab = check.tab_title or (
        TABS_BY_KEY[check.tab].title(lang) if check.tab in TABS_BY_KEY else check.tab
    )
    if check.row is None:
        return _TEXT["check_where_tab"][lang].format(tab=tab)
    return _TEXT["check_where"][lang].format(tab=tab, row=check.row)


def _freshness(
    report: Report,
    config: Config,
    number: int,
    rows: Sequence[KpiRow],
    items: Sequence[EvidenceItem],
    lang: Lang,
) -> FreshnessView:
    missing: list[str] = []
    values_tab = TABS_BY_KEY["values"].title(lang)
    without = [row for row in rows if row.judgement == "no_value"]
    if not rows or len(without) == len(rows):
        missing.append(_TEXT["no_values_all"][lang].format(cycle=number, tab=values_tab))
    elif without:
        names = (
            "、".join(row.name for row in without)
            if lang == "ja"
            else ", ".join(row.name for row in without)
        )
        missing.append(
            _TEXT["no_values_some"][lang].format(cycle=number, names=names, tab=values_tab)
        )
    entry = report.evidence_for(number)
    if not items and (entry is None or sum(entry["counts"].values()) == 0):
        missing.append(_TEXT["no_evidence"][lang].format(cycle=number))
    last_sync = _when(report.last_sync, config) if report.last_sync else _TEXT["never_synced"][lang]
    as_of = _TEXT["as_of"][lang].format(as_of=report.as_of.isoformat(), last_sync=last_sync)
    return FreshnessView(stale=bool(missing), missing=tuple(missing), as_of=as_of)


def _when(moment: datetime, config: Config) -> str:
    local = moment.astimezone(config.tz) if moment.tzinfo is not None else moment
    return local.strftime("%Y-%m-%d %H:%M")


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
