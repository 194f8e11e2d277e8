"""The Google Sheets backend: one `spreadsheets.get` to read, one `batchUpdate` to write."""

from __future__ import annotations

import json
import logging
import os
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

import gspread
import requests
from gspread.exceptions import APIError

from .. import ownership, schema
from ..config import Config, config_from_dict, local_today, slugify, spreadsheet_id
from ..errors import ConfigError, SheetAccessError
from ..locate import locate_headers
from ..schema import Lang
from ..tabs import (
    BLANK,
    GeneratedTab,
    OutCell,
    RawCell,
    RawTab,
    Snapshot,
    SparklineKind,
    TabKind,
)
from ..template import TEMPLATE_ROWS, TabLayout, layout
from ..words.core import Phrase, say, tell
from ..words.lang import current_language
from .base import Diagnosis, Probe, Usage
from .google_http import (
    RateLimiter,
    RetriesExhausted,
    RetryingHTTPClient,
    RetryPolicy,
    is_sign_in_outage,
)

log = logging.getLogger("sheets_sync.google")

SCOPES = (
    "https://www.googleapis.com/auth/spreadsheets",
    "https://www.googleapis.com/auth/drive.file",
)
SHEETS_URL = "https://sheets.googleapis.com/v4/spreadsheets"
DRIVE_URL = "https://www.googleapis.com/drive/v3/files"
VERSION_KEY = "sheets_sync_template_version"
# The ownership marker: developer metadata on the sheet itself (value: the generated tab's key).
# It moves with the sheet, survives renames, and is deleted with the sheet.
MARKER_KEY = "sheets-sync.generated"
READ_FIELDS = (
    "spreadsheetId,spreadsheetUrl,properties(title),"
    "developerMetadata(metadataKey,metadataValue),"
    "sheets(properties(sheetId,title,index,sheetType,gridProperties(rowCount,columnCount)),"
    "developerMetadata(metadataKey,metadataValue),charts(chartId),"
    "data(rowData(values(effectiveValue,effectiveFormat/numberFormat/type,"
    "userEnteredValue/formulaValue))))"
)
# A sheet's type → the kind of tab: an OBJECT sheet holds one chart and no cells.
_KINDS: dict[str, TabKind] = {"GRID": "worksheet", "OBJECT": "chart"}
_SERIAL_EPOCH = date(1899, 12, 30)
_LINK = re.compile(r"^'((?:[^']|'')*)'!([A-Z]+\d+)$")

_RGB = {
    "navy": {"red": 0.12, "green": 0.22, "blue": 0.39},
    "grey": {"red": 0.35, "green": 0.35, "blue": 0.35},
    "green": {"red": 0.11, "green": 0.43, "blue": 0.13},
    "red": {"red": 0.69, "green": 0.0, "blue": 0.13},
    "header": {"red": 0.87, "green": 0.89, "blue": 0.93},
    "error": {"red": 0.98, "green": 0.89, "blue": 0.89},
    "warning": {"red": 1.0, "green": 0.96, "blue": 0.81},
    "ok": {"red": 0.89, "green": 0.96, "blue": 0.89},
}
_STYLES: dict[str, dict[str, Any]] = {
    "title": {"textFormat": {"bold": True, "fontSize": 16}},
    "subtitle": {"textFormat": {"bold": True, "fontSize": 12,
                                "foregroundColorStyle": {"rgbColor": _RGB["navy"]}}},
    "header": {"textFormat": {"bold": True}, "backgroundColorStyle": {"rgbColor": _RGB["header"]},
               "horizontalAlignment": "CENTER"},
    "muted": {"textFormat": {"italic": True, "foregroundColorStyle": {"rgbColor": _RGB["grey"]}}},
    "good": {"textFormat": {"bold": True, "foregroundColorStyle": {"rgbColor": _RGB["green"]}}},
    "bad": {"textFormat": {"bold": True, "foregroundColorStyle": {"rgbColor": _RGB["red"]}}},
    "error": {"backgroundColorStyle": {"rgbColor": _RGB["error"]}},
    "warning": {"backgroundColorStyle": {"rgbColor": _RGB["warning"]}},
    "ok": {"backgroundColorStyle": {"rgbColor": _RGB["ok"]}},
}  # fmt: skip


