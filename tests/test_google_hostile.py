"""The Google backend against a hostile staff member and a hostile machine, through the real
gspread + google-auth code and the emulator: a key file that is not a key, a generated tab staff
reshaped in the Sheets UI, a cell showing a formula error. Never a traceback, always the exit code
the spec gives, and words that name what to fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from sheets_sync.backends.google_http import RetryingHTTPClient
from sheets_sync.cli import main
from sheets_sync.errors import EXIT_SHEET
from tests.fake_google import FakeGoogle, seed
from tests.fake_google.client import emulator_client, make_service_account_file
from tests.support.google import SERVICE_EMAIL, google_config
from tests.support.words import shows
from tests.support.workbooks import BASELINE_TODAY, Tabs, baseline


def _client(server: FakeGoogle, folder: Path, tabs: Tabs | None = None) -> tuple[Path, str]:
    """A config for a spreadsheet of `tabs` (the baseline) shared with the service account."""
    make_service_account_file(folder / "key.json", server.token_uri, SERVICE_EMAIL)
    key = server.create_spreadsheet("テスト店", tabs or baseline(), shared_with={SERVICE_EMAIL})
    return google_config(folder, key), key


def _sync(config: Path, *extra: str) -> Result:
    return CliRunner().invoke(
        main,
        ["sync", "--config", str(config), "--no-agenda", "--as-of", str(BASELINE_TODAY), *extra],
    )


def _staff_update(server: FakeGoogle, folder: Path, key: str, *requests: dict[str, Any]) -> None:
    """A change staff make in the Sheets UI (a batchUpdate as their own session would send)."""
    client = emulator_client(server.host_port, folder / "key.json")
    client.open_by_key(key).batch_update({"requests": list(requests)})


def _sheet_id(server: FakeGoogle, key: str, title: str) -> int:
    sheets = server.metadata(key)["sheets"]
    return next(
        int(s["properties"]["sheetId"]) for s in sheets if s["properties"]["title"] == title
    )


# -- the key file ------------------------------------------------------------------------------
@pytest.mark.parametrize("content", ["[]", '"service_account"', "null", "42"])
def test_a_key_file_of_json_that_is_no_object_is_exit_3_naming_the_file(
    google_env: FakeGoogle, tmp_path: Path, content: str
) -> None:
    """A key file holding JSON but not a JSON object (a pasted list, a bare string): the same
    "not a usable service-account key" as any broken key, exit 3 — not an unexpected error."""
    config, _ = _client(google_env, tmp_path)
    (tmp_path / "key.json").write_text(content, encoding="utf-8")
    result = _sync(config)
    assert result.exit_code == EXIT_SHEET, result.output
    assert shows(result.output, "error.google_key_unusable", "ja")
    assert "key.json" in result.output
    assert "unexpected" not in result.output and "AttributeError" not in result.output


def test_a_key_path_that_is_a_folder_is_exit_3_saying_it_cannot_be_read(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """credentials = a folder (or a file the job's user may not read): exit 3, naming the path
    and saying it cannot be read — not an unexpected error, not "download a new key"."""
    config, _ = _client(google_env, tmp_path)
    (tmp_path / "key.json").unlink()
    (tmp_path / "key.json").mkdir()
    result = _sync(config)
    assert result.exit_code == EXIT_SHEET, result.output
    assert shows(result.output, "error.google_key_unreadable", "ja")
    assert "key.json" in result.output
    assert "unexpected" not in result.output


def test_a_key_file_saved_with_a_bom_is_read(google_env: FakeGoogle, tmp_path: Path) -> None:
    """A key opened and saved in Windows Notepad starts with a BOM; the config may too, and is
    read: so is the key."""
    config, _ = _client(google_env, tmp_path)
    info = json.loads((tmp_path / "key.json").read_text(encoding="utf-8"))
    (tmp_path / "key.json").write_bytes(b"\xef\xbb\xbf" + json.dumps(info).encode("utf-8"))
    result = _sync(config)
    assert result.exit_code == 0, result.output


# -- generated tabs staff reshaped -------------------------------------------------------------
@pytest.mark.parametrize("title", ["チェック", "ログ", "サマリー"])
def test_columns_staff_froze_on_a_widened_generated_tab_never_block_the_write(
    google_env: FakeGoogle, tmp_path: Path, title: str
) -> None:
    """Staff add columns to a generated tab and freeze past its width: the write narrows the
    tab, which Google refuses while more columns are frozen than remain. The sync unfreezes
    the columns of its own tab instead of failing every run with a 400."""
    config, key = _client(google_env, tmp_path)
    assert _sync(config).exit_code == 0
    sheet_id = _sheet_id(google_env, key, title)
    columns = google_env.metadata(key)["sheets"]
    width = next(
        s["properties"]["gridProperties"]["columnCount"]
        for s in columns
        if s["properties"]["sheetId"] == sheet_id
    )
    _staff_update(
        google_env,
        tmp_path,
        key,
        {"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": 5}},
        {
            "updateSheetProperties": {
                "properties": {
                    "sheetId": sheet_id,
                    "gridProperties": {"frozenColumnCount": width + 2},
                },
                "fields": "gridProperties.frozenColumnCount",
            }
        },
    )
    result = _sync(config)
    assert result.exit_code == 0, result.output
    syncs = [row for row in google_env.values(key, "ログ")[1:] if row[1:3] == ["更新", "完了"]]
    assert len(syncs) == 2  # both runs logged: the second one wrote


# -- cells showing a formula's error ------------------------------------------------------------
def _error_cell(server: FakeGoogle, key: str, title: str, row: int, column: int, kind: str) -> None:
    """A cell whose formula fails (=IMPORTRANGE before access is granted, a #REF! after a
    deleted tab): Google's effectiveValue is an errorValue of that type."""
    with server.app.store.lock:
        sheet = seed.spreadsheet(server.app.store, key).sheet_by_title(title)
        assert sheet is not None
        error = {"type": kind, "message": "…"}
        sheet.set_cell(row, column, {"userEnteredValue": {"errorValue": error}})


@pytest.mark.parametrize(
    ("kind", "shown"),
    [("REF", "#REF!"), ("N_A", "#N/A"), ("DIVIDE_BY_ZERO", "#DIV/0!"), ("NAME", "#NAME?")],
)
def test_a_value_cell_showing_a_formula_error_is_named_as_the_sheet_shows_it(
    google_env: FakeGoogle, tmp_path: Path, kind: str, shown: str
) -> None:
    """The Checks tab's "value as typed" is what staff see in the cell (#REF!, #N/A …), as an
    .xlsx file's cached error reads — never a made-up #ERROR! they cannot find."""
    config, key = _client(google_env, tmp_path)
    _error_cell(google_env, key, "KPI記録", 2, 2, kind)  # C3: the value of cycle 2's K3
    assert _sync(config).exit_code == 0
    checks = google_env.values(key, "チェック")[1:]
    row = next(r for r in checks if r[1] == "KPI記録")
    assert row[2:5] == [3, "値", shown]


# -- a sheet of 40,000 bad rows --------------------------------------------------------------------
GOOGLE_PAYLOAD_LIMIT = 10_485_760  # bytes: Google answers 400 to a larger request body


def test_40000_bad_rows_still_write_in_one_request_google_accepts(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """Staff paste 40,000 rows that all fail a check: the write stays one batchUpdate, and one
    small enough for Google (its body limit is 10 MiB; 40,000 Checks rows made 80 MB, a 400
    on every run). The Checks tab lists the first checks and says how many more there are;
    a pasted value of 20,000 characters is shown shortened."""
    tabs = baseline()
    row = ["2026-11-10", None, "会話", "迷子", "それなら安心です", "説明の後", "", "田中"]
    tabs["証拠"] = [tabs["証拠"][0]] + [list(row) for _ in range(40_000)]
    tabs["証拠"][1][3] = "迷子" * 10_000  # one value pasted 10,000 times over
    config, key = _client(google_env, tmp_path, tabs)
    google_env.reset_requests()
    sizes: list[int] = []
    original = RetryingHTTPClient.request

    def measured(self: RetryingHTTPClient, method: str, endpoint: str, **kwargs: Any) -> Any:
        if kwargs.get("json") is not None:
            sizes.append(len(json.dumps(kwargs["json"]).encode("utf-8")))
        return original(self, method, endpoint, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(RetryingHTTPClient, "request", measured)
        result = _sync(config, "--report", str(tmp_path / "report.json"))
    assert result.exit_code == 0, result.output
    writes = [r for r in google_env.requests("api") if r["path"].endswith(":batchUpdate")]
    assert len(writes) == 1 and len(sizes) == 1
    assert sizes[0] < GOOGLE_PAYLOAD_LIMIT / 2, sizes[0]
    checks = google_env.values(key, "チェック")
    assert len(checks) < 1_100
    assert shows(str(checks[-1][0]), "summary.checks_more", "ja")
    assert max(len(str(value)) for line in checks for value in line) < 1_000
    report = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert len([c for c in report["checks"] if c["code"] == "unknown_choice"]) == 40_000
