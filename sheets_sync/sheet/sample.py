"""The sample clients: one believable story per kind of business, laid out around today.

Each story is data, `samples/<kind>.toml` beside this module (Japanese and English side by
side): its client, the people who record, 3-5 KPIs in the method's three layers (行動KPI /
中間KPI / 結果KPI), four two-week cycles — three done, each with its one hypothesis, one change,
a one-line learning and the next step, and a fourth running —, the typed KPI values and the
field evidence (the phrase that changed, its scene, what to try next). This module reads a
story and lays it out around ``today``; `demo` and a bare `new-client --sample` use the café.

Cycles are consecutive 14-day cycles: 1-3 are done and the last is running and contains
``today`` (by default it started three days ago, so cycle 3 — the one the next meeting reviews
— ended four days ago). Every row is valid: a sample syncs without errors or warnings. Both
languages tell the same story with the same numbers; each uses its own language's labels for
the choices.
"""

from __future__ import annotations

import functools
import importlib.resources
import tomllib
from datetime import date, timedelta
from typing import Final, Literal, get_args

from pydantic import BaseModel, ConfigDict, model_validator

from ..errors import UsageError
from ..words.core import say
from .schema import CYCLE_DAYS, Lang, choice_label

__all__ = [
    "DEFAULT_KIND",
    "DEMO_DAYS_INTO_CURRENT",
    "MINIMUM_SET",
    "SAMPLE_CLIENT",
    "SAMPLE_KINDS",
    "SampleKind",
    "Story",
    "minimum_set_rows",
    "sample_client",
    "sample_kind",
    "sample_rows",
    "story",
]

SampleKind = Literal["cafe", "shop", "salon"]  # a café, a small shop (glasses), a hair salon
SAMPLE_KINDS: Final[tuple[SampleKind, ...]] = get_args(SampleKind)
DEFAULT_KIND: Final[SampleKind] = "cafe"

