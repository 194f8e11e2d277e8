"""A new client: its workbook from the template (sample data optional) and its config file."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from . import schema
from .config import Config, load_config, slugify
from .errors import ConfigError
from .sample import minimum_set_rows, sample_rows
from .schema import Lang
from .template import row_cells


@dataclass(frozen=True)
class NewClient:
    """What `new-client` made."""

    config_path: Path
    workbook: str  # a path, or a Google Sheets URL
    config: Config


def _toml_string(value: str) -> str:
    # JSON string escapes are a subset of TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


def config_text(
    name: str,
    lang: Lang,
    *,
    backend: str,
    path: str | None = None,
    spreadsheet: str | None = None,
    credentials: str | None = None,
    mail_to: tuple[str, ...] = (),
) -> str:
    """A commented config file a consultant can read and edit."""
    sheet = [f'backend = "{backend}"']
    if path is not None:
        sheet.append(f"path = {_toml_string(path)}                # relative to this file")
    if spreadsheet is not None:
        sheet.append(f"spreadsheet = {_toml_string(spreadsheet)}")
    if credentials is not None:
        sheet.append(f"credentials = {_toml_string(credentials)}")
    recipients = ", ".join(_toml_string(a) for a in mail_to) or '"team@example.jp"'
    return f"""# sheets-sync client config — see the README's config table for every key.
client = {_toml_string(name)}
language = "{lang}"                 # ja | en
timezone = "Asia/Tokyo"
# templates_dir = "templates"      # optional copies of the agenda templates, beside this file

[sheet]
{chr(10).join(sheet)}

[meeting]
minutes = 15
send_days_before = 1

[mail]
transport = "outbox"            # outbox | smtp
outbox = "outbox"
from = "kpi@example.jp"
to = [{recipients}]
# [mail.smtp]
# host = "smtp.example.jp"
# port = 587
# security = "starttls"         # starttls | ssl | none
# username = "kpi@example.jp"
# password_env = "SHEETS_SYNC_SMTP_PASSWORD"
"""


def path_for_config(path: Path, config_dir: Path) -> str:
    """How a config names a file: relative to the config's folder when inside it, else absolute
    (config paths are read relative to the config file, not to where the command ran)."""
    absolute = path.resolve()
    try:
        return str(absolute.relative_to(config_dir.resolve()))
    except ValueError:
        return str(absolute)


def sample_cells(lang: Lang, today: date) -> dict[str, list[list[object]]]:
    """The sample client's rows laid out in each tab's column order."""
    rows = sample_rows(lang, today)
    return {
        key: [row_cells(schema.TABS_BY_KEY[key], row) for row in tab_rows]
        for key, tab_rows in rows.items()
    }


def starting_cells(
    lang: Lang, today: date, *, sample: bool = False, empty: bool = False
) -> dict[str, list[list[object]]]:
    """A new workbook's rows: the sample story, nothing (`--empty`), or by default the method's
    minimum set in the KPI tab."""
    if sample:
        return sample_cells(lang, today)
    if empty:
        return {}
    rows = minimum_set_rows(lang)
    return {
        key: [row_cells(schema.TABS_BY_KEY[key], row) for row in tab_rows]
        for key, tab_rows in rows.items()
    }


def new_xlsx_client(
    name: str,
    lang: Lang,
    *,
    config_dir: Path,
    workbook: Path | None = None,
    slug: str | None = None,
    sample: bool = False,
    empty: bool = False,
    today: date | None = None,
    overwrite: bool = False,
) -> NewClient:
    """Create the .xlsx workbook from the template and `<config_dir>/<slug>.toml`."""
    from .backends.xlsx import create_workbook

    slug = slug or slugify(name)
    config_path = config_dir / f"{slug}.toml"
    workbook = workbook or config_dir / f"{slug}.xlsx"
    for existing in (config_path, workbook):
        if existing.exists() and not overwrite:
            raise ConfigError(f"{existing} already exists; choose another name or remove it")
    config_dir.mkdir(parents=True, exist_ok=True)
    rows = starting_cells(lang, today or date.today(), sample=sample, empty=empty)
    create_workbook(workbook, lang, rows)
    relative = path_for_config(workbook, config_dir)
    config_path.write_text(config_text(name, lang, backend="xlsx", path=relative), encoding="utf-8")
    return NewClient(config_path, str(workbook), load_config(config_path))
