"""Every check code: a bad input that triggers it (at the right row and column), and the
valid baseline that triggers nothing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.core.compute import Timing, compute
from sheets_sync.core.report import Check
from sheets_sync.core.validate import validate
from sheets_sync.sheet import schema
from sheets_sync.words.catalog import CHECKS as MESSAGES
from sheets_sync.words.catalog import ERROR_CODES, WARNING_CODES
from tests.support.check_cases import CASES
from tests.support.workbooks import BASELINE_TODAY, KPI_HEADER, Tabs, baseline, snapshot

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def run_checks(tabs: Tabs, today: date = BASELINE_TODAY, lang: str = "ja") -> list[Check]:
    book = validate(snapshot(tabs), lang, today)  # type: ignore[arg-type]
    report = compute(book, client="t", timing=Timing(today, 1), now=NOW)
    return report.checks


def test_the_baseline_is_clean() -> None:
    """The valid baseline produces no check at all, so every case below is caused by its edit."""
    assert run_checks(baseline()) == []


def test_every_code_has_a_case_and_a_message_in_both_languages() -> None:
    """The table below covers each stable code of the spec, and each has ja and en text."""
    assert {case[0] for case in CASES} == set(ERROR_CODES) | set(WARNING_CODES)
    assert all(set(MESSAGES[code]) == {"ja", "en"} for code in MESSAGES)


@pytest.mark.parametrize(("code", "edit", "tab", "row", "column", "today"), CASES,
                         ids=[case[0] for case in CASES])  # fmt: skip
def test_a_bad_input_triggers_its_check(
    code: str, edit: Callable[[Tabs], object], tab: str, row: int | None, column: str | None,
    today: date,
) -> None:  # fmt: skip
    """The edit raises the code, on the sheet's own row and the column's key, in plain words."""
    tabs = baseline()
    edit(tabs)
    found = [c for c in run_checks(tabs, today) if c.code == code]
    assert found, f"{code} not raised"
    check = next((c for c in found if c.row == row), found[0])
    assert (check.tab, check.row, check.column) == (tab, row, column)
    assert check.severity == ("error" if code in ERROR_CODES else "warning")
    assert check.message and "{" not in check.message


@pytest.mark.parametrize("code", [case[0] for case in CASES])
def test_messages_are_in_english_for_english_clients(code: str) -> None:
    """An English client gets English messages (no Japanese template text)."""
    case = next(c for c in CASES if c[0] == code)
    tabs = baseline()
    case[1](tabs)
    found = [c for c in run_checks(tabs, case[5], "en") if c.code == code]
    assert found
    assert all(ch.isascii() or ch in "—→" for ch in MESSAGES[code]["en"])


def test_an_error_leaves_out_only_the_bad_row() -> None:
    """A bad value row is skipped while the other rows of the tab still count."""
    tabs = baseline()
    tabs["KPI記録"][1][2] = "たくさん"
    book = validate(snapshot(tabs), "ja", BASELINE_TODAY)
    assert [(v.cycle, v.kpi, v.value) for v in book.values] == [(2, "K3", 25.0)]
    assert len(book.evidence) == 4 and len(book.kpis) == 3


def test_a_missing_column_skips_that_tab_only() -> None:
    """Without the Signal column no evidence is read, but KPIs and values still are."""
    tabs = baseline()
    tabs["証拠"][0][3] = "Sign"
    book = validate(snapshot(tabs), "ja", BASELINE_TODAY)
    assert book.evidence == [] and len(book.values) == 2


def test_duplicate_value_reports_both_rows_and_uses_the_lower_one() -> None:
    """People append corrections: both rows are reported, the one nearer the bottom is used."""
    tabs = baseline()
    tabs["KPI記録"].append([1, "K3", 23, "訂正"])
    book = validate(snapshot(tabs), "ja", BASELINE_TODAY)
    rows = sorted(c.row or 0 for c in book.checks if c.code == "duplicate_value")
    assert rows == [2, 4]
    assert [v.value for v in book.values if v.cycle == 1] == [23.0]


def test_duplicate_id_keeps_the_first_definition() -> None:
    """A copied KPI row is reported; the first definition stays in use."""
    tabs = baseline()
    tabs["KPI"].append(["K3", "コピー", "結果", "上がる", "%", 99, "", "", ""])
    book = validate(snapshot(tabs), "ja", BASELINE_TODAY)
    assert next(k for k in book.kpis if k.id == "K3").name == "購入率"


def test_overlap_reports_the_later_starting_cycle() -> None:
    """Of two overlapping cycles the later-starting one is reported and left out."""
    tabs = baseline()
    tabs["サイクル"].insert(1, [3, "2026-11-15", "", "", "", "", "", "計画", ""])
    book = validate(snapshot(tabs), "ja", BASELINE_TODAY)
    assert [c.cycle for c in book.cycles] == [1, 2]
    assert [c.row for c in book.checks if c.code == "overlapping_cycles"] == [2]


@pytest.mark.parametrize(
    ("lang", "days"), [("ja", ("11月9日(月)", "11月22日(日)")), ("en", ("Mon 9 Nov", "Sun 22 Nov"))]
)
def test_a_day_in_a_message_reads_as_people_write_it(lang: str, days: tuple[str, str]) -> None:
    """The cycle an overlap collides with is named by its days as people write them, never as
    an ISO date (GLOSSARY: 12月7日(月))."""
    tabs = baseline()
    tabs["サイクル"].insert(1, [3, "2026-11-15", "", "", "", "", "", "計画", ""])
    (overlap,) = [c for c in run_checks(tabs, lang=lang) if c.code == "overlapping_cycles"]
    assert all(day in overlap.message for day in days), overlap.message
    assert "2026-11" not in overlap.message


def test_both_languages_titles_and_headers_are_recognised() -> None:
    """An English workbook is read by a Japanese client (titles and headers in either)."""
    tabs = baseline()
    renamed = {"KPI": "KPIs", "サイクル": "Cycles", "KPI記録": "KPI values", "証拠": "Evidence"}
    english = {renamed[k]: v for k, v in tabs.items()}
    english["KPIs"][0] = ["id", "KPI", "Layer", "Better when", "Unit", "Target", "Auto",
                          "How measured", "Active"]  # fmt: skip
    english["Evidence"][0] = ["Date", "Cycle", "Kind", "Signal", "Quote", "Scene", "Next try", "By"]
    assert run_checks(english) == []


def test_headers_match_loosely_and_columns_may_move() -> None:
    """Full-width, case, spaces and bracketed notes do not matter; column order is free and
    extra columns are ignored."""
    tabs = baseline()
    tabs["KPI"] = [[row[i] for i in (2, 0, 1, 3, 4, 5, 6, 7, 8)] + ["extra"] for row in tabs["KPI"]]
    tabs["KPI"][0][1] = "ＩＤ"
    tabs["KPI"][0][0] = " 層 (action/intermediate/result) "
    tabs["KPI"][0][-1] = "メモ欄"
    assert run_checks(tabs) == []


def test_blank_rows_anywhere_are_skipped() -> None:
    """Blank rows between, before and after data are not data and raise no check."""
    tabs = baseline()
    tabs["証拠"].insert(2, [None] * 8)
    tabs["証拠"].insert(1, ["", "  ", "\u3000", None, "", "", "", ""])
    tabs["証拠"].append([None] * 8)
    assert run_checks(tabs) == []


def test_a_typed_cycle_wins_over_the_date() -> None:
    """Evidence whose cycle is typed belongs to that cycle even if the date says otherwise."""
    tabs = baseline()
    tabs["証拠"][3][1] = 1
    book = validate(snapshot(tabs), "ja", BASELINE_TODAY)
    assert [e.cycle for e in book.evidence] == [1, 1, 1, 1]


def test_a_kpi_value_may_name_the_kpi_by_its_exact_name() -> None:
    """The KPI column takes an id or the KPI's exact name."""
    tabs = baseline()
    tabs["KPI記録"][1][1] = "購入率"
    book = validate(snapshot(tabs), "ja", BASELINE_TODAY)
    assert {(v.cycle, v.kpi) for v in book.values} == {(1, "K3"), (2, "K3")}


