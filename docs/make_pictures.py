"""The README's two pictures, made from the demo: its agenda on a phone and its サマリー tab.

The demo is made exactly as `sheets-sync demo` makes it, on a fixed day (so the pictures do not
change with the calendar). The agenda is photographed by headless Chromium in a true 375 px
viewport (a phone's width; the page sits in an iframe, since a headless window is at least
about 500 px wide); the Summary is printed to PDF by LibreOffice with its own page setup and
turned into a PNG by pdftoppm. Beside the pictures, `pictures.sha256` keeps a hash of what they
were made from (the agenda's HTML, the Summary's cells and their looks), and
tests/test_pictures.py fails when the demo's output no longer matches it. Then, from the
repository's folder, with the venv active:

    python docs/make_pictures.py

It needs Chromium, LibreOffice (soffice) and pdftoppm; it writes docs/images/agenda-phone.png,
docs/images/summary.png and docs/images/pictures.sha256.
"""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from openpyxl import load_workbook
from PIL import Image, ImageChops

from sheets_sync.config import Config
from sheets_sync.meeting import render_agenda
from sheets_sync.run.clients import NewClientOrder, new_client
from sheets_sync.run.sync import Command, RunOptions, run
from sheets_sync.sheet import schema
from sheets_sync.sheet.sample import DEMO_DAYS_INTO_CURRENT, SAMPLE_CLIENT

IMAGES = Path(__file__).parent / "images"
AGENDA_PNG = IMAGES / "agenda-phone.png"
SUMMARY_PNG = IMAGES / "summary.png"
HASHES = IMAGES / "pictures.sha256"
COMMAND = "python docs/make_pictures.py"

TODAY = date(2026, 12, 7)  # a Monday; the demo's running cycle ends the next day
NOW = datetime(2026, 12, 7, 8, 0, tzinfo=ZoneInfo("Asia/Tokyo"))  # a real run's clock: named
PHONE_WIDTH = 375
PHONE_HEIGHT = 1160  # the first screens: the meeting, the step chosen last time, the first KPIs
COLOURS = 64  # a palette this small keeps the PNGs a few dozen KB, text still crisp

_OUTER = """<!DOCTYPE html><html><body style="margin:0;background:#fff">
<iframe src="{inner}" style="width:{width}px;height:{height}px;border:0;display:block">
</iframe></body></html>"""


@dataclass(frozen=True)
class Demo:
    """The demo on the fixed day: its config, its agenda as HTML (pictures inlined)."""

    config: Config
    agenda_html: str
    cid_html: str  # the agenda's HTML as rendered, pictures by Content-ID (what is hashed)


def make_demo(folder: Path) -> Demo:
    """The Japanese demo in `folder`, as `sheets-sync demo` makes it, synced on TODAY at NOW."""
    made = new_client(
        NewClientOrder(
            SAMPLE_CLIENT["ja"],
            "ja",
            config_dir=folder,
            slug="sakura",
            sample=True,
            today=TODAY,
            days_into_current=DEMO_DAYS_INTO_CURRENT,
        )
    )
    result = run(
        made.config, RunOptions(as_of=TODAY), command=Command.DEMO, now=NOW, announce=False
    )
    rendered = render_agenda(result.report, made.config)
    inlined = rendered.html
    for cid, png in rendered.images.items():
        inlined = inlined.replace(f"cid:{cid}", _data_uri(png))
    return Demo(made.config, inlined, rendered.html)


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def summary_cells(config: Config) -> str:
    """The Summary tab as LibreOffice will draw it, as text: each cell's value and looks, the
    merges, widths, heights and page setup (read with openpyxl, so the text does not depend on
    how the template's styles happen to be numbered)."""
    book = load_workbook(config.workbook_path())
    sheet = book[schema.SUMMARY.title(config.language)]
    cells: list[list[Any]] = []
    for row in sheet.iter_rows():
        for cell in row:
            if cell.value is None and not cell.has_style:
                continue
            font, fill, align = cell.font, cell.fill, cell.alignment
            cells.append([
                cell.coordinate, cell.value if cell.value is None else str(cell.value),
                cell.number_format, bool(font.b), font.sz, _colour(font.color),
                _colour(fill.fgColor) if fill.fill_type else None,
                align.horizontal, align.vertical, bool(align.wrap_text),
            ])  # fmt: skip
    setup = sheet.page_setup
    looks = {
        "cells": cells,
        "merged": sorted(str(merged) for merged in sheet.merged_cells.ranges),
        "widths": {key: dim.width for key, dim in sorted(sheet.column_dimensions.items())},
        "heights": {key: dim.height for key, dim in sorted(sheet.row_dimensions.items())},
        "page": [setup.orientation, setup.fitToWidth, setup.fitToHeight, setup.paperSize],
    }
    return json.dumps(looks, ensure_ascii=False, sort_keys=True, default=str)


