"""The local Google emulator (tests/fake_google) driven by the real gspread and google-auth."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gspread
import pytest
import requests
from gspread.exceptions import APIError, SpreadsheetNotFound
from gspread.utils import Dimension, ValueInputOption, ValueRenderOption

from tests.fake_google import FakeGoogle
from tests.fake_google.a1 import A1Error, A1Range, format_range, parse_a1
from tests.fake_google.cells import parse_user_entered
from tests.fake_google.client import (
    DEFAULT_EMAIL,
    emulator_client,
    make_service_account_file,
    mount_emulator,
)
from tests.fake_google.fieldmask import parse_mask, project
from tests.fake_google.numfmt import format_number

SHEETS = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE = "https://www.googleapis.com/drive/v3/files"
# ../shared beside the project (as CI lays it out), unless GSPREAD_CASSETTES says otherwise.
_BESIDE = Path(__file__).resolve().parents[2] / "shared" / "reference" / "gspread-cassettes"
CASSETTES = Path(os.environ.get("GSPREAD_CASSETTES", str(_BESIDE)))
PROJECT_ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def google() -> Iterator[FakeGoogle]:
    """A running emulator, stopped after the test."""
    with FakeGoogle() as server:
        yield server


@pytest.fixture
def sa_file(google: FakeGoogle, tmp_path: Path) -> Path:
    """A service-account JSON whose token_uri is the emulator's /token."""
    return make_service_account_file(tmp_path / "sa.json", google.token_uri)


@pytest.fixture
def gc(google: FakeGoogle, sa_file: Path) -> gspread.Client:
    """A real gspread client whose Google traffic goes to the emulator."""
    return emulator_client(google.host_port, sa_file)


def raw(gc: gspread.Client, method: str, url: str, **kwargs: Any) -> requests.Response:
    """Send a request through gspread's authorised session without raising on errors."""
    response: requests.Response = gc.http_client.session.request(method, url, **kwargs)
    return response


# ----------------------------------------------------------------------------- units

A1_CASES = [
    ("Sheet1!A1:B2", A1Range("Sheet1", 0, 0, 2, 2)),
    ("'サマリー'!A:C", A1Range("サマリー", 0, 0, None, 3)),
    ("'It''s'!1:3", A1Range("It's", 0, 0, 3, None)),
    ("A1", A1Range(None, 0, 0, 1, 1)),
    ("A2:C", A1Range(None, 1, 0, None, 3)),
    ("A:A", A1Range(None, 0, 0, None, 1)),
    ("2:5", A1Range(None, 1, 0, 5, None)),
    ("KPI", A1Range("KPI", 0, 0, None, None, cells=False)),
    ("'週次 KPI'", A1Range("週次 KPI", 0, 0, None, None, cells=False)),
    ("週次 KPI!B2", A1Range("週次 KPI", 1, 1, 2, 2)),
    ("'Log 2024'!$A$1:$C$10", A1Range("Log 2024", 0, 0, 10, 3)),
    ("D4:A1", A1Range(None, 0, 0, 4, 4)),
    ("A1:1", A1Range(None, 0, 0, 1, None)),
    ("'a!b'!C3", A1Range("a!b", 2, 2, 3, 3)),
]


@pytest.mark.parametrize(("text", "expected"), A1_CASES)
def test_a1_parser(text: str, expected: A1Range) -> None:
    """A1 notation parses into 0-based, end-exclusive bounds with open ends as None."""
    assert parse_a1(text) == expected


@pytest.mark.parametrize("text", ["", "'unterminated", "Sheet1!", "Sheet1!A0"])
def test_a1_parser_rejects(text: str) -> None:
    """Malformed ranges raise A1Error."""
    with pytest.raises(A1Error):
        parse_a1(text)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (("Sheet1", 0, 0, 1, 1), "Sheet1!A1"),
        (("Sheet1", 0, 0, 1000, 26), "Sheet1!A1:Z1000"),
        (("D3", 0, 0, 4, 4), "'D3'!A1:D4"),
        (("サマリー", 1, 0, 3, 2), "'サマリー'!A2:B3"),
        (("It's", 0, 26, 2, 28), "'It''s'!AA1:AB2"),
    ],
)
def test_format_range_quotes_like_sheets(args: tuple[Any, ...], expected: str) -> None:
    """Echoed ranges quote titles that are not plain identifiers or that look like cells."""
    assert format_range(*args) == expected


def test_field_mask_parse_and_project() -> None:
    """Field masks with parentheses, commas and / paths select nested fields."""
    mask = parse_mask("spreadsheetId,sheets(properties(title),data/rowData),sheets.merges")
    assert mask == {
        "spreadsheetId": None,
        "sheets": {"properties": {"title": None}, "data": {"rowData": None}, "merges": None},
    }
    data = {
        "spreadsheetId": "x",
        "properties": {},
        "sheets": [{"properties": {"title": "A", "index": 0}}],
    }
    assert project(data, mask) == {"spreadsheetId": "x", "sheets": [{"properties": {"title": "A"}}]}