def load_credentials(config: Config | None, explicit: Path | None = None) -> Any:
    """Service-account JSON from the config, else GOOGLE_APPLICATION_CREDENTIALS, else ADC."""
    import google.auth
    from google.auth.exceptions import DefaultCredentialsError
    from google.oauth2 import service_account

    path = explicit or (config.credentials_path() if config else None)
    if path is None and os.environ.get("GOOGLE_APPLICATION_CREDENTIALS"):
        path = Path(os.environ["GOOGLE_APPLICATION_CREDENTIALS"])
    if path is not None:
        try:
            info = json.loads(path.read_text(encoding="utf-8"))
            return service_account.Credentials.from_service_account_info(info, scopes=SCOPES)
        except FileNotFoundError:
            raise SheetAccessError("google_key_missing", path=path) from None
        except (ValueError, KeyError, TypeError) as error:
            raise SheetAccessError(
                "google_key_unusable",
                path=path,
                kind=type(error).__name__,
                detail=_first_line(error),
            ) from None
    try:
        credentials, _ = google.auth.default(scopes=list(SCOPES))
    except DefaultCredentialsError:
        raise SheetAccessError("google_no_credentials") from None
    return credentials


def _first_line(error: BaseException, limit: int = 200) -> str:
    """The error's first line, cut at a word (never mid-word) when longer than `limit`."""
    text = str(error).splitlines()[0] if str(error).strip() else ""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(maxsplit=1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:") + " …"


def _said(error: SheetAccessError) -> str:
    """What Google itself said in a refusal (empty for any other failure)."""
    return str(error.phrase.fields.get("said", ""))


_ERRNO_TEXT = re.compile(r"\[Errno -?\d+\] ([^'\")\]]+)")


def _network_reason(error: BaseException) -> str:
    """ "Connection refused", "Name or service not known", "503 …" — the root of a network
    failure, not requests' 300-character wrapper."""
    text = str(error)
    match = _ERRNO_TEXT.search(text)
    if match:
        return match.group(1).strip()
    return _first_line(error, 120)


def _sign_in_unreachable(error: BaseException) -> SheetAccessError:
    """Getting an access token failed for the network's sake: say so, not "key revoked"."""
    cause = error.__cause__ if isinstance(error, RetriesExhausted) else error
    reason = _network_reason(cause) if cause is not None else ""
    detail = Phrase("error.google_detail", {"detail": reason}) if reason else ""
    return SheetAccessError("google_sign_in_unreachable", detail=detail)


def make_client(
    credentials: Any, *, policy: RetryPolicy | None = None, limiter: RateLimiter | None = None
) -> gspread.Client:
    """A gspread client whose HTTP goes through our retrying, rate-limited client."""
    client = gspread.Client(auth=credentials, http_client=RetryingHTTPClient)
    http = client.http_client
    assert isinstance(http, RetryingHTTPClient)
    if policy is not None:
        http.policy = policy
    http.limiter = limiter
    return client


def _email(credentials: Any) -> str:
    return str(getattr(credentials, "service_account_email", "") or tell("google.unknown_account"))


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
        cls, config: Config, *, policy: RetryPolicy | None = None,
        limiter: RateLimiter | None = None,
    ) -> GoogleBackend:  # fmt: skip
        assert config.sheet.spreadsheet is not None
        credentials = load_credentials(config)
        client = make_client(credentials, policy=policy, limiter=limiter)
        email = str(getattr(credentials, "service_account_email", "") or "")
        source = config.credentials_path() or os.environ.get("GOOGLE_APPLICATION_CREDENTIALS")
        backend = cls(client, spreadsheet_id(config.sheet.spreadsheet), _email(credentials))
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
        """One API call, with every failure turned into a SheetAccessError that says what to do."""
        try:
            response = self.http.request(method, url, **kwargs)
        except RetriesExhausted as error:
            if error.sign_in:
                raise _sign_in_unreachable(error) from None
            failure = Phrase(
                "error.google_attempts",
                {
                    "reason": error.reason,
                    "attempts": error.attempts,
                    "seconds": f"{error.seconds:.0f}",
                },
            )
            raise SheetAccessError("google_kept_failing", key=self.key, failure=failure) from None
        except APIError as error:
            raise self._explain(error) from None
        except requests.RequestException as error:
            raise SheetAccessError("google_unreachable", kind=type(error).__name__) from None
        except Exception as error:  # google-auth's RefreshError and friends
            if is_sign_in_outage(error):
                raise _sign_in_unreachable(error) from None
            if type(error).__module__.startswith("google.auth"):
                raise SheetAccessError("google_key_refused", detail=_first_line(error)) from None
            raise
        try:
            body: dict[str, Any] = response.json() if response.content else {}
        except ValueError:
            raise SheetAccessError("google_not_json", key=self.key) from None
        return body

    def _explain(self, error: APIError) -> SheetAccessError:
        """Google's refusal as what to do about it; Google's own words stay as Google sent
        them (`said`)."""
        status = error.response.status_code
        text = str(error.error.get("message", "")) if isinstance(error.error, dict) else ""
        reason = json.dumps(error.error)
        if status == 403 and ("SERVICE_DISABLED" in reason or "has not been used" in text):
            return SheetAccessError("google_api_disabled", said=text)
        if status == 403:
            return SheetAccessError("google_not_shared", key=self.key, email=self.email)
        if status == 404:
            return SheetAccessError("google_sheet_not_found", key=self.key)
        if status == 401:
            return SheetAccessError("google_credentials_refused")
        return SheetAccessError("google_answered", status=status, key=self.key, said=text)

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
        url = (
            body.get("spreadsheetUrl") or f"https://docs.google.com/spreadsheets/d/{self.key}/edit"
        )
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
                requests_.extend(_add_sheet(sheet_id, tab))
            if sheet_id not in self._marked:
                requests_.append(_marker(sheet_id, tab.key))
            targets[tab.key] = sheet_id
        for tab in tabs:
            sheet_id = targets[tab.key]
            requests_.extend(
                _replace_content(sheet_id, tab, titles_to_ids,
                                 existing=sheet_id in self._existing_ids)
            )  # fmt: skip
        retries_before = self.http.retries
        try:
            self._call("post", f"{SHEETS_URL}/{self.key}:batchUpdate",
                       json={"requests": requests_})  # fmt: skip
        except SheetAccessError as error:
            # A retried write whose first attempt did land (its answer was lost): the tabs it
            # added exist now, so Google refuses the copy. Read again and write over them.
            if self.http.retries == retries_before or "already exists" not in _said(error):
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
                requests_.append(_protect(sheet_id, tab_layout.title, lang))
                if sheet_id not in existing.values():
                    requests_.append(_marker(sheet_id, tab_layout.key))
                continue
            requests_.extend(_input_tab_requests(sheet_id, tab_layout, rows.get(tab_layout.key, []),
                                                 ids, lang))  # fmt: skip
        for title, sheet_id in existing.items():
            if lookup.get(schema.normalize_label(title)) is None and title in ("Sheet1", "シート1"):
                requests_.append({"deleteSheet": {"sheetId": sheet_id}})
        requests_.append(_version_metadata(schema.TEMPLATE_VERSION))
        self._call("post", f"{SHEETS_URL}/{self.key}:batchUpdate", json={"requests": requests_})

    def add_missing(self, lang: Lang) -> list[str]:
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
                requests_.append(_protect(sheet_id, tab_layout.title, lang))
                requests_.append(_marker(sheet_id, tab_layout.key))
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
                    _input_tab_requests(sheet_id, tab_layout, [], {**self._sheet_ids}, lang)
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
                    _header_cells(
                        sheet_id, next_column, [column.header], [column.help], found.header_row
                    )
                )
                added.append(f"{found.title}!{column.header}")
                next_column += 1
        version = snapshot.template_version
        if (requests_ or (version or schema.TEMPLATE_VERSION) < schema.TEMPLATE_VERSION) and (
            version != schema.TEMPLATE_VERSION
        ):
            requests_.append(_version_metadata(schema.TEMPLATE_VERSION))
        if requests_:
            self._call("post", f"{SHEETS_URL}/{self.key}:batchUpdate", json={"requests": requests_})
        return added

    def share(self, email: str) -> None:
        self._call(
            "post",
            f"{DRIVE_URL}/{self.key}/permissions",
            params={"sendNotificationEmail": "false", "supportsAllDrives": "true"},
            json={"type": "user", "role": "writer", "emailAddress": email},
        )


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
        return RawCell("#ERROR!")
    return RawCell(None)


