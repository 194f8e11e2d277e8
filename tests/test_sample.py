"""The sample client's rows: valid against the schema, laid out around today, one story in two
languages."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest

from sheets_sync.sheet import schema
from sheets_sync.sheet.sample import SAMPLE_CLIENT, sample_rows
from sheets_sync.sheet.schema import CYCLE_DAYS

LANGS: tuple[schema.Lang, ...] = ("ja", "en")
TODAYS = (
    date(2026, 11, 23),
    date(2026, 1, 1),
    date(2028, 2, 29),
    date(2026, 12, 31),
    date(2027, 3, 15),
)
TODAY = TODAYS[0]
INPUT_TAB_KEYS = {tab.key for tab in schema.INPUT_TABS}
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _number(value: object) -> float:
    """Parse a value the simple way staff type it here: a number, or a number with % / 分."""
    if isinstance(value, bool):
        raise TypeError(value)
    if isinstance(value, int | float):
        return float(value)
    assert isinstance(value, str)
    return float(value.strip().rstrip("%％分").replace(",", ""))


def _cycle_dates(rows: dict[str, list[dict[str, object]]]) -> dict[int, tuple[date, date]]:
    spans: dict[int, tuple[date, date]] = {}
    for row in rows["cycles"]:
        number, start, end = row["cycle"], row["start"], row["end"]
        assert isinstance(number, int)
        assert isinstance(start, date)
        if end is None:
            end = start + timedelta(days=CYCLE_DAYS - 1)
        assert isinstance(end, date)
        spans[number] = (start, end)
    return spans


def _cycle_of(spans: dict[int, tuple[date, date]], day: object) -> int:
    assert isinstance(day, date)
    return next(n for n, (start, end) in spans.items() if start <= day <= end)


def _choice_key(name: str, value: object) -> str:
    assert isinstance(value, str)
    return schema.choice_lookup(name)[schema.normalize_label(value)]


def _strings(rows: dict[str, list[dict[str, object]]]) -> list[str]:
    return [v for tab in rows.values() for row in tab for v in row.values() if isinstance(v, str)]


@pytest.mark.parametrize("lang", LANGS)
def test_rows_use_schema_tabs_and_column_keys(lang: schema.Lang) -> None:
    """Every tab is an input tab and every row's keys are column keys of that tab."""
    rows = sample_rows(lang, TODAY)
    assert set(rows) == INPUT_TAB_KEYS
    for tab_key, tab_rows in rows.items():
        keys = {column.key for column in schema.TABS_BY_KEY[tab_key].columns}
        assert tab_rows, tab_key
        for row in tab_rows:
            assert set(row) <= keys, (tab_key, set(row) - keys)


@pytest.mark.parametrize("lang", LANGS)
def test_cells_have_types_a_sheet_can_hold(lang: schema.Lang) -> None:
    """Cells are str, int, float, date or None — never bool, datetime or containers."""
    for tab_rows in sample_rows(lang, TODAY).values():
        for row in tab_rows:
            for value in row.values():
                assert value is None or type(value) in (str, int, float, date), value


@pytest.mark.parametrize("lang", LANGS)
def test_required_columns_are_filled(lang: schema.Lang) -> None:
    """Every required column is non-empty on every row (direction too, though K1 is auto)."""
    for tab_key, tab_rows in sample_rows(lang, TODAY).items():
        tab = schema.TABS_BY_KEY[tab_key]
        for row in tab_rows:
            for column in tab.columns:
                if column.required:
                    assert not _blank(row.get(column.key)), (tab_key, column.key, row)
        if tab_key == "kpis":
            assert all(not _blank(row["direction"]) for row in tab_rows)


@pytest.mark.parametrize("lang", LANGS)
def test_choices_are_accepted_spellings_in_the_right_language(lang: schema.Lang) -> None:
    """Choice cells are accepted spellings, and exactly the label staff see in their language."""
    for tab_key, tab_rows in sample_rows(lang, TODAY).items():
        for column in schema.TABS_BY_KEY[tab_key].columns:
            for row in tab_rows:
                value = row.get(column.key)
                if _blank(value) or (
                    column.choices is None and column.type is not schema.ColumnType.YES_NO
                ):
                    continue
                assert isinstance(value, str)
                if column.type is schema.ColumnType.YES_NO:
                    folded = schema.normalize_label(value)
                    assert folded in schema.YES_SPELLINGS + schema.NO_SPELLINGS, value
                    assert value in schema.dropdown_labels(column, lang)
                elif column.choices is not None:
                    key = _choice_key(column.choices, value)
                    assert value == schema.choice_label(column.choices, key, lang)


