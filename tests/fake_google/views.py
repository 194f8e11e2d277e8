"""JSON views of stored state: Spreadsheet/SheetProperties/GridData resources and ValueRanges."""

from __future__ import annotations

import copy
from typing import Any

from . import cells, colors
from .fieldmask import Mask, mentions, project
from .ranges import a1_of, clip_for_read, resolve_a1
from .store import DEFAULT_COLUMN_PIXELS, DEFAULT_ROW_PIXELS, Sheet, Spreadsheet


def sheet_properties(sheet: Sheet, index: int) -> dict[str, Any]:
    """``SheetProperties`` JSON: fixed key order, default (zero/false) extras left out."""
    props = copy.deepcopy(sheet.props)
    out: dict[str, Any] = {
        "sheetId": props.pop("sheetId"),
        "title": props.pop("title"),
        "index": index,
        "sheetType": props.pop("sheetType", "GRID"),
    }
    grid = props.pop("gridProperties", {})
    if sheet.is_grid:  # an OBJECT sheet has no grid, so no gridProperties
        grid_out = {"rowCount": grid.pop("rowCount"), "columnCount": grid.pop("columnCount")}
        grid_out.update({k: v for k, v in grid.items() if v not in (0, False, None)})
        out["gridProperties"] = grid_out
    props.pop("index", None)
    out.update({k: v for k, v in props.items() if v not in (False, None)})
    normalized: dict[str, Any] = colors.normalize(out)
    return normalized


def _cell_fields(mask: Mask | None) -> set[str] | None:
    """The cell fields a mask asks for under sheets.data.rowData.values (None = all); a mask of
    `userEnteredValue/formulaValue` alone says so (`userEnteredValue.formulaValue`), so that
    only formula cells carry a userEnteredValue, as Google leaves empty messages out."""
    node: Mask | None = mask
    for key in ("sheets", "data", "rowData", "values"):
        if node is None:
            return None
        if key not in node:
            return set()
        node = node[key]
    if node is None:
        return None
    wanted = set(node)
    if node.get("userEnteredValue") == {"formulaValue": None}:
        wanted.discard("userEnteredValue")
        wanted.add("userEnteredValue.formulaValue")
    return wanted


def _grid_data(
    sheet: Sheet,
    default_format: dict[str, Any],
    bounds: tuple[int, ...],
    wanted: set[str] | None = None,
) -> Any:
    """``GridData`` for a closed rectangle: rows up to the last non-empty one, trimmed."""
    r0, c0, r1, c1 = bounds
    rows: dict[int, dict[int, cells.Cell]] = {}
    for (r, c), cell in sheet.cells.items():
        if r0 <= r < r1 and c0 <= c < c1 and cell:
            rows.setdefault(r, {})[c] = cell
    row_data: list[dict[str, Any]] = []
    cache: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {}
    if rows:
        for r in range(r0, max(rows) + 1):
            row = rows.get(r)
            if not row:
                row_data.append({})
                continue
            values = [
                cells.api_cell(row.get(c), default_format, cache, wanted)
                for c in range(c0, max(row) + 1)
            ]
            row_data.append({"values": values})
    data: dict[str, Any] = {}
    if r0:
        data["startRow"] = r0
    if c0:
        data["startColumn"] = c0
    if row_data:
        data["rowData"] = row_data
    data["rowMetadata"] = [
        {"pixelSize": DEFAULT_ROW_PIXELS, **sheet.row_meta.get(r, {})} for r in range(r0, r1)
    ]
    data["columnMetadata"] = [
        {"pixelSize": DEFAULT_COLUMN_PIXELS, **sheet.col_meta.get(c, {})} for c in range(c0, c1)
    ]
    return data