# -- writing cells -----------------------------------------------------------------------------
def _cell_data(out: OutCell, titles_to_ids: dict[str, int], wrap: bool) -> dict[str, Any]:
    value = out.value
    data: dict[str, Any] = {}
    fmt: dict[str, Any] = json.loads(json.dumps(_STYLES.get(out.style or "", {})))
    if value is None or value == "":
        pass
    elif out.formula and isinstance(value, str):
        data["userEnteredValue"] = {"formulaValue": value}  # only formulas we built ourselves
    elif isinstance(value, bool):
        data["userEnteredValue"] = {"boolValue": value}
    elif isinstance(value, int | float):
        data["userEnteredValue"] = {"numberValue": value}
        fmt.setdefault("horizontalAlignment", "CENTER")
    elif isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        data["userEnteredValue"] = {"numberValue": (day - _SERIAL_EPOCH).days}
        fmt["numberFormat"] = {"type": "DATE", "pattern": "yyyy-mm-dd"}
    else:
        # stringValue is never parsed: "=IMPORTXML(…)" or "+81 90…" stays exactly as typed.
        data["userEnteredValue"] = {"stringValue": str(value)}
    if out.number_format and "%" in out.number_format:
        fmt["numberFormat"] = {"type": "PERCENT", "pattern": out.number_format}
    if out.centered:
        fmt.setdefault("horizontalAlignment", "CENTER")
    if out.link:
        match = _LINK.match(out.link)
        if match and match.group(1).replace("''", "'") in titles_to_ids:
            gid = titles_to_ids[match.group(1).replace("''", "'")]
            fmt.setdefault("textFormat", {})["link"] = {"uri": f"#gid={gid}&range={match.group(2)}"}
    fmt["verticalAlignment"] = "TOP"
    fmt["wrapStrategy"] = "WRAP" if wrap and isinstance(value, str) else "OVERFLOW_CELL"
    data["userEnteredFormat"] = fmt
    return data


