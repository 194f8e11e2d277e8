"""The README's pictures show the demo as it is: the agenda on a phone and the サマリー tab were
made from the demo's current output (a hash of the agenda's HTML and of the Summary's cells and
looks is kept beside them), they are real PNGs of a phone's width and a printed page, and small.

When the demo's output changed, remake them (needs Chromium, LibreOffice and pdftoppm), look at
them, and commit docs/images/ with the change:

    python docs/make_pictures.py
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

from PIL import Image

REPO = Path(__file__).resolve().parents[1]
SCRIPT = REPO / "docs" / "make_pictures.py"
IMAGES = REPO / "docs" / "images"
REMAKE = "python docs/make_pictures.py"
MOST_BYTES = 400_000  # every picture of the docs together: a README must load fast


def _script() -> ModuleType:
    """docs/make_pictures.py, loaded as a module (docs/ is no package: it is run as a script)."""
    spec = importlib.util.spec_from_file_location("make_pictures", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up there
    spec.loader.exec_module(module)
    return module


def test_the_pictures_were_made_from_the_demo_as_it_is_now(tmp_path: Path) -> None:
    """The hash of what the pictures were made from equals the hash of the demo made now; a
    change to the agenda or the Summary fails here until the pictures are made again."""
    pictures = _script()
    kept = (IMAGES / "pictures.sha256").read_text(encoding="utf-8")
    now = pictures.hashes(pictures.sources(tmp_path))
    assert now == kept, (
        "The demo's agenda or サマリー changed since the README's pictures were made. "
        f"Run `{REMAKE}` (venv active; needs Chromium, LibreOffice and pdftoppm), look at "
        "docs/images/agenda-phone.png and docs/images/summary.png, and commit docs/images/."
    )


def test_the_hash_file_names_each_picture_that_is_there() -> None:
    """pictures.sha256 has one line per picture (as sha256sum writes them), each picture there."""
    lines = (IMAGES / "pictures.sha256").read_text(encoding="utf-8").splitlines()
    names = [line.split("  ", 1)[1] for line in lines]
    assert names == ["agenda-phone.png", "summary.png"]
    assert all(len(line.split("  ", 1)[0]) == 64 for line in lines)
    assert all((IMAGES / name).is_file() for name in names)


def test_the_pictures_are_a_phone_screen_and_a_printed_page_and_small() -> None:
    """The agenda is exactly a 375 px phone's width; the Summary is a landscape page (wider
    than tall); every picture of the docs together stays under 400 KB."""
    with Image.open(IMAGES / "agenda-phone.png") as agenda:
        assert agenda.format == "PNG" and agenda.width == 375 and agenda.height > 600
    with Image.open(IMAGES / "summary.png") as summary:
        assert summary.format == "PNG" and summary.width > summary.height > 300
    total = sum(path.stat().st_size for path in IMAGES.glob("*.png"))
    assert total < MOST_BYTES, total


def test_the_hash_changes_when_what_a_picture_shows_changes(tmp_path: Path) -> None:
    """The hash is of the content: one character more in the agenda gives another hash, the
    same content the same hash (the demo is made on a fixed day, at a fixed time)."""
    pictures = _script()
    made = pictures.sources(tmp_path / "one")
    assert pictures.hashes(pictures.sources(tmp_path / "two")) == pictures.hashes(made)
    changed = {**made, "agenda-phone.png": made["agenda-phone.png"] + " "}
    assert pictures.hashes(changed) != pictures.hashes(made)