def _colour(colour: Any) -> str | None:
    return str(colour.rgb) if colour is not None and isinstance(colour.rgb, str) else None


def sources(folder: Path) -> dict[str, str]:
    """What each picture is made from, by the picture's file name (made in `folder`)."""
    demo = make_demo(folder)
    return {AGENDA_PNG.name: demo.cid_html, SUMMARY_PNG.name: summary_cells(demo.config)}


def hashes(made_from: dict[str, str]) -> str:
    """pictures.sha256: one line per picture, as `sha256sum` writes them."""
    lines = [
        f"{hashlib.sha256(text.encode('utf-8')).hexdigest()}  {name}"
        for name, text in sorted(made_from.items())
    ]
    return "\n".join(lines) + "\n"


# -- the pictures -------------------------------------------------------------------------------
def _tool(*names: str) -> str:
    found = next((path for name in names if (path := shutil.which(name))), None)
    if found is None:
        raise SystemExit(f"{names[0]} is not installed: it is needed to make the pictures")
    return found


def agenda_picture(page: str, out: Path, scratch: Path) -> None:
    """The top of the agenda mail in a 375 px viewport, as a phone shows it."""
    chromium = _tool("chromium", "chromium-browser", "google-chrome")
    inner = scratch / "agenda.html"
    inner.write_text(page, encoding="utf-8")
    outer = scratch / "phone.html"
    outer.write_text(
        _OUTER.format(inner=inner.name, width=PHONE_WIDTH, height=PHONE_HEIGHT), encoding="utf-8"
    )
    shot = scratch / "phone.png"
    subprocess.run(
        [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
         "--allow-file-access-from-files", "--virtual-time-budget=5000",
         f"--window-size=500,{PHONE_HEIGHT}", f"--screenshot={shot}", outer.as_uri()],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    with Image.open(shot) as image:
        _save(image.crop((0, 0, PHONE_WIDTH, PHONE_HEIGHT)), out)


def summary_picture(config: Config, out: Path, scratch: Path) -> None:
    """The Summary tab's first printed page, as LibreOffice prints it (its own page setup)."""
    soffice = _tool("soffice", "libreoffice")
    pdftoppm = _tool("pdftoppm")
    only = scratch / "summary.xlsx"
    book = load_workbook(config.workbook_path())
    title = schema.SUMMARY.title(config.language)
    for sheet in list(book.worksheets):
        if sheet.title != title:
            book.remove(sheet)
    book.save(only)
    profile = (scratch / "profile").as_uri()
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(scratch), str(only)],
        check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    pages = scratch / "page"
    subprocess.run(
        [pdftoppm, "-png", "-r", "110", "-f", "1", "-l", "1", str(scratch / "summary.pdf"),
         str(pages)],
        check=True, capture_output=True, timeout=120,
    )  # fmt: skip
    first = sorted(scratch.glob("page*.png"))[0]
    with Image.open(first) as image:
        _save(_trimmed(image.convert("RGB")), out)


def _trimmed(image: Image.Image, margin: int = 12) -> Image.Image:
    """The page without its white margins (a little white kept around the table)."""
    background = Image.new("RGB", image.size, (255, 255, 255))
    box = ImageChops.difference(image, background).getbbox()
    if box is None:
        return image
    left, top, right, bottom = box
    return image.crop((
        max(left - margin, 0), max(top - margin, 0),
        min(right + margin, image.width), min(bottom + margin, image.height),
    ))  # fmt: skip


def _save(image: Image.Image, out: Path) -> None:
    small = image.convert("RGB").quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT)
    small.save(out, optimize=True)


def main() -> int:
    IMAGES.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        scratch = Path(folder)
        demo = make_demo(scratch / "demo")
        agenda_picture(demo.agenda_html, AGENDA_PNG, scratch)
        summary_picture(demo.config, SUMMARY_PNG, scratch)
        made_from = {
            AGENDA_PNG.name: demo.cid_html,
            SUMMARY_PNG.name: summary_cells(demo.config),
        }
    HASHES.write_text(hashes(made_from), encoding="utf-8")
    for path in (AGENDA_PNG, SUMMARY_PNG, HASHES):
        print(f"{path}  ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