def _add_sheet(sheet_id: int, tab: GeneratedTab) -> list[dict[str, Any]]:
    props: dict[str, Any] = {"sheetId": sheet_id, "title": tab.title,
                             "tabColorStyle": {"rgbColor": _RGB["navy"]}}  # fmt: skip
    if tab.index is not None:
        props["index"] = tab.index
    return [{"addSheet": {"properties": props}}, _protect(sheet_id, tab.title, current_language())]


def _protect(sheet_id: int, title: str, lang: Lang) -> dict[str, Any]:
    return {"addProtectedRange": {"protectedRange": {
        "range": {"sheetId": sheet_id}, "warningOnly": True,
        "description": say("tab.protected", lang, title=title),
    }}}  # fmt: skip


def _replace_content(sheet_id: int, tab: GeneratedTab, titles_to_ids: dict[str, int], *,
                     existing: bool) -> list[dict[str, Any]]:  # fmt: skip
    width = max([len(tab.widths), 1, *(len(r) for r in tab.rows)])
    height = max(len(tab.rows), 1)
    requests_: list[dict[str, Any]] = [
        {"updateSheetProperties": {
            "properties": {"sheetId": sheet_id, "gridProperties": {
                "rowCount": height + 1, "columnCount": width,
                "frozenRowCount": tab.frozen_rows}},
            "fields": "gridProperties(rowCount,columnCount,frozenRowCount)",
        }},
    ]  # fmt: skip
    if existing:
        requests_.append({"unmergeCells": {"range": {"sheetId": sheet_id}}})
    rows = []
    for line in tab.rows:
        wrap = sum(1 for out in line if out.value not in (None, "")) > 1
        cells = [_cell_data(out, titles_to_ids, wrap) for out in line]
        rows.append({"values": cells + [{}] * (width - len(cells))})
    requests_.append({"updateCells": {
        "range": {"sheetId": sheet_id, "startRowIndex": 0, "endRowIndex": height + 1,
                  "startColumnIndex": 0, "endColumnIndex": width},
        "rows": rows,
        "fields": "userEnteredValue,userEnteredFormat,note",
    }})  # fmt: skip
    for r1, c1, r2, c2 in tab.merges:
        requests_.append({"mergeCells": {"mergeType": "MERGE_ALL", "range": {
            "sheetId": sheet_id, "startRowIndex": r1 - 1, "endRowIndex": r2,
            "startColumnIndex": c1 - 1, "endColumnIndex": c2}}})  # fmt: skip
    for index, chars in enumerate(tab.widths):
        requests_.append(_dimension(sheet_id, "COLUMNS", index, chars * 8 + 12))
    requests_.append(_dimension(sheet_id, "ROWS", 0, 21, end=height + 1))
    for row, points in tab.row_heights.items():
        requests_.append(_dimension(sheet_id, "ROWS", row - 1, int(points * 4 / 3)))
    return requests_


