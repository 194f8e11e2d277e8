"""Which generated tabs the sync may write: an exact title plus its marker, or our old layout."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from . import schema
from .parse import cell_text
from .tabs import RawTab, Snapshot
from .words.core import say
from .words.lang import LANGS

Action = Literal["write", "create", "not_ours"]

# The title cell of a Summary the sync wrote: "<client> — KPIサマリー" / "<client> — KPI summary".
_SUMMARY_TITLE_ENDINGS = tuple(say("summary.title", lang, client="") for lang in LANGS)
# A new workbook's generated tabs hold one placeholder line that names the tool.
_PLACEHOLDER_WORD = "sheets-sync"
_HEADER_CELLS_COMPARED = 4  # earlier versions had the same first columns, maybe fewer after


@dataclass(frozen=True)
class TabDecision:
    """What the sync may do with one generated tab.

    `write`: replace the tab called `title` (the title exactly as it stands in the workbook);
    `legacy` says it was recognised by its layout and gets the marker on this write.
    `create`: no tab has an exact generated title; add one in the configured language.
    `not_ours`: a tab called `title` has the exact title but is staff's; write nothing."""

    key: str
    action: Action
    title: str | None = None
    legacy: bool = False

    @property
    def writable(self) -> bool:
        return self.action != "not_ours"


@dataclass(frozen=True)
class Ownership:
    """The decision for every generated tab, plus each exact-titled tab that is not ours."""

    decisions: dict[str, TabDecision]
    not_ours: tuple[tuple[str, str], ...]  # (tab key, title) in tab order

    def __getitem__(self, key: str) -> TabDecision:
        return self.decisions[key]


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
    """The tab looks exactly like what the sync (or the template) writes there: an earlier
    version's tab without the marker, or an untouched new one."""
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
    one carrying the Log's marker (staff renamed it, e.g. `ログ(11月まで)`), or one whose title
    resembles the Log's and that has the Log's header (a renamed copy of an older Log)."""
    lookup = schema.tab_lookup()
    found: list[RawTab] = []
    for raw in snapshot.tabs:
        if raw.title == log_title:
            continue  # the Log the sync writes, read as such
        resembles = lookup.get(schema.normalize_label(raw.title)) == "log"
        if raw.marker == "log" or (resembles and has_log_header(raw)):
            found.append(raw)
    return found


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
    not_ours: list[tuple[str, str]] = []
    for tab in schema.GENERATED_TABS:
        found = candidates[tab.key]
        owned = next((raw for raw in found if raw.owned), None)
        legacy = next((raw for raw in found if not raw.owned and is_our_layout(tab.key, raw)), None)
        if owned is not None:
            decisions[tab.key] = TabDecision(tab.key, "write", owned.title)
        elif legacy is not None:
            decisions[tab.key] = TabDecision(tab.key, "write", legacy.title, legacy=True)
        elif found:
            decisions[tab.key] = TabDecision(tab.key, "not_ours", found[0].title)
        else:
            decisions[tab.key] = TabDecision(tab.key, "create")
        not_ours.extend(
            (tab.key, raw.title)
            for raw in found
            if not raw.owned and not is_our_layout(tab.key, raw)
        )
    order = {raw.title: i for i, raw in enumerate(snapshot.tabs)}
    not_ours.sort(key=lambda item: order.get(item[1], 0))
    return Ownership(decisions, tuple(not_ours))
