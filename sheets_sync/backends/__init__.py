"""Backends behind one interface; `open_backend` picks the one a client's config names."""

from __future__ import annotations

from ..config import Config
from ..tabs import GeneratedTab, OutCell, RawCell, RawTab, Snapshot
from .base import Backend

__all__ = ["Backend", "GeneratedTab", "OutCell", "RawCell", "RawTab", "Snapshot", "open_backend"]


def open_backend(config: Config) -> Backend:
    """The workbook a client's config points at (Google is imported only when used)."""
    if config.sheet.backend == "google":
        from .google import GoogleBackend

        return GoogleBackend.from_config(config)
    from .xlsx import XlsxBackend

    return XlsxBackend(config.workbook_path(), config.language, config.tz)
