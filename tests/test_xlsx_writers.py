"""The writer matrix: workbooks as openpyxl (with and without lxml), pandas (openpyxl and
XlsxWriter engines), XlsxWriter and LibreOffice write them, with one or all generated tabs
missing, go through two syncs and an `upgrade`; every result opens in openpyxl (normal and
read-only), in pandas, passes the strict check, and converts in LibreOffice when present.

The inputs are made once per session, each writer in its own process (openpyxl chooses lxml
when it is imported, from the environment variable OPENPYXL_LXML).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from openpyxl import load_workbook

from sheets_sync import api
from sheets_sync.backends.xlsx_verify import verify
from sheets_sync.config import load_config
from sheets_sync.run.sync import RunOptions, run
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file

GENERATED = ("サマリー", "チェック", "ログ")
SOFFICE = shutil.which("soffice")

# Run in a fresh interpreter: argv = writer, output file, tabs as JSON.
_WRITE = """
import json, sys
writer, out, tabs = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
if writer.startswith("openpyxl"):
    import openpyxl.xml
    from openpyxl import Workbook
    assert openpyxl.xml.LXML == (writer == "openpyxl-lxml"), "OPENPYXL_LXML not honoured"
    book = Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    book.save(out)
elif writer.startswith("pandas"):
    import pandas as pd
    engine = writer.split("-", 1)[1]
    with pd.ExcelWriter(out, engine=engine) as excel:
        for title, rows in tabs.items():
            frame = pd.DataFrame(rows[1:], columns=rows[0]) if rows else pd.DataFrame()
            frame.to_excel(excel, sheet_name=title, index=False)
else:
    import xlsxwriter
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_urls": False})
    for title, rows in tabs.items():
        sheet = book.add_worksheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if value is not None:
                    sheet.write(r, c, value)
    book.close()
"""
WRITERS = ("openpyxl-etree", "openpyxl-lxml", "pandas-openpyxl", "pandas-xlsxwriter", "xlsxwriter")
MISSING = ("one", "all")
CASES = [(w, m) for w in (*WRITERS, "libreoffice") for m in MISSING]


def _tabs(missing: str) -> dict[str, list[list[Any]]]:
    """The sample's input tabs; with one generated tab missing, the other two are there as
    the writer made them (empty sheets titled サマリー and チェック)."""
    tabs = baseline()
    if missing == "one":
        tabs.update({"サマリー": [], "チェック": []})
    return tabs


def _write(writer: str, out: Path, missing: str) -> None:
    lxml = "True" if writer in ("openpyxl-lxml", "pandas-openpyxl") else "False"
    tabs = json.dumps(_tabs(missing), ensure_ascii=False, default=str)
    subprocess.run(
        [sys.executable, "-c", _WRITE, writer, str(out), tabs],
        check=True,
        timeout=120,
        env={**os.environ, "OPENPYXL_LXML": lxml},
    )


def _libreoffice(files: list[Path], out: Path, target: str) -> list[Path]:
    """`files` converted by LibreOffice in one run (it starts slowly): `target` "xlsx" or
    "pdf"; the converted files, in order."""
    assert SOFFICE is not None
    out.mkdir(exist_ok=True)
    profile = out / "profile"
    subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            target,
            "--outdir",
            str(out),
            *map(str, files),
        ],
        check=True,
        timeout=300,
        capture_output=True,
    )
    return [out / f"{f.stem}.{target}" for f in files]


@dataclass(frozen=True)
class Synced:
    path: Path
    upgraded: list[str]


@pytest.fixture(scope="session")
def synced(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Synced]:
    """Every input of the matrix, synced twice and upgraded, each in its own client folder."""
    inputs = tmp_path_factory.mktemp("writer-inputs")
    made: dict[tuple[str, str], Path] = {}
    for writer, missing in CASES:
        if writer == "libreoffice":
            continue
        made[(writer, missing)] = inputs / f"{writer}-{missing}.xlsx"
        _write(writer, made[(writer, missing)], missing)
    if SOFFICE is not None:
        seeds = [made[("openpyxl-etree", m)] for m in MISSING]
        converted = _libreoffice(seeds, inputs / "libreoffice", "xlsx")
        for missing, path in zip(MISSING, converted, strict=True):
            made[("libreoffice", missing)] = path
    results: dict[tuple[str, str], Synced] = {}
    for (writer, missing), source in made.items():
        folder = tmp_path_factory.mktemp(f"{writer}-{missing}")
        shutil.copy(source, folder / "book.xlsx")
        config = config_file(folder)
        for _ in range(2):
            run(load_config(config), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
        results[(writer, missing)] = Synced(folder / "book.xlsx", api.upgrade(config))
    return results


@pytest.mark.parametrize(("writer", "missing"), CASES, ids=[f"{w}-{m}" for w, m in CASES])
def test_every_writers_workbook_syncs_into_one_every_reader_opens(
    synced: dict[tuple[str, str], Synced], writer: str, missing: str
) -> None:
    """After two syncs and an upgrade the workbook passes the strict check, opens in openpyxl
    (normal and read-only, every row streamed) and in pandas, and has the generated tabs."""
    if (writer, missing) not in synced:
        pytest.skip("LibreOffice (soffice) is not installed")
    path = synced[(writer, missing)].path
    assert verify(path) == []
    book = load_workbook(path)
    assert set(GENERATED) <= set(book.sheetnames)
    book.close()
    streamed = load_workbook(path, read_only=True)
    rows = sum(1 for sheet in streamed.worksheets for _ in sheet.iter_rows(values_only=True))
    streamed.close()
    assert rows > 20
    frames = pd.read_excel(path, sheet_name=None)
    assert {"KPI", "証拠", *GENERATED} <= set(frames)
    assert len(frames["証拠"]) == len(baseline()["証拠"]) - 1


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_every_synced_workbook_converts_in_libreoffice(
    synced: dict[tuple[str, str], Synced], tmp_path: Path
) -> None:
    """LibreOffice opens every synced workbook of the matrix (converted to PDF in one run:
    a file it cannot open gives no PDF)."""
    files = []
    for (writer, missing), result in synced.items():
        copy = tmp_path / f"{writer}-{missing}.xlsx"
        shutil.copy(result.path, copy)
        files.append(copy)
    pdfs = _libreoffice(files, tmp_path / "pdf", "pdf")
    missing_pdfs = [p.name for p in pdfs if not p.exists() or p.stat().st_size < 1000]
    assert missing_pdfs == []
