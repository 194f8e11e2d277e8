"""Shared fixtures: the Google API emulator, and one client per backend for the same scenario."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

from tests.fake_google import FakeGoogle
from tests.fake_google.client import make_service_account_file
from tests.support.google import SERVICE_EMAIL, MakeClient, google_config
from tests.support.workbooks import Tabs, config_file, write_xlsx


@pytest.fixture(autouse=True, scope="session")
def _own_state_folder(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """This user's sheets-sync folder (where workbook locks live) is the session's own, so a
    test run never leaves lock files in the real home folder. Subprocesses inherit it."""
    before = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("user-state"))
    yield
    if before is None:
        os.environ.pop("XDG_STATE_HOME", None)
    else:
        os.environ["XDG_STATE_HOME"] = before


@pytest.fixture(autouse=True)
def _restore_logging() -> Iterator[None]:
    """The CLI reconfigures the root logger (basicConfig(force=True)); put it back."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


# Property tests check behaviour, not speed: no per-example deadline on a busy 2-core CI machine.
settings.register_profile("sheets-sync", deadline=None)
settings.load_profile("sheets-sync")


@pytest.fixture(scope="session")
def fake_google() -> Iterator[FakeGoogle]:
    """One emulator for the whole test session (a real HTTP server on loopback)."""
    with FakeGoogle() as server:
        yield server


@pytest.fixture
def google_env(fake_google: FakeGoogle, monkeypatch: pytest.MonkeyPatch) -> FakeGoogle:
    """All Google traffic goes to the emulator, and its faults start cleared."""
    monkeypatch.setenv("SHEETS_EMULATOR_HOST", fake_google.host_port)
    monkeypatch.delenv("GOOGLE_APPLICATION_CREDENTIALS", raising=False)
    fake_google.clear_faults()
    fake_google.reset_requests()
    return fake_google


@pytest.fixture
def key_file(tmp_path: Path, fake_google: FakeGoogle) -> Path:
    """A service-account JSON with a real RSA key, its token_uri pointing at the emulator."""
    return make_service_account_file(tmp_path / "key.json", fake_google.token_uri, SERVICE_EMAIL)


@pytest.fixture(params=["xlsx", "google"])
def make_client(request: pytest.FixtureRequest, tmp_path: Path) -> MakeClient:
    """Builds a client whose workbook holds the given tabs, on the .xlsx or the Google backend."""

    def build(tabs: Tabs, **kwargs: Any) -> Path:
        if request.param == "xlsx":
            write_xlsx(tmp_path / "book.xlsx", tabs)
            return config_file(tmp_path, **kwargs)
        server: FakeGoogle = request.getfixturevalue("google_env")
        make_service_account_file(tmp_path / "key.json", server.token_uri, SERVICE_EMAIL)
        key = server.create_spreadsheet("テスト店", tabs, shared_with={SERVICE_EMAIL})
        return google_config(tmp_path, key, **kwargs)

    build.backend = request.param  # type: ignore[attr-defined]
    return build
