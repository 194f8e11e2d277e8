"""``spreadsheets:batchUpdate``: apply structural/cell requests atomically and build replies."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from . import cells, colors
from .errors import ApiError, bad_request
from .fieldmask import Mask, MaskError, masked_update, mentions, parse_mask
from .ranges import exceeds_grid, grid_range_bounds, grid_range_json
from .store import DEFAULT_COLUMNS, DEFAULT_ROWS, DriveFile, Sheet, Spreadsheet, new_numeric_id
from .views import sheet_properties

Reply = dict[str, Any]


class _Context:
    """What one request handler needs: the spreadsheet, the caller and the error prefix."""

    def __init__(self, spreadsheet: Spreadsheet, caller: str, index: int, kind: str) -> None:
        self.spreadsheet = spreadsheet
        self.caller = caller
        self.prefix = f"Invalid requests[{index}].{kind}: "

    def error(self, message: str) -> ApiError:
        """A 400 with Google's ``Invalid requests[i].kind:`` prefix."""
        return bad_request(self.prefix + message)

    def sheet(self, sheet_id: Any) -> Sheet:
        """The sheet with ``sheet_id`` (default 0) or Google's "No grid with id" 400."""
        sid = int(sheet_id or 0)
        found = self.spreadsheet.sheet_by_id(sid)
        if found is None:
            raise self.error(f"No grid with id: {sid}")
        return found

    def mask(self, fields: Any, required: bool = True) -> Mask:
        """Parse an update request's ``fields``."""
        if not fields:
            if required:
                raise self.error("At least one field must be updated (fields is required)")
            return {"*": None}
        try:
            return parse_mask(str(fields))
        except MaskError as exc:
            raise self.error(str(exc)) from exc

    def grid(self, grid: Any, check: bool = True) -> tuple[Sheet, int, int, int, int]:
        """Resolve a GridRange within this request."""
        return grid_range_bounds(self.spreadsheet, grid, self.prefix, check=check)


def batch_update(drive_file: DriveFile, body: dict[str, Any], caller: str) -> dict[str, Any]:
    """Apply ``body["requests"]`` all-or-nothing; on error the spreadsheet is left untouched."""
    original = drive_file.spreadsheet
    assert original is not None
    requests = body.get("requests")
    if not isinstance(requests, list) or not requests:
        raise bad_request("Must specify at least one request.")
    working = original.snapshot()
    replies: list[Reply] = []
    for index, request in enumerate(requests):
        if not isinstance(request, dict) or len(request) != 1:
            raise bad_request(f"Invalid requests[{index}]: exactly one request kind is required")
        kind, payload = next(iter(request.items()))
        handler = HANDLERS.get(kind)
        if handler is None:
            raise ApiError(
                501,
                f"Invalid requests[{index}]: the emulator does not implement '{kind}'",
                "NOT_IMPLEMENTED",
            )
        if not isinstance(payload, dict):
            raise bad_request(f"Invalid requests[{index}].{kind}: expected an object")
        replies.append(handler(_Context(working, caller, index, kind), payload))
    drive_file.spreadsheet = working
    return {"spreadsheetId": working.spreadsheet_id, "replies": replies}


# ----------------------------------------------------------------------------- sheets


def _check_title(ctx: _Context, title: Any, sheet: Sheet | None = None) -> str:
    """A usable sheet title: non-empty and not used by another sheet."""
    if not isinstance(title, str) or not title.strip():
        raise ctx.error("Sheet title must not be empty")
    other = ctx.spreadsheet.sheet_by_title(title)
    if other is not None and other is not sheet:
        raise ctx.error(
            f'A sheet with the name "{title}" already exists. Please enter another name.'
        )
    return title


def _sheet_reply(ctx: _Context, sheet: Sheet) -> dict[str, Any]:
    """SheetProperties JSON for replies."""
    return sheet_properties(sheet, ctx.spreadsheet.sheets.index(sheet))


