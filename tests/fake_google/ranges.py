"""Resolve A1 text and GridRange objects against a spreadsheet into concrete cell bounds."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .a1 import A1Error, format_range, parse_a1, quote_sheet_title
from .errors import ApiError, bad_request
from .store import Sheet, Spreadsheet


@dataclass(frozen=True)
class Bounds:
    """A rectangle on one sheet: 0-based, end-exclusive; ``None`` ends are open."""

    sheet: Sheet
    start_row: int
    start_col: int
    end_row: int | None
    end_col: int | None

    def closed(self) -> tuple[int, int, int, int]:
        """(start_row, start_col, end_row, end_col) with open ends at the grid's edge."""
        end_row = self.end_row if self.end_row is not None else self.sheet.row_count
        end_col = self.end_col if self.end_col is not None else self.sheet.column_count
        return self.start_row, self.start_col, end_row, end_col


def unable_to_parse(text: str) -> ApiError:
    """Sheets' 400 for a range it cannot read (unknown sheet, bad cells)."""
    return bad_request(f"Unable to parse range: {text}")


def exceeds_grid(sheet: Sheet, r0: int, c0: int, r1: int, c1: int, prefix: str = "") -> ApiError:
    """Sheets' 400 for a range that lies (partly) outside the sheet's grid."""
    cells = format_range(sheet.title, r0, c0, max(r1, r0 + 1), max(c1, c0 + 1)).split("!", 1)[1]
    message = (
        f"{prefix}Range ({quote_sheet_title(sheet.title)}!{cells}) exceeds grid limits. "
        f"Max rows: {sheet.row_count}, max columns: {sheet.column_count}"
    )
    return bad_request(message)


def resolve_a1(spreadsheet: Spreadsheet, text: str) -> Bounds:
    """Resolve ``text`` (A1 notation or a named range) to bounds with open ends kept open."""
    try:
        parsed = parse_a1(text)
    except A1Error as exc:
        named = _sheet_named_range(spreadsheet, text)
        if named is not None:
            return named
        raise unable_to_parse(text) from exc
    if parsed.sheet is None:
        if not spreadsheet.sheets:
            raise unable_to_parse(text)
        sheet: Sheet | None = spreadsheet.sheets[0]
    else:
        sheet = spreadsheet.sheet_by_title(parsed.sheet)
    if sheet is None:
        if not parsed.cells:
            named = named_range_bounds(spreadsheet, parsed.sheet or text)
            if named is not None:
                return named
        raise unable_to_parse(text)
    if not parsed.cells:
        return Bounds(sheet, 0, 0, None, None)
    return Bounds(sheet, parsed.start_row, parsed.start_col, parsed.end_row, parsed.end_col)


def _sheet_named_range(spreadsheet: Spreadsheet, text: str) -> Bounds | None:
    """``'Sheet1'!NamedRange``: a named range behind a sheet title, as Sheets accepts it."""
    if "!" not in text:
        return None
    name = text.rsplit("!", 1)[1]
    return named_range_bounds(spreadsheet, name)


def named_range_bounds(spreadsheet: Spreadsheet, name: str) -> Bounds | None:
    """Bounds of the named range called ``name``, if it exists."""
    for named in spreadsheet.named_ranges:
        if named.get("name") == name:
            grid = named.get("range", {})
            sheet = spreadsheet.sheet_by_id(int(grid.get("sheetId", 0)))
            if sheet is None:
                return None
            return Bounds(
                sheet,
                int(grid.get("startRowIndex", 0)),
                int(grid.get("startColumnIndex", 0)),
                grid.get("endRowIndex"),
                grid.get("endColumnIndex"),
            )
    return None


def clip_for_read(bounds: Bounds) -> tuple[int, int, int, int]:
    """Closed bounds clipped to the grid; 400 when the range starts outside the grid."""
    sheet = bounds.sheet
    r0, c0, r1, c1 = bounds.closed()
    if r0 >= sheet.row_count or c0 >= sheet.column_count:
        raise exceeds_grid(sheet, r0, c0, r1, c1)
    return r0, c0, min(r1, sheet.row_count), min(c1, sheet.column_count)


def a1_of(sheet: Sheet, r0: int, c0: int, r1: int, c1: int) -> str:
    """``Title!A1:B2`` for closed bounds (an empty rectangle shows as its first cell)."""
    return format_range(sheet.title, r0, c0, max(r1, r0 + 1), max(c1, c0 + 1))


def grid_range_bounds(
    spreadsheet: Spreadsheet, grid: Any, prefix: str, *, check: bool = True
) -> tuple[Sheet, int, int, int, int]:
    """(sheet, r0, c0, r1, c1) of a ``GridRange``; open ends reach the grid's edge.

    With ``check`` an explicit end beyond the grid is Sheets' "exceeds grid limits" 400.
    """
    if not isinstance(grid, dict):
        raise bad_request(f"{prefix}range is required")
    sheet_id = int(grid.get("sheetId", 0))
    sheet = spreadsheet.sheet_by_id(sheet_id)
    if sheet is None or not sheet.is_grid:  # an OBJECT sheet has no cells to write
        raise bad_request(f"{prefix}No grid with id: {sheet_id}")
    r0 = int(grid.get("startRowIndex", 0))
    c0 = int(grid.get("startColumnIndex", 0))
    r1 = int(grid.get("endRowIndex", sheet.row_count))
    c1 = int(grid.get("endColumnIndex", sheet.column_count))
    if r0 < 0 or c0 < 0 or r1 < r0 or c1 < c0:
        raise bad_request(f"{prefix}Invalid range: start must not be after end")
    if check and (r1 > sheet.row_count or c1 > sheet.column_count):
        raise exceeds_grid(sheet, r0, c0, r1, c1, prefix)
    return sheet, r0, c0, r1, c1


def grid_range_json(sheet_id: int, r0: int, c0: int, r1: int, c1: int) -> dict[str, Any]:
    """A ``GridRange`` as Google echoes it (``sheetId`` 0 left out, like proto3 JSON)."""
    out: dict[str, Any] = {} if sheet_id == 0 else {"sheetId": sheet_id}
    out.update(
        {"startRowIndex": r0, "endRowIndex": r1, "startColumnIndex": c0, "endColumnIndex": c1}
    )
    return out