@pytest.mark.parametrize(
    ("text", "value", "number_format"),
    [
        ("42", {"numberValue": 42}, None),
        ("-1.5", {"numberValue": -1.5}, None),
        ("1,234", {"numberValue": 1234}, {"type": "NUMBER", "pattern": "#,##0"}),
        ("12%", {"numberValue": 0.12}, {"type": "PERCENT", "pattern": "0%"}),
        ("$5.50", {"numberValue": 5.5}, {"type": "CURRENCY", "pattern": '"$"#,##0.00'}),
        ("2024-05-01", {"numberValue": 45413}, {"type": "DATE", "pattern": "yyyy-mm-dd"}),
        ("TRUE", {"boolValue": True}, None),
        ("=SUM(A1:A3)", {"formulaValue": "=SUM(A1:A3)"}, None),
        ("'007", {"stringValue": "007"}, None),
        ("来店数", {"stringValue": "来店数"}, None),
    ],
)
def test_user_entered_parsing(text: str, value: Any, number_format: Any) -> None:
    """USER_ENTERED input is parsed like typing into the Sheets UI."""
    assert parse_user_entered(text) == (value, number_format)


@pytest.mark.parametrize(
    ("value", "number_format", "shown"),
    [
        (0.12, {"type": "PERCENT", "pattern": "0.00%"}, "12.00%"),
        (0.125, {"type": "PERCENT", "pattern": "0%"}, "13%"),
        (1234.5, {"type": "NUMBER", "pattern": "#,##0.00"}, "1,234.50"),
        (1234, {"type": "CURRENCY", "pattern": "[$¥-411]#,##0"}, "¥1,234"),
        (45413, {"type": "DATE", "pattern": "yyyy/mm/dd"}, "2024/05/01"),
        (0.3333333333333, None, "0.3333333333"),
        (7.0, None, "7"),
    ],
)
def test_number_formats(value: float, number_format: Any, shown: str) -> None:
    """Numbers render through their numberFormat the way Sheets displays them."""
    assert format_number(value, number_format) == shown


# ----------------------------------------------------------------------------- gspread end to end


def test_create_open_by_key_and_metadata(google: FakeGoogle, gc: gspread.Client) -> None:
    """gspread creates a spreadsheet through Drive and opens it with Sheets metadata."""
    created = gc.create("KPI 2024")
    opened = gc.open_by_key(created.id)
    assert opened.title == "KPI 2024"
    ws = opened.sheet1
    assert (ws.title, ws.id, ws.row_count, ws.col_count) == ("Sheet1", 0, 1000, 26)
    meta = opened.fetch_sheet_metadata()
    assert meta["properties"]["locale"] == "en_US"
    assert meta["spreadsheetUrl"].endswith(f"/d/{created.id}/edit")
    assert google.sheet_titles(created.id) == ["Sheet1"]
    assert gc.open("KPI 2024").id == created.id


def test_worksheet_add_and_rename_with_japanese_titles(
    google: FakeGoogle, gc: gspread.Client
) -> None:
    """Worksheets are added (addSheet) and renamed (updateSheetProperties title)."""
    sh = gc.create("店舗KPI")
    ws = sh.add_worksheet("サマリー", rows=20, cols=5)
    assert (ws.row_count, ws.col_count) == (20, 5)
    ws.update_title("週次 サマリー")
    ws.update([["来店数", 12]], "A1")
    assert google.sheet_titles(sh.id) == ["Sheet1", "週次 サマリー"]
    assert sh.worksheet("週次 サマリー").get_all_values() == [["来店数", "12"]]
    with pytest.raises(APIError, match="already exists"):
        sh.add_worksheet("週次 サマリー", rows=1, cols=1)


def test_update_raw_versus_user_entered(google: FakeGoogle, gc: gspread.Client) -> None:
    """RAW keeps strings as typed; USER_ENTERED makes numbers, percents and formulas."""
    sh = gc.create("input")
    ws = sh.sheet1
    row = ["007", "12%", "=1+1", "2024-05-01"]
    ws.update([row], "A1", value_input_option=ValueInputOption.raw)
    ws.update([row], "A2", value_input_option=ValueInputOption.user_entered)
    assert ws.get_all_values() == [row, ["7", "12%", "", "2024-05-01"]]
    unformatted = ws.get("A2:D2", value_render_option=ValueRenderOption.unformatted)
    assert unformatted == [[7, 0.12, "", 45413]]
    assert ws.get("A1:D2", value_render_option=ValueRenderOption.formula) == [
        row,
        [7, 0.12, "=1+1", 45413],
    ]
    assert google.values(sh.id, "Sheet1") == [row, [7, 0.12, "", 45413]]
    assert google.cell(sh.id, "C2")["userEnteredValue"] == {"formulaValue": "=1+1"}
    assert "effectiveValue" not in google.cell(sh.id, "C2")


