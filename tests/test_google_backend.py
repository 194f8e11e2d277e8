"""The Google Sheets backend through the real gspread + google-auth code against the local
emulator: two requests per sync at any size, the same reports as .xlsx, clear messages."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_sync.api import NewClientOrder, new_client, upgrade
from sheets_sync.config import load_config
from sheets_sync.errors import SheetAccessError
from sheets_sync.run.clients import path_for_config
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.words.lang import Lang
from tests.fake_google import FakeGoogle
from tests.fake_google.client import make_service_account_file
from tests.support.google import SERVICE_EMAIL, MakeClient, google_config
from tests.support.words import JAPANESE_PUNCTUATION, shows
from tests.support.workbooks import (
    BASELINE_TODAY,
    EVIDENCE_HEADER,
    Tabs,
    baseline,
    config_file,
    write_xlsx,
)

OPTIONS = RunOptions(as_of=BASELINE_TODAY, no_agenda=True)


def api_calls(server: FakeGoogle) -> list[tuple[str, str]]:
    """(method, path) of every API request, token calls aside."""
    return [(r["method"], r["path"]) for r in server.requests() if r["kind"] == "api"]


def google_client(
    server: FakeGoogle, folder: Path, tabs: Tabs, raw: bool = False, **kwargs: Any
) -> Path:
    """A spreadsheet typed in as staff would (USER_ENTERED), or stored as text (raw)."""
    make_service_account_file(folder / "key.json", server.token_uri, SERVICE_EMAIL)
    key = server.create_spreadsheet(
        "テスト店",
        tabs,
        shared_with={SERVICE_EMAIL},
        value_input_option="RAW" if raw else "USER_ENTERED",
    )
    return google_config(folder, key, **kwargs)


def with_evidence_rows(count: int) -> Tabs:
    tabs = baseline()
    row = ["2026-11-10", None, "会話", "納得", "それなら安心です", "説明の後", "", "田中"]
    tabs["証拠"] = [EVIDENCE_HEADER] + [list(row) for _ in range(count)]
    return tabs


@pytest.mark.parametrize("rows", [10, 10_000])
def test_a_sync_costs_one_read_and_one_write_whatever_the_size(
    google_env: FakeGoogle, tmp_path: Path, rows: int
) -> None:
    """Exactly spreadsheets.get + spreadsheets:batchUpdate (token calls aside), at 10 and at
    10,000 evidence rows; an unchanged second sync costs the same."""
    config = load_config(google_client(google_env, tmp_path, with_evidence_rows(rows)))
    google_env.reset_requests()
    result = run(config, OPTIONS)
    assert len(result.report.evidence_items) == rows
    key = config.sheet.spreadsheet.split("/d/")[1].split("/")[0]  # type: ignore[union-attr]
    expected = [("GET", f"/v4/spreadsheets/{key}"), ("POST", f"/v4/spreadsheets/{key}:batchUpdate")]
    assert api_calls(google_env) == expected
    google_env.reset_requests()
    run(config, OPTIONS)
    assert api_calls(google_env) == expected


SCENARIOS: dict[str, Tabs] = {"valid": baseline()}
_bad = baseline()
_bad["KPI記録"][1][2] = "たくさん"
_bad["KPI"].append(["K1", "コピー", "結果", "上がる", "", None, "", "", ""])
_bad["証拠"].append(["2026-11-12", 9, "会話", "迷子", "", "", "", ""])
_bad["サイクル"].append([3, "2026-11-15", "", "", "", "", "", "計画", ""])
SCENARIOS["errors"] = _bad
_english = {"KPIs": baseline()["KPI"], "Cycles": baseline()["サイクル"],
            "KPI values": baseline()["KPI記録"], "Evidence": baseline()["証拠"]}  # fmt: skip
SCENARIOS["english titles"] = _english


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_both_backends_give_equal_reports(
    google_env: FakeGoogle, tmp_path: Path, name: str
) -> None:
    """The same sheet on .xlsx and on Google gives the same JSON report (time stamps aside)."""
    (tmp_path / "x").mkdir()
    (tmp_path / "g").mkdir()
    write_xlsx(tmp_path / "x" / "book.xlsx", SCENARIOS[name])
    reports = []
    for config_path in (config_file(tmp_path / "x"), google_client(google_env, tmp_path / "g",
                                                                   SCENARIOS[name])):  # fmt: skip
        report = run(load_config(config_path), OPTIONS).report.to_json()
        report.pop("generated_at")
        reports.append(report)
    assert reports[0] == reports[1]
    if name == "errors":
        assert {c["code"] for c in reports[0]["checks"]} >= {
            "not_a_number", "duplicate_id", "unknown_choice", "required",
            "overlapping_cycles",
        }  # fmt: skip


def test_the_scenarios_run_on_every_backend(make_client: MakeClient) -> None:
    """The parametrised backend fixture: a sync writes Summary, Checks and Log on each."""
    result = run(load_config(make_client(baseline())), OPTIONS)
    assert result.wrote and result.report.review_cycle == 1 and result.report.errors == []


def test_generated_tabs_are_text_with_our_own_sparkline_only(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """Staff text is stringValue, the trend is a SPARKLINE formula we built, links use gids."""
    tabs = baseline()
    tabs["サイクル"][2][3] = "=1+1 のつもり"  # typed as text (e.g. with a leading apostrophe)
    config = load_config(
        google_client(google_env, tmp_path, tabs, raw=True, client="=HYPERLINK(1)")
    )
    run(config, OPTIONS)
    key = config.sheet.spreadsheet.split("/d/")[1].split("/")[0]  # type: ignore[union-attr]
    grid = google_env.metadata(key, include_grid=True)
    summary = next(s for s in grid["sheets"] if s["properties"]["title"] == "サマリー")
    cells = [c for block in summary["data"] for row in block.get("rowData", [])
             for c in row.get("values", []) if c.get("userEnteredValue")]  # fmt: skip
    formulas = [c["userEnteredValue"]["formulaValue"] for c in cells
                if "formulaValue" in c["userEnteredValue"]]  # fmt: skip
    assert formulas and all(f.startswith("=SPARKLINE({") for f in formulas)
    strings = [c["userEnteredValue"].get("stringValue") for c in cells]
    assert "=1+1 のつもり" in strings and "=HYPERLINK(1) — KPIサマリー" in strings


def test_a_sheet_not_shared_names_the_service_account(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """403: the message names the service account's e-mail and how to share (exit 3)."""
    make_service_account_file(tmp_path / "key.json", google_env.token_uri, SERVICE_EMAIL)
    key = google_env.create_spreadsheet("t", baseline(), shared_with={"someone@example.jp"})
    with pytest.raises(SheetAccessError) as raised:
        run(load_config(google_config(tmp_path, key)), OPTIONS)
    assert raised.value.exit_code == 3 and raised.value.key == "google_not_shared"
    assert SERVICE_EMAIL in str(raised.value) and "「共有」" in str(raised.value)
    assert "Share → add" in raised.value.render("en")


