"""In-memory state: Drive files, spreadsheets, sheets and their cells, behind one lock."""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import secrets
import string
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from .cells import Cell

SPREADSHEET_MIME = "application/vnd.google-apps.spreadsheet"
FOLDER_MIME = "application/vnd.google-apps.folder"
DEFAULT_ROWS = 1000
DEFAULT_COLUMNS = 26
DEFAULT_ROW_PIXELS = 21
DEFAULT_COLUMN_PIXELS = 100

# Sheets' default cell format for a new en_US spreadsheet.
DEFAULT_FORMAT: dict[str, Any] = {
    "backgroundColor": {"red": 1, "green": 1, "blue": 1},
    "padding": {"top": 2, "right": 3, "bottom": 2, "left": 3},
    "verticalAlignment": "BOTTOM",
    "wrapStrategy": "OVERFLOW_CELL",
    "textFormat": {
        "foregroundColor": {},
        "fontFamily": "arial,sans,sans-serif",
        "fontSize": 10,
        "bold": False,
        "italic": False,
        "strikethrough": False,
        "underline": False,
        "foregroundColorStyle": {"rgbColor": {}},
    },
    "backgroundColorStyle": {"rgbColor": {"red": 1, "green": 1, "blue": 1}},
}


def _rgb(hex_color: str) -> dict[str, float]:
    """``#4285F4`` as an API ``Color`` (channels 0..1, zero channels left out)."""
    channels = zip(("red", "green", "blue"), (1, 3, 5), strict=True)
    color = {name: round(int(hex_color[i : i + 2], 16) / 255, 8) for name, i in channels}
    return {name: value for name, value in color.items() if value}


THEME: dict[str, Any] = {
    "primaryFontFamily": "Arial",
    "themeColors": [
        {"colorType": kind, "color": {"rgbColor": _rgb(hex_color)}}
        for kind, hex_color in (
            ("TEXT", "#000000"),
            ("BACKGROUND", "#FFFFFF"),
            ("ACCENT1", "#4285F4"),
            ("ACCENT2", "#EA4335"),
            ("ACCENT3", "#FBBC04"),
            ("ACCENT4", "#34A853"),
            ("ACCENT5", "#FF6D01"),
            ("ACCENT6", "#46BDC6"),
            ("LINK", "#1155CC"),
        )
    ],
}


