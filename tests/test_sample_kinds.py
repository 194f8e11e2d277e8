"""The sample stories, one per kind of business (café, small shop, hair salon): each is data of
its own, valid against the schema, told the method's way in both languages, and syncs with no
check at all; `demo` and a bare `--sample` tell the café's."""

from __future__ import annotations

import re
import tomllib
from collections import Counter
from datetime import date, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from pydantic import ValidationError

from sheets_sync.core.rules import too_long
from sheets_sync.errors import EXIT_CONFIG, UsageError
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.sheet import schema
from sheets_sync.sheet.sample import (
    DEFAULT_KIND,
    SAMPLE_CLIENT,
    SAMPLE_KINDS,
    SampleKind,
    Story,
    sample_client,
    sample_kind,
    sample_rows,
    story,
)
from sheets_sync.sheet.schema import CYCLE_DAYS

LANGS: tuple[schema.Lang, ...] = ("ja", "en")
TODAY = date(2026, 11, 23)
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
STORIES = Path(__file__).resolve().parents[1] / "sheets_sync" / "sheet" / "samples"

Rows = dict[str, list[dict[str, object]]]


def _key(choices: str, value: object) -> str:
    assert isinstance(value, str)
    return schema.choice_lookup(choices)[schema.normalize_label(value)]


def _cycle_of(rows: Rows, day: object) -> int:
    for row in rows["cycles"]:
        start, end = row["start"], row["end"]
        assert isinstance(start, date) and isinstance(end, date) and isinstance(day, date)
        if start <= day <= end:
            assert isinstance(row["cycle"], int)
            return row["cycle"]
    raise AssertionError(f"{day} is in no cycle")


def _number(value: object) -> float:
    if isinstance(value, int | float):
        return float(value)
    assert isinstance(value, str)
    return float(value.rstrip("%"))


def test_every_kind_has_its_own_data_file_and_every_file_is_a_kind() -> None:
    """samples/<kind>.toml exists for cafe, shop and salon, and nothing else lies there."""
    assert SAMPLE_KINDS == ("cafe", "shop", "salon") and DEFAULT_KIND == "cafe"
    assert sorted(path.stem for path in STORIES.glob("*.toml")) == sorted(SAMPLE_KINDS)


def test_the_demo_and_a_bare_sample_tell_the_cafe_story() -> None:
    """True (a bare --sample, and demo) means the café; False means no story; the café is
    さくら珈琲, the demo's client."""
    assert sample_kind(True) == "cafe" and sample_kind(False) is None
    assert sample_kind("salon") == "salon"
    assert SAMPLE_CLIENT == sample_client("cafe") == {"ja": "さくら珈琲", "en": "Sakura Coffee"}
    assert sample_rows("ja", TODAY) == sample_rows("ja", TODAY, kind="cafe")


def test_an_unknown_kind_is_a_usage_error_naming_the_kinds() -> None:
    """sample="bakery" stops with exit 2 and the list of kinds there are."""
    with pytest.raises(UsageError) as raised:
        sample_kind("bakery")
    assert raised.value.exit_code == EXIT_CONFIG
    assert "bakery" in str(raised.value) and "cafe, shop, salon" in str(raised.value)


