"""Backends behind one interface; `open_backend` picks the one a client's config names."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..config import Config
from ..schema import Lang
from ..tabs import GeneratedTab, OutCell, RawCell, RawTab, Snapshot
from .base import Backend, Diagnosis, Probe, Usage
from .pacing import RateLimiter, RetryPolicy

__all__ = [
    "Backend",
    "Diagnosis",
    "GeneratedTab",
    "OutCell",
    "Probe",
    "RateLimiter",
    "RawCell",
    "RawTab",
    "RetryPolicy",
    "Snapshot",
    "Usage",
    "new_google_client",
    "open_backend",
]


def open_backend(
    config: Config, *, policy: RetryPolicy | None = None, limiter: RateLimiter | None = None
) -> Backend:
    """The workbook a client's config points at (Google is imported only when used); `policy`
    and `limiter` pace a Google backend's requests (sync-all shares one limiter)."""
    if config.sheet.backend == "google":
        from .google import GoogleBackend

        return GoogleBackend.from_config(config, policy=policy, limiter=limiter)
    from .xlsx import STATE_FOLDER, XlsxBackend

    state = config.folder / STATE_FOLDER
    return XlsxBackend(config.workbook_path(), config.language, config.tz, state=state)


def new_google_client(
    name: str,
    lang: Lang,
    *,
    share: tuple[str, ...] = (),
    from_template: str | None = None,
    sample: bool | str = False,
    config_dir: Path = Path("config/clients"),
    credentials: Path | None = None,
    addresses: Any = None,
    empty: bool = False,
) -> Any:
    """`new-client --backend google`: the spreadsheet, its template and the client's config."""
    from .google import new_google_client as create

    return create(
        name,
        lang,
        share=share,
        from_template=from_template,
        sample=sample,
        config_dir=config_dir,
        credentials=credentials,
        addresses=addresses,
        empty=empty,
    )