def now_rfc3339() -> str:
    """The current UTC time as Drive writes it (``2024-05-01T09:30:00.123Z``)."""
    moment = dt.datetime.now(dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def new_file_id() -> str:
    """A 44-character id in the style of Drive's spreadsheet ids."""
    alphabet = string.ascii_letters + string.digits + "-_"
    return "1" + "".join(secrets.choice(alphabet) for _ in range(43))


def new_numeric_id() -> int:
    """A random positive 31-bit id (sheet ids, protected range ids)."""
    return secrets.randbelow(2**31 - 2) + 1


@dataclass
class Sheet:
    """One tab: its properties (API shape, without ``index``), cells and per-sheet objects.

    Stored cell dicts are treated as immutable: to change a cell, build a new dict and pass it
    to ``set_cell`` (this keeps ``snapshot`` cheap).
    """

    props: dict[str, Any]
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)
    row_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    col_meta: dict[int, dict[str, Any]] = field(default_factory=dict)
    merges: list[dict[str, Any]] = field(default_factory=list)
    protected_ranges: list[dict[str, Any]] = field(default_factory=list)
    conditional_formats: list[dict[str, Any]] = field(default_factory=list)
    basic_filter: dict[str, Any] | None = None
    # Developer metadata located on this sheet (``location.sheetId``); it goes with the sheet.
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)
    # ``EmbeddedChart``s on this sheet: over its cells on a GRID sheet, or the one chart that
    # an OBJECT sheet (Excel's chart sheet) is.
    charts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def is_grid(self) -> bool:
        """A sheet of cells (GRID), not an OBJECT sheet holding one chart."""
        return str(self.props.get("sheetType", "GRID")) == "GRID"

    @property
    def sheet_id(self) -> int:
        """The sheet's numeric id (``gid``)."""
        return int(self.props["sheetId"])

    @property
    def title(self) -> str:
        """The tab title."""
        return str(self.props["title"])

    @property
    def grid(self) -> dict[str, Any]:
        """The ``gridProperties`` dict (created when missing)."""
        grid = self.props.setdefault("gridProperties", {})
        assert isinstance(grid, dict)
        return grid

    @property
    def row_count(self) -> int:
        """Rows in the grid."""
        return int(self.grid.get("rowCount", DEFAULT_ROWS))

    @property
    def column_count(self) -> int:
        """Columns in the grid."""
        return int(self.grid.get("columnCount", DEFAULT_COLUMNS))

    def resize(self, rows: int, columns: int) -> None:
        """Set the grid size, dropping cells and metadata that fall outside it."""
        self.grid["rowCount"] = rows
        self.grid["columnCount"] = columns
        self.cells = {rc: c for rc, c in self.cells.items() if rc[0] < rows and rc[1] < columns}
        self.row_meta = {i: m for i, m in self.row_meta.items() if i < rows}
        self.col_meta = {i: m for i, m in self.col_meta.items() if i < columns}

    def ensure_size(self, rows: int, columns: int) -> None:
        """Grow the grid (never shrink) so it has at least ``rows`` x ``columns``."""
        self.grid["rowCount"] = max(self.row_count, rows)
        self.grid["columnCount"] = max(self.column_count, columns)

    def set_cell(self, row: int, col: int, cell: Cell) -> None:
        """Store ``cell`` at (row, col), or forget the position when the cell is empty."""
        if cell:
            self.cells[(row, col)] = cell
        else:
            self.cells.pop((row, col), None)

    def insert(self, dimension: str, start: int, count: int) -> None:
        """Insert ``count`` empty rows/columns before ``start``, shifting what follows."""
        axis = 0 if dimension == "ROWS" else 1

        def shift(index: int) -> int:
            return index + count if index >= start else index

        self.cells = {
            ((shift(r), c) if axis == 0 else (r, shift(c))): cell
            for (r, c), cell in self.cells.items()
        }
        if axis == 0:
            self.row_meta = {shift(i): m for i, m in self.row_meta.items()}
            self.grid["rowCount"] = self.row_count + count
        else:
            self.col_meta = {shift(i): m for i, m in self.col_meta.items()}
            self.grid["columnCount"] = self.column_count + count

    def delete(self, dimension: str, start: int, end: int) -> None:
        """Delete rows/columns ``start``..``end`` (exclusive), shifting what follows back."""
        axis = 0 if dimension == "ROWS" else 1
        count = end - start

        def keep(index: int) -> bool:
            return not start <= index < end

        def shift(index: int) -> int:
            return index - count if index >= end else index

        moved: dict[tuple[int, int], Cell] = {}
        for (r, c), cell in self.cells.items():
            index = r if axis == 0 else c
            if keep(index):
                moved[(shift(r), c) if axis == 0 else (r, shift(c))] = cell
        self.cells = moved
        if axis == 0:
            self.row_meta = {shift(i): m for i, m in self.row_meta.items() if keep(i)}
            self.grid["rowCount"] = self.row_count - count
        else:
            self.col_meta = {shift(i): m for i, m in self.col_meta.items() if keep(i)}
            self.grid["columnCount"] = self.column_count - count

    def snapshot(self) -> Sheet:
        """A copy that can be changed freely; cell dicts are shared because they are never
        modified in place (writers build a new dict and ``set_cell`` it)."""
        return Sheet(
            props=copy.deepcopy(self.props),
            cells=dict(self.cells),
            row_meta=copy.deepcopy(self.row_meta),
            col_meta=copy.deepcopy(self.col_meta),
            merges=copy.deepcopy(self.merges),
            protected_ranges=copy.deepcopy(self.protected_ranges),
            conditional_formats=copy.deepcopy(self.conditional_formats),
            basic_filter=copy.deepcopy(self.basic_filter),
            developer_metadata=copy.deepcopy(self.developer_metadata),
            charts=copy.deepcopy(self.charts),
        )

    def last_data_row(self, col_start: int = 0, col_end: int | None = None) -> int:
        """Index of the last row with a value within the columns, or -1 when there is none."""
        rows = [
            r
            for (r, c), cell in self.cells.items()
            if cell.get("userEnteredValue") and c >= col_start and (col_end is None or c < col_end)
        ]
        return max(rows, default=-1)


