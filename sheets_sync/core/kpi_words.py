"""How a KPI at a cycle is said: a descriptive word for its movement (never a grade), and its
numbers as people read them — counts as counts, an evidence count beside its cycle's total, a
previous value that names its cycle when it is not the one just before. The agenda and the
Summary both say a KPI through here, so each rule is written once."""

from __future__ import annotations

from typing import Final, Literal

from ..sheet.schema import Lang
from ..words.core import Phrase, count, say
from .judge import measured, share
from .report import Cycle, KpiJson, LatestJson

Number = float | int
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
    "first",
    "running",
    "step_yes",
    "step_partial",
    "step_no",
    "step_unrecorded",
]
COMPARED: frozenset[State] = frozenset({"improved", "worsened", "flat"})
# A number shown but not read: neither a point on the trend nor a distance to the target.
UNREAD: frozenset[State] = frozenset({"doubted", "thin", "unreadable"})
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
    "first": "move.first",
    "running": "move.running",
    "step_yes": "move.step_yes",
    "step_partial": "move.step_partial",
    "step_no": "move.step_no",
    "step_unrecorded": "move.step_unrecorded",
}
# 一歩の実施 is the one answer to "did we do it?": an action KPI's word repeats it.
_STEP_STATES: Final[dict[str, State]] = {
    "yes": "step_yes",
    "partial": "step_partial",
    "no": "step_no",
}
# Units that count things: such a KPI's change is said as a count (「1件減」), never as a
# percentage of a small number. Auto KPIs always count (cycles, evidence rows).
COUNT_UNITS: Final = frozenset(
    {"件", "回", "人", "名", "組", "個", "本", "枚", "杯", "台", "冊", "通", "点", "着", "席",
     "times", "people", "customers", "remarks", "cycles", "visits", "orders", "items", "groups"}
)  # fmt: skip
PERCENT_FROM: Final = 10  # a count's change gets a percentage only from a previous value of 10


def kpi_label(name: str, kpi_id: str) -> Phrase:
    """A KPI named in a sentence, the one form staff read everywhere (GLOSSARY): its name in
    quotes, then its id — 「購入率」(K4), "Purchase rate" (K4). A `Phrase`, so a check made
    before its language is known, `say` and `join` all put it into the reader's language."""
    return Phrase("kpi.label", {"name": name, "id": kpi_id})


def is_evidence_kpi(kpi: KpiJson) -> bool:
    """An auto KPI counted from the Evidence tab (its change is an evidence change)."""
    return (kpi["auto"] or "").startswith("evidence:")


def is_count(kpi: KpiJson) -> bool:
    """A KPI that counts things (an auto KPI, or a unit such as 件 / 回 / 人)."""
    return kpi["auto"] is not None or kpi["unit"].strip().lower() in COUNT_UNITS


def trend_points(
    kpi: KpiJson, *, until: int | None = None, unread: int | None = None
) -> tuple[float, ...]:
    """The points of a KPI's trend, oldest first, up to cycle `until`: what its judgement reads
    at each cycle — an evidence count's share of the cycle's rows, any other KPI's value — so
    the line never falls beside a 「↑」. A doubted value, and the value at `unread` (a number
    shown but not read), are not points. The agenda's picture and the Summary's 推移 both
    plot these."""
    return tuple(
        measured(entry["value"], entry.get("total"), by_share=is_evidence_kpi(kpi))
        for entry in sorted(kpi["values"], key=lambda entry: entry["cycle"])
        if (until is None or entry["cycle"] <= until)
        and not entry.get("doubted")
        and entry["cycle"] != unread
    )


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
    cycle: Cycle | None = None,
    first: bool = False,
) -> State:
    """What can honestly be said about the KPI at that cycle.

    A doubted value is never compared; a KPI without a direction keeps its values but is not
    judged; an evidence KPI in a cycle with thin evidence is "few records", never better/worse;
    a value whose tab (or row) could not be read is unknown, not missing (`unreadable`: the
    report's unreadable tab keys). In the first cycle nothing is compared. Given the `cycle`
    read, an action KPI says what 一歩の実施 says (or that the cycle is still running), so
    the action layer has one answer to "did we do it?"; without it, done / not yet.
    """
    if latest is None or latest["value"] is None:
        lost = latest is not None and latest.get("unreadable_rows", 0) > 0
        return "unreadable" if lost or source_tab(kpi) in unreadable else "no_value"
    if is_evidence_kpi(kpi) and thin:
        return "thin"  # the core also doubts such a count; "few records" says why
    if latest.get("doubted"):
        return "doubted"
    judgement = latest["judgement"]
    if kpi["layer"] == "action" and cycle is not None:
        if cycle.status == "running":
            return "running"
        if not first:  # the first cycle has no earlier step: its KPI says done / not yet
            return _STEP_STATES.get(cycle.step_done or "", "step_unrecorded")
    if judgement in ("done", "not_done"):
        return judgement
    if first:
        return "first"
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


def arrow(delta: Number | None) -> str:
    """Which way the number moved: ↑, ↓ or →, "" with nothing to compare; the word beside it
    says whether that is good."""
    if delta is None:
        return ""
    return "↑" if delta > 0 else "↓" if delta < 0 else "→"