def test_values_update_reply_shape_and_grid_growth(gc: gspread.Client) -> None:
    """values.update answers updatedRange/Rows/Columns/Cells and grows the grid as needed."""
    sh = gc.create("grow")
    ws = sh.add_worksheet("Small", rows=2, cols=2)
    reply = ws.update([["a", "b", "c"], ["d", None, "f"], ["g", "h", "i"]], "A1")
    assert reply == {
        "spreadsheetId": sh.id,
        "updatedRange": "Small!A1:C3",
        "updatedRows": 3,
        "updatedColumns": 3,
        "updatedCells": 8,
    }
    props = sh.fetch_sheet_metadata()["sheets"][1]["properties"]["gridProperties"]
    assert (props["rowCount"], props["columnCount"]) == (3, 3)
    with pytest.raises(APIError, match=r"Requested writing within range \[Small!A1:B2\]"):
        ws.update([["a", "b", "c"]], "A1:B2")


def test_batch_get_with_japanese_quoted_and_open_ranges(
    google: FakeGoogle, gc: gspread.Client
) -> None:
    """values:batchGet resolves quoted Japanese titles and open ranges, echoing clipped ranges."""
    sid = google.create_spreadsheet(
        "seeded",
        {"サマリー": [["日付", "来店数"], ["2024-05-01", 30]], "It's": [["x"], ["y"], ["z"]]},
    )
    sh = gc.open_by_key(sid)
    result = sh.values_batch_get(["'サマリー'!A:B", "'It''s'!1:2", "'サマリー'!B2"])
    ranges = [(vr["range"], vr.get("values")) for vr in result["valueRanges"]]
    assert ranges == [
        ("'サマリー'!A1:B1000", [["日付", "来店数"], ["2024-05-01", "30"]]),
        ("'It''s'!A1:Z2", [["x"], ["y"]]),
        ("'サマリー'!B2", [["30"]]),
    ]
    response = raw(gc, "GET", f"{SHEETS}/{sid}/values/Nope!A1")
    assert response.status_code == 400
    assert response.json() == {
        "error": {
            "code": 400,
            "message": "Unable to parse range: Nope!A1",
            "status": "INVALID_ARGUMENT",
        }
    }


def test_append_row_finds_the_table(google: FakeGoogle, gc: gspread.Client) -> None:
    """values.append writes below the table and reports tableRange and updates."""
    sh = gc.create("log")
    ws = sh.sheet1
    first = ws.append_row(["date", "visits"])
    assert "tableRange" not in first
    assert first["updates"]["updatedRange"] == "Sheet1!A1:B1"
    second = ws.append_row(["2024-05-01", 30], value_input_option=ValueInputOption.user_entered)
    assert second["tableRange"] == "Sheet1!A1:B1"
    assert second["updates"]["updatedRange"] == "Sheet1!A2:B2"
    assert google.values(sh.id, "Sheet1") == [["date", "visits"], [45413, 30]]


def test_clear_and_batch_clear_keep_formats(google: FakeGoogle, gc: gspread.Client) -> None:
    """values.clear removes values but keeps formatting; batchClear echoes cleared ranges."""
    sh = gc.create("clear")
    ws = sh.sheet1
    ws.update([["a", "b"], ["c", "d"]], "A1")
    ws.format("A1", {"textFormat": {"bold": True}})
    assert sh.values_clear("Sheet1!A1:A2") == {
        "spreadsheetId": sh.id,
        "clearedRange": "Sheet1!A1:A2",
    }
    cleared = ws.batch_clear(["B1", "B2"])
    assert cleared["clearedRanges"] == ["Sheet1!B1", "Sheet1!B2"]
    assert google.values(sh.id, "Sheet1") == []
    assert google.cell(sh.id, "A1")["userEnteredFormat"]["textFormat"] == {"bold": True}
    assert ws.clear()["clearedRange"] == "Sheet1!A1:Z1000"


def test_percent_format_round_trip_with_grid_data(gc: gspread.Client) -> None:
    """A PERCENT-formatted 0.12 written by updateCells reads back with its format."""
    sh = gc.create("formats")
    cell = {
        "userEnteredValue": {"numberValue": 0.12},
        "userEnteredFormat": {"numberFormat": {"type": "PERCENT", "pattern": "0.00%"}},
    }
    sh.batch_update(
        {
            "requests": [
                {
                    "updateCells": {
                        "start": {"sheetId": 0, "rowIndex": 1, "columnIndex": 1},
                        "rows": [{"values": [cell]}],
                        "fields": "userEnteredValue,userEnteredFormat.numberFormat",
                    }
                }
            ]
        }
    )
    fields = (
        "sheets(properties(sheetId,title,index,gridProperties),data(startRow,startColumn,"
        "rowData(values(effectiveValue,formattedValue,userEnteredValue,"
        "effectiveFormat/numberFormat))))"
    )
    meta = sh.fetch_sheet_metadata(
        {"includeGridData": "true", "ranges": "Sheet1!B2:C3", "fields": fields}
    )
    sheet = meta["sheets"][0]
    assert sheet["properties"] == {
        "sheetId": 0,
        "title": "Sheet1",
        "index": 0,
        "gridProperties": {"rowCount": 1000, "columnCount": 26},
    }
    assert sheet["data"] == [
        {
            "startRow": 1,
            "startColumn": 1,
            "rowData": [
                {
                    "values": [
                        {
                            "userEnteredValue": {"numberValue": 0.12},
                            "effectiveValue": {"numberValue": 0.12},
                            "formattedValue": "12.00%",
                            "effectiveFormat": {
                                "numberFormat": {"type": "PERCENT", "pattern": "0.00%"}
                            },
                        }
                    ]
                }
            ],
        }
    ]
    assert sh.sheet1.acell("B2").value == "12.00%"
    assert sh.sheet1.get("B2", value_render_option=ValueRenderOption.unformatted) == [[0.12]]


