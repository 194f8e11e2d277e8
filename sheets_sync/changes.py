"""Change detection for `watch`: which workbooks staff changed since the last look, cheaply.

* Google: Drive's change feed (`changes.list` from a saved page token). One request per poll
  answers for every file the service account can see, files shared with it included, so 100
  clients cost one Drive request per poll and no Sheets request at all. The feed gives each
  file's state now, with `lastModifyingUser.me`: a change made by the sync itself (the same
  service account) is recognised and ignored, so a sync never triggers another.
* .xlsx: the file's size and mtime (nanoseconds), and whether Excel's or LibreOffice's lock
  file sits next to it (then the workbook is open and the watch waits).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import requests

from .backends.google_http import DEFAULT_TIMEOUT, authorized_session
from .errors import SheetAccessError

log = logging.getLogger("sheets_sync.watch")

# drive.file (what the sync asks for) only reaches files the app created or opened itself; a
# sheet staff made and shared with the service account is outside it. Listing changes to
# those needs a Drive scope that covers shared files; metadata is all the watch reads.
DRIVE_METADATA_SCOPE: Final = "https://www.googleapis.com/auth/drive.metadata.readonly"
CHANGES_URL: Final = "https://www.googleapis.com/drive/v3/changes"
START_TOKEN_URL: Final = "https://www.googleapis.com/drive/v3/changes/startPageToken"
FILES_URL: Final = "https://www.googleapis.com/drive/v3/files"
CHANGE_FIELDS: Final = (
    "nextPageToken,newStartPageToken,changes(fileId,removed,time,"
    "file(version,modifiedTime,lastModifyingUser(me,emailAddress,displayName)))"
)
FILE_FIELDS: Final = "version,modifiedTime,lastModifyingUser(me,emailAddress,displayName)"
PAGE_SIZE: Final = 1000  # Drive's maximum: one page per poll unless over 1,000 files changed
MAX_PAGES_PER_POLL: Final = 20


# -- .xlsx ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class XlsxStamp:
    """What a look at an .xlsx file costs: its size and modification time (ns)."""

    size: int
    mtime_ns: int

    def as_list(self) -> list[int]:
        return [self.size, self.mtime_ns]

    @classmethod
    def from_list(cls, value: Any) -> XlsxStamp | None:
        if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
            return cls(value[0], value[1])
        return None


def xlsx_stamp(path: Path) -> XlsxStamp | None:
    """The file's size and mtime, or None when it is missing (e.g. mid-save by Excel)."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return XlsxStamp(stat.st_size, stat.st_mtime_ns)


def open_in_office(path: Path) -> Path | None:
    """The Excel (`~$name.xlsx`) or LibreOffice (`.~lock.name.xlsx#`) lock file, if present."""
    from .backends.xlsx import lock_files

    return next((lock for lock in lock_files(path) if lock.exists()), None)


# -- Google Drive ---------------------------------------------------------------------------
class FeedRefused(SheetAccessError):
    """Drive answered 403 to the change feed (e.g. an administrator blocked the scope)."""


@dataclass(frozen=True)
class DriveChange:
    """One file's entry in the change feed."""

    file_id: str
    by_me: bool  # the last modification was the service account's own (the sync's write)
    who: str  # the editor's address or name; "" when Drive does not say
    version: str = ""
    modified_time: str = ""
    removed: bool = False


