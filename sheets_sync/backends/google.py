"""The Google Sheets backend: one `spreadsheets.get` to read, one `batchUpdate` to write."""

from __future__ import annotations

import logging
from typing import Any, Final

import gspread

from ..config import Config, spreadsheet_id, spreadsheet_url
from ..errors import SheetAccessError
from ..sheet import ownership, schema
from ..sheet.locate import locate_headers
from ..sheet.schema import Lang
from ..sheet.tabs import BLANK, GeneratedTab, RawCell, RawTab, Snapshot, SparklineKind, TabKind
from ..sheet.template import TEMPLATE_ROWS, layout
from ..util.pacing import RateLimiter, RetryPolicy
from ..words.core import Phrase, tell
from .base import Diagnosis, Probe, Upgraded, Usage
from .google_calls import (
    Spreadsheet,
    account_email,
    call,
    credentials_file,
    load_credentials,
    make_client,
    said,
)
from .google_http import RetryingHTTPClient
from .google_requests import MARKER_KEY as MARKER_KEY  # the ownership marker, as tests name it
from .google_requests import (
    VERSION_KEY,
    add_sheet,
    header_cells,
    input_tab_requests,
    marker,
    protect,
    replace_content,
    version_metadata,
)

log = logging.getLogger("sheets_sync.google")

SHEETS_URL: Final = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE_URL: Final = "https://www.googleapis.com/drive/v3/files"
READ_FIELDS: Final = (
    "spreadsheetId,spreadsheetUrl,properties(title),"
    "developerMetadata(metadataKey,metadataValue),"
    "sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount)),"
    "developerMetadata(metadataKey,metadataValue),charts(chartId),"
    "data(rowData(values(effectiveValue,effectiveFormat/numberFormat/type,"
    "userEnteredValue/formulaValue))))"
)
# A sheet's type → the kind of tab: an OBJECT sheet holds one chart and no cells.
_KINDS: Final[dict[str, TabKind]] = {"GRID": "worksheet", "OBJECT": "chart"}


def account_name(credentials: Any) -> str:
    """The service account's address, or words saying it has none (default credentials)."""
    return account_email(credentials) or tell("google.unknown_account")


