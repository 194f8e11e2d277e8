"""The .xlsx file on disk under bad input and faults: wrong formats, encrypted or renamed
files, unwritable folders, a full disk, and the backups a save keeps."""

from __future__ import annotations

import errno
import gc
import io
import sys
import tempfile
import zipfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from sheets_sync.backends import xlsx_package, zip_copy
from sheets_sync.backends.xlsx_files import backup_name, prune_backups
from sheets_sync.backends.xlsx_package import Package
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.errors import EXIT_CONFIG, EXIT_SHEET
from sheets_sync.run.sync import RunOptions, run
from tests.support.words import shows
from tests.support.workbooks import BASELINE_TODAY, backups_of, baseline, config_file, write_xlsx

TOKYO = ZoneInfo("Asia/Tokyo")


def _sync(config_path: Path) -> Any:
    return CliRunner().invoke(main, ["sync", "--config", str(config_path), "--no-agenda"])


@pytest.mark.parametrize("name", ["book.ods", "book.xls", "book.csv", "book"])
def test_a_path_that_is_not_xlsx_is_exit_2_saying_save_as_xlsx(tmp_path: Path, name: str) -> None:
    """`sheet.path` on .ods, .xls, .csv or no extension: exit 2 naming the key, the file and
    the fix, without a traceback (doctor says it too)."""
    (tmp_path / name).write_bytes(b"PK\x03\x04 whatever")
    config_path = config_file(tmp_path, name)
    result = _sync(config_path)
    assert result.exit_code == EXIT_CONFIG, result.output
    assert "sheet.path" in result.output and shows(result.output, "error.not_xlsx_suffix", "ja")
    assert name in result.output and "Traceback" not in result.output
    doctor = CliRunner().invoke(main, ["doctor", "--config", str(config_path)])  # English
    assert "save as .xlsx" in doctor.output and "Traceback" not in doctor.output


