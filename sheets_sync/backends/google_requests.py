"""What a `batchUpdate` says: a generated tab's cells and sheet, the ownership marker and the
template version (developer metadata), protection, header cells, drop-downs and widths."""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from typing import Any, Final

from ..sheet import schema
from ..sheet.schema import Lang
from ..sheet.tabs import GeneratedTab, OutCell
from ..sheet.template import TEMPLATE_ROWS, TabLayout
from ..words.core import say
from ..words.lang import current_language

VERSION_KEY: Final = "sheets_sync_template_version"
# The ownership marker: developer metadata on the sheet itself (value: the generated tab's key).
# It moves with the sheet, survives renames, and is deleted with the sheet.
MARKER_KEY: Final = "sheets-sync.generated"

_SERIAL_EPOCH = date(1899, 12, 30)
_LINK = re.compile(r"^'((?:[^']|'')*)'!([A-Z]+\d+)$")

_RGB = {
    "navy": {"red": 0.12, "green": 0.22, "blue": 0.39},
    "grey": {"red": 0.35, "green": 0.35, "blue": 0.35},
    "green": {"red": 0.11, "green": 0.43, "blue": 0.13},
    "red": {"red": 0.69, "green": 0.0, "blue": 0.13},
    "header": {"red": 0.87, "green": 0.89, "blue": 0.93},
    "error": {"red": 0.98, "green": 0.89, "blue": 0.89},
    "warning": {"red": 1.0, "green": 0.96, "blue": 0.81},
    "ok": {"red": 0.89, "green": 0.96, "blue": 0.89},
}
_STYLES: dict[str, dict[str, Any]] = {
    "title": {"textFormat": {"bold": True, "fontSize": 16}},
    "subtitle": {"textFormat": {"bold": True, "fontSize": 12,
                                "foregroundColorStyle": {"rgbColor": _RGB["navy"]}}},
    "header": {"textFormat": {"bold": True}, "backgroundColorStyle": {"rgbColor": _RGB["header"]},
               "horizontalAlignment": "CENTER"},
    "muted": {"textFormat": {"italic": True, "foregroundColorStyle": {"rgbColor": _RGB["grey"]}}},
    "good": {"textFormat": {"bold": True, "foregroundColorStyle": {"rgbColor": _RGB["green"]}}},
    "bad": {"textFormat": {"bold": True, "foregroundColorStyle": {"rgbColor": _RGB["red"]}}},
    "error": {"backgroundColorStyle": {"rgbColor": _RGB["error"]}},
    "warning": {"backgroundColorStyle": {"rgbColor": _RGB["warning"]}},
    "ok": {"backgroundColorStyle": {"rgbColor": _RGB["ok"]}},
}  # fmt: skip


# -- writing cells -----------------------------------------------------------------------------
def cell_data(out: OutCell, titles_to_ids: dict[str, int], wrap: bool) -> dict[str, Any]:
    value = out.value
    data: dict[str, Any] = {}
    fmt: dict[str, Any] = json.loads(json.dumps(_STYLES.get(out.style or "", {})))
    if value is None or value == "":
        pass
    elif out.formula and isinstance(value, str):
        data["userEnteredValue"] = {"formulaValue": value}  # only formulas we built ourselves
    elif isinstance(value, bool):
        data["userEnteredValue"] = {"boolValue": value}
    elif isinstance(value, int | float):
        data["userEnteredValue"] = {"numberValue": value}
        fmt.setdefault("horizontalAlignment", "CENTER")
    elif isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        data["userEnteredValue"] = {"numberValue": (day - _SERIAL_EPOCH).days}
        fmt["numberFormat"] = {"type": "DATE", "pattern": "yyyy-mm-dd"}
    else:
        # stringValue is never parsed: "=IMPORTXML(…)" or "+81 90…" stays exactly as typed.
        data["userEnteredValue"] = {"stringValue": str(value)}
    if out.number_format and "%" in out.number_format:
        fmt["numberFormat"] = {"type": "PERCENT", "pattern": out.number_format}
    if out.centered:
        fmt.setdefault("horizontalAlignment", "CENTER")
    if out.link:
        match = _LINK.match(out.link)
        if match and match.group(1).replace("''", "'") in titles_to_ids:
            gid = titles_to_ids[match.group(1).replace("''", "'")]
            fmt.setdefault("textFormat", {})["link"] = {"uri": f"#gid={gid}&range={match.group(2)}"}
    fmt["verticalAlignment"] = "TOP"
    fmt["wrapStrategy"] = "WRAP" if wrap and isinstance(value, str) else "OVERFLOW_CELL"
    data["userEnteredFormat"] = fmt
    return data


