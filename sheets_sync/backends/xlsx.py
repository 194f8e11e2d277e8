"""The local .xlsx backend (openpyxl): one load, one atomic save, staff's tabs left as they were."""

from __future__ import annotations

import os
import shutil
import tempfile
import zipfile
import zlib
from datetime import date, datetime
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from openpyxl import Workbook as OpenpyxlWorkbook
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.packaging.custom import IntProperty
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.defined_name import DefinedName  # noqa: F401  (kept for readers)
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.hyperlink import Hyperlink
from openpyxl.worksheet.worksheet import Worksheet

from .. import schema
from ..errors import EXIT_SHEET, SheetAccessError, WorkbookOpenError
from ..schema import Lang
from ..tabs import BLANK, GeneratedTab, OutCell, RawCell, RawTab, Snapshot, SparklineKind
from ..template import TEMPLATE_ROWS, TabLayout, layout
from .base import Diagnosis, Probe, Usage

BACKUPS_KEPT = 3
# What a damaged file raises inside openpyxl: not a zip, a part missing, XML cut short…
_BROKEN_FILE = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    OSError,
    EOFError,
    zlib.error,
    ElementTree.ParseError,
)
BACKUP_FOLDER = ".sheets-sync-backups"
VERSION_PROPERTY = "sheets_sync_template_version"