@pytest.mark.parametrize("days_into", [0, 3, 6, 13])
@pytest.mark.parametrize("today", TODAYS)
def test_cycles_are_consecutive_and_cycle_4_contains_today(today: date, days_into: int) -> None:
    """Four consecutive 14-day cycles; 1-3 done in the past, 4 running and containing today."""
    for lang in LANGS:
        rows = sample_rows(lang, today, days_into_current=days_into)
        spans = _cycle_dates(rows)
        assert sorted(spans) == [1, 2, 3, 4]
        for number, (start, end) in spans.items():
            assert (end - start).days == CYCLE_DAYS - 1
            if number > 1:
                assert start == spans[number - 1][1] + timedelta(days=1)
        assert spans[4][0] == today - timedelta(days=days_into)
        assert spans[4][0] <= today <= spans[4][1]
        assert spans[3][1] < today
        statuses = {row["cycle"]: _choice_key("status", row["status"]) for row in rows["cycles"]}
        assert statuses == {1: "done", 2: "done", 3: "done", 4: "running"}


def test_default_layout_is_cycle_4_started_three_days_ago() -> None:
    """By default cycle 4 started three days ago, so cycle 3 ended four days ago."""
    spans = _cycle_dates(sample_rows("ja", TODAY))
    assert spans[4][0] == TODAY - timedelta(days=3)
    assert spans[3][1] == TODAY - timedelta(days=4)
    assert spans[1][0] == TODAY - timedelta(days=3 + 3 * CYCLE_DAYS)


@pytest.mark.parametrize("days_into", [-1, 14])
def test_days_into_current_out_of_range_is_refused(days_into: int) -> None:
    """Cycle 4 must contain today, so the offset is 0-13."""
    with pytest.raises(ValueError):
        sample_rows("ja", TODAY, days_into_current=days_into)


@pytest.mark.parametrize("lang", LANGS)
def test_done_cycles_have_one_line_learning_next_step_and_owner(lang: schema.Lang) -> None:
    """Done cycles carry a one-line learning, a next step and an owner; no field has two items."""
    for row in sample_rows(lang, TODAY)["cycles"]:
        for key in ("hypothesis", "change", "owner"):
            assert not _blank(row[key]), (row["cycle"], key)
        if _choice_key("status", row["status"]) == "done":
            assert not _blank(row["learning"])
            assert not _blank(row["next_step"])
        else:
            assert _blank(row["learning"])
        for key in ("hypothesis", "change", "learning", "next_step"):
            text = row[key]
            if isinstance(text, str):
                assert "\n" not in text
                assert not re.match(r"\s*([-*•・]|\d+[.)])\s", text)


@pytest.mark.parametrize("days_into", [0, 3, 13])
@pytest.mark.parametrize("today", TODAYS)
def test_evidence_dates_lie_inside_cycles_and_not_in_the_future(
    today: date, days_into: int
) -> None:
    """Every evidence date is inside a cycle and not after today; a typed cycle matches it."""
    rows = sample_rows("en", today, days_into_current=days_into)
    spans = _cycle_dates(rows)
    for row in rows["evidence"]:
        day = row["date"]
        assert isinstance(day, date)
        assert day <= today
        containing = [n for n, (start, end) in spans.items() if start <= day <= end]
        assert len(containing) == 1
        if row["cycle"] is not None:
            assert row["cycle"] == containing[0]


@pytest.mark.parametrize("lang", LANGS)
def test_evidence_spreads_over_all_cycles_with_cycle_mostly_blank(lang: schema.Lang) -> None:
    """20-24 evidence rows over cycles 1-4; the cycle is left blank on most of them."""
    rows = sample_rows(lang, TODAY)
    evidence = rows["evidence"]
    assert 20 <= len(evidence) <= 24
    spans = _cycle_dates(rows)
    per_cycle = Counter(_cycle_of(spans, row["date"]) for row in evidence)
    assert set(per_cycle) == {1, 2, 3, 4}
    typed = sum(row["cycle"] is not None for row in evidence)
    assert 0 < typed < len(evidence) / 4
    assert {_choice_key("kind", row["kind"]) for row in evidence} == {"conversation", "behavior"}
    assert len({row["by"] for row in evidence}) == 3


def test_story_hesitation_falls_and_positive_signals_rise() -> None:
    """Hesitation falls cycle by cycle (K2's target 5 met from cycle 2) and positives rise."""
    rows = sample_rows("ja", TODAY)
    spans = _cycle_dates(rows)
    hesitation: Counter[int] = Counter()
    positive: Counter[int] = Counter()
    for row in rows["evidence"]:
        number = _cycle_of(spans, row["date"])
        signal = _choice_key("signal", row["signal"])
        hesitation[number] += signal == "hesitation"
        positive[number] += schema.SIGNAL_POLARITY[signal] > 0
    assert hesitation[1] > 5 >= hesitation[2] > hesitation[3]
    assert positive[1] < positive[2] < positive[3]