_VALUES_TYPED_FROM_DAY: Final = 10  # the running cycle's values are typed before its meeting
DEMO_DAYS_INTO_CURRENT: Final = 12  # the demo's running cycle ends tomorrow: a meeting to come


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(_Data):
    """One text in both languages."""

    ja: str
    en: str

    def in_(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


class StoryKpi(_Data):
    id: str
    name: Text
    layer: str  # a choice key: action / intermediate / result
    direction: str
    unit: Text
    target: int | float | None = None
    auto: str | None = None
    how: Text | None = None  # a cycles_done KPI's is the rule's own words (`_how`)
    active: bool = True

    @model_validator(mode="after")
    def _says_how(self) -> StoryKpi:
        if self.how is None and self.auto != "cycles_done":
            raise ValueError(f"KPI {self.id} says how it is measured")
        if self.how is not None and self.auto == "cycles_done":
            raise ValueError(f"KPI {self.id} counts cycles: its 測り方 is the rule's own words")
        return self


class StoryCycle(_Data):
    hypothesis: Text
    change: Text
    learning: Text | None = None  # blank on the running cycle
    next_step: Text | None = None
    owner: str  # a key of the story's people


class StoryValue(_Data):
    cycle: int
    kpi: str
    value: int | float | str  # a string is typed the way staff do, e.g. "27%"
    note: Text | None = None


class StoryEvidence(_Data):
    cycle: int  # the cycle whose dates contain the row's date
    day: int  # days after the cycle's start (clamped to today in the running cycle)
    kind: str
    signal: str
    quote: Text
    scene: Text | None = None
    by: str  # a key of the story's people
    next_try: Text | None = None
    typed_cycle: bool = False  # most rows leave the cycle blank: it follows from the date


class Story(_Data):
    """One kind of business's sample: what `samples/<kind>.toml` holds."""

    client: Text
    people: dict[str, Text]
    kpis: tuple[StoryKpi, ...]
    cycles: tuple[StoryCycle, ...]
    values: tuple[StoryValue, ...]
    evidence: tuple[StoryEvidence, ...]

    @model_validator(mode="after")
    def _references_hold(self) -> Story:
        """Every person, KPI and cycle a row names exists; only the last cycle is running."""
        named = {c.owner for c in self.cycles} | {e.by for e in self.evidence}
        if named - set(self.people):
            raise ValueError(f"people not listed: {sorted(named - set(self.people))}")
        if {v.kpi for v in self.values} - {k.id for k in self.kpis}:
            raise ValueError("a value names a KPI the story does not have")
        cycles = {v.cycle for v in self.values} | {e.cycle for e in self.evidence}
        if not cycles <= set(range(1, len(self.cycles) + 1)):
            raise ValueError("a row names a cycle the story does not have")
        if any(c.learning is None for c in self.cycles[:-1]) or self.cycles[-1].learning:
            raise ValueError("cycles before the last are done (with a learning), the last runs")
        return self


@functools.cache
def story(kind: SampleKind) -> Story:
    """The story of one kind of business, read once from its data file."""
    data = importlib.resources.files(__package__).joinpath("samples", f"{kind}.toml")
    return Story.model_validate(tomllib.loads(data.read_text(encoding="utf-8")))


def sample_kind(sample: bool | str) -> SampleKind | None:
    """Which story a `sample` argument asks for: a kind by name, True for the default (the
    café, the demo's), False for none."""
    if sample is False:
        return None
    if sample is True:
        return DEFAULT_KIND
    for kind in SAMPLE_KINDS:
        if sample == kind:
            return kind
    raise UsageError("sample_kind_unknown", kind=sample, kinds=", ".join(SAMPLE_KINDS))


def sample_client(kind: SampleKind) -> dict[Lang, str]:
    """The sample client's name in each language."""
    name = story(kind).client
    return {"ja": name.ja, "en": name.en}


SAMPLE_CLIENT: Final = sample_client(DEFAULT_KIND)  # the demo's client


def _t(text: Text | None, lang: Lang) -> str | None:
    return None if text is None else text.in_(lang)


def sample_rows(
    lang: Lang, today: date, *, days_into_current: int = 3, kind: SampleKind = DEFAULT_KIND
) -> dict[str, list[dict[str, object]]]:
    """Rows for the input tabs keyed by schema tab key ("kpis", "cycles", "values", "evidence");
    each row maps schema column keys to cell values (str, int, float, date, or None).

    The running (last) cycle starts ``days_into_current`` days before ``today`` (0-13) and so
    contains it; the done cycles are the consecutive 14-day cycles before it.
    """
    if not 0 <= days_into_current < CYCLE_DAYS:
        raise ValueError(f"days_into_current must be 0-{CYCLE_DAYS - 1}, not {days_into_current}")
    told = story(kind)
    current = len(told.cycles)
    first_start = today - timedelta(days=days_into_current + CYCLE_DAYS * (current - 1))

    def start_of(cycle: int) -> date:
        return first_start + timedelta(days=CYCLE_DAYS * (cycle - 1))

    def person(key: str) -> str:
        return told.people[key].in_(lang)

    def recorded(item: StoryEvidence) -> date:
        day = min(item.day, days_into_current) if item.cycle == current else item.day
        return start_of(item.cycle) + timedelta(days=day)  # nothing is recorded after today

    cycles: list[dict[str, object]] = [
        {
            "cycle": number,
            "start": start_of(number),
            "end": start_of(number) + timedelta(days=CYCLE_DAYS - 1),
            "hypothesis": _t(cycle.hypothesis, lang),
            "change": _t(cycle.change, lang),
            "learning": _t(cycle.learning, lang),
            "next_step": _t(cycle.next_step, lang),
            "status": choice_label("status", "running" if number == current else "done", lang),
            "owner": person(cycle.owner),
        }
        for number, cycle in enumerate(told.cycles, start=1)
    ]
    values: list[dict[str, object]] = [
        {"cycle": value.cycle, "kpi": value.kpi, "value": value.value, "note": _t(value.note, lang)}
        for value in told.values
        # the running cycle's values are typed just before its meeting, not earlier
        if value.cycle != current or days_into_current >= _VALUES_TYPED_FROM_DAY
    ]
    evidence: list[dict[str, object]] = [
        {
            "date": recorded(item),
            "cycle": item.cycle if item.typed_cycle else None,
            "kind": choice_label("kind", item.kind, lang),
            "signal": choice_label("signal", item.signal, lang),
            "quote": _t(item.quote, lang),
            "scene": _t(item.scene, lang),
            "next_try": _t(item.next_try, lang),
            "by": person(item.by),
        }
        for item in told.evidence
    ]
    kpis = [_kpi_row(kpi, lang) for kpi in told.kpis]
    return {"kpis": kpis, "cycles": cycles, "values": values, "evidence": evidence}


def _kpi_row(kpi: StoryKpi, lang: Lang) -> dict[str, object]:
    return {
        "id": kpi.id,
        "name": kpi.name.in_(lang),
        "layer": choice_label("layer", kpi.layer, lang),
        "direction": choice_label("direction", kpi.direction, lang),
        "unit": kpi.unit.in_(lang),
        "target": kpi.target,
        "auto": None if kpi.auto is None else choice_label("auto", kpi.auto, lang),
        "how": _how(kpi, lang),
        "active": ("はい" if kpi.active else "いいえ")
        if lang == "ja"
        else ("yes" if kpi.active else "no"),
    }


def _how(kpi: StoryKpi, lang: Lang) -> str:
    """How a KPI is measured; for `cycles_done`, exactly what `judge.counts_as_run` counts."""
    if kpi.how is None:
        return say("kpi.cycles_done_how", lang)
    return kpi.how.in_(lang)


def _text(ja: str, en: str) -> Text:
    return Text(ja=ja, en=en)


# The method's 最小セット: one KPI per layer, which a new client starts from (new-client).
MINIMUM_SET: Final[tuple[StoryKpi, ...]] = (
    StoryKpi(
        id="K1",
        name=_text("サイクル回数", "Cycles run"),
        layer="action",
        direction="up",
        unit=_text("回", "cycles"),
        auto="cycles_done",
    ),
    StoryKpi(
        id="K2",
        name=_text("迷いのサイン", "Signs of hesitation"),
        layer="intermediate",
        direction="down",
        unit=_text("件", "remarks"),
        auto="evidence:hesitation",
        how=_text(
            "自動：「証拠」タブの「迷い」の件数",
            'Automatic: "hesitation" rows in the Evidence tab',
        ),
    ),
    StoryKpi(
        id="K3",
        name=_text("購入率(成約率)", "Purchase (conversion) rate"),
        layer="result",
        direction="up",
        unit=_text("%", "%"),
        how=_text("買った人 ÷ 接客した人", "Buyers divided by customers served"),
    ),
)


def minimum_set_rows(lang: Lang) -> dict[str, list[dict[str, object]]]:
    """The KPI tab's rows for a new client: the minimum set (行動 サイクル回数, 中間 迷いのサイン,
    結果 購入率/成約率), the first two counted automatically."""
    return {"kpis": [_kpi_row(kpi, lang) for kpi in MINIMUM_SET]}