_FONT = "Meiryo"
_STYLES: dict[str, dict[str, Any]] = {
    "title": {"font": Font(name=_FONT, size=16, bold=True)},
    "subtitle": {"font": Font(name=_FONT, size=12, bold=True, color="1F3864")},
    "header": {
        "font": Font(name=_FONT, bold=True),
        "fill": PatternFill("solid", fgColor="DDE4EE"),
    },
    "muted": {"font": Font(name=_FONT, italic=True, color="595959")},
    "good": {"font": Font(name=_FONT, bold=True, color="1B6E20")},
    "bad": {"font": Font(name=_FONT, bold=True, color="B00020")},
    "neutral": {"font": Font(name=_FONT, color="404040")},
    "error": {"fill": PatternFill("solid", fgColor="FBE3E4"), "font": Font(name=_FONT)},
    "warning": {"fill": PatternFill("solid", fgColor="FFF4CE"), "font": Font(name=_FONT)},
    "ok": {"fill": PatternFill("solid", fgColor="E3F4E4"), "font": Font(name=_FONT)},
    "link": {"font": Font(name=_FONT, underline="single", color="0563C1")},
    "spark": {"font": Font(name=_FONT, size=12, color="1F3864")},
}
_WRAP = Alignment(wrap_text=True, vertical="top")
_TOP = Alignment(vertical="top")
_CENTER = Alignment(horizontal="center", vertical="top", wrap_text=True)


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel and LibreOffice leave next to a workbook they have open."""
    return [path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")]


class XlsxBackend:
    """A workbook on disk. `read` loads it once; `write` saves that same object atomically."""

    sparkline: SparklineKind = "text"

    def __init__(self, path: Path, lang: Lang = "ja") -> None:
        self.path = path
        self.lang = lang
        self._book: OpenpyxlWorkbook | None = None
        self._loaded_stat: tuple[int, int] | None = None

    def describe(self) -> str:
        return str(self.path)

    # -- reading -------------------------------------------------------------------------
    def _ensure_closed_by_others(self) -> None:
        for lock in lock_files(self.path):
            if lock.exists():
                raise WorkbookOpenError(
                    f"{self.path.name} is open in Excel or LibreOffice ({lock.name} exists). "
                    "Close it and run again; nothing was changed."
                )

    def _open(self, **options: Any) -> OpenpyxlWorkbook:
        if not self.path.exists():
            raise SheetAccessError(f"workbook not found: {self.path}")
        try:
            return load_workbook(self.path, rich_text=False, **options)
        except _BROKEN_FILE as error:
            raise SheetAccessError(
                f"{self.path} could not be opened as an .xlsx workbook ({type(error).__name__}: "
                f"{_first_line(error)}). If it was damaged, restore the newest copy from "
                f"{BACKUP_FOLDER}/."
            ) from None

    def _load(self) -> OpenpyxlWorkbook:
        """The whole workbook, formulas as formulas: what a save must write back."""
        stat = self.path.stat() if self.path.exists() else None
        book = self._open()
        if self._loaded_stat is None and stat is not None:
            self._loaded_stat = (stat.st_mtime_ns, stat.st_size)
        return book

    def read(self) -> Snapshot:
        """Every tab, parsed once; the workbook is kept for `write`. A formula cell reads as
        the value Excel last computed (`=20+5` reads as 25), as Google's effectiveValue does."""
        self._ensure_closed_by_others()
        book = self._book = self._load()
        formulas: list[tuple[int, int, int]] = []  # (sheet index, row, column)
        tabs = [
            RawTab(sheet.title, _sheet_rows(sheet, index, formulas))
            for index, sheet in enumerate(book.worksheets)
        ]
        if formulas:
            self._use_cached_values(tabs, formulas)
        return Snapshot(
            tabs=tabs, url=self.path.resolve().as_uri(), template_version=_get_version(book)
        )

    def _use_cached_values(self, tabs: list[RawTab], formulas: list[tuple[int, int, int]]) -> None:
        """Replace formula text by the saved results (a second, read-only pass: rare)."""
        values = self._open(data_only=True, read_only=True)
        try:
            cached = []
            for sheet in values.worksheets:
                sheet.reset_dimensions()  # some writers store a wrong size; read what is there
                cached.append(_sheet_rows(sheet, 0, []))
        except _BROKEN_FILE as error:  # read-only mode parses each sheet as it is read
            raise SheetAccessError(
                f"{self.path} could not be read as an .xlsx workbook ({type(error).__name__}: "
                f"{_first_line(error)}). If it was damaged, restore the newest copy from "
                f"{BACKUP_FOLDER}/."
            ) from None
        finally:
            values.close()
        for index, row, column in formulas:
            line = cached[index][row] if row < len(cached[index]) else []
            tabs[index].rows[row][column] = line[column] if column < len(line) else RawCell(None)

    # -- writing -------------------------------------------------------------------------
    def write(self, tabs: list[GeneratedTab]) -> None:
        book = self._book if self._book is not None else self._load()
        for tab in tabs:
            _replace_sheet(book, tab)
        self._save(book)

    def _save(self, book: OpenpyxlWorkbook) -> None:
        self._ensure_closed_by_others()
        if self._loaded_stat is not None and self.path.exists():
            stat = self.path.stat()
            if (stat.st_mtime_ns, stat.st_size) != self._loaded_stat:
                raise SheetAccessError(
                    f"{self.path.name} changed while the sync was running; nothing was written. "
                    "Run again."
                )
        save_atomically(book, self.path)
        stat = self.path.stat()
        self._loaded_stat = (stat.st_mtime_ns, stat.st_size)

    def set_template_version(self, version: int) -> None:
        book = self._book if self._book is not None else self._load()
        _set_version(book, version)
        self._save(book)

    def add_missing(self, lang: Lang) -> list[str]:
        """`upgrade`: add the tabs and columns a newer template has; touch no data."""
        book = self._book if self._book is not None else self._load()
        added: list[str] = []
        lookup = schema.tab_lookup()
        present = {lookup.get(schema.normalize_label(ws.title)): ws for ws in book.worksheets}
        for tab_layout in layout(lang):
            sheet = present.get(tab_layout.key)
            if sheet is None:
                sheet = book.create_sheet(tab_layout.title)
                if not tab_layout.generated:
                    _build_input_sheet(sheet, tab_layout, [], lang)
                added.append(tab_layout.title)
                continue
            if tab_layout.generated:
                continue
            headers = schema.header_lookup(schema.TABS_BY_KEY[tab_layout.key])
            found = {
                headers.get(schema.normalize_label(str(c.value)))
                for c in sheet[1]
                if c.value is not None
            }
            for column in tab_layout.columns:
                if column.key not in found:
                    cell = sheet.cell(row=1, column=sheet.max_column + 1, value=column.header)
                    _style_header(cell, column.help)
                    added.append(f"{sheet.title}!{column.header}")
        version = _get_version(book)
        if not added and (version or schema.TEMPLATE_VERSION) >= schema.TEMPLATE_VERSION:
            return added  # already up to date: the file is not rewritten
        _set_version(book, schema.TEMPLATE_VERSION)
        self._save(book)
        return added

    def usage(self) -> Usage:
        return Usage()

    def diagnose(self) -> Diagnosis:
        """The file is there, this user may write it, nobody has it open; then it is read."""
        path = self.path
        if not path.is_file():
            fix = "check sheet.path in the config, or create it with `sheets-sync new-client`"
            return _diagnosis(
                Probe(False, "credentials", f"workbook not found: {path}", EXIT_SHEET, fix)
            )
        if not os.access(path, os.R_OK | os.W_OK):
            what = f"{path} cannot be read and written by this user"
            fix = "give this user read and write permission on the file"
            return _diagnosis(Probe(False, "credentials", what, EXIT_SHEET, fix))
        open_by = [lock.name for lock in lock_files(path) if lock.exists()]
        if open_by:
            what = (
                f"{path.name} is open in Excel or LibreOffice ({open_by[0]} exists), so a sync "
                "would refuse to write it"
            )
            fix = "close the workbook (or delete the lock file if nobody has it open)"
            return _diagnosis(Probe(False, "credentials", what, EXIT_SHEET, fix))
        probes = [
            Probe(True, "credentials", f"{path} exists and is not open in Excel or LibreOffice")
        ]
        try:
            snapshot = self.read()
        except SheetAccessError as error:
            return Diagnosis([*probes, Probe(False, "access", str(error), error.exit_code)], None)
        probes.append(Probe(True, "access", f"read {len(snapshot.tabs)} tabs from {path.name}"))
        return Diagnosis(probes, snapshot)


