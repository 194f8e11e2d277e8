"""Where a large sync spends its time: cProfile of one sheets-sync run, grouped by layer.

    python bench/profile_sync.py [--rows 20000] [--backend google|xlsx|both] [--top 25]
                                 [--save DIR] [--gc-compare N]

Profiles the client process only (the emulator runs as a subprocess with zero latency and
reports its own compute time separately). Prints own-time per layer — JSON decoding, HTTP,
sheets_sync modules one by one, pandas, openpyxl… — then the top functions by own time and by
cumulative time. `--save DIR` also writes `.prof` files for snakeviz / pstats.

`--gc-compare N` then runs the same sync N times with Python's cyclic garbage collector enabled
and N times disabled (alternating, no profiler) and prints the median CPU of each: what a
`gc.disable()` / `gc.freeze()` around the read would save, without touching sheets_sync.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from bench.emulator import EmulatorProcess  # noqa: E402
from bench.run import SHEETS_SYNC, XLSX, Bench, GcTimer  # noqa: E402

_LAYERS = (
    ("json", ("/json/",)),
    ("http (requests, urllib3, sockets)", ("/requests/", "/urllib3/", "/http/", "socket", "ssl")),
    ("google-auth / crypto", ("/google/", "/cryptography/", "/rsa/", "/pyasn1")),
    ("gspread", ("/gspread/",)),
    ("pandas", ("/pandas/",)),
    ("numpy", ("/numpy/",)),
    ("openpyxl", ("/openpyxl/",)),
    ("zipfile / xml", ("zipfile", "/xml/", "et_xmlfile", "lxml")),
    ("jinja2 / mail", ("/jinja2/", "/email/", "css_inline")),
)


def layer(filename: str) -> str:
    """The layer a profiled function belongs to (sheets_sync modules one by one)."""
    if "/sheets_sync/" in filename:
        return "sheets_sync." + filename.split("/sheets_sync/", 1)[1].removesuffix(".py").replace(
            "/", "."
        )
    for name, needles in _LAYERS:
        if any(needle in filename for needle in needles):
            return name
    if filename.startswith("~") or filename == "<built-in>":
        return "builtins (C)"
    return "other"


def by_layer(stats: pstats.Stats) -> dict[str, float]:
    """Own time per layer; C builtins are charged to their Python caller's layer."""
    totals: dict[str, float] = defaultdict(float)
    raw = stats.stats  # type: ignore[attr-defined]  # pstats keeps its table untyped
    for (filename, _, _), (_, _, tottime, _, callers) in raw.items():
        name = layer(filename)
        if name == "builtins (C)" and callers:
            caller = max(callers.items(), key=lambda item: item[1][2])[0]
            name = layer(caller[0])
            if name == "builtins (C)":
                name = "other"
        totals[name] += tottime
    return dict(sorted(totals.items(), key=lambda item: -item[1]))


def profile(bench: Bench, implementation: str, rows: int, top: int, save: Path | None) -> None:
    job = bench.prepare(implementation, rows)
    bench.emulator.reset_requests()
    profiler = cProfile.Profile()
    with GcTimer() as collector:
        start = time.perf_counter()
        profiler.enable()
        job()
        profiler.disable()
        wall = time.perf_counter() - start
    entries = [] if implementation == XLSX else bench.emulator.requests()
    emulator = sum(e.get("server_ms") or 0 for e in entries) / 1000
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    print(f"\n=== {implementation}, {rows} evidence rows, zero latency ===")
    print(f"wall {wall:.2f} s under cProfile; profiled client time {total:.2f} s; ", end="")
    print(f"emulator compute {emulator:.2f} s; cyclic GC pauses {collector.seconds:.2f} s")
    for entry in entries:
        print(f"  {entry['method']:>4} {entry['path'][:70]:<70} {entry.get('server_ms', '?')} ms")
    print("\nown time by layer:")
    for name, seconds in by_layer(stats).items():
        if seconds >= 0.005:
            print(f"  {name:<38} {seconds:7.3f} s  {seconds / total:6.1%}")
    print(f"\ntop {top} by own time:")
    stats.sort_stats("tottime").print_stats(top)
    print(f"top {top} by cumulative time:")
    stats.sort_stats("cumulative").print_stats(top)
    if save is not None:
        save.mkdir(parents=True, exist_ok=True)
        stats.dump_stats(str(save / f"{implementation}-{rows}.prof"))


def gc_compare(bench: Bench, implementation: str, rows: int, runs: int) -> None:
    """Median client CPU of the same sync with the cyclic GC on and off (alternating)."""
    cpu: dict[bool, list[float]] = {True: [], False: []}
    for index in range(2 * runs):
        enabled = index % 2 == 0
        job = bench.prepare(implementation, rows)
        gc.collect()
        if not enabled:
            gc.disable()
        try:
            start = time.process_time()
            job()
            cpu[enabled].append(time.process_time() - start)
        finally:
            gc.enable()
    on, off = statistics.median(cpu[True]), statistics.median(cpu[False])
    print(f"\n{implementation}, {rows} rows, client CPU, median of {runs}:")
    print(f"  cyclic GC on  {on:6.3f} s   {[round(x, 2) for x in cpu[True]]}")
    print(f"  cyclic GC off {off:6.3f} s   {[round(x, 2) for x in cpu[False]]}", end="")
    print(f"   ({off / on - 1:+.0%})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--backend", choices=("google", "xlsx", "both"), default="both")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--save", type=Path)
    parser.add_argument("--gc-compare", type=int, default=0, metavar="N")
    args = parser.parse_args(argv)
    chosen = {"google": (SHEETS_SYNC,), "xlsx": (XLSX,), "both": (SHEETS_SYNC, XLSX)}
    emulator = EmulatorProcess()
    try:
        with tempfile.TemporaryDirectory(prefix="sheets-sync-profile-") as scratch:
            bench = Bench(emulator, Path(scratch))
            bench.warm_up()
            emulator.set_latency(0)
            for implementation in chosen[args.backend]:
                profile(bench, implementation, args.rows, args.top, args.save)
            for implementation in chosen[args.backend] if args.gc_compare else ():
                gc_compare(bench, implementation, args.rows, args.gc_compare)
    finally:
        emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
