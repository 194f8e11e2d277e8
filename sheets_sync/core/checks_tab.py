"""The Checks tab: every open check, errors first, each with where it is and how to fix it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from ..sheet import schema
from ..sheet.schema import Lang
from ..sheet.tabs import GeneratedTab, OutCell
from ..words.core import say
from .grid import Grid, a1, centered_cell, text_cell
from .report import Check, Severity

# The Checks tab's first column: a check's severity.
_SEVERITY_WORDS: Final[dict[Severity, str]] = {
    "error": "summary.error",
    "warning": "summary.warning",
}
# Rows the tab lists before it says how many more there are: 40,000 pasted bad rows made a
# Google write of 80 MB (Google refuses bodies over 10 MiB: every run failed), and nobody reads
# past the first screens. The JSON report keeps every check.
MOST_ROWS: Final = 1_000
# A value as typed is shown up to this many characters (a pasted page would fill the write).
MOST_VALUE_CHARS: Final = 200


def checks_tab(checks: list[Check], lang: Lang, past: Sequence[Check] = ()) -> GeneratedTab:
    """The Checks tab: errors first, then warnings, each with a link to the cell; warnings
    about older cycles (`past`) last, under their own heading (過去のサイクル)."""
    widths = [width for *_, width in schema.CHECKS_COLUMNS]
    grid = Grid(widths)
    grid.add(
        *(OutCell(ja if lang == "ja" else en, "header") for _, ja, en, _ in schema.CHECKS_COLUMNS)
    )
    shown = _in_order(checks)[:MOST_ROWS]
    for check in shown:
        _check_row(grid, check, lang)
    if not checks:
        none = "summary.checks_none_now" if past else "summary.checks_none"
        grid.add((OutCell(say(none, lang), "ok"), 3))
    shown_past = _in_order(past)[: MOST_ROWS - len(shown)]
    if shown_past:
        grid.blank()
        grid.add((OutCell(say("summary.past_cycles", lang), "subtitle"), 3))
        for check in shown_past:
            _check_row(grid, check, lang)
    more = len(checks) + len(past) - len(shown) - len(shown_past)
    if more:
        grid.add((OutCell(say("summary.checks_more", lang, count=more), "muted"), 6))
    return grid.tab(schema.CHECKS, lang, frozen_rows=1)


def _in_order(checks: Sequence[Check]) -> list[Check]:
    """Errors first, then by tab (in the workbook's order) and row."""
    tab_order = {tab.key: i for i, tab in enumerate(schema.ALL_TABS)}
    return sorted(
        checks, key=lambda c: (c.severity != "error", tab_order.get(c.tab, 9), c.row or 0)
    )


def _check_row(grid: Grid, check: Check, lang: Lang) -> None:
    """One check: severity, where, the value as typed (none for a whole row or tab), the
    message, a link to the cell and the code to quote when asking."""
    target = None
    if check.row is not None and check.tab_title:
        target = a1(check.tab_title, f"{check.column_letter or 'A'}{check.row}")
    column = ""
    if check.column is not None and check.tab in schema.TABS_BY_KEY:
        tab = schema.TABS_BY_KEY[check.tab]
        column = tab.column(check.column).header(lang) if tab.columns else check.column
    grid.add(
        OutCell(say(_SEVERITY_WORDS[check.severity], lang), check.severity),
        text_cell(check.tab_title or check.tab),
        OutCell(check.row)
        if check.row is not None
        else centered_cell(say("summary.whole_tab", lang)),
        text_cell(column),
        text_cell(_shortened(check.value) if check.column is not None else ""),
        text_cell(check.message.replace(check.value, _shortened(check.value))),
        OutCell(f"{check.column_letter or 'A'}{check.row}", link=target) if target else OutCell(""),
        text_cell(check.code, "muted"),
    )


def _shortened(value: str) -> str:
    """The value as typed, cut at MOST_VALUE_CHARS characters with "…" (the cell keeps it all)."""
    return value if len(value) <= MOST_VALUE_CHARS else value[: MOST_VALUE_CHARS - 1] + "…"