def _diagnosis(probe: Probe) -> Diagnosis:
    return Diagnosis([probe], None)


def save_atomically(book: OpenpyxlWorkbook, path: Path) -> None:
    """Save to a temp file beside the target, keep a few backups, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temps(path)
    handle, temp_name = tempfile.mkstemp(
        prefix=f".{path.stem}.", suffix=".xlsx.tmp", dir=path.parent
    )
    os.close(handle)
    temp = Path(temp_name)
    try:
        book.save(temp)
        with open(temp, "rb") as stream:
            os.fsync(stream.fileno())
        if path.exists():
            shutil.copymode(path, temp)  # staff's group permissions survive the rename
            _keep_backup(path)
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
        os.replace(temp, path)
    except OSError as error:
        raise SheetAccessError(f"could not write {path}: {error.strerror}") from None
    finally:
        temp.unlink(missing_ok=True)


def _remove_stale_temps(path: Path) -> None:
    """Temp files left by a killed save; the client lock is held, so none is in use."""
    for leftover in path.parent.glob(f".{path.stem}.*.xlsx.tmp"):
        leftover.unlink(missing_ok=True)


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0][:200] if str(error) else ""


def _keep_backup(path: Path) -> None:
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
    shutil.copy2(path, folder / f"{path.stem}.{stamp}{path.suffix}")
    backups = sorted(folder.glob(f"{path.stem}.*{path.suffix}"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)


def _sheet_rows(
    sheet: Any, index: int, formulas: list[tuple[int, int, int]]
) -> list[list[RawCell]]:
    """A sheet's cells; formula cells are noted in `formulas` as (index, row, column)."""
    rows: list[list[RawCell]] = []
    for r, line in enumerate(sheet.iter_rows()):
        cells = []
        for c, cell in enumerate(line):
            if cell.value is None:
                cells.append(BLANK)
                continue
            if cell.data_type == "f":
                formulas.append((index, r, c))
            cells.append(_raw(cell))
        rows.append(cells)
    while rows and all(cell.value is None for cell in rows[-1]):
        rows.pop()
    return rows


