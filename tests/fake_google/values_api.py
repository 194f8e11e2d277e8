"""Sheets API v4 ``values`` endpoints: get/batchGet, update/batchUpdate, append, clear."""

from __future__ import annotations

import copy
import json
import re
from typing import Any
from urllib.parse import unquote

from . import cells
from .a1 import column_letters
from .errors import ApiError, bad_request, error_body
from .protocol import Request
from .ranges import Bounds, a1_of, clip_for_read, resolve_a1
from .store import DriveFile, Sheet, Spreadsheet
from .views import value_range

VALUE_RENDER = ("FORMATTED_VALUE", "UNFORMATTED_VALUE", "FORMULA")
INPUT_OPTIONS = ("RAW", "USER_ENTERED")
_SUFFIX = re.compile(r"^(.*):(append|clear)$")


def _render_options(req: Request) -> tuple[str, str, str]:
    """(valueRenderOption, majorDimension, dateTimeRenderOption) from the query."""
    render = req.param("valueRenderOption") or "FORMATTED_VALUE"
    major = req.param("majorDimension") or "ROWS"
    dtr = req.param("dateTimeRenderOption") or "SERIAL_NUMBER"
    if render not in VALUE_RENDER:
        raise bad_request(f"Invalid value at 'value_render_option' ({render})")
    if major not in ("ROWS", "COLUMNS"):
        raise bad_request(f"Invalid value at 'major_dimension' ({major})")
    if dtr not in ("SERIAL_NUMBER", "FORMATTED_STRING"):
        raise bad_request(f"Invalid value at 'date_time_render_option' ({dtr})")
    return render, major, dtr


def _input_option(value: Any) -> str:
    """The valueInputOption, required like in the real API."""
    if value is None:
        raise bad_request("'valueInputOption' is required but not specified")
    if value not in INPUT_OPTIONS:
        raise bad_request(f"Invalid value at 'value_input_option' ({value})")
    return str(value)


def _invalid_value(where: str, value: Any) -> ApiError:
    """Sheets' 400 for a ``values`` payload that is not a list of lists of scalars."""
    message = (
        f"Invalid value at '{where}' (type.googleapis.com/google.protobuf.ListValue), "
        f"{json.dumps(value, ensure_ascii=False)}"
    )
    details = [
        {
            "@type": "type.googleapis.com/google.rpc.BadRequest",
            "fieldViolations": [{"field": where, "description": message}],
        }
    ]
    return ApiError(400, body=error_body(400, message, details=details))


def _matrix(values: Any, major: Any, where: str) -> list[list[Any]]:
    """Validate a request's ``values`` and return it row-major."""
    if values is None:
        return []
    if not isinstance(values, list) or not all(isinstance(row, list) for row in values):
        bad = (
            values
            if not isinstance(values, list)
            else next(row for row in values if not isinstance(row, list))
        )
        raise _invalid_value(where, bad)
    for row in values:
        for value in row:
            if value is not None and not isinstance(value, str | int | float | bool):
                raise _invalid_value(where, value)
    if major == "COLUMNS":
        height = max((len(col) for col in values), default=0)
        return [[col[i] if i < len(col) else None for col in values] for i in range(height)]
    if major not in (None, "ROWS"):
        raise bad_request(f"Invalid value at 'major_dimension' ({major})")
    return values


def write_values(sheet: Sheet, r0: int, c0: int, rows: list[list[Any]], option: str) -> None:
    """Write a row-major matrix at (r0, c0), growing the grid as the values API does."""
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    sheet.ensure_size(r0 + height, c0 + width)
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            cell = copy.deepcopy(sheet.cells.get((r0 + i, c0 + j), {}))
            current = cells.number_format(cell)
            try:
                entered, detected = cells.input_value(value, option, current)
            except ValueError as exc:
                raise bad_request(str(exc)) from exc
            if entered is None:
                cell.pop("userEnteredValue", None)
            else:
                cell["userEnteredValue"] = entered
            if detected is not None and current is None:
                cell.setdefault("userEnteredFormat", {})["numberFormat"] = detected
            sheet.set_cell(r0 + i, c0 + j, cells.clean(cell))