def add_sheet(sheet_id: int, tab: GeneratedTab) -> list[dict[str, Any]]:
    props: dict[str, Any] = {"sheetId": sheet_id, "title": tab.title,
                             "tabColorStyle": {"rgbColor": _RGB["navy"]}}  # fmt: skip
    if tab.index is not None:
        props["index"] = tab.index
    return [{"addSheet": {"properties": props}}, protect(sheet_id, tab.title, current_language())]


def protect(sheet_id: int, title: str, lang: Lang) -> dict[str, Any]:
    return {"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id}, "warningOnly": True,
        "description": say("tab.protected", lang, title=title),
    }}}  # fmt: skip


def replace_content(sheet_id: int, tab: GeneratedTab, titles_to_ids: dict[str, int], *,
                     existing: bool) -> list[dict[str, Any]]:  # fmt: skip
    width = max([len(tab.widths), 1, *(len(r) for r in tab.rows)])
    height = max(len(tab.rows), 1)
    # Columns staff froze go: the tab is ours, and Google refuses to narrow a sheet below its
    # frozen columns (staff widen the Checks, freeze past its width: every write a 400).
    requests_: list[dict[str, Any]] = [
        {"updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "gridProperties": {
                "rowCount": height + 1, "columnCount": width,
                "frozenRowCount": tab.frozen_rows, "frozenColumnCount": 0}},
            "fields": "gridProperties(rowCount,columnCount,frozenRowCount,frozenColumnCount)",
        }},
    ]  # fmt: skip
    if existing:
        requests_.append({"unmergeCells": {"range": {"sheetId": sheet_id}}})
    rows = []
    for line in tab.rows:
        wrap = sum(1 for out in line if out.value not in (None, "")) > 1
        cells = [cell_data(out, titles_to_ids, wrap) for out in line]
        rows.append({"values": cells + [{}] * (width - len(cells))})
    requests_.append({"updateCells": {
        "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": height + 1,
                  "startColumnIndex": 0, "endColumnIndex": width},
        "rows": rows,
        "fields": "userEnteredValue,userEnteredFormat,note",
    }})  # fmt: skip
    for r1, c1, r2, c2 in tab.merges:
        requests_.append({"mergeCells": {"mergeType": "MERGE_ALL", "range": {
            "sheetId": sheet_id, "startRowIndex": r1 - 1, "endRowIndex": r2,
            "startColumnIndex": c1 - 1, "endColumnIndex": c2}}})  # fmt: skip
    for index, chars in enumerate(tab.widths):
        requests_.append(dimension(sheet_id, "COLUMNS", index, chars * 8 + 12))
    requests_.append(dimension(sheet_id, "ROWS", 0, 21, end=height + 1))
    for row, points in tab.row_heights.items():
        requests_.append(dimension(sheet_id, "ROWS", row - 1, int(points * 4 / 3)))
    return requests_


def dimension(sheet_id: int, dimension: str, start: int, pixels: int,
               end: int | None = None) -> dict[str, Any]:  # fmt: skip
    return {"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": dimension, "startIndex": start,
                  "endIndex": end if end is not None else start + 1},
        "properties": {"pixelSize": pixels}, "fields": "pixelSize",
    }}  # fmt: skip


