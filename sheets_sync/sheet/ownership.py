"""Which generated tabs the sync may write: an exact title plus that tab's own marker, or an
earlier version's layout and nothing else."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from ..words.core import say
from ..words.lang import LANGS, Lang
from . import schema
from .parse import cell_text
from .tabs import RawTab, Snapshot

Action = Literal["write", "create", "not_ours"]
# Why a tab with a generated title is not the sync's to write:
# `staff` no marker and not our layout; `other_tab` it carries the marker of another generated
# tab (titles swapped, or a tab renamed into this title); `not_a_grid` a chart or dialog sheet;
# `more_than_ours` our layout, plus something the sync never writes (a chart, a formula …).
Refusal = Literal["staff", "other_tab", "not_a_grid", "more_than_ours"]

# The title cell of a Summary the sync wrote: "<client> — KPIサマリー" / "<client> — KPI summary".
_SUMMARY_TITLE_ENDINGS = tuple(say("summary.title", lang, client="") for lang in LANGS)
# A new workbook's generated tabs hold one placeholder line that names the tool.
_PLACEHOLDER_WORD = "sheets-sync"
_HEADER_CELLS_COMPARED = 4  # earlier versions had the same first columns, maybe fewer after
# How many columns each generated tab fills (the Summary's is summary.SUMMARY_WIDTHS, which
# imports too high to be read here; a test ties the two): a cell further right is staff's.
_LAYOUT_WIDTH = {
    "summary": 10,
    "checks": len(schema.CHECKS_COLUMNS),
    "log": len(schema.LOG_COLUMNS),
}
# The only formula the sync (on Google) ever wrote into a generated tab: the Summary's trend.
_OUR_FORMULAS = {"summary": ("=SPARKLINE(",)}


@dataclass(frozen=True)
class NotOurs:
    """A tab with the exact title of generated tab `key` that the sync leaves alone, and why;
    `marker` (for `other_tab`) names the generated tab its marker says it is."""

    key: str
    title: str
    reason: Refusal = "staff"
    marker: str | None = None


@dataclass(frozen=True)
class TabDecision:
    """What the sync may do with one generated tab.

    `write`: replace the tab called `title` (the title exactly as it stands in the workbook);
    `legacy` says it was recognised by its layout and gets the marker on this write.
    `create`: no tab has an exact generated title; add one in the configured language.
    `not_ours`: a tab called `title` has the exact title but is not this tab; write nothing
    (`refusal` says why)."""

    key: str
    action: Action
    title: str | None = None
    legacy: bool = False
    refusal: NotOurs | None = None

    @property
    def writable(self) -> bool:
        return self.action != "not_ours"


@dataclass(frozen=True)
class Ownership:
    """The decision for every generated tab, plus each exact-titled tab that is not ours."""

    decisions: dict[str, TabDecision]
    not_ours: tuple[NotOurs, ...]  # in tab order

    def __getitem__(self, key: str) -> TabDecision:
        return self.decisions[key]

    def blocked(self) -> tuple[NotOurs, ...]:
        """Why each generated tab that may be neither written nor created is left out: a tab
        not ours holds its title (what `upgrade` says instead of adding that tab)."""
        return tuple(d.refusal for d in self.decisions.values() if d.refusal is not None)


def exact_generated_key(title: str) -> str | None:
    """The generated tab whose title (either language) this is, surrounding spaces trimmed.
    Case is ignored: Google and Excel both refuse a second tab whose title differs only in
    case, so a staff tab `log` must block `Log` (tab_not_ours) rather than fail every write."""
    trimmed = title.strip().casefold()
    for tab in schema.GENERATED_TABS:
        if trimmed in (tab.ja.casefold(), tab.en.casefold()):
            return tab.key
    return None


def is_our_layout(key: str, raw: RawTab) -> bool:
    """The tab is exactly what the sync (or the template) writes there and nothing else: an
    earlier version's tab without the marker, or an untouched new one."""
    return not holds_more(key, raw) and _cells_match(key, raw)


def holds_more(key: str, raw: RawTab) -> bool:
    """The tab is no grid, or holds something the sync never writes there: a drawing, chart,
    image or other object, a formula (even one showing ""), or a cell right of the layout."""
    if raw.kind != "worksheet" or raw.objects:
        return True
    ours = _OUR_FORMULAS.get(key, ())
    if any(not formula.upper().startswith(ours) for formula in raw.formulas):
        return True
    width = _LAYOUT_WIDTH[key]
    return any(
        cell.uncomputed_formula or (index >= width and cell_text(cell.value).strip())
        for line in raw.rows
        for index, cell in enumerate(line)
    )


