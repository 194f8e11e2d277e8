"""Chain notes: the three KPI layers (action → intermediate → result) said in a few sentences.

The rules are one table of data, tried in order; the first whose three layer patterns all match
gives the sentences. A note says in words which way each layer moved (a layer mixes KPIs whose
"better" runs in different directions) and describes what moved together: it never claims a
cause, and a rise and a fall of the result get the same caution (`chain.caution`). A doubted
value (a left-out row, few records, a value to check) is never read as a move.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Literal, get_args

from ..core.kpi_words import State, kpi_label, kpi_state
from ..core.report import Judgement, KpiJson, Report
from ..sheet.schema import Lang
from ..words.core import Phrase, join, say, template
from .measure import read_kpi

# step_skipped: 一歩の実施 says まだ (the step chosen last time was not carried out); it speaks
# for the action layer whatever its KPIs did, since a cycle can run without last time's step.
# first: the first cycle, with nothing before it to compare (said for the action layer).
# doubted: the layer's values are all doubted (a left-out row, a value to check): not read.
LayerState = Literal[
    "improved", "worsened", "mixed", "flat", "no_data", "thin", "doubted", "step_skipped", "first"
]
Layer = Literal["action", "intermediate", "result"]
Move = Literal["better", "worse"]
MOVES: Final[tuple[Move, ...]] = ("better", "worse")

LAYER_KEYS: Final[tuple[Layer, ...]] = ("action", "intermediate", "result")
# The action layer has two states more than the others: what 一歩の実施 says when it is まだ,
# and the first cycle (which speaks for the whole note).
ACTION_STATES: Final[tuple[LayerState, ...]] = get_args(LayerState)
STATES: Final[tuple[LayerState, ...]] = ACTION_STATES[:-2]


def _is(*states: LayerState) -> frozenset[LayerState]:
    return frozenset(states)


_ANY: Final = frozenset(STATES)
_RAN: Final = _is("improved", "mixed")  # the action layer moved: the cycle was run
_UNREAD: Final = _is("no_data", "thin", "doubted")  # nothing that can be read as a move


@dataclass(frozen=True)
class ChainRule:
    """One row of the table: a pattern per layer, and the key of its sentence (`chain.*` in the
    staff catalog, with every other word a person reads).

    Sentences may use {better} and {worse}: the intermediate KPIs that moved that way, each
    named as staff read a KPI (「説明時間」(K3)), or nothing when they are not known; and
    {caution}: the one caution for a result that moved (`chain.caution`), the same whichever
    way it moved. A sentence claims only what the layer states support: "the intermediate KPIs
    moved the way we want", never which customer feeling changed, and never why.
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
    R("chain.first_cycle", _is("first"), _ANY, _ANY),
    R("chain.no_data", _is("no_data"), _is("no_data"), _is("no_data")),
    R("chain.step_skipped", _is("step_skipped"), _ANY, _ANY),
    R("chain.action_unknown", _UNREAD, _ANY, _ANY),
    R("chain.not_done", _is("flat", "worsened"), _ANY, _ANY),
    R("chain.evidence_thin", _RAN, _is("thin"), _ANY),
    R("chain.intermediate_doubted", _RAN, _is("doubted"), _ANY),
    R("chain.all_improved", _RAN, _is("improved"), _is("improved")),
    R("chain.result_lags", _RAN, _is("improved"), _is("flat", "mixed")),
    R("chain.result_dipped", _RAN, _is("improved"), _is("worsened")),
    R("chain.result_unmeasured", _RAN, _is("improved"), _UNREAD),
    R("chain.not_reaching", _RAN, _is("flat"), _ANY),
    R("chain.backfired", _RAN, _is("worsened"), _ANY),
    R("chain.mixed_signals", _RAN, _is("mixed"), _ANY),
    R("chain.intermediate_unmeasured", _RAN, _is("no_data"), _ANY),
)


# How a KPI's state counts in its layer: done counts as moved, not done as still; a doubted or
# unreadable value is "doubted" (never read as better or worse); unset is no data.
Reading = Judgement | Literal["doubted"]
_AS_JUDGEMENT: Final[dict[State, Reading]] = {
    "improved": "improved",
    "worsened": "worsened",
    "flat": "flat",
    "done": "improved",
    "not_done": "flat",
    "doubted": "doubted",
    "unreadable": "doubted",
}
_STEP_DONE: Final[dict[str, LayerState]] = {
    "yes": "improved",
    "partial": "mixed",
    "no": "step_skipped",
}


def layer_state(judgements: Iterable[Reading | None]) -> LayerState:
    """A layer's state from its KPIs' judgements (no_previous / no_value count as no data; a
    layer whose only values are doubted is doubted)."""
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
    if "doubted" in seen:
        return "doubted"
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
    "thin" when the cycle's evidence is too thin and it counts evidence. The first cycle has
    nothing to compare: its note says so and nothing else.
    """
    if report.is_first(cycle):
        return {"action": "first", "intermediate": "no_data", "result": "no_data"}
    judgements: dict[Layer, list[Reading | None]] = {layer: [] for layer in LAYER_KEYS}
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


def intermediate_moves(report: Report, cycle: int) -> dict[Move, tuple[Phrase, ...]]:
    """The intermediate KPIs that moved the way we want ("better") and the other way ("worse")
    at `cycle`, each as its label (「説明時間」(K3)), so a note names what moved instead of
    guessing."""
    moves: dict[Move, list[Phrase]] = {"better": [], "worse": []}
    for kpi, state in _kpi_states(report, cycle, _thin(report, cycle)):
        if kpi["layer"] != "intermediate":
            continue
        judgement = _AS_JUDGEMENT.get(state)
        if judgement == "improved":
            moves["better"].append(kpi_label(kpi["name"], kpi["id"]))
        elif judgement == "worsened":
            moves["worse"].append(kpi_label(kpi["name"], kpi["id"]))
    return {move: tuple(names) for move, names in moves.items()}


def rule_for(states: Mapping[Layer, LayerState]) -> ChainRule:
    """The first rule of the table that matches the three layers."""
    for rule in RULES:
        if rule.matches(states):
            return rule
    raise LookupError(f"no chain rule for {dict(states)}")  # the table covers every case


def _named(names: Sequence[Phrase], lang: Lang) -> str:
    if not names:
        return ""
    return say("chain.named", lang, names=join(names, lang))


def note_for(
    states: Mapping[Layer, LayerState],
    lang: Lang,
    moves: Mapping[Move, Sequence[Phrase]] | None = None,
) -> str:
    """The one-sentence note for the three layer states; `moves` names the intermediate KPIs
    that moved each way (see `intermediate_moves`), when the caller knows them."""
    # In words only: the agenda's arrows mean a number went up or down, and an intermediate
    # KPI that fell the way we want must not read as ↑ beside its own ↓.
    known = moves or {}
    named = {move: _named(known.get(move, ()), lang) for move in MOVES}
    return rule_for(states).sentence(lang).format(caution=say("chain.caution", lang), **named)


def chain_note(report: Report, *, cycle: int | None = None, lang: Lang | None = None) -> str:
    """The chain note for `cycle` (default: the review cycle) in `lang` (default: the report's)."""
    number = cycle if cycle is not None else report.review_cycle
    if number is None:
        return note_for(dict.fromkeys(LAYER_KEYS, "no_data"), lang or report.language)
    return note_for(
        layer_states(report, number), lang or report.language, intermediate_moves(report, number)
    )
