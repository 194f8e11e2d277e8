"""The .xlsx zip package edited part by part: replace or add worksheets, copy the rest as is.

Shared parts are edited as text, never re-serialised, so namespaces, `mc:Ignorable` prefixes
and everything a library does not understand stay exactly as Excel or LibreOffice wrote them.
Where an edit goes is found by parsing (never by a pattern that assumes how a writer spelled
its XML), and part names are compared ignoring case, as the package format requires.
"""

from __future__ import annotations

import posixpath
import re
import time
import zipfile
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree
from xml.sax.saxutils import quoteattr

from ..errors import SheetAccessError
from .xlsx_xml import (
    MAIN_NS,
    OFFICE_DOC,
    REL_NS,
    WORKSHEET_REL,
    book_shape,
    insert_before_close,
    insert_sheet,
)
from .zip_copy import ZipCopier, fits

WORKSHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"
_CODE_NAME = re.compile(rb"<(?:\w+:)?sheetPr\b[^>]*?\bcodeName=\"([^\"]*)\"")
_BOOK_CODE_NAME = re.compile(r"<(?:\w+:)?workbookPr\b[^>]*?\bcodeName=\"([^\"]*)\"")
STRICT_NS = "http://purl.oclc.org/ooxml/"  # every namespace of Strict Open XML starts so


class NotAWorkbook(ValueError):
    """A zip that is no OOXML package (an .ods renamed .xlsx, say)."""


class StrictOpenXml(NotAWorkbook):
    """A workbook saved as "Strict Open XML Spreadsheet": other namespaces throughout, which
    neither openpyxl nor this writer speak."""


@dataclass(frozen=True)
class Sheet:
    """One `<sheet>` of workbook.xml, with the part its relationship points at."""

    name: str
    sheet_id: int
    rel_id: str
    part: str  # zip entry name, e.g. "xl/worksheets/sheet3.xml"
    worksheet: bool = True  # False for a chart sheet (or anything else a `<sheet>` may be)


