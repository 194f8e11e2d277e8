"""The workbook declared once: tabs, columns, ja/en labels, types, choices and help text.

Reading, validation, template creation, dropdowns and the docs' workbook reference are all
driven from these declarations, so a header or a choice list is never written twice. What a
declaration is made of (a column, its type, its choices) is `columns`; its names are here too.
"""

from __future__ import annotations

from typing import Final

from ..words.lang import LANGS as LANGS
from ..words.lang import Lang as Lang
from .columns import CHOICES as CHOICES
from .columns import LAYERS as LAYERS
from .columns import NO_SPELLINGS as NO_SPELLINGS
from .columns import SIGNAL_POLARITY as SIGNAL_POLARITY
from .columns import SIGNALS as SIGNALS
from .columns import YES_SPELLINGS as YES_SPELLINGS
from .columns import Choice as Choice
from .columns import Column as Column
from .columns import ColumnType as ColumnType
from .columns import Tab as Tab
from .columns import choice_label as choice_label
from .columns import choice_lookup as choice_lookup
from .columns import dropdown_labels as dropdown_labels
from .columns import header_lookup as header_lookup
from .columns import label_table
from .columns import normalize_label as normalize_label

# A learning cycle lasts two weeks: what a blank end date means, and the length the method asks.
CYCLE_DAYS: Final = 14
TEMPLATE_VERSION = 2  # 2: Cycles gains 一歩の実施 / Step done (`upgrade` adds it)

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


def tab_lookup() -> dict[str, str]:
    """Every accepted tab title (both languages, normalised) → tab key."""
    entries: list[tuple[str, str]] = []
    for tab in ALL_TABS:
        entries.extend(((tab.ja, tab.key), (tab.en, tab.key)))
        entries.extend((alias, tab.key) for alias in tab.aliases)
    return label_table(entries)
