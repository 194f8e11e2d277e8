"""The sync writes only the tabs it can prove are its own, reads input tabs unambiguously, and
never writes over staff's tabs or files: the same scenarios on .xlsx files and on Google."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sheets_sync.api import NewClientOrder, new_client
from sheets_sync.backends import open_backend
from sheets_sync.backends.google import MARKER_KEY
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.core.validate import validate
from sheets_sync.run.doctor import diagnose
from sheets_sync.run.locking import client_lock
from sheets_sync.run.sync import RunOptions
from sheets_sync.sheet.ownership import NotOurs, decide, is_our_layout
from sheets_sync.sheet.schema import CHECKS_COLUMNS
from sheets_sync.sheet.tabs import RawCell, RawTab, Snapshot
from sheets_sync.words.core import in_language
from tests.fake_google import FakeGoogle
from tests.support.books import (
    CHECKS_JA,
    DUE_DAY,
    LOG_JA,
    Book,
    codes,
    sent_mails,
    staff_renames,
    with_tabs,
)
from tests.support.words import shows
from tests.support.workbooks import (
    BASELINE_TODAY,
    Tabs,
    baseline,
    config_file,
    snapshot,
    write_xlsx,
)

STAFF_TABS: Tabs = {
    "チェック(開店前)": [
        ["開店前チェック", "担当"],
        ["床の掃除", "佐藤"],
        ["レジの釣り銭", "田中"],
    ],
    "サマリー (2)": [["テスト店 — 先月のまとめ"], ["売上", 120], ["客数", 45]],
    " ログ2": [
        ["日時", "内容", "結果", "サイクル", "詳細"],
        ["2026-11-20", "agenda", "sent", 2, "x"],
    ],
}


@pytest.fixture(params=["xlsx", "google"])
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Book:
    if request.param == "xlsx":
        return Book("xlsx", tmp_path)
    return Book("google", tmp_path, request.getfixturevalue("google_env"))


# -- generated tabs: ownership ------------------------------------------------------------------
def test_lookalike_tabs_are_staffs_and_stay_untouched(book: Book) -> None:
    """`チェック(開店前)`, `サマリー (2)` and ` ログ2` only resemble generated titles: after two
    syncs their cells are exactly as staff left them, and the sync made its own three tabs."""
    book.make(with_tabs(STAFF_TABS, before=True))
    before = {title: book.values(title) for title in STAFF_TABS}
    book.sync()
    result = book.sync()
    assert {title: book.values(title) for title in STAFF_TABS} == before
    assert {"サマリー", "チェック", "ログ"} <= set(book.titles())
    assert book.values("チェック")[0][:4] == CHECKS_JA[:4]
    assert codes(result, "tab_not_ours") == []


def test_a_tab_with_the_log_header_counts_as_past_sends_under_any_title(book: Book) -> None:
    """` ログ2` has the Log's header and a row "agenda sent for cycle 2". A tab laid out as the
    Log counts as past sends whatever its title (a LibreOffice save drops the marker, and staff
    may then rename the Log to anything), so the agenda is not sent again; the tab is never
    written. (Before issue 17 only a title resembling ログ counted, and the agenda went out.)"""
    book.make(with_tabs(STAFF_TABS))
    before = book.values(" ログ2")
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to is None and result.exit_code == 0
    assert shows(result.agenda_skipped, "run.skip_already_sent", "ja")
    assert sent_mails(book) == 0
    assert book.values(" ログ2") == before


def test_a_staff_tab_with_a_generated_title_is_tab_not_ours_and_never_written(book: Book) -> None:
    """A staff tab called exactly チェック (no marker, not our layout): a `tab_not_ours` error
    that says how to rename it, its cells untouched; Summary and Log are still written."""
    staff = {"チェック": [["開店前チェック", "担当"], ["床の掃除", "佐藤"]]}
    book.make(with_tabs(staff))
    result = book.sync()
    found = codes(result, "tab_not_ours")
    assert [(c.severity, c.tab, c.value) for c in found] == [("error", "checks", "チェック")]
    assert "名前を変えて" in found[0].message
    assert book.values("チェック") == staff["チェック"]
    assert book.values("サマリー")[0][0].endswith("KPIサマリー")
    assert book.values("ログ")[0] == LOG_JA
    assert book.sync().report.checks == result.report.checks  # the same, run after run


def test_tab_not_ours_message_in_english(book: Book) -> None:
    """An English client gets the rename hint in English."""
    book.make(with_tabs({"Checks": [["Opening checklist"], ["Mop the floor"]]}), language="en")
    found = codes(book.sync(), "tab_not_ours")
    assert len(found) == 1 and 'rename it (e.g. "Checks (notes)")' in found[0].message


def test_tabs_the_sync_made_are_its_own_on_the_next_runs(book: Book) -> None:
    """Clean case: a fresh workbook gets three generated tabs, and later syncs rewrite them
    without any tab_not_ours (Google: each carries the marker)."""
    book.make(baseline())
    first = book.sync()
    second = book.sync()
    assert codes(first, "tab_not_ours") == codes(second, "tab_not_ours") == []
    assert book.titles().count("チェック") == 1
    if book.server is not None:
        markers = book.markers()
        assert markers["サマリー"] == ["summary"] and markers["チェック"] == ["checks"]
        assert markers["ログ"] == ["log"] and markers["KPI"] == []


def test_a_workbook_from_an_earlier_version_syncs_and_gets_marked(book: Book) -> None:
    """Generated tabs without the marker but in the sync's own layout (an earlier version's
    workbook, titles with stray spaces too) are recognised, rewritten in place, and their
    Log is read; on Google they carry the marker after that one write."""
    legacy: Tabs = {
        "サマリー": [["テスト店 — KPIサマリー"], ["データ: 2026-11-19 時点"]],
        "チェック ": [CHECKS_JA, ["エラー", "KPI記録", 3, "値", "x", "古いチェック"]],
        "ログ": [LOG_JA, ["2026-11-21T09:00:00+09:00", "agenda", "sent", 2, "outbox/a.eml"]],
    }
    book.make(with_tabs(legacy))
    if book.server is not None:
        book.server.reset_requests()
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert codes(result, "tab_not_ours") == []
    assert result.agenda_sent_to is None
    assert shows(result.agenda_skipped, "run.skip_already_sent", "ja")
    assert book.titles().count("チェック ") == 1 and "チェック" not in book.titles()
    assert book.values("チェック ")[1][-1] != "古いチェック"
    log = book.values("ログ")
    # the old row (written as agenda/sent) was read back and is now shown in Japanese
    assert log[1][1:3] == ["アジェンダ", "送信済み"] and len(log) == 3
    if book.server is not None:
        api = [r["method"] for r in book.server.requests() if r["kind"] == "api"]
        assert api == ["GET", "POST"]  # still one read and one write
        markers = book.markers()
        assert markers["サマリー"] == ["summary"] and markers["チェック "] == ["checks"]
        assert markers["ログ"] == ["log"]


def test_when_the_log_is_not_ours_no_agenda_is_sent(book: Book) -> None:
    """A staff tab called ログ: the sync cannot record a send, so it sends nothing (else
    every run would resend), says why, exit 4; the other tabs are still written."""
    staff: Tabs = {"ログ": [["買い出しメモ"], ["牛乳", 2]]}
    book.make(with_tabs(staff))
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to is None and result.exit_code == 4
    assert "「ログ」" in in_language(result.agenda_error, "ja")
    assert not (book.folder / "outbox").exists() or not any((book.folder / "outbox").iterdir())
    assert book.values("ログ") == staff["ログ"]
    assert book.values("サマリー")[0][0].endswith("KPIサマリー")


def test_cli_says_why_the_agenda_was_not_sent_when_the_log_is_not_ours(tmp_path: Path) -> None:
    """`sync` on the due day with a staff Log tab: exit 4 and the message names the tab."""
    write_xlsx(tmp_path / "book.xlsx", with_tabs({"Log": [["shopping"], ["milk"]]}))
    config = config_file(tmp_path, language="en")
    result = invoke("sync", "--config", str(config), "--as-of", DUE_DAY.isoformat())
    assert result.exit_code == 4, result.output
    assert 'the tab "Log" was not made by sheets-sync' in result.output
    assert not (tmp_path / "outbox").exists()


def test_renaming_the_log_never_sends_the_same_agenda_again(book: Book) -> None:
    """Staff rename ログ to ログ(11月まで) to keep an old copy: the next sync makes a new ログ but
    reads the renamed tab's sends (it carries the Log's marker), so no second mail; the renamed
    tab is left exactly as it was."""
    book.make(baseline())
    first = book.sync(RunOptions(as_of=DUE_DAY))
    assert first.agenda_sent_to and sent_mails(book) == 1
    staff_renames(book, "ログ", "ログ(11月まで)")
    kept = book.values("ログ(11月まで)")
    second = book.sync(RunOptions(as_of=DUE_DAY))
    assert second.agenda_sent_to is None
    assert shows(second.agenda_skipped, "run.skip_already_sent", "ja")
    assert sent_mails(book) == 1
    assert book.values("ログ(11月まで)") == kept
    assert book.values("ログ")[0] == LOG_JA and "ログ(11月まで)" in book.titles()
    third = book.sync(RunOptions(as_of=DUE_DAY))  # and again, with two Log tabs now
    assert third.agenda_sent_to is None and sent_mails(book) == 1


def test_a_renamed_log_without_its_marker_still_counts_by_title_and_layout(book: Book) -> None:
    """A copy of an earlier version's Log (no marker) kept as `ログ (古い)`: its title resembles
    the Log's and its header is the Log's, so the cycle it records as sent is not sent again,
    and the tab is never written."""
    old: dict[str, list[list[Any]]] = {
        "ログ (古い)": [LOG_JA, ["2026-11-21T09:00:00+09:00", "agenda", "sent", 2, "a.eml"]]
    }
    book.make(with_tabs(old))
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to is None
    assert shows(result.agenda_skipped, "run.skip_already_sent", "ja")
    assert sent_mails(book) == 0
    assert book.values("ログ (古い)") == old["ログ (古い)"]
    assert "ログ" in book.titles()


def test_a_resembling_title_without_the_log_header_is_not_read_for_sends(book: Book) -> None:
    """`ログ(メモ)` resembles the Log's title but has staff's own header: not a past Log, so
    the due agenda is sent."""
    memo: dict[str, list[list[Any]]] = {
        "ログ(メモ)": [["日時", "やること"], ["2026-11-21", "agenda", "sent", 2]]
    }
    book.make(with_tabs(memo))
    result = book.sync(RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to and sent_mails(book) == 1


# -- input tabs: unambiguous reading ------------------------------------------------------------
def test_an_exact_title_beats_an_earlier_lookalike_copy(book: Book) -> None:
    """`KPI記録 (2)` before `KPI記録`: the original is read; an `ambiguous_tab` warning names
    both and says the exact title won."""
    copy_ = [row[:] for row in baseline()["KPI記録"]]
    copy_[1][2] = 999
    book.make(with_tabs({"KPI記録 (2)": copy_}, before=True))
    result = book.sync()
    read = [v["value"] for kpi in result.report.kpis for v in kpi["values"]]
    assert read and 999 not in read
    found = codes(result, "ambiguous_tab")
    assert [(c.severity, c.tab) for c in found] == [("warning", "values")]
    assert "「KPI記録 (2)」" in found[
        0
    ].message and "名前が完全に一致する「KPI記録」を読みました" in (found[0].message)


def test_among_equal_candidates_the_first_is_read_and_said_plainly() -> None:
    """Two look-alikes and no exact title: the first in the tab order is read and the
    warning says so."""
    tabs = baseline()
    rows = tabs.pop("KPI記録")
    odd = [row[:] for row in rows]
    odd[1][2] = 999
    tabs = {"KPI記録(旧)": odd, **tabs, "KPI記録 (2)": rows}
    book_ = validate(snapshot(tabs), "en", BASELINE_TODAY)
    found = [c for c in book_.checks if c.code == "ambiguous_tab"]
    assert len(found) == 1
    assert '"KPI記録(旧)" was read (both names match equally, so the first in the tab order)' in (
        found[0].message
    )
    assert 999 in [v.value for v in book_.values]


def test_no_ambiguous_tab_or_duplicate_column_for_a_plain_workbook(book: Book) -> None:
    """Clean case on both backends: the baseline gives neither warning nor error."""
    book.make(baseline())
    result = book.sync()
    assert codes(result, "ambiguous_tab") == codes(result, "duplicate_column") == []


def test_two_columns_for_one_header_are_duplicate_column_and_the_tab_is_skipped(
    book: Book,
) -> None:
    """A second 値 column to the left: a `duplicate_column` error naming both columns (letter
    and header); no KPI value is read from that tab, the other tabs still are."""
    tabs = baseline()
    rows = tabs["KPI記録"]
    tabs["KPI記録"] = [[*row[:2], "値" if i == 0 else 1, *row[2:]] for i, row in enumerate(rows)]
    book.make(tabs)
    result = book.sync()
    found = codes(result, "duplicate_column")
    assert [(c.severity, c.tab, c.row, c.column) for c in found] == [
        ("error", "values", 1, "value")
    ]
    assert "C (値)" in found[0].message and "D (値)" in found[0].message
    assert all(not kpi["values"] for kpi in result.report.kpis if kpi["auto"] is None)
    assert len(result.report.evidence_items) == 4  # the baseline has 4 evidence rows


# -- ownership decisions (pure) -----------------------------------------------------------------
def _raw(title: str, rows: list[list[Any]], marker: str | None = None, **facts: Any) -> RawTab:
    cells = [[RawCell(v) for v in row] for row in rows]
    return RawTab(title, cells, owned=marker is not None, marker=marker, **facts)


def test_decide_prefers_the_marked_tab_then_our_layout_and_never_a_lookalike() -> None:
    """Marked beats legacy layout; a look-alike is not even a candidate; no exact title
    means create."""
    shot = Snapshot(
        [
            _raw("チェック(開店前)", [["床"]]),
            _raw("Checks", [CHECKS_JA]),
            _raw("チェック", [["何か"]], marker="checks"),
            _raw("サマリー (2)", [["テスト店 — KPIサマリー"]]),
            _raw("ログ", [["メモ"]]),
        ]
    )
    decided = decide(shot)
    assert (decided["checks"].action, decided["checks"].title) == ("write", "チェック")
    assert decided["summary"].action == "create"
    assert (decided["log"].action, decided["log"].title) == ("not_ours", "ログ")
    assert decided.not_ours == (NotOurs("log", "ログ", "staff"),)


@pytest.mark.parametrize(
    ("key", "rows", "ours"),
    [
        ("checks", [CHECKS_JA], True),
        ("checks", [[en for _, _, en, _ in CHECKS_COLUMNS]], True),
        ("log", [LOG_JA, ["x", "sync", "ok"]], True),
        ("summary", [["さくら珈琲 — KPIサマリー"]], True),
        ("summary", [["このタブは sheets-sync が同期のたびに書き直します"]], True),
        ("log", [], True),
        ("log", [["日時", "やること"]], False),
        ("summary", [["今月のまとめ"]], False),
        ("checks", [["重要度"], ["床"]], False),
    ],
)
def test_our_layout_is_recognised_and_nothing_else(
    key: str, rows: list[list[Any]], ours: bool
) -> None:
    """Our header rows (either language), the Summary's title, the template's placeholder
    and an empty tab are the sync's; anything else is staff's."""
    assert is_our_layout(key, _raw("x", rows)) is ours


# -- files beside the workbook --------------------------------------------------------------------
def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture
def client(tmp_path: Path) -> Path:
    write_xlsx(tmp_path / "book.xlsx", baseline())
    return config_file(tmp_path)


@pytest.mark.parametrize("command", ["check", "sync"])
@pytest.mark.parametrize("target", ["book.xlsx", "client.toml", "notes.json"])
def test_report_never_overwrites_the_workbook_the_config_or_a_stranger(
    client: Path, command: str, target: str
) -> None:
    """`--report` onto the workbook, the config or any file a report did not write: exit 2
    naming the file, and nothing at all is written (the workbook is not synced either)."""
    (client.parent / "notes.json").write_text('{"mine": true}', encoding="utf-8")
    files = {p.name: p.read_bytes() for p in client.parent.iterdir() if p.is_file()}
    path = client.parent / target
    result = invoke(command, "--config", str(client), "--report", str(path))
    assert result.exit_code == 2, result.output
    assert target in result.output and "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in client.parent.iterdir() if p.is_file()} == files


def test_report_overwrites_its_own_previous_report(client: Path) -> None:
    """A report written by an earlier run is the report's own: it is replaced."""
    path = client.parent / "report.json"
    assert invoke("check", "--config", str(client), "--report", str(path)).exit_code == 0
    path.write_text(path.read_text(encoding="utf-8").replace("テスト店", "古い"), "utf-8")
    assert invoke("check", "--config", str(client), "--report", str(path)).exit_code == 0
    assert "古い" not in path.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".eml", ".html", ".txt"])
