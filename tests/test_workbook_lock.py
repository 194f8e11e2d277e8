"""Two client configs naming one workbook: a lock per workbook, so their runs never overlap.

Real .xlsx files and real file locks (flock); `sync-all` runs its clients in threads.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.backends.google_kind import google_key
from sheets_sync.backends.xlsx_files import STALE_TEMP_SECONDS
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.consultant.batch import sync_all
from sheets_sync.errors import EXIT_LOCKED, LockedError
from sheets_sync.run import locking
from sheets_sync.run.locking import workbook_lock
from sheets_sync.run.sync import RunOptions, run
from tests.support.watching import FakeClock, make_watcher, step
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file, write_xlsx

AS_OF = BASELINE_TODAY.isoformat()


def two_configs_one_workbook(folder: Path) -> tuple[Path, Path]:
    """`dupa.toml` and its copy `dupb.toml`, both with sheet.path = "dupa.xlsx"."""
    write_xlsx(folder / "dupa.xlsx", baseline())
    first = config_file(folder, workbook="dupa.xlsx", client="店A").rename(folder / "dupa.toml")
    second = folder / "dupb.toml"
    shutil.copyfile(first, second)
    return first, second


def test_new_client_sample_and_its_copy_both_sync_under_sync_all_jobs_2(tmp_path: Path) -> None:
    """The tester's case: `new-client dupa --sample`, its config copied to dupb.toml, then
    `sync-all --jobs 2`: both runs succeed one after the other (no "could not write …", no
    exit 3), and the workbook is a valid one with the generated tabs."""
    runner = CliRunner()
    made = runner.invoke(
        main, ["new-client", "dupa", "--sample", "--config-dir", str(tmp_path), "--lang", "ja"]
    )
    assert made.exit_code == 0, made.output
    (first,) = tmp_path.glob("*.toml")
    shutil.copyfile(first, tmp_path / "dupb.toml")
    workbook = load_config(first).workbook_path()
    assert load_config(tmp_path / "dupb.toml").workbook_path() == workbook
    for _ in range(3):
        done = runner.invoke(main, ["sync-all", str(tmp_path), "--jobs", "2"])
        assert done.exit_code == 0, done.output
        assert "could not write" not in done.output and "No such file" not in done.output
    assert "サマリー" in load_workbook(workbook).sheetnames


def test_a_held_workbook_lock_makes_the_other_config_wait_then_exit_5(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one config's run holds the workbook, a run of another config on the same workbook
    (after waiting its short while) stops with exit 5, saying in the client's language which
    workbook and which config is using it, and leaves the file alone."""
    first, second = two_configs_one_workbook(tmp_path)
    english = second.read_text(encoding="utf-8").replace('language = "ja"', 'language = "en"')
    second.write_text(english, encoding="utf-8")
    monkeypatch.setattr(locking, "WORKBOOK_WAIT_SECONDS", 0.0)
    before = (tmp_path / "dupa.xlsx").read_bytes()
    with workbook_lock(load_config(first)):
        with pytest.raises(LockedError) as raised:
            run(load_config(second), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
        outcome = sync_all(tmp_path, jobs=1, as_of=BASELINE_TODAY)
    assert raised.value.exit_code == EXIT_LOCKED
    message = str(raised.value)
    assert "another run is using this workbook" in message
    assert str((tmp_path / "dupa.xlsx").resolve()) in message and "dupa.toml" in message
    assert (tmp_path / "dupa.xlsx").read_bytes() == before
    rows = {row.config_path.name: row for row in outcome.runs}
    assert {row.outcome for row in rows.values()} == {"locked"}
    assert "dupa.toml" in rows["dupb.toml"].message
    assert "別の実行がこのブックを使っています" in str(rows["dupa.toml"].problem)  # its language
    assert "another run is using this workbook" in rows["dupa.toml"].message  # sync-all's table
    assert outcome.exit_code == EXIT_LOCKED


def test_the_workbook_lock_is_keyed_by_the_resolved_path(tmp_path: Path) -> None:
    """`dupa.xlsx` and `./sub/../dupa.xlsx` are one workbook; another workbook is another lock."""
    first, _ = two_configs_one_workbook(tmp_path)
    (tmp_path / "sub").mkdir()
    roundabout = config_file(tmp_path, workbook="sub/../dupa.xlsx").rename(tmp_path / "c.toml")
    other = config_file(tmp_path, workbook="other.xlsx").rename(tmp_path / "d.toml")
    assert locking.workbook_key(load_config(roundabout)) == locking.workbook_key(load_config(first))
    assert locking.workbook_key(load_config(other)) != locking.workbook_key(load_config(first))
    with (
        workbook_lock(load_config(first)),
        workbook_lock(load_config(other)),
        pytest.raises(LockedError),
        workbook_lock(load_config(roundabout), wait=0.0),
    ):
        pass


def test_a_google_workbook_is_keyed_by_its_spreadsheet_id() -> None:
    """Two Google configs naming one spreadsheet (URL or bare id) share one key."""
    url = "https://docs.google.com/spreadsheets/d/1AbC_dEf-123/edit#gid=0"
    assert google_key(url) == google_key("1AbC_dEf-123")
    assert google_key(url) != google_key("1AbC_dEf-124")


def test_a_fresh_temp_of_a_live_save_survives_another_runs_cleanup(tmp_path: Path) -> None:
    """A temp file written seconds ago may be another run's save in progress: it stays. One
    older than STALE_TEMP_SECONDS is a killed save's leftover: it goes. A temp of another
    workbook whose name starts alike (dupa.b.xlsx) is never touched."""
    first, _ = two_configs_one_workbook(tmp_path)
    fresh = tmp_path / ".dupa.abcd1234.xlsx.tmp"
    old = tmp_path / ".dupa.wxyz9876.xlsx.tmp"
    neighbour = tmp_path / ".dupa.b.qrst5678.xlsx.tmp"
    for path in (fresh, old, neighbour):
        path.write_bytes(b"partial")
    long_ago = time.time() - STALE_TEMP_SECONDS - 60
    os.utime(old, (long_ago, long_ago))
    os.utime(neighbour, (long_ago, long_ago))
    run(load_config(first), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    assert fresh.exists() and neighbour.exists()
    assert not old.exists()


def test_watch_does_not_ping_pong_between_two_configs_of_one_workbook(tmp_path: Path) -> None:
    """Under `watch`, a sync for one config (its config file was edited) saves the shared
    workbook; that save is not an edit for the other config, so twenty more polls start no
    sync (before, each config's save woke the other one, forever)."""
    _, second = two_configs_one_workbook(tmp_path)
    clock = FakeClock()
    watcher = make_watcher(tmp_path, clock)
    second.write_text(second.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    for _ in range(3):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1
    assert watcher.status.clients["dupb.toml"].result == "ok"
    for _ in range(20):
        step(watcher, clock)
    assert watcher.status.sheets_syncs == 1
