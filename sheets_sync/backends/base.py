"""The one interface every backend implements: read a snapshot, write the generated tabs."""

from __future__ import annotations

from typing import Protocol

from ..tabs import GeneratedTab, Snapshot, SparklineKind


class Backend(Protocol):
    """A workbook the sync can read in one request and write in one request."""

    sparkline: SparklineKind

    def describe(self) -> str:
        """Where the workbook is, for messages ("sakura.xlsx", "Google Sheet <id>")."""
        ...

    def read(self) -> Snapshot:
        """All tabs, input and generated."""
        ...

    def write(self, tabs: list[GeneratedTab]) -> None:
        """Replace the generated tabs (creating any that are missing); touch nothing else."""
        ...
