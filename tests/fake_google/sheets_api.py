"""Sheets API v4 routing plus spreadsheets create/get, batchUpdate and sheets.copyTo."""

from __future__ import annotations

import copy
from typing import Any
from urllib.parse import unquote

from .batch_update import batch_update
from .errors import ApiError, bad_request, not_found, permission_denied
from .fieldmask import Mask, MaskError, parse_mask
from .protocol import Request, Response, json_response
from .store import DEFAULT_COLUMNS, DEFAULT_ROWS, DriveFile, Sheet, Spreadsheet, Store, new_sheet
from .values_api import ranges_param, values_batch, values_endpoint
from .views import sheet_properties, spreadsheet_json


def open_spreadsheet(store: Store, raw_id: str, caller: str | None) -> DriveFile:
    """The spreadsheet file for ``raw_id``: 404 unknown, 403 not shared with ``caller``."""
    found = store.get(unquote(raw_id))
    if found is None:
        raise not_found()
    if not found.can_access(caller):
        raise permission_denied()
    if found.spreadsheet is None:
        raise ApiError(
            400, "This operation is not supported for this document", "FAILED_PRECONDITION"
        )
    return found


def handle(store: Store, req: Request) -> Response:
    """Route a ``/v4/spreadsheets...`` request."""
    rest = req.segments[2:]
    with store.acting(req.caller):  # Drive sees who changed the file
        if not rest or rest == [""]:
            if req.method == "POST":
                return json_response(_create(store, req))
            raise ApiError(404, "Method not found.", "NOT_FOUND")
        raw_id, _, action = rest[0].partition(":")
        drive_file = open_spreadsheet(store, raw_id, req.caller)
        spreadsheet = drive_file.spreadsheet
        assert spreadsheet is not None
        result = _dispatch(store, drive_file, spreadsheet, req, rest, action)
        return json_response(result)


def _dispatch(
    store: Store,
    drive_file: DriveFile,
    spreadsheet: Spreadsheet,
    req: Request,
    rest: list[str],
    action: str,
) -> Any:
    """Run the endpoint selected by the path below ``/v4/spreadsheets/{id}``."""
    method = req.method
    if len(rest) == 1:
        if method == "GET" and not action:
            return _get(spreadsheet, req)
        if method == "POST" and action == "batchUpdate":
            body = req.json_object()
            result = batch_update(drive_file, body, req.caller or "")
            drive_file.touch()
            if body.get("includeSpreadsheetInResponse"):
                updated = drive_file.spreadsheet
                assert updated is not None
                result["updatedSpreadsheet"] = spreadsheet_json(
                    updated,
                    include_grid=bool(body.get("responseIncludeGridData")),
                    ranges=body.get("responseRanges") or None,
                )
            return result
    elif rest[1].startswith("values:") and len(rest) == 2:
        batch = values_batch(drive_file, spreadsheet, req, rest[1].split(":", 1)[1])
        if batch is not None:
            return batch
    elif rest[1] == "values" and len(rest) == 3:
        single = values_endpoint(drive_file, spreadsheet, req, rest[2])
        if single is not None:
            return single
    elif rest[1] == "sheets" and len(rest) == 3 and method == "POST":
        raw_sheet, _, sheet_action = rest[2].partition(":")
        if sheet_action == "copyTo":
            return _copy_to(store, spreadsheet, unquote(raw_sheet), req)
    raise ApiError(404, f"Method not found: {method} {req.path}", "NOT_FOUND")


def _get(spreadsheet: Spreadsheet, req: Request) -> dict[str, Any]:
    """``spreadsheets.get`` with ``ranges``, ``includeGridData`` and ``fields``."""
    fields = req.param("fields")
    mask: Mask | None = None
    if fields:
        try:
            mask = parse_mask(fields)
        except MaskError as exc:
            raise bad_request(f"Invalid field selection {fields}: {exc}") from exc
    return spreadsheet_json(
        spreadsheet,
        include_grid=req.flag("includeGridData"),
        ranges=ranges_param(req) or None,
        mask=mask,
    )


def _create(store: Store, req: Request) -> dict[str, Any]:
    """``POST /v4/spreadsheets``: a new spreadsheet owned by the caller."""
    body = req.json_object()
    props = body.get("properties") or {}
    sheets: list[Sheet] = []
    for i, spec in enumerate(body.get("sheets") or []):
        sp = (spec or {}).get("properties") or {}
        grid = sp.get("gridProperties") or {}
        sheet = new_sheet(
            int(sp.get("sheetId", 0 if i == 0 else 1000 + i)),
            str(sp.get("title") or f"Sheet{i + 1}"),
            int(grid.get("rowCount", DEFAULT_ROWS)),
            int(grid.get("columnCount", DEFAULT_COLUMNS)),
        )
        extra = {k: v for k, v in grid.items() if k not in ("rowCount", "columnCount")}
        sheet.grid.update(extra)
        sheets.append(sheet)
    drive_file = store.add_spreadsheet(
        str(props.get("title") or "Untitled spreadsheet"),
        req.caller or "",
        sheets or None,
        locale=str(props.get("locale") or "en_US"),
        time_zone=str(props.get("timeZone") or "Etc/GMT"),
    )
    assert drive_file.spreadsheet is not None
    return spreadsheet_json(drive_file.spreadsheet)


def _copy_to(
    store: Store, spreadsheet: Spreadsheet, raw_sheet: str, req: Request
) -> dict[str, Any]:
    """``sheets.copyTo``: copy one sheet into another spreadsheet the caller can open."""
    try:
        sheet = spreadsheet.sheet_by_id(int(raw_sheet))
    except ValueError:
        sheet = None
    if sheet is None:
        raise not_found()
    body = req.json_object()
    target_file = open_spreadsheet(store, str(body.get("destinationSpreadsheetId", "")), req.caller)
    target = target_file.spreadsheet
    assert target is not None
    clone = copy.deepcopy(sheet)
    clone.props["sheetId"] = target.new_sheet_id()
    title = f"Copy of {sheet.title}"
    n = 2
    while target.sheet_by_title(title) is not None:
        title = f"Copy of {sheet.title} {n}"
        n += 1
    clone.props["title"] = title
    clone.protected_ranges = []
    target.sheets.append(clone)
    target_file.touch()
    return sheet_properties(clone, len(target.sheets) - 1)