def _update_one(
    spreadsheet: Spreadsheet,
    range_text: str,
    values: Any,
    major: Any,
    option: str,
    where: str,
    include: bool = False,
    render: str = "FORMATTED_VALUE",
    positions: list[tuple[int, int, int]] | None = None,
) -> dict[str, Any]:
    """Apply one values update and return its ``UpdateValuesResponse``; absolute positions
    of the written (non-null) values are added to ``positions`` when given."""
    rows = _matrix(values, major, where)
    bounds = resolve_a1(spreadsheet, range_text)
    sheet = bounds.sheet
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    r0, c0 = bounds.start_row, bounds.start_col
    shown = a1_of(sheet, *bounds.closed())
    if (bounds.end_row, bounds.end_col) == (r0 + 1, c0 + 1):
        pass  # a single cell is only the anchor: the data may spill right and down
    elif bounds.end_row is not None and r0 + height > bounds.end_row:
        raise bad_request(
            f"Requested writing within range [{shown}], but tried writing to row [{r0 + height}]"
        )
    elif bounds.end_col is not None and c0 + width > bounds.end_col:
        raise bad_request(
            f"Requested writing within range [{shown}], but tried writing to column "
            f"[{column_letters(c0 + width - 1)}]"
        )
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    if not height or not width:
        out["updatedRange"] = a1_of(sheet, r0, c0, r0 + 1, c0 + 1)
        return out
    write_values(sheet, r0, c0, rows, option)
    area = (r0, c0, r0 + height, c0 + width)
    out["updatedRange"] = a1_of(sheet, *area)
    out.update(_counts(rows))
    if positions is not None:
        positions.extend(
            (sheet.sheet_id, r0 + i, c0 + j)
            for i, row in enumerate(rows)
            for j, value in enumerate(row)
            if value is not None
        )
    if include:
        out["updatedData"] = value_range(sheet, area, render, "ROWS", "SERIAL_NUMBER")
    return out


def _counts(rows: list[list[Any]]) -> dict[str, int]:
    """updatedRows/Columns/Cells: like Sheets, only non-null values count."""
    written = [(i, j) for i, row in enumerate(rows) for j, v in enumerate(row) if v is not None]
    if not written:
        return {}
    return {
        "updatedRows": len({i for i, _ in written}),
        "updatedColumns": len({j for _, j in written}),
        "updatedCells": len(written),
    }


def _find_table(sheet: Sheet, bounds: Bounds) -> tuple[int, int, int, int] | None:
    """The table ``values.append`` appends to, as closed bounds, or None.

    It starts at the first row of the range with a value in the range's columns, runs down
    while the next rows have values there, and spans the contiguous columns with values from
    the first used one.
    """
    r0, c0, r1, c1 = bounds.closed()
    used: dict[int, set[int]] = {}
    for (r, c), cell in sheet.cells.items():
        if cells.has_value(cell):
            used.setdefault(r, set()).add(c)

    def row_used(r: int) -> bool:
        return any(c0 <= c < c1 for c in used.get(r, ()))

    first = next((r for r in sorted(used) if r0 <= r < r1 and row_used(r)), None)
    if first is None:
        return None
    last = first
    while row_used(last + 1):
        last += 1
    columns = {c for r in range(first, last + 1) for c in used.get(r, ()) if c0 <= c < c1}
    start = min(columns)
    end = start + 1
    while end in columns:
        end += 1
    return first, start, last + 1, end


def _append(
    spreadsheet: Spreadsheet, range_text: str, body: dict[str, Any], req: Request
) -> dict[str, Any]:
    """``values.append``: write below the table found in the range (see ``_find_table``), or at
    the range's start when it holds no data; INSERT_ROWS inserts grid rows there first."""
    option = _input_option(req.param("valueInputOption"))
    rows = _matrix(body.get("values"), body.get("majorDimension"), "data.values")
    bounds = resolve_a1(spreadsheet, range_text)
    sheet = bounds.sheet
    out: dict[str, Any] = {"spreadsheetId": spreadsheet.spreadsheet_id}
    table = _find_table(sheet, bounds)
    if table is not None:
        out["tableRange"] = a1_of(sheet, *table)
        target = table[2]
    else:
        target = bounds.start_row
    height = len(rows)
    width = max((len(row) for row in rows), default=0)
    if req.param("insertDataOption") == "INSERT_ROWS" and height and target < sheet.row_count:
        sheet.insert("ROWS", target, height)
    if height and width:
        write_values(sheet, target, bounds.start_col, rows, option)
    area = (target, bounds.start_col, target + max(height, 1), bounds.start_col + max(width, 1))
    updates: dict[str, Any] = {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "updatedRange": a1_of(sheet, *area),
    }
    updates.update(_counts(rows))
    if req.flag("includeValuesInResponse"):
        render = req.param("responseValueRenderOption") or "FORMATTED_VALUE"
        updates["updatedData"] = value_range(sheet, area, render, "ROWS", "SERIAL_NUMBER")
    out["updates"] = updates
    return out


