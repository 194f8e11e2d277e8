"""The local .xlsx backend: read with openpyxl's streaming parser, write only our own parts.

A sync replaces the package parts of its generated sheets (and appends to the shared parts it
must touch); every other part of the zip is copied as it was, so formulas with their saved
results, rich text, charts, images, macros and anything else staff made stay exactly theirs.
A new workbook from the template is still built with openpyxl (`create_workbook`).
"""

from __future__ import annotations

import os
import zipfile
import zlib
from collections.abc import Callable
from datetime import tzinfo
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from ..errors import EXIT_SHEET, SheetAccessError, SheetsSyncError
from ..sheet import ownership
from ..sheet.schema import Lang
from ..sheet.tabs import GeneratedTab, RawTab, Snapshot, SparklineKind
from ..util.files import STATE_FOLDER, user_state_folder
from ..words.core import tell
from .base import Diagnosis, Probe, Upgraded, Usage
from .xlsx_facts import with_facts
from .xlsx_files import (
    BACKUPS_KEPT,
    ReadState,
    backup_folder,
    check_content,
    check_suffix,
    ensure_closed_by_others,
    is_read_only,
    lock_files,
    read_file,
    replace_safely,
    restore_advice,
)
from .xlsx_package import NotAWorkbook, Package, StrictOpenXml
from .xlsx_read import read_tabs
from .xlsx_sheet import StyleBook, code_name, generated_sheet_xml, marked_key
from .xlsx_template import create_workbook
from .xlsx_upgrade import add_missing, get_version

__all__ = [
    "BACKUPS_KEPT",
    "STATE_FOLDER",
    "XlsxBackend",
    "backup_folder",
    "create_workbook",
    "lock_files",
]

# What a damaged file raises inside openpyxl or zipfile: not a zip, a part missing, XML cut…
_BROKEN_FILE = (
    zipfile.BadZipFile,
    KeyError,
    ValueError,
    TypeError,
    IndexError,
    EOFError,
    StopIteration,
    zlib.error,
    ElementTree.ParseError,
)


def _first_line(error: BaseException) -> str:
    return str(error).splitlines()[0][:200] if str(error) else ""


def _broken(path: Path, error: BaseException, backups: Path) -> SheetAccessError:
    return SheetAccessError(
        "workbook_damaged",
        path=path,
        kind=type(error).__name__,
        detail=_first_line(error),
        restore=restore_advice(backups),
    )


