"""LibreOffice opens what the package writer made: the synced workbook converts headless, and
its Summary (the first sheet) shows the sync's text. Skipped where `soffice` is absent."""

from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_sync.config import load_config
from sheets_sync.run.sync import RunOptions, run
from tests.support.workbooks import BASELINE_TODAY, config_file
from tests.support.xlsx_parts import add_picture_and_comment, code_names, unreferenced_parts

FIXTURE = Path(__file__).parent / "fixtures" / "staff_libreoffice.xlsx"
SOFFICE = shutil.which("soffice")

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")


def _convert(workbook: Path, target: str, scratch: Path) -> Path:
    """`soffice --headless --convert-to <target>` with a private profile (parallel-safe)."""
    assert SOFFICE is not None
    out = scratch / "converted"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(scratch / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            str(workbook),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    produced = list(out.iterdir())
    assert len(produced) == 1, produced
    return produced[0]


def test_libreoffice_opens_the_synced_workbook_and_shows_the_summary(tmp_path: Path) -> None:
    """A LibreOffice-made staff workbook, synced twice, converts to CSV in LibreOffice; the
    first sheet is our Summary with the client's title and the KPI table."""
    workbook = tmp_path / "book.xlsx"
    shutil.copy(FIXTURE, workbook)
    config_path = config_file(tmp_path, client="さくら珈琲")
    for _ in range(2):
        run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    converted = _convert(workbook, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path)
    with open(converted, encoding="utf-8") as stream:
        text = "\n".join(",".join(row) for row in csv.reader(stream))
    assert "さくら珈琲" in text and "購入率" in text, text[:500]


def test_libreoffice_opens_a_workbook_with_a_renamed_log_synced_twice(tmp_path: Path) -> None:
    """Staff rename the Log to keep it (`ログ(11月まで)`); after two more syncs the workbook
    holds two Logs with distinct codeNames, and LibreOffice converts it (the new ログ is read)."""

    workbook = tmp_path / "book.xlsx"
    shutil.copy(FIXTURE, workbook)
    config_path = config_file(tmp_path, client="さくら珈琲")
    run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    book = load_workbook(workbook)
    book["ログ"].title = "ログ(11月まで)"
    book.save(workbook)
    for _ in range(2):
        run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    names = code_names(workbook)
    assert len(names) == len({name.casefold() for name in names}), names
    converted = _convert(workbook, "pdf", tmp_path)
    assert converted.read_bytes().startswith(b"%PDF")


def test_libreoffice_opens_a_workbook_whose_summary_had_a_picture(tmp_path: Path) -> None:
    """Staff put a picture and a comment on the Summary; the sync replaces it and drops those
    parts, leaving nothing unreferenced, and LibreOffice still opens the workbook."""
    workbook = tmp_path / "book.xlsx"
    shutil.copy(FIXTURE, workbook)
    config_path = config_file(tmp_path, client="さくら珈琲")
    run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    add_picture_and_comment(workbook, "サマリー")
    run(load_config(config_path), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    assert unreferenced_parts(workbook) == set()
    converted = _convert(workbook, "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path)
    assert "さくら珈琲" in converted.read_text(encoding="utf-8")
