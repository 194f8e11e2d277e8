"""The .xlsx sync against a plain openpyxl load + save of the same workbook, in one run.

    python bench/xlsx_surgical.py [--rows 20000] [--runs 3]

Method: `bench.workload.workbook(rows)` (four input tabs, the evidence tab at `rows` rows, and
the generated tabs a daily cron job leaves) is written once with openpyxl; every measured run
starts from a fresh copy of that file. Timed, interleaved run by run:
  - `sheets-sync`: `run(load_config(cfg), RunOptions(as_of=AS_OF, no_agenda=True))` — read,
    validate, compute, write Summary/Checks/Log (surgical package write, backup, rename);
  - `openpyxl`: `load_workbook(path)` then `book.save(path)` — what a sync cost when it
    rewrote the whole workbook, with no validation or computing at all.
seconds = median of `--runs` wall times (`time.perf_counter`); peak_mb = `tracemalloc` peak of
one extra, untimed run of each. Target: sheets-sync below half of openpyxl's time (exit 1 if
missed, printed as FAIL).
"""

from __future__ import annotations

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from openpyxl import load_workbook  # noqa: E402

from bench.workload import AS_OF, workbook  # noqa: E402
from sheets_sync.config import load_config  # noqa: E402
from sheets_sync.run.sync import RunOptions, run  # noqa: E402
from tests.support.workbooks import config_file, write_xlsx  # noqa: E402


def _fresh(seed: Path, scratch: Path, name: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=f"{name}-", dir=scratch))
    shutil.copy(seed, folder / "book.xlsx")
    return folder


def _sheets_sync(folder: Path) -> Callable[[], None]:
    config_path = config_file(folder)

    def job() -> None:
        if not run(load_config(config_path), RunOptions(as_of=AS_OF, no_agenda=True)).wrote:
            raise RuntimeError("sheets-sync did not write")

    return job


def _openpyxl(folder: Path) -> Callable[[], None]:
    path = folder / "book.xlsx"

    def job() -> None:
        book = load_workbook(path)
        book.save(path)

    return job


JOBS: dict[str, Callable[[Path], Callable[[], None]]] = {
    "sheets-sync": _sheets_sync,
    "openpyxl": _openpyxl,
}


def _time(job: Callable[[], None]) -> float:
    gc.collect()
    start = time.perf_counter()
    job()
    return time.perf_counter() - start


def _peak_mb(job: Callable[[], None]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        job()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="xlsx-bench-") as scratch_name:
        scratch = Path(scratch_name)
        seed = write_xlsx(scratch / "seed.xlsx", workbook(args.rows))
        print(f"workbook: {args.rows} evidence rows, {seed.stat().st_size / 2**20:.2f} MB")
        for name, make in JOBS.items():  # warm-up: imports and first-call caches
            make(_fresh(seed, scratch, name))()
        seconds: dict[str, list[float]] = {name: [] for name in JOBS}
        for _ in range(args.runs):
            for name, make in JOBS.items():
                seconds[name].append(_time(make(_fresh(seed, scratch, name))))
        peaks = {name: _peak_mb(make(_fresh(seed, scratch, name))) for name, make in JOBS.items()}
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name in JOBS:
        runs = ", ".join(f"{s:.2f}" for s in seconds[name])
        print(f"  {name:<12} {medians[name]:7.2f} s median ({runs})  peak {peaks[name]:6.1f} MB")
    ratio = medians["sheets-sync"] / medians["openpyxl"]
    verdict = "ok" if ratio < 0.5 else "FAIL"
    print(f"  sheets-sync / openpyxl load+save = {ratio:.2f} (target < 0.50): {verdict}")
    return 0 if ratio < 0.5 else 1


if __name__ == "__main__":
    raise SystemExit(main())