def test_kpis_are_four_active_covering_all_layers() -> None:
    """4 active KPIs (the minimum set plus one), every layer present; auto KPIs K1 and K2."""
    for lang in LANGS:
        kpis = sample_rows(lang, TODAY)["kpis"]
        active = [
            row
            for row in kpis
            if _blank(row.get("active"))
            or schema.normalize_label(str(row["active"])) in schema.YES_SPELLINGS
        ]
        assert [row["id"] for row in active] == ["K1", "K2", "K3", "K4"]
        assert {_choice_key("layer", row["layer"]) for row in active} == set(schema.LAYERS)
        autos = {row["id"]: _choice_key("auto", row["auto"]) for row in kpis if row["auto"]}
        assert autos == {"K1": "cycles_done", "K2": "evidence:hesitation"}
        assert len({row["id"] for row in kpis}) == len(kpis)


def test_values_are_typed_only_for_typed_kpis_with_a_believable_trend() -> None:
    """K3 and K4 have values for cycles 1-3 (7.5→6→4.5 min, 22→24.5→27 %); auto KPIs none."""
    for lang in LANGS:
        rows = sample_rows(lang, TODAY)
        kpi_ids = {row["id"] for row in rows["kpis"]}
        cycles = {row["cycle"] for row in rows["cycles"]}
        series: dict[object, dict[object, float]] = {}
        for row in rows["values"]:
            assert row["kpi"] in kpi_ids and row["cycle"] in cycles
            series.setdefault(row["kpi"], {})[row["cycle"]] = _number(row["value"])
        assert series == {
            "K3": {1: 7.5, 2: 6.0, 3: 4.5},
            "K4": {1: 22.0, 2: 24.5, 3: 27.0},
        }
        assert any(isinstance(row["value"], str) for row in rows["values"])  # as staff type


def test_both_languages_have_the_same_shape_and_numbers() -> None:
    """ja and en: same rows, same keys, same dates and numbers, same choice keys."""
    ja, en = sample_rows("ja", TODAY), sample_rows("en", TODAY)
    assert SAMPLE_CLIENT == {"ja": "さくら珈琲", "en": "Sakura Coffee"}
    for tab_key in INPUT_TAB_KEYS:
        assert len(ja[tab_key]) == len(en[tab_key])
        tab = schema.TABS_BY_KEY[tab_key]
        for row_ja, row_en in zip(ja[tab_key], en[tab_key], strict=True):
            assert set(row_ja) == set(row_en)
            for column in tab.columns:
                a, b = row_ja.get(column.key), row_en.get(column.key)
                assert _blank(a) == _blank(b), (tab_key, column.key)
                if _blank(a):
                    continue
                if column.choices is not None:
                    assert _choice_key(column.choices, a) == _choice_key(column.choices, b)
                elif column.type is schema.ColumnType.YES_NO:
                    yes_a = schema.normalize_label(str(a)) in schema.YES_SPELLINGS
                    yes_b = schema.normalize_label(str(b)) in schema.YES_SPELLINGS
                    assert yes_a == yes_b
                elif column.type is schema.ColumnType.NUMBER:
                    assert _number(a) == _number(b)
                elif column.type is not schema.ColumnType.TEXT:
                    assert a == b, (tab_key, column.key)


def test_japanese_text_has_no_english_choice_keys() -> None:
    """No English choice key (up, done, hesitation, cycles_done …) appears in the ja rows."""
    keys = {
        spelling
        for choices in schema.CHOICES.values()
        for choice in choices
        for spelling in (choice.key, choice.en, *choice.spellings)
        if spelling.isascii() and any(ch.isalpha() for ch in spelling)
    }
    for text in _strings(sample_rows("ja", TODAY)):
        for key in keys:
            assert not re.search(rf"(?<![a-z]){re.escape(key)}(?![a-z])", text, re.I), (key, text)


def test_english_text_has_no_japanese() -> None:
    """No kana, kanji or full-width characters in the en rows or the en client name."""
    for text in [*_strings(sample_rows("en", TODAY)), SAMPLE_CLIENT["en"]]:
        assert not JAPANESE.search(text), text


def test_rows_are_deterministic_and_fresh() -> None:
    """The same inputs give equal rows, and callers may mutate them without affecting others."""
    first = sample_rows("ja", TODAY)
    first["kpis"][0]["name"] = "changed"
    first["evidence"].clear()
    assert sample_rows("ja", TODAY) != first
    assert sample_rows("ja", TODAY) == sample_rows("ja", TODAY)