@dataclass
class Spreadsheet:
    """A spreadsheet: properties (title, locale, ...), ordered sheets and named ranges."""

    spreadsheet_id: str
    props: dict[str, Any]
    sheets: list[Sheet] = field(default_factory=list)
    named_ranges: list[dict[str, Any]] = field(default_factory=list)
    developer_metadata: list[dict[str, Any]] = field(default_factory=list)

    @property
    def title(self) -> str:
        """The spreadsheet title (the Drive file name)."""
        return str(self.props.get("title", ""))

    def snapshot(self) -> Spreadsheet:
        """A copy that can be changed freely (see ``Sheet.snapshot``)."""
        return Spreadsheet(
            spreadsheet_id=self.spreadsheet_id,
            props=copy.deepcopy(self.props),
            sheets=[sheet.snapshot() for sheet in self.sheets],
            named_ranges=copy.deepcopy(self.named_ranges),
            developer_metadata=copy.deepcopy(self.developer_metadata),
        )

    def sheet_by_title(self, title: str) -> Sheet | None:
        """The sheet called ``title`` (exact match first, then case-insensitive, like Sheets)."""
        for sheet in self.sheets:
            if sheet.title == title:
                return sheet
        folded = title.casefold()
        for sheet in self.sheets:
            if sheet.title.casefold() == folded:
                return sheet
        return None

    def sheet_by_id(self, sheet_id: int) -> Sheet | None:
        """The sheet whose ``sheetId`` is ``sheet_id``."""
        for sheet in self.sheets:
            if sheet.sheet_id == sheet_id:
                return sheet
        return None

    def new_sheet_id(self) -> int:
        """A sheet id not used in this spreadsheet."""
        used = {sheet.sheet_id for sheet in self.sheets}
        while True:
            candidate = new_numeric_id()
            if candidate not in used:
                return candidate

    def free_title(self) -> str:
        """The next default title (``Sheet2``, ``Sheet3``, ...)."""
        n = len(self.sheets) + 1
        while self.sheet_by_title(f"Sheet{n}") is not None:
            n += 1
        return f"Sheet{n}"


def new_sheet(
    sheet_id: int, title: str, rows: int = DEFAULT_ROWS, columns: int = DEFAULT_COLUMNS
) -> Sheet:
    """A blank GRID sheet."""
    return Sheet(
        props={
            "sheetId": sheet_id,
            "title": title,
            "sheetType": "GRID",
            "gridProperties": {"rowCount": rows, "columnCount": columns},
        }
    )


@dataclass
class DriveFile:
    """A Drive file; spreadsheets carry their ``Spreadsheet``, other files (folders) do not."""

    file_id: str
    mime_type: str
    owner: str
    created: str
    modified: str
    spreadsheet: Spreadsheet | None = None
    file_name: str = ""
    parents: list[str] = field(default_factory=list)
    shared_with: set[str] | None = None
    permissions: list[dict[str, Any]] = field(default_factory=list)
    comments: list[dict[str, Any]] = field(default_factory=list)
    trashed: bool = False
    version: int = 1
    last_modifying: str = ""  # who changed it last ("" = the owner, as at creation)
    changes: ChangeLog | None = field(default=None, repr=False, compare=False)

    @property
    def name(self) -> str:
        """The file name (a spreadsheet's title)."""
        return self.spreadsheet.title if self.spreadsheet is not None else self.file_name

    @name.setter
    def name(self, value: str) -> None:
        if self.spreadsheet is not None:
            self.spreadsheet.props["title"] = value
        self.file_name = value

    def can_access(self, email: str | None) -> bool:
        """True when ``email`` may open the file (``shared_with`` None means everyone)."""
        return self.shared_with is None or (email is not None and email in self.shared_with)

    def touch(self) -> None:
        """Record a modification now, by whoever the store says is acting: like Drive, the
        version goes up, modifiedTime and lastModifyingUser follow, and the change feed has it."""
        self.modified = now_rfc3339()
        self.version += 1
        if self.changes is not None:
            self.last_modifying = self.changes.actor or self.owner
            self.changes.record(self.file_id, self.modified)
        else:
            self.last_modifying = self.owner

    @property
    def modified_by(self) -> str:
        """The e-mail of the last modifying user."""
        return self.last_modifying or self.owner


class ChangeLog:
    """Drive's change feed: one entry per file, replaced by the file's latest change (Drive
    coalesces them), numbered so a page token is "the changes from this number on"."""

    def __init__(self) -> None:
        self.next_id = 1
        self.latest: dict[str, tuple[int, str]] = {}  # file id -> (change id, time)
        self.actor: str | None = None  # set by a handler (under the store lock) for touch()

    def record(self, file_id: str, time: str) -> None:
        """Note that ``file_id`` changed at ``time``."""
        self.latest[file_id] = (self.next_id, time)
        self.next_id += 1

    def since(self, change_id: int) -> list[tuple[int, str, str]]:
        """(change id, file id, time) of every file whose latest change is ``change_id`` or
        later, oldest first."""
        found = [(cid, fid, when) for fid, (cid, when) in self.latest.items() if cid >= change_id]
        return sorted(found)


