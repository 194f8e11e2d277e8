"""Which kind of backend a config names (`sheet.backend`): the one place that knows them all."""

from __future__ import annotations

from ..config import Config
from .base import BackendKind


def kind_named(name: str) -> BackendKind:
    """The kind of backend called `name` ("xlsx" or "google", as a config says it)."""
    if name == "google":
        # Imported when first named: gspread, google-auth and requests take ~0.2 s to load,
        # which a run that names no Google sheet (and `status`, `--help`) never pays.
        from .google_kind import GOOGLE

        return GOOGLE
    # Likewise openpyxl (~0.1 s), which a Google-only run never needs.
    from .xlsx_kind import XLSX

    return XLSX


def kind_of(config: Config) -> BackendKind:
    """The kind of backend `config` names."""
    return kind_named(config.sheet.backend)
