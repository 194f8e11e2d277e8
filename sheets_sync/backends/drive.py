"""Google Drive's change feed, for `watch`: which spreadsheets changed since a page token, and
who changed them, for every file the service account can see in one request.

The feed gives each file's state now, with `lastModifyingUser.me`: a change made by the sync
itself (the same service account) is recognised and ignored, so a sync never triggers another.
Every request goes through the same retrying HTTP client and error translator as the Sheets
backend's (`google_calls`); the feed's policy makes one attempt, as the watch's next poll is its
retry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Final

import requests
from google.auth.credentials import with_scopes_if_required
from gspread.exceptions import APIError

from ..errors import SheetAccessError
from ..util.pacing import RetryPolicy
from .google_calls import call
from .google_http import RetriesExhausted, RetryingHTTPClient

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
# One attempt: a retry inside a poll would hold up every client's syncs, and the next poll
# (seconds later) asks again anyway.
FEED_POLICY: Final = RetryPolicy(attempts=1)


class FeedRefused(SheetAccessError):
    """Drive answered 403 to the change feed (e.g. an administrator blocked the scope)."""


class ChangeFeed:
    """A call about the Drive change feed: how its failures read."""

    def refused(self, error: APIError) -> SheetAccessError:
        status, reason = error.response.status_code, _message(error)
        if status == 403:  # the watch falls back to asking about each file
            return FeedRefused("drive_answered", status=status, reason=reason)
        return SheetAccessError("drive_answered", status=status, reason=reason)

    def kept_failing(self, error: RetriesExhausted) -> SheetAccessError:
        cause = error.__cause__
        if isinstance(cause, APIError):
            return self.refused(cause)
        return SheetAccessError("drive_unreachable", reason=error.reason)

    def unreachable(self, error: requests.RequestException) -> SheetAccessError:
        return SheetAccessError("drive_unreachable", reason=type(error).__name__)

    def key_refused(self, error: Exception) -> SheetAccessError:
        return SheetAccessError("drive_key_refused", reason=error)

    def not_json(self) -> SheetAccessError:
        return SheetAccessError("drive_not_json")


def _message(error: APIError) -> str:
    message = error.error.get("message", "") if isinstance(error.error, dict) else error.error
    return str(message)[:200]


@dataclass(frozen=True)
class DriveChange:
    """One file's entry in the change feed."""

    file_id: str
    by_me: bool  # the last modification was the service account's own (the sync's write)
    who: str  # the editor's address or name; "" when Drive does not say
    version: str = ""
    modified_time: str = ""
    removed: bool = False


def drive_client(credentials: Any) -> RetryingHTTPClient:
    """HTTP for the feed with `credentials`, re-scoped to Drive metadata (read only)."""
    scoped = with_scopes_if_required(  # type: ignore[no-untyped-call]  # google-auth is untyped
        credentials, [DRIVE_METADATA_SCOPE]
    )
    http = RetryingHTTPClient(scoped)
    http.policy = FEED_POLICY
    return http


class DriveFeed:
    """One service account's Drive change feed, read from a page token it keeps."""

    def __init__(self, http: RetryingHTTPClient, token: str | None = None) -> None:
        self.http = http
        self.token = token

    @classmethod
    def for_credentials(cls, credentials: Any, token: str | None = None) -> DriveFeed:
        return cls(drive_client(credentials), token)

    @property
    def session(self) -> requests.Session:
        """The authorised session underneath (for a test that asks Drive itself)."""
        return self.http.session

    @property
    def api_requests(self) -> int:
        """Requests sent so far (each attempt counts)."""
        return self.http.api_requests

    def _get(self, url: str, params: dict[str, str]) -> dict[str, Any]:
        body: dict[str, Any] = call(self.http, ChangeFeed(), "get", url, params=params)
        return body

    def start(self) -> None:
        """Take a page token for changes from now on (`changes.getStartPageToken`)."""
        body = self._get(START_TOKEN_URL, {"supportsAllDrives": "true"})
        self.token = str(body["startPageToken"])

    def poll(self, file_ids: list[str] | None = None) -> list[DriveChange]:
        """The changes since the last poll, to any file (one request unless more than 1,000
        files changed); the page token moves on only when the whole list was read."""
        if self.token is None:
            self.start()
            return []
        found: list[DriveChange] = []
        token = self.token
        for _ in range(MAX_PAGES_PER_POLL):
            body = self._get(CHANGES_URL, _page(token))
            found.extend(_change(item) for item in body.get("changes", []))
            if body.get("newStartPageToken"):
                self.token = str(body["newStartPageToken"])
                return found
            token = str(body.get("nextPageToken") or "")
            if not token:
                break
        self.token = token or self.token
        return found


def _page(token: str) -> dict[str, str]:
    return {
        "pageToken": token,
        "pageSize": str(PAGE_SIZE),
        "includeRemoved": "true",
        "restrictToMyDrive": "false",  # shared files not added to My Drive too
        "supportsAllDrives": "true",
        "includeItemsFromAllDrives": "true",
        "spaces": "drive",
        "fields": CHANGE_FIELDS,
    }


class DriveFilePoller(DriveFeed):
    """The fallback when the feed is refused: `files.get(fields=version,modifiedTime,
    lastModifyingUser)` for each watched file, a change being a new `version`. One request
    per file per poll, so it is used only when the one-request feed cannot be."""

    def __init__(self, http: RetryingHTTPClient) -> None:
        super().__init__(http, token=None)
        self.versions: dict[str, str] = {}

    def poll(self, file_ids: list[str] | None = None) -> list[DriveChange]:
        """The files among `file_ids` whose version moved on since the last poll (the first
        poll of a file only learns its version)."""
        found = []
        for file_id in file_ids or []:
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