def test_a_story_naming_someone_it_does_not_list_is_refused() -> None:
    """A story whose evidence is recorded by a person not in [people] does not load."""
    data = story("shop").model_dump()
    data["evidence"][0]["by"] = "nobody"
    with pytest.raises(ValidationError, match="nobody"):
        Story.model_validate(data)


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_each_story_is_the_method_minimum_set_and_more(kind: SampleKind) -> None:
    """3-5 active KPIs covering 行動・中間・結果, the first counted from the cycles and an
    intermediate one counted from the evidence; one inactive KPI kept for later; three done
    cycles and a running fourth; three people who record."""
    told = story(kind)
    active = [kpi for kpi in told.kpis if kpi.active]
    assert 3 <= len(active) <= 5
    assert {kpi.layer for kpi in active} == set(schema.LAYERS)
    assert active[0].layer == "action" and active[0].auto == "cycles_done"
    counted = [kpi for kpi in active if kpi.auto and kpi.auto.startswith("evidence:")]
    assert len(counted) == 1 and counted[0].layer == "intermediate"
    assert len(told.kpis) - len(active) == 1
    assert len(told.cycles) == 4 and len(told.people) == 3


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_each_story_fits_the_schema_in_its_language(kind: SampleKind, lang: schema.Lang) -> None:
    """Rows use the input tabs' column keys and cell types a sheet holds, fill every required
    column, and spell each choice exactly as staff see it in that language."""
    rows = sample_rows(lang, TODAY, kind=kind)
    assert set(rows) == {tab.key for tab in schema.INPUT_TABS}
    for tab_key, tab_rows in rows.items():
        tab = schema.TABS_BY_KEY[tab_key]
        assert tab_rows, tab_key
        for row in tab_rows:
            assert set(row) <= {column.key for column in tab.columns}
            assert all(v is None or type(v) in (str, int, float, date) for v in row.values())
            for column in tab.columns:
                value = row.get(column.key)
                if column.required:
                    assert value not in (None, ""), (tab_key, column.key)
                if column.choices is not None and value:
                    key = _key(column.choices, value)
                    assert value == schema.choice_label(column.choices, key, lang)


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
@pytest.mark.parametrize("days_into", [0, 3, 12, 13])
def test_each_story_lies_around_today(kind: SampleKind, days_into: int) -> None:
    """Four consecutive 14-day cycles, the last running and containing today; every evidence
    date is inside a cycle, not after today, and matches a typed cycle."""
    rows = sample_rows("en", TODAY, days_into_current=days_into, kind=kind)
    starts = [row["start"] for row in rows["cycles"]]
    assert starts == [TODAY - timedelta(days=days_into + CYCLE_DAYS * n) for n in (3, 2, 1, 0)]
    statuses = [_key("status", row["status"]) for row in rows["cycles"]]
    assert statuses == ["done", "done", "done", "running"]
    for row in rows["evidence"]:
        day = row["date"]
        assert isinstance(day, date) and day <= TODAY
        assert row["cycle"] in (None, _cycle_of(rows, day))


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
@pytest.mark.parametrize("lang", LANGS)
def test_each_cycle_holds_one_hypothesis_one_change_and_a_one_line_learning(
    kind: SampleKind, lang: schema.Lang
) -> None:
    """Done cycles carry a learning of one short line, a next step and an owner; the running
    cycle has none yet."""
    cycles = sample_rows(lang, TODAY, kind=kind)["cycles"]
    for row, following in zip(cycles, [*cycles[1:], None], strict=True):
        assert row["hypothesis"] and row["change"] and row["owner"]
        if following is None:
            assert row["learning"] is None and row["next_step"] is None
            continue
        assert isinstance(row["learning"], str) and not too_long(row["learning"])
        assert row["next_step"]


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_each_story_moves_the_way_the_method_hopes(kind: SampleKind) -> None:
    """The evidence-counted KPI's signal moves its better way from cycle 1 to cycle 3, positive
    signals grow, and every typed KPI moves its better way each cycle toward its target."""
    told = story(kind)
    rows = sample_rows("ja", TODAY, kind=kind)
    counted = next(k for k in told.kpis if k.active and k.auto and k.auto.startswith("evidence:"))
    signal = counted.auto.split(":")[1] if counted.auto else ""
    per_cycle: Counter[int] = Counter()
    positive: Counter[int] = Counter()
    for row in rows["evidence"]:
        key = _key("signal", row["signal"])
        cycle = _cycle_of(rows, row["date"])
        per_cycle[cycle] += key == signal
        positive[cycle] += schema.SIGNAL_POLARITY[key] > 0
    better = -1 if counted.direction == "down" else 1
    assert better * (per_cycle[3] - per_cycle[1]) > 0, per_cycle
    assert positive[1] < positive[2] < positive[3]
    for kpi in (k for k in told.kpis if k.active and k.auto is None):
        series = [_number(v.value) for v in told.values if v.kpi == kpi.id]
        assert len(series) == 4, kpi.id
        sign = -1 if kpi.direction == "down" else 1
        assert all(sign * (b - a) > 0 for a, b in pairwise(series)), kpi.id


def test_the_stories_are_different_stories() -> None:
    """Each kind has its own client, hypotheses, KPIs (beyond cycles run) and quotes."""
    assert len({story(kind).client.ja for kind in SAMPLE_KINDS}) == len(SAMPLE_KINDS)
    seen: dict[str, SampleKind] = {}
    for kind in SAMPLE_KINDS:
        told = story(kind)
        texts = [c.hypothesis.ja for c in told.cycles] + [e.quote.ja for e in told.evidence]
        texts += [k.name.ja for k in told.kpis if k.auto != "cycles_done"]
        for text in texts:
            assert seen.setdefault(text, kind) == kind, (text, kind)


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
def test_both_languages_tell_the_same_story(kind: SampleKind) -> None:
    """ja and en have the same rows, dates, numbers and choices; the English has no Japanese
    and the Japanese no English choice words."""
    ja, en = sample_rows("ja", TODAY, kind=kind), sample_rows("en", TODAY, kind=kind)
    english_words = {
        spelling
        for choices in schema.CHOICES.values()
        for choice in choices
        for spelling in (choice.key, choice.en)
        if spelling.isascii() and spelling.isalpha()
    }
    for tab_key in ja:
        assert len(ja[tab_key]) == len(en[tab_key])
        for row_ja, row_en in zip(ja[tab_key], en[tab_key], strict=True):
            for key, a in row_ja.items():
                b = row_en[key]
                assert (a is None) == (b is None), (tab_key, key)
                if isinstance(a, str) and isinstance(b, str):
                    assert not JAPANESE.search(b), b
                    for word in english_words:
                        assert not re.search(rf"(?<![a-z]){word}(?![a-z])", a, re.I), (word, a)
                elif key != "active":
                    assert a == b, (tab_key, key)
    assert not JAPANESE.search(sample_client(kind)["en"])


@pytest.mark.parametrize("kind", SAMPLE_KINDS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("days_into", [0, 3, 12])
def test_each_story_syncs_with_no_check_at_all(
    tmp_path: Path, kind: SampleKind, lang: schema.Lang, days_into: int
) -> None:
    """A new client with the story (a real .xlsx) syncs with no error and no warning, whether
    the meeting reviews the last done cycle or the running one."""
    made = new_client(
        NewClientOrder(
            sample_client(kind)[lang],
            lang,
            config_dir=tmp_path,
            sample=kind,
            today=TODAY,
            days_into_current=days_into,
        )
    )
    report = run(made.config, RunOptions(as_of=TODAY, dry_run=True), announce=False).report
    assert [(check.code, check.tab, check.row) for check in report.checks] == []
    assert report.review_cycle == (4 if days_into >= 12 else 3)
    assert len(report.kpis) == len([k for k in story(kind).kpis if k.active])


def test_an_installed_package_ships_the_stories() -> None:
    """pyproject.toml's package data takes samples/*.toml into the wheel."""
    pyproject = tomllib.loads((STORIES.parents[2] / "pyproject.toml").read_text(encoding="utf-8"))
    assert "samples/*.toml" in pyproject["tool"]["setuptools"]["package-data"]["sheets_sync.sheet"]
