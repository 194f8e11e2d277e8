"""A new client: its workbook from the template (sample data optional) and its config file.

One flow for every backend (`new_client`): check what can be checked (the name, the files
already there, the config it will write), make the workbook, write the config — and when a
step fails, remove what this call made.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Final

from ..backends import Created, NewWorkbook, SheetEntries, kind_named
from ..config import Config, config_from_dict, load_config, local_today, slugify
from ..config import check_client_name as config_check_client_name
from ..errors import ConfigError, UsageError
from ..sheet import schema
from ..sheet.sample import (
    DEFAULT_KIND,
    DEMO_DAYS_INTO_CURRENT,
    SampleKind,
    minimum_set_rows,
    sample_kind,
    sample_rows,
)
from ..sheet.schema import Lang
from ..sheet.template import row_cells
from ..util.addresses import split_addresses
from ..words.core import Phrase


@dataclass(frozen=True)
class NewClient:
    """What `new-client` made."""

    config_path: Path
    workbook: str  # a path, or a Google Sheets URL
    config: Config
    link: bool = False  # staff open it from its link (shared with them), not as a file


def _toml_string(value: str) -> str:
    # JSON string escapes are a subset of TOML basic-string escapes.
    return json.dumps(value, ensure_ascii=False)


PLACEHOLDER_FROM: Final = "kpi@example.jp"
PLACEHOLDER_TO: Final = "team@example.jp"


@dataclass(frozen=True)
class MailAddresses:
    """new-client's --from, --to (repeatable), --cc (repeatable) and --meeting-time."""

    sender: str | None = None
    to: tuple[str, ...] = ()
    cc: tuple[str, ...] = ()
    meeting_time: str | None = None


def config_text(
    name: str,
    lang: Lang,
    entries: SheetEntries,
    folder: Path,
    addresses: MailAddresses | None = None,
) -> str:
    """A commented config file a consultant can read and edit, to be written in `folder`."""
    addresses = addresses or MailAddresses()
    sheet = [f'backend = "{entries.backend}"']
    if entries.path is not None:
        path = path_for_config(entries.path, folder)
        sheet.append(f"path = {_toml_string(path)}                # relative to this file")
    if entries.spreadsheet is not None:
        sheet.append(f"spreadsheet = {_toml_string(entries.spreadsheet)}")
    if entries.credentials is not None:
        credentials = path_for_config(entries.credentials, folder)
        sheet.append(f"credentials = {_toml_string(credentials)}")
    to = split_addresses(addresses.to)  # `--to "a@x.jp, b@x.jp"` is two
    recipients = ", ".join(_toml_string(a) for a in to) or _toml_string(PLACEHOLDER_TO)
    sender = _toml_string(addresses.sender or PLACEHOLDER_FROM)
    cc = ", ".join(_toml_string(a) for a in split_addresses(addresses.cc))
    time_line = (
        f"time = {_toml_string(addresses.meeting_time)}             # HH:MM in `timezone`"
        if addresses.meeting_time
        else '# time = "18:30"               # without it the invite is an all-day event'
    )
    placeholder = "" if addresses.sender and to else "  # example addresses: put the real ones here"
    return f"""# sheets-sync client config — see config/example-client.toml for every key.
client = {_toml_string(name)}
language = "{lang}"                 # ja | en
timezone = "Asia/Tokyo"
# templates_dir = "templates"      # optional copies of the agenda templates, beside this file

[sheet]
{chr(10).join(sheet)}

[meeting]
minutes = 15
send_days_before = 1
{time_line}
# place = "店舗2階 / https://meet.google.com/…"
# roles = {{ facilitator = "…", timekeeper = "…", recorder = "…" }}

[mail]{placeholder}
transport = "outbox"            # outbox | smtp
outbox = "outbox"
from = {sender}
to = [{recipients}]
cc = [{cc}]
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


def sample_cells(
    lang: Lang,
    today: date,
    *,
    days_into_current: int = DEMO_DAYS_INTO_CURRENT,
    kind: SampleKind = DEFAULT_KIND,
) -> dict[str, list[list[object]]]:
    """A sample client's rows (the story of `kind`) laid out in each tab's column order; by
    default the running cycle ends tomorrow, so the first sync of a sample client sends the
    agenda for a meeting still to come (a rehearsal with the client)."""
    rows = sample_rows(lang, today, days_into_current=days_into_current, kind=kind)
    return {
        key: [row_cells(schema.TABS_BY_KEY[key], row) for row in tab_rows]
        for key, tab_rows in rows.items()
    }


def starting_cells(
    lang: Lang,
    today: date,
    *,
    sample: bool | str = False,
    empty: bool = False,
    days_into_current: int = DEMO_DAYS_INTO_CURRENT,
) -> dict[str, list[list[object]]]:
    """A new workbook's rows: a sample story (`sample`: a kind of business, or True for the
    café), nothing (`--empty`), or by default the method's minimum set in the KPI tab."""
    kind = sample_kind(sample)
    if kind is not None:
        return sample_cells(lang, today, days_into_current=days_into_current, kind=kind)
    if empty:
        return {}
    rows = minimum_set_rows(lang)
    return {
        key: [row_cells(schema.TABS_BY_KEY[key], row) for row in tab_rows]
        for key, tab_rows in rows.items()
    }


