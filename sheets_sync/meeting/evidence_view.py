"""The agenda's evidence: how each signal moved between the two cycles, and the best quotes of the
review cycle with their scenes, ranked by the signals that moved most."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from ..core.report import Cycle, EvidenceItem, EvidenceJson, Report
from ..sheet.schema import SIGNAL_POLARITY, Lang, choice_label
from ..words.core import say
from .kpi_rows import SignalRow, Tone, evidence_total, signal_rows


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
class Signals:
    rows: tuple[SignalRow, ...]
    heading: str
    previous_label: str
    current_label: str
    totals: tuple[str, str, str]


def _signals(report: Report, review: Cycle, before: Cycle | None, lang: Lang) -> Signals:
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
        return Signals(rows, heading, "", label, (total, "", str(_rows(now))))
    previous = say(
        "agenda.signals_side", lang, cycle=before.cycle, total=evidence_total(then, lang)
    )
    heading = say("agenda.signals_heading", lang, before=previous, now=current)
    previous_label = say("agenda.signals_cycle", lang, cycle=before.cycle)
    return Signals(rows, heading, previous_label, label, (total, str(_rows(then)), str(_rows(now))))


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


QUOTES: Final = 3  # the best three quotes of the review cycle


PROMPTS: Final = 3  # "next try" prompts for the learning


@dataclass(frozen=True)
class EvidenceView:
    """The review cycle's evidence as the agenda shows it."""

    items: list[EvidenceItem]  # the review cycle's rows, for the freshness lines
    quotes: tuple[QuoteView, ...]
    prompts: tuple[str, ...]  # "next try" prompts for the learning
    signals: Signals


def evidence_view(report: Report, review: Cycle, before: Cycle | None, lang: Lang) -> EvidenceView:
    """The signals' movement since `before`, and the review cycle's best quotes and prompts."""
    items = _items_of(report, review.cycle)
    ranked = _rank(items, _movement(report, review.cycle, before))
    return EvidenceView(
        items=items,
        quotes=tuple(_quote(item, lang) for item in _pick_quotes(ranked)),
        prompts=_prompts(ranked),
        signals=_signals(report, review, before, lang),
    )
