"""A written package checked as a strict reader would check it, before it replaces a workbook.

The sync edits shared parts as text; a writer bug there (a prefix used but not declared, a part
added twice under names that differ in case) gives a file Excel "repairs" and openpyxl, pandas
or LibreOffice refuse. `verify` finds such defects so the save can be refused instead: every XML
part parses with its namespaces; `[Content_Types].xml` covers every part; every internal
relationship points at a part that exists; part names are unique ignoring case; sheet names,
sheetIds, r:ids and codeNames are unique; each sheet-scoped defined name still names the sheet
it named before; the style lists' `count=` match their children; a worksheet's own elements
stand in the order the schema gives them (Excel "repairs" a sheet whose drop-downs follow its
page margins, though every other reader opens it).

Measured against a `Baseline` (the workbook as read), problems the workbook already had are not
the write's and do not count, and a part stored byte for byte as before is not parsed again.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from io import BytesIO
from pathlib import Path
from typing import IO, Final
from urllib.parse import unquote
from xml.etree import ElementTree
from xml.parsers import expat

from .xlsx_xml import CT_NS, MAIN_NS, OFFICE_DOC, PKG_REL_NS, REL_NS, WORKSHEET_CHILDREN

RID = f"{{{REL_NS}}}id"
STYLES_REL = f"{REL_NS}/styles"
CONTENT_TYPES = "[Content_Types].xml"
_CHUNK = 1 << 16  # bytes fed to the parser at a time when only a sheet's head is wanted
_UNREADABLE = (zipfile.BadZipFile, OSError, EOFError, zlib.error)  # a zip or an entry broken
WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_WORKSHEET_ORDER: Final = {name: rank for rank, name in enumerate(WORKSHEET_CHILDREN)}
# A sheet's rows, self-closing or not, whatever its prefix: cut out (as an empty element) before
# the order is read, so the rows cost a scan, not a second parse.
_SHEET_DATA: Final = re.compile(
    rb"<([\w.-]+:)?sheetData\b(?:[^>]*?/>|.*?</(?:[\w.-]+:)?sheetData\s*>)", re.S
)


@dataclass(frozen=True)
class Problem:
    """One defect: the part it is in, a stable slug, and technical detail for the report."""

    part: str
    kind: str
    detail: str


@dataclass(frozen=True)
class Baseline:
    """The workbook before the write: its own problems, its parts, where its names pointed."""

    problems: frozenset[Problem]
    stored: dict[str, tuple[int, int]]  # part → (CRC, size): identical parts need no re-parse
    local_names: Counter[tuple[str, str | None]]  # (defined name, sheet it is scoped to)
    original: bytes = field(default=b"", repr=False, compare=False)  # asked only on a doubt

    def had(self, problem: Problem) -> bool:
        """Whether the workbook as read had `problem` too (a sheet already out of order);
        checked only for a problem found, so a sound write costs nothing here."""
        if problem.kind != "element_order" or not self.original:
            return False
        try:
            with zipfile.ZipFile(BytesIO(self.original)) as archive:
                return _out_of_order(archive.read(problem.part)) is not None
        except (*_UNREADABLE, KeyError):
            return False

    @classmethod
    def of(cls, data: bytes) -> Baseline:
        """What `data` (the workbook as read) already was; its large XML parts are not parsed,
        since a write copies them untouched."""
        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                checked = _Checked(archive, skip_xml=lambda _info: True)
                stored = {i.filename: (i.CRC, i.file_size) for i in archive.infolist()}
                problems = frozenset(checked.problems())
                return cls(problems, stored, checked.local_names(), data)
        except _UNREADABLE:
            return cls(frozenset(), {}, Counter())


def verify(package: bytes | Path, baseline: Baseline | None = None) -> list[Problem]:
    """Every defect of `package` (the bytes or the file of a whole .xlsx) a strict reader would
    trip on; empty when it is sound. With `baseline`, only what the write introduced."""
    source: IO[bytes] | Path = BytesIO(package) if isinstance(package, bytes) else package
    try:
        with zipfile.ZipFile(source) as archive:
            unchanged = baseline.stored if baseline is not None else {}

            def same(info: zipfile.ZipInfo) -> bool:
                return unchanged.get(info.filename) == (info.CRC, info.file_size)

            checked = _Checked(archive, skip_xml=same)
            found = checked.problems()
            if baseline is not None:
                found = [p for p in found if p not in baseline.problems and not baseline.had(p)]
                found += _moved_names(baseline.local_names, checked.local_names())
            return found
    except _UNREADABLE as error:
        return [Problem("(zip)", "not_a_zip", str(error))]


def _moved_names(
    before: Counter[tuple[str, str | None]], after: Counter[tuple[str, str | None]]
) -> list[Problem]:
    """Sheet-scoped defined names (print areas, filters) that now name another sheet."""
    return [
        Problem("xl/workbook.xml", "defined_name_moved", f"{name} (sheet {sheet!r})")
        for (name, sheet) in sorted((before - after) + (after - before), key=str)
    ]


def _parse_error(data: bytes) -> str | None:
    """Why `data` is not namespace-well-formed XML (an unbound prefix included), or None."""
    parser = expat.ParserCreate(namespace_separator=" ")
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return str(error)
    return None


def _tree(data: bytes) -> ElementTree.Element | None:
    try:
        return ElementTree.fromstring(data)
    except ElementTree.ParseError:
        return None  # reported once, by the XML check


_Skip = Callable[[zipfile.ZipInfo], bool]


class _Checked:
    """One package's parts and the checks over them (a Checked is read once, then asked)."""

    def __init__(self, archive: zipfile.ZipFile, skip_xml: _Skip) -> None:
        self.archive = archive
        self.infos = [i for i in archive.infolist() if not i.filename.endswith("/")]
        self.skip_xml = skip_xml
        self.folded = {i.filename.casefold(): i.filename for i in self.infos}
        self.types = self._content_types()

    def read(self, name: str) -> bytes | None:
        actual = self.folded.get(name.casefold())
        return self.archive.read(actual) if actual is not None else None

    def problems(self) -> list[Problem]:
        return [
            *self._duplicates(),
            *self._uncovered(),
            *self._xml(),
            *self._relationships(),
            *self._sheets(),
            *self._style_counts(),
            *self._sheet_order(),
        ]

    # -- the package -------------------------------------------------------------------------
    def _duplicates(self) -> Iterator[Problem]:
        counts = Counter(i.filename.casefold() for i in self.infos)
        for info in self.infos:
            if counts[info.filename.casefold()] > 1:
                yield Problem(info.filename, "duplicate_part", "part name repeated, ignoring case")

    def _content_types(self) -> tuple[dict[str, str], dict[str, str]] | None:
        data = self.read(CONTENT_TYPES)
        root = _tree(data) if data is not None else None
        if root is None:
            return None
        defaults = {
            e.get("Extension", "").casefold(): e.get("ContentType", "")
            for e in root.iter(f"{{{CT_NS}}}Default")
        }
        overrides = {
            e.get("PartName", "").lstrip("/").casefold(): e.get("ContentType", "")
            for e in root.iter(f"{{{CT_NS}}}Override")
        }
        return defaults, overrides

    def content_type(self, name: str) -> str | None:
        if self.types is None:
            return None
        defaults, overrides = self.types
        folded = name.casefold()
        base = posixpath.basename(folded)  # `.rels` is an extension here, not a hidden file
        extension = base.rsplit(".", 1)[1] if "." in base else ""
        return overrides.get(folded) or defaults.get(extension)

    def _uncovered(self) -> Iterator[Problem]:
        if self.types is None:
            yield Problem(CONTENT_TYPES, "content_type", "missing or not XML")
            return
        for info in self.infos:
            if info.filename != CONTENT_TYPES and self.content_type(info.filename) is None:
                yield Problem(info.filename, "content_type", "no Default or Override names it")

    def _xml(self) -> Iterator[Problem]:
        for info in self.infos:
            kind = self.content_type(info.filename) or ""
            is_xml = kind.endswith("xml") or info.filename.endswith((".xml", ".rels"))
            if not is_xml or self.skip_xml(info):
                continue
            error = _parse_error(self.archive.read(info))
            if error is not None:
                yield Problem(info.filename, "xml", error)

    def _sheet_order(self) -> Iterator[Problem]:
        for info in self.infos:
            if self.content_type(info.filename) != WORKSHEET_TYPE or self.skip_xml(info):
                continue
            found = _out_of_order(self.archive.read(info))
            if found is not None:
                yield Problem(info.filename, "element_order", found)

    # -- relationships -----------------------------------------------------------------------
    def relationships(self, source: str) -> list[ElementTree.Element]:
        folder, base = posixpath.split(source)
        data = self.read(posixpath.join(folder, "_rels", base + ".rels"))
        root = _tree(data) if data is not None else None
        return list(root.iter(f"{{{PKG_REL_NS}}}Relationship")) if root is not None else []

    def _relationships(self) -> Iterator[Problem]:
        for info in self.infos:
            folder, base = posixpath.split(info.filename)
            if posixpath.basename(folder) != "_rels" or not base.endswith(".rels"):
                continue
            source = posixpath.join(posixpath.dirname(folder), base.removesuffix(".rels"))
            ids = Counter(rel.get("Id") for rel in self.relationships(source))
            for rel_id, times in ids.items():
                if times > 1:
                    yield Problem(info.filename, "duplicate_rel_id", f"Id {rel_id!r} repeated")
            for rel in self.relationships(source):
                target = rel.get("Target", "")
                if rel.get("TargetMode") == "External" or not target:
                    continue
                if resolve(source, target).casefold() not in self.folded:
                    yield Problem(info.filename, "relationship", f"{target!r}: no such part")

    def workbook_part(self) -> str | None:
        for rel in self.relationships(""):
            if rel.get("Type") == OFFICE_DOC:
                return resolve("", rel.get("Target", ""))
        return None

    # -- the workbook's sheets ---------------------------------------------------------------
    @cached_property
    def _book(self) -> tuple[str, ElementTree.Element, dict[str, str]] | None:
        part = self.workbook_part()
        data = self.read(part) if part is not None else None
        root = _tree(data) if data is not None else None
        if part is None or root is None:
            return None
        targets = {
            rel.get("Id", ""): resolve(part, rel.get("Target", ""))
            for rel in self.relationships(part)
            if rel.get("TargetMode") != "External"
        }
        return part, root, targets

    def _sheets(self) -> Iterator[Problem]:
        book = self._book
        if book is None:
            yield Problem("xl/workbook.xml", "no_workbook", "no readable officeDocument part")
            return
        part, root, targets = book
        sheets = list(root.iter(f"{{{MAIN_NS}}}sheet"))
        for attribute, what in (("name", "sheet_name"), ("sheetId", "sheet_id"), (RID, "rel_id")):
            values = [s.get(attribute, "") for s in sheets]
            if attribute == "name":
                values = [value.casefold() for value in values]  # Excel ignores case here
            for value, times in Counter(values).items():
                if times > 1:
                    yield Problem(part, f"duplicate_{what}", f"{value!r} appears {times} times")
        for sheet in sheets:
            if sheet.get(RID, "") not in targets:
                yield Problem(part, "relationship", f"r:id {sheet.get(RID)!r} has no target")
        codes = [code for s in sheets if (code := self._code_name(targets.get(s.get(RID, ""))))]
        book_pr = root.find(f"{{{MAIN_NS}}}workbookPr")
        if book_pr is not None and book_pr.get("codeName"):
            codes.append(book_pr.get("codeName", ""))
        for code, times in Counter(code.casefold() for code in codes).items():
            if times > 1:
                yield Problem(part, "duplicate_code_name", f"{code!r} appears {times} times")

    def _code_name(self, part: str | None) -> str | None:
        """A worksheet's `codeName`, from the head of its part (the rows are never parsed)."""
        actual = self.folded.get(part.casefold()) if part else None
        if actual is None:
            return None
        with self.archive.open(actual) as stream:
            return _head_code_name(stream)

    def local_names(self) -> Counter[tuple[str, str | None]]:
        book = self._book
        if book is None:
            return Counter()
        titles = [s.get("name") for s in book[1].iter(f"{{{MAIN_NS}}}sheet")]
        found: Counter[tuple[str, str | None]] = Counter()
        for defined in book[1].iter(f"{{{MAIN_NS}}}definedName"):
            local = defined.get("localSheetId")
            if local is None:
                continue
            index = int(local) if local.isdigit() else -1
            title = titles[index] if 0 <= index < len(titles) else None
            found[(defined.get("name", ""), title)] += 1
        return found

    # -- styles ------------------------------------------------------------------------------
    def _styles_part(self) -> str | None:
        if self._book is None:
            return None
        part = self._book[0]
        return next(
            (
                resolve(part, rel.get("Target", ""))
                for rel in self.relationships(part)
                if rel.get("Type") == STYLES_REL
            ),
            None,
        )

    def _style_counts(self) -> Iterator[Problem]:
        styles = self._styles_part()
        data = self.read(styles) if styles is not None else None
        root = _tree(data) if data is not None else None
        if styles is None or root is None:
            return
        for section in root:
            stated = section.get("count")
            if stated is not None and stated != str(len(section)):
                tag = section.tag.split("}")[-1]
                yield Problem(styles, "style_count", f"{tag} count={stated}, {len(section)} items")


