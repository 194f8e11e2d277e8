"""Ordinary days of a small eyeglass shop (めがねのひかり堂 / Hikari Optical), as workbooks: the
first cycle, a cycle whose previous value was doubted (so "previous" skips a cycle), and a cycle
that lost rows to errors. Each is written in either language's titles, headers and words, for
the golden files and for the tests that run them on both backends."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Final

from sheets_sync.sheet import schema
from sheets_sync.sheet.schema import Lang, choice_label
from tests.support.workbooks import Tabs

CLIENT: Final[dict[Lang, str]] = {"ja": "めがねのひかり堂", "en": "Hikari Optical"}
People = dict[str, tuple[str, str]]
PEOPLE: Final[People] = {"kobayashi": ("小林", "Kobayashi"), "ishii": ("石井", "Ishii")}


def _t(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "ja" else pair[1]


def _tab(key: str, lang: Lang, rows: list[dict[str, Any]]) -> tuple[str, list[list[Any]]]:
    """A tab in `lang`: its title, its header, and each row (column key → value) in order."""
    tab = schema.TABS_BY_KEY[key]
    header = [column.header(lang) for column in tab.columns]
    body = [[row.get(column.key) for column in tab.columns] for row in rows]
    return tab.title(lang), [header, *body]


KPI_ROWS: Final = (
    ("K1", ("サイクル回数", "Cycles run"), "action", None, ("回", "cycles"), None, "cycles_done"),
    ("K2", ("不安のサイン", "Signs of worry"), "intermediate", None, ("件", "remarks"), None,
     "evidence:anxiety"),
    ("K3", ("注文率", "Order rate"), "result", "up", ("%", "%"), 35, None),
)  # fmt: skip


def _kpis(lang: Lang) -> list[dict[str, Any]]:
    return [
        {
            "id": kpi_id,
            "name": _t(name, lang),
            "layer": choice_label("layer", layer, lang),
            "direction": choice_label("direction", direction, lang) if direction else None,
            "unit": _t(unit, lang),
            "target": target,
            "auto": choice_label("auto", auto, lang) if auto else None,
            "how": None,
        }
        for kpi_id, name, layer, direction, unit, target, auto in KPI_ROWS
    ]


# (hypothesis, change, learning, next step, owner, step done)
CYCLES: Final = (
    (("不安は総額がわからないから。レンズ込みの総額を先に見せる",
      "People worry because they can't see the total: show it with lenses first"),
     ("値札をレンズ込みの総額表示にする", "Price tags that show the total, lenses included"),
     ("総額を見せると値段の質問は減ったが、似合うかで迷う人が残った",
      "With the total shown, fewer price questions, but many still wonder what suits them"),
     ("似合うフレームを3本に絞って見せる", "Show three frames that suit the face"),
     "kobayashi", None),
    (("3本に絞れば、似合うものを選べる", "Three picks make it easy to choose what suits"),
     ("スタッフが顔の形に合わせて3本を選んで出す", "Staff pick three frames to suit the face"),
     ("3本に絞ると早く決まったが、レンズの厚さを心配する声が出た",
      "Three picks made choices quicker, but people worried about lens thickness"),
     ("度数ごとのレンズの厚さ見本を置く", "Put out lens thickness samples for each range"),
     "ishii", "yes"),
    (("仕上がりが想像できれば、安心して注文できる",
      "If people can picture the finished glasses, they order without worry"),
     ("度数ごとのレンズの厚さ見本を置く", "Lens thickness samples for each range"),
     ("", ""), ("", ""), "kobayashi", "partial"),
)  # fmt: skip


def _cycles(lang: Lang, start: date, count: int, today: date) -> list[dict[str, Any]]:
    rows = []
    for number, (hyp, change, learning, step, owner, done) in enumerate(CYCLES[:count], 1):
        begin = start + timedelta(days=14 * (number - 1))
        end = begin + timedelta(days=13)
        running = begin <= today <= end
        rows.append(
            {
                "cycle": number,
                "start": begin.isoformat(),
                "end": end.isoformat(),
                "hypothesis": _t(hyp, lang),
                "change": _t(change, lang),
                "learning": None if running else _t(learning, lang) or None,
                "next_step": None if running else _t(step, lang) or None,
                "status": choice_label("status", "running" if running else "done", lang),
                "owner": _t(PEOPLE[owner], lang),
                "step_done": choice_label("step_done", done, lang) if done and number > 1 else None,
            }
        )
    return rows


# (day of the cycle, signal, quote, scene, next try, by)
QUOTES: Final = (
    ("anxiety", ("結局いくらになりますか?", "So what will it cost in the end?"),
     ("フレームを3本試したあと", "After trying three frames"),
     ("総額を先に伝える", "Say the total first"), "kobayashi"),
    ("anxiety", ("レンズが厚くならないか心配で", "I'm worried the lenses will be thick"),
     ("度数を伝えたとき", "When telling us the prescription"),
     ("厚さの見本を見せる", "Show a thickness sample"), "ishii"),
    ("conviction", ("これなら予算内ですね", "That's within my budget"),
     ("総額の値札を見て", "Looking at the total on the tag"), ("", ""), "kobayashi"),
    ("relief", ("見本を見て安心しました", "Seeing the sample put my mind at rest"),
     ("厚さ見本を手に取って", "Holding the thickness sample"),
     ("見本を鏡の横に置く", "Put the samples by the mirror"), "ishii"),
    ("hesitation", ("どれが似合うかわからなくて", "I can't tell which one suits me"),
     ("鏡の前で迷っていた", "Stuck at the mirror"), ("", ""), "kobayashi"),
    ("conviction", ("3本なら選べます", "Three I can choose from"),
     ("スタッフが3本出したあと", "After staff showed three"),
     ("3本を出す順番を決める", "Decide the order to show the three"), "ishii"),
)  # fmt: skip


def _evidence(lang: Lang, start: date, cycle: int, picks: str) -> list[dict[str, Any]]:
    """Evidence rows for `cycle`: one per index in `picks` (digits into QUOTES), a day apart."""
    begin = start + timedelta(days=14 * (cycle - 1))
    rows = []
    for day, pick in enumerate(picks, start=1):
        signal, quote, scene, next_try, by = QUOTES[int(pick)]
        rows.append(
            {
                "date": (begin + timedelta(days=day)).isoformat(),
                "kind": choice_label("kind", "conversation", lang),
                "signal": choice_label("signal", signal, lang),
                "quote": _t(quote, lang),
                "scene": _t(scene, lang),
                "next_try": _t(next_try, lang) or None,
                "by": _t(PEOPLE[by], lang),
            }
        )
    return rows


def _book(lang: Lang, cycles: list[dict[str, Any]], values: list[tuple[int, Any]],
          evidence: list[dict[str, Any]]) -> Tabs:  # fmt: skip
    order = (
        _tab("kpis", lang, _kpis(lang)),
        _tab("cycles", lang, cycles),
        _tab("values", lang, [{"cycle": c, "kpi": "K3", "value": v} for c, v in values]),
        _tab("evidence", lang, evidence),
    )
    return dict(order)


FIRST_START = date(2026, 10, 5)


def first_cycle(lang: Lang) -> Tabs:
    """Cycle 1 of a new shop, reviewed the day before its meeting: nothing to compare."""
    today = first_cycle_day()
    cycles = _cycles(lang, FIRST_START, 1, today)
    evidence = _evidence(lang, FIRST_START, 1, "0123")
    return _book(lang, cycles, [(1, "24%")], evidence)


def first_cycle_day() -> date:
    return FIRST_START + timedelta(days=12)


def skipped_value(lang: Lang) -> Tabs:
    """Cycle 3 under review; cycle 2's order rate typed as a fraction (0.31), so cycle 3 is
    compared with cycle 1 — and cycle 2's incomplete evidence is an older cycle's warning."""
    today = skipped_value_day()
    cycles = _cycles(lang, FIRST_START, 3, today)
    evidence = (
        _evidence(lang, FIRST_START, 1, "012345")
        + [{**row, "scene": None} for row in _evidence(lang, FIRST_START, 2, "01234")]
        + _evidence(lang, FIRST_START, 3, "23532")
    )
    return _book(lang, cycles, [(1, "28%"), (2, 0.31), (3, "33%")], evidence)


def skipped_value_day() -> date:
    return FIRST_START + timedelta(days=28 + 12)


LOST_START = date(2026, 11, 9)


def left_out_rows(lang: Lang) -> Tabs:
    """Cycle 2 under review lost an evidence row (a date without its year, 12月1日) and its
    order-rate row (「集計中」, not a number): neither is read as 0."""
    today = left_out_rows_day()
    cycles = _cycles(lang, LOST_START, 2, today)
    evidence = _evidence(lang, LOST_START, 1, "01234") + _evidence(lang, LOST_START, 2, "2534")
    yearless = {**_evidence(lang, LOST_START, 2, "0")[0], "date": "12月1日"}
    values = [(1, "26%"), (2, "集計中" if lang == "ja" else "counting")]
    return _book(lang, cycles, values, [*evidence, yearless])


def left_out_rows_day() -> date:
    return LOST_START + timedelta(days=14 + 12)


STORIES: Final = {
    "first_cycle": (first_cycle, first_cycle_day),
    "skipped_value": (skipped_value, skipped_value_day),
    "left_out_rows": (left_out_rows, left_out_rows_day),
}