def spreadsheet_json(
    spreadsheet: Spreadsheet,
    *,
    include_grid: bool = False,
    ranges: list[str] | None = None,
    mask: Mask | None = None,
) -> dict[str, Any]:
    """The ``Spreadsheet`` resource; ``ranges`` limit sheets/data, ``mask`` projects it."""
    want_data = include_grid if mask is None else mentions(mask, "sheets", "data")
    selected: dict[int, list[tuple[int, ...]]] = {}
    if ranges:
        for text in ranges:
            bounds = resolve_a1(spreadsheet, text)
            selected.setdefault(bounds.sheet.sheet_id, []).append(clip_for_read(bounds))
    default_format = spreadsheet.props.get("defaultFormat", {})
    sheets_out: list[dict[str, Any]] = []
    for index, sheet in enumerate(spreadsheet.sheets):
        if ranges and sheet.sheet_id not in selected:
            continue
        entry: dict[str, Any] = {"properties": sheet_properties(sheet, index)}
        if want_data and sheet.is_grid:
            areas = selected.get(sheet.sheet_id) or [(0, 0, sheet.row_count, sheet.column_count)]
            wanted = _cell_fields(mask)
            entry["data"] = [_grid_data(sheet, default_format, area, wanted) for area in areas]
        if sheet.merges:
            entry["merges"] = [_without_zero_sheet(m) for m in sheet.merges]
        if sheet.conditional_formats:
            entry["conditionalFormats"] = copy.deepcopy(sheet.conditional_formats)
        if sheet.protected_ranges:
            entry["protectedRanges"] = copy.deepcopy(sheet.protected_ranges)
        if sheet.basic_filter is not None:
            entry["basicFilter"] = copy.deepcopy(sheet.basic_filter)
        if sheet.developer_metadata:
            entry["developerMetadata"] = copy.deepcopy(sheet.developer_metadata)
        if sheet.charts:
            entry["charts"] = copy.deepcopy(sheet.charts)
        sheets_out.append(entry)
    out: dict[str, Any] = {
        "spreadsheetId": spreadsheet.spreadsheet_id,
        "properties": copy.deepcopy(spreadsheet.props),
        "sheets": sheets_out,
    }
    if spreadsheet.named_ranges:
        out["namedRanges"] = copy.deepcopy(spreadsheet.named_ranges)
    if spreadsheet.developer_metadata:
        out["developerMetadata"] = copy.deepcopy(spreadsheet.developer_metadata)
    out["spreadsheetUrl"] = (
        f"https://docs.google.com/spreadsheets/d/{spreadsheet.spreadsheet_id}/edit"
    )
    return project(out, mask) if mask is not None else out


def _without_zero_sheet(grid: dict[str, Any]) -> dict[str, Any]:
    """A GridRange copy without ``sheetId`` 0 (Google leaves proto defaults out)."""
    out = dict(grid)
    if out.get("sheetId") == 0:
        del out["sheetId"]
    return out


def read_values(
    sheet: Sheet,
    area: tuple[int, int, int, int],
    render: str = "FORMATTED_VALUE",
    major: str = "ROWS",
    datetime_render: str = "SERIAL_NUMBER",
) -> list[list[Any]]:
    """The values of a closed rectangle, trailing empty rows and cells trimmed like Sheets."""
    r0, c0, r1, c1 = area
    found: dict[int, dict[int, Any]] = {}
    for (r, c), cell in sheet.cells.items():
        if r0 <= r < r1 and c0 <= c < c1:
            value = cells.render(cell, render, datetime_render)
            if value is not None:
                outer, inner = (r - r0, c - c0) if major != "COLUMNS" else (c - c0, r - r0)
                found.setdefault(outer, {})[inner] = value
    if not found:
        return []
    matrix: list[list[Any]] = []
    for i in range(max(found) + 1):
        line = found.get(i, {})
        matrix.append([line.get(j, "") for j in range(max(line) + 1)] if line else [])
    return matrix


def value_range(
    sheet: Sheet, area: tuple[int, int, int, int], render: str, major: str, dtr: str
) -> dict[str, Any]:
    """A ``ValueRange`` JSON for a closed rectangle (no ``values`` key when it is empty)."""
    out: dict[str, Any] = {"range": a1_of(sheet, *area), "majorDimension": major}
    values = read_values(sheet, area, render, major, dtr)
    if values:
        out["values"] = values
    return out
