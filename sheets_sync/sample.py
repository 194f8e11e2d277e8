"""The sample client's data: the method's "minimum set", telling one believable story.

さくら珈琲 / Sakura Coffee is a small specialty coffee shop whose customers hesitate when
choosing beans. The team runs four two-week cycles on one thread of hypotheses, starting from
「迷いは"選び方がわからない"が原因。目安を最初に出す」:

1. a guide card (acidity ↔ bitterness) on the shelf,
2. the sales talk reordered: taste guide first, origin second,
3. a three-cup tasting flight "for first-timers",
4. (running) a "how to choose" section at the top of the web page.

KPIs are the minimum set of the method (行動KPI: cycles run · 中間KPI: signs of hesitation ·
結果KPI: purchase rate) plus the time spent explaining, and one inactive KPI kept for later.
Field evidence is recorded the way the method asks (変化があった一言 / どの場面 / 次に何を試すか):
hesitation falls and conviction and relief rise over the cycles.

Dates are laid out relative to ``today``: cycles are consecutive 14-day cycles, cycles 1-3
are done and cycle 4 is running and contains ``today`` (by default it started three days ago,
so cycle 3 — the one the next meeting reviews — ended four days ago). Every row is valid: the
sample syncs without errors or warnings. Both languages tell the same story with the same
numbers; each uses its own language's labels for the choices.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Final

from .schema import Lang, choice_label

__all__ = ["CYCLE_DAYS", "MINIMUM_SET", "SAMPLE_CLIENT", "minimum_set_rows", "sample_rows"]

SAMPLE_CLIENT: Final[dict[str, str]] = {"ja": "さくら珈琲", "en": "Sakura Coffee"}

CYCLE_DAYS: Final = 14
_CURRENT_CYCLE: Final = 4

Text = tuple[str, str]  # (ja, en)


def _t(text: Text | None, lang: Lang) -> str | None:
    if text is None:
        return None
    return text[0] if lang == "ja" else text[1]


@dataclass(frozen=True)
class _Kpi:
    id: str
    name: Text
    layer: str
    direction: str
    unit: Text
    target: int | None
    auto: str | None
    how: Text
    active: bool = True


@dataclass(frozen=True)
class _Cycle:
    hypothesis: Text
    change: Text
    learning: Text | None
    next_step: Text | None
    owner: Text


@dataclass(frozen=True)
class _Value:
    cycle: int
    kpi: str
    value: float | str  # a string is typed the way staff do, e.g. "27%"
    note: Text | None = None


@dataclass(frozen=True)
class _Evidence:
    cycle: int  # the cycle whose dates contain the row's date
    day: int  # days after the cycle's start (clamped to today in the running cycle)
    kind: str
    signal: str
    quote: Text
    scene: Text | None
    by: Text
    next_try: Text | None = None
    typed_cycle: bool = False  # most rows leave the cycle blank: it follows from the date


_SATO: Final = ("佐藤", "Sato")
_TANAKA: Final = ("田中", "Tanaka")
_YAMAMOTO: Final = ("山本", "Yamamoto")

_KPIS: Final = (
    _Kpi(
        "K1",
        ("2週間サイクルを回した回数", "Two-week cycles completed"),
        "action",
        "up",
        ("回", "cycles"),
        None,
        "cycles_done",
        (
            "状態が「完了」のサイクルを自動で数える",
            "Counted for you from the cycles marked done",
        ),
    ),
    _Kpi(
        "K2",
        ("迷いのサイン(「結局どれがいい?」)", 'Signs of hesitation ("So which one is best?")'),
        "intermediate",
        "down",
        ("件", "remarks"),
        5,
        "evidence:hesitation",
        (
            "証拠タブの「迷い」を自動で数える。聞こえたらその日のうちに記録",
            "Counted for you from the Evidence tab; note each one the same day",
        ),
    ),
    _Kpi(
        "K3",
        ("説明にかかった時間(平均)", "Time spent explaining (average)"),
        "intermediate",
        "down",
        ("分", "min"),
        4,
        None,
        (
            "声をかけてから豆が決まるまで。各サイクルの最後の週末に10組を計って平均",
            "From first hello until the beans are chosen; 10 customers on the cycle's "
            "last weekend, averaged",
        ),
    ),
    _Kpi(
        "K4",
        ("購入率", "Purchase rate"),
        "result",
        "up",
        ("%", "%"),
        30,
        None,
        (
            "棚の豆を見たお客さまのうち買った人の割合。来店メモとレジから",
            "Share of customers who looked at the beans and bought some; from the door "
            "tally and the till",
        ),
    ),
    _Kpi(
        "K5",
        ("客単価", "Average spend"),
        "result",
        "up",
        ("円", "yen"),
        None,
        None,
        (
            "レジの集計から。今は購入率に集中するため使わない",
            "From the till; parked for now so we can focus on the purchase rate",
        ),
        active=False,
    ),
)

_CYCLES: Final = (
    _Cycle(
        (
            "迷いは“選び方がわからない”が原因。目安を最初に出す",
            "Customers hesitate because they don't know how to choose: show a simple guide first",
        ),
        ("棚に「酸味↔苦味」の目安カードを置く", "An acidity-to-bitterness guide card on the shelf"),
        (
            "目安を先に出すと比較の質問が減ったが、カードを見ずに聞く人も多い",
            "With the guide up front, fewer comparison questions, but many people ask "
            "before looking at the card",
        ),
        (
            "説明トークを「味の目安→産地」の順に変える",
            "Reorder the talk: taste guide first, origin second",
        ),
        _SATO,
    ),
    _Cycle(
        (
            "味の目安から話せば、産地の話をしなくても選べる",
            "If we start from taste, customers can choose without the origin story",
        ),
        (
            "説明トークの順番を変える(味の目安→産地)",
            "Reorder the sales talk (taste guide, then origin)",
        ),
        (
            "味から話すと説明が短くなり、産地は聞かれたときだけで足りた",
            "Starting from taste made the talk shorter; origin only when someone asks",
        ),
        (
            "はじめての方向けに3種の飲み比べを出す",
            "Offer first-timers a tasting flight of three",
        ),
        _TANAKA,
    ),
    _Cycle(
        (
            "実際に味を比べられれば、迷わずに決められる",
            "If people can taste the difference, they can decide without hesitating",
        ),
        (
            "「はじめての方へ」3種の飲み比べを用意する",
            'A "first time here?" tasting flight of three',
        ),
        (
            "飲み比べの後は「じゃあこれにします」が増え、迷いの言葉がほぼ消えた",
            'After the flight, "I\'ll take this one" became common and hesitation almost '
            "disappeared",
        ),
        (
            "Webの冒頭に選び方を載せ、来店前に目安を伝える",
            "Put how to choose at the top of the web page, so people know before they come",
        ),
        _YAMAMOTO,
    ),
    _Cycle(
        (
            "来店前に選び方がわかれば、店頭で迷う人がさらに減る",
            "If people learn how to choose before they visit, even fewer hesitate in the shop",
        ),
        ("Webの冒頭に「選び方」を載せる", 'A "how to choose" section at the top of the web page'),
        None,
        None,
        _SATO,
    ),
)

_VALUES: Final = (
    _Value(1, "K3", 7.5, ("産地の話から入ると長くなる", "Starting with origin makes it long")),
    _Value(1, "K4", 22, ("豆を見た約180人中40人", "About 40 of 180 who looked at the beans")),
    _Value(
        2, "K3", 6, ("味の目安から話すと早く決まる", "Starting from taste, people decide sooner")
    ),
    _Value(2, "K4", 24.5),
    _Value(
        3,
        "K3",
        4.5,
        ("飲み比べの後は質問がほとんど出ない", "Hardly any questions after the flight"),
    ),
    _Value(3, "K4", "27%", ("飲み比べの後に買う人が多い", "Most buy right after the flight")),
    _Value(4, "K3", 4, ("ページで予習して来る人が増えた", "More come having read the page")),
    _Value(4, "K4", "29%"),
)
_VALUES_TYPED_FROM_DAY: Final = 10
DEMO_DAYS_INTO_CURRENT: Final = 12  # the demo's cycle 4 ends tomorrow: its meeting is upcoming

_EVIDENCE: Final = (
    # Cycle 1 — the guide card on the shelf: hesitation everywhere, a first sign of conviction.
    _Evidence(
        1,
        1,
        "conversation",
        "hesitation",
        ("結局どれがいいんですか?", "So which one should I get, really?"),
        ("レジ前で、棚の豆をひと通り見たあとに", "At the till, after looking at every bag"),
        _SATO,
    ),
    _Evidence(
        1,
        2,
        "behavior",
        "hesitation",
        ("また今度にします", "I'll come back another time"),
        (
            "豆を手に取っては戻し、何も買わずに帰った",
            "Picked up bag after bag, put them back and left without buying",
        ),
        _YAMAMOTO,
    ),
    _Evidence(
        1,
        3,
        "conversation",
        "anxiety",
        ("酸っぱいのは苦手で…", "I'm not really into sour coffee..."),
        ("試飲をすすめたとき", "When we offered a sample"),
        _TANAKA,
        ("目安カードに「酸味ひかえめ」の印をつける", 'Mark the "low acidity" beans on the card'),
    ),
    _Evidence(
        1,
        5,
        "conversation",
        "hesitation",
        (
            "エチオピアとグアテマラって、何が違うんですか?",
            "What's the difference between the Ethiopian and the Guatemalan?",
        ),
        (
            "産地の説明を始めたら、比べる質問が続いた",
            "Once we started on origins, the comparison questions kept coming",
        ),
        _SATO,
    ),
    _Evidence(
        1,
        6,
        "conversation",
        "hesitation",
        ("おすすめってどれですか?", "Which one do you recommend?"),
        (
            "目安カードの前を素通りして、すぐに聞かれた",
            "Walked straight past the guide card and asked us",
        ),
        _YAMAMOTO,
        ("カードを目の高さに移す", "Move the card to eye level"),
    ),
    _Evidence(
        1,
        8,
        "conversation",
        "conviction",
        ("この目安、わかりやすいですね", "This guide makes it easy, doesn't it"),
        ("目安カードを指さしながら", "Pointing at the guide card"),
        _TANAKA,
        ("説明の最初に目安カードを見せる", "Show the guide card at the start of the talk"),
    ),
    _Evidence(
        1,
        10,
        "behavior",
        "hesitation",
        ("全部おいしそうで決められなくて", "They all look good, I just can't decide"),
        ("棚の前で3分以上迷っていた", "Stood at the shelf for more than three minutes"),
        _TANAKA,
    ),
    _Evidence(
        1,
        12,
        "conversation",
        "hesitation",
        (
            "前に買ったのと似てるのって、どれでしたっけ?",
            "Which one was like the one I bought last time?",
        ),
        (
            "常連さんが前回の豆の名前を忘れていた",
            "A regular had forgotten the name of last time's beans",
        ),
        _SATO,
        ("説明は味の目安から話す", "Start the talk from the taste guide"),
    ),
    # Cycle 2 — the talk starts from taste: explanations get shorter, hesitation halves.
    _Evidence(
        2,
        1,
        "conversation",
        "hesitation",
        ("結局どれがいいんですか?", "So which one is best, in the end?"),
        (
            "混んでいて、説明を最後まで聞けなかった",
            "Busy moment, they couldn't hear the whole talk",
        ),
        _TANAKA,
        typed_cycle=True,
    ),
    _Evidence(
        2,
        3,
        "conversation",
        "shorter",
        ("あ、じゃあ苦めのほうで", "Oh, the more bitter one then"),
        (
            "味の目安を先に聞いたら、産地の話の前に決まった",
            "Hearing the taste guide first, they chose before we got to origins",
        ),
        _SATO,
        ("産地の話は聞かれてからにする", "Talk about origins only when asked"),
    ),
    _Evidence(
        2,
        5,
        "conversation",
        "anxiety",
        (
            "家のドリッパーでも同じ味になりますか?",
            "Will it taste the same with my dripper at home?",
        ),
        ("決めたあと、淹れ方が心配そうだった", "After choosing, worried about brewing it right"),
        _YAMAMOTO,
        ("淹れ方のメモを袋に入れる", "Put a brewing note in the bag"),
    ),
    _Evidence(
        2,
        7,
        "behavior",
        "hesitation",
        ("ちょっと考えます", "Let me think about it"),
        (
            "2種類を持ったまま、しばらく棚の前で止まっていた",
            "Stood at the shelf for a while holding two bags",
        ),
        _YAMAMOTO,
    ),
    _Evidence(
        2,
        9,
        "conversation",
        "conviction",
        ("そういう違いなんですね。納得です", "So that's the difference. Makes sense now"),
        ("酸味と苦味の目安を話した直後", "Right after we explained acidity versus bitterness"),
        _TANAKA,
    ),
    _Evidence(
        2,
        12,
        "conversation",
        "hesitation",
        ("どっちも気になるんですよね…", "I'm curious about both, to be honest..."),
        (
            "2種類で迷って、結局少量を両方買った",
            "Torn between two, ended up buying a little of both",
        ),
        _SATO,
        ("少しずつ飲み比べできるようにする", "Let people taste a few side by side"),
    ),
    # Cycle 3 — the tasting flight: conviction and relief, hesitation almost gone.
    _Evidence(
        3,
        1,
        "conversation",
        "conviction",
        ("飲み比べると全然違いますね", "Tasting them side by side, they're so different"),
        ("3種の飲み比べの直後", "Right after the three-cup flight"),
        _YAMAMOTO,
        ("はじめての方には飲み比べを先にすすめる", "Offer first-timers the flight first"),
    ),
    _Evidence(
        3,
        2,
        "conversation",
        "relief",
        ("それなら安心です", "Oh good, that's a relief"),
        (
            "酸っぱいのが苦手な方に、酸味ひかえめの1杯目を出したとき",
            "Someone who dislikes sour coffee got a low-acidity first cup",
        ),
        _TANAKA,
    ),
    _Evidence(
        3,
        4,
        "conversation",
        "shorter",
        ("じゃあこれにします", "I'll take this one, then"),
        ("説明の後、比較の話が消えた", "After the explanation, no more comparing"),
        _SATO,
        ("飲み比べの後すぐに豆を手渡す", "Hand over the beans right after the flight"),
    ),
    _Evidence(
        3,
        6,
        "behavior",
        "conviction",
        ("次はこっちも飲んでみたいです", "Next time I want to try this one too"),
        ("飲み比べの後、2袋目も買っていった", "Bought a second bag after the flight"),
        _YAMAMOTO,
        typed_cycle=True,
    ),
    _Evidence(
        3,
        9,
        "conversation",
        "hesitation",
        (
            "飲み比べの3つ以外だと、どれがおすすめですか?",
            "Apart from the three in the flight, what would you recommend?",
        ),
        ("3種以外の豆が気になった常連さん", "A regular curious about the other beans"),
        _TANAKA,
        (
            "Webの冒頭に選び方を載せて、来る前に目安を知ってもらう",
            "Put how to choose at the top of the web page so people know before they come",
        ),
    ),
    _Evidence(
        3,
        11,
        "conversation",
        "relief",
        ("家でもこの味が出せるなら安心", "If I can get this taste at home, I'm happy"),
        ("淹れ方のメモを渡したとき", "When we handed over the brewing note"),
        _TANAKA,
    ),
    # Cycle 4 (running) — the web page: first customers arrive having already chosen.
    _Evidence(
        4,
        0,
        "conversation",
        "conviction",
        (
            "サイトを見て、酸味ひかえめのにしようと決めてきました",
            "I saw your website and came in already set on the low-acidity one",
        ),
        ("来店してすぐ、棚を見る前に", "Straight away, before even looking at the shelf"),
        _YAMAMOTO,
        ("サイトと同じ選び方を店頭にも貼る", "Put the same how-to-choose guide up in the shop"),
    ),
    _Evidence(
        4,
        1,
        "conversation",
        "hesitation",
        (
            "サイトの選び方って、どこにありましたっけ?",
            "Where was that how-to-choose bit on your site?",
        ),
        ("スマホで探していたが、見つからない様子", "Searching on their phone without finding it"),
        _SATO,
        ("選び方をトップの一番上に出す", "Put how to choose at the very top of the home page"),
    ),
    _Evidence(
        4,
        2,
        "conversation",
        "relief",
        ("はじめてでも大丈夫そうですね", "Looks like even a first-timer can manage"),
        ("Webを見てきた、はじめてのお客さま", "A first-time customer who had read the web page"),
        _TANAKA,
    ),
)


def sample_rows(
    lang: Lang, today: date, *, days_into_current: int = 3
) -> dict[str, list[dict[str, object]]]:
    """Rows for the input tabs keyed by schema tab key ("kpis", "cycles", "values", "evidence");
    each row maps schema column keys to cell values (str, int, float, date, or None).

    Cycle 4 starts ``days_into_current`` days before ``today`` (0-13) and so contains it;
    cycles 1-3 are the consecutive 14-day cycles before it.
    """
    if not 0 <= days_into_current < CYCLE_DAYS:
        raise ValueError(f"days_into_current must be 0-{CYCLE_DAYS - 1}, not {days_into_current}")
    first_start = today - timedelta(days=days_into_current + CYCLE_DAYS * (_CURRENT_CYCLE - 1))

    def start_of(cycle: int) -> date:
        return first_start + timedelta(days=CYCLE_DAYS * (cycle - 1))

    kpis = [_kpi_row(kpi, lang) for kpi in _KPIS]
    cycles: list[dict[str, object]] = []
    for number, cycle in enumerate(_CYCLES, start=1):
        start = start_of(number)
        status = "running" if number == _CURRENT_CYCLE else "done"
        cycles.append(
            {
                "cycle": number,
                "start": start,
                "end": start + timedelta(days=CYCLE_DAYS - 1),
                "hypothesis": _t(cycle.hypothesis, lang),
                "change": _t(cycle.change, lang),
                "learning": _t(cycle.learning, lang),
                "next_step": _t(cycle.next_step, lang),
                "status": choice_label("status", status, lang),
                "owner": _t(cycle.owner, lang),
            }
        )
    values: list[dict[str, object]] = [
        {"cycle": value.cycle, "kpi": value.kpi, "value": value.value, "note": _t(value.note, lang)}
        for value in _VALUES
        # the running cycle's values are typed just before its meeting, not earlier
        if value.cycle != _CURRENT_CYCLE or days_into_current >= _VALUES_TYPED_FROM_DAY
    ]
    evidence: list[dict[str, object]] = []
    for item in _EVIDENCE:
        day = item.day
        if item.cycle == _CURRENT_CYCLE:
            day = min(day, days_into_current)  # nothing is recorded after today
        evidence.append(
            {
                "date": start_of(item.cycle) + timedelta(days=day),
                "cycle": item.cycle if item.typed_cycle else None,
                "kind": choice_label("kind", item.kind, lang),
                "signal": choice_label("signal", item.signal, lang),
                "quote": _t(item.quote, lang),
                "scene": _t(item.scene, lang),
                "next_try": _t(item.next_try, lang),
                "by": _t(item.by, lang),
            }
        )
    return {"kpis": kpis, "cycles": cycles, "values": values, "evidence": evidence}


# The method's 最小セット: one KPI per layer, which a new client starts from (new-client).
MINIMUM_SET: Final[tuple[_Kpi, ...]] = (
    _Kpi("K1", ("サイクル回数", "Cycles run"), "action", "up", ("回", "cycles"), None,
         "cycles_done", ("自動:完了したサイクルの数", "Automatic: the number of cycles done")),
    _Kpi("K2", ("迷いのサイン", "Signs of hesitation"), "intermediate", "down",
         ("件", "remarks"), None, "evidence:hesitation",
         ("自動:「証拠」タブの「迷い」の件数", 'Automatic: "hesitation" rows in the Evidence tab')),
    _Kpi("K3", ("購入率(成約率)", "Purchase (conversion) rate"), "result", "up", ("%", "%"),
         None, None, ("買った人 ÷ 接客した人", "Buyers divided by customers served")),
)  # fmt: skip


def _kpi_row(kpi: _Kpi, lang: Lang) -> dict[str, object]:
    return {
        "id": kpi.id,
        "name": _t(kpi.name, lang),
        "layer": choice_label("layer", kpi.layer, lang),
        "direction": choice_label("direction", kpi.direction, lang),
        "unit": _t(kpi.unit, lang),
        "target": kpi.target,
        "auto": None if kpi.auto is None else choice_label("auto", kpi.auto, lang),
        "how": _t(kpi.how, lang),
        "active": ("はい" if kpi.active else "いいえ")
        if lang == "ja"
        else ("yes" if kpi.active else "no"),
    }


def minimum_set_rows(lang: Lang) -> dict[str, list[dict[str, object]]]:
    """The KPI tab's rows for a new client: the minimum set (行動 サイクル回数, 中間 迷いのサイン,
    結果 購入率/成約率), the first two counted automatically."""
    return {"kpis": [_kpi_row(kpi, lang) for kpi in MINIMUM_SET]}
