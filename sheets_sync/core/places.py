"""Where things are, as staff may read it: a link they can open, never a path of the machine
that ran the sync (a `file://` link or `/home/…` helps nobody on the shop's phone, and tells
strangers how the consultant's disk is laid out)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

from ..sheet import schema
from ..sheet.locate import column_letter, locate_header, pick_tab
from ..sheet.parse import is_blank
from ..sheet.tabs import Snapshot
from .report import TabPlace

_WEB: Final = ("https://", "http://")
_FILE_URI: Final = re.compile(r"file://[^\s\"'<>]*")


def sheet_link(configured: str | None, backend_url: str | None) -> str | None:
    """The link to the workbook that staff open: `sheet.url` when the config gives one, else the
    backend's own address when it is a web address (a Google Sheet's); an .xlsx workbook
    without `sheet.url` has none (its backend address is a local file)."""
    if configured:
        return configured
    if backend_url and backend_url.lower().startswith(_WEB):
        return backend_url
    return None


def staff_place(where: str, folder: Path) -> str:
    """Where a message went, for the Log: a file inside the client's folder by its path there
    (`outbox/20261121-….eml`), any other file by its name only; an address (smtp://…) as is."""
    if "://" in where and not where.startswith("file://"):
        return where
    path = Path(where.removeprefix("file://"))
    if not path.is_absolute():
        return where
    for base in (folder, folder.resolve()):
        if path.is_relative_to(base):
            return path.relative_to(base).as_posix()
    return path.name


def without_machine_paths(text: str, folder: Path) -> str:
    """`text` (an error a Log row shows) with the client's folder left out of every path in it
    and every `file://` link cut down to its file name."""
    for base in sorted({str(folder.resolve()), str(folder)}, key=len, reverse=True):
        text = text.replace(base.rstrip("/") + "/", "").replace(base, ".")
    return _FILE_URI.sub(lambda match: match.group(0).rstrip("/").rsplit("/", 1)[-1], text)


def tab_places(snapshot: Snapshot) -> dict[str, TabPlace]:
    """Each input tab found as `validate` finds it, with its columns' letters and headers as they
    stand, its first free row, and (on Google, whose tabs have ids) the tab's own address."""
    places: dict[str, TabPlace] = {}
    base = _web_base(snapshot.url)
    for tab in schema.INPUT_TABS:
        raw, _, _ = pick_tab(snapshot, tab)
        if raw is None:
            continue
        header = locate_header(tab, raw)
        used = [i for i, line in enumerate(raw.rows) if any(not is_blank(c.value) for c in line)]
        gid = snapshot.tab_ids.get(raw.title)
        places[tab.key] = TabPlace(
            title=raw.title,
            letters={key: column_letter(pos) for key, pos in header.positions.items()},
            headers=dict(header.texts),
            free_row=max(used, default=header.row) + 2,  # 0-based last row → the next 1-based
            url=f"{base}#gid={gid}" if base is not None and gid is not None else None,
        )
    return places


def _web_base(url: str | None) -> str | None:
    """The workbook's web address without its fragment, or None when it has none (a file)."""
    if not url or not url.lower().startswith(_WEB):
        return None
    return url.split("#", 1)[0]