def test_agenda_out_replaces_its_own_file_but_never_a_strangers(client: Path, suffix: str) -> None:
    """`agenda --out`: an earlier agenda file is replaced; a staff file of the same name, the
    workbook or the config is refused (exit 2, file unchanged)."""
    out = client.parent / f"agenda{suffix}"
    args = ["agenda", "--config", str(client), "--as-of", DUE_DAY.isoformat(), "--out"]
    assert invoke(*args, str(out)).exit_code == 0
    assert invoke(*args, str(out)).exit_code == 0  # its own file: replaced
    staff = client.parent / f"minutes{suffix}"
    staff.write_text("Subject: 議事録\n\n大事なメモ\n", encoding="utf-8")
    for target in (staff, client, client.parent / "book.xlsx"):
        before = target.read_bytes()
        result = invoke(*args, str(target))
        assert result.exit_code == 2 and target.name in result.output, result.output
        assert target.read_bytes() == before


# -- upgrade -------------------------------------------------------------------------------------
def test_xlsx_upgrade_with_nothing_to_add_writes_nothing(tmp_path: Path) -> None:
    """A workbook already up to date: "already up to date", the file's bytes and mtime are
    unchanged, and no backup is made."""
    made = new_client(NewClientOrder("テスト店", "ja", tmp_path, workbook=tmp_path / "book.xlsx"))
    workbook = tmp_path / "book.xlsx"
    stat, data = workbook.stat(), workbook.read_bytes()
    result = invoke("upgrade", "--config", str(made.config_path))
    assert result.exit_code == 0 and shows(result.output, "run.upgrade_none", "ja"), result.output
    assert workbook.read_bytes() == data and workbook.stat().st_mtime_ns == stat.st_mtime_ns
    assert not (tmp_path / ".sheets-sync-backups").exists()


