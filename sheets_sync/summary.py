"""The report laid out as the generated tabs' cells: Summary for people, Checks, and the Log."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime

from . import schema
from .report import Check, KpiJson, Report
from .schema import Lang
from .tabs import GeneratedTab, OutCell, SparklineKind
from .validate import LogEntry

LOG_ROWS_KEPT = 1000  # agenda rows are always kept: they are how the sync knows what was sent
_BARS = "▁▂▃▄▅▆▇█"

_L: dict[str, tuple[str, str]] = {
    "title": ("{client} — KPIサマリー", "{client} — KPI summary"),
    "fresh": (
        "データ: {as_of} 時点 · 最終同期: {synced}",
        "Data as of {as_of} · last sync {synced}",
    ),
    "checks_ok": ("チェック: 問題はありません", "Checks: nothing to fix"),
    "checks_some": (
        "チェック: エラー {errors}件、注意 {warnings}件 → 「{tab}」タブを見てください",
        'Checks: {errors} errors, {warnings} warnings → see the "{tab}" tab',
    ),
    "current": ("今のサイクル", "Current cycle"),
    "no_current": (
        "今日を含むサイクルがありません。「{tab}」タブに次のサイクルを足しましょう。",
        'No cycle contains today. Add the next one in the "{tab}" tab.',
    ),
    "cycle_line": (
        "サイクル{n}({start}〜{end}、{status})",
        "Cycle {n} ({start} to {end}, {status})",
    ),
    "review": ("次の会議で振り返るサイクル: {n}", "The next meeting reviews cycle {n}"),
    "hypothesis": ("仮説", "Hypothesis"),
    "change": ("改善", "Change"),
    "owner": ("担当", "Owner"),
    "kpis": ("KPI(サイクル{n})", "KPIs (cycle {n})"),
    "layer": ("層", "Layer"),
    "kpi": ("KPI", "KPI"),
    "previous": ("前回", "Previous"),
    "now": ("今回", "Now"),
    "delta": ("変化", "Change"),
    "delta_pct": ("変化率", "Change %"),
    "judgement": ("判定", "Judgement"),
    "target": ("目標", "Target"),
    "met": ("達成", "Met?"),
    "trend": ("推移", "Trend"),
    "yes": ("達成", "yes"),
    "no": ("未達", "no"),
    "evidence": ("現場の証拠(サイクル{prev} → {n})", "Field evidence (cycle {prev} → {n})"),
    "signal": ("サイン", "Signal"),
    "positive": ("プラスのサイン", "Positive signs"),
    "negative": ("マイナスのサイン", "Negative signs"),
    "net": ("差し引き", "Net"),
    "learning_log": ("学びの記録(新しい順)", "Learning log (newest first)"),
    "cycle": ("サイクル", "Cycle"),
    "dates": ("期間", "Dates"),
    "learning": ("学び", "Learning"),
    "next_step": ("次の一歩", "Next step"),
    "no_kpis": ("使っているKPIがありません。", "No active KPIs."),
    "never": ("まだ", "never"),
    "no_review": ("振り返るサイクルがまだありません。", "No cycle to review yet."),
    "none_yet": ("まだありません", "none yet"),
    "checks_none": ("問題はありません。", "Nothing to fix."),
    "error": ("エラー", "error"),
    "warning": ("注意", "warning"),
    "whole_tab": ("(タブ全体)", "(whole tab)"),
}

_JUDGEMENT_WORDS: dict[str, tuple[str, str]] = {
    "improved": ("良くなった", "improved"),
    "worsened": ("悪くなった", "worsened"),
    "flat": ("変化なし", "no change"),
    "no_previous": ("前回なし", "no previous"),
    "no_value": ("値なし", "no value"),
    "done": ("できた", "done"),
    "not_done": ("まだ", "not yet"),
    "doubted": ("要確認", "check"),
    "no_direction": ("方向が未設定", "no direction set"),
}
_JUDGEMENT_STYLE = {"improved": "good", "worsened": "bad", "flat": "neutral"}
_STATUS: dict[str, tuple[str, str]] = {
    "planned": ("計画", "planned"),
    "running": ("実行中", "running"),
    "done": ("完了", "done"),
}
SUMMARY_WIDTHS = [12, 34, 10, 10, 10, 10, 14, 10, 8, 14]
_REST = len(SUMMARY_WIDTHS) - 1  # columns B..J, for a value beside its label


def _t(key: str, lang: Lang, **fields: object) -> str:
    ja, en = _L[key]
    return (ja if lang == "ja" else en).format(**fields)


def _text(value: object, style: str | None = None) -> OutCell:
    return OutCell("" if value is None else str(value), style)


def _num(value: float | int | None, style: str | None = None) -> OutCell:
    return OutCell(value, style) if value is not None else OutCell("—", "muted")


def arrow(delta: float | int | None) -> str:
    """Which way the number moved: ↑, ↓ or →; judgement words say whether that is good."""
    if delta is None:
        return ""
    return "↑" if delta > 0 else "↓" if delta < 0 else "→"


def judgement_label(judgement: str, delta: float | int | None, lang: Lang) -> str:
    """An arrow *and* a word — never colour alone."""
    words = _JUDGEMENT_WORDS[judgement]
    word = words[0] if lang == "ja" else words[1]
    mark = arrow(delta)
    return f"{mark} {word}" if mark else word


def text_sparkline(values: list[float]) -> str:
    """▁▃▅▇ for the .xlsx backend, where a SPARKLINE formula does not exist."""
    if not values:
        return ""
    low, high = min(values), max(values)
    if high == low:
        return _BARS[3] * len(values)
    scale = (len(_BARS) - 1) / (high - low)
    return "".join(_BARS[round((v - low) * scale)] for v in values)


def _sparkline(kpi: KpiJson, kind: SparklineKind) -> OutCell:
    values = [float(v["value"]) for v in kpi["values"] if not v.get("doubted")]  # never trended
    if len(values) < 2:
        return OutCell("")
    if kind == "text":
        return OutCell(text_sparkline(values), "spark")
    numbers = ",".join(f"{v:g}" for v in values)
    return OutCell(f"=SPARKLINE({{{numbers}}})", formula=True)


def display_width(text: str) -> int:
    """Columns a text needs: wide (Japanese) characters count twice."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


