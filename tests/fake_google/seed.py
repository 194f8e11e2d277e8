"""Seeding and inspecting spreadsheets directly (no HTTP), for tests and control endpoints."""

from __future__ import annotations

from typing import Any

from . import cells
from .ranges import clip_for_read, resolve_a1
from .store import DEFAULT_COLUMNS, DEFAULT_ROWS, Spreadsheet, Store, new_sheet
from .values_api import write_values
from .views import read_values, spreadsheet_json

SEED_OWNER = "owner@example.com"


def create_spreadsheet(
    store: Store,
    title: str,
    sheets: dict[str, list[list[Any]]] | None = None,
    *,
    shared_with: set[str] | None = None,
    value_input_option: str = "USER_ENTERED",
    spreadsheet_id: str | None = None,
    owner: str = SEED_OWNER,
    locale: str = "en_US",
    time_zone: str = "Etc/GMT",
) -> str:
    """Create a spreadsheet with one sheet per ``sheets`` entry (title -> rows of values).

    Values are written as if through the values API with ``value_input_option`` (so by default
    ``"12%"`` becomes a percent-formatted 0.12 and ``"=A1"`` a formula). The grid is 1000x26 or
    larger when the data needs it. ``shared_with=None`` lets every caller in; a set limits
    access to those e-mail addresses.
    """
    with store.lock:
        spec = sheets if sheets else {"Sheet1": []}
        built = []
        for index, (sheet_title, rows) in enumerate(spec.items()):
            sheet = new_sheet(0 if index == 0 else 1_000_000 + index, sheet_title)
            width = max((len(row) for row in rows), default=0)
            sheet.ensure_size(max(DEFAULT_ROWS, len(rows)), max(DEFAULT_COLUMNS, width))
            write_values(sheet, 0, 0, [list(row) for row in rows], value_input_option)
            built.append(sheet)
        drive_file = store.add_spreadsheet(
            title,
            owner,
            built,
            file_id=spreadsheet_id,
            shared_with=shared_with,
            locale=locale,
            time_zone=time_zone,
        )
        return drive_file.file_id


def spreadsheet(store: Store, spreadsheet_id: str) -> Spreadsheet:
    """The live spreadsheet with this id (KeyError when unknown)."""
    found = store.get(spreadsheet_id)
    if found is None or found.spreadsheet is None:
        raise KeyError(f"no spreadsheet {spreadsheet_id!r}")
    return found.spreadsheet


def values(
    store: Store, spreadsheet_id: str, range_text: str, render: str = "UNFORMATTED_VALUE"
) -> list[list[Any]]:
    """Values of a sheet or A1 range, trimmed like the values API (numbers as numbers)."""
    with store.lock:
        bounds = resolve_a1(spreadsheet(store, spreadsheet_id), range_text)
        return read_values(bounds.sheet, clip_for_read(bounds), render)


def cell(store: Store, spreadsheet_id: str, a1: str) -> dict[str, Any]:
    """The API ``CellData`` of one cell (``{}`` when empty)."""
    with store.lock:
        ss = spreadsheet(store, spreadsheet_id)
        bounds = resolve_a1(ss, a1)
        stored = bounds.sheet.cells.get((bounds.start_row, bounds.start_col))
        return cells.api_cell(stored, ss.props.get("defaultFormat", {}))


def metadata(store: Store, spreadsheet_id: str, include_grid: bool = False) -> dict[str, Any]:
    """The ``Spreadsheet`` resource as ``spreadsheets.get`` would return it."""
    with store.lock:
        return spreadsheet_json(spreadsheet(store, spreadsheet_id), include_grid=include_grid)
