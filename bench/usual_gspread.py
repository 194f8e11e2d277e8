"""The same job "the usual gspread way", written as a tutorial would write it.

open_by_key, `worksheet(title).get_all_records()` for the four input tabs and the Log, plain
Python for the numbers (evidence counts per signal per cycle, KPI deltas), then for each output
tab: `worksheet()` (or `add_worksheet` when it is missing), `clear()`, one `update()` per
block, one `format()` per header range; the Log gets `append_row`. Nothing here is made slow on
purpose: every call is the one the gspread docs show for the task, and the Log append is the
cheapest call there is (one request, no rewrite).

Checks are deliberately fewer than sheets-sync's (required fields, unknown signals, dates that
do not parse): the comparison is about requests and time, and fewer checks only makes this
side faster.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, datetime, timedelta
from typing import Any

import gspread

SIGNALS = {
    "迷い": "hesitation",
    "不安": "anxiety",
    "納得": "conviction",
    "安心": "relief",
    "説明が短く": "shorter",
    "説明短縮": "shorter",
    "その他": "other",
}
SIGNAL_LABELS = ["迷い", "不安", "納得", "安心", "説明が短く", "その他"]
DOWN = {"下がる", "減る", "down"}
HEADER_FORMAT = {"textFormat": {"bold": True}, "backgroundColor": {"red": 0.87, "green": 0.89}}
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def parse_date(text: Any) -> date | None:
    """Try the usual formats; None when none fits."""
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(str(text).strip(), pattern).date()
        except ValueError:
            continue
    return None


def to_number(value: Any) -> float | None:
    """`22%` → 22, `4.5分` → 4.5, `1,200円` → 1200; None when it is not a number."""
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", "").rstrip("%％分件回円").strip()
    try:
        return float(text)
    except ValueError:
        return None


def get_or_create(sh: gspread.Spreadsheet, title: str) -> gspread.Worksheet:
    try:
        return sh.worksheet(title)
    except gspread.WorksheetNotFound:
        return sh.add_worksheet(title=title, rows=100, cols=12)


def sync(gc: gspread.Client, key: str, today: date) -> None:
    """Read, compute and write Summary / Checks / Log."""
    sh = gc.open_by_key(key)
    kpis = sh.worksheet("KPI").get_all_records()
    cycles = sh.worksheet("サイクル").get_all_records()
    values = sh.worksheet("KPI記録").get_all_records()
    evidence = sh.worksheet("証拠").get_all_records()
    log_ws = sh.worksheet("ログ")
    log = log_ws.get_all_records()

    checks: list[list[Any]] = []

    # cycles
    cycle_rows: list[dict[str, Any]] = []
    for row_number, row in enumerate(cycles, start=2):
        if not any(str(v).strip() for v in row.values()):
            continue
        start = parse_date(row["開始日"])
        if start is None:
            checks.append(
                ["エラー", "サイクル", row_number, "開始日", row["開始日"], "日付ではない"]
            )
            continue
        end = parse_date(row["終了日"]) or start + timedelta(days=13)
        cycle_rows.append({**row, "no": int(row["No."]), "start": start, "end": end})
    cycle_rows.sort(key=lambda c: c["no"])
    done = [c for c in cycle_rows if c["end"] < today or c["状態"] == "完了"]
    review = max(
        (c for c in cycle_rows if c["end"] <= today + timedelta(days=1)),
        key=lambda c: c["end"],
        default=cycle_rows[-1] if cycle_rows else None,
    )

    # evidence: counts per signal per cycle
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row_number, row in enumerate(evidence, start=2):
        if not any(str(v).strip() for v in row.values()):
            continue
        day = parse_date(row["日付"])
        if day is None:
            checks.append(["エラー", "証拠", row_number, "日付", row["日付"], "日付ではない"])
            continue
        signal = str(row["サイン"]).strip()
        if not signal:
            checks.append(["エラー", "証拠", row_number, "サイン", "", "サインが空です"])
            continue
        if signal not in SIGNALS:
            checks.append(["エラー", "証拠", row_number, "サイン", signal, "知らないサイン"])
            continue
        if str(row["一言"]).strip() == "":
            checks.append(["エラー", "証拠", row_number, "一言", "", "一言が空です"])
            continue
        cycle_no = row["サイクル"]
        if cycle_no == "":
            found = [c["no"] for c in cycle_rows if c["start"] <= day <= c["end"]]
            if not found:
                checks.append(["注意", "証拠", row_number, "日付", row["日付"], "サイクルの外"])
                continue
            cycle_no = found[0]
        counts[int(cycle_no)][signal] += 1

    # KPI values (typed, or counted for the automatic ones)
    kpi_values: dict[str, dict[int, float]] = defaultdict(dict)
    for row_number, row in enumerate(values, start=2):
        number = to_number(row["値"])
        if number is None:
            checks.append(["エラー", "KPI記録", row_number, "値", row["値"], "数字ではない"])
            continue
        kpi_values[str(row["KPI"])][int(row["サイクル"])] = number
    for kpi in kpis:
        auto = str(kpi["自動集計"])
        series = kpi_values[str(kpi["ID"])]
        for c in cycle_rows:
            if auto == "サイクル完了数":
                series[c["no"]] = sum(1 for d in done if d["no"] <= c["no"])
            elif auto.startswith("証拠:"):
                series[c["no"]] = counts[c["no"]][auto.removeprefix("証拠:")]

    kpi_table: list[list[Any]] = [
        ["層", "KPI", "前回", "今回", "変化", "変化率", "判定", "目標", "達成"]
    ]
    review_no = review["no"] if review else 0
    for kpi in kpis:
        series = kpi_values.get(str(kpi["ID"]), {})
        current = series.get(review_no)
        earlier = [n for n in series if n < review_no]
        previous = series[max(earlier)] if earlier else None
        change = current - previous if current is not None and previous is not None else None
        pct = change / abs(previous) if change is not None and previous else None
        down = kpi["良い方向"] in DOWN
        if change is None:
            verdict = "前回なし"
        elif change == 0:
            verdict = "→ 変化なし"
        else:
            verdict = "↑ 改善" if (change < 0) == down else "↓ 悪化"
        target = to_number(kpi["目標"]) if kpi["目標"] != "" else None
        met = ""
        if target is not None and current is not None:
            met = "達成" if (current <= target if down else current >= target) else "未達"
        kpi_table.append(
            [
                kpi["層"],
                f"{kpi['KPI名']}({kpi['単位']})",
                previous if previous is not None else "—",
                current if current is not None else "—",
                change if change is not None else "—",
                f"{pct:.0%}" if pct is not None else "—",
                verdict,
                target if target is not None else "—",
                met,
            ]
        )

    evidence_table: list[list[Any]] = [["サイン", "前回", "今回", "変化"]]
    before = counts.get(review_no - 1, Counter())
    now_counts = counts.get(review_no, Counter())
    for label in SIGNAL_LABELS:
        evidence_table.append(
            [label, before[label], now_counts[label], now_counts[label] - before[label]]
        )

    learning: list[list[Any]] = [["サイクル", "仮説", "改善", "学び", "次の一歩"]]
    for c in sorted(cycle_rows, key=lambda c: c["no"], reverse=True):
        learning.append([c["no"], c["仮説(1つ)"], c["改善(1つ)"], c["学び(1行)"], c["次の一歩"]])

    errors = sum(1 for c in checks if c[0] == "エラー")
    now = datetime.now().isoformat(timespec="seconds")
    header = [
        ["KPIサマリー"],
        [f"データ: {today.isoformat()} 時点 · 最終同期: {now}"],
        [f"チェック: エラー{errors}件 → チェックタブへ" if checks else "チェック: 問題なし"],
    ]

    # write Summary: clear, one update per block, one format per header
    summary = get_or_create(sh, "サマリー")
    summary.clear()
    kpi_at = len(header) + 2
    evidence_at = kpi_at + len(kpi_table) + 1
    learning_at = evidence_at + len(evidence_table) + 1
    summary.update(header, "A1")
    summary.update(kpi_table, f"A{kpi_at}")
    summary.update(evidence_table, f"A{evidence_at}")
    summary.update(learning, f"A{learning_at}")
    summary.format("A1", {"textFormat": {"bold": True, "fontSize": 16}})
    summary.format(f"A{kpi_at}:I{kpi_at}", HEADER_FORMAT)
    summary.format(f"A{evidence_at}:D{evidence_at}", HEADER_FORMAT)
    summary.format(f"A{learning_at}:E{learning_at}", HEADER_FORMAT)

    # write Checks
    checks_ws = get_or_create(sh, "チェック")
    checks_ws.clear()
    checks_ws.update([["重要度", "タブ", "行", "列", "入力値", "内容"], *checks], "A1")
    checks_ws.format("A1:F1", HEADER_FORMAT)

    # append to the Log (read above: it says whether this cycle's agenda already went out)
    sent = any(r["内容"] == "agenda" and r["サイクル"] == review_no for r in log)
    details = f"エラー{errors}件 / 証拠 {sum(sum(c.values()) for c in counts.values())}行"
    log_ws.append_row([now, "sync", "ok", review_no, details + (" / 送信済み" if sent else "")])