# sync-all reads this file in the configs folder as the consultant's settings, never a client.
PORTFOLIO_SLUG: Final = "portfolio"


# The slug names the config, the workbook, its lock and backup files: most file systems stop
# at 255 bytes a name, and the longest of those adds about 60.
MAX_SLUG_BYTES: Final = 150


def check_client_name(name: str) -> str:
    """The name trimmed; refused when blank, too long (for the config or a file name), or when
    its config file would be portfolio.toml (the consultant's settings)."""
    cleaned = config_check_client_name(name)
    if len(slugify(cleaned).encode("utf-8")) > MAX_SLUG_BYTES:
        raise UsageError("client_name_too_long_for_file", count=len(cleaned))
    if slugify(cleaned) == PORTFOLIO_SLUG:
        raise UsageError("client_name_portfolio", name=cleaned, slug=PORTFOLIO_SLUG)
    return cleaned


def make_folder(folder: Path, option: str) -> None:
    """Create `folder` (and its parents) or say plainly, naming it, why it cannot be made."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        if folder.exists() and not folder.is_dir():
            reason = Phrase("error.folder_is_file")
        else:
            reason = Phrase("error.folder_not_creatable", {"reason": error.strerror or error})
        raise UsageError("folder_unusable", option=option, folder=folder, reason=reason) from None


@dataclass(frozen=True)
class NewClientOrder:
    """What `new-client` was asked for."""

    name: str
    lang: Lang
    config_dir: Path
    backend: str = "xlsx"
    workbook: Path | None = None  # .xlsx: where (default: beside the config)
    slug: str | None = None  # the config's file name (default: from the name)
    sample: bool | str = False  # a kind of business's story (True: the café)
    empty: bool = False
    today: date | None = None
    addresses: MailAddresses | None = None
    days_into_current: int = DEMO_DAYS_INTO_CURRENT
    share: tuple[str, ...] = ()
    from_template: str | None = None
    credentials: Path | None = None


def new_client(order: NewClientOrder) -> NewClient:
    """Make the client's workbook and `<config_dir>/<slug>.toml`, on whichever backend the
    order names: check → create → write the config; a failure on the way leaves nothing this
    call made (the workbook, the config, the folder) behind."""
    order = replace(order, name=check_client_name(order.name))
    sample_kind(order.sample)  # an unknown kind fails before anything is made
    made_folder = not order.config_dir.exists()
    make_folder(order.config_dir, "--config-dir")
    try:
        return _make(order)
    except BaseException:
        if made_folder:
            _remove(order.config_dir)
        raise


def _make(order: NewClientOrder) -> NewClient:
    """In a folder that is there: the workbook, then the config; what was made of them is
    removed again when a step fails."""
    kind = kind_named(order.backend)
    config_path = order.config_dir / f"{order.slug or slugify(order.name)}.toml"
    if config_path.exists():
        raise ConfigError("file_exists", path=config_path)
    request = _workbook_request(order, config_path)
    created: Created | None = None
    config_written = False
    try:
        planned = _config_text(order, kind.prepare(request))
        config_from_dict(tomllib.loads(planned), config_path)  # a bad --to/--from fails first
        created = kind.create(request)
        text = _config_text(order, created.sheet)
        config_written = True
        config_path.write_text(text, encoding="utf-8")
        return NewClient(config_path, created.workbook, load_config(config_path), kind.link)
    except BaseException as error:
        if config_written:
            _remove(config_path)
        if created is not None:
            created.remove()
        if isinstance(error, OSError):
            raise ConfigError(
                "cannot_create",
                path=error.filename or order.config_dir,
                reason=error.strerror or error,
            ) from None
        raise


def _config_text(order: NewClientOrder, entries: SheetEntries) -> str:
    return config_text(order.name, order.lang, entries, order.config_dir, order.addresses)


def _workbook_request(order: NewClientOrder, config_path: Path) -> NewWorkbook:
    """The workbook to make: a copied template keeps its own rows (a sample is added)."""
    rows = starting_cells(
        order.lang,
        order.today or local_today(),
        sample=order.sample,
        empty=order.empty or order.from_template is not None,
        days_into_current=order.days_into_current,
    )
    return NewWorkbook(
        name=order.name,
        lang=order.lang,
        folder=order.config_dir,
        stem=config_path.stem,
        rows=rows,
        file=order.workbook,
        from_template=order.from_template,
        share=order.share,
        credentials=order.credentials,
    )


def _remove(path: Path) -> None:
    try:
        if path.is_dir():
            path.rmdir()  # only if empty: it was made by this run
        else:
            path.unlink(missing_ok=True)
    except OSError:
        pass