def add_sheet(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """addSheet: new grid sheet; reply carries its properties."""
    props = copy.deepcopy(payload.get("properties") or {})
    ss = ctx.spreadsheet
    title = _check_title(ctx, props.get("title") or ss.free_title())
    if "sheetId" in props:
        sheet_id = int(props["sheetId"])
        if sheet_id < 0 or ss.sheet_by_id(sheet_id) is not None:
            raise ctx.error(f"A sheet with the id {sheet_id} already exists")
    else:
        sheet_id = ss.new_sheet_id()
    grid = dict(props.get("gridProperties") or {})
    grid.setdefault("rowCount", DEFAULT_ROWS)
    grid.setdefault("columnCount", DEFAULT_COLUMNS)
    index = props.pop("index", None)
    props.update({"sheetId": sheet_id, "title": title, "gridProperties": grid, "sheetType": "GRID"})
    sheet = Sheet(props=props)
    position = len(ss.sheets) if index is None else max(0, min(int(index), len(ss.sheets)))
    ss.sheets.insert(position, sheet)
    return {"addSheet": {"properties": _sheet_reply(ctx, sheet)}}


def add_chart(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """addChart: an EmbeddedChart over a grid sheet's cells (``overlayPosition``), or on a new
    OBJECT sheet of its own (``newSheet``), which is what Excel calls a chart sheet."""
    chart = copy.deepcopy(payload.get("chart") or {})
    position = chart.get("position") or {}
    ss = ctx.spreadsheet
    chart["chartId"] = int(chart.get("chartId") or new_numeric_id())
    if position.get("newSheet"):
        title = f"Chart{len(ss.sheets) + 1}"
        while ss.sheet_by_title(title) is not None:
            title += "'"
        home = Sheet(props={"sheetId": ss.new_sheet_id(), "title": title, "sheetType": "OBJECT"})
        ss.sheets.append(home)
        chart["position"] = {"sheetId": home.sheet_id}
    else:
        anchor = (position.get("overlayPosition") or {}).get("anchorCell") or {}
        home = ctx.sheet(anchor.get("sheetId"))
        if not home.is_grid:
            raise ctx.error(f"No grid with id: {home.sheet_id}")
    home.charts.append(chart)
    return {"addChart": {"chart": copy.deepcopy(chart)}}


def delete_sheet(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """deleteSheet: refuses to remove the last sheet."""
    sheet = ctx.sheet(payload.get("sheetId"))
    if len(ctx.spreadsheet.sheets) == 1:
        raise ctx.error("You can't remove all the sheets in a document.")
    ctx.spreadsheet.sheets.remove(sheet)
    return {}


def duplicate_sheet(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """duplicateSheet: a deep copy of a sheet under a new id/title."""
    source = ctx.sheet(payload.get("sourceSheetId"))
    ss = ctx.spreadsheet
    clone = copy.deepcopy(source)
    new_id = payload.get("newSheetId")
    clone.props["sheetId"] = int(new_id) if new_id is not None else ss.new_sheet_id()
    clone.props["title"] = _check_title(
        ctx, payload.get("newSheetName") or f"Copy of {source.title}"
    )
    clone.protected_ranges = []
    for entry in clone.developer_metadata:  # the copy's metadata is its own, with new ids
        entry["metadataId"] = new_numeric_id()
        entry["location"] = {"locationType": "SHEET", "sheetId": clone.sheet_id}
    index = payload.get("insertSheetIndex")
    position = len(ss.sheets) if index is None else max(0, min(int(index), len(ss.sheets)))
    ss.sheets.insert(position, clone)
    return {"duplicateSheet": {"properties": _sheet_reply(ctx, clone)}}


def update_sheet_properties(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """updateSheetProperties: masked update of title, gridProperties, hidden, index, ..."""
    props = payload.get("properties") or {}
    sheet = ctx.sheet(props.get("sheetId"))
    mask = ctx.mask(payload.get("fields"))
    ss = ctx.spreadsheet
    if mentions(mask, "title") and "title" in props:
        _check_title(ctx, props["title"], sheet)
    old_rows, old_cols = sheet.row_count, sheet.column_count
    updated = copy.deepcopy(sheet.props)
    masked_update(updated, {k: v for k, v in props.items() if k != "index"}, mask)
    colors.drop_stale_twins(updated, mask)
    updated["sheetId"] = sheet.sheet_id
    if not updated.get("title"):
        updated["title"] = sheet.title
    grid = updated.setdefault("gridProperties", {})
    grid.setdefault("rowCount", old_rows)
    grid.setdefault("columnCount", old_cols)
    rows, cols = int(grid["rowCount"]), int(grid["columnCount"])
    if rows < 1 or cols < 1:
        raise ctx.error("A sheet must have at least one row and one column")
    if int(grid.get("frozenRowCount", 0)) > rows or int(grid.get("frozenColumnCount", 0)) > cols:
        raise ctx.error("Cannot freeze more rows or columns than the sheet has")
    updated.pop("index", None)
    sheet.props = updated
    if (rows, cols) != (old_rows, old_cols):
        sheet.resize(rows, cols)
    if updated.get("hidden") and all(s.props.get("hidden") for s in ss.sheets):
        raise ctx.error("You can't hide all the sheets in a document.")
    if mentions(mask, "index") and "index" in props:
        _move(ss, sheet, int(props["index"]))
    return {}


def _move(ss: Spreadsheet, sheet: Sheet, index: int) -> None:
    """Move a sheet; like Sheets, ``index`` counts positions before the move."""
    old = ss.sheets.index(sheet)
    ss.sheets.remove(sheet)
    target = index - 1 if index > old else index
    ss.sheets.insert(max(0, min(target, len(ss.sheets))), sheet)


def update_spreadsheet_properties(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """updateSpreadsheetProperties: masked update (title, locale, timeZone, ...)."""
    masked_update(
        ctx.spreadsheet.props, payload.get("properties") or {}, ctx.mask(payload.get("fields"))
    )
    if not ctx.spreadsheet.props.get("title"):
        raise ctx.error("Spreadsheet title must not be empty")
    return {}


# ----------------------------------------------------------------------------- cells


def _apply_cell(sheet: Sheet, row: int, col: int, data: Any, mask: Mask) -> None:
    """Masked update of one cell from a ``CellData``; validates the entered value."""
    source = data if isinstance(data, dict) else {}
    problem = cells.validate_entered(source.get("userEnteredValue"))
    if problem:
        raise bad_request(problem)
    cell = copy.deepcopy(sheet.cells.get((row, col), {}))
    masked_update(cell, source, mask)
    colors.drop_stale_twins(cell, mask)
    sheet.set_cell(row, col, cells.clean(cell))


def _rows(payload: dict[str, Any]) -> list[list[Any]]:
    """The ``rows[].values[]`` of a request as a list of lists."""
    rows = payload.get("rows") or []
    return [list((row or {}).get("values") or []) for row in rows]


def update_cells(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """updateCells with ``start`` or ``range``; writing outside the grid is a 400."""
    mask = ctx.mask(payload.get("fields"))
    rows = _rows(payload)
    if "start" in payload:
        start = payload["start"] or {}
        sheet = ctx.sheet(start.get("sheetId"))
        r0, c0 = int(start.get("rowIndex", 0)), int(start.get("columnIndex", 0))
        height = len(rows)
        width = max((len(r) for r in rows), default=0)
        if r0 + height > sheet.row_count or c0 + width > sheet.column_count:
            raise exceeds_grid(sheet, r0, c0, r0 + height, c0 + width, ctx.prefix)
        for i, row in enumerate(rows):
            for j, data in enumerate(row):
                _apply_cell(sheet, r0 + i, c0 + j, data, mask)
        return {}
    if "range" in payload:
        sheet, r0, c0, r1, c1 = ctx.grid(payload["range"])
        height = len(rows)
        width = max((len(r) for r in rows), default=0)
        if r0 + height > r1 or c0 + width > c1:
            raise exceeds_grid(sheet, r0, c0, r0 + height, c0 + width, ctx.prefix)
        for r in range(r0, r1):
            row = rows[r - r0] if r - r0 < height else []
            for c in range(c0, c1):
                data = row[c - c0] if c - c0 < len(row) else {}
                if data or (r, c) in sheet.cells:
                    _apply_cell(sheet, r, c, data, mask)
        return {}
    raise ctx.error("Must specify at least one of start or range.")


def repeat_cell(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """repeatCell: the same CellData (masked) on every cell of the range."""
    mask = ctx.mask(payload.get("fields"))
    sheet, r0, c0, r1, c1 = ctx.grid(payload.get("range"))
    data = payload.get("cell") or {}
    for r in range(r0, r1):
        for c in range(c0, c1):
            _apply_cell(sheet, r, c, data, mask)
    return {}


def append_cells(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """appendCells: rows after the last row with data, adding grid rows when needed."""
    sheet = ctx.sheet(payload.get("sheetId"))
    mask = ctx.mask(payload.get("fields"))
    rows = _rows(payload)
    r0 = sheet.last_data_row() + 1
    width = max((len(r) for r in rows), default=0)
    if width > sheet.column_count:
        raise exceeds_grid(sheet, r0, 0, r0 + len(rows), width, ctx.prefix)
    sheet.ensure_size(r0 + len(rows), 0)
    for i, row in enumerate(rows):
        for j, data in enumerate(row):
            _apply_cell(sheet, r0 + i, j, data, mask)
    return {}


def set_data_validation(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """setDataValidation: store (or with no rule, remove) the rule on each cell."""
    sheet, r0, c0, r1, c1 = ctx.grid(payload.get("range"))
    rule = payload.get("rule")
    for r in range(r0, r1):
        for c in range(c0, c1):
            cell = copy.deepcopy(sheet.cells.get((r, c), {}))
            if rule:
                cell["dataValidation"] = copy.deepcopy(rule)
            else:
                cell.pop("dataValidation", None)
            sheet.set_cell(r, c, cells.clean(cell))
    return {}


# ----------------------------------------------------------------------------- dimensions


def _dimension_range(ctx: _Context, payload: Any) -> tuple[Sheet, str, int, int]:
    """(sheet, dimension, start, end) of a ``DimensionRange``; open end = grid edge."""
    if not isinstance(payload, dict):
        raise ctx.error("range is required")
    sheet = ctx.sheet(payload.get("sheetId"))
    dimension = payload.get("dimension")
    if dimension not in ("ROWS", "COLUMNS"):
        raise ctx.error("dimension must be ROWS or COLUMNS")
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    start = int(payload.get("startIndex", 0))
    end = int(payload.get("endIndex", size))
    if start < 0 or end < start:
        raise ctx.error("Invalid dimension range")
    return sheet, str(dimension), start, end


def _check_dimension(ctx: _Context, sheet: Sheet, dimension: str, end: int) -> None:
    """400 when ``end`` passes the grid's edge along ``dimension``."""
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if end > size:
        if dimension == "ROWS":
            raise exceeds_grid(sheet, end - 1, 0, end, 1, ctx.prefix)
        raise exceeds_grid(sheet, 0, end - 1, 1, end, ctx.prefix)


def update_dimension_properties(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """updateDimensionProperties: pixelSize / hiddenByUser per row or column."""
    if "range" not in payload:
        return {}  # dataSourceSheetRange: nothing to emulate
    sheet, dimension, start, end = _dimension_range(ctx, payload["range"])
    _check_dimension(ctx, sheet, dimension, end)
    mask = ctx.mask(payload.get("fields"))
    meta = sheet.row_meta if dimension == "ROWS" else sheet.col_meta
    for i in range(start, end):
        entry = meta.get(i, {})
        masked_update(entry, payload.get("properties") or {}, mask)
        if entry:
            meta[i] = entry
        else:
            meta.pop(i, None)
    return {}


def auto_resize_dimensions(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """autoResizeDimensions: accepted; the emulator has no text metrics."""
    if "dimensions" in payload:
        _dimension_range(ctx, payload["dimensions"])
    return {}


def append_dimension(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """appendDimension: grow the grid by ``length`` rows or columns."""
    sheet = ctx.sheet(payload.get("sheetId"))
    length = int(payload.get("length", 0))
    if length < 1:
        raise ctx.error("length must be at least 1")
    if payload.get("dimension") == "COLUMNS":
        sheet.grid["columnCount"] = sheet.column_count + length
    elif payload.get("dimension") == "ROWS":
        sheet.grid["rowCount"] = sheet.row_count + length
    else:
        raise ctx.error("dimension must be ROWS or COLUMNS")
    return {}


def insert_dimension(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """insertDimension: empty rows/columns at ``startIndex``, shifting cells."""
    sheet, dimension, start, end = _dimension_range(ctx, payload.get("range"))
    _check_dimension(ctx, sheet, dimension, start)
    if end > start:
        sheet.insert(dimension, start, end - start)
    return {}


def delete_dimension(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """deleteDimension: remove rows/columns, shifting cells back."""
    sheet, dimension, start, end = _dimension_range(ctx, payload.get("range"))
    _check_dimension(ctx, sheet, dimension, end)
    size = sheet.row_count if dimension == "ROWS" else sheet.column_count
    if end - start >= size:
        noun = "rows" if dimension == "ROWS" else "columns"
        raise ctx.error(f"You can't delete all the {noun} on the sheet.")
    sheet.delete(dimension, start, end)
    return {}


# ----------------------------------------------------------------------------- objects


def _grid_json(ctx: _Context, grid: Any) -> dict[str, Any]:
    """A resolved GridRange as Google echoes it."""
    sheet, r0, c0, r1, c1 = ctx.grid(grid)
    return grid_range_json(sheet.sheet_id, r0, c0, r1, c1)


def add_protected_range(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """addProtectedRange: stored on the sheet; the reply carries the new id."""
    spec = copy.deepcopy(payload.get("protectedRange") or {})
    sheet, r0, c0, r1, c1 = ctx.grid(spec.get("range") or {"sheetId": 0})
    stored: dict[str, Any] = {
        "protectedRangeId": int(spec.get("protectedRangeId") or new_numeric_id()),
        "range": grid_range_json(sheet.sheet_id, r0, c0, r1, c1),
    }
    if spec.get("description"):
        stored["description"] = spec["description"]
    if spec.get("warningOnly"):
        stored["warningOnly"] = True
    stored["requestingUserCanEdit"] = True
    requested = list((spec.get("editors") or {}).get("users") or [])
    reply = copy.deepcopy(stored)
    reply["editors"] = {"users": requested} if requested else {}
    users = requested + ([ctx.caller] if ctx.caller and ctx.caller not in requested else [])
    stored["editors"] = {"users": users} if users else {}
    sheet.protected_ranges.append(stored)
    return {"addProtectedRange": {"protectedRange": reply}}


def _find_protected(ctx: _Context, range_id: Any) -> tuple[Sheet, dict[str, Any]]:
    """The sheet and protected range with ``range_id``."""
    for sheet in ctx.spreadsheet.sheets:
        for item in sheet.protected_ranges:
            if str(item.get("protectedRangeId")) == str(range_id):
                return sheet, item
    raise ctx.error(f"No protected range with id: {range_id}")


def delete_protected_range(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """deleteProtectedRange by id."""
    sheet, item = _find_protected(ctx, payload.get("protectedRangeId"))
    sheet.protected_ranges.remove(item)
    return {}


def update_protected_range(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """updateProtectedRange: masked update of a stored protected range."""
    spec = payload.get("protectedRange") or {}
    _, item = _find_protected(ctx, spec.get("protectedRangeId"))
    masked_update(item, spec, ctx.mask(payload.get("fields")))
    item["protectedRangeId"] = int(spec["protectedRangeId"])
    return {}


def _overlaps(a: dict[str, Any], b: tuple[int, int, int, int, int]) -> bool:
    """True when stored GridRange ``a`` intersects (sheet_id, r0, c0, r1, c1) ``b``."""
    sid, r0, c0, r1, c1 = b
    return (
        int(a.get("sheetId", 0)) == sid
        and a["startRowIndex"] < r1
        and r0 < a["endRowIndex"]
        and a["startColumnIndex"] < c1
        and c0 < a["endColumnIndex"]
    )


def merge_cells(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """mergeCells (MERGE_ALL / MERGE_ROWS / MERGE_COLUMNS): stored as merge ranges."""
    sheet, r0, c0, r1, c1 = ctx.grid(payload.get("range"))
    kind = payload.get("mergeType") or "MERGE_ALL"
    if kind == "MERGE_ROWS":
        parts = [(r, c0, r + 1, c1) for r in range(r0, r1)]
    elif kind == "MERGE_COLUMNS":
        parts = [(r0, c, r1, c + 1) for c in range(c0, c1)]
    elif kind == "MERGE_ALL":
        parts = [(r0, c0, r1, c1)]
    else:
        raise ctx.error(f"Unknown mergeType {kind}")
    key = (sheet.sheet_id, r0, c0, r1, c1)
    sheet.merges = [m for m in sheet.merges if not _overlaps(m, key)]
    for pr0, pc0, pr1, pc1 in parts:
        if (pr1 - pr0) * (pc1 - pc0) > 1:
            sheet.merges.append(
                {"sheetId": sheet.sheet_id, **grid_range_json(0, pr0, pc0, pr1, pc1)}
            )
    return {}


def unmerge_cells(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """unmergeCells: drop merges that intersect the range."""
    sheet, r0, c0, r1, c1 = ctx.grid(payload.get("range"))
    key = (sheet.sheet_id, r0, c0, r1, c1)
    sheet.merges = [m for m in sheet.merges if not _overlaps(m, key)]
    return {}


def set_basic_filter(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """setBasicFilter: stored with its range resolved to the grid."""
    spec = copy.deepcopy(payload.get("filter") or {})
    sheet, r0, c0, r1, c1 = ctx.grid(spec.get("range") or {"sheetId": 0})
    spec["range"] = grid_range_json(sheet.sheet_id, r0, c0, r1, c1)
    sheet.basic_filter = spec
    return {}


def clear_basic_filter(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """clearBasicFilter."""
    ctx.sheet(payload.get("sheetId")).basic_filter = None
    return {}


def add_named_range(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """addNamedRange: stored; the reply carries the new id."""
    spec = copy.deepcopy(payload.get("namedRange") or {})
    name = spec.get("name")
    if not name or any(n.get("name") == name for n in ctx.spreadsheet.named_ranges):
        raise ctx.error(f"Invalid or duplicate named range name: {name}")
    stored = {
        "namedRangeId": str(spec.get("namedRangeId") or new_numeric_id()),
        "name": name,
        "range": _grid_json(ctx, spec.get("range")),
    }
    ctx.spreadsheet.named_ranges.append(stored)
    return {"addNamedRange": {"namedRange": copy.deepcopy(stored)}}


def create_developer_metadata(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """createDeveloperMetadata on the spreadsheet or on a sheet (``location.sheetId``), as
    Google stores them: sheet metadata is listed under that sheet and deleted with it."""
    spec = copy.deepcopy(payload.get("developerMetadata") or {})
    location = spec.get("location") or {}
    if not spec.get("metadataKey"):
        raise ctx.error("developerMetadata needs a metadataKey")
    if location.get("spreadsheet"):
        place = {"locationType": "SPREADSHEET", "spreadsheet": True}
        owner = ctx.spreadsheet.developer_metadata
    elif "sheetId" in location:
        sheet = ctx.sheet(location["sheetId"])
        place = {"locationType": "SHEET", "sheetId": sheet.sheet_id}
        owner = sheet.developer_metadata
    else:
        raise ctx.error("developerMetadata needs a spreadsheet or a sheetId location")
    if spec.get("visibility", "DOCUMENT") not in ("DOCUMENT", "PROJECT"):
        raise ctx.error(f"Invalid visibility: {spec.get('visibility')}")
    stored = {
        "metadataId": int(spec.get("metadataId") or new_numeric_id()),
        "metadataKey": str(spec["metadataKey"]),
        "metadataValue": str(spec.get("metadataValue", "")),
        "location": place,
        "visibility": spec.get("visibility", "DOCUMENT"),
    }
    owner.append(stored)
    return {"createDeveloperMetadata": {"developerMetadata": copy.deepcopy(stored)}}


def delete_developer_metadata(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """deleteDeveloperMetadata by a dataFilter's developerMetadataLookup (key or id), wherever
    the metadata is located."""
    lookup = (payload.get("dataFilter") or {}).get("developerMetadataLookup") or {}
    deleted: list[dict[str, Any]] = []
    owners = [ctx.spreadsheet.developer_metadata] + [
        sheet.developer_metadata for sheet in ctx.spreadsheet.sheets
    ]
    for owner in owners:
        kept: list[dict[str, Any]] = []
        for entry in owner:
            same_key = lookup.get("metadataKey") in (None, entry["metadataKey"])
            same_id = lookup.get("metadataId") in (None, entry["metadataId"])
            (deleted if same_key and same_id and lookup else kept).append(entry)
        owner[:] = kept
    return {"deleteDeveloperMetadata": {"deletedDeveloperMetadata": deleted}}


def delete_named_range(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """deleteNamedRange by id."""
    wanted = str(payload.get("namedRangeId"))
    before = len(ctx.spreadsheet.named_ranges)
    ctx.spreadsheet.named_ranges = [
        n for n in ctx.spreadsheet.named_ranges if n.get("namedRangeId") != wanted
    ]
    if len(ctx.spreadsheet.named_ranges) == before:
        raise ctx.error(f"No named range with id: {wanted}")
    return {}


def add_conditional_format_rule(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """addConditionalFormatRule: stored on the first range's sheet (not evaluated)."""
    rule = copy.deepcopy(payload.get("rule") or {})
    ranges = rule.get("ranges") or []
    if not ranges:
        raise ctx.error("rule.ranges is required")
    sheet = ctx.grid(ranges[0])[0]
    index = int(payload.get("index", len(sheet.conditional_formats)))
    sheet.conditional_formats.insert(index, rule)
    return {}


def _sort_key(cell: cells.Cell | None) -> tuple[int, Any]:
    """Sheets' ascending order: numbers, then text (case-insensitive), then booleans, then
    empty cells (which stay last in both directions)."""
    value = cells.effective_value(cell) or {}
    if "numberValue" in value:
        return (0, float(value["numberValue"]))
    if "stringValue" in value:
        return (1, str(value["stringValue"]).casefold())
    if "boolValue" in value:
        return (2, bool(value["boolValue"]))
    return (3, 0)


def sort_range(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """sortRange: reorder the rows of a range by its sortSpecs (stable, multi-key)."""
    sheet, r0, c0, r1, c1 = ctx.grid(payload.get("range"))
    rows = [{c: sheet.cells.get((r, c)) for c in range(c0, c1)} for r in range(r0, r1)]
    for spec in reversed(payload.get("sortSpecs") or [{"dimensionIndex": c0}]):
        column = int(spec.get("dimensionIndex", c0))
        descending = spec.get("sortOrder") == "DESCENDING"
        filled = [row for row in rows if _sort_key(row.get(column))[0] < 3]
        empty = [row for row in rows if _sort_key(row.get(column))[0] == 3]
        filled.sort(key=lambda row: _sort_key(row.get(column)), reverse=descending)
        rows = filled + empty
    for offset, row in enumerate(rows):
        for c, cell in row.items():
            sheet.set_cell(r0 + offset, c, cell or {})
    return {}


_PASTE_KEYS = {
    "PASTE_NORMAL": cells.WRITABLE_KEYS,
    "PASTE_VALUES": ("userEnteredValue",),
    "PASTE_FORMAT": ("userEnteredFormat",),
    "PASTE_NO_BORDERS": cells.WRITABLE_KEYS,
    "PASTE_FORMULA": ("userEnteredValue",),
    "PASTE_DATA_VALIDATION": ("dataValidation",),
}


def _paste(
    sheet: Sheet, block: list[list[cells.Cell]], r0: int, c0: int, keys: tuple[str, ...]
) -> None:
    """Write a copied block at (r0, c0), replacing only the pasted kinds of data."""
    for i, row in enumerate(block):
        for j, source in enumerate(row):
            cell = copy.deepcopy(sheet.cells.get((r0 + i, c0 + j), {}))
            for key in keys:
                if key in source:
                    cell[key] = copy.deepcopy(source[key])
                else:
                    cell.pop(key, None)
            sheet.set_cell(r0 + i, c0 + j, cells.clean(cell))


def _block(sheet: Sheet, r0: int, c0: int, r1: int, c1: int) -> list[list[cells.Cell]]:
    """Copies of the cells in a rectangle."""
    return [
        [copy.deepcopy(sheet.cells.get((r, c), {})) for c in range(c0, c1)] for r in range(r0, r1)
    ]


def copy_paste(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """copyPaste: the source block tiled over the destination (TRANSPOSE supported)."""
    src, r0, c0, r1, c1 = ctx.grid(payload.get("source"))
    dst, d0, e0, d1, e1 = ctx.grid(payload.get("destination"))
    keys = _PASTE_KEYS.get(str(payload.get("pasteType") or "PASTE_NORMAL"))
    if keys is None:
        raise ctx.error(f"Unsupported pasteType {payload.get('pasteType')}")
    block = _block(src, r0, c0, r1, c1)
    if payload.get("pasteOrientation") == "TRANSPOSE":
        block = [list(col) for col in zip(*block, strict=True)] if block else []
    height, width = len(block), len(block[0]) if block else 0
    if not height or not width:
        return {}
    rows_needed = max(d1 - d0, height)
    cols_needed = max(e1 - e0, width)
    if d0 + rows_needed > dst.row_count or e0 + cols_needed > dst.column_count:
        raise exceeds_grid(dst, d0, e0, d0 + rows_needed, e0 + cols_needed, ctx.prefix)
    for top in range(d0, d0 + rows_needed, height):
        for left in range(e0, e0 + cols_needed, width):
            _paste(dst, block, top, left, keys)
    return {}


def cut_paste(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """cutPaste: move the source block to a destination coordinate."""
    src, r0, c0, r1, c1 = ctx.grid(payload.get("source"))
    target = payload.get("destination") or {}
    dst = ctx.sheet(target.get("sheetId"))
    d0, e0 = int(target.get("rowIndex", 0)), int(target.get("columnIndex", 0))
    keys = _PASTE_KEYS.get(str(payload.get("pasteType") or "PASTE_NORMAL"))
    if keys is None:
        raise ctx.error(f"Unsupported pasteType {payload.get('pasteType')}")
    if d0 + (r1 - r0) > dst.row_count or e0 + (c1 - c0) > dst.column_count:
        raise exceeds_grid(dst, d0, e0, d0 + r1 - r0, e0 + c1 - c0, ctx.prefix)
    block = _block(src, r0, c0, r1, c1)
    for r in range(r0, r1):
        for c in range(c0, c1):
            src.set_cell(r, c, {})
    _paste(dst, block, d0, e0, keys)
    return {}


def update_borders(ctx: _Context, payload: dict[str, Any]) -> Reply:
    """updateBorders: validated and accepted; borders are not stored."""
    ctx.grid(payload.get("range"))
    return {}


HANDLERS: dict[str, Callable[[_Context, dict[str, Any]], Reply]] = {
    "addSheet": add_sheet,
    "deleteSheet": delete_sheet,
    "addChart": add_chart,
    "duplicateSheet": duplicate_sheet,
    "updateSheetProperties": update_sheet_properties,
    "updateSpreadsheetProperties": update_spreadsheet_properties,
    "updateCells": update_cells,
    "repeatCell": repeat_cell,
    "appendCells": append_cells,
    "setDataValidation": set_data_validation,
    "updateDimensionProperties": update_dimension_properties,
    "autoResizeDimensions": auto_resize_dimensions,
    "appendDimension": append_dimension,
    "insertDimension": insert_dimension,
    "deleteDimension": delete_dimension,
    "addProtectedRange": add_protected_range,
    "deleteProtectedRange": delete_protected_range,
    "updateProtectedRange": update_protected_range,
    "mergeCells": merge_cells,
    "unmergeCells": unmerge_cells,
    "setBasicFilter": set_basic_filter,
    "clearBasicFilter": clear_basic_filter,
    "addNamedRange": add_named_range,
    "createDeveloperMetadata": create_developer_metadata,
    "deleteDeveloperMetadata": delete_developer_metadata,
    "deleteNamedRange": delete_named_range,
    "addConditionalFormatRule": add_conditional_format_rule,
    "updateBorders": update_borders,
    "sortRange": sort_range,
    "copyPaste": copy_paste,
    "cutPaste": cut_paste,
}
