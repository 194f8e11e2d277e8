"""Chain notes: the three KPI layers (action → intermediate → result) said in one sentence.

The rules are one table of data, tried in order; the first whose three layer patterns all match
gives the sentence. Arrows in a note say better/worse (↑ better, ↓ worse, → no change), because a
layer mixes KPIs whose "better" runs in different directions.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal

from ..kpi_words import State, kpi_state
from ..report import Judgement, KpiJson, Report
from ..schema import Lang
from ..words.core import join, say, template
from .measure import read_kpi

# step_skipped: 一歩の実施 says いいえ (the step chosen last time was not carried out); it speaks
# for the action layer whatever its KPIs did, since a cycle can run without last time's step.
LayerState = Literal["improved", "worsened", "mixed", "flat", "no_data", "thin", "step_skipped"]
Layer = Literal["action", "intermediate", "result"]
Move = Literal["better", "worse"]
MOVES: Final[tuple[Move, ...]] = ("better", "worse")

LAYER_KEYS: Final[tuple[Layer, ...]] = ("action", "intermediate", "result")
STATES: Final[tuple[LayerState, ...]] = (
    "improved",
    "worsened",
    "mixed",
    "flat",
    "no_data",
    "thin",
)
# The action layer has one state more: what 一歩の実施 says when it is いいえ.
ACTION_STATES: Final[tuple[LayerState, ...]] = (*STATES, "step_skipped")


def _is(*states: LayerState) -> frozenset[LayerState]:
    return frozenset(states)


_ANY: Final = frozenset(STATES)
_RAN: Final = _is("improved", "mixed")  # the action layer moved: the cycle was run


@dataclass(frozen=True)
class ChainRule:
    """One row of the table: a pattern per layer, and the key of its sentence (`chain.*` in the
    staff catalog, with every other word a person reads).

    Sentences may use {action}, {intermediate} and {result}: that layer's arrow; and {better}
    and {worse}: the names of the intermediate KPIs that moved that way, in brackets, or nothing
    when they are not known. A sentence claims only what the layer states support: "the
    intermediate KPIs moved the way we want", never which customer feeling changed.
    """

    words: str
    action: frozenset[LayerState]
    intermediate: frozenset[LayerState]
    result: frozenset[LayerState]

    def matches(self, states: Mapping[Layer, LayerState]) -> bool:
        return (
            states["action"] in self.action
            and states["intermediate"] in self.intermediate
            and states["result"] in self.result
        )

    @property
    def key(self) -> str:
        """The rule's name (its sentence's key without the catalog's `chain.`)."""
        return self.words.removeprefix("chain.")

    def sentence(self, lang: Lang) -> str:
        """The sentence as written, its placeholders not yet filled."""
        return template(self.words, lang)

    @property
    def ja(self) -> str:
        return self.sentence("ja")

    @property
    def en(self) -> str:
        return self.sentence("en")


R = ChainRule
RULES: Final[tuple[ChainRule, ...]] = (
    R("chain.no_data", _is("no_data"), _is("no_data"), _is("no_data")),
    R("chain.step_skipped", _is("step_skipped"), _ANY, _ANY),
    R("chain.action_unknown", _is("no_data", "thin"), _ANY, _ANY),
    R("chain.not_done", _is("flat", "worsened"), _ANY, _ANY),
    R("chain.evidence_thin", _RAN, _is("thin"), _ANY),
    R("chain.all_improved", _RAN, _is("improved"), _is("improved")),
    R("chain.result_lags", _RAN, _is("improved"), _is("flat", "mixed")),
    R("chain.result_dipped", _RAN, _is("improved"), _is("worsened")),
    R("chain.result_unmeasured", _RAN, _is("improved"), _is("no_data", "thin")),
    R("chain.not_reaching", _RAN, _is("flat"), _ANY),
    R("chain.backfired", _RAN, _is("worsened"), _ANY),
    R("chain.mixed_signals", _RAN, _is("mixed"), _ANY),
    R("chain.intermediate_unmeasured", _RAN, _is("no_data"), _ANY),
)


# How a KPI's state counts in its layer: done counts as moved, not done as still; a doubted,
# unset or thin value is no data (it is never read as better or worse).
_AS_JUDGEMENT: Final[dict[State, Judgement]] = {
    "improved": "improved",
    "worsened": "worsened",
    "flat": "flat",
    "done": "improved",
    "not_done": "flat",
}
_STEP_DONE: Final[dict[str, LayerState]] = {
    "yes": "improved",
    "partial": "mixed",
    "no": "step_skipped",
}


