"""The emulator's Drive change feed and file versions, as Google documents them, read through
the same DriveFeed the watch uses (real google-auth over HTTP)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_sync.backends.drive import DriveFeed
from sheets_sync.backends.google_calls import load_credentials
from tests.fake_google import FakeGoogle
from tests.fake_google.client import emulator_client, make_service_account_file
from tests.support.google import SERVICE_EMAIL

STAFF_EMAIL = "staff@example.jp"


@pytest.fixture
def feed(google_env: FakeGoogle, key_file: Path) -> DriveFeed:
    """The service account's feed, started now."""
    started = DriveFeed.for_credentials(load_credentials(None, key_file))
    started.start()
    return started


@pytest.fixture
def staff_key(tmp_path: Path, google_env: FakeGoogle) -> Path:
    """A second identity: staff editing the sheet in their browser."""
    return make_service_account_file(tmp_path / "staff.json", google_env.token_uri, STAFF_EMAIL)


def shared_sheet(server: FakeGoogle) -> str:
    return server.create_spreadsheet(
        "店", {"KPI": [["ID"], ["K1"]]}, shared_with={SERVICE_EMAIL, STAFF_EMAIL}
    )


def drive_get(server: FakeGoogle, key: Path, file_id: str) -> dict[str, object]:
    session = DriveFeed.for_credentials(load_credentials(None, key)).session
    url = f"https://www.googleapis.com/drive/v3/files/{file_id}"
    fields = "version,modifiedTime,lastModifyingUser(me,emailAddress)"
    body: dict[str, object] = session.get(url, params={"fields": fields}, timeout=10).json()
    return body


def test_a_staff_edit_shows_in_the_feed_as_not_mine_and_bumps_the_version(
    google_env: FakeGoogle, feed: DriveFeed, staff_key: Path, key_file: Path
) -> None:
    """Sheets writes by staff: one change, lastModifyingUser.me false, version and
    modifiedTime moved on; files.get says the same."""
    key = shared_sheet(google_env)
    assert [c.file_id for c in feed.poll()] == [key]  # created (and shared) after the token
    before = drive_get(google_env, key_file, key)
    staff = emulator_client(google_env.host_port, staff_key)
    staff.open_by_key(key).sheet1.update([["K2"]], "A3")
    changes = feed.poll()
    assert [(c.file_id, c.by_me, c.who) for c in changes] == [(key, False, STAFF_EMAIL)]
    after = drive_get(google_env, key_file, key)
    assert int(str(after["version"])) > int(str(before["version"]))
    assert str(after["modifiedTime"]) >= str(before["modifiedTime"])
    assert after["lastModifyingUser"] == {"me": False, "emailAddress": STAFF_EMAIL}
    assert feed.poll() == []  # the token moved on: nothing new


def test_the_service_accounts_own_write_is_marked_me(
    google_env: FakeGoogle, feed: DriveFeed, key_file: Path
) -> None:
    """A batchUpdate by the service account itself comes back with me = true."""
    key = shared_sheet(google_env)
    feed.poll()
    own = emulator_client(google_env.host_port, key_file)
    own.open_by_key(key).sheet1.update([["K9"]], "A2")
    assert [(c.file_id, c.by_me) for c in feed.poll()] == [(key, True)]


def test_many_edits_to_one_file_are_one_entry_and_pages_follow_next_page_token(
    google_env: FakeGoogle, feed: DriveFeed, staff_key: Path, key_file: Path
) -> None:
    """Drive keeps a file's latest change only; pageSize splits the list with nextPageToken
    and the last page carries newStartPageToken."""
    keys = [shared_sheet(google_env) for _ in range(3)]
    staff = emulator_client(google_env.host_port, staff_key)
    for _ in range(5):
        staff.open_by_key(keys[0]).sheet1.update([["x"]], "B2")
    session = feed.session
    url = "https://www.googleapis.com/drive/v3/changes"
    first = session.get(url, params={"pageToken": feed.token, "pageSize": "2"}, timeout=10).json()
    assert [c["fileId"] for c in first["changes"]] == keys[1:]
    assert "nextPageToken" in first and "newStartPageToken" not in first
    second = session.get(
        url, params={"pageToken": first["nextPageToken"], "pageSize": "2"}, timeout=10
    ).json()
    assert [c["fileId"] for c in second["changes"]] == [keys[0]]
    assert "newStartPageToken" in second and "nextPageToken" not in second
    assert second["changes"][0]["removed"] is False


def test_a_file_not_shared_with_the_caller_is_not_in_its_feed_and_a_deleted_one_is_removed(
    google_env: FakeGoogle, feed: DriveFeed, key_file: Path
) -> None:
    """Only files the caller can open are listed; deleting one leaves a removed entry."""
    private = google_env.create_spreadsheet("他人", {"A": [["1"]]}, shared_with={STAFF_EMAIL})
    mine = shared_sheet(google_env)
    assert [c.file_id for c in feed.poll()] == [mine]
    session = feed.session
    response = session.delete(f"https://www.googleapis.com/drive/v3/files/{mine}", timeout=10)
    assert response.status_code == 204
    changes = feed.poll()
    assert [(c.file_id, c.removed) for c in changes] == [(mine, True)]
    assert private not in {c.file_id for c in changes}


def test_changes_list_without_a_page_token_is_refused(
    google_env: FakeGoogle, feed: DriveFeed
) -> None:
    """pageToken is required, as on Google."""
    answer = feed.session.get("https://www.googleapis.com/drive/v3/changes", timeout=10)
    assert answer.status_code == 400
    assert answer.json()["error"]["errors"][0]["reason"] == "required"
