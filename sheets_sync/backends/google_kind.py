"""Google Sheets as a kind of backend: a workbook is its spreadsheet id, a new one is made (or
copied) through the API and shared, and `watch` reads Drive's change feed — one request per
poll for every sheet a service account can see."""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping
from pathlib import Path
from typing import Final

from ..config import Config, spreadsheet_id, spreadsheet_url
from ..errors import SheetsSyncError
from ..util.pacing import RateLimiter, RetryPolicy
from ..words.core import Phrase, Words, tell
from .base import Backend, ChangeSource, Created, Look, NewWorkbook, Notice, SheetEntries
from .drive import DriveChange, DriveFeed, DriveFilePoller, FeedRefused
from .google import GoogleBackend, account_name, copy_spreadsheet, new_spreadsheet
from .google_calls import DEFAULT_CREDENTIALS, credentials_file, load_credentials, make_client

log = logging.getLogger("sheets_sync.google")

NAME: Final = "google"
# new-client checks the config it will write before the spreadsheet exists: its id is this.
PENDING_ID: Final = "pending"


def google_key(spreadsheet: str) -> str:
    """A Google workbook's key: its spreadsheet id, whether the config gives a URL or the id."""
    return f"google:{spreadsheet_id(spreadsheet)}"


class GoogleKind:
    """A spreadsheet on Google, reached with a service account."""

    name: str = NAME
    link: bool = True

    def workbook_key(self, config: Config) -> str:
        return google_key(config.sheet.spreadsheet or "")

    def local_file(self, config: Config) -> Path | None:
        return None

    def web_link(self, config: Config) -> str | None:
        return spreadsheet_url(config.sheet.spreadsheet) if config.sheet.spreadsheet else None

    def open(
        self, config: Config, *, policy: RetryPolicy | None, limiter: RateLimiter | None
    ) -> Backend:
        return GoogleBackend.from_config(config, policy=policy, limiter=limiter)

    def prepare(self, request: NewWorkbook) -> SheetEntries:
        return SheetEntries(
            NAME, spreadsheet=spreadsheet_url(PENDING_ID), credentials=request.credentials
        )

    def create(self, request: NewWorkbook) -> Created:
        """Create (or copy) the spreadsheet, build the template in it, share it; a failure
        after it exists deletes it again."""
        credentials = load_credentials(None, request.credentials)
        client = make_client(credentials)
        email = account_name(credentials)
        if request.from_template:
            template = spreadsheet_id(request.from_template)
            backend = copy_spreadsheet(client, email, template, request.name)
            existing: dict[str, int] | None = None
        else:
            backend, existing = new_spreadsheet(client, email, request.name, request.lang)
        try:
            _build(backend, request, existing)
            for address in request.share:
                backend.share(address)
        except BaseException:
            _delete(backend)
            raise
        url = spreadsheet_url(backend.key)
        entries = SheetEntries(NAME, spreadsheet=url, credentials=request.credentials)
        return Created(url, entries, lambda: _delete(backend))

    def change_source(self, bookmarks: Mapping[str, str]) -> ChangeSource:
        return DriveChanges(bookmarks)


GOOGLE: Final = GoogleKind()


def _build(backend: GoogleBackend, request: NewWorkbook, existing: dict[str, int] | None) -> None:
    """The template's tabs in a new spreadsheet; a copied template keeps its own, and gets
    the starting rows only when there are any (the sample)."""
    rows = dict(request.rows)
    if existing is not None:
        backend.build_template(request.lang, rows, existing)
        return
    snapshot = backend.read()
    if rows:
        backend.build_template(request.lang, rows, snapshot.tab_ids)


def _delete(backend: GoogleBackend) -> None:
    """Best effort: the failure that came first is the one to report; a spreadsheet left
    behind is said in the log."""
    try:
        backend.delete()
    except SheetsSyncError as error:
        log.warning("%s", tell("google.left_behind", key=backend.key, error=error))


# -- watch ----------------------------------------------------------------------------------------
def account_of(config: Config) -> str:
    """Which service account's change feed covers the config's sheet (its key file)."""
    path = credentials_file(config)
    return str(path.resolve()) if path is not None else DEFAULT_CREDENTIALS


class DriveChanges:
    """Google's change source: one Drive change feed per service account, its page token kept
    across restarts; when Drive refuses the feed, each watched file is asked about instead."""

    def __init__(self, bookmarks: Mapping[str, str]) -> None:
        self._tokens = dict(bookmarks)  # by account (`account_of`)
        self._feeds: dict[str, DriveFeed] = {}
        self._failing: set[str] = set()
        self._notices: list[Notice] = []
        self._problem: Words | None = None

    def poll(self, workbooks: Mapping[str, Config], busy: Collection[str]) -> dict[str, Look]:
        """A write by the sync itself (the same service account) is no change, so `busy`
        needs no care: an edit made during a sync is seen and synced after it."""
        looks = {key: Look() for key in workbooks}
        accounts: dict[str, tuple[Config, dict[str, str]]] = {}
        for key, config in workbooks.items():
            _, files = accounts.setdefault(account_of(config), (config, {}))
            files[spreadsheet_id(config.sheet.spreadsheet or "")] = key
        for account, (config, files) in accounts.items():
            for change in self._changes(account, config, sorted(files)):
                watched = files.get(change.file_id)  # None: a file no client config names
                if watched is not None and (change.removed or not change.by_me):
                    looks[watched] = Look(changed=_why(change))
        return looks

    def _changes(self, account: str, config: Config, files: list[str]) -> list[DriveChange]:
        feed = self._feeds.get(account)
        try:
            if feed is None:
                credentials = load_credentials(config)
                feed = self._feeds[account] = DriveFeed.for_credentials(
                    credentials, self._tokens.get(account)
                )
            found = feed.poll(files)
        except FeedRefused as error:
            assert feed is not None  # only a feed's own request is refused
            said = Phrase("watch.feed_refused", {"error": error, "n": len(files)})
            self._notices.append(Notice(said, warning=True))
            poller = self._feeds[account] = DriveFilePoller(feed.http)
            poller.poll(files)  # the versions to compare with
            self._tokens.pop(account, None)
            return []
        except SheetsSyncError as error:
            self._failed(account, error)
            return []
        if account in self._failing:
            self._notices.append(Notice(Phrase("watch.feed_back")))
            self._failing.discard(account)
        self._problem = None
        if feed.token is not None:
            self._tokens[account] = feed.token
        return found

    def _failed(self, account: str, error: SheetsSyncError) -> None:
        """Said once per failure streak (not every poll); the next poll tries again."""
        if account not in self._failing:
            self._notices.append(Notice(Phrase("watch.feed_failed", {"error": error}), True))
        self._failing.add(account)
        self._problem = error

    def saved(self, workbook: str) -> None:
        """Nothing to do: the feed marks the sync's own writes."""

    def bookmarks(self) -> dict[str, str]:
        return dict(self._tokens)

    def notices(self) -> list[Notice]:
        said, self._notices = self._notices, []
        return said

    @property
    def problem(self) -> Words | None:
        return self._problem

    @property
    def requests(self) -> int:
        return sum(feed.api_requests for feed in self._feeds.values())


def _why(change: DriveChange) -> Phrase:
    if change.removed:
        return Phrase("watch.why_sheet_removed")
    return Phrase("watch.why_sheet_edited", {"who": change.who or Phrase("watch.someone")})