class DriveFeed:
    """One service account's Drive change feed, read from a page token it keeps."""

    def __init__(self, session: requests.Session, token: str | None = None) -> None:
        self.session = session
        self.token = token
        self.requests = 0

    @classmethod
    def for_credentials(cls, credentials: Any, token: str | None = None) -> DriveFeed:
        """A feed reading with `credentials`, re-scoped to Drive metadata (read only)."""
        from google.auth.credentials import with_scopes_if_required

        scoped = with_scopes_if_required(  # type: ignore[no-untyped-call]  # google-auth is untyped
            credentials, [DRIVE_METADATA_SCOPE]
        )
        return cls(authorized_session(scoped), token)

    def _get(self, url: str, params: dict[str, str]) -> dict[str, Any]:
        self.requests += 1
        try:
            response = self.session.get(url, params=params, timeout=DEFAULT_TIMEOUT)
        except requests.RequestException as error:
            reason = type(error).__name__
            raise SheetAccessError("drive_unreachable", reason=reason) from None
        except Exception as error:  # google-auth's RefreshError and friends
            if type(error).__module__.startswith("google.auth"):
                raise SheetAccessError("drive_key_refused", reason=error) from None
            raise
        if response.status_code != 200:
            status, reason = response.status_code, _error_message(response)
            if status == 403:  # the watch falls back to asking about each file
                raise FeedRefused("drive_answered", status=status, reason=reason)
            raise SheetAccessError("drive_answered", status=status, reason=reason)
        try:
            body: dict[str, Any] = response.json()
        except ValueError:
            raise SheetAccessError("drive_not_json") from None
        return body

    def start(self) -> None:
        """Take a page token for changes from now on (`changes.getStartPageToken`)."""
        body = self._get(START_TOKEN_URL, {"supportsAllDrives": "true"})
        self.token = str(body["startPageToken"])

    def poll(self) -> list[DriveChange]:
        """The changes since the last poll (one request unless more than 1,000 files changed);
        the page token moves on only when the whole list was read."""
        if self.token is None:
            self.start()
            return []
        found: list[DriveChange] = []
        token = self.token
        for _ in range(MAX_PAGES_PER_POLL):
            body = self._get(
                CHANGES_URL,
                {
                    "pageToken": token,
                    "pageSize": str(PAGE_SIZE),
                    "includeRemoved": "true",
                    "restrictToMyDrive": "false",  # shared files not added to My Drive too
                    "supportsAllDrives": "true",
                    "includeItemsFromAllDrives": "true",
                    "spaces": "drive",
                    "fields": CHANGE_FIELDS,
                },
            )
            found.extend(_change(item) for item in body.get("changes", []))
            if body.get("newStartPageToken"):
                self.token = str(body["newStartPageToken"])
                return found
            token = str(body.get("nextPageToken") or "")
            if not token:
                break
        self.token = token or self.token
        return found


class DriveFilePoller(DriveFeed):
    """The fallback when the feed is refused: `files.get(fields=version,modifiedTime,
    lastModifyingUser)` for each watched file, a change being a new `version`. One request
    per file per poll, so it is used only when the one-request feed cannot be."""

    def __init__(self, session: requests.Session) -> None:
        super().__init__(session, token=None)
        self.versions: dict[str, str] = {}

    def poll_files(self, file_ids: list[str]) -> list[DriveChange]:
        found = []
        for file_id in file_ids:
            try:
                body = self._get(f"{FILES_URL}/{file_id}", {"fields": FILE_FIELDS})
            except SheetAccessError as error:  # the sync will say what is wrong with it
                log.debug("watch: files.get %s failed: %s", file_id, error)
                continue
            change = _change({"fileId": file_id, "file": body})
            seen = self.versions.get(file_id)
            self.versions[file_id] = change.version
            if seen is not None and seen != change.version:
                found.append(change)
        return found


def _change(item: dict[str, Any]) -> DriveChange:
    file = item.get("file") or {}
    user = file.get("lastModifyingUser") or {}
    # No lastModifyingUser (e.g. an anonymous edit through a link) is someone else's edit.
    return DriveChange(
        file_id=str(item.get("fileId", "")),
        by_me=bool(user.get("me", False)),
        who=str(user.get("emailAddress") or user.get("displayName") or ""),
        version=str(file.get("version", "")),
        modified_time=str(file.get("modifiedTime", "")),
        removed=bool(item.get("removed", False)),
    )


def _error_message(response: requests.Response) -> str:
    try:
        error = response.json().get("error", {})
        return str(error.get("message", "")) if isinstance(error, dict) else str(error)
    except ValueError:
        return response.text[:200]
