"""How a KPI at the review cycle is said: a descriptive word for its movement, never a grade."""

from __future__ import annotations

from typing import Final, Literal

from .report import KpiJson, LatestJson
from .schema import Lang
from .words.core import say

State = Literal[
    "improved",
    "worsened",
    "flat",
    "no_previous",
    "no_value",
    "done",
    "not_done",
    "doubted",
    "unset",
    "thin",
    "unreadable",
]
COMPARED: frozenset[State] = frozenset({"improved", "worsened", "flat"})
_STATE_WORDS: Final[dict[State, str]] = {
    "improved": "move.improved",
    "worsened": "move.worsened",
    "flat": "move.flat",
    "no_previous": "move.no_previous",
    "no_value": "move.no_value",
    "done": "move.done",
    "not_done": "move.not_done",
    "doubted": "move.doubted",
    "unset": "move.unset",
    "thin": "move.thin",
    "unreadable": "move.unreadable",
}


def is_evidence_kpi(kpi: KpiJson) -> bool:
    """An auto KPI counted from the Evidence tab (its change is an evidence change)."""
    return (kpi["auto"] or "").startswith("evidence:")


def source_tab(kpi: KpiJson) -> str:
    """The input tab a KPI's values come from: typed in the values tab, or counted."""
    auto = kpi["auto"] or ""
    return "evidence" if auto.startswith("evidence:") else "cycles" if auto else "values"


def kpi_state(
    kpi: KpiJson,
    latest: LatestJson | None,
    *,
    thin: bool = False,
    unreadable: frozenset[str] = frozenset(),
) -> State:
    """What can honestly be said about the KPI at that cycle.

    A doubted value is never compared; a KPI without a direction keeps its values but is not
    judged; an evidence KPI in a cycle with thin evidence is "few records", never better/worse;
    an action KPI says done / not yet; a value whose tab could not be read is unknown, not
    missing (`unreadable`: the report's unreadable tab keys).
    """
    if latest is None or latest["value"] is None:
        return "unreadable" if source_tab(kpi) in unreadable else "no_value"
    if is_evidence_kpi(kpi) and thin:
        return "thin"  # the core also doubts such a count; "few records" says why
    if latest.get("doubted"):
        return "doubted"
    judgement = latest["judgement"]
    if judgement in ("done", "not_done"):
        return judgement
    if kpi["direction"] not in ("up", "down") and kpi["auto"] is None:
        return "unset"
    if judgement is None:
        return "doubted"
    return judgement


def state_word(state: State, lang: Lang) -> str:
    return say(_STATE_WORDS[state], lang)


def shows_change(state: State) -> bool:
    """Whether the change (delta, arrow, trend point) may be shown beside the value."""
    return state in COMPARED