class GoogleBackend:
    """A Google Sheet read in one request and written in one request, whatever its size."""

    sparkline: SparklineKind = "formula"

    def __init__(
        self, client: gspread.Client, key: str, email: str, credentials_note: str = ""
    ) -> None:
        self.client = client
        self.key = key
        self.email = email
        # What doctor shows for the credentials: words put into a language when shown.
        self.credentials_note: Phrase | str = credentials_note or Phrase(
            "doctor.google_credentials", {"email": email}
        )
        self._sheet_ids: dict[str, int] = {}  # tab key → sheetId, learnt by read()
        self._titles: dict[str, int] = {}  # tab title → sheetId
        self._existing_ids: set[int] = set()
        self._marked: set[int] = set()  # sheets carrying the ownership marker
        self._read_done = False

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        policy: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
    ) -> GoogleBackend:
        assert config.sheet.spreadsheet is not None
        credentials = load_credentials(config)
        client = make_client(credentials, policy=policy, limiter=limiter)
        email = account_email(credentials)
        source = credentials_file(config)
        backend = cls(client, spreadsheet_id(config.sheet.spreadsheet), account_name(credentials))
        backend.credentials_note = Phrase(
            "doctor.google_credentials_note",
            {
                "who": Phrase("doctor.google_credentials", {"email": email})
                if email
                else Phrase("doctor.google_default_credentials"),
                "key_file": Phrase("doctor.google_key_file", {"path": source}) if source else "",
            },
        )
        return backend

    @property
    def http(self) -> RetryingHTTPClient:
        http = self.client.http_client
        assert isinstance(http, RetryingHTTPClient)
        return http

    def describe(self) -> str:
        return f"Google Sheet {self.key}"

    def usage(self) -> Usage:
        return Usage(self.http.api_requests, self.http.retries)

    def diagnose(self) -> Diagnosis:
        """The credentials loaded (they did, or there would be no backend); can they read it?
        In the language being spoken (doctor's)."""
        probes = [Probe(True, "credentials", str(self.credentials_note))]
        try:
            snapshot = self.read()
        except SheetAccessError as error:
            return Diagnosis([*probes, Probe(False, "access", str(error), error.exit_code)], None)
        account = self.email if "@" in self.email else Phrase("doctor.google_default_account")
        read = tell("doctor.google_read", key=self.key, tabs=len(snapshot.tabs), account=account)
        probes.append(Probe(True, "access", read))
        return Diagnosis(probes, snapshot)

    # -- the two requests ------------------------------------------------------------------
    def _call(self, method: str, url: str, **kwargs: Any) -> dict[str, Any]:
        """One API call about this spreadsheet (see `google_calls.call`)."""
        body: dict[str, Any] = call(
            self.http, Spreadsheet(self.key, self.email), method, url, **kwargs
        )
        return body

    def read(self) -> Snapshot:
        body = self._call(
            "get",
            f"{SHEETS_URL}/{self.key}",
            params={"includeGridData": "true", "fields": READ_FIELDS},
        )
        tabs: list[RawTab] = []
        ids: dict[str, int] = {}
        lookup = schema.tab_lookup()
        self._sheet_ids = {}
        self._marked = set()
        texts: dict[str, RawCell] = {}  # RawCell is frozen: one per distinct text, as in xlsx_read
        for sheet in body.get("sheets", []):
            props = sheet.get("properties", {})
            title = str(props.get("title", ""))
            ids[title] = int(props.get("sheetId", 0))
            markers = [
                str(m.get("metadataValue", ""))
                for m in sheet.get("developerMetadata", [])
                if m.get("metadataKey") == MARKER_KEY
            ]
            owned = bool(markers)
            if owned:
                self._marked.add(ids[title])
            key = lookup.get(schema.normalize_label(title))
            if key is not None and key not in self._sheet_ids:
                self._sheet_ids[key] = ids[title]
            rows, formulas = _cells(sheet, texts)
            tabs.append(
                RawTab(
                    title,
                    rows,
                    owned=owned,
                    marker=markers[0] if markers else None,
                    kind=_KINDS.get(str(props.get("sheetType", "GRID")), "other"),
                    # Pictures and drawings over the cells are not in the API; charts are.
                    objects=tuple("chart" for _ in sheet.get("charts", [])),
                    formulas=formulas,
                )
            )
        versions = [
            int(m["metadataValue"]) for m in body.get("developerMetadata", [])
            if m.get("metadataKey") == VERSION_KEY and str(m.get("metadataValue", "")).isdigit()
        ]  # fmt: skip
        version = max(versions, default=None)  # fmt: skip
        url = body.get("spreadsheetUrl") or spreadsheet_url(self.key)
        self._existing_ids = set(ids.values())
        self._titles = dict(ids)
        self._read_done = True
        return Snapshot(tabs=tabs, url=url, template_version=version, tab_ids=ids)

    def write(self, tabs: list[GeneratedTab]) -> None:
        if not self._read_done:
            self.read()
        requests_: list[dict[str, Any]] = []
        titles_to_ids = dict(self._titles)
        targets: dict[str, int] = {}
        for tab in tabs:
            sheet_id = self._titles.get(tab.title)  # the exact title: never a look-alike
            if sheet_id is None:
                sheet_id = self._new_sheet_id(set(targets.values()))
                titles_to_ids[tab.title] = sheet_id
                requests_.extend(add_sheet(sheet_id, tab))
            if sheet_id not in self._marked:
                requests_.append(marker(sheet_id, tab.key))
            targets[tab.key] = sheet_id
        for tab in tabs:
            sheet_id = targets[tab.key]
            requests_.extend(
                replace_content(sheet_id, tab, titles_to_ids,
                                 existing=sheet_id in self._existing_ids)
            )  # fmt: skip
        retries_before = self.http.retries
        try:
            self._call("post", f"{SHEETS_URL}/{self.key}:batchUpdate",
                       json={"requests": requests_})  # fmt: skip
        except SheetAccessError as error:
            # A retried write whose first attempt did land (its answer was lost): the tabs it
            # added exist now, so Google refuses the copy. Read again and write over them.
            if self.http.retries == retries_before or "already exists" not in said(error):
                raise
            log.warning("%s", tell("google.write_landed"))
            self._read_done = False
            self._sheet_ids = {}
            self.read()
            self.write(tabs)
            return
        self._existing_ids |= set(targets.values())
        self._marked |= set(targets.values())
        self._titles.update({tab.title: targets[tab.key] for tab in tabs})

    def _new_sheet_id(self, taken: set[int] | None = None) -> int:
        used = self._existing_ids | set(self._sheet_ids.values()) | (taken or set())
        candidate = 1_000_001
        while candidate in used:
            candidate += 1
        return candidate

    # -- template -------------------------------------------------------------------------
    def build_template(self, lang: Lang, rows: dict[str, list[list[object]]],
                       existing: dict[str, int]) -> None:  # fmt: skip
        """Tabs, headers, drop-downs, frozen rows, widths, protection and version, in one call."""
        self._existing_ids = set(existing.values())
        requests_: list[dict[str, Any]] = []
        ids: dict[str, int] = {}
        lookup = schema.tab_lookup()
        by_key = {lookup.get(schema.normalize_label(t)): i for t, i in existing.items()}
        for index, tab_layout in enumerate(layout(lang)):
            sheet_id = by_key.get(tab_layout.key)
            if sheet_id is None:
                sheet_id = self._new_sheet_id()
                self._existing_ids.add(sheet_id)
                requests_.append({"addSheet": {"properties": {
                    "sheetId": sheet_id, "title": tab_layout.title, "index": index,
                    "gridProperties": {"rowCount": TEMPLATE_ROWS, "columnCount": max(
                        10, len(tab_layout.columns)), "frozenRowCount": 0 if
                        tab_layout.generated else 1},
                }}})  # fmt: skip
            ids[tab_layout.key] = sheet_id
        for tab_layout in layout(lang):
            sheet_id = ids[tab_layout.key]
            if tab_layout.generated:
                requests_.append(protect(sheet_id, tab_layout.title, lang))
                if sheet_id not in existing.values():
                    requests_.append(marker(sheet_id, tab_layout.key))
                continue
            requests_.extend(input_tab_requests(sheet_id, tab_layout, rows.get(tab_layout.key, []),
                                                 ids, lang))  # fmt: skip
        for title, sheet_id in existing.items():
            if lookup.get(schema.normalize_label(title)) is None and title in ("Sheet1", "シート1"):
                requests_.append({"deleteSheet": {"sheetId": sheet_id}})
        requests_.append(version_metadata(schema.TEMPLATE_VERSION))
        self._call("post", f"{SHEETS_URL}/{self.key}:batchUpdate", json={"requests": requests_})

    def add_missing(self, lang: Lang) -> Upgraded:
        """`upgrade`: add the tabs and header cells a newer template has, in the header row the
        sync reads (which may sit under title rows); no request at all when nothing is missing."""
        snapshot = self.read()
        decided = ownership.decide(snapshot)
        headers = locate_headers(snapshot)
        requests_: list[dict[str, Any]] = []
        added: list[str] = []
        for tab_layout in layout(lang):
            if tab_layout.generated:
                if decided[tab_layout.key].action != "create":
                    continue
                sheet_id = self._new_sheet_id()
                self._existing_ids.add(sheet_id)
                requests_.append(
                    {"addSheet": {"properties": {"sheetId": sheet_id, "title": tab_layout.title}}}
                )
                requests_.append(protect(sheet_id, tab_layout.title, lang))
                requests_.append(marker(sheet_id, tab_layout.key))
                added.append(tab_layout.title)
                continue
            found = headers.get(tab_layout.key)
            if found is None:
                sheet_id = self._new_sheet_id()
                self._existing_ids.add(sheet_id)
                requests_.append(
                    {"addSheet": {"properties": {"sheetId": sheet_id, "title": tab_layout.title}}}
                )
                requests_.extend(
                    input_tab_requests(sheet_id, tab_layout, [], {**self._sheet_ids}, lang)
                )
                added.append(tab_layout.title)
                continue
            sheet_id = snapshot.tab_ids[found.title]
            next_column = found.width
            for column in tab_layout.columns:
                if column.key in found.positions:
                    continue
                requests_.append(
                    {"appendDimension": {"sheetId": sheet_id, "dimension": "COLUMNS", "length": 1}}
                )
                requests_.append(
                    header_cells(
                        sheet_id, next_column, [column.header], [column.help], found.header_row
                    )
                )
                added.append(f"{found.title}!{column.header}")
                next_column += 1
        version = snapshot.template_version
        if (requests_ or (version or schema.TEMPLATE_VERSION) < schema.TEMPLATE_VERSION) and (
            version != schema.TEMPLATE_VERSION
        ):
            requests_.append(version_metadata(schema.TEMPLATE_VERSION))
        if requests_:
            self._call("post", f"{SHEETS_URL}/{self.key}:batchUpdate", json={"requests": requests_})
        return Upgraded(added, decided.blocked())

    def share(self, email: str) -> None:
        """Let `email` edit the spreadsheet (no notification mail: the consultant sends the
        link)."""
        self._call(
            "post",
            f"{DRIVE_URL}/{self.key}/permissions",
            params={"sendNotificationEmail": "false", "supportsAllDrives": "true"},
            json={"type": "user", "role": "writer", "emailAddress": email},
        )

    def delete(self) -> None:
        """Delete the spreadsheet (only one new-client made a moment ago and could not finish)."""
        self._call("delete", f"{DRIVE_URL}/{self.key}", params={"supportsAllDrives": "true"})