def layer_state(judgements: Iterable[Judgement | None]) -> LayerState:
    """A layer's state from its KPIs' judgements (no_previous / no_value count as no data)."""
    seen = set(judgements)
    improved, worsened = "improved" in seen, "worsened" in seen
    if improved and worsened:
        return "mixed"
    if improved:
        return "improved"
    if worsened:
        return "worsened"
    if "flat" in seen:
        return "flat"
    return "no_data"


def _kpi_states(report: Report, cycle: int, thin: bool) -> list[tuple[KpiJson, State]]:
    """Each (active) KPI with what can honestly be said about it at `cycle`."""
    pairs: list[tuple[KpiJson, State]] = []
    for kpi in report.kpis:
        reading = read_kpi(kpi, cycle)
        latest = (
            kpi["latest"] if kpi["latest"] is not None and kpi["latest"]["cycle"] == cycle else None
        )
        state: State = (
            kpi_state(kpi, latest, thin=thin)
            if latest is not None
            else reading.judgement or "doubted"
        )
        pairs.append((kpi, state))
    return pairs


def _thin(report: Report, cycle: int) -> bool:
    entry = report.evidence_for(cycle)
    return bool(entry is not None and entry.get("thin"))


def layer_states(report: Report, cycle: int) -> dict[Layer, LayerState]:
    """Each layer's state at `cycle`, from the report's (active) KPIs.

    The action layer follows 一歩の実施 when staff recorded it. The intermediate layer is
    "thin" when the cycle's evidence is too thin and it counts evidence.
    """
    judgements: dict[Layer, list[Judgement | None]] = {layer: [] for layer in LAYER_KEYS}
    thin_layers: set[str] = set()
    for kpi, state in _kpi_states(report, cycle, _thin(report, cycle)):
        if state == "thin":
            thin_layers.add(kpi["layer"])
        if kpi["layer"] in LAYER_KEYS:
            judgements[kpi["layer"]].append(_AS_JUDGEMENT.get(state))
    states = {layer: layer_state(judgements[layer]) for layer in LAYER_KEYS}
    if "intermediate" in thin_layers:
        states["intermediate"] = "thin"
    review = report.cycle(cycle)
    if review is not None and review.step_done is not None:
        states["action"] = _STEP_DONE[review.step_done]
    return states


def intermediate_moves(report: Report, cycle: int) -> dict[Move, tuple[str, ...]]:
    """The names of the intermediate KPIs that moved the way we want ("better") and the other
    way ("worse") at `cycle`, so a note names what moved instead of guessing."""
    moves: dict[Move, list[str]] = {"better": [], "worse": []}
    for kpi, state in _kpi_states(report, cycle, _thin(report, cycle)):
        if kpi["layer"] != "intermediate":
            continue
        judgement = _AS_JUDGEMENT.get(state)
        if judgement == "improved":
            moves["better"].append(kpi["name"])
        elif judgement == "worsened":
            moves["worse"].append(kpi["name"])
    return {move: tuple(names) for move, names in moves.items()}


def rule_for(states: Mapping[Layer, LayerState]) -> ChainRule:
    """The first rule of the table that matches the three layers."""
    for rule in RULES:
        if rule.matches(states):
            return rule
    raise LookupError(f"no chain rule for {dict(states)}")  # the table covers every case


def _named(names: Sequence[str], lang: Lang) -> str:
    if not names:
        return ""
    return say("chain.named", lang, names=join(names, lang))


def note_for(
    states: Mapping[Layer, LayerState],
    lang: Lang,
    moves: Mapping[Move, Sequence[str]] | None = None,
) -> str:
    """The one-sentence note for the three layer states; `moves` names the intermediate KPIs
    that moved each way (see `intermediate_moves`), when the caller knows them."""
    # In words only: the agenda's arrows mean a number went up or down, and an intermediate
    # KPI that fell the way we want must not read as ↑ beside its own ↓.
    known = moves or {}
    named = {move: _named(known.get(move, ()), lang) for move in MOVES}
    return rule_for(states).sentence(lang).format(**named)


def chain_note(report: Report, *, cycle: int | None = None, lang: Lang | None = None) -> str:
    """The chain note for `cycle` (default: the review cycle) in `lang` (default: the report's)."""
    number = cycle if cycle is not None else report.review_cycle
    if number is None:
        return note_for(dict.fromkeys(LAYER_KEYS, "no_data"), lang or report.language)
    return note_for(
        layer_states(report, number), lang or report.language, intermediate_moves(report, number)
    )
