"""The same job with gspread-dataframe: `get_as_dataframe` per tab, pandas for the numbers,
`set_with_dataframe` once per output tab.

Written to favour this side: the Summary's blocks are stacked into one DataFrame so the tab
costs one `set_with_dataframe` (not one per block), and no formatting calls are made at all.
`set_with_dataframe` itself always resizes the sheet first (one request) and then writes
(one request); that is the library's behaviour, not ours.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import gspread
import numpy as np
import pandas as pd
from gspread_dataframe import get_as_dataframe, set_with_dataframe

SIGNAL_LABELS = ["迷い", "不安", "納得", "安心", "説明が短く", "その他"]
DOWN = {"下がる", "減る", "down"}


def _tab(sh: gspread.Spreadsheet, title: str) -> tuple[gspread.Worksheet, pd.DataFrame]:
    ws = sh.worksheet(title)
    return ws, get_as_dataframe(ws, evaluate_formulas=True)


def _number(series: pd.Series) -> pd.Series:
    text = series.astype(str).str.replace(",", "").str.rstrip("%％分件回円").str.strip()
    return pd.to_numeric(text, errors="coerce")


def _block(rows: list[list[Any]]) -> pd.DataFrame:
    """Rows as a DataFrame, numpy scalars made plain (the JSON encoder refuses numpy's)."""
    return pd.DataFrame([[v.item() if isinstance(v, np.generic) else v for v in r] for r in rows])


def get_or_create(sh: gspread.Spreadsheet, title: str) -> gspread.Worksheet:
    try:
        return sh.worksheet(title)
    except gspread.WorksheetNotFound:
        return sh.add_worksheet(title=title, rows=100, cols=12)


def sync(gc: gspread.Client, key: str, today: date) -> None:
    """Read, compute with pandas, write Summary / Checks / Log."""
    sh = gc.open_by_key(key)
    _, kpis = _tab(sh, "KPI")
    _, cycles = _tab(sh, "サイクル")
    _, values = _tab(sh, "KPI記録")
    _, evidence = _tab(sh, "証拠")
    log_ws, log = _tab(sh, "ログ")

    cycles = cycles.dropna(subset=["No."]).copy()
    cycles["no"] = cycles["No."].astype(int)
    cycles["start"] = pd.to_datetime(cycles["開始日"], format="mixed", errors="coerce")
    cycles["end"] = pd.to_datetime(cycles["終了日"], format="mixed", errors="coerce").fillna(
        cycles["start"] + pd.Timedelta(days=13)
    )
    cycles = cycles.sort_values("no")
    stamp = pd.Timestamp(today)
    reviewable = cycles[cycles["end"] <= stamp + pd.Timedelta(days=1)]
    review = int(reviewable["no"].iloc[-1]) if len(reviewable) else int(cycles["no"].iloc[-1])

    ev = evidence.dropna(how="all").copy()
    ev["row"] = ev.index + 2
    ev["day"] = pd.to_datetime(ev["日付"], format="mixed", errors="coerce")
    bad_date = ev["day"].isna()
    bad_signal = ~ev["サイン"].isin(SIGNAL_LABELS)
    checks = pd.concat(
        [
            pd.DataFrame(
                {"重要度": "エラー", "タブ": "証拠", "行": ev.loc[bad_date, "row"], "列": "日付",
                 "入力値": ev.loc[bad_date, "日付"], "内容": "日付ではない"}
            ),
            pd.DataFrame(
                {"重要度": "エラー", "タブ": "証拠", "行": ev.loc[bad_signal, "row"],
                 "列": "サイン", "入力値": ev.loc[bad_signal, "サイン"], "内容": "サインが不正"}
            ),
        ]
    )  # fmt: skip
    ev = ev[~bad_date & ~bad_signal]
    derived = pd.Series(pd.NA, index=ev.index, dtype="Int64")
    for c in cycles.itertuples():
        inside = (ev["day"] >= c.start) & (ev["day"] <= c.end)
        derived = derived.mask(inside & derived.isna(), c.no)
    ev["cycle"] = pd.to_numeric(ev["サイクル"], errors="coerce").astype("Int64").fillna(derived)
    counts = ev.groupby(["cycle", "サイン"]).size().unstack(fill_value=0)
    counts = counts.reindex(columns=SIGNAL_LABELS, fill_value=0)

    values = values.dropna(how="all").copy()
    values["value"] = _number(values["値"])
    values["サイクル"] = values["サイクル"].astype(int)
    table = values.pivot_table(index="KPI", columns="サイクル", values="value", aggfunc="last")
    done = cycles[(cycles["end"] < stamp) | (cycles["状態"] == "完了")]["no"]
    kpi_rows: list[list[Any]] = []
    for k in kpis.dropna(subset=["ID"]).to_dict("records"):
        auto = str(k["自動集計"])
        if auto == "サイクル完了数":
            series = pd.Series({n: int((done <= n).sum()) for n in cycles["no"]})
        elif auto.startswith("証拠:"):
            label = auto.removeprefix("証拠:")
            series = counts[label] if label in counts else pd.Series(dtype=float)
        elif k["ID"] in table.index:
            series = table.loc[k["ID"]].dropna()
        else:
            series = pd.Series(dtype=float)
        current = series.get(review)
        earlier = series[series.index < review]
        previous = earlier.iloc[-1] if len(earlier) else None
        change = current - previous if current is not None and previous is not None else None
        down = k["良い方向"] in DOWN
        verdict = (
            "前回なし" if change is None else "→ 変化なし" if change == 0
            else "↑ 改善" if (change < 0) == down else "↓ 悪化"
        )  # fmt: skip
        kpi_rows.append([k["層"], k["KPI名"], previous, current, change, verdict])

    before = counts.loc[review - 1] if review - 1 in counts.index else counts.iloc[0] * 0
    now_counts = counts.loc[review] if review in counts.index else counts.iloc[0] * 0
    evidence_table = pd.DataFrame(
        {"サイン": SIGNAL_LABELS, "前回": before.values, "今回": now_counts.values}
    )
    evidence_table["変化"] = evidence_table["今回"] - evidence_table["前回"]
    learning = cycles.sort_values("no", ascending=False)[
        ["no", "仮説(1つ)", "改善(1つ)", "学び(1行)", "次の一歩"]
    ]

    now = datetime.now().isoformat(timespec="seconds")
    summary = pd.concat(
        [
            _block([["KPIサマリー"], [f"データ: {today} 時点 · 最終同期: {now}"],
                    [f"チェック: エラー{len(checks)}件"], []]),
            _block([["層", "KPI", "前回", "今回", "変化", "判定"], *kpi_rows, []]),
            _block([list(evidence_table.columns), *evidence_table.values.tolist(), []]),
            _block([["サイクル", "仮説", "改善", "学び", "次の一歩"], *learning.values.tolist()]),
        ],
        ignore_index=True,
    )  # fmt: skip

    summary_ws = get_or_create(sh, "サマリー")
    summary_ws.clear()
    set_with_dataframe(summary_ws, summary.fillna(""), include_column_header=False)
    checks_ws = get_or_create(sh, "チェック")
    checks_ws.clear()
    set_with_dataframe(checks_ws, checks)
    entry = pd.DataFrame(
        [[now, "sync", "ok", review, f"エラー{len(checks)}件 / 証拠 {len(ev)}行"]],
        columns=log.columns[:5],
    )
    set_with_dataframe(log_ws, pd.concat([log, entry], ignore_index=True))