def test_google_upgrade_with_nothing_to_add_sends_no_batch_update(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """Google: after a first upgrade, a second one reads once and writes nothing."""
    book = Book("google", tmp_path, google_env)
    config = book.make(baseline())
    assert invoke("upgrade", "--config", str(config)).exit_code == 0
    google_env.reset_requests()
    result = invoke("upgrade", "--config", str(config))
    assert result.exit_code == 0 and shows(result.output, "run.upgrade_none", "ja"), result.output
    paths = [r["path"] for r in google_env.requests() if r["kind"] == "api"]
    assert paths and not any("batchUpdate" in path for path in paths)


def test_upgrade_waits_for_no_one_while_a_run_holds_the_lock(book: Book) -> None:
    """`upgrade` takes the client lock: while another run holds it, exit 5, nothing written."""
    config = book.make({k: v for k, v in baseline().items() if k != "証拠"})
    titles = book.titles()
    with client_lock(load_config(config)):
        result = invoke("upgrade", "--config", str(config))
    assert result.exit_code == 5, result.output
    assert book.titles() == titles


def test_upgrade_adds_a_missing_column_to_the_header_under_title_rows(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """Google: the header sits under two title rows; the missing column's header goes into
    that row (not row 1), so the next sync still reads every evidence row."""
    book = Book("google", tmp_path, google_env)
    tabs = baseline()
    tabs["証拠"] = [["証拠の記録"], ["店頭で聞いた一言"]] + [row[:7] for row in tabs["証拠"]]
    config = book.make(tabs)
    assert "証拠!記録者" in invoke("upgrade", "--config", str(config)).output
    rows = book.values("証拠")
    assert rows[0] == ["証拠の記録"] and rows[2][-1] == "記録者" and len(rows[2]) == 8
    result = book.sync()
    assert len(result.report.evidence_items) == 4  # the baseline has 4 evidence rows
    assert codes(result, "duplicate_column") == codes(result, "missing_column") == []


# -- the emulator stores sheet metadata as Google does -------------------------------------------
def test_emulator_keeps_sheet_metadata_under_its_sheet_and_drops_it_with_the_sheet(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """createDeveloperMetadata with `location.sheetId` is listed under that sheet (and only
    there) in spreadsheets.get, and deleteSheet removes it."""
    book = Book("google", tmp_path, google_env)
    book.make(baseline())
    book.sync()
    body = google_env.metadata(book.key)
    assert all(m.get("metadataKey") != MARKER_KEY for m in body.get("developerMetadata", []))
    log = next(s for s in body["sheets"] if s["properties"]["title"] == "ログ")
    meta = log["developerMetadata"][0]
    assert meta["location"] == {"locationType": "SHEET", "sheetId": log["properties"]["sheetId"]}
    backend = _backend_for(book)
    backend._call(
        "post",
        f"https://sheets.googleapis.com/v4/spreadsheets/{book.key}:batchUpdate",
        json={"requests": [{"deleteSheet": {"sheetId": log["properties"]["sheetId"]}}]},
    )
    assert "ログ" not in book.markers()


def _backend_for(book: Book) -> Any:
    assert book.config is not None
    return open_backend(load_config(book.config))


def test_a_title_differing_only_in_case_counts_as_the_generated_title(book: Book) -> None:
    """A staff tab `log` blocks the English Log (the backends refuse two titles differing only
    in case): tab_not_ours, left alone, and the run still writes the other tabs."""
    book.make(with_tabs({"log": [["shopping"], ["milk"]]}), language="en")
    result = book.sync()
    assert [c.value for c in codes(result, "tab_not_ours")] == ["log"]
    assert book.values("log") == [["shopping"], ["milk"]]
    assert "Summary" in book.titles() and "Log" not in book.titles()


def test_doctor_names_a_staff_tab_with_a_generated_title_and_how_to_fix_it(book: Book) -> None:
    """`doctor` on a workbook whose ログ is staff's: ✗ tabs saying the sync never writes it
    and no agenda goes out until it is renamed (exit 1); nothing is written."""
    config = book.make(with_tabs({"ログ": [["買い出しメモ"]]}))
    titles = book.titles()
    failed = [f for f in diagnose(config) if not f.ok and f.area == "tabs"]
    assert len(failed) == 1 and failed[0].exit_code == 1
    assert "'ログ'" in failed[0].message and "no agenda is sent" in failed[0].message
    assert "rename it" in failed[0].fix
    assert book.titles() == titles


def test_doctor_notes_a_legacy_tab_that_will_be_marked(tmp_path: Path) -> None:
    """An earlier version's Checks tab (our header, no marker) is fine: a ✓ line says it will
    be marked at the next sync."""
    write_xlsx(tmp_path / "book.xlsx", with_tabs({"チェック": [CHECKS_JA]}))
    findings = diagnose(config_file(tmp_path))
    assert not [f for f in findings if not f.ok and f.area == "tabs"]
    assert any(f.ok and "'チェック'" in f.message and "marked" in f.message for f in findings)