def test_batch_update_add_sheet_update_cells_and_properties(
    google: FakeGoogle, gc: gspread.Client
) -> None:
    """addSheet replies with the new properties; updateCells and updateSheetProperties apply."""
    sh = gc.create("structure")
    reply = sh.batch_update(
        {
            "requests": [
                {
                    "addSheet": {
                        "properties": {
                            "title": "Checks",
                            "gridProperties": {"rowCount": 5, "columnCount": 3},
                        }
                    }
                },
            ]
        }
    )
    props = reply["replies"][0]["addSheet"]["properties"]
    sheet_id = props["sheetId"]
    assert props == {
        "sheetId": sheet_id,
        "title": "Checks",
        "index": 1,
        "sheetType": "GRID",
        "gridProperties": {"rowCount": 5, "columnCount": 3},
    }
    result = sh.batch_update(
        {
            "requests": [
                {
                    "updateCells": {
                        "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": 1},
                        "rows": [
                            {
                                "values": [
                                    {"userEnteredValue": {"stringValue": "code"}},
                                    {"userEnteredValue": {"stringValue": "message"}},
                                ]
                            }
                        ],
                        "fields": "userEnteredValue",
                    }
                },
                {
                    "updateSheetProperties": {
                        "properties": {
                            "sheetId": sheet_id,
                            "title": "チェック",
                            "index": 0,
                            "gridProperties": {"frozenRowCount": 1},
                        },
                        "fields": "title,index,gridProperties.frozenRowCount",
                    }
                },
                {
                    "updateDimensionProperties": {
                        "range": {
                            "sheetId": sheet_id,
                            "dimension": "COLUMNS",
                            "startIndex": 0,
                            "endIndex": 1,
                        },
                        "properties": {"pixelSize": 240},
                        "fields": "pixelSize",
                    }
                },
                {
                    "setDataValidation": {
                        "range": {
                            "sheetId": sheet_id,
                            "startRowIndex": 1,
                            "endRowIndex": 5,
                            "startColumnIndex": 2,
                            "endColumnIndex": 3,
                        },
                        "rule": {
                            "condition": {
                                "type": "ONE_OF_LIST",
                                "values": [{"userEnteredValue": "OK"}],
                            },
                            "strict": True,
                        },
                    }
                },
                {
                    "addProtectedRange": {
                        "protectedRange": {"range": {"sheetId": sheet_id}, "warningOnly": True}
                    }
                },
            ]
        }
    )
    assert len(result["replies"]) == 5
    assert result["replies"][4]["addProtectedRange"]["protectedRange"]["warningOnly"] is True
    assert google.sheet_titles(sh.id) == ["チェック", "Sheet1"]
    meta = google.metadata(sh.id, include_grid=True)
    checks = meta["sheets"][0]
    assert checks["properties"]["gridProperties"] == {
        "rowCount": 5,
        "columnCount": 3,
        "frozenRowCount": 1,
    }
    assert checks["data"][0]["columnMetadata"][0] == {"pixelSize": 240}
    assert checks["protectedRanges"][0]["editors"] == {"users": [DEFAULT_EMAIL]}
    assert google.values(sh.id, "チェック") == [["code", "message"]]
    assert google.cell(sh.id, "'チェック'!C2")["dataValidation"]["strict"] is True