def test_header_row_under_a_title_row_is_found() -> None:
    """A title typed above the header does not hide the tab; row numbers stay the sheet's."""
    tabs = baseline()
    tabs["KPI記録"].insert(0, ["KPIの記録(毎週入力)", None, None, None])
    tabs["KPI記録"][3][2] = "たくさん"
    checks = run_checks(tabs)
    assert [(c.code, c.row) for c in checks] == [("not_a_number", 4)]


def test_kpi_header_constant_matches_the_schema() -> None:
    """The test workbook uses the template's own ja headers."""
    assert [c.ja for c in schema.KPIS.columns] == KPI_HEADER


@pytest.mark.parametrize(
    ("code", "lang", "named"),
    [
        ("duplicate_value", "ja", "「購入率」(K3)"),
        ("value_for_auto_kpi", "ja", "「迷いのサイン」(K2)"),
        ("percent_as_fraction", "ja", "「購入率」(K3)"),
        ("missing_value", "ja", "「購入率」(K3)"),
        ("duplicate_value", "en", '"購入率" (K3)'),
        ("missing_value", "en", '"購入率" (K3)'),
    ],
)
def test_a_check_names_its_kpi_by_name_then_id(code: str, lang: str, named: str) -> None:
    """A check about one KPI names it as GLOSSARY asks, the name in quotes and the id after
    (「購入率」(K3)), never the bare name or the id first."""
    case = next(c for c in CASES if c[0] == code)
    tabs = baseline()
    case[1](tabs)
    found = [c for c in run_checks(tabs, case[5], lang) if c.code == code]
    assert found and all(named in c.message for c in found), [c.message for c in found]