def _cells_match(key: str, raw: RawTab) -> bool:
    texts = [[cell_text(cell.value).strip() for cell in line] for line in raw.rows]
    filled = [(r, c, t) for r, line in enumerate(texts) for c, t in enumerate(line) if t]
    if not filled:
        return True  # an empty tab holds nothing to lose
    if len(filled) == 1 and filled[0][:2] == (0, 0) and _PLACEHOLDER_WORD in filled[0][2]:
        return True  # the template's placeholder line
    first = texts[0] if texts else []
    if key == "summary":
        return bool(first) and first[0].endswith(_SUMMARY_TITLE_ENDINGS)
    if key == "log":
        return has_log_header(raw)
    wanted = min(_HEADER_CELLS_COMPARED, len(schema.CHECKS_COLUMNS))
    head = first[:wanted]
    return any(
        head == [entry[lang] for entry in schema.CHECKS_COLUMNS[:wanted]]
        for lang in (1, 2)  # the ja and en header of each column
    )


def has_log_header(raw: RawTab) -> bool:
    """The first row is the Log's header (either language), as the sync writes it."""
    first = [cell_text(cell.value).strip() for cell in raw.rows[0]] if raw.rows else []
    wanted = min(_HEADER_CELLS_COMPARED, len(schema.LOG_COLUMNS))
    return any(
        first[:wanted] == [entry[lang] for entry in schema.LOG_COLUMNS[:wanted]] for lang in (1, 2)
    )


def past_logs(snapshot: Snapshot, log_title: str | None) -> list[RawTab]:
    """Every other tab that is or was the sync's Log, read for past sends and never written:
    one carrying the Log's marker (renamed by staff, or its title swapped with another tab's),
    or one with the Log's header under any title (a LibreOffice save drops the marker, and
    staff may then rename the Log to anything, e.g. 送信記録). A sent agenda is never lost."""
    return [
        raw
        for raw in snapshot.tabs
        if raw.title != log_title and (raw.marker == "log" or has_log_header(raw))
    ]


def refusal(key: str, raw: RawTab) -> NotOurs | None:
    """Why `raw`, which has the exact title of generated tab `key`, is not that tab (None: it
    is). Its own marker proves it; another tab's marker never does (the Checks must not be
    written over a Log whose title was swapped); without a marker, our layout and nothing else."""
    if raw.kind != "worksheet":
        return NotOurs(key, raw.title, "not_a_grid")
    if raw.marker == key:
        return None
    if raw.marker is not None:
        return NotOurs(key, raw.title, "other_tab", raw.marker)
    if not _cells_match(key, raw):
        return NotOurs(key, raw.title, "staff")
    if holds_more(key, raw):
        return NotOurs(key, raw.title, "more_than_ours")
    return None


def decide(snapshot: Snapshot) -> Ownership:
    """Per generated tab: write the marked (or recognised) tab, create one, or leave it alone.

    Among several exact-titled tabs the first marked one wins, then the first in our layout;
    a tab that only resembles a generated title is never considered."""
    candidates: dict[str, list[RawTab]] = {tab.key: [] for tab in schema.GENERATED_TABS}
    for raw in snapshot.tabs:
        key = exact_generated_key(raw.title)
        if key is not None:
            candidates[key].append(raw)
    decisions: dict[str, TabDecision] = {}
    not_ours: list[NotOurs] = []
    for tab in schema.GENERATED_TABS:
        found = candidates[tab.key]
        refused = {id(raw): refusal(tab.key, raw) for raw in found}
        owned = next((raw for raw in found if raw.marker == tab.key and not refused[id(raw)]), None)
        legacy = next((raw for raw in found if raw.marker is None and not refused[id(raw)]), None)
        if owned is not None:
            decisions[tab.key] = TabDecision(tab.key, "write", owned.title)
        elif legacy is not None:
            decisions[tab.key] = TabDecision(tab.key, "write", legacy.title, legacy=True)
        elif found:
            first = refused[id(found[0])]
            decisions[tab.key] = TabDecision(tab.key, "not_ours", found[0].title, refusal=first)
        else:
            decisions[tab.key] = TabDecision(tab.key, "create")
        not_ours.extend(why for why in refused.values() if why is not None)
    order = {raw.title: i for i, raw in enumerate(snapshot.tabs)}
    not_ours.sort(key=lambda item: order.get(item.title, 0))
    return Ownership(decisions, tuple(not_ours))


# The tab_not_ours text for each reason (the code stays tab_not_ours: the same error for staff).
_REFUSAL_TEXT: dict[Refusal, str] = {
    "staff": "tab_not_ours",
    "other_tab": "tab_not_ours_other_tab",
    "not_a_grid": "tab_not_ours_not_a_grid",
    "more_than_ours": "tab_not_ours_more_than_ours",
}


def refusal_words(refused: NotOurs, lang: Lang) -> tuple[str, dict[str, Any]]:
    """The message (a tab_not_ours text) that says why the tab is left alone and what to do,
    with its fields: `title` the tab, `other` the generated tab its marker names."""
    fields: dict[str, Any] = {"title": refused.title.strip()}
    if refused.reason != "other_tab" or refused.marker is None:
        return _REFUSAL_TEXT[refused.reason], fields
    fields["other"] = schema.TABS_BY_KEY[refused.marker].title(lang)
    text = "tab_not_ours_was_log" if refused.marker == "log" else "tab_not_ours_other_tab"
    return text, fields