def test_structural_requests_shift_and_store(google: FakeGoogle, gc: gspread.Client) -> None:
    """insert/deleteDimension shift cells; appendCells, merges, filters and renames stick."""
    sid = google.create_spreadsheet(
        "shape", {"Data": [["h1", "h2"], ["a", 1], ["b", 2]], "Old": [["x"]]}
    )
    sh = gc.open_by_key(sid)
    data_id = sh.worksheet("Data").id
    old_id = sh.worksheet("Old").id
    rows = {"sheetId": data_id, "dimension": "ROWS"}
    sh.batch_update(
        {
            "requests": [
                {"insertDimension": {"range": {**rows, "startIndex": 1, "endIndex": 2}}},
                {"deleteDimension": {"range": {**rows, "startIndex": 2, "endIndex": 3}}},
                {
                    "appendCells": {
                        "sheetId": data_id,
                        "rows": [{"values": [{"userEnteredValue": {"stringValue": "c"}}]}],
                        "fields": "userEnteredValue",
                    }
                },
                {
                    "mergeCells": {
                        "range": {
                            "sheetId": data_id,
                            "startRowIndex": 0,
                            "endRowIndex": 1,
                            "startColumnIndex": 0,
                            "endColumnIndex": 2,
                        },
                        "mergeType": "MERGE_ALL",
                    }
                },
                {"setBasicFilter": {"filter": {"range": {"sheetId": data_id}}}},
                {
                    "autoResizeDimensions": {
                        "dimensions": {"sheetId": data_id, "dimension": "COLUMNS"}
                    }
                },
                {
                    "repeatCell": {
                        "range": {"sheetId": data_id, "startRowIndex": 0, "endRowIndex": 1},
                        "cell": {"userEnteredFormat": {"textFormat": {"bold": True}}},
                        "fields": "userEnteredFormat.textFormat.bold",
                    }
                },
                {"deleteSheet": {"sheetId": old_id}},
                {"updateSpreadsheetProperties": {"properties": {"title": "形"}, "fields": "title"}},
            ]
        }
    )
    assert google.values(sid, "Data") == [["h1", "h2"], [], ["b", 2], ["c"]]
    assert google.values(sid, "Data", render="FORMATTED_VALUE")[2] == ["b", "2"]
    meta = google.metadata(sid)
    data = meta["sheets"][0]
    assert data_id == 0  # so, like Google, the echoed GridRange leaves sheetId out
    assert data["merges"] == [
        {"startRowIndex": 0, "endRowIndex": 1, "startColumnIndex": 0, "endColumnIndex": 2}
    ]
    assert data["basicFilter"]["range"]["endRowIndex"] == 1000
    assert [s["properties"]["title"] for s in meta["sheets"]] == ["Data"]
    assert gc.open_by_key(sid).title == "形"
    assert [f["name"] for f in gc.list_spreadsheet_files()] == ["形"]
    cols = sh.worksheet("Data").get("A1:B3", major_dimension=Dimension.cols)
    assert cols == [["h1", "", "b"], ["h2", "", "2"]]
    assert google.cell(sid, "Data!B1")["userEnteredFormat"]["textFormat"] == {"bold": True}


def test_update_cells_outside_grid_is_400_and_atomic(
    google: FakeGoogle, gc: gspread.Client
) -> None:
    """updateCells beyond rowCount answers 400 "exceeds grid limits" and applies nothing."""
    sh = gc.create("limits")
    ws = sh.add_worksheet("Tiny", rows=2, cols=2)
    write_a1 = {
        "updateCells": {
            "start": {"sheetId": ws.id, "rowIndex": 0, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"stringValue": "kept?"}}]}],
            "fields": "userEnteredValue",
        }
    }
    write_row_3 = {
        "updateCells": {
            "start": {"sheetId": ws.id, "rowIndex": 2, "columnIndex": 0},
            "rows": [{"values": [{"userEnteredValue": {"numberValue": 1}}]}],
            "fields": "userEnteredValue",
        }
    }
    response = raw(
        gc, "POST", f"{SHEETS}/{sh.id}:batchUpdate", json={"requests": [write_a1, write_row_3]}
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == "INVALID_ARGUMENT"
    assert error["message"] == (
        "Invalid requests[1].updateCells: Range (Tiny!A3) exceeds grid limits. "
        "Max rows: 2, max columns: 2"
    )
    assert google.values(sh.id, "Tiny") == []
    sh.batch_update(
        {
            "requests": [
                {"appendDimension": {"sheetId": ws.id, "dimension": "ROWS", "length": 1}},
                write_a1,
                write_row_3,
            ]
        }
    )
    assert google.values(sh.id, "Tiny") == [["kept?"], [], [1]]


def test_drive_copy_and_permissions(google: FakeGoogle, gc: gspread.Client) -> None:
    """Drive copy makes an independent deep copy; permissions are stored and listed."""
    original = gc.create("template")
    original.sheet1.update([["header"]], "A1")
    copy = gc.copy(original.id, title="client A")
    assert copy.id != original.id and copy.title == "client A"
    copy.sheet1.update([["changed"]], "A1")
    assert google.values(original.id, "Sheet1") == [["header"]]
    assert google.values(copy.id, "Sheet1") == [["changed"]]
    created = copy.share("staff@example.com", perm_type="user", role="writer", notify=False)
    assert set(created.json()) == {"kind", "id", "type", "role"}
    permissions = {(p["emailAddress"], p["role"]) for p in copy.list_permissions()}
    assert permissions == {(DEFAULT_EMAIL, "owner"), ("staff@example.com", "writer")}
    files = {f["name"] for f in gc.list_spreadsheet_files()}
    assert files == {"template", "client A"}
    gc.del_spreadsheet(copy.id)
    assert [f["name"] for f in gc.list_spreadsheet_files()] == ["template"]


def test_unshared_spreadsheet_is_403_until_shared(google: FakeGoogle, gc: gspread.Client) -> None:
    """A spreadsheet not shared with the service account answers Google's 403."""
    sid = google.create_spreadsheet("private", shared_with={"someone@example.com"})
    response = raw(gc, "GET", f"{SHEETS}/{sid}")
    assert response.status_code == 403
    assert response.json() == {
        "error": {
            "code": 403,
            "message": "The caller does not have permission",
            "status": "PERMISSION_DENIED",
        }
    }
    with pytest.raises(PermissionError):
        gc.open_by_key(sid)
    google.share(sid, DEFAULT_EMAIL)
    assert gc.open_by_key(sid).title == "private"


def test_unknown_id_is_404(gc: gspread.Client) -> None:
    """An unknown spreadsheet id answers Google's 404 NOT_FOUND."""
    response = raw(gc, "GET", f"{SHEETS}/does-not-exist")
    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": 404, "message": "Requested entity was not found.", "status": "NOT_FOUND"}
    }
    with pytest.raises(SpreadsheetNotFound):
        gc.open_by_key("does-not-exist")