def _raw(cell: Any) -> RawCell:
    value = cell.value
    if value is None:
        return RawCell(None)
    fmt = cell.number_format or ""
    if isinstance(value, datetime | date):
        return RawCell(value, date_format=True)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return RawCell(value, percent="%" in fmt, date_format=cell.is_date)
    if not isinstance(value, str | bool):
        value = str(value)
    return RawCell(value)


def _replace_sheet(book: OpenpyxlWorkbook, tab: GeneratedTab) -> None:
    # The exact title the sync chose (see `ownership`): never a tab that only looks like it.
    existing = next((ws for ws in book.worksheets if ws.title == tab.title), None)
    if existing is not None:
        index = book.worksheets.index(existing)
        title = existing.title
        book.remove(existing)
    else:
        index = tab.index if tab.index is not None else len(book.worksheets)
        title = tab.title
    sheet = book.create_sheet(title, index)
    fill_generated(sheet, tab)


def fill_generated(sheet: Worksheet, tab: GeneratedTab) -> None:
    """Write a generated tab's cells; staff text stays text even when it starts with `=`."""
    for r, line in enumerate(tab.rows, start=1):
        wrap = sum(1 for out in line if out.value not in (None, "")) > 1
        for c, out in enumerate(line, start=1):
            if out.value is None and out.style is None:
                continue
            _write_cell(sheet.cell(row=r, column=c), out, wrap)
    for r1, c1, r2, c2 in tab.merges:
        sheet.merge_cells(start_row=r1, start_column=c1, end_row=r2, end_column=c2)
    for r, height in tab.row_heights.items():
        sheet.row_dimensions[r].height = height
    for c, width in enumerate(tab.widths, start=1):
        sheet.column_dimensions[get_column_letter(c)].width = width
    if tab.frozen_rows:
        sheet.freeze_panes = f"A{tab.frozen_rows + 1}"
    sheet.sheet_view.showGridLines = tab.key != "summary"
    # Printed or exported to PDF, a generated tab fits the page width.
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.protection.sheet = True  # like Google's warning-only protection: the sync owns it
    sheet.sheet_properties.tabColor = "1F3864"


def _write_cell(cell: Cell, out: OutCell, wrap: bool) -> None:
    value = out.value
    cell.value = value
    if isinstance(value, str) and not out.formula:
        cell.data_type = "s"  # never a formula, whatever the text starts with
    if out.number_format:
        cell.number_format = out.number_format
    style = _STYLES.get(out.style or "", {})
    cell.font = style.get("font", Font(name=_FONT))
    if "fill" in style:
        cell.fill = style["fill"]
    if (isinstance(value, int | float) and not isinstance(value, bool)) or out.style == "header":
        cell.alignment = _CENTER
    else:
        cell.alignment = _WRAP if wrap and isinstance(value, str) else _TOP
    if out.link:
        cell.hyperlink = Hyperlink(ref=cell.coordinate, location=out.link)
        cell.font = _STYLES["link"]["font"]


# -- creating a new workbook -----------------------------------------------------------------
def create_workbook(path: Path, lang: Lang, rows: dict[str, list[list[object]]]) -> None:
    """Write a new workbook from the template, with `rows` (per tab key) below the headers."""
    book = OpenpyxlWorkbook()
    book.remove(book.active)
    for tab_layout in layout(lang):
        sheet = book.create_sheet(tab_layout.title)
        if tab_layout.generated:
            placeholder = GeneratedTab(tab_layout.key, tab_layout.title,
                                       [[OutCell(_PLACEHOLDER[lang], "muted")]])  # fmt: skip
            fill_generated(sheet, placeholder)
            continue
        _build_input_sheet(sheet, tab_layout, rows.get(tab_layout.key, []), lang)
    _set_version(book, schema.TEMPLATE_VERSION)
    save_atomically(book, path)


