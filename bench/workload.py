"""A realistic client workbook of any size: four 2-week cycles of a café's field evidence.

The KPI, cycle and value tabs follow `tests.support.workbooks.baseline()` (same headers, same
kinds of KPI: an action KPI counted automatically, an evidence KPI, typed result/intermediate
KPIs), stretched to four cycles. The evidence tab is generated with a fixed seed: Japanese quotes
and scenes, dates inside the four cycles, signals mixed (hesitation fading, conviction growing, as a
working hypothesis would show), the cycle column mostly blank (derived from the date), a few
blank rows, and a small share of the mistakes staff really make (a missing signal, an unknown
one, a date without a year) so the Checks tab has something to say.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from tests.support.workbooks import CYCLE_HEADER, EVIDENCE_HEADER, KPI_HEADER, VALUE_HEADER

Tabs = dict[str, list[list[Any]]]

AS_OF = date(2026, 11, 30)  # inside cycle 4; cycle 3 is the one the next meeting reviews
CYCLE_STARTS = (date(2026, 10, 12), date(2026, 10, 26), date(2026, 11, 9), date(2026, 11, 23))
LOG_HISTORY = 30  # earlier runs already in the Log: the steady state of a daily cron job

SUMMARY_TITLE = "サマリー"
CHECKS_TITLE = "チェック"
LOG_TITLE = "ログ"
LOG_HEADER = ["日時", "内容", "結果", "サイクル", "詳細"]
CHECKS_HEADER = ["重要度", "タブ", "行", "列", "入力値", "内容", "セル"]

_QUOTES: dict[str, tuple[str, ...]] = {
    "迷い": (
        "結局どれがいいんですか?",
        "ちょっと考えます",
        "違いがよく分からない",
        "どれも同じに見える",
        "また今度にします",
        "何が違うんですか?",
        "おすすめはどれ?",
    ),
    "不安": (
        "苦くないですか?",
        "量が多すぎないかな",
        "合わなかったらどうしよう",
        "高いのかな",
        "家で同じ味になりますか?",
        "カフェインは大丈夫?",
    ),
    "納得": (
        "それなら安心です",
        "なるほど、だからこの値段なんですね",
        "説明で違いが分かった",
        "それにします",
        "家族にも勧めたい",
        "この香りなら毎朝飲みたい",
    ),
    "安心": (
        "試飲できるならうれしい",
        "合わなければ交換できるなら買います",
        "すぐ決めた",
        "前と同じのをください",
        "店員さんに聞けば大丈夫",
    ),
    "説明が短く": (
        "カードを見て自分で選んだ",
        "説明の前に指さした",
        "一言で決まった",
        "目安表を見てすぐレジへ",
    ),
    "その他": (
        "駐車場はありますか?",
        "ポイントカードは?",
        "今日は混んでますね",
        "ギフト用に包めますか?",
    ),
}
_TAILS = ("", "", "", "…", "ね", "(笑顔で)", "(2回目の来店)", "(小声で)")
_SCENES = (
    "棚の前",
    "レジ前",
    "試飲の後",
    "説明の後、比較の話が消えた",
    "目安カードを見て",
    "電話で",
    "テイクアウトの列",
    "ギフト相談",
    "2回目の来店",
    "SNSを見て来店",
    "",
)
_NEXT_TRIES = (
    "目安カードを入口にも置く",
    "苦さを数字で見せる",
    "試飲を先に勧める",
    "説明の順番を変える",
    "ギフト用の見本を出す",
)
_STAFF = ("佐藤", "田中", "鈴木", "高橋", "伊藤")
_SIGNALS = ("迷い", "不安", "納得", "安心", "説明が短く", "その他")
# Signal weights per cycle: the hypothesis works, hesitation fades and conviction grows.
_WEIGHTS = (
    (30, 20, 15, 10, 5, 20),
    (25, 18, 20, 12, 8, 17),
    (18, 15, 25, 15, 12, 15),
    (12, 12, 30, 18, 15, 13),
)


def _cycle_end(start: date) -> date:
    return start + timedelta(days=13)


def input_tabs(evidence_rows: int, seed: int = 20261130) -> Tabs:
    """The four input tabs, the evidence tab holding `evidence_rows` data rows."""
    rng = random.Random(seed)
    cycles: list[list[Any]] = [list(CYCLE_HEADER)]
    plans = (
        ("目安を先に出す", "目安カードを置く", "目安で比較の質問が減った", "説明の順番を変える"),
        ("味から話す", "説明の順番を変える", "味の話から入ると迷いが減った", "試飲を先に勧める"),
        ("試してから選ぶ", "試飲を先に勧める", "試飲した人はすぐ決める", "苦さを数字で見せる"),
        ("苦さを数字で見せる", "苦さの目盛りを棚に貼る", "", ""),
    )
    for number, (start, plan) in enumerate(zip(CYCLE_STARTS, plans, strict=True), start=1):
        status = "実行中" if number == len(CYCLE_STARTS) else "完了"
        owner = _STAFF[number % len(_STAFF)]
        cycles.append([number, start, _cycle_end(start), *plan, status, owner])
    kpis: list[list[Any]] = [
        list(KPI_HEADER),
        ["K1", "サイクルを回した回数", "行動", "", "回", None, "サイクル完了数", "", ""],
        ["K2", "迷いのサイン", "中間", "下がる", "件", 5, "証拠:迷い", "", ""],
        ["K3", "購入率", "結果", "上がる", "%", 30, "", "レジで数える", "はい"],
        ["K4", "説明にかかる時間", "中間", "下がる", "分", 3, "", "ストップウォッチ", "はい"],
    ]
    values: list[list[Any]] = [list(VALUE_HEADER)]
    for number, (rate, minutes) in enumerate(
        (("22%", "6分"), ("25%", "5分"), ("27%", "4.5分"), ("28%", "")), start=1
    ):
        values.append([number, "K3", rate, "手入力" if number == 2 else ""])
        if minutes:
            values.append([number, "K4", minutes, ""])
    return {
        "KPI": kpis,
        "サイクル": cycles,
        "KPI記録": values,
        "証拠": [list(EVIDENCE_HEADER), *_evidence(rng, evidence_rows)],
    }


def _evidence(rng: random.Random, count: int) -> list[list[Any]]:
    rows: list[list[Any]] = []
    last_day = AS_OF
    for _ in range(count):
        if rng.random() < 0.01:  # a row somebody cleared
            rows.append([None] * len(EVIDENCE_HEADER))
            continue
        cycle_index = rng.randrange(len(CYCLE_STARTS))
        start = CYCLE_STARTS[cycle_index]
        end = min(_cycle_end(start), last_day)
        day: Any = start + timedelta(days=rng.randrange((end - start).days + 1))
        signal = rng.choices(_SIGNALS, weights=_WEIGHTS[cycle_index])[0]
        quote = rng.choice(_QUOTES[signal]) + rng.choice(_TAILS)
        kind = "会話" if rng.random() < 0.7 else "行動"
        typed_cycle: Any = cycle_index + 1 if rng.random() < 0.15 else None
        next_try = rng.choice(_NEXT_TRIES) if rng.random() < 0.25 else ""
        mistake = rng.random()
        if mistake < 0.002:
            signal = ""  # required
        elif mistake < 0.004:
            signal = "びっくり"  # unknown_choice
        elif mistake < 0.005:
            day = f"{day.month}/{day.day}"  # ambiguous_date: no year
        elif mistake < 0.03:
            day = f"{day.year}/{day.month}/{day.day}"  # typed as text
        rows.append(
            [
                day,
                typed_cycle,
                kind,
                signal,
                quote,
                rng.choice(_SCENES),
                next_try,
                rng.choice(_STAFF),
            ]
        )
    return rows


def generated_tabs() -> Tabs:
    """Summary, Checks and Log as a daily cron job leaves them: the Log holds earlier runs."""
    log: list[list[Any]] = [list(LOG_HEADER)]
    for days_ago in range(LOG_HISTORY, 0, -1):
        day = AS_OF - timedelta(days=days_ago)
        log.append([f"{day.isoformat()}T07:00:00+09:00", "sync", "ok", 2, "エラー0件・注意1件"])
    return {
        SUMMARY_TITLE: [["(前回の同期の結果)"]],
        CHECKS_TITLE: [list(CHECKS_HEADER)],
        LOG_TITLE: log,
    }


def workbook(evidence_rows: int) -> Tabs:
    """Every tab, inputs first (Python `date` values; see `for_google`)."""
    return {**input_tabs(evidence_rows), **generated_tabs()}


def for_google(tabs: Tabs) -> Tabs:
    """The same cells as Google's values API takes them: dates typed as ISO text, which
    USER_ENTERED input turns into real date cells, exactly as a person typing them would."""
    return {
        title: [[_jsonable(value) for value in row] for row in rows] for title, rows in tabs.items()
    }


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    return value
