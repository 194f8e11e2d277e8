"""The agenda's numbers: each KPI at the review cycle, and the evidence signals, worded.

What may be said follows `kpi_words`: nothing is compared in the first cycle, a previous value
names its cycle when it is not the one just before, a count speaks as a count, an evidence count
stands beside its cycle's total and moves by its share, and a doubted, thin or left-out number
is shown but never read as a change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

from ..core.kpi_words import (
    UNREAD,
    State,
    amount,
    arrow,
    change_words,
    evidence_shares,
    is_count,
    is_evidence_kpi,
    kpi_amount,
    kpi_state,
    number,
    percent,
    previous_words,
    share_shift,
    shows_change,
    state_word,
    target_words,
    trend_points,
    with_unreadable,
)
from ..core.report import Cycle, EvidenceJson, Judgement, KpiJson, LatestJson
from ..sheet.schema import SIGNAL_POLARITY, SIGNALS, Lang, choice_label
from ..words.core import say
from .measure import Number, Reading

Tone = Literal["good", "bad", "neutral"]

_TONE_WORDS: Final[dict[Tone, str]] = {
    "good": "agenda.signal.good",
    "bad": "agenda.signal.bad",
}
_GOOD_STATES: Final[frozenset[State]] = frozenset({"improved", "done", "step_yes"})


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
    current: str  # 「4分」; an evidence count 「1件/全3件」; 「(ほかに読めない行 1件)」 after it
    change: (
        str  # 「-0.5分(-11%)」, 「1件減」, 「+2ポイント」, 「割合 33% → 17%」; "" when not compared
    )
    arrow: str  # ↑ ↓ → (the value's own movement), "–" when there is nothing to compare
    word: str  # 良い方向へ / 実行中 / 要確認 … descriptive, never a grade
    verdict: str  # the arrow and the word together: "↓ 良い方向へ", or just "値なし"
    judgement: Judgement | None
    state: State  # what can honestly be said: improved … doubted, unset, thin, first
    tone: Tone  # colour only repeats what the word says
    target: str  # "5件", "" without a target
    met: bool | None
    met_word: str  # 達成 / あと0.5分 / "" — how far there is to go, not a grade
    series: tuple[float, ...]  # values up to the review cycle, for the trend picture
    image_cid: str | None  # Content-ID of its trend picture; None without a current value
    # 「前回 27%」, 「前回(サイクル1) 28%」 when the previous value is not the cycle just
    # before's; "" when there is nothing to compare (the first cycle, no previous value).
    before: str = ""


@dataclass(frozen=True)
class RowContext:
    """What a KPI row needs to know about the cycle it is read at."""

    cycle: Cycle
    lang: Lang
    images: bool
    first: bool  # the first cycle: nothing is compared
    just_before: int | None  # the cycle just before, by date
    thin: bool = False
    unreadable: frozenset[str] = frozenset()


def kpi_row(kpi: KpiJson, reading: Reading, index: int, context: RowContext) -> KpiRow:
    """One KPI at `context.cycle` (its report `latest` when it is about that cycle)."""
    lang, number_ = context.lang, context.cycle.cycle
    unit = kpi["unit"] or ""
    latest = _as_latest(kpi, reading)
    state = kpi_state(
        kpi,
        latest,
        thin=context.thin,
        unreadable=context.unreadable,
        cycle=context.cycle,
        first=context.first,
    )
    compared = shows_change(state)
    unread = state in UNREAD
    values = trend_points(kpi, until=number_, unread=number_ if unread else None)
    word = "" if state == "first" else state_word(state, lang)
    arrow, change = _movement(kpi, reading, latest, lang) if compared else ("–", "")
    previous = amount(reading.previous, unit)
    met = None if unread else reading.target_met
    return KpiRow(
        id=kpi["id"],
        name=kpi["name"],
        layer=kpi["layer"],
        layer_label=choice_label("layer", kpi["layer"], lang),
        better_when=better_when(kpi, lang),
        previous=previous,
        previous_cycle=reading.previous_cycle,
        current=_current(kpi, reading, latest, state, lang),
        change=change,
        arrow=arrow,
        word=word,
        verdict=f"{arrow} {word}" if compared and arrow != "–" else word,
        judgement=reading.judgement,
        state=state,
        tone="good" if state in _GOOD_STATES else "neutral",
        target=amount(kpi["target"], unit) if kpi["target"] is not None else "",
        met=met,
        met_word=target_words(met, kpi["target"], reading.value, unit, lang),
        series=values,
        image_cid=(
            f"trend-{index}.cycle{number_}@sheets-sync"
            if context.images and len(values) >= 2 and reading.value is not None
            else None
        ),
        before=_before(kpi, reading, latest, context),
    )


def _as_latest(kpi: KpiJson, reading: Reading) -> LatestJson:
    """The report's `latest` when it is about this cycle, else the reading in its shape."""
    latest = kpi["latest"]
    if latest is not None and latest["cycle"] == reading.cycle:
        return latest
    return reading.to_latest(by_share=is_evidence_kpi(kpi))