def evidence_shares(latest: LatestJson) -> tuple[float, float] | None:
    """An evidence count's share of its cycle's rows, before and now (None when a cycle's
    total is unknown): an evidence count moves by its share, not by its count."""
    before = share(latest["previous"] or 0, latest.get("previous_total"))
    now = share(latest["value"] or 0, latest.get("total"))
    return None if before is None or now is None else (before, now)


def percent_shown(
    delta_pct: float | None, previous: Number | None, *, counted: bool
) -> float | None:
    """A change's percentage when it may be shown: a count's only from a previous count of
    PERCENT_FROM (a percentage of a small count misleads)."""
    if counted and (previous is None or abs(previous) < PERCENT_FROM):
        return None
    return delta_pct


def target_words(
    met: bool | None, target: Number | None, value: Number | None, unit: str, lang: Lang
) -> str:
    """「達成」 when the target is met, 「あと0.5分」 when not, "" without a target, a value or a
    verdict: how far there is to go, never a grade."""
    if met is None or target is None or value is None:
        return ""
    if met:
        return say("move.met", lang)
    return say("move.to_go", lang, gap=gap_words(abs(target - value), unit, lang))


# --- numbers as people read them --------------------------------------------------------------


def percent(fraction: float) -> str:
    """A share as a whole percentage: 0.333 → 「33%」."""
    return f"{round(fraction * 100)}%"


def share_shift(before: float, now: float) -> str:
    """A share then and now: 「33% → 17%」."""
    return f"{percent(before)} → {percent(now)}"


def number(value: Number) -> str:
    """1,234 and 4.5 (two decimals at most, no trailing zeros)."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def unit_suffix(unit: str, value: Number | None = None) -> str:
    """ "分" and "%" stick to the number; an English unit follows a space and is singular for
    one ("1 remark", "+1 cycle", never "1 remarks")."""
    if not unit or unit == "%" or not unit.isascii():
        return unit
    if value is not None and abs(value) == 1 and unit.isalpha() and unit.endswith("s"):
        unit = unit[:-1]
    return " " + unit


def amount(value: Number | None, unit: str) -> str:
    """A value with its unit, "—" for none."""
    if value is None:
        return "—"
    return number(value) + unit_suffix(unit, value)


def signed(value: Number) -> str:
    if value == 0:
        return "±0"
    return ("+" if value > 0 else "-") + number(abs(value))


def points(value: Number, lang: Lang, *, signed_: bool = True) -> str:
    """A percentage-point amount: 「+2ポイント」, 「あと1ポイント」's 1ポイント."""
    shown = signed(value) if signed_ else number(value)
    return say("kpi.points", lang, n=shown)


def gap_words(gap: Number, unit: str, lang: Lang) -> str:
    """How far a value is from its target, with its unit (a % target in ポイント)."""
    if unit == "%":
        return points(gap, lang, signed_=False)
    return number(gap) + unit_suffix(unit, gap)


def change_words(
    delta: Number | None,
    delta_pct: float | None,
    previous: Number | None,
    unit: str,
    lang: Lang,
    *,
    counted: bool,
) -> str:
    """A change as people read it: 「+2ポイント」 for a %, a count as 「1件減」 (with a
    percentage only from a previous count of 10), else 「-0.5分(-11%)」."""
    if delta is None:
        return ""
    if unit == "%":
        return points(delta, lang)
    if counted:
        size = number(abs(delta)) + unit_suffix(unit, abs(delta))
        key = "kpi.count_up" if delta > 0 else "kpi.count_down" if delta < 0 else "kpi.count_same"
        text = say(key, lang, n=size)
    else:
        text = signed(delta) + unit_suffix(unit, delta)
    pct = percent_shown(delta_pct, previous, counted=counted)
    if pct is None or delta == 0:
        return text
    return say("kpi.with_percent", lang, change=text, percent=signed(round(pct * 100)) + "%")


def counted_amount(value: Number | None, total: int | None, unit: str, lang: Lang) -> str:
    """An evidence count beside its cycle's total: 「1件/全3件」, "1 remark of 3"."""
    if value is None:
        return "—"
    if total is None:
        return amount(value, unit)
    return say("kpi.of_total", lang, value=amount(value, unit), total=total)


def kpi_amount(kpi: KpiJson, value: Number | None, total: int | None, unit: str, lang: Lang) -> str:
    """A KPI's value as read: an evidence count beside its cycle's total (「1件/全3件」), any
    other with its unit; "—" for none."""
    if is_evidence_kpi(kpi):
        return counted_amount(value, total, unit, lang)
    return amount(value, unit)


def with_unreadable(text: str, rows: int, lang: Lang) -> str:
    """A count with the rows an error left out: 「3件(ほかに読めない行 1件)」, or 「—(読めない
    行 1件)」 when nothing could be read."""
    if not rows:
        return text
    key = "kpi.unreadable_only" if text == "—" else "kpi.unreadable_rows"
    return text + say(key, lang, count=count("record", rows, lang))


def previous_words(value: str, cycle: int | None, just_before: int | None, lang: Lang) -> str:
    """「前回 27%」, or 「前回(サイクル1) 28%」 when the previous value is not the cycle just
    before's (a doubted or missing value in between)."""
    if cycle is None or cycle == just_before:
        return say("kpi.before", lang, value=value)
    return say("kpi.before_named", lang, value=value, cycle=cycle)