# ----------------------------------------------------------------------------- auth


def test_token_endpoint_and_bearer_checks(google: FakeGoogle) -> None:
    """/token validates the JWT's shape; API calls need a token issued by /token."""
    bad = requests.post(
        google.token_uri,
        data={"grant_type": "urn:ietf:params:oauth:grant-type:jwt-bearer", "assertion": "abc"},
        timeout=5,
    )
    assert bad.status_code == 400
    assert bad.json()["error"] == "invalid_grant"
    sid = google.create_spreadsheet("x")
    missing = requests.get(f"{google.url}/v4/spreadsheets/{sid}", timeout=5)
    assert missing.status_code == 401
    assert missing.json()["error"]["status"] == "UNAUTHENTICATED"
    wrong = requests.get(
        f"{google.url}/v4/spreadsheets/{sid}", headers={"Authorization": "Bearer nope"}, timeout=5
    )
    assert wrong.status_code == 401


def test_revoked_token_is_refreshed_by_google_auth(google: FakeGoogle, gc: gspread.Client) -> None:
    """After the emulator forgets its tokens, google-auth refreshes on the 401 and retries."""
    ws = gc.create("refresh").sheet1
    google.revoke_tokens()
    google.reset_requests()
    assert ws.get("A1") == [[]]
    seen = [(r["kind"], r["status"]) for r in google.requests()]
    assert seen == [("api", 401), ("token", 200), ("api", 200)]


def test_request_log_marks_token_calls(google: FakeGoogle, gc: gspread.Client) -> None:
    """The log lists every call with method, path, query, status and kind (token or api)."""
    sh = gc.create("log kinds")
    sh.sheet1.get("A1:B2")
    entries = google.requests()
    assert entries[0] == {
        "method": "POST",
        "path": "/token",
        "query": {},
        "kind": "token",
        "status": 200,
    }
    assert {e["kind"] for e in entries[1:]} == {"api"}
    last = entries[-1]
    assert last["path"] == f"/v4/spreadsheets/{sh.id}/values/'Sheet1'!A1:B2"
    via_http = requests.get(f"{google.url}/_emulator/requests", timeout=5).json()
    assert via_http == entries
    assert requests.get(f"{google.url}/_emulator/health", timeout=5).status_code == 200
    assert requests.delete(f"{google.url}/_emulator/requests", timeout=5).status_code == 204
    assert google.requests() == []