class XlsxBackend:
    """A workbook on disk. `read` parses it once; `write` replaces only the generated sheets'
    parts, and only if the file is still exactly what was read."""

    sparkline: SparklineKind = "text"

    def __init__(
        self,
        path: Path,
        lang: Lang = "ja",
        zone: tzinfo | None = None,
        *,
        state: Path | None = None,
    ) -> None:
        """`state`: the folder for sheets-sync's own files (the client's `.sheets-sync` beside
        its config; by default this user's sheets-sync folder), where the backups go."""
        self.path = path
        self.lang = lang
        self.zone = zone
        self.backups = backup_folder(state or user_state_folder(), path)
        self._read: tuple[bytes, ReadState] | None = None
        self._package: Package | None = None
        self._tabs: list[RawTab] = []
        # Tests set this to save the workbook "as staff would" between build and rename.
        self.before_replace: Callable[[], None] | None = None

    def describe(self) -> str:
        return str(self.path)

    # -- reading -------------------------------------------------------------------------
    def _load(self) -> tuple[Package, list[RawTab], Any]:
        check_suffix(self.path)
        data, state = read_file(self.path)
        check_content(self.path, data, self.backups)
        try:
            package = Package.open(data)
            worksheets, _parts, book = read_tabs(data)
            tabs = with_facts(package, worksheets)
            owners = package.code_names()
        except StrictOpenXml:
            raise SheetAccessError("workbook_strict_ooxml", path=self.path) from None
        except NotAWorkbook:
            raise SheetAccessError("workbook_not_a_package", path=self.path) from None
        except _BROKEN_FILE as error:
            raise _broken(self.path, error, self.backups) from None
        for tab in tabs:
            tab.marker = marked_key(owners.get(tab.title))
            tab.owned = tab.marker is not None
        self._read, self._package, self._tabs = (data, state), package, tabs
        return package, tabs, book

    def read(self) -> Snapshot:
        """Every tab, parsed once. A formula cell reads as the value Excel last computed
        (`=20+5` reads as 25), as Google's effectiveValue does; a formula the file holds no
        result for reads as `uncomputed_formula`."""
        ensure_closed_by_others(self.path)
        _, tabs, book = self._load()
        return Snapshot(
            tabs=tabs, url=self.path.resolve().as_uri(), template_version=get_version(book)
        )

    # -- writing -------------------------------------------------------------------------
    def write(self, tabs: list[GeneratedTab]) -> None:
        """Replace each tab's sheet (exact title, surrounding spaces trimmed), or add it at
        `tab.index`; no other sheet is touched. The core passes only tabs that are ours."""
        package = self._package if self._package is not None else self._load()[0]
        package.ensure_may_add([t.title for t in tabs if package.sheet_titled(t.title) is None])
        styles_part = package.styles_part()
        styles = StyleBook(package.read(styles_part))
        for tab in tabs:
            existing = package.sheet_titled(tab.title)
            code = package.unique_code_name(code_name(tab.key), tab.title, existing)
            content = generated_sheet_xml(tab, styles, code)
            if existing is not None:
                package.replace_sheet(existing, content)
            else:
                index = tab.index if tab.index is not None else len(package.sheets)
                package.add_sheet(tab.title, index, content)
        changed_styles = styles.changed()
        if changed_styles is not None:
            package.put(styles_part, changed_styles)
        self._commit(package)

    def _commit(self, package: Package) -> None:
        replace_safely(
            self.path,
            package.save,
            self._read,
            self.zone,
            self.before_replace,
            backups=self.backups,
        )
        self._read = self._package = None  # the next write reads the new file first

    def usage(self) -> Usage:
        return Usage()

    def diagnose(self) -> Diagnosis:
        """The file is there, this user may write it, nobody has it open; then it is read (in
        the language being spoken: doctor's)."""
        path = self.path
        if not path.is_file():
            what = tell("error.workbook_missing", path=path)
            fix = tell("doctor.xlsx_missing_fix")
            return _diagnosis(Probe(False, "workbook", what, EXIT_SHEET, fix))
        if not os.access(path, os.R_OK) or is_read_only(path):
            what = tell("doctor.xlsx_no_access", path=path)
            fix = tell("doctor.xlsx_no_access_fix")
            return _diagnosis(Probe(False, "workbook", what, EXIT_SHEET, fix))
        open_by = [lock.name for lock in lock_files(path) if lock.exists()]
        if open_by:
            what = tell("doctor.xlsx_open", name=path.name, lock=open_by[0])
            fix = tell("doctor.xlsx_open_fix")
            return _diagnosis(Probe(False, "workbook", what, EXIT_SHEET, fix))
        probes = [Probe(True, "workbook", tell("doctor.xlsx_found", path=path))]
        try:
            snapshot = self.read()
        except SheetsSyncError as error:  # an .ods path (exit 2) as well as a damaged file
            return Diagnosis([*probes, Probe(False, "access", str(error), error.exit_code)], None)
        read = tell("doctor.xlsx_read", tabs=len(snapshot.tabs), name=path.name)
        probes.append(Probe(True, "access", read))
        return Diagnosis(probes, snapshot)

    def add_missing(self, lang: Lang) -> Upgraded:
        """`upgrade`: add the tabs and header cells a newer template has, where the sync looks
        for them; touch no data, and write nothing when nothing is missing."""
        ensure_closed_by_others(self.path)
        package, tabs, book = self._load()
        decided = ownership.decide(Snapshot(tabs))
        styles_part = package.styles_part()
        styles = StyleBook(package.read(styles_part))
        added = add_missing(package, tabs, decided, get_version(book), lang, styles)
        if not added:
            return Upgraded([], decided.blocked())
        changed_styles = styles.changed()
        if changed_styles is not None:
            package.put(styles_part, changed_styles)
        self._commit(package)
        return Upgraded(added, decided.blocked())


def _diagnosis(probe: Probe) -> Diagnosis:
    return Diagnosis([probe], None)
