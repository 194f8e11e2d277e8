"""A realistic client for the agenda tests: さくら珈琲's config (TOML on disk) and computed report.

The story is the sample client's: cycle 3 (a three-cup tasting flight) is under review; hesitation
fell, conviction and relief rose, the purchase rate climbed. Everything is built in code so each
test can change one thing (drop the cycle's values, add a hostile quote …) and see the effect.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any, Literal

from sheets_sync.config import Config, load_config
from sheets_sync.core.report import (
    AgendaState,
    Check,
    Cycle,
    EvidenceItem,
    EvidenceJson,
    KpiJson,
    LatestJson,
    Report,
)
from sheets_sync.sheet.schema import SIGNAL_POLARITY, SIGNALS

Lang = Literal["ja", "en"]
JST = timezone(timedelta(hours=9))
CLIENT = {"ja": "さくら珈琲", "en": "Sakura Coffee"}
NOW = datetime(2026, 11, 14, 9, 0, tzinfo=JST)
SHEET_URL = "https://docs.google.com/spreadsheets/d/1AbCdEf/edit"
MEETING_DAY = "2026-11-15"  # cycle 3's end date


def write_config(
    folder: Path,
    *,
    language: Lang = "ja",
    client: str | None = None,
    transport: str = "outbox",
    smtp: dict[str, Any] | None = None,
    templates_dir: str | None = None,
    images: bool = True,
    minutes: int | None = None,
    cc: tuple[str, ...] = (),
    name: str = "sakura",
) -> Config:
    """Write `<folder>/<name>.toml` the way a consultant would and load it like the CLI does."""
    lines = [
        f'client = "{client or CLIENT[language]}"',
        f'language = "{language}"',
        'timezone = "Asia/Tokyo"',
    ]
    if templates_dir is not None:
        lines.append(f'templates_dir = "{templates_dir}"')
    lines += ["", "[sheet]", 'backend = "xlsx"', 'path = "sakura.xlsx"', "", "[meeting]"]
    if minutes is not None:
        lines.append(f"minutes = {minutes}")
    lines += [
        "send_days_before = 1",
        "",
        "[mail]",
        f'transport = "{transport}"',
        'outbox = "outbox"',
        'from = "さくら珈琲 KPI <kpi@sakura.example.jp>"',
        'to = ["team@sakura.example.jp", "店長 <owner@sakura.example.jp>"]',
        f"cc = [{', '.join(repr(address) for address in cc)}]".replace("'", '"'),
        f"images = {'true' if images else 'false'}",
    ]
    if smtp is not None:
        lines += ["", "[mail.smtp]"]
        for key, value in smtp.items():
            shown = f'"{value}"' if isinstance(value, str) else str(value)
            lines.append(f"{key} = {shown}")
    path = folder / f"{name}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return load_config(path)


def _t(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "ja" else pair[1]


_CYCLES = (
    (1, date(2026, 10, 5),
     ("迷いは“選び方がわからない”が原因。目安を最初に出す",
      "Customers hesitate because they don't know how to choose: show a guide first"),
     ("棚に「酸味↔苦味」の目安カードを置く", "An acidity-to-bitterness guide card on the shelf"),
     ("目安を先に出すと比較の質問が減った", "With the guide up front, fewer comparison questions"),
     ("説明トークを「味の目安→産地」の順に変える", "Reorder the talk: taste first, origin second"),
     ("佐藤", "Sato")),
    (2, date(2026, 10, 19),
     ("味の目安から話せば、産地の話をしなくても選べる",
      "If we start from taste, customers can choose without the origin story"),
     ("説明トークの順番を変える(味の目安→産地)", "Reorder the sales talk (taste, then origin)"),
     ("味から話すと説明が短くなった", "Starting from taste made the talk shorter"),
     ("はじめての方向けに3種の飲み比べを出す", "Offer first-timers a tasting flight of three"),
     ("田中", "Tanaka")),
    (3, date(2026, 11, 2),
     ("実際に味を比べられれば、迷わずに決められる",
      "If people can taste the difference, they can decide without hesitating"),
     ("はじめての方向けに3種の飲み比べを出す", "Offer first-timers a tasting flight of three"),
     ("", ""),
     ("", ""),
     ("山本", "Yamamoto")),
    (4, date(2026, 11, 16),
     ("来店前に選び方がわかれば、店頭で迷う人がさらに減る",
      "If people learn how to choose before they visit, even fewer hesitate in the shop"),
     ("Webの冒頭に「選び方」を載せる", 'A "how to choose" section at the top of the web page'),
     ("", ""), ("", ""), ("佐藤", "Sato")),
)  # fmt: skip

# (id, name, layer, direction, unit, target, auto, {cycle: value})
_KPIS = (
    ("K1", ("2週間サイクルを回した回数", "Two-week cycles completed"), "action", "up",
     ("回", "cycles"), None, "cycles_done", {1: 1, 2: 2, 3: 3}),
    ("K2", ("迷いのサイン(「結局どれがいい?」)", 'Signs of hesitation ("which one is best?")'),
     "intermediate", "down", ("件", "remarks"), 5, "evidence:hesitation", {1: 6, 2: 3, 3: 1}),
    ("K3", ("説明にかかった時間(平均)", "Time spent explaining (average)"), "intermediate",
     "down", ("分", "min"), 4, None, {1: 7.5, 2: 6, 3: 4.5}),
    ("K4", ("購入率", "Purchase rate"), "result", "up", ("%", "%"), 30, None,
     {1: 22, 2: 24.5, 3: 27}),
)  # fmt: skip

# (cycle, day, kind, signal, quote, scene, next_try, by)
_EVIDENCE = (
    (2, 1, "conversation", "hesitation", ("結局どれがいいんですか?", "So which one is best?"),
     ("混んでいて、説明を最後まで聞けなかった", "Busy moment, they couldn't hear the whole talk"),
     None, ("田中", "Tanaka")),
    (2, 3, "conversation", "shorter", ("あ、じゃあ苦めのほうで", "Oh, the more bitter one then"),
     ("味の目安を先に聞いたら、産地の話の前に決まった",
      "Hearing the taste guide first, they chose before we got to origins"),
     None, ("佐藤", "Sato")),
    (2, 5, "conversation", "anxiety",
     ("家のドリッパーでも同じ味になりますか?", "Will it taste the same with my dripper?"),
     ("決めたあと、淹れ方が心配そうだった", "After choosing, worried about brewing it right"),
     ("淹れ方のメモを袋に入れる", "Put a brewing note in the bag"), ("山本", "Yamamoto")),
    (2, 7, "behavior", "hesitation", ("ちょっと考えます", "Let me think about it"),
     ("2種類を持ったまま、しばらく棚の前で止まっていた", "Stood at the shelf holding two bags"),
     None, ("山本", "Yamamoto")),
    (2, 9, "conversation", "conviction",
     ("そういう違いなんですね。納得です", "So that's the difference. Makes sense now"),
     ("酸味と苦味の目安を話した直後", "Right after we explained acidity versus bitterness"),
     None, ("田中", "Tanaka")),
    (2, 12, "conversation", "hesitation",
     ("どっちも気になるんですよね…", "I'm curious about both..."),
     ("2種類で迷って、結局少量を両方買った", "Torn between two, bought a little of both"),
     ("少しずつ飲み比べできるようにする", "Let people taste a few side by side"),
     ("佐藤", "Sato")),
    (3, 1, "conversation", "conviction",
     ("飲み比べると全然違いますね", "Tasting them side by side, they're so different"),
     ("3種の飲み比べの直後", "Right after the three-cup flight"), None, ("山本", "Yamamoto")),
    (3, 2, "conversation", "relief", ("それなら安心です", "Oh good, that's a relief"),
     ("酸っぱいのが苦手な方に、酸味ひかえめの1杯目を出したとき",
      "Someone who dislikes sour coffee got a low-acidity first cup"),
     ("1杯目は必ず酸味ひかえめにする", "Always start the flight with the low-acidity cup"),
     ("田中", "Tanaka")),
    (3, 4, "conversation", "shorter", ("じゃあこれにします", "I'll take this one, then"),
     ("説明の後、比較の話が消えた", "After the explanation, no more comparing"), None,
     ("佐藤", "Sato")),
    (3, 6, "behavior", "conviction",
     ("次はこっちも飲んでみたいです", "Next time I want to try this one too"),
     ("飲み比べの後、2袋目も買っていった", "Bought a second bag after the flight"), None,
     ("山本", "Yamamoto")),
    (3, 9, "conversation", "hesitation",
     ("飲み比べの3つ以外だと、どれがおすすめですか?",
      "Apart from the three, what do you recommend?"),
     ("3種以外の豆が気になった常連さん", "A regular curious about the other beans"),
     ("Webの冒頭に選び方を載せて、来る前に目安を知ってもらう",
      "Put how to choose on the web page so people know before they come"),
     ("田中", "Tanaka")),
    (3, 11, "conversation", "relief",
     ("家でもこの味が出せるなら安心", "If I can get this taste at home, I'm happy"),
     ("淹れ方のメモを渡したとき", "When we handed over the brewing note"), None,
     ("田中", "Tanaka")),
)  # fmt: skip


def latest(kpi: KpiJson, cycle: int) -> LatestJson:
    """`latest` as the spec defines it, written out independently of the code under test."""
    values = {entry["cycle"]: entry["value"] for entry in kpi["values"]}
    value = values.get(cycle)
    earlier = sorted(number for number in values if number < cycle)
    previous_cycle = earlier[-1] if earlier else None
    previous = values[previous_cycle] if previous_cycle is not None else None
    delta = None if value is None or previous is None else round(value - previous, 10)
    if value is None:
        judgement = "no_value"
    elif previous is None:
        judgement = "no_previous"
    elif delta == 0:
        judgement = "flat"
    else:
        assert delta is not None
        better = delta > 0 if kpi["direction"] == "up" else delta < 0
        judgement = "improved" if better else "worsened"
    target = kpi["target"]
    met = None
    if target is not None and value is not None:
        met = value >= target if kpi["direction"] == "up" else value <= target
    return {
        "cycle": cycle,
        "value": value,
        "previous_cycle": previous_cycle,
        "previous": previous,
        "delta": delta,
        "delta_pct": delta / abs(previous) if delta is not None and previous else None,
        "judgement": judgement,  # type: ignore[typeddict-item]
        "target_met": met,
        "streak": 0,
        "doubted": False,
    }


def make_kpi(
    kpi_id: str,
    name: str,
    layer: str,
    direction: str,
    unit: str,
    target: float | None,
    values: Mapping[int, float],
    *,
    review: int = 3,
    auto: str | None = None,
) -> KpiJson:
    """One KPI of the report with its `latest` at the review cycle."""
    kpi: KpiJson = {
        "id": kpi_id,
        "name": name,
        "layer": layer,
        "direction": direction,
        "unit": unit,
        "target": target,
        "auto": auto,
        "values": [{"cycle": c, "value": v} for c, v in sorted(values.items())],
        "latest": None,
    }
    kpi["latest"] = latest(kpi, review)
    return kpi


def evidence_table(items: list[EvidenceItem], cycles: range = range(1, 5)) -> list[EvidenceJson]:
    """The report's `evidence`: counts per signal per cycle, as compute makes them."""
    table: list[EvidenceJson] = []
    previous_net: int | None = None
    for cycle in cycles:
        counts = {signal: 0 for signal in SIGNALS}
        for item in items:
            if item.cycle == cycle:
                counts[item.signal] += 1
        positive = sum(n for s, n in counts.items() if SIGNAL_POLARITY[s] > 0)
        negative = sum(n for s, n in counts.items() if SIGNAL_POLARITY[s] < 0)
        net = positive - negative
        table.append({
            "cycle": cycle, "counts": counts, "positive": positive, "negative": negative,
            "net": net, "net_delta": None if previous_net is None else net - previous_net,
            "thin": False,
        })  # fmt: skip
        previous_net = net
    return table


