"""The workbook as the sync understands it: clean records of each input tab, the Log, the checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..sheet import schema
from ..sheet.logbook import LogEntry
from ..sheet.schema import Lang
from .report import Check, Cycle, EvidenceItem, LostRow


@dataclass(frozen=True)
class Kpi:
    """A clean KPI definition."""

    id: str
    name: str
    layer: str
    direction: str | None  # None: the sheet's direction is blank or unreadable (no judgement)
    unit: str
    target: float | None
    auto: str | None
    how: str
    active: bool
    row: int


@dataclass(frozen=True)
class KpiValue:
    """A clean typed KPI value."""

    cycle: int
    kpi: str
    value: float
    note: str
    row: int
    typed: str = field(default="", compare=False)  # the value cell as staff typed it


@dataclass
class Workbook:
    """The validated content of a workbook: clean records and the checks found on the way."""

    lang: Lang
    kpis: list[Kpi] = field(default_factory=list)
    cycles: list[Cycle] = field(default_factory=list)
    values: list[KpiValue] = field(default_factory=list)
    # Values typed for an auto KPI: never used (the KPI is counted), named by their own check.
    auto_values: list[KpiValue] = field(default_factory=list)
    evidence: list[EvidenceItem] = field(default_factory=list)
    log: list[LogEntry] = field(default_factory=list)
    # Rows of tabs that are or were the Log (renamed by staff): read for past sends, never written.
    past_log: list[LogEntry] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    titles: dict[str, str] = field(default_factory=dict)  # tab key → title in this workbook
    # Input tabs the sync could not read (missing_tab, missing_column, duplicate_column): what
    # depends on them is unknown, never "none" — their own check names the real problem.
    unreadable: set[str] = field(default_factory=set)
    # Cycles left out by their own check (overlapping_cycles): their rows are named, not lost.
    left_out_cycles: list[Cycle] = field(default_factory=list)
    # Value and evidence rows an error left out: what they would have counted is unknown.
    lost: list[LostRow] = field(default_factory=list)
    # Data rows found in each input tab, kept or not (a tab with none is empty, not broken).
    rows_found: dict[str, int] = field(default_factory=dict)

    def title(self, key: str) -> str:
        return self.titles.get(key, schema.TABS_BY_KEY[key].title(self.lang))