@pytest.mark.parametrize("language", ["ja", "en"])
def test_a_refusal_from_google_is_told_in_the_clients_language(
    google_env: FakeGoogle, tmp_path: Path, language: Lang
) -> None:
    """The same 403 read by a Japanese client and by an English one: each reads it in their
    own language (the sheet, the account to share it with), the English with no Japanese
    punctuation."""
    make_service_account_file(tmp_path / "key.json", google_env.token_uri, SERVICE_EMAIL)
    key = google_env.create_spreadsheet("t", baseline(), shared_with={"someone@example.jp"})
    with pytest.raises(SheetAccessError) as raised:
        run(load_config(google_config(tmp_path, key, language=language)), OPTIONS)
    message = str(raised.value)
    assert shows(message, "error.google_not_shared", language)
    assert key in message and SERVICE_EMAIL in message
    if language == "en":
        assert not any(mark in message for mark in JAPANESE_PUNCTUATION)
    else:
        assert not shows(message, "error.google_not_shared", "en")


def test_an_unknown_spreadsheet_says_to_check_the_id(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """404: spreadsheet not found, pointing at sheet.spreadsheet."""
    make_service_account_file(tmp_path / "key.json", google_env.token_uri, SERVICE_EMAIL)
    with pytest.raises(SheetAccessError, match=r"sheet\.spreadsheet") as raised:
        run(load_config(google_config(tmp_path, "no-such-spreadsheet-id")), OPTIONS)
    assert raised.value.key == "google_sheet_not_found"


def test_a_disabled_api_says_to_enable_it(google_env: FakeGoogle, tmp_path: Path) -> None:
    """403 SERVICE_DISABLED: the message says to enable the Sheets API."""
    config = load_config(google_client(google_env, tmp_path, baseline()))
    google_env.set_faults({"status": 403, "count": 1, "message": "Google Sheets API has not "
                           "been used in project 123 before or it is disabled."})  # fmt: skip
    with pytest.raises(SheetAccessError) as raised:
        run(config, OPTIONS)
    assert shows(str(raised.value), "error.google_api_disabled", "ja")
    assert "has not been used in project 123" in str(raised.value)  # Google's own words


@pytest.mark.parametrize("content", ["{not json", '{"type": "service_account"}'])
def test_a_bad_key_file_is_a_clear_error(google_env: FakeGoogle, tmp_path: Path,
                                         content: str) -> None:  # fmt: skip
    """A broken or incomplete key file: exit 3 with how to get a new key, no traceback."""
    (tmp_path / "key.json").write_text(content)
    key = google_env.create_spreadsheet("t", baseline(), shared_with={SERVICE_EMAIL})
    with pytest.raises(SheetAccessError) as raised:
        run(load_config(google_config(tmp_path, key)), OPTIONS)
    assert raised.value.key == "google_key_unusable"
    assert "not a usable service-account key" in raised.value.render("en")


def test_a_revoked_key_is_a_clear_error(google_env: FakeGoogle, tmp_path: Path) -> None:
    """The token endpoint refusing the key: exit 3, saying the key may have been revoked."""
    config = load_config(google_client(google_env, tmp_path, baseline()))
    google_env.set_faults({"status": 400, "count": 1, "include_token": True,
                           "path_contains": "/token"})  # fmt: skip
    with pytest.raises(SheetAccessError) as raised:
        run(config, OPTIONS)
    assert raised.value.key == "google_key_refused"
    assert shows(str(raised.value), "error.google_key_refused", "ja")
    assert "revoked" in raised.value.render("en")


def test_new_client_on_google_builds_the_template_and_shares(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """new-client --backend google: tabs, headers, drop-downs, frozen rows, warning-only
    protection on generated tabs, shared with --share, config written; then it syncs."""
    key_file = make_service_account_file(tmp_path / "key.json", google_env.token_uri,
                                         SERVICE_EMAIL)  # fmt: skip
    order = NewClientOrder("さくら珈琲", "ja", tmp_path / "clients", backend="google",
                           share=("owner@example.jp",), sample=True,
                           credentials=key_file)  # fmt: skip
    made = new_client(order)
    key = made.workbook.split("/d/")[1].split("/")[0]
    assert google_env.sheet_titles(key) == ["サマリー", "KPI", "サイクル", "KPI記録", "証拠",
                                            "チェック", "ログ"]  # fmt: skip
    meta = google_env.metadata(key, include_grid=True)
    sheets = {s["properties"]["title"]: s for s in meta["sheets"]}
    assert sheets["証拠"]["properties"]["gridProperties"]["frozenRowCount"] == 1
    assert all(p["warningOnly"] for t in ("サマリー", "チェック", "ログ")
               for p in sheets[t]["protectedRanges"])  # fmt: skip
    assert google_env.values(key, "証拠")[0][3] == "サイン"
    signal = google_env.cell(key, "'証拠'!D2")
    assert signal["dataValidation"]["condition"]["type"] == "ONE_OF_LIST"
    config = load_config(made.config_path)
    result = run(config, RunOptions(no_agenda=True))
    assert result.report.errors == []


def test_upgrade_adds_a_missing_column_and_touches_no_data(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """upgrade: a deleted optional column (記録者) comes back; the data stays as it was."""
    tabs = baseline()
    tabs["証拠"] = [row[:7] for row in tabs["証拠"]]
    config_path = google_client(google_env, tmp_path, tabs)
    key = load_config(config_path).sheet.spreadsheet.split("/d/")[1].split("/")[0]  # type: ignore[union-attr]
    before = google_env.values(key, "証拠")
    added = upgrade(config_path)
    assert "証拠!記録者" in added
    after = google_env.values(key, "証拠")
    assert after[0][-1] == "記録者" and [r[:7] for r in after[1:]] == [r[:7] for r in before[1:]]
    assert upgrade(config_path) == []


def test_xlsx_upgrade_adds_missing_tabs_and_columns(tmp_path: Path) -> None:
    """The .xlsx template upgrade: a missing Log tab and a missing column are added, and the
    upgraded workbook syncs cleanly: on a pinned clock (no --as-of) the run's day is the
    clock's day in the client's zone and its Log row carries the clock's time."""

    tabs = baseline()
    tabs["KPI"] = [row[:8] for row in tabs["KPI"]]
    write_xlsx(tmp_path / "book.xlsx", tabs)
    config_path = config_file(tmp_path)
    added = upgrade(config_path)
    assert "KPI!使う" in added and "ログ" in added
    book = load_workbook(tmp_path / "book.xlsx")
    assert book["KPI"]["I1"].value == "使う" and book["KPI"]["A2"].value == "K1"

    config = load_config(config_path)
    clock = datetime(2026, 11, 19, 23, 30, tzinfo=UTC)  # 2026-11-20 08:30 in Tokyo
    result = run(config, RunOptions(no_agenda=True), now=clock)
    assert str(config.tz) == "Asia/Tokyo" and result.report.as_of == BASELINE_TODAY
    assert result.report.generated_at == clock and result.report.errors == []
    log = load_workbook(tmp_path / "book.xlsx")["ログ"]
    assert [row[0] for row in log.iter_rows(min_row=2, values_only=True)] == [clock.isoformat()]


def test_config_paths_are_relative_to_the_config_file(tmp_path: Path) -> None:
    """new-client writes paths the way a config reads them: relative to the config's folder
    when inside it (a key given relative to the current directory still resolves), else
    absolute."""
    clients = tmp_path / "config" / "clients"
    clients.mkdir(parents=True)
    assert path_for_config(clients / "service-account.json", clients) == "service-account.json"
    outside = tmp_path / "keys" / "key.json"
    assert path_for_config(outside, clients) == str(outside)


def test_new_client_from_a_template_copies_it(google_env: FakeGoogle, tmp_path: Path) -> None:
    """new-client --from-template ID: a consultant's template is copied (tabs and headers
    included), shared, and the copy syncs."""
    key_file = make_service_account_file(tmp_path / "key.json", google_env.token_uri,
                                         SERVICE_EMAIL)  # fmt: skip
    template = new_client(NewClientOrder("テンプレート", "ja", tmp_path / "t", backend="google",
                                         credentials=key_file, empty=True))  # fmt: skip
    template_id = template.workbook.split("/d/")[1].split("/")[0]
    order = NewClientOrder("ひまわり美容室", "ja", tmp_path / "clients", backend="google",
                           from_template=template.workbook, share=("owner@example.jp",),
                           credentials=key_file)  # fmt: skip
    made = new_client(order)
    copy_id = made.workbook.split("/d/")[1].split("/")[0]
    assert copy_id != template_id
    assert google_env.sheet_titles(copy_id) == google_env.sheet_titles(template_id)
    assert google_env.values(copy_id, "KPI")[0][:3] == ["ID", "KPI名", "層"]
    result = run(load_config(made.config_path), RunOptions(no_agenda=True))
    assert result.wrote and {c.code for c in result.report.checks} >= {"too_few_kpis"}
