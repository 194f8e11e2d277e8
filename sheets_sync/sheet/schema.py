"""The workbook declared once: tabs, columns, ja/en labels, types, choices and help text.

Reading, validation, template creation, dropdowns and the docs' workbook reference are all
driven from these declarations, so a header or a choice list is never written twice.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

from ..words.lang import LANGS as LANGS
from ..words.lang import Lang as Lang

TEMPLATE_VERSION = 2  # 2: Cycles gains 一歩の実施 / Step done (`upgrade` adds it)


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
class Choice:
    """One allowed value of a choice column and every spelling staff may type for it."""

    key: str
    ja: str
    en: str
    spellings: tuple[str, ...] = ()
    polarity: int = 0  # signals only: +1 positive, -1 negative, 0 neither

    def label(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en


@dataclass(frozen=True)
class Column:
    """One input column: its key (used in code, checks and the JSON report) and its labels."""

    key: str
    ja: str
    en: str
    type: ColumnType
    required: bool = False
    choices: str | None = None  # name in CHOICES
    help_ja: str = ""
    help_en: str = ""
    width: int = 14  # in characters; Japanese text needs roughly twice the Latin width
    aliases: tuple[str, ...] = ()

    def header(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en

    def help(self, lang: Lang) -> str:
        return self.help_ja if lang == "ja" else self.help_en


@dataclass(frozen=True)
class Tab:
    """One tab of the workbook: input tabs are staff's, generated tabs are the sync's."""

    key: str
    ja: str
    en: str
    generated: bool = False
    columns: tuple[Column, ...] = ()
    aliases: tuple[str, ...] = ()

    def title(self, lang: Lang) -> str:
        return self.ja if lang == "ja" else self.en

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

T = ColumnType

KPIS = Tab(
    "kpis",
    "KPI",
    "KPIs",
    columns=(
        Column(
            "id",
            "ID",
            "ID",
            T.TEXT,
            required=True,
            width=8,
            help_ja="KPIごとに重ならない記号(例: K1)",
            help_en="A short unique id, e.g. K1",
        ),
        Column(
            "name",
            "KPI名",
            "KPI",
            T.TEXT,
            required=True,
            width=28,
            help_ja="何を測るか(例: 迷いのサイン)",
            help_en="What you measure",
        ),
        Column(
            "layer",
            "層",
            "Layer",
            T.CHOICE,
            required=True,
            choices="layer",
            width=10,
            help_ja="行動(やったか)/中間(変わったか)/結果(成果)",
            help_en="action (did we do it) / intermediate (did customers change) / result",
        ),
        Column(
            "direction",
            "良い方向",
            "Better when",
            T.CHOICE,
            required=True,
            choices="direction",
            width=10,
            help_ja="上がると良い/下がると良い",
            help_en="up (higher is better) / down (lower is better)",
        ),
        Column(
            "unit",
            "単位",
            "Unit",
            T.TEXT,
            width=8,
            help_ja="回、%、件、分、円 など",
            help_en="times, %, count, min, yen …",
        ),
        Column(
            "target",
            "目標",
            "Target",
            T.NUMBER,
            width=8,
            help_ja="目標の数値(なくても可)",
            help_en="Target number (optional)",
        ),
        Column(
            "auto",
            "自動集計",
            "Auto",
            T.CHOICE,
            choices="auto",
            width=18,
            help_ja="入力せず自動で数える場合に選ぶ(例: サイクル完了数、証拠:迷い)",
            help_en="Pick one to have the value counted for you",
        ),
        Column(
            "how",
            "測り方",
            "How measured",
            T.TEXT,
            width=36,
            help_ja="どうやって数えるか(誰が・いつ・どこで)",
            help_en="How, when and by whom",
        ),
        Column(
            "active",
            "使う",
            "Active",
            T.YES_NO,
            width=8,
            help_ja="使わないKPIは「いいえ」(空欄=使う)",
            help_en="no = keep but do not report",
        ),
    ),
    aliases=("KPIs", "KPI一覧"),
)

CYCLES = Tab(
    "cycles",
    "サイクル",
    "Cycles",
    columns=(
        Column(
            "cycle",
            "No.",
            "Cycle",
            T.INTEGER,
            required=True,
            width=6,
            help_ja="サイクル番号(1, 2, 3 …)",
            help_en="Cycle number (1, 2, 3 …)",
            aliases=("サイクル", "サイクルNo", "No"),
        ),
        Column(
            "start",
            "開始日",
            "Start",
            T.DATE,
            required=True,
            width=12,
            help_ja="開始日(例: 2026/11/2)",
            help_en="Start date, e.g. 2026-11-02",
        ),
        Column(
            "end",
            "終了日",
            "End",
            T.DATE,
            width=12,
            help_ja="終了日(空欄=開始日+13日)",
            help_en="End date (blank = start + 13 days)",
        ),
        Column(
            "hypothesis",
            "仮説(1つ)",
            "Hypothesis (one)",
            T.TEXT,
            width=36,
            help_ja="仮説を1つだけ",
            help_en="One hypothesis only",
        ),
        Column(
            "change",
            "改善(1つ)",
            "Change (one)",
            T.TEXT,
            width=32,
            help_ja="入れる改善を1つだけ",
            help_en="One change only",
        ),
        Column(
            "learning",
            "学び(1行)",
            "Learning (one line)",
            T.TEXT,
            width=40,
            help_ja="学びを1行で",
            help_en="The learning in one line",
        ),
        Column(
            "next_step",
            "次の一歩",
            "Next step",
            T.TEXT,
            width=30,
            help_ja="次に試すことを1つ",
            help_en="One next step",
        ),
        Column(
            "status",
            "状態",
            "Status",
            T.CHOICE,
            choices="status",
            width=10,
            help_ja="計画/実行中/完了(空欄=日付から判断)",
            help_en="planned / running / done (blank = from the dates)",
        ),
        Column(
            "owner",
            "担当",
            "Owner",
            T.TEXT,
            width=10,
            help_ja="次の一歩の担当者",
            help_en="Who owns the next step",
        ),
        Column(
            "step_done",
            "一歩の実施",
            "Step done",
            T.CHOICE,
            choices="step_done",
            width=10,
            help_ja="前回決めた一歩をこのサイクルでできたか: はい/一部/いいえ(空欄=未記入)",
            help_en="Was the step chosen last time carried out? yes / partial / no "
            "(blank = not recorded)",
        ),
    ),
)

VALUES = Tab(
    "values",
    "KPI記録",
    "KPI values",
    columns=(
        Column(
            "cycle",
            "サイクル",
            "Cycle",
            T.CYCLE_REF,
            required=True,
            width=8,
            help_ja="サイクル番号",
            help_en="Cycle number",
        ),
        Column(
            "kpi",
            "KPI",
            "KPI",
            T.KPI_REF,
            required=True,
            width=12,
            help_ja="KPIのID(例: K1)",
            help_en="KPI id, e.g. K1",
        ),
        Column(
            "value",
            "値",
            "Value",
            T.NUMBER,
            required=True,
            width=10,
            help_ja="数値(例: 12、12%、1,200円)",
            help_en="A number, e.g. 12, 12%, 1,200",
        ),
        Column(
            "note",
            "メモ",
            "Note",
            T.TEXT,
            width=36,
            help_ja="気づいたこと",
            help_en="Anything worth noting",
        ),
    ),
)

EVIDENCE = Tab(
    "evidence",
    "証拠",
    "Evidence",
    columns=(
        Column(
            "date",
            "日付",
            "Date",
            T.DATE,
            required=True,
            width=12,
            help_ja="日付(例: 2026/11/23)",
            help_en="Date, e.g. 2026-11-23",
        ),
        Column(
            "cycle",
            "サイクル",
            "Cycle",
            T.CYCLE_REF,
            width=8,
            help_ja="空欄なら日付から自動",
            help_en="Blank = from the date",
        ),
        Column(
            "kind",
            "種類",
            "Kind",
            T.CHOICE,
            choices="kind",
            width=10,
            help_ja="会話(言ったこと)/行動(したこと)",
            help_en="conversation (what they said) / behavior (what they did)",
        ),
        Column(
            "signal",
            "サイン",
            "Signal",
            T.CHOICE,
            required=True,
            choices="signal",
            width=12,
            help_ja="迷い/不安/納得/安心/説明が短く/その他",
            help_en="hesitation / anxiety / conviction / relief / shorter / other",
        ),
        Column(
            "quote",
            "一言",
            "Quote",
            T.TEXT,
            required=True,
            width=36,
            help_ja="変化があった一言(例: それなら安心です)",
            help_en='The phrase that changed, e.g. "that puts my mind at rest"',
        ),
        Column(
            "scene",
            "場面",
            "Scene",
            T.TEXT,
            width=36,
            help_ja="どの場面で出たか(例: 説明の後、比較の話が消えた)",
            help_en="Where it happened",
        ),
        Column(
            "next_try",
            "次に試すこと",
            "Next try",
            T.TEXT,
            width=30,
            help_ja="次に何を試すかを1つ",
            help_en="One thing to try next",
        ),
        Column(
            "by", "記録者", "By", T.TEXT, width=10, help_ja="記録した人", help_en="Who recorded it"
        ),
    ),
)

SUMMARY = Tab("summary", "サマリー", "Summary", generated=True)
CHECKS = Tab("checks", "チェック", "Checks", generated=True)
LOG = Tab("log", "ログ", "Log", generated=True)

INPUT_TABS: tuple[Tab, ...] = (KPIS, CYCLES, VALUES, EVIDENCE)
GENERATED_TABS: tuple[Tab, ...] = (SUMMARY, CHECKS, LOG)
ALL_TABS: tuple[Tab, ...] = INPUT_TABS + GENERATED_TABS
TABS_BY_KEY: dict[str, Tab] = {tab.key: tab for tab in ALL_TABS}

# Headers of the generated Checks and Log tabs (key, ja, en, width).
CHECKS_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("severity", "重要度", "Severity", 10),
    ("tab", "タブ", "Tab", 12),
    ("row", "行", "Row", 12),  # 「(タブ全体)」 / "(whole tab)" on one line
    ("column", "列", "Column", 21),  # "Learning (one line)" on one line
    ("value", "入力値", "Value as typed", 18),
    ("message", "内容と直し方", "What is wrong and how to fix it", 70),
    ("link", "セルへ", "Go to cell", 12),
    # The check's stable code: what a person quotes when asking the consultant about it.
    ("code", "問い合わせ用の記号", "Code", 26),  # evidence_outside_cycles, one line
)
LOG_COLUMNS: tuple[tuple[str, str, str, int], ...] = (
    ("when", "日時", "When", 28),  # 2026-12-02T15:04:14+09:00 on one line
    ("what", "内容", "What", 14),  # 入力のお願い on one line
    ("result", "結果", "Result", 10),
    ("cycle", "サイクル", "Cycle", 8),
    ("details", "詳細", "Details", 60),
    # The client the row was for (the config's `client`): a copied workbook's rows are another
    # shop's and never count as this one's sends. 店名 is the staff word for the shop's name.
    ("client", "店名", "Client", 18),
)

_BRACKETED = re.compile(r"\([^)]*\)")
_SPACES = re.compile(r"\s+")


def normalize_label(text: str) -> str:
    """Fold a title, header or choice as staff may type it: NFKC, case, spaces, (brackets)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _BRACKETED.sub("", folded)
    return _SPACES.sub("", folded)


def _lookup(entries: list[tuple[str, str]]) -> dict[str, str]:
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
    return _lookup(entries)


def tab_lookup() -> dict[str, str]:
    """Every accepted tab title (both languages, normalised) → tab key."""
    entries: list[tuple[str, str]] = []
    for tab in ALL_TABS:
        entries.extend(((tab.ja, tab.key), (tab.en, tab.key)))
        entries.extend((alias, tab.key) for alias in tab.aliases)
    return _lookup(entries)


def header_lookup(tab: Tab) -> dict[str, str]:
    """Every accepted header of a tab (both languages, normalised) → column key."""
    entries: list[tuple[str, str]] = []
    for column in tab.columns:
        entries.extend(((column.ja, column.key), (column.en, column.key), (column.key, column.key)))
        entries.extend((alias, column.key) for alias in column.aliases)
    return _lookup(entries)


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