_PLACEHOLDER: dict[Lang, str] = {
    "ja": "このタブは sheets-sync が同期のたびに書き直します(入力はほかのタブへ)。",
    "en": "sheets-sync rewrites this tab on every sync (type into the other tabs).",
}


def _get_version(book: OpenpyxlWorkbook) -> int | None:
    for prop in book.custom_doc_props:
        if prop.name == VERSION_PROPERTY:
            return int(prop.value)
    return None


def _set_version(book: OpenpyxlWorkbook, version: int) -> None:
    props = book.custom_doc_props
    if _get_version(book) is not None:
        del props[VERSION_PROPERTY]
    props.append(IntProperty(name=VERSION_PROPERTY, value=version))


def _style_header(cell: Cell, help_text: str) -> None:
    cell.font = _STYLES["header"]["font"]
    cell.fill = _STYLES["header"]["fill"]
    cell.alignment = Alignment(vertical="center", wrap_text=True)
    if help_text:
        comment = Comment(help_text, "sheets-sync")
        comment.width, comment.height = 260, 80
        cell.comment = comment


def _build_input_sheet(
    sheet: Worksheet, tab_layout: TabLayout, rows: list[list[object]], lang: Lang
) -> None:
    sheet.append(tab_layout.header_row())
    for c, column in enumerate(tab_layout.columns, start=1):
        _style_header(sheet.cell(row=1, column=c), column.help)
        sheet.column_dimensions[get_column_letter(c)].width = column.width * 1.15
    sheet.row_dimensions[1].height = 24
    sheet.freeze_panes = "A2"
    for line in rows:
        sheet.append(list(line))
    for r in range(2, len(rows) + 2):
        for c, column in enumerate(tab_layout.columns, start=1):
            cell = sheet.cell(row=r, column=c)
            if column.validation == "date" and isinstance(cell.value, date):
                cell.number_format = "yyyy/mm/dd"
            if isinstance(cell.value, str):
                cell.data_type = "s"
                cell.alignment = _WRAP
    for c, column in enumerate(tab_layout.columns, start=1):
        validation = _data_validation(column.validation, column.labels, column.reference, lang)
        if validation is None:
            continue
        letter = get_column_letter(c)
        validation.promptTitle = column.header[:32]
        validation.prompt = column.help[:255]
        validation.showInputMessage = True
        validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
        sheet.add_data_validation(validation)


def _data_validation(
    kind: str, labels: tuple[str, ...], reference: tuple[str, int] | None, lang: Lang
) -> DataValidation | None:
    warn = "この値でよいか確認してください" if lang == "ja" else "Please check this value"
    if kind == "list":
        validation = DataValidation(type="list", formula1='"' + ",".join(labels) + '"')
    elif kind == "reference" and reference is not None:
        tab = schema.TABS_BY_KEY[reference[0]]
        letter = get_column_letter(reference[1] + 1)
        formula = f"{quote_sheetname(tab.title(lang))}!${letter}$2:${letter}${TEMPLATE_ROWS}"
        validation = DataValidation(type="list", formula1=formula)
    elif kind == "date":
        validation = DataValidation(type="date", operator="greaterThan", formula1="36526")
    elif kind in ("number", "integer"):
        validation = DataValidation(
            type="decimal" if kind == "number" else "whole",
            operator="greaterThanOrEqual",
            formula1="-1000000000",
        )
    else:
        validation = DataValidation(type=None)
    # Warning style: staff may still type 令和8年… or 1,200円 — the sync reads those too.
    validation.errorStyle = "warning"
    validation.error = warn
    validation.showErrorMessage = kind in ("list", "reference")
    validation.allow_blank = True
    return validation
