"""The ownership rules one by one (pure), and the per-tab facts the backends read for them:
a tab's kind, what it holds besides cells, and its formulas."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

import pytest

from sheets_sync.backends import open_backend
from sheets_sync.backends.xlsx import XlsxBackend
from sheets_sync.backends.xlsx_facts import formula_texts
from sheets_sync.config import load_config
from sheets_sync.core.summary_kpis import SUMMARY_WIDTHS
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.sheet.ownership import NotOurs, decide, holds_more, refusal
from sheets_sync.sheet.schema import CHECKS_COLUMNS, LOG_COLUMNS
from sheets_sync.sheet.tabs import RawCell, RawTab, Snapshot
from tests.support.books import Book
from tests.support.google import MakeClient
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file, write_xlsx
from tests.test_tab_ownership import _chart

CHECKS_JA = [ja for _, ja, _, _ in CHECKS_COLUMNS]
LOG_JA = [ja for _, ja, _, _ in LOG_COLUMNS]
SUMMARY_TOP = ["テスト店 — KPIサマリー"]


def _tab(rows: list[list[Any]], **facts: Any) -> RawTab:
    cells = [[v if isinstance(v, RawCell) else RawCell(v) for v in row] for row in rows]
    return RawTab("x", cells, **facts)


@pytest.mark.parametrize(
    ("key", "tab", "reason"),
    [
        ("log", _tab([LOG_JA], marker="log", owned=True), None),
        ("checks", _tab([LOG_JA], marker="log", owned=True), "other_tab"),
        ("summary", _tab([], kind="chart"), "not_a_grid"),
        ("summary", _tab([], kind="dialog"), "not_a_grid"),
        ("summary", _tab([], kind="chart", marker="summary", owned=True), "not_a_grid"),
        ("summary", _tab([]), None),  # an empty plain worksheet may be adopted
        ("summary", _tab([], objects=("drawing",)), "more_than_ours"),
        ("summary", _tab([], formulas=("",)), "more_than_ours"),
        ("checks", _tab([[None]]), None),
        ("checks", _tab([[RawCell(None, uncomputed_formula=True)]]), "more_than_ours"),
        ("checks", _tab([CHECKS_JA]), None),
        ("checks", _tab([CHECKS_JA, [*[""] * len(CHECKS_JA), "メモ"]]), "more_than_ours"),
        ("checks", _tab([CHECKS_JA], formulas=('=IF(A1="","",A1)',)), "more_than_ours"),
        ("checks", _tab([CHECKS_JA], objects=("comments", "vmlDrawing")), "more_than_ours"),
        ("checks", _tab([["開店前チェック"]]), "staff"),
        ("log", _tab([LOG_JA, ["x", "sync", "ok", 1, "", "テスト店"]]), None),
        ("log", _tab([LOG_JA[:5], ["x", "sync", "ok", 1, ""]]), None),  # an earlier Log
        ("summary", _tab([SUMMARY_TOP], formulas=("=SPARKLINE({1,2,3})",)), None),
        ("checks", _tab([CHECKS_JA], formulas=("=SPARKLINE({1,2,3})",)), "more_than_ours"),
        ("summary", _tab([SUMMARY_TOP, [*[""] * len(SUMMARY_WIDTHS), "x"]]), "more_than_ours"),
    ],
)
def test_each_refusal_reason(key: str, tab: RawTab, reason: str | None) -> None:
    """Its own marker proves a tab; another tab's marker never does; a chart or dialog sheet
    never is ours; without a marker, our layout and nothing else (the Summary may hold the
    SPARKLINE trend an earlier Google version wrote, and nothing else may)."""
    found = refusal(key, tab)
    assert (found.reason if found is not None else None) == reason


def test_a_tab_marked_as_another_is_refused_naming_the_other() -> None:
    """チェック carrying the Log's marker: not the Checks, and the refusal names the Log; the
    Log itself is created (its title is free)."""
    shot = Snapshot([_tab([LOG_JA], marker="log", owned=True)])
    shot.tabs[0].title = "チェック"
    decided = decide(shot)
    assert decided.not_ours == (NotOurs("checks", "チェック", "other_tab", "log"),)
    assert decided["checks"].action == "not_ours" and decided["log"].action == "create"


def test_what_the_sync_writes_is_exactly_its_own_layout(make_client: MakeClient) -> None:
    """Every generated tab a sync wrote, read back without its marker (a LibreOffice save),
    is recognised as our layout with nothing else: the layout widths the ownership rules
    allow are the ones the sync fills."""
    config = make_client(baseline())
    for _ in range(2):
        run(load_config(config), RunOptions(as_of=BASELINE_TODAY))
    snapshot = _read(config)
    summary = next(raw for raw in snapshot.tabs if raw.title == "サマリー")
    if make_client.backend == "google":  # type: ignore[attr-defined]
        assert summary.formulas and all(f.startswith("=SPARKLINE(") for f in summary.formulas)
    generated = {"サマリー": "summary", "チェック": "checks", "ログ": "log"}
    for raw in snapshot.tabs:
        if raw.title in generated:
            raw.marker, raw.owned = None, False
            assert not holds_more(generated[raw.title], raw), raw.title
    decided = decide(snapshot)
    assert all(decided[key].legacy for key in generated.values())


def _read(config: Path) -> Snapshot:
    return open_backend(load_config(config)).read()


# -- what the backends read ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("xml", "formulas"),
    [
        (b'<c r="A1" t="str"><f>IF(A2="","",A2)</f><v></v></c>', ('IF(A2="","",A2)',)),
        (b'<c r="A1"><f t="shared" ref="A1:A3" si="0">B1*2</f><v>4</v></c>'
         b'<c r="A2"><f t="shared" si="0"/><v>6</v></c>', ("B1*2", "")),
        (b'<x:c r="A1"><x:f>1&amp;2</x:f></x:c>', ("1&2",)),
        (b'<font><b/></font><filterColumn colId="0"/><formula1>"a,b"</formula1>', ()),
        (b'<c r="A1" t="s"><v>0</v></c>', ()),
    ],
)  # fmt: skip
def test_formulas_are_found_in_a_worksheet_part(xml: bytes, formulas: tuple[str, ...]) -> None:
    """Every <f> (prefixed or not, shared or not, showing "" or not) is a formula, with its
    text; <font>, <filterColumn> and a validation's <formula1> are not."""
    assert formula_texts(xml) == formulas