def test_iamcredentials_lookup_is_a_token_call(
    google: FakeGoogle, gc: gspread.Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With google-auth's regional access boundary lookup enabled, its allowedLocations call
    reaches the emulator (through the token session) and is logged as a token call."""
    monkeypatch.setenv(
        "GOOGLE_SDK_EXPERIMENTAL_PYTHON_REGIONAL_ACCESS_BOUNDARY_LOOKUP_ENABLED", "true"
    )
    sid = google.create_spreadsheet("rab")
    gc.open_by_key(sid)
    path = f"/v1/projects/-/serviceAccounts/{DEFAULT_EMAIL}/allowedLocations"
    deadline = time.monotonic() + 3
    while time.monotonic() < deadline:
        hits = [r for r in google.requests() if r["path"] == path]
        if hits:
            break
        time.sleep(0.02)
    assert hits and hits[0]["kind"] == "token" and hits[0]["status"] == 200


# ----------------------------------------------------------------------------- faults


def test_three_429s_then_success(google: FakeGoogle, gc: gspread.Client) -> None:
    """A 429 fault answers the next 3 API calls with RESOURCE_EXHAUSTED, then calls succeed."""
    ws = gc.create("quota").sheet1
    google.reset_requests()
    google.set_faults(status=429, count=3, retry_after=0)
    errors = []
    for _ in range(10):
        try:
            ws.get("A1")
            break
        except APIError as exc:
            errors.append(exc)
    assert [e.code for e in errors] == [429, 429, 429]
    assert errors[0].error["status"] == "RESOURCE_EXHAUSTED"
    assert errors[0].response.headers["Retry-After"] == "0"
    assert [r["status"] for r in google.requests()] == [429, 429, 429, 200]


def test_latency_fault_slows_every_call(google: FakeGoogle, gc: gspread.Client) -> None:
    """A latency fault delays each API request by latency_ms."""
    sh = gc.create("slow")
    requests.post(f"{google.url}/_emulator/faults", json={"latency_ms": 150}, timeout=5)
    started = time.monotonic()
    sh.sheet1.get("A1")
    sh.sheet1.get("A1")
    assert time.monotonic() - started >= 0.3
    assert requests.delete(f"{google.url}/_emulator/faults", timeout=5).status_code == 204


def test_reset_connection_raises_connection_error(google: FakeGoogle, gc: gspread.Client) -> None:
    """A reset_connection fault drops the socket; the client sees a connection error."""
    ws = gc.create("reset").sheet1
    google.set_faults(reset_connection=True, count=1)
    with pytest.raises(requests.exceptions.ConnectionError):
        ws.get("A1")
    assert ws.get("A1") == [[]]
    assert [r["status"] for r in google.requests()][-2:] == [0, 200]


def test_hang_triggers_client_timeout(google: FakeGoogle, gc: gspread.Client) -> None:
    """A hang fault answers late enough for a client timeout to fire."""
    sh = gc.create("hang")
    google.set_faults(hang_ms=2000, count=1)
    gc.set_timeout(0.2)
    with pytest.raises(requests.exceptions.ReadTimeout):
        sh.sheet1.get("A1")


def test_scoped_persistent_503(google: FakeGoogle, gc: gspread.Client) -> None:
    """A fault scoped with path_contains hits only matching calls, until cleared."""
    sh = gc.create("scoped")
    requests.post(
        f"{google.url}/_emulator/faults",
        json={"status": 503, "count": -1, "path_contains": ":batchUpdate"},
        timeout=5,
    ).raise_for_status()
    for _ in range(2):
        with pytest.raises(APIError) as info:
            sh.sheet1.format("A1", {"textFormat": {"bold": True}})
        assert info.value.error == {
            "code": 503,
            "message": "The service is currently unavailable.",
            "status": "UNAVAILABLE",
        }
    assert sh.sheet1.get("A1") == [[]]
    google.clear_faults()
    sh.sheet1.format("A1", {"textFormat": {"bold": True}})


# ----------------------------------------------------------------------------- fidelity


def test_concurrent_appends_are_all_kept(google: FakeGoogle, gc: gspread.Client) -> None:
    """Parallel clients appending rows lose nothing (the state is thread-safe)."""
    sh = gc.create("parallel")
    token = gc.http_client.auth.token

    def worker(n: int) -> None:
        session = requests.Session()
        mount_emulator(session, google.host_port)
        session.headers["Authorization"] = f"Bearer {token}"
        for i in range(5):
            session.post(
                f"{SHEETS}/{sh.id}/values/Sheet1:append",
                params={"valueInputOption": "RAW"},
                json={"values": [[f"w{n}", i]]},
                timeout=10,
            ).raise_for_status()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    rows = google.values(sh.id, "Sheet1")
    assert sorted(map(tuple, rows)) == sorted((f"w{n}", i) for n in range(8) for i in range(5))


REPLAYED = [
    "WorksheetTest.test_append_row.json",
    "WorksheetTest.test_batch_update.json",
    "WorksheetTest.test_update_cells_noncontiguous.json",
    "WorksheetTest.test_format.json",
    "WorksheetTest.test_freeze.json",
    "WorksheetTest.test_batch_clear.json",
    "SpreadsheetTest.test_add_del_worksheet.json",
    "SpreadsheetTest.test_values_batch_get.json",
    "ClientTest.test_copy.json",
    "ClientTest.test_access_non_existing_spreadsheet.json",
]


def _normalised(data: Any, ids: dict[str, str]) -> Any:
    """``data`` with recorded ids mapped to the emulator's and volatile blobs removed."""
    volatile = {"defaultFormat", "spreadsheetTheme", "createdTime", "modifiedTime"}
    if isinstance(data, dict):
        return {k: _normalised(v, ids) for k, v in data.items() if k not in volatile}
    if isinstance(data, list):
        return [_normalised(v, ids) for v in data]
    if isinstance(data, str):
        for recorded, emulated in ids.items():
            data = data.replace(recorded, emulated)
        return data
    if isinstance(data, int) and not isinstance(data, bool) and str(data) in ids:
        return int(ids[str(data)])
    return data


def _learn_ids(recorded: Any, emulated: Any, ids: dict[str, str]) -> None:
    """Map ids the real API chose (file ids, sheet ids) to the ones the emulator chose."""
    if not isinstance(recorded, dict) or not isinstance(emulated, dict):
        return
    if isinstance(recorded.get("id"), str) and isinstance(emulated.get("id"), str):
        ids.setdefault(recorded["id"], emulated["id"])
    for mine, theirs in zip(recorded.get("replies", []), emulated.get("replies", []), strict=False):
        if "addSheet" in mine and "addSheet" in theirs:
            ids[str(mine["addSheet"]["properties"]["sheetId"])] = str(
                theirs["addSheet"]["properties"]["sheetId"]
            )


@pytest.mark.parametrize("cassette", REPLAYED)
def test_replayed_cassette_matches_real_google(google: FakeGoogle, cassette: str) -> None:
    """Replaying a recorded gspread session gives the real API's statuses and JSON bodies
    (ids mapped, timestamps and theme/default-format blobs aside)."""
    path = CASSETTES / cassette
    if not path.exists():
        pytest.skip(f"reference cassettes not available at {CASSETTES}")
    session = requests.Session()
    mount_emulator(session, google.host_port)
    session.headers["Authorization"] = "Bearer " + google.app.tokens.issue(DEFAULT_EMAIL)
    ids: dict[str, str] = {}
    for number, interaction in enumerate(json.loads(path.read_text())["interactions"]):
        request, answer = interaction["request"], interaction["response"]
        uri, body = request["uri"], request["body"]
        for recorded, emulated in ids.items():
            uri = uri.replace(recorded, emulated)
            body = body.replace(recorded, emulated) if isinstance(body, str) else body
        response = session.request(
            request["method"],
            uri,
            data=body.encode() if isinstance(body, str) else None,
            headers={"Content-Type": "application/json"} if body else {},
            timeout=10,
        )
        text = answer["body"]["string"]
        expected = json.loads(text) if text else None
        actual = response.json() if response.content else None
        where = f"interaction #{number}: {request['method']} {uri}"
        assert response.status_code == answer["status"]["code"], where
        _learn_ids(expected, actual, ids)
        assert _normalised(actual, {}) == _normalised(expected, ids), where


def test_standalone_module_prints_its_url() -> None:
    """``python -m tests.fake_google --port 0`` prints its base URL first and serves."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_google", "--port", "0"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        health = requests.get(f"{url}/_emulator/health", timeout=5)
        assert health.json() == {"status": "ok"}
        seeded = requests.post(
            f"{url}/_emulator/spreadsheets",
            json={"title": "KPI", "sheets": {"入力": [["a", 1]]}},
            timeout=5,
        ).json()
        values = requests.get(
            f"{url}/_emulator/spreadsheets/{seeded['spreadsheetId']}/values/'入力'", timeout=5
        ).json()
        assert values == {"values": [["a", 1]]}
    finally:
        process.terminate()
        process.wait(timeout=10)
    assert process.returncode == 0


# ----------------------------------------------------------------------------- gzip, request log


def test_answers_are_gzip_encoded_when_asked_and_requests_decodes_them(
    google: FakeGoogle, gc: gspread.Client
) -> None:
    """Like Google, the emulator gzips an answer when Accept-Encoding asks for it (requests
    always does), and requests decodes it; a client that asks for identity gets plain bytes."""
    sh = gc.create("gzip")
    url = f"{google.url}/v4/spreadsheets/{sh.id}"
    asked = raw(gc, "get", url, stream=True)
    assert asked.headers["Content-Encoding"] == "gzip"
    assert asked.raw.read(2, decode_content=False) == b"\x1f\x8b"  # the gzip magic number
    decoded = raw(gc, "get", url)
    assert decoded.headers["Content-Encoding"] == "gzip"
    assert decoded.json()["spreadsheetId"] == sh.id
    plain = raw(gc, "get", url, headers={"Accept-Encoding": "identity"})
    assert "Content-Encoding" not in plain.headers
    assert json.loads(plain.content)["spreadsheetId"] == sh.id


def test_a_request_hanging_across_reset_requests_is_not_logged_after_it(
    google: FakeGoogle, gc: gspread.Client
) -> None:
    """Requests are logged on arrival: one still hanging when a test calls reset_requests()
    does not turn up in the next test's log when it finally finishes."""
    sh = gc.create("hang")
    google.reset_requests()
    google.set_faults(hang_ms=300, count=1, path_contains=sh.id)
    url = f"{google.url}/v4/spreadsheets/{sh.id}"
    done: list[int] = []
    worker = threading.Thread(target=lambda: done.append(raw(gc, "get", url).status_code))
    worker.start()
    deadline = time.monotonic() + 30  # a bound for a broken emulator, not a timing assertion
    while not any(r["status"] is None for r in google.requests()):
        assert time.monotonic() < deadline, "the request never arrived"
        time.sleep(0.01)  # it has arrived (and hangs now)
    google.reset_requests()
    worker.join(timeout=30)
    assert done == [200]
    assert google.requests() == []
