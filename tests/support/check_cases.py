"""One bad input per check code: the tabs that trigger it, and where the check must point (tab,
row, column) on which day."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date

from sheets_sync.sheet.schema import LOG_COLUMNS
from tests.support.workbooks import BASELINE_TODAY, UNCOMPUTED, Tabs


def drop_tab(title: str) -> Callable[[Tabs], object]:
    return lambda t: t.pop(title)


def put(title: str, row: int, col: int, value: object) -> Callable[[Tabs], object]:
    def edit(t: Tabs) -> None:
        t[title][row - 1][col] = value

    return edit


def append(title: str, row: list[object]) -> Callable[[Tabs], object]:
    return lambda t: t[title].append(row)


def add_tab(title: str, rows: list[list[object]]) -> Callable[[Tabs], object]:
    return lambda t: t.__setitem__(title, rows)


def many(*edits: Callable[[Tabs], object]) -> Callable[[Tabs], object]:
    def edit(t: Tabs) -> None:
        for e in edits:
            e(t)

    return edit


# (code, edit, expected tab, row, column, today)
CASES: list[tuple[str, Callable[[Tabs], object], str, int | None, str | None, date]] = [
    ("missing_tab", drop_tab("証拠"), "evidence", None, None, BASELINE_TODAY),
    ("missing_column", put("証拠", 1, 3, "Sign"), "evidence", 1, "signal", BASELINE_TODAY),
    ("required", put("証拠", 2, 4, ""), "evidence", 2, "quote", BASELINE_TODAY),
    ("not_a_number", put("KPI記録", 2, 2, "たくさん"), "values", 2, "value", BASELINE_TODAY),
    ("not_a_date", put("サイクル", 3, 1, "来週"), "cycles", 3, "start", BASELINE_TODAY),
    ("ambiguous_date", put("証拠", 3, 0, "10/30"), "evidence", 3, "date", BASELINE_TODAY),
    ("unknown_choice", put("KPI", 3, 2, "真ん中"), "kpis", 3, "layer", BASELINE_TODAY),
    ("duplicate_id", append("KPI", ["K1", "別のKPI", "結果", "上がる", "", None, "", "", ""]),
     "kpis", 5, "id", BASELINE_TODAY),
    ("duplicate_cycle",
     append("サイクル", [2, "2026-12-07", "", "", "", "", "", "", ""]),
     "cycles", 4, "cycle", BASELINE_TODAY),
    ("unknown_kpi", append("KPI記録", [1, "K9", 3, ""]), "values", 4, "kpi", BASELINE_TODAY),
    ("unknown_cycle", append("KPI記録", [7, "K3", 3, ""]), "values", 4, "cycle", BASELINE_TODAY),
    ("duplicate_value", append("KPI記録", [1, "K3", 23, "訂正"]), "values", 2, "value",
     BASELINE_TODAY),
    ("end_before_start",
     append("サイクル", [3, "2026-11-23", "2026-11-01", "", "", "", "", "計画", ""]),
     "cycles", 4, "end", BASELINE_TODAY),
    ("overlapping_cycles",
     append("サイクル", [3, "2026-11-15", "", "", "", "", "", "計画", ""]),
     "cycles", 4, "start", BASELINE_TODAY),
    ("too_many_kpis",
     many(*(append("KPI", [f"X{i}", f"追加{i}", "結果", "上がる", "", None, "", "", ""])
             for i in range(3))),
     "kpis", None, None, BASELINE_TODAY),
    ("too_few_kpis", put("KPI", 4, 8, "いいえ"), "kpis", None, None, BASELINE_TODAY),
    ("missing_layer", put("KPI", 2, 2, "中間"), "kpis", None, None, BASELINE_TODAY),
    ("value_for_auto_kpi", append("KPI記録", [1, "K2", 4, ""]), "values", 4, "value",
     BASELINE_TODAY),
    ("missing_learning", put("サイクル", 2, 5, ""), "cycles", 2, "learning", BASELINE_TODAY),
    ("missing_next_step", put("サイクル", 2, 6, ""), "cycles", 2, "next_step", BASELINE_TODAY),
    ("multiple_items", put("サイクル", 2, 3, "・目安を出す\n・価格を下げる"), "cycles", 2,
     "hypothesis", BASELINE_TODAY),
    ("learning_too_long", put("サイクル", 2, 5, "1行目\n2行目"), "cycles", 2, "learning",
     BASELINE_TODAY),
    ("cycle_length", put("サイクル", 3, 2, "2026-11-29"), "cycles", 3, "end", BASELINE_TODAY),
    ("cycle_stalled", put("サイクル", 3, 7, "完了"), "cycles", 3, "end", date(2026, 11, 30)),
    ("evidence_outside_cycles", put("証拠", 2, 0, "2026-09-01"), "evidence", 2, "date",
     BASELINE_TODAY),
    ("stale_data", many(lambda t: t["KPI記録"].pop(1), lambda t: t["証拠"].pop(1),
                         lambda t: t["証拠"].pop(1)),
     "cycles", 2, "cycle", BASELINE_TODAY),
    ("percent_as_fraction", put("KPI記録", 3, 2, 0.25), "values", 3, "value", BASELINE_TODAY),
    ("missing_value", lambda t: t["KPI記録"].pop(1), "values", None, None, BASELINE_TODAY),
    ("evidence_thin", many(lambda t: t["証拠"].pop(1), lambda t: t["証拠"].pop(1)),
     "evidence", None, None, BASELINE_TODAY),
    ("evidence_incomplete", many(put("証拠", 3, 6, ""), put("証拠", 5, 6, "")),
     "evidence", 2, "next_try", BASELINE_TODAY),
    ("missing_hypothesis", put("サイクル", 2, 3, ""), "cycles", 2, "hypothesis", BASELINE_TODAY),
    ("missing_change", put("サイクル", 3, 4, ""), "cycles", 3, "change", BASELINE_TODAY),
    ("formula_no_value", put("KPI記録", 2, 2, UNCOMPUTED), "values", 2, "value",
     BASELINE_TODAY),
    ("cycle_order", many(put("サイクル", 3, 1, "2026-10-12"), put("サイクル", 3, 2, "")),
     "cycles", 3, "start", BASELINE_TODAY),
    ("tab_not_ours", add_tab("チェック", [["開店前チェック"], ["床の掃除", "済"]]), "checks",
     None, None, BASELINE_TODAY),
    ("ambiguous_tab", lambda t: t.__setitem__("KPI記録 (2)", copy.deepcopy(t["KPI記録"])),
     "values", None, None, BASELINE_TODAY),
    ("duplicate_column", lambda t: t["KPI記録"][0].append("値"), "values", 1, "value",
     BASELINE_TODAY),
    ("learning_about_person",
     put("サイクル", 2, 5, "佐藤さんの説明が長くて、お客さまが決めきれなかった"),
     "cycles", 2, "learning", BASELINE_TODAY),
    ("no_cycles", lambda t: t.__setitem__("サイクル", t["サイクル"][:1]), "cycles", None, None,
     BASELINE_TODAY),
    ("log_from_other_client",
     add_tab("ログ", [[ja for _, ja, _, _ in LOG_COLUMNS],
                      ["2026-11-01T09:00:00+09:00", "agenda", "sent", 1, "x", "さくら珈琲"]]),
     "log", None, None, BASELINE_TODAY),
]  # fmt: skip