def _out_of_order(data: bytes) -> str | None:
    """The first of a worksheet's own elements that stands after one the schema puts behind
    it ("<dataValidations> after <pageMargins>"), or None; elements of other namespaces and
    names the schema does not list are not ranked."""
    frame = _SHEET_DATA.sub(lambda m: b"<" + (m.group(1) or b"") + b"sheetData/>", data, 1)
    root = _tree(frame)
    if root is None:
        return None  # reported by the XML check
    last_name, last_rank = "", -1
    for child in root:
        space, _, name = child.tag[1:].partition("}")
        rank = _WORKSHEET_ORDER.get(name) if space == MAIN_NS else None
        if rank is None:
            continue
        if rank < last_rank:
            return f"<{name}> after <{last_name}>"
        last_name, last_rank = name, rank
    return None


def resolve(source: str, target: str) -> str:
    """The part a relationship's target names, from the part `source` it belongs to."""
    target = unquote(target)
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))


def _head_code_name(stream: IO[bytes]) -> str | None:
    """The codeName of the worksheet streamed from `stream`, reading only up to its rows."""
    parser = expat.ParserCreate(namespace_separator=" ")
    found: list[str | None] = []

    def start(name: str, attributes: dict[str, str]) -> None:
        local = name.rsplit(" ", 1)[-1]
        if local == "sheetPr":
            found.append(attributes.get("codeName"))
        elif local not in ("worksheet",):
            found.append(None)

    parser.StartElementHandler = start
    try:
        while not found:
            chunk = stream.read(_CHUNK)
            parser.Parse(chunk, not chunk)
            if not chunk:
                break
    except expat.ExpatError:
        return None  # reported by the XML check
    return found[0] if found else None