def _current(kpi: KpiJson, reading: Reading, latest: LatestJson, state: State, lang: Lang) -> str:
    """The value as shown: as typed when doubted (0.71, not 0.71%), an evidence count beside
    its cycle's total, and the rows an error left out after it."""
    if state == "doubted" and not is_evidence_kpi(kpi):
        shown = _as_typed(reading.value)
    else:
        shown = kpi_amount(kpi, reading.value, latest.get("total"), kpi["unit"] or "", lang)
    return with_unreadable(shown, latest.get("unreadable_rows", 0), lang)


def _before(kpi: KpiJson, reading: Reading, latest: LatestJson, context: RowContext) -> str:
    """What the value is compared with, named by its cycle when that is not the one just
    before; nothing in the first cycle or without a previous value."""
    if context.first or reading.previous is None:
        return ""
    unit = kpi["unit"] or ""
    shown = kpi_amount(kpi, reading.previous, latest.get("previous_total"), unit, context.lang)
    return previous_words(shown, reading.previous_cycle, context.just_before, context.lang)


def _movement(kpi: KpiJson, reading: Reading, latest: LatestJson, lang: Lang) -> tuple[str, str]:
    """The arrow and the change beside a compared value: an evidence count moves by its share
    (「割合 33% → 17%」), a count as a count, a % in ポイント."""
    shares = evidence_shares(latest) if is_evidence_kpi(kpi) else None
    if shares is not None:
        before, now = shares
        return arrow(now - before), share_change(before, now, lang)
    change = change_words(
        reading.delta,
        reading.delta_pct,
        reading.previous,
        kpi["unit"] or "",
        lang,
        counted=is_count(kpi),
    )
    return arrow(reading.delta) or "–", change


def share_change(before: float, now: float, lang: Lang) -> str:
    """「割合 33% → 17%」: an evidence count's share of its cycle's rows, then and now."""
    return say("kpi.share_change", lang, before=percent(before), now=percent(now))


def better_when(kpi: KpiJson, lang: Lang) -> str:
    if kpi["layer"] == "action":
        return say("agenda.better_when.action", lang)
    if kpi["direction"] == "up":
        return say("agenda.better_when.up", lang)
    if kpi["direction"] == "down":
        return say("agenda.better_when.down", lang)
    return say("agenda.better_when.unset", lang)


def _as_typed(value: Number | None) -> str:
    """A doubted value, without the unit that would make it look meant (0.71, not 0.71%)."""
    return "" if value is None else number(value) if float(value).is_integer() else f"{value:g}"


# --- evidence signals --------------------------------------------------------------------------


@dataclass(frozen=True)
class SignalRow:
    """One evidence signal's count, previous cycle → review cycle (no previous in the first)."""

    signal: str
    label: str
    previous: int | None  # None: nothing to compare (the first cycle, no earlier evidence)
    current: int
    change: str  # its share, then and now: 「33% → 17%」; 記録が少ない / 要確認 when unread
    arrow: str
    tone: Tone  # a smaller share of hesitations is good, of conviction remarks is bad
    word: str  # 良い兆し / 気になる / "" — the tone in words


def signal_rows(
    now: EvidenceJson | None, before: EvidenceJson | None, lang: Lang, *, reading: str | None
) -> tuple[SignalRow, ...]:
    """Each signal's count against the previous cycle's, moving by its share of the cycle's
    rows; `reading` says why no change can be read (記録が少ない, 要確認), or None."""
    counts = _counts(now)
    previous = _counts(before) if before is not None else None
    total, total_before = _total(now), _total(before)
    rows = []
    for signal in SIGNALS:
        was = previous[signal] if previous is not None else None
        if counts[signal] == 0 and not was:
            continue
        change, tone, mark = "", _tone(0, 0), ""
        if reading is not None and was is not None:
            change = reading
        elif was is not None and total and total_before:
            move = counts[signal] / total - was / total_before
            change = share_shift(was / total_before, counts[signal] / total)
            mark, tone = arrow(round(move, 10)), _tone(move, SIGNAL_POLARITY[signal])
        rows.append(
            SignalRow(
                signal=signal,
                label=choice_label("signal", signal, lang),
                previous=was,
                current=counts[signal],
                change=change,
                arrow=mark,
                tone=tone,
                word="" if tone == "neutral" else say(_TONE_WORDS[tone], lang),
            )
        )
    return tuple(rows)


def _tone(move: float, polarity: int) -> Tone:
    """A share that moved the signal's good way is a good sign; no move, or a neutral signal,
    is neutral."""
    if round(move, 10) == 0 or polarity == 0:
        return "neutral"
    return "good" if move * polarity > 0 else "bad"


def _counts(entry: EvidenceJson | None) -> Mapping[str, int]:
    counts = entry["counts"] if entry is not None else {}
    return {signal: int(counts.get(signal, 0)) for signal in SIGNALS}


def _total(entry: EvidenceJson | None) -> int:
    return sum(entry["counts"].values()) if entry is not None else 0


def evidence_total(entry: EvidenceJson | None, lang: Lang) -> str:
    """A cycle's evidence rows, with those an error left out: 「全3件(ほかに読めない行 1件)」."""
    text = say("kpi.total", lang, total=_total(entry))
    return with_unreadable(text, entry.get("unreadable_rows", 0) if entry else 0, lang)
