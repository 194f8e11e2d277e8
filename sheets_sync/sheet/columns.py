"""What a tab is declared with: a column's type, the choices a column offers (with every spelling
staff may type), a column, a tab; and how a label staff typed is folded and looked up."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from ..words.lang import Lang


class ColumnType(Enum):
    """How a column's cells are parsed and validated."""

    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"
    DATE = "date"
    CHOICE = "choice"
    YES_NO = "yes/no"
    KPI_REF = "kpi"
    CYCLE_REF = "cycle"


@dataclass(frozen=True)
class Named:
    """A declared thing's key (used in code, checks and the JSON report) and its two labels."""

    key: str
    ja: str
    en: str

    def label(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass(frozen=True)
class Choice(Named):
    """One allowed value of a choice column and every spelling staff may type for it."""

    spellings: tuple[str, ...] = ()
    polarity: int = 0  # signals only: +1 positive, -1 negative, 0 neither


@dataclass(frozen=True)
class Column(Named):
    """One input column: its labels are its header in each language."""

    type: ColumnType
    required: bool = False
    choices: str | None = None  # name in CHOICES
    help_ja: str = ""
    help_en: str = ""
    width: int = 14  # in characters; Japanese text needs roughly twice the Latin width
    aliases: tuple[str, ...] = ()

    def header(self, lang: Lang) -> str:
        return self.label(lang)

    def help(self, lang: Lang) -> str:
        return self.help_ja if lang == "ja" else self.help_en


@dataclass(frozen=True)
class Tab(Named):
    """One tab of the workbook: input tabs are staff's, generated tabs are the sync's; its
    labels are its title in each language."""

    generated: bool = False
    columns: tuple[Column, ...] = ()
    aliases: tuple[str, ...] = ()

    def title(self, lang: Lang) -> str:
        return self.label(lang)

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)


def _choices(*items: Choice) -> tuple[Choice, ...]:
    return items


CHOICES: dict[str, tuple[Choice, ...]] = {
    "layer": _choices(
        Choice("action", "行動", "action", ("行動", "行動KPI", "action", "lead")),
        Choice(
            "intermediate", "中間", "intermediate", ("中間", "中間KPI", "intermediate", "middle")
        ),
        Choice("result", "結果", "result", ("結果", "結果KPI", "result", "outcome", "lag")),
    ),
    "direction": _choices(
        Choice("up", "上がる", "up", ("上がる", "増える", "上", "↑", "up", "higher")),
        Choice("down", "下がる", "down", ("下がる", "減る", "下", "↓", "down", "lower")),
    ),
    "status": _choices(
        Choice("planned", "計画", "planned", ("計画", "計画中", "planned")),
        Choice("running", "実行中", "running", ("実行中", "進行中", "running", "in progress")),
        Choice("done", "完了", "done", ("完了", "済", "done", "finished")),
    ),
    "step_done": _choices(
        # The drop-down shows できた / 一部 / まだ, the agenda's words (はい / いいえ still read).
        Choice("yes", "できた", "yes", ("できた", "はい", "済", "○", "◯", "✓", "✔", "done")),
        Choice("partial", "一部", "partial", ("一部", "途中", "△", "partly", "partially")),
        Choice("no", "まだ", "no", ("まだ", "いいえ", "できなかった", "×", "✗", "not yet")),
    ),
    "kind": _choices(
        Choice("conversation", "会話", "conversation", ("会話", "conversation")),
        Choice("behavior", "行動", "behavior", ("行動", "behavior", "behaviour")),
    ),
    "signal": _choices(
        Choice("hesitation", "迷い", "hesitation", ("迷い", "hesitation"), polarity=-1),
        Choice("anxiety", "不安", "anxiety", ("不安", "anxiety"), polarity=-1),
        Choice("conviction", "納得", "conviction", ("納得", "conviction"), polarity=+1),
        Choice("relief", "安心", "relief", ("安心", "relief"), polarity=+1),
        Choice(
            "shorter", "説明が短く", "shorter", ("説明が短く", "説明短縮", "shorter"), polarity=+1
        ),
        Choice("other", "その他", "other", ("その他", "other"), polarity=0),
    ),
    "auto": _choices(
        Choice("cycles_done", "サイクル完了数", "cycles_done", ("サイクル完了数", "cycles_done")),
        Choice("evidence:hesitation", "証拠:迷い", "evidence:hesitation", ("証拠:迷い",)),
        Choice("evidence:anxiety", "証拠:不安", "evidence:anxiety", ("証拠:不安",)),
        Choice("evidence:conviction", "証拠:納得", "evidence:conviction", ("証拠:納得",)),
        Choice("evidence:relief", "証拠:安心", "evidence:relief", ("証拠:安心",)),
        Choice("evidence:shorter", "証拠:説明が短く", "evidence:shorter", ("証拠:説明が短く",)),
        Choice("evidence:other", "証拠:その他", "evidence:other", ("証拠:その他",)),
        Choice("evidence:positive", "証拠:プラス", "evidence:positive", ("証拠:プラス",)),
        Choice("evidence:negative", "証拠:マイナス", "evidence:negative", ("証拠:マイナス",)),
    ),
}