# -- reading cells -----------------------------------------------------------------------------
def _cells(
    sheet: dict[str, Any], texts: dict[str, RawCell]
) -> tuple[list[list[RawCell]], tuple[str, ...]]:
    """A sheet's cells as read (trailing blank rows dropped), and the text of each formula."""
    rows: list[list[RawCell]] = []
    formulas: list[str] = []
    for block in sheet.get("data", []):
        for row in block.get("rowData", []):
            values = row.get("values", [])
            rows.append([_raw(cell, texts) for cell in values])
            for cell in values:
                formula = cell.get("userEnteredValue", {}).get("formulaValue")
                if formula is not None:
                    formulas.append(str(formula))
    while rows and all(c.value is None for c in rows[-1]):
        rows.pop()
    return rows, tuple(formulas)


def _raw(cell: dict[str, Any], texts: dict[str, RawCell]) -> RawCell:
    """One cell as read; `texts` shares a RawCell between cells holding the same text (a large
    sheet repeats its choices, names and dates-as-text: building each anew was most of a read)."""
    value = cell.get("effectiveValue")
    if not value:
        return BLANK
    kind = cell.get("effectiveFormat", {}).get("numberFormat", {}).get("type", "")
    if "numberValue" in value:
        number = value["numberValue"]
        return RawCell(number, percent=kind == "PERCENT", date_format=kind in ("DATE", "DATE_TIME"))
    if "stringValue" in value:
        text = str(value["stringValue"])
        raw = texts.get(text)
        if raw is None:
            raw = texts[text] = RawCell(text)
        return raw
    if "boolValue" in value:
        return RawCell(bool(value["boolValue"]))
    if "errorValue" in value:
        kind = str((value["errorValue"] or {}).get("type", ""))
        return RawCell(_ERROR_SHOWN.get(kind, "#ERROR!"))
    return RawCell(None)