def _clear(spreadsheet: Spreadsheet, range_text: str) -> str:
    """Clear values (formats stay) and return the cleared range as Sheets echoes it."""
    bounds = resolve_a1(spreadsheet, range_text)
    area = clip_for_read(bounds)
    r0, c0, r1, c1 = area
    sheet = bounds.sheet
    for (r, c), cell in list(sheet.cells.items()):
        if r0 <= r < r1 and c0 <= c < c1 and "userEnteredValue" in cell:
            updated = dict(cell)
            del updated["userEnteredValue"]
            sheet.set_cell(r, c, updated)
    return a1_of(sheet, *area)


def ranges_param(req: Request) -> list[str]:
    """The repeatable ``ranges`` query parameter."""
    return list(req.query.get("ranges", []))


# ----------------------------------------------------------------------------- routing


def values_batch(
    drive_file: DriveFile, spreadsheet: Spreadsheet, req: Request, action: str
) -> dict[str, Any] | None:
    """``values:batchGet``, ``values:batchUpdate`` and ``values:batchClear``; None if no match."""
    sid = spreadsheet.spreadsheet_id
    if action == "batchGet" and req.method == "GET":
        render, major, dtr = _render_options(req)
        value_ranges = []
        for text in ranges_param(req):
            bounds = resolve_a1(spreadsheet, text)
            value_ranges.append(
                value_range(bounds.sheet, clip_for_read(bounds), render, major, dtr)
            )
        return {"spreadsheetId": sid, "valueRanges": value_ranges}
    if action == "batchUpdate" and req.method == "POST":
        body = req.json_object()
        option = _input_option(body.get("valueInputOption"))
        data = body.get("data") or []
        if not isinstance(data, list):
            raise bad_request("Invalid value at 'data'")
        responses = []
        positions: list[tuple[int, int, int]] = []
        for i, item in enumerate(data):
            if not isinstance(item, dict) or "range" not in item:
                raise bad_request(f"Invalid data[{i}]: range is required")
            responses.append(
                _update_one(
                    spreadsheet,
                    str(item["range"]),
                    item.get("values"),
                    item.get("majorDimension"),
                    option,
                    f"data[{i}].values",
                    bool(body.get("includeValuesInResponse")),
                    str(body.get("responseValueRenderOption") or "FORMATTED_VALUE"),
                    positions,
                )
            )
        drive_file.touch()
        out: dict[str, Any] = {"spreadsheetId": sid}
        if positions:
            out.update(
                {
                    "totalUpdatedRows": len({(s, r) for s, r, _ in positions}),
                    "totalUpdatedColumns": len({(s, c) for s, _, c in positions}),
                    "totalUpdatedCells": len(positions),
                    "totalUpdatedSheets": len({s for s, _, _ in positions}),
                }
            )
        out["responses"] = responses
        return out
    if action == "batchClear" and req.method == "POST":
        body = req.json_object()
        ranges = body.get("ranges") or []
        cleared = [_clear(spreadsheet, str(text)) for text in ranges]
        drive_file.touch()
        return {"spreadsheetId": sid, "clearedRanges": cleared}
    return None


def values_endpoint(drive_file: DriveFile, spreadsheet: Spreadsheet, req: Request, raw: str) -> Any:
    """``/values/{range}``: GET, PUT, and POST with ``:append`` / ``:clear``; None if no match."""
    method = req.method
    suffix = None
    if method == "POST":
        m = _SUFFIX.match(raw)
        if m:
            raw, suffix = m.group(1), m.group(2)
    range_text = unquote(raw)
    if method == "GET" and suffix is None:
        render, major, dtr = _render_options(req)
        bounds = resolve_a1(spreadsheet, range_text)
        return value_range(bounds.sheet, clip_for_read(bounds), render, major, dtr)
    if method == "PUT" and suffix is None:
        body = req.json_object()
        option = _input_option(req.param("valueInputOption"))
        result = _update_one(
            spreadsheet,
            range_text,
            body.get("values"),
            body.get("majorDimension"),
            option,
            "data.values",
            req.flag("includeValuesInResponse"),
            req.param("responseValueRenderOption") or "FORMATTED_VALUE",
        )
        drive_file.touch()
        return result
    if suffix == "append":
        result = _append(spreadsheet, range_text, req.json_object(), req)
        drive_file.touch()
        return result
    if suffix == "clear":
        cleared = _clear(spreadsheet, range_text)
        drive_file.touch()
        return {"spreadsheetId": spreadsheet.spreadsheet_id, "clearedRange": cleared}
    return None