def _dimension(sheet_id: int, dimension: str, start: int, pixels: int,
               end: int | None = None) -> dict[str, Any]:  # fmt: skip
    return {"updateDimensionProperties": {
        "range": {"sheetId": sheet_id, "dimension": dimension, "startIndex": start,
                  "endIndex": end if end is not None else start + 1},
        "properties": {"pixelSize": pixels}, "fields": "pixelSize",
    }}  # fmt: skip


def _marker(sheet_id: int, key: str) -> dict[str, Any]:
    """The ownership marker: developer metadata located on the sheet (see `ownership`)."""
    metadata = {
        "metadataKey": MARKER_KEY,
        "metadataValue": key,
        "location": {"sheetId": sheet_id},
        "visibility": "DOCUMENT",
    }
    return {"createDeveloperMetadata": {"developerMetadata": metadata}}


def _version_metadata(version: int) -> dict[str, Any]:
    return {"createDeveloperMetadata": {"developerMetadata": {
        "metadataKey": VERSION_KEY, "metadataValue": str(version),
        "location": {"spreadsheet": True}, "visibility": "DOCUMENT",
    }}}  # fmt: skip


def _header_cells(sheet_id: int, start_column: int, headers: list[str],
                  notes: list[str], row: int = 0) -> dict[str, Any]:  # fmt: skip
    cells = [
        {"userEnteredValue": {"stringValue": h}, "note": n, "userEnteredFormat": _STYLES["header"]}
        for h, n in zip(headers, notes, strict=True)
    ]
    return {"updateCells": {
        "start": {"sheetId": sheet_id, "rowIndex": row, "columnIndex": start_column},
        "rows": [{"values": cells}], "fields": "userEnteredValue,userEnteredFormat,note",
    }}  # fmt: skip


def _input_tab_requests(sheet_id: int, tab_layout: TabLayout, rows: list[list[object]],
                        ids: dict[str, int], lang: Lang) -> list[dict[str, Any]]:  # fmt: skip
    requests_: list[dict[str, Any]] = []
    width = len(tab_layout.columns)
    requests_.append({"updateSheetProperties": {
        "properties": {"sheetId": sheet_id, "gridProperties": {
            "rowCount": TEMPLATE_ROWS, "columnCount": max(width, 10), "frozenRowCount": 1}},
        "fields": "gridProperties(rowCount,columnCount,frozenRowCount)"}})  # fmt: skip
    requests_.append(_header_cells(sheet_id, 0, tab_layout.header_row(),
                                   [c.help for c in tab_layout.columns]))  # fmt: skip
    if rows:
        data_rows = [{"values": [_sample_cell(v) for v in row]} for row in rows]
        requests_.append({"updateCells": {
            "start": {"sheetId": sheet_id, "rowIndex": 1, "columnIndex": 0},
            "rows": data_rows, "fields": "userEnteredValue,userEnteredFormat"}})  # fmt: skip
    for index, column in enumerate(tab_layout.columns):
        requests_.append(_dimension(sheet_id, "COLUMNS", index, column.width * 8 + 16))
        rule = _validation_rule(column.validation, column.labels, column.reference, ids, lang)
        if rule is None:
            continue
        rule["inputMessage"] = column.help
        requests_.append({"setDataValidation": {
            "range": {"sheetId": sheet_id, "startRowIndex": 1, "endRowIndex": TEMPLATE_ROWS,
                      "startColumnIndex": index, "endColumnIndex": index + 1},
            "rule": rule}})  # fmt: skip
    return requests_