@dataclass
class _Grid:
    """Rows of cells with their column spans; spans become merges and set row heights."""

    widths: list[int]
    rows: list[list[OutCell]] = field(default_factory=list)
    merges: list[tuple[int, int, int, int]] = field(default_factory=list)
    heights: dict[int, int] = field(default_factory=dict)

    def add(self, *cells: OutCell | tuple[OutCell, int]) -> None:
        """A row; a (cell, n) pair spans n columns."""
        row: list[OutCell] = []
        number = len(self.rows) + 1
        lines = 1
        for item in cells:
            cell, span = item if isinstance(item, tuple) else (item, 1)
            start = len(row) + 1
            row.append(cell)
            row.extend(OutCell(None) for _ in range(span - 1))
            if span > 1:
                self.merges.append((number, start, number, start + span - 1))
            if isinstance(cell.value, str) and len(cells) > 1:
                room = int(sum(self.widths[start - 1 : start - 1 + span]) * 1.15) or 10
                needed = sum(
                    max(1, -(-display_width(part) // room)) for part in cell.value.split("\n")
                )
                lines = max(lines, needed)
        if lines > 1:
            self.heights[number] = 16 * lines + 2
        self.rows.append(row)

    def blank(self) -> None:
        self.rows.append([])


def summary_tab(
    report: Report, *, titles: dict[str, str], sparkline: SparklineKind, now: datetime
) -> GeneratedTab:
    """The Summary tab: freshness, checks, the current cycle, KPIs, evidence, learning log."""
    lang = report.language
    grid = _Grid(SUMMARY_WIDTHS)
    grid.add(OutCell(_t("title", lang, client=report.client), "title"))
    synced = now.strftime("%Y-%m-%d %H:%M")
    grid.add(OutCell(_t("fresh", lang, as_of=report.as_of.isoformat(), synced=synced), "muted"))
    checks_title = titles.get("checks", schema.CHECKS.title(lang))
    if report.checks:
        status = _t(
            "checks_some",
            lang,
            errors=len(report.errors),
            warnings=len(report.warnings),
            tab=checks_title,
        )
        status_cell = OutCell(
            status, "error" if report.errors else "warning", link=_a1(checks_title)
        )
        grid.add((status_cell, 6))
    else:
        grid.add((OutCell(_t("checks_ok", lang), "ok"), 6))
    grid.blank()
    _cycle_card(grid, report, titles)
    grid.blank()
    _kpi_table(grid, report, sparkline)
    grid.blank()
    _evidence_table(grid, report)
    grid.blank()
    _learning_log(grid, report)
    return GeneratedTab(
        "summary",
        schema.SUMMARY.title(lang),
        grid.rows,
        SUMMARY_WIDTHS,
        frozen_rows=0,
        index=0,
        merges=grid.merges,
        row_heights=grid.heights,
    )


def _cycle_card(grid: _Grid, report: Report, titles: dict[str, str]) -> None:
    lang = report.language
    grid.add(OutCell(_t("current", lang), "subtitle"))
    cycle = report.cycle(report.current_cycle)
    if cycle is None:
        tab = titles.get("cycles", schema.CYCLES.title(lang))
        grid.add(OutCell(_t("no_current", lang, tab=tab), "warning"))
    else:
        status = _STATUS.get(cycle.status, (cycle.status, cycle.status))
        line = _t(
            "cycle_line",
            lang,
            n=cycle.cycle,
            start=cycle.start.isoformat(),
            end=cycle.end.isoformat(),
            status=status[0] if lang == "ja" else status[1],
        )
        grid.add(OutCell(line, "neutral"))
        for key in ("hypothesis", "change", "owner"):
            grid.add(OutCell(_t(key, lang), "header"), (_text(getattr(cycle, key)), _REST))
    if report.review_cycle is not None:
        grid.add(OutCell(_t("review", lang, n=report.review_cycle), "muted"))


_LAYER_ORDER = {layer: i for i, layer in enumerate(schema.LAYERS)}


def _kpi_table(grid: _Grid, report: Report, sparkline: SparklineKind) -> None:
    lang = report.language
    if report.review_cycle is None:
        grid.add(OutCell(_t("kpis", lang, n="—"), "subtitle"))
        grid.add(OutCell(_t("no_review", lang), "muted"))
        return
    grid.add(OutCell(_t("kpis", lang, n=report.review_cycle), "subtitle"))
    headers = (
        "layer",
        "kpi",
        "previous",
        "now",
        "delta",
        "delta_pct",
        "judgement",
        "target",
        "met",
        "trend",
    )
    grid.add(*(OutCell(_t(h, lang), "header") for h in headers))
    if not report.kpis:
        grid.add(OutCell(_t("no_kpis", lang), "muted"))
    for kpi in sorted(report.kpis, key=lambda k: _LAYER_ORDER.get(k["layer"], 9)):
        latest = kpi["latest"]
        assert latest is not None
        unit = kpi["unit"]
        name = (
            f"{kpi['name']}({unit})"
            if unit and lang == "ja"
            else (f"{kpi['name']} ({unit})" if unit else kpi["name"])
        )
        judgement = latest["judgement"] or ("doubted" if latest["doubted"] else "no_direction")
        met = latest["target_met"]
        pct = latest["delta_pct"]
        grid.add(
            OutCell(schema.choice_label("layer", kpi["layer"], lang)),
            _text(name),
            _num(latest["previous"]),
            _num(latest["value"]),
            _num(latest["delta"]),
            OutCell(pct, number_format="+0%;-0%;0%") if pct is not None else OutCell("—", "muted"),
            OutCell(
                judgement_label(judgement, latest["delta"], lang),
                _JUDGEMENT_STYLE.get(judgement, "muted"),
            ),
            _num(kpi["target"]),
            OutCell(
                "" if met is None else _t("yes" if met else "no", lang),
                None if met is None else "good" if met else "bad",
            ),
            _sparkline(kpi, sparkline),
        )


def _evidence_table(grid: _Grid, report: Report) -> None:
    lang = report.language
    review = report.review_cycle
    entries = [e for e in report.evidence if review is not None and e["cycle"] <= review]
    current = entries[-1] if entries and entries[-1]["cycle"] == review else None
    previous = entries[-2] if current is not None and len(entries) > 1 else None
    prev_label = previous["cycle"] if previous else "—"
    grid.add(
        OutCell(_t("evidence", lang, prev=prev_label, n=review if review else "—"), "subtitle")
    )
    grid.add(
        (OutCell(_t("signal", lang), "header"), 2),
        *(OutCell(_t(h, lang), "header") for h in ("previous", "now", "delta")),
    )
    if current is None:
        grid.add(OutCell(_t("none_yet", lang), "muted"))
        return
    rows: list[tuple[str, int, int | None, int]] = []
    for choice in schema.CHOICES["signal"]:
        before = previous["counts"][choice.key] if previous else None
        rows.append((choice.label(lang), current["counts"][choice.key], before, choice.polarity))
    for key, polarity in (("positive", 1), ("negative", -1), ("net", 1)):
        before_total = previous[key] if previous else None  # type: ignore[literal-required]
        rows.append((_t(key, lang), current[key], before_total, polarity))  # type: ignore[literal-required]
    for label, now_count, before, polarity in rows:
        delta = None if before is None else now_count - before
        style = None
        if delta and polarity:
            style = "good" if delta * polarity > 0 else "bad"
        shown = "—" if delta is None else f"{arrow(delta)} {delta:+d}" if delta else "→ 0"
        grid.add((_text(label), 2), _num(before), OutCell(now_count), OutCell(shown, style))


def _learning_log(grid: _Grid, report: Report) -> None:
    lang = report.language
    grid.add(OutCell(_t("learning_log", lang), "subtitle"))
    grid.add(
        OutCell(_t("cycle", lang), "header"),
        OutCell(_t("hypothesis", lang), "header"),
        (OutCell(_t("change", lang), "header"), 3),
        (OutCell(_t("learning", lang), "header"), 3),
        (OutCell(_t("next_step", lang), "header"), 2),
    )
    for cycle in sorted(report.cycles, key=lambda c: c.cycle, reverse=True):
        grid.add(
            _text(f"{cycle.cycle}\n{cycle.start:%m/%d}–{cycle.end:%m/%d}"),
            _text(cycle.hypothesis),
            (_text(cycle.change), 3),
            (_text(cycle.learning), 3),
            (_text(cycle.next_step), 2),
        )


def _a1(title: str, cell: str = "A1") -> str:
    return f"'{title.replace(chr(39), chr(39) * 2)}'!{cell}"


def checks_tab(checks: list[Check], lang: Lang) -> GeneratedTab:
    """The Checks tab: errors first, then warnings, each with a link to the cell."""
    widths = [width for *_, width in schema.CHECKS_COLUMNS]
    grid = _Grid(widths)
    grid.add(*(OutCell(ja if lang == "ja" else en, "header") for _, ja, en, _ in
               schema.CHECKS_COLUMNS))  # fmt: skip
    tab_order = {tab.key: i for i, tab in enumerate(schema.ALL_TABS)}
    order = sorted(checks, key=lambda c: (c.severity != "error", tab_order.get(c.tab, 9),
                                          c.row or 0))  # fmt: skip
    for check in order:
        target = None
        if check.row is not None and check.tab_title:
            target = _a1(check.tab_title, f"{check.column_letter or 'A'}{check.row}")
        column = ""
        if check.column is not None and check.tab in schema.TABS_BY_KEY:
            tab = schema.TABS_BY_KEY[check.tab]
            column = tab.column(check.column).header(lang) if tab.columns else check.column
        grid.add(
            OutCell(_t(check.severity, lang), check.severity),
            _text(check.tab_title or check.tab),
            OutCell(check.row) if check.row is not None else _text(_t("whole_tab", lang)),
            _text(column),
            _text(check.value),
            _text(check.message),
            OutCell(f"{check.column_letter or 'A'}{check.row}", link=target)
            if target
            else OutCell(""),
            _text(check.code, "muted"),
        )
    if not checks:
        grid.add((OutCell(_t("checks_none", lang), "ok"), 3))
    return GeneratedTab("checks", schema.CHECKS.title(lang), grid.rows, widths, frozen_rows=1,
                        merges=grid.merges, row_heights=grid.heights)  # fmt: skip


def log_tab(entries: list[LogEntry], lang: Lang) -> GeneratedTab:
    """The Log tab: every earlier entry (trimmed to the newest runs) plus this run's."""
    widths = [width for *_, width in schema.LOG_COLUMNS]
    rows = [[OutCell(ja if lang == "ja" else en, "header") for _, ja, en, _ in schema.LOG_COLUMNS]]
    for entry in _trim_log(entries):
        style = ("good" if entry.result in ("ok", "sent") else
                 "bad" if entry.result in ("failed", "error") else None)  # fmt: skip
        rows.append([
            _text(entry.when),
            _text(entry.what),
            _text(entry.result, style),
            OutCell(entry.cycle) if entry.cycle is not None else OutCell(""),
            _text(entry.details),
        ])  # fmt: skip
    return GeneratedTab("log", schema.LOG.title(lang), rows, widths, frozen_rows=1)


def _trim_log(entries: list[LogEntry]) -> list[LogEntry]:
    if len(entries) <= LOG_ROWS_KEPT:
        return entries
    agenda = [e for e in entries if e.what == "agenda"]
    others = [e for e in entries if e.what != "agenda"][-(LOG_ROWS_KEPT - len(agenda)) :]
    keep = {id(e) for e in agenda + others}
    return [e for e in entries if id(e) in keep]