@dataclass
class Package:
    """A workbook's zip as read; `save` writes a copy with the planned changes."""

    data: bytes
    names: list[str]
    workbook_part: str
    sheets: list[Sheet]
    changed: dict[str, bytes] = field(default_factory=dict)
    added: list[str] = field(default_factory=list)
    removed: set[str] = field(default_factory=set)
    codes: dict[str, str] | None = None  # sheet name → codeName, with the ones given so far

    @classmethod
    def open(cls, data: bytes) -> Package:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
            if "[Content_Types].xml" not in names or "_rels/.rels" not in names:
                raise NotAWorkbook("no [Content_Types].xml or _rels/.rels")
            root_rels = ElementTree.fromstring(archive.read("_rels/.rels"))
            kinds = [rel.get("Type", "") for rel in root_rels]
            workbook_part = next(
                (
                    rel.get("Target", "").lstrip("/")
                    for rel in root_rels
                    if rel.get("Type") == OFFICE_DOC
                ),
                None,
            )
            if workbook_part is None:
                if any(kind.startswith(STRICT_NS) for kind in kinds):
                    raise StrictOpenXml("Strict Open XML")
                raise NotAWorkbook("no officeDocument relationship")
            folded = {name.casefold(): name for name in names}
            workbook_part = folded.get(workbook_part.casefold(), workbook_part)
            package = cls(data, names, workbook_part, [])
            package.sheets = package._read_sheets(archive)
        return package

    # -- reading parts ---------------------------------------------------------------------
    def _live(self) -> dict[str, str]:
        """Every part the package will hold, by its case-folded name."""
        live = {name.casefold(): name for name in self.names if name not in self.removed}
        live.update((name.casefold(), name) for name in self.added)
        return live

    def actual(self, name: str) -> str:
        """The package's own spelling of part `name` (part names ignore case), or `name`."""
        return self._live().get(name.casefold(), name)

    def read(self, name: str) -> bytes:
        name = self.actual(name)
        if name in self.changed:
            return self.changed[name]
        with zipfile.ZipFile(BytesIO(self.data)) as archive:
            return archive.read(name)

    def has(self, name: str) -> bool:
        return name.casefold() in self._live()

    def _rels_name(self, part: str) -> str:
        folder, base = posixpath.split(part)
        return posixpath.join(folder, "_rels", base + ".rels")

    def _target(self, source: str, target: str) -> str:
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(source), target))

    def _read_sheets(self, archive: zipfile.ZipFile) -> list[Sheet]:
        rels = ElementTree.fromstring(archive.read(self._rels_name(self.workbook_part)))
        targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
        kinds = {rel.get("Id"): rel.get("Type", "") for rel in rels}
        book = ElementTree.fromstring(archive.read(self.workbook_part))
        found: list[Sheet] = []
        for element in book.iter(f"{{{MAIN_NS}}}sheet"):
            rel_id = element.get(f"{{{REL_NS}}}id", "")
            target = targets.get(rel_id)
            if target is None:
                continue
            part = self.actual(self._target(self.workbook_part, target))
            name, sheet_id = element.get("name", ""), int(element.get("sheetId", "0"))
            worksheet = kinds.get(rel_id) == WORKSHEET_REL
            found.append(Sheet(name, sheet_id, rel_id, part, worksheet))
        return found

    def code_names(self) -> dict[str, str]:
        """Each worksheet's `codeName` (from the head of its part), by sheet name."""
        found: dict[str, str] = {}
        with zipfile.ZipFile(BytesIO(self.data)) as archive:
            for sheet in self.sheets:
                if sheet.part not in self.names:  # `actual` spelling, or a missing part
                    continue
                with archive.open(sheet.part) as src:
                    head = src.read(4096)
                match = _CODE_NAME.search(head)
                if match:
                    found[sheet.name] = match.group(1).decode("utf-8", "replace")
        return found

    def unique_code_name(self, base: str, title: str, replacing: Sheet | None) -> str:
        """`base`, else `base2`, `base3`…: the first codeName that no other sheet and not the
        workbook carries (compared ignoring case, as VBA does), noted for the sheet `title`.
        Excel requires codeNames to be unique; a duplicate makes it "repair" the file."""
        if self.codes is None:
            self.codes = self.code_names()
        others = {
            code.casefold()
            for name, code in self.codes.items()
            if replacing is None or name != replacing.name
        }
        book = _BOOK_CODE_NAME.search(self.read(self.workbook_part).decode("utf-8", "replace"))
        if book is not None:
            others.add(book.group(1).casefold())
        code, number = base, 1
        while code.casefold() in others:
            number += 1
            code = f"{base}{number}"
        if replacing is not None:
            self.codes.pop(replacing.name, None)
        self.codes[title] = code
        return code

    def sheet_titled(self, title: str) -> Sheet | None:
        """The sheet whose title, stripped of surrounding spaces, is exactly `title`. A sheet
        that could not be replaced without breaking the workbook (a chart sheet of that name,
        or a name differing only in case, which Excel counts as the same) is refused."""
        found = next((s for s in self.sheets if s.name == title), None) or next(
            (s for s in self.sheets if s.name.strip() == title.strip()), None
        )
        if found is not None and found.worksheet:
            return found
        folded = title.strip().casefold()
        clash = found or next((s for s in self.sheets if s.name.strip().casefold() == folded), None)
        if clash is not None:
            raise SheetAccessError("sheet_not_replaceable", clash=clash.name, title=title)
        return None

    def styles_part(self) -> str:
        name = posixpath.join(posixpath.dirname(self.workbook_part), "styles.xml")
        if not self.has(name):
            raise SheetAccessError("workbook_no_styles", part=name)
        return name

    # -- planning changes --------------------------------------------------------------------
    def put(self, name: str, content: bytes) -> None:
        name = self.actual(name)
        self.removed.discard(name)
        if name not in self.names and name not in self.added:
            self.added.append(name)
        self.changed[name] = content

    def remove(self, name: str) -> None:
        name = self.actual(name)
        if name in self.names:
            self.removed.add(name)
        self.changed.pop(name, None)
        if name in self.added:
            self.added.remove(name)

    def replace_sheet(self, sheet: Sheet, content: bytes) -> None:
        """New content for a sheet we own; its old relationships (none are ours) go, and so do
        the parts only they pointed at (a drawing or comment staff put there)."""
        self.put(sheet.part, content)
        rels = self._rels_name(sheet.part)
        if self.has(rels):
            self._remove_with_orphans(rels)
        self._drop_from_calc_chain({sheet.sheet_id})

    def _rels_targets(self, rels_name: str) -> set[str]:
        """The parts a relationships part points at inside the package (not external links)."""
        folder, base = posixpath.split(rels_name)
        source = posixpath.join(posixpath.dirname(folder), base.removesuffix(".rels"))
        try:
            root = ElementTree.fromstring(self.read(rels_name))
        except ElementTree.ParseError:
            return set()
        return {
            self._target(source, rel.get("Target", ""))
            for rel in root
            if rel.get("TargetMode") != "External" and rel.get("Target")
        }

    def _remove_with_orphans(self, rels_name: str) -> None:
        """Remove `rels_name`, then every part it pointed at that no remaining relationship
        points at, with that part's own relationships (a drawing's image), and their
        content-type overrides. A part anything else references stays."""
        existing = self._live()
        targets = {
            folded: self._rels_targets(name)
            for folded, name in existing.items()
            if folded.endswith(".rels")
        }
        dropping = [rels_name.casefold()]
        removed: list[str] = []
        while dropping:
            current = dropping.pop()
            pointed = targets.pop(current, set())
            self.remove(current)
            referenced = {part.casefold() for parts in targets.values() for part in parts}
            for part in sorted(pointed):
                name = existing.get(part.casefold())
                if name is None or name.casefold() in referenced or not self.has(name):
                    continue
                self.remove(name)
                removed.append(name)
                own = self._rels_name(name).casefold()
                if own in targets:
                    dropping.append(own)
        if removed:
            types = self.read("[Content_Types].xml").decode("utf-8")
            for name in removed:
                pattern = (
                    r'<(?:[\w.-]+:)?Override\b[^>]*PartName="/' + re.escape(name) + r'"[^>]*/>'
                )
                types = re.sub(pattern, "", types, flags=re.IGNORECASE)
            self.put("[Content_Types].xml", types.encode("utf-8"))

    def add_sheet(self, name: str, index: int, content: bytes) -> Sheet:
        """A new worksheet part at position `index`, with its relationship and content type."""
        self.ensure_may_add([name])
        folder = posixpath.join(posixpath.dirname(self.workbook_part), "worksheets")
        number = 1
        while self.has(posixpath.join(folder, f"sheet{number}.xml")):
            number += 1
        part = posixpath.join(folder, f"sheet{number}.xml")
        self.put(part, content)
        rels_name = self._rels_name(self.workbook_part)
        rels = self.read(rels_name).decode("utf-8")
        used = set(re.findall(r'\bId="([^"]*)"', rels))
        rel_number = 1
        while f"rId{rel_number}" in used:
            rel_number += 1
        rel_id = f"rId{rel_number}"
        target = posixpath.relpath(part, posixpath.dirname(self.workbook_part))
        rels = insert_before_close(
            rels,
            "Relationships",
            f'<Relationship Id="{rel_id}" Type="{WORKSHEET_REL}" Target="{target}"/>',
        )
        self.put(rels_name, rels.encode("utf-8"))
        types = self.read("[Content_Types].xml").decode("utf-8")
        types = insert_before_close(
            types, "Types", f'<Override PartName="/{part}" ContentType="{WORKSHEET_TYPE}"/>'
        )
        self.put("[Content_Types].xml", types.encode("utf-8"))
        book = self.read(self.workbook_part)
        shape = book_shape(book)
        sheet_id = max([*shape.sheet_ids, *(s.sheet_id for s in self.sheets)], default=0) + 1
        index = max(0, min(index, len(self.sheets)))
        # the position among all <sheet> elements, a sheet whose part is missing included
        before = self.sheets[index].rel_id if index < len(self.sheets) else None
        position = next((i for i, (_, rid) in enumerate(shape.sheets) if rid == before), None)
        self.put(self.workbook_part, insert_sheet(book, position, name, sheet_id, rel_id, shape))
        sheet = Sheet(name, sheet_id, rel_id, part)
        self.sheets.insert(index, sheet)
        return sheet

    def ensure_may_add(self, titles: list[str]) -> None:
        """Refuse (exit 3) to add the tabs `titles` to a workbook whose structure its owner
        protected: Excel forbids adding sheets then, and so does the sync."""
        if titles and book_shape(self.read(self.workbook_part)).structure_locked:
            raise SheetAccessError("workbook_structure_locked", tabs=" / ".join(titles))

    def _drop_from_calc_chain(self, sheet_ids: set[int]) -> None:
        """Drop the calculation-chain entries of replaced sheets (they hold no formula now)."""
        chain = posixpath.join(posixpath.dirname(self.workbook_part), "calcChain.xml")
        if not self.has(chain):
            return
        root = ElementTree.fromstring(self.read(chain))
        kept: list[tuple[str, dict[str, str]]] = []
        current = "0"
        dropped = False
        for entry in root:
            current = entry.get("i", current)
            if int(current) in sheet_ids:
                dropped = True
                continue
            attributes = dict(entry.attrib)
            attributes["i"] = current  # written out: a dropped entry may have carried it
            kept.append((entry.tag.split("}")[-1], attributes))
        if not dropped:
            return
        if not kept:
            self._remove_calc_chain(chain)
            return
        body = "".join(
            "<c" + "".join(f" {k}={quoteattr(v)}" for k, v in attrs.items()) + "/>"
            for _, attrs in kept
        )
        self.put(
            chain,
            (
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                f'<calcChain xmlns="{MAIN_NS}">{body}</calcChain>'
            ).encode(),
        )

    def _remove_calc_chain(self, chain: str) -> None:
        self.remove(chain)
        rels_name = self._rels_name(self.workbook_part)
        rels = self.read(rels_name).decode("utf-8")
        rels = re.sub(r"<(?:[\w.-]+:)?Relationship\b[^>]*calcChain[^>]*/>", "", rels)
        self.put(rels_name, rels.encode("utf-8"))
        types = self.read("[Content_Types].xml").decode("utf-8")
        override = r'<(?:[\w.-]+:)?Override\b[^>]*PartName="/' + re.escape(chain) + r'"[^>]*/>'
        types = re.sub(override, "", types, flags=re.IGNORECASE)
        self.put("[Content_Types].xml", types.encode("utf-8"))

    # -- writing -----------------------------------------------------------------------------
    def save(self, target: Path) -> None:
        """Write the package to `target`: changed parts new, every other part copied as it is
        stored (compressed bytes and CRC untouched)."""
        with zipfile.ZipFile(BytesIO(self.data)) as source:
            infos = [info for info in source.infolist() if info.filename not in self.removed]
        if not fits(infos, sum(len(content) for content in self.changed.values())):
            self._save_recompressed(target)
            return
        now = time.localtime()[:6]
        with open(target, "wb") as stream:
            copier = ZipCopier(stream)
            for info in infos:
                content = self.changed.get(info.filename)
                if content is None:
                    copier.copy(self.data, info)
                else:
                    copier.add(info.filename, content, info.date_time)
            for name in self.added:
                copier.add(name, self.changed[name], now)
            copier.close()

    def _save_recompressed(self, target: Path) -> None:
        """The zipfile module's way, for a package too big for a plain zip (ZIP64)."""
        with (
            zipfile.ZipFile(BytesIO(self.data)) as source,
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as out,
        ):
            for info in source.infolist():
                if info.filename in self.removed:
                    continue
                content = self.changed.get(info.filename)
                copy = zipfile.ZipInfo(info.filename, info.date_time)
                copy.external_attr = info.external_attr
                copy.compress_type = info.compress_type if content is None else zipfile.ZIP_DEFLATED
                out.writestr(copy, content if content is not None else source.read(info))
            for name in self.added:
                out.writestr(name, self.changed[name])
