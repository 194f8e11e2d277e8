"""Clients in a folder of configs, as sync-all, the portfolio and the shard see them."""

from __future__ import annotations

from pathlib import Path

from tests.support.workbooks import Tabs, baseline, config_file, write_xlsx


def xlsx_client(folder: Path, slug: str, tabs: Tabs | None = None, **top: str) -> Path:
    """A client `<slug>.toml` beside its workbook `<slug>.xlsx`."""
    write_xlsx(folder / f"{slug}.xlsx", tabs if tabs is not None else baseline())
    path = config_file(folder, workbook=f"{slug}.xlsx", **top)
    return path.rename(folder / f"{slug}.toml")


def with_errors() -> dict[str, list[list[object]]]:
    """The baseline with two errors: a value that is not a number, and an unknown KPI."""
    tabs = baseline()
    tabs["KPI記録"].append([2, "K3", "たくさん", ""])
    tabs["KPI記録"].append([1, "K9", 3, ""])
    return tabs