def make_report(
    language: Lang = "ja",
    *,
    review: int = 3,
    values_for_review: bool = True,
    evidence_for_review: bool = True,
    extra_items: tuple[EvidenceItem, ...] = (),
    kpis: list[KpiJson] | None = None,
) -> Report:
    """The computed report of さくら珈琲 as the morning sync on 2026-11-14 sees it."""
    cycles = [
        Cycle(number, start, start + timedelta(days=13),
              "done" if number < 4 else "running", _t(hyp, language), _t(change, language),
              _t(learning, language), _t(step, language), _t(owner, language), row=number + 1)
        for number, start, hyp, change, learning, step, owner in _CYCLES
    ]  # fmt: skip
    if kpis is None:
        kpis = []
        for kpi_id, name, layer, direction, unit, target, auto, values in _KPIS:
            kept = {c: v for c, v in values.items() if values_for_review or c != review}
            kpis.append(
                make_kpi(
                    kpi_id,
                    _t(name, language),
                    layer,
                    direction,
                    _t(unit, language),
                    target,
                    kept,
                    review=review,
                    auto=auto,
                )
            )
    items = [
        EvidenceItem(
            row=index + 2,
            date=cycles[cycle - 1].start + timedelta(days=day),
            cycle=cycle,
            kind=kind,
            signal=signal,
            quote=_t(quote, language),
            scene=_t(scene, language),
            next_try=_t(next_try, language) if next_try else "",
            by=_t(by, language),
        )
        for index, (cycle, day, kind, signal, quote, scene, next_try, by) in enumerate(_EVIDENCE)
        if evidence_for_review or cycle != review
    ]
    items += extra_items
    checks = [
        Check("error", "not_a_number", "values", 7, "value", "たくさん",
              "「値」の「たくさん」を数字として読めません。" if language == "ja"
              else '"たくさん" in "Value" is not a number.',
              "KPI記録" if language == "ja" else "KPI values", "C"),
        Check("warning", "missing_learning", "cycles", 4, "learning", "",
              "学びが空欄です。" if language == "ja" else "The learning is empty.",
              "サイクル" if language == "ja" else "Cycles", "F"),
    ]  # fmt: skip
    return Report(
        client=CLIENT[language],
        language=language,
        generated_at=NOW,
        as_of=NOW.date(),
        review_cycle=review,
        current_cycle=4,
        cycles=cycles,
        kpis=kpis,
        evidence=evidence_table(items),
        checks=checks,
        agenda=AgendaState(cycle=review, due=date(2026, 11, 14)),
        evidence_items=items,
        last_sync=NOW - timedelta(days=1),
        sheet_url=SHEET_URL,
    )


def with_items(report: Report, *items: EvidenceItem) -> Report:
    """The report with more evidence rows (and the evidence counts recomputed)."""
    every = [*report.evidence_items, *items]
    return replace(report, evidence_items=every, evidence=evidence_table(every))