class Store:
    """All files, guarded by a re-entrant lock that handlers hold while they work."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.files: dict[str, DriveFile] = {}
        self.changes = ChangeLog()

    @contextlib.contextmanager
    def acting(self, caller: str | None) -> Iterator[None]:
        """Hold the lock, with the modifications made meanwhile counted as ``caller``'s."""
        with self.lock:
            previous, self.changes.actor = self.changes.actor, caller
            try:
                yield
            finally:
                self.changes.actor = previous

    def _register(self, drive_file: DriveFile) -> None:
        """Add a new file to the store and to the change feed."""
        drive_file.changes = self.changes
        drive_file.last_modifying = self.changes.actor or drive_file.owner
        self.files[drive_file.file_id] = drive_file
        self.changes.record(drive_file.file_id, drive_file.modified)

    def forget(self, drive_file: DriveFile) -> None:
        """Delete a file for good (its feed entry becomes a removal)."""
        self.files.pop(drive_file.file_id, None)
        self.changes.record(drive_file.file_id, now_rfc3339())

    def get(self, file_id: str) -> DriveFile | None:
        """The live (not deleted) file with this id."""
        found = self.files.get(file_id)
        return found if found is not None and not found.trashed else None

    def add_spreadsheet(
        self,
        title: str,
        owner: str,
        sheets: list[Sheet] | None = None,
        *,
        file_id: str | None = None,
        shared_with: set[str] | None = None,
        locale: str = "en_US",
        time_zone: str = "Etc/GMT",
    ) -> DriveFile:
        """Create a spreadsheet file (one blank ``Sheet1`` unless ``sheets`` are given)."""
        file_id = file_id or new_file_id()
        if file_id in self.files:
            raise ValueError(f"file id {file_id!r} already exists")
        spreadsheet = Spreadsheet(
            spreadsheet_id=file_id,
            props={
                "title": title,
                "locale": locale,
                "autoRecalc": "ON_CHANGE",
                "timeZone": time_zone,
                "defaultFormat": copy.deepcopy(DEFAULT_FORMAT),
                "spreadsheetTheme": copy.deepcopy(THEME),
            },
            sheets=sheets if sheets else [new_sheet(0, "Sheet1")],
        )
        stamp = now_rfc3339()
        drive_file = DriveFile(
            file_id=file_id,
            mime_type=SPREADSHEET_MIME,
            owner=owner,
            created=stamp,
            modified=stamp,
            spreadsheet=spreadsheet,
            shared_with=set(shared_with) if shared_with is not None else None,
        )
        drive_file.permissions.append(owner_permission(owner))
        self._register(drive_file)
        return drive_file

    def add_plain_file(self, name: str, mime_type: str, owner: str) -> DriveFile:
        """Create a non-spreadsheet file (e.g. a folder) that only has metadata."""
        stamp = now_rfc3339()
        drive_file = DriveFile(
            file_id=new_file_id(),
            mime_type=mime_type,
            owner=owner,
            created=stamp,
            modified=stamp,
            file_name=name,
        )
        drive_file.permissions.append(owner_permission(owner))
        self._register(drive_file)
        return drive_file

    def copy_file(self, source: DriveFile, name: str, owner: str) -> DriveFile:
        """A deep copy of ``source`` with a new id, owned (and so visible) by ``owner``."""
        stamp = now_rfc3339()
        file_id = new_file_id()
        spreadsheet = None
        if source.spreadsheet is not None:
            spreadsheet = copy.deepcopy(source.spreadsheet)
            spreadsheet.spreadsheet_id = file_id
            spreadsheet.props["title"] = name
        drive_file = DriveFile(
            file_id=file_id,
            mime_type=source.mime_type,
            owner=owner,
            created=stamp,
            modified=stamp,
            spreadsheet=spreadsheet,
            file_name=name,
            parents=list(source.parents),
            shared_with={owner} if source.shared_with is not None else None,
        )
        drive_file.permissions.append(owner_permission(owner))
        self._register(drive_file)
        return drive_file


def permission_id(email: str) -> str:
    """A stable numeric-looking permission id per e-mail address, as Drive uses."""
    digest = 0
    for ch in email.lower():
        digest = (digest * 131 + ord(ch)) % 10**20
    return f"{digest:020d}"


def owner_permission(email: str) -> dict[str, Any]:
    """The owner's permission entry of a new file."""
    return {
        "kind": "drive#permission",
        "id": permission_id(email),
        "type": "user",
        "emailAddress": email,
        "role": "owner",
        "displayName": email.split("@", 1)[0],
        "deleted": False,
        "pendingOwner": False,
    }