YES_SPELLINGS = ("true", "yes", "y", "1", "はい", "○", "◯", "✓", "✔", "on")
NO_SPELLINGS = ("false", "no", "n", "0", "いいえ", "×", "✗", "off")

SIGNALS: tuple[str, ...] = tuple(choice.key for choice in CHOICES["signal"])
SIGNAL_POLARITY: dict[str, int] = {choice.key: choice.polarity for choice in CHOICES["signal"]}
LAYERS: tuple[str, ...] = tuple(choice.key for choice in CHOICES["layer"])

_BRACKETED = re.compile(r"\([^)]*\)")
_SPACES = re.compile(r"\s+")


def normalize_label(text: str) -> str:
    """Fold a title, header or choice as staff may type it: NFKC, case, spaces, (brackets)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _BRACKETED.sub("", folded)
    return _SPACES.sub("", folded)


def label_table(entries: list[tuple[str, str]]) -> dict[str, str]:
    """Each spelling (folded by `normalize_label`) → its key; the first spelling wins."""
    table: dict[str, str] = {}
    for spelling, key in entries:
        table.setdefault(normalize_label(spelling), key)
    return table


def choice_lookup(name: str) -> dict[str, str]:
    """Every accepted spelling of a choice set (normalised) → its key."""
    entries: list[tuple[str, str]] = []
    for choice in CHOICES[name]:
        entries.append((choice.key, choice.key))
        entries.extend((spelling, choice.key) for spelling in choice.spellings)
        entries.extend(((choice.ja, choice.key), (choice.en, choice.key)))
    return label_table(entries)


def header_lookup(tab: Tab) -> dict[str, str]:
    """Every accepted header of a tab (both languages, normalised) → column key."""
    entries: list[tuple[str, str]] = []
    for column in tab.columns:
        entries.extend(((column.ja, column.key), (column.en, column.key), (column.key, column.key)))
        entries.extend((alias, column.key) for alias in column.aliases)
    return label_table(entries)


def choice_label(name: str, key: str, lang: Lang) -> str:
    """The word staff see for a choice key, in their language."""
    for choice in CHOICES[name]:
        if choice.key == key:
            return choice.label(lang)
    return key


def dropdown_labels(column: Column, lang: Lang) -> tuple[str, ...]:
    """The labels a dropdown offers for a choice or yes/no column in the given language."""
    if column.type is ColumnType.YES_NO:
        return ("はい", "いいえ") if lang == "ja" else ("yes", "no")
    if column.choices is None:
        return ()
    return tuple(choice.label(lang) for choice in CHOICES[column.choices])
