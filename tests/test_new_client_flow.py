"""new-client is one flow on every backend: check what can be checked before anything is made,
make the workbook, write the config — and a failure on the way removes what the call made, the
Google spreadsheet included (real gspread and google-auth against the emulator)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheets_sync import api
from sheets_sync.errors import ConfigError, SheetAccessError, UsageError
from sheets_sync.run.clients import MailAddresses, NewClientOrder
from tests.fake_google import FakeGoogle


def test_a_google_client_whose_sharing_fails_leaves_no_spreadsheet_and_no_config(
    google_env: FakeGoogle, key_file: Path, tmp_path: Path
) -> None:
    """Google refuses the share (400) after the spreadsheet was made and built: the error
    goes up, the spreadsheet is deleted again, and no config or folder is left."""
    before = set(google_env.spreadsheet_ids())
    google_env.add_fault(status=400, path_contains="/permissions", count=-1)
    folder = tmp_path / "clients"
    with pytest.raises(SheetAccessError):
        api.new_client(
            NewClientOrder(
                "さくら珈琲",
                "ja",
                folder,
                backend="google",
                share=("owner@example.jp",),
                credentials=key_file,
            )
        )
    assert set(google_env.spreadsheet_ids()) == before
    deletes = [r for r in google_env.requests("api") if r["method"] == "DELETE"]
    assert len(deletes) == 1 and deletes[0]["path"].startswith("/drive/v3/files/")
    assert not folder.exists()


def test_a_google_client_with_a_wrong_address_is_refused_before_google_is_asked(
    google_env: FakeGoogle, key_file: Path, tmp_path: Path
) -> None:
    """A bad --to is a config error naming the key, as on .xlsx: no request reaches Google,
    no spreadsheet is made, no file is written."""
    google_env.reset_requests()
    folder = tmp_path / "clients"
    with pytest.raises(ConfigError) as raised:
        api.new_client(
            NewClientOrder(
                "梅の湯",
                "ja",
                folder,
                backend="google",
                credentials=key_file,
                addresses=MailAddresses(to=("not-an-address",)),
            )
        )
    assert "mail.to" in raised.value.render("en")
    assert google_env.requests("api") == []
    assert not folder.exists()


def test_google_only_options_on_an_xlsx_client_make_nothing(tmp_path: Path) -> None:
    """--share or --from-template with the .xlsx backend: a usage error, and nothing made."""
    folder = tmp_path / "clients"
    with pytest.raises(UsageError):
        api.new_client(NewClientOrder("店", "ja", folder, share=("a@example.jp",)))
    assert not folder.exists()
    with pytest.raises(UsageError):
        api.new_client(NewClientOrder("店", "ja", folder, from_template="1AbC"))
    assert not folder.exists()


def test_an_xlsx_client_whose_config_cannot_be_written_leaves_no_workbook(
    tmp_path: Path,
) -> None:
    """The workbook was made, then the config cannot be written (its name points into a
    folder that is not there): a config error naming the file, and the workbook made a
    moment ago is removed again."""
    folder = tmp_path / "clients"
    folder.mkdir()
    (folder / "店.toml").symlink_to(tmp_path / "nowhere" / "店.toml")
    with pytest.raises(ConfigError) as raised:
        api.new_client(NewClientOrder("店", "ja", folder))
    assert raised.value.key == "cannot_create" and "店.toml" in raised.value.render("en")
    assert not (folder / "店.xlsx").exists()
