"""What reading or a rule found in a workbook, and how it becomes a check in the client's words."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ..sheet import schema
from ..sheet.locate import Header, column_letter
from ..words.catalog import ERROR_CODES
from ..words.core import say
from .report import Check, Severity
from .when import day_words
from .workbook import Workbook


@dataclass(frozen=True)
class Finding:
    """One thing to tell staff, before it has words: where it is and what the message needs."""

    tab: str  # a schema tab key
    row: int | None = None  # the sheet's own row number; None for a whole tab
    column: str | None = None  # a schema column key
    value: str = ""  # the cell as typed
    cycle: int | None = None  # the cycle it is about, when it is about one
    text_key: str | None = None  # a variant of the code's message that fits this case
    doubts: tuple[int, str] | None = None  # the (cycle, KPI id) value it makes doubtful
    fields: Mapping[str, Any] = field(default_factory=dict)  # the message's own fields


def number_text(value: float) -> str:
    """A number as a message quotes it: 3 for 3.0, 0.25 as it is."""
    return str(int(value)) if float(value).is_integer() else repr(value)


def severity(code: str) -> Severity:
    """A check code's severity: an error leaves its row (or tab) out, a warning does not.

    The one place that says it: where the codes are listed may move (today the checks catalog)."""
    return "error" if code in ERROR_CODES else "warning"


class CheckWriter:
    """Findings about one workbook → checks: the tab's title and the column's header as they
    stand in it, the column's letter (where its header was located), the message filled in."""

    def __init__(self, book: Workbook, headers: Mapping[str, Header] | None = None) -> None:
        self.book = book
        # Shared with the reader, which drops a tab it cannot read: no letter points into it.
        self.headers: Mapping[str, Header] = headers if headers is not None else {}

    def check(self, code: str, finding: Finding) -> Check:
        book, tab = self.book, schema.TABS_BY_KEY[finding.tab]
        header = ""
        letter = None
        located = self.headers.get(tab.key)
        if finding.column is not None:
            header = located.texts.get(finding.column, "") if located else ""
            header = header or tab.column(finding.column).header(book.lang)
            if located and finding.column in located.positions:
                letter = column_letter(located.positions[finding.column])
        title = book.title(tab.key)
        # A day in a message reads as people write it (「11月2日(月)」), never as ISO (GLOSSARY).
        fields = {
            key: day_words(value, book.lang) if isinstance(value, date) else value
            for key, value in {"cycle": finding.cycle, **finding.fields}.items()
        }
        shown = fields.pop("tab_name", title)  # a check may name the tab by its proper title
        text = say(
            finding.text_key or code,
            book.lang,
            tab=shown,
            column=header,
            row=finding.row,
            value=finding.value,
            kpi_tab=book.title("kpis"),
            cycle_tab=book.title("cycles"),
            **fields,
        )
        return Check(
            severity(code),
            code,
            tab.key,
            finding.row,
            finding.column,
            finding.value,
            text,
            title,
            letter,
            finding.doubts,
            finding.cycle,
        )
