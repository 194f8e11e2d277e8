"""The one KPI rule (`sheets_sync.core.judge`), on its own: previous, delta, judgement,
target_met and streak for every layer, with doubted values and a missing direction."""

from __future__ import annotations

import pytest

from sheets_sync.core.judge import KpiRule, Point, read
from sheets_sync.words.catalog import CHECKS as MESSAGES

UP = KpiRule("result", "up", 30)
DOWN = KpiRule("intermediate", "down", 4)


def test_delta_is_rounded_once_for_everyone() -> None:
    """24.5 − 22 is 2.5, not 2.4999999999999982, and delta_pct is its share of |previous|."""
    reading = read(UP, [Point(1, 22), Point(2, 24.5)], 2)
    assert (reading.delta, reading.judgement) == (2.5, "improved")
    assert reading.delta_pct == round(2.5 / 22, 10)


@pytest.mark.parametrize(
    ("rule", "values", "judgement"),
    [
        (UP, (5, 6), "improved"),
        (UP, (6, 5), "worsened"),
        (DOWN, (6, 5), "improved"),
        (DOWN, (5, 5), "flat"),
        (KpiRule("result", None), (5, 6), None),  # no direction: values, no judgement
        (KpiRule("action", None), (1, 1), "done"),  # the action layer needs no direction
        (KpiRule("action", "up"), (1, 0), "not_done"),
        (KpiRule("action", "up", 3), (5, 2), "not_done"),
        (KpiRule("action", "up", auto="cycles_done"), (2, 2), "not_done"),  # nothing added
        (KpiRule("action", "up", auto="cycles_done"), (2, 3), "done"),
    ],
)
def test_judgement_by_layer_and_direction(
    rule: KpiRule, values: tuple[int, int], judgement: str | None
) -> None:
    """Change for intermediate/result, "did we do it?" for action, nothing without direction."""
    history = [Point(1, values[0]), Point(2, values[1])]
    assert read(rule, history, 2).judgement == judgement


def test_a_doubted_value_has_no_delta_judgement_or_target_and_is_never_previous() -> None:
    """The doubted value is shown; the next cycle is compared with the one before it."""
    history = [Point(1, 20), Point(2, 0.3, doubted=True), Point(3, 31)]
    doubted = read(UP, history, 2)
    assert (doubted.value, doubted.doubted, doubted.delta, doubted.judgement) == (
        0.3,
        True,
        None,
        None,
    )
    assert doubted.target_met is None
    after = read(UP, history, 3)
    assert (after.previous_cycle, after.previous, after.streak, after.target_met) == (
        1,
        20,
        1,
        True,
    )


def test_order_by_date_beats_order_by_number() -> None:
    """With cycles given oldest first as [2, 1], cycle 1's previous is cycle 2."""
    reading = read(UP, [Point(2, 10), Point(1, 12)], 1, order=[2, 1])
    assert (reading.previous_cycle, reading.judgement) == (2, "improved")


def test_no_value_keeps_the_previous_for_the_reader() -> None:
    """A cycle without a value: no_value, and the previous one is still named."""
    reading = read(UP, [Point(1, 20)], 2, order=[1, 2])
    assert (reading.judgement, reading.previous_cycle, reading.value) == ("no_value", 1, None)


def test_every_english_message_is_free_of_japanese_punctuation() -> None:
    """Variants included (stale_data_values, required_direction …): no 「」、。 in English."""
    for key, texts in MESSAGES.items():
        assert not set(texts["en"]) & set("「」、。（）"), key