def marker(sheet_id: int, key: str) -> dict[str, Any]:
    """The ownership marker: developer metadata located on the sheet (see `ownership`)."""
    metadata = {
        "metadataKey": MARKER_KEY,
        "metadataValue": key,
        "location": {"sheetId": sheet_id},
        "visibility": "DOCUMENT",
    }
    return {"createDeveloperMetadata": {"developerMetadata": metadata}}


def version_metadata(version: int) -> dict[str, Any]:
    return {"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": VERSION_KEY, "metadataValue": str(version),
        "location": {"spreadsheet": True}, "visibility": "DOCUMENT",
    }}}  # fmt: skip


def header_cells(sheet_id: int, start_column: int, headers: list[str],
                  notes: list[str], row: int = 0) -> dict[str, Any]:  # fmt: skip
    cells = [
        {"userEnteredValue": {"stringValue": h}, "note": n, "userEnteredFormat": _STYLES["header"]}
        for h, n in zip(headers, notes, strict=True)
    ]
    return {"updateCells": {
        "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": start_column},
        "rows": [{"values": cells}], "fields": "userEnteredValue,userEnteredFormat,note",
    }}  # fmt: skip


def input_tab_requests(sheet_id: int, tab_layout: TabLayout, rows: list[list[object]],
                        ids: dict[str, int], lang: Lang) -> list[dict[str, Any]]:  # fmt: skip
    requests_: list[dict[str, Any]] = []
    width = len(tab_layout.columns)
    requests_.append({"updateSheetProperties": {
        "properties": {"sheetId": sheet_id, "gridProperties": {
            "rowCount": TEMPLATE_ROWS, "columnCount": max(width, 10), "frozenRowCount": 1}},
        "fields": "gridProperties(rowCount,columnCount,frozenRowCount)"}})  # fmt: skip
    requests_.append(header_cells(sheet_id, 0, tab_layout.header_row(),
                                   [c.help for c in tab_layout.columns]))  # fmt: skip
    if rows:
        data_rows = [{"values": [_sample_cell(v) for v in row]} for row in rows]
        requests_.append({"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 0},
            "rows": data_rows, "fields": "userEnteredValue,userEnteredFormat"}})  # fmt: skip
    for index, column in enumerate(tab_layout.columns):
        requests_.append(dimension(sheet_id, "COLUMNS", index, column.width * 8 + 16))
        rule = _validation_rule(column.validation, column.labels, column.reference, ids, lang)
        if rule is None:
            continue
        rule["inputMessage"] = column.help
        requests_.append({"setDataValidation": {
            "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": TEMPLATE_ROWS,
                      "startColumnIndex": index, "endColumnIndex": index + 1},
            "rule": rule}})  # fmt: skip
    return requests_


def _sample_cell(value: object) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if isinstance(value, date):
        return {
            "userEnteredValue": {"numberValue": (value - _SERIAL_EPOCH).days},
            "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy/mm/dd"}},
        }
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}  # fmt: skip


def _validation_rule(kind: str, labels: tuple[str, ...], reference: tuple[str, int] | None,
                     ids: dict[str, int], lang: Lang) -> dict[str, Any] | None:  # fmt: skip
    # strict=False: staff may still type 令和8年… or 1,200円 — the sync reads those too.
    if kind == "list":
        values = [{"userEnteredValue": label} for label in labels]
        condition = {"type": "ONE_OF_LIST", "values": values}
        return {"condition": condition, "strict": False, "showCustomUi": True}
    if kind == "reference" and reference is not None:
        tab = schema.TABS_BY_KEY[reference[0]]
        letter = chr(ord("A") + reference[1])
        title = tab.title(lang).replace("'", "''")
        formula = f"='{title}'!{letter}2:{letter}{TEMPLATE_ROWS}"
        return {"condition": {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": formula}]},
                "strict": False, "showCustomUi": True}  # fmt: skip
    if kind == "date":
        return {"condition": {"type": "DATE_IS_VALID"}, "strict": False}
    return None