# A formula error as the cell shows it (and as an .xlsx file caches it): the API gives its type.
_ERROR_SHOWN: Final = {
    "NULL_VALUE": "#NULL!",
    "DIVIDE_BY_ZERO": "#DIV/0!",
    "VALUE": "#VALUE!",
    "REF": "#REF!",
    "NAME": "#NAME?",
    "NUM": "#NUM!",
    "N_A": "#N/A",
}


# -- new spreadsheets (new-client) -----------------------------------------------------------------
def new_spreadsheet(
    client: gspread.Client, email: str, title: str, lang: Lang
) -> tuple[GoogleBackend, dict[str, int]]:
    """A new spreadsheet titled `title` in the language's locale, and its sheets' ids by title."""
    http = client.http_client
    assert isinstance(http, RetryingHTTPClient)
    properties = {
        "title": title,
        "locale": "ja_JP" if lang == "ja" else "en_US",
        "timeZone": "Asia/Tokyo",
    }
    body = call(http, Spreadsheet("", email), "post", SHEETS_URL, json={"properties": properties})
    existing = {
        str(sheet["properties"]["title"]): int(sheet["properties"]["sheetId"])
        for sheet in body.get("sheets", [])
    }
    return GoogleBackend(client, str(body["spreadsheetId"]), email), existing


def copy_spreadsheet(
    client: gspread.Client, email: str, template: str, title: str
) -> GoogleBackend:
    """A copy of the spreadsheet `template` (an id), titled `title`."""
    http = client.http_client
    assert isinstance(http, RetryingHTTPClient)
    url = f"{DRIVE_URL}/{template}/copy"
    body = call(
        http,
        Spreadsheet(template, email),
        "post",
        url,
        params={"supportsAllDrives": "true"},
        json={"name": title},
    )
    return GoogleBackend(client, str(body["id"]), email)