def test_an_encrypted_workbook_is_exit_3_saying_password(tmp_path: Path) -> None:
    """A password-protected .xlsx is an OLE container: exit 3 saying so and how to fix it."""
    (tmp_path / "book.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    result = _sync(config_file(tmp_path))
    assert result.exit_code == EXIT_SHEET
    assert shows(result.output, "error.workbook_encrypted", "ja")
    assert "パスワードを外し" in result.output


def test_a_csv_renamed_xlsx_is_exit_3_not_an_xlsx_workbook(tmp_path: Path) -> None:
    """A CSV renamed .xlsx: exit 3 "not an .xlsx workbook: open it and save as .xlsx"."""
    (tmp_path / "book.xlsx").write_text("日付,一言\n2026-11-01,こんにちは\n", encoding="utf-8")
    result = _sync(config_file(tmp_path))
    assert result.exit_code == EXIT_SHEET
    assert shows(result.output, "error.workbook_not_xlsx", "ja")


def test_an_ods_renamed_xlsx_is_exit_3_not_an_xlsx_workbook(tmp_path: Path) -> None:
    """An OpenDocument spreadsheet renamed .xlsx (a zip, but no OOXML package)."""
    with zipfile.ZipFile(tmp_path / "book.xlsx", "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    result = _sync(config_file(tmp_path))
    assert result.exit_code == EXIT_SHEET, result.output
    assert shows(result.output, "error.workbook_not_a_package", "ja")


def test_a_temp_file_that_cannot_be_created_is_exit_3_naming_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only workbook folder (the temp file beside the workbook cannot be created):
    exit 3 naming the folder, no PermissionError traceback, the workbook unchanged."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    original = workbook.read_bytes()

    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path / ".book.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    result = _sync(config_file(tmp_path))
    assert result.exit_code == EXIT_SHEET, result.output
    assert str(tmp_path) in result.output
    assert shows(result.output, "error.save_folder_not_writable", "ja")
    assert "Traceback" not in result.output and "PermissionError" not in result.output
    assert workbook.read_bytes() == original


def test_a_read_only_workbook_is_refused_and_left_as_it_was(tmp_path: Path) -> None:
    """A workbook staff made read-only (its read-only attribute, `chmod a-w`): the sync does
    not replace it (before: the rename went through, since a rename ignores the file's own
    permission, and the new file was even read-only again) but stops with exit 3 saying to
    make it writable, the file byte for byte as it was; doctor says it cannot be written."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    workbook.chmod(0o444)
    original = workbook.read_bytes()
    config_path = config_file(tmp_path)
    result = _sync(config_path)
    assert result.exit_code == EXIT_SHEET, result.output
    assert shows(result.output, "error.workbook_read_only", "ja")
    assert "Traceback" not in result.output
    assert workbook.read_bytes() == original
    doctor = CliRunner().invoke(main, ["doctor", "--config", str(config_path)])
    assert shows(doctor.output, "doctor.xlsx_no_access_fix", "en"), doctor.output
    workbook.chmod(0o644)
    assert _sync(config_path).exit_code == 0


def test_a_full_disk_is_exit_3_with_no_zip_noise(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up while the new package is written: exit 3 saying so, the workbook
    unchanged, no temp file left, and no "Exception ignored in ZipFile.__del__" afterwards."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    original = workbook.read_bytes()
    real_write = zip_copy.ZipCopier._write
    calls = {"n": 0}

    def fills_up(self: zip_copy.ZipCopier, *args: Any) -> None:
        calls["n"] += 1
        if calls["n"] > 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, *args)

    unraisable: list[Any] = []
    monkeypatch.setattr(zip_copy.ZipCopier, "_write", fills_up)
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    result = _sync(config_file(tmp_path))
    gc.collect()
    assert calls["n"] > 2, "the writer was never reached"
    assert result.exit_code == EXIT_SHEET, result.output
    assert shows(result.output, "error.save_disk_full", "ja")
    assert shows(result.output, "error.workbook_not_written", "ja")
    assert workbook.read_bytes() == original
    assert not list(tmp_path.glob("*.tmp"))
    assert unraisable == []


def test_the_zip64_fallback_closes_its_zips_when_writing_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The zipfile-module path (packages too big for a plain zip) raising mid-way leaves no
    open zip for the garbage collector to complain about."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    package = Package.open(workbook.read_bytes())

    def broken(self: zipfile.ZipFile, *args: Any, **kwargs: Any) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    unraisable: list[Any] = []
    monkeypatch.setattr(zipfile.ZipFile, "writestr", broken)
    monkeypatch.setattr(sys, "unraisablehook", unraisable.append)
    monkeypatch.setattr(xlsx_package, "fits", lambda *args: False)
    with pytest.raises(OSError):
        package.save(tmp_path / "out.xlsx")
    gc.collect()
    assert unraisable == []


def test_backups_are_named_in_local_time_with_the_zone(tmp_path: Path) -> None:
    """A sync's backup is `book.<local time with offset>.xlsx` in the client's zone."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    run(load_config(config_file(tmp_path)), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    names = [p.name for p in backups_of(tmp_path).iterdir()]
    assert len(names) == 1
    assert names[0].startswith("book.") and names[0].endswith("+0900.xlsx"), names
    assert backup_name(Path("sakura.xlsx"), datetime(2026, 12, 2, 7, 0, tzinfo=TOKYO)) == (
        "sakura.2026-12-02T0700+0900.xlsx"
    )


def test_backups_keep_the_three_newest_and_the_newest_of_each_of_seven_days(
    tmp_path: Path,
) -> None:
    """Backups over ten days, several a day: kept are the 3 newest plus, for each of the last
    7 days, that day's newest; older days and the other same-day copies go."""
    folder = backups_of(tmp_path)
    folder.mkdir(parents=True)
    now = datetime(2026, 12, 10, 9, 0, tzinfo=TOKYO)
    made = []
    for days_ago in range(10):
        for hour in (6, 7, 8):
            when = (now - timedelta(days=days_ago)).replace(hour=hour)
            path = folder / backup_name(Path("book.xlsx"), when)
            path.write_bytes(b"x")
            made.append((when, path))
    other = folder / "book.v2.2026-12-01T0600+0900.xlsx"  # another workbook's backup
    other.write_bytes(b"y")
    prune_backups(folder, tmp_path / "book.xlsx", now)
    kept = sorted(p.name for p in folder.iterdir())
    newest_three = [backup_name(Path("book.xlsx"), now.replace(hour=h)) for h in (6, 7, 8)]
    daily = [
        backup_name(Path("book.xlsx"), (now - timedelta(days=d)).replace(hour=8))
        for d in range(1, 7)
    ]
    assert kept == sorted([*newest_three, *daily, other.name])


def test_backups_of_earlier_versions_are_pruned_too(tmp_path: Path) -> None:
    """Old-style names (`book.20261201-070000-123456.xlsx`) count as backups by their time."""
    folder = backups_of(tmp_path)
    folder.mkdir(parents=True)
    for day in range(1, 6):
        (folder / f"book.202611{day:02d}-070000-000001.xlsx").write_bytes(b"x")
    removed = prune_backups(folder, tmp_path / "book.xlsx", datetime(2026, 12, 10, tzinfo=TOKYO))
    assert len(removed) == 2  # the 3 newest stay; none is within the last 7 days


def test_a_full_disk_while_backing_up_leaves_no_truncated_backup(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk fills up half-way through writing the backup: exit 3 saying so, the workbook
    unchanged, the earlier good backup kept, and no partial backup (or temp) in the folder,
    since staff are told to restore "the newest copy" from there."""
    workbook = write_xlsx(tmp_path / "book.xlsx", baseline())
    folder = backups_of(tmp_path)
    folder.mkdir(parents=True)
    good = folder / "book.2026-11-01T0700+0900.xlsx"
    good.write_bytes(workbook.read_bytes())
    original = workbook.read_bytes()
    real_open = io.open
    written: list[int] = []

    class FillsUp:
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def write(self, data: bytes) -> int:
            half = len(data) // 2
            self.stream.write(data[:half])
            self.stream.flush()
            written.append(half)
            raise OSError(errno.ENOSPC, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self.stream, name)

        def __enter__(self) -> FillsUp:
            return self

        def __exit__(self, *exc: object) -> None:
            self.stream.close()

    def opening(file: Any, mode: str = "r", *args: Any, **kwargs: Any) -> Any:
        stream = real_open(file, mode, *args, **kwargs)
        if "w" in mode and str(folder) in str(file):
            return FillsUp(stream)
        return stream

    monkeypatch.setattr(io, "open", opening)
    monkeypatch.setattr("builtins.open", opening)
    result = _sync(config_file(tmp_path))
    monkeypatch.undo()
    assert written and written[0] > 0, "the backup was never written"
    assert result.exit_code == EXIT_SHEET, result.output
    assert shows(result.output, "error.save_disk_full", "ja")
    assert shows(result.output, "error.workbook_not_written", "ja")
    assert workbook.read_bytes() == original
    assert sorted(p.name for p in folder.iterdir()) == [good.name]
    assert not list(tmp_path.glob("*.tmp"))