def test_google_reads_kinds_charts_and_formulas_in_its_one_request(
    google_env: Any, tmp_path: Path
) -> None:
    """One spreadsheets.get gives each tab's kind (an OBJECT sheet is a chart sheet), its
    charts over the cells, and the text of every formula (only formula cells carry one)."""
    book = Book("google", tmp_path, google_env)
    book.make({**baseline(), "メモ": [["=1+1", "a", 3]]})
    _chart(book, "メモ")
    _chart(book, "グラフ", own_sheet=True)
    google_env.reset_requests()
    assert book.config is not None
    tabs = {raw.title: raw for raw in _read(book.config).tabs}
    assert [r["method"] for r in google_env.requests() if r["kind"] == "api"] == ["GET"]
    assert (tabs["メモ"].kind, tabs["メモ"].objects, tabs["メモ"].formulas) == (
        "worksheet", ("chart",), ("=1+1",)
    )  # fmt: skip
    assert (tabs["KPI"].objects, tabs["KPI"].formulas) == ((), ())
    assert (tabs["グラフ"].kind, tabs["グラフ"].rows) == ("chart", [])
    assert all(raw.kind == "worksheet" for title, raw in tabs.items() if title != "グラフ")


_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DIALOG_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/dialogsheet"
_DIALOG_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.dialogsheet+xml"


def _add_dialog_sheet(path: Path, title: str) -> bytes:
    """An Excel 5 dialog sheet called `title`, added to the package as Excel keeps one."""
    part = b'<dialogsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    with zipfile.ZipFile(path) as source:
        entries = {name: source.read(name) for name in source.namelist()}
    entries["xl/dialogsheets/sheet1.xml"] = part
    rels = entries["xl/_rels/workbook.xml.rels"].decode()
    entries["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        f'<Relationship Id="rIdD1" Type="{_DIALOG_REL}" Target="dialogsheets/sheet1.xml"/>'
        "</Relationships>",
    ).encode()
    types = entries["[Content_Types].xml"].decode()
    entries["[Content_Types].xml"] = types.replace(
        "</Types>",
        f'<Override PartName="/xl/dialogsheets/sheet1.xml" ContentType="{_DIALOG_TYPE}"/></Types>',
    ).encode()
    book = entries["xl/workbook.xml"].decode()
    entries["xl/workbook.xml"] = book.replace(
        # The prefix is declared on the element: a workbook written with lxml declares it on
        # each <sheet>, not on the root.
        "</sheets>",
        f'<sheet xmlns:r="{_REL_NS}" name="{title}" sheetId="99" r:id="rIdD1"/></sheets>',
    ).encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, content in entries.items():
            target.writestr(name, content)
    return part


def test_a_dialog_sheet_titled_like_the_summary_is_never_ours(tmp_path: Path) -> None:
    """A dialog sheet called サマリー: read as a sheet without cells (not a damaged workbook),
    tab_not_ours, its part kept byte for byte; the other tabs are written."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    part = _add_dialog_sheet(workbook, "サマリー")
    tabs = {raw.title: raw for raw in XlsxBackend(workbook).read().tabs}
    assert tabs["サマリー"].kind == "dialog" and tabs["サマリー"].rows == []
    result = run(load_config(config_file(tmp_path)), RunOptions(as_of=BASELINE_TODAY))
    assert [(c.code, c.tab) for c in result.report.errors] == [("tab_not_ours", "summary")]
    with zipfile.ZipFile(workbook) as archive:
        assert archive.read("xl/dialogsheets/sheet1.xml") == part
    titles = [raw.title for raw in XlsxBackend(workbook).read().tabs]
    assert titles.count("サマリー") == 1 and {"チェック", "ログ"} <= set(titles)
