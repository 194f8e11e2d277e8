"""Rows as staff typed them → clean records plus checks; bad rows are data, never exceptions.

Reading (`reader`) turns cells into records and says what it could not use; the method's rules
(`rules`) then say what the method asks of the records kept. This module lists both as one set
of checks, in the order staff read them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from ..sheet import ownership, schema
from ..sheet.ownership import Ownership
from ..sheet.schema import Lang
from ..sheet.tabs import Snapshot
from . import rules
from .findings import CheckWriter, Finding
from .reader import read
from .report import Check
from .rows import Reading
from .rules import Context, Rule
from .workbook import Workbook


def validate(
    snapshot: Snapshot, lang: Lang, today: date, decided: Ownership | None = None
) -> Workbook:
    """Validate every input tab of a snapshot; the Log tab is read along the way, from the tab
    `decided` (the run's one ownership decision; made here when not given) lets the sync write."""
    reading = read(snapshot, lang, today, decided or ownership.decide(snapshot))
    book = reading.book
    found = rules.run(Context(book, today), review=False)
    writer = CheckWriter(book, reading.headers)
    checks = list(reading.located)
    for tab in schema.INPUT_TABS:
        about = [(rule, finding) for rule, finding in found if finding.tab == tab.key]
        checks.extend(_listed(tab.key, reading, about, writer))
    book.checks = checks
    return book


def _listed(
    key: str, reading: Reading, found: Sequence[tuple[Rule, Finding]], writer: CheckWriter
) -> list[Check]:
    """A tab's checks in reading order: each row's own checks with the rules' findings about
    that row, then the checks that compare rows (duplicates, overlaps), then the findings about
    the tab as a whole. A cycle is kept only once no other overlaps it, so the findings about
    each cycle follow the overlap checks, cycle by cycle."""
    each = [writer.check(rule.code, finding) for rule, finding in found if rule.each]
    whole = [writer.check(rule.code, finding) for rule, finding in found if not rule.each]
    rows, across = reading.rows[key], reading.across[key]
    if key == "cycles":
        return rows + across + sorted(each, key=lambda check: check.cycle or 0) + whole
    # A stable sort: on one row, reading's own checks first, then the rules' in table order.
    return sorted(rows + each, key=lambda check: check.row or 0) + across + whole
