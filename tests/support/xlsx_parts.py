"""Reading and editing an .xlsx package's parts as staff's other tools leave them: code names,
parts nothing refers to, a picture and a comment, a chart."""

from __future__ import annotations

import posixpath
import re
import zipfile
from io import BytesIO
from pathlib import Path
from xml.etree import ElementTree

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.drawing.image import Image
from PIL import Image as PILImage


def code_names(path: Path) -> list[str]:
    """Every sheet's codeName, read from the unzipped parts."""
    found = parts(path)
    return [
        m.group(1).decode()
        for part in sheet_parts(path).values()
        if (m := re.search(rb'<(?:\w+:)?sheetPr\b[^>]*codeName="([^"]*)"', found[part]))
    ]


def unreferenced_parts(path: Path) -> set[str]:
    """Parts no relationship points at (the package's own bookkeeping aside), plus content-type
    overrides that name a part the zip lacks."""
    found = parts(path)
    pointed: set[str] = set()
    for name, content in found.items():
        if not name.endswith(".rels"):
            continue
        source_folder = posixpath.dirname(posixpath.dirname(name))  # a/_rels/b.rels → a
        for rel in ElementTree.fromstring(content):
            target = rel.get("Target", "")
            if rel.get("TargetMode") == "External":
                continue
            joined = target if target.startswith("/") else posixpath.join(source_folder, target)
            pointed.add(posixpath.normpath(joined).lstrip("/"))
    orphans = {
        name
        for name in found
        if not name.endswith(".rels") and name != "[Content_Types].xml" and name not in pointed
    }
    overrides = re.findall(r'PartName="/([^"]+)"', found["[Content_Types].xml"].decode())
    return orphans | {f"override:{name}" for name in overrides if name not in found}


def add_picture_and_comment(workbook: Path, title: str) -> None:
    """What staff may do on any tab: paste a picture and leave a comment."""

    png = BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(png, "PNG")
    book = load_workbook(workbook)
    book[title].add_image(Image(png), "H2")
    book[title]["A1"].comment = Comment("見てください", "佐藤")
    book.save(workbook)


def parts(path: Path) -> dict[str, bytes]:
    """Every zip entry of a workbook, decompressed."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_parts(path: Path) -> dict[str, str]:
    """Sheet title → its part name, from workbook.xml and its relationships."""
    found = parts(path)
    rels = ElementTree.fromstring(found["xl/_rels/workbook.xml.rels"])
    targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
    book = ElementTree.fromstring(found["xl/workbook.xml"])
    rid = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    return {
        sheet.get("name", ""): "xl/" + targets[sheet.get(rid)].removeprefix("/xl/")
        for sheet in book.iter("{http://schemas.openxmlformats.org/spreadsheetml/2006/main}sheet")
    }
