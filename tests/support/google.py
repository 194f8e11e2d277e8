"""A client on the Google emulator: the service account the tests share, and a config naming a
spreadsheet there."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from tests.support.workbooks import write_config

SERVICE_EMAIL = "sheets-sync@emulator-project.iam.gserviceaccount.com"


MakeClient = Callable[..., Path]  # (tabs, **config_file's keywords, e.g. extra=) → the config


def google_config(folder: Path, key: str, extra: str = "", **top: str) -> Path:
    """A client config for a Google Sheet in the emulator (its key file beside it)."""
    sheet = (
        'backend = "google"\n'
        f'spreadsheet = "https://docs.google.com/spreadsheets/d/{key}/edit"\n'
        'credentials = "key.json"'
    )
    return write_config(folder, sheet, extra, **top)