def _sample_cell(value: object) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if isinstance(value, date):
        return {
            "userEnteredValue": {"numberValue": (value - _SERIAL_EPOCH).days},
            "userEnteredFormat": {"numberFormat": {"type": "DATE", "pattern": "yyyy/mm/dd"}},
        }
    if isinstance(value, bool):
        return {"userEnteredValue": {"boolValue": value}}
    if isinstance(value, int | float):
        return {"userEnteredValue": {"numberValue": value}}
    return {"userEnteredValue": {"stringValue": str(value)}}  # fmt: skip


def _validation_rule(kind: str, labels: tuple[str, ...], reference: tuple[str, int] | None,
                     ids: dict[str, int], lang: Lang) -> dict[str, Any] | None:  # fmt: skip
    # strict=False: staff may still type 令和8年… or 1,200円 — the sync reads those too.
    if kind == "list":
        values = [{"userEnteredValue": label} for label in labels]
        condition = {"type": "ONE_OF_LIST", "values": values}
        return {"condition": condition, "strict": False, "showCustomUi": True}
    if kind == "reference" and reference is not None:
        tab = schema.TABS_BY_KEY[reference[0]]
        letter = chr(ord("A") + reference[1])
        title = tab.title(lang).replace("'", "''")
        formula = f"='{title}'!{letter}2:{letter}{TEMPLATE_ROWS}"
        return {"condition": {"type": "ONE_OF_RANGE", "values": [{"userEnteredValue": formula}]},
                "strict": False, "showCustomUi": True}  # fmt: skip
    if kind == "date":
        return {"condition": {"type": "DATE_IS_VALID"}, "strict": False}
    return None


# -- new client -------------------------------------------------------------------------------
def new_google_client(
    name: str, lang: Lang, *, share: tuple[str, ...] = (), from_template: str | None = None,
    sample: bool | str = False, config_dir: Path = Path("config/clients"),
    credentials: Path | None = None, addresses: Any = None, empty: bool = False,
) -> Any:  # fmt: skip
    """Create (or copy) the spreadsheet, build the template, share it, write the config."""
    from ..clients import NewClient, config_text, path_for_config, sample_cells, starting_cells
    from ..sample import sample_kind

    slug = slugify(name)
    config_path = config_dir / f"{slug}.toml"
    if config_path.exists():
        raise ConfigError("google_config_exists", path=config_path)
    creds = load_credentials(None, credentials)
    client = make_client(creds)
    backend = GoogleBackend(client, "", _email(creds))
    if from_template:
        body = backend._call("post", f"{DRIVE_URL}/{spreadsheet_id(from_template)}/copy",
                             params={"supportsAllDrives": "true"}, json={"name": name})  # fmt: skip
        backend.key = str(body["id"])
        snapshot = backend.read()
        kind = sample_kind(sample)
        if kind is not None:
            rows = sample_cells(lang, local_today(), kind=kind)
            backend.build_template(lang, rows, snapshot.tab_ids)
    else:
        body = backend._call("post", SHEETS_URL, json={"properties": {
            "title": name, "locale": "ja_JP" if lang == "ja" else "en_US",
            "timeZone": "Asia/Tokyo"}})  # fmt: skip
        backend.key = str(body["spreadsheetId"])
        existing = {str(s["properties"]["title"]): int(s["properties"]["sheetId"])
                    for s in body.get("sheets", [])}  # fmt: skip
        rows = starting_cells(lang, local_today(), sample=sample, empty=empty)
        backend.build_template(lang, rows, existing)
    for email in share:
        backend.share(email)
    url = f"https://docs.google.com/spreadsheets/d/{backend.key}/edit"
    config_dir.mkdir(parents=True, exist_ok=True)
    key_text = path_for_config(credentials, config_dir) if credentials is not None else None
    text = config_text(name, lang, backend="google", spreadsheet=url, credentials=key_text,
                       addresses=addresses)  # fmt: skip
    config_path.write_text(text, encoding="utf-8")
    import tomllib

    config = config_from_dict(tomllib.loads(text), config_path)
    return NewClient(config_path, url, config)
