"""Edit → Checks latency and idle cost of `sheets-sync watch`, beside `sync-all` from cron.

    python bench/watch.py [--clients 100] [--edits 10] [--edit-window 90] [--idle 120]
                          [--interval 10] [--debounce 10] [--idle-interval 15]
                          [--latency-ms 150]
                          [--out bench/watch_results.json]

Method
------
* The Google emulator runs as a subprocess (`bench/emulator.py`, as `bench/run.py` does);
  every request, the OAuth token exchange included, is answered `--latency-ms` late.
* `--clients` Google clients (the valid baseline workbook of `tests.support.workbooks`), one service
  account; each sheet is also shared with a second identity, "staff".
* Baseline first: one `sync-all` of every client (which also leaves the generated tabs in
  place, as the daily job would). Its requests are counted in the emulator's log and each
  client's duration kept; "cron every 5 minutes" is then computed from them: requests per
  hour = 12 runs x requests per run; latency = the wait for the next run (uniform over 5
  minutes) + when that client's sync ends within the run (the pool of `--jobs` workers
  replayed with the measured durations), percentiles over 200,000 draws.
* Then `watch` runs (in this process, in a thread, with the real clock): `--edits` edits by
  staff (through real gspread, as the second identity) on distinct random clients at random
  times within `--edit-window` seconds. Each edit types an evidence row with a unique date
  without a year; latency = from the edit's answer to the moment the Checks tab shows that
  value (read through the emulator's control endpoint every 0.2 s, which is neither logged
  nor delayed).
* Idle: after every edit showed, the watch is left alone until it is in its quiet spell (no
  change for 2 minutes, then polls every `--idle-interval`); the emulator's request log is
  cleared and nothing happens for `--idle` seconds; Sheets and Drive requests in that window,
  extrapolated to an hour; and Drive requests per poll.
* First edit after a quiet spell: then one more staff edit, at a random moment of the slow poll
  cycle, on a client not edited before; its edit → Checks latency (the worst case is
  idle interval + debounce + one sync).
* Both run under the same shared Sheets rate limit (`--requests-per-minute`, default 600 so
  the baseline run takes seconds, not the 3+ minutes 200 requests take at the CLI's 60).

Exit status 1 when a target is missed. Targets: p95 <= 30 s, and the first edit after a quiet
spell too; idle: 0 Sheets requests and <= 1 Drive request per poll; p95 latency, idle Sheets
requests and idle requests in all (Drive's change feed included, a request the baseline does
not make) each >= 10x better than the cron baseline.
"""

from __future__ import annotations

import argparse
import heapq
import json
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.emulator import SERVICE_EMAIL, EmulatorProcess  # noqa: E402 - after the path
from bench.run import machine  # noqa: E402
from sheets_sync.backends.google_http import EMULATOR_ENV  # noqa: E402
from sheets_sync.consultant.batch import sync_all  # noqa: E402
from sheets_sync.consultant.watch import Watcher  # noqa: E402
from sheets_sync.consultant.watch_schedule import Schedule  # noqa: E402
from tests.fake_google.client import emulator_client, make_service_account_file  # noqa: E402
from tests.support.workbooks import baseline  # noqa: E402

STAFF_EMAIL = "staff@example.jp"
CRON_PERIOD = 300.0
DRAWS = 200_000
TARGET_P95 = 30.0


@dataclass
class Edit:
    client: int
    key: str
    marker: str
    at: float  # seconds after the edit window opens
    done: float | None = None  # monotonic, when staff's write was answered
    visible: float | None = None  # monotonic, when the Checks tab showed the marker

    @property
    def latency(self) -> float | None:
        if self.done is None or self.visible is None:
            return None
        return self.visible - self.done


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def seed(emulator: EmulatorProcess, folder: Path, count: int) -> tuple[list[str], Path]:
    """`count` client configs and sheets (shared with the service account and staff)."""
    key_file = emulator.key_file(folder / "key.json")
    staff_key = make_service_account_file(folder / "staff.json", emulator.token_uri, STAFF_EMAIL)
    keys = []
    for number in range(count):
        body = {
            "title": f"店{number:03}",
            "sheets": baseline(),
            "shared_with": [SERVICE_EMAIL, STAFF_EMAIL],
        }
        key = str(emulator._call("POST", "/_emulator/spreadsheets", body)["spreadsheetId"])
        keys.append(key)
        (folder / f"client-{number:03}.toml").write_text(
            f"""client = "店{number:03}"
language = "ja"

[sheet]
backend = "google"
spreadsheet = "https://docs.google.com/spreadsheets/d/{key}/edit"
credentials = "{key_file.name}"

[mail]
transport = "outbox"
outbox = "outbox"
from = "kpi@example.jp"
to = ["team@example.jp"]
""",
            encoding="utf-8",
        )
    return keys, staff_key


def count(entries: list[dict[str, Any]]) -> tuple[int, int]:
    """(Sheets, Drive) API requests in a slice of the emulator's log."""
    sheets = sum(1 for e in entries if e.get("kind") == "api" and "/v4/spreadsheets" in e["path"])
    drive = sum(1 for e in entries if e.get("kind") == "api" and e["path"].startswith("/drive/"))
    return sheets, drive


def cron_baseline(emulator: EmulatorProcess, folder: Path, jobs: int, rpm: int) -> dict[str, Any]:
    """One measured sync-all, and what every-5-minutes would cost and feel like."""
    emulator.reset_requests()
    started = time.monotonic()
    outcome = sync_all(folder, jobs=jobs, requests_per_minute=rpm)
    seconds = time.monotonic() - started
    sheets, drive = count(emulator.requests())
    failed = [run.client for run in outcome.runs if not run.ok]
    if failed:
        raise RuntimeError(f"the baseline sync-all failed for {failed}")
    # Replay the pool: each client starts when a worker is free, in config order.
    workers = [0.0] * jobs
    ends = []
    for run in outcome.runs:
        start = heapq.heappop(workers)
        ends.append(start + run.seconds)
        heapq.heappush(workers, start + run.seconds)
    draws = random.Random(7)
    latencies = [draws.uniform(0, CRON_PERIOD) + draws.choice(ends) for _ in range(DRAWS)]
    runs_per_hour = 3600 / CRON_PERIOD
    return {
        "run_seconds": round(seconds, 1),
        "sheets_requests_per_run": sheets,
        "drive_requests_per_run": drive,
        "sheets_requests_per_hour": round(sheets * runs_per_hour),
        "drive_requests_per_hour": round(drive * runs_per_hour),
        "latency_p50": round(percentile(latencies, 0.5), 1),
        "latency_p95": round(percentile(latencies, 0.95), 1),
    }


def checks_show(emulator: EmulatorProcess, key: str, marker: str) -> bool:
    try:
        body = emulator._call("GET", f"/_emulator/spreadsheets/{key}/values/チェック")
    except Exception:  # the tab may not exist yet
        return False
    return any(str(cell) == marker for row in body.get("values", []) for cell in row)


def run_edits(
    emulator: EmulatorProcess, keys: list[str], staff_key: Path, args: argparse.Namespace
) -> list[Edit]:
    """Staff edits at random times; returns them with their latencies."""
    draws = random.Random(11)
    chosen = draws.sample(range(len(keys)), args.edits)
    edits = [
        Edit(n, keys[n], f"12/{index + 1:02d}", draws.uniform(0, args.edit_window))
        for index, n in enumerate(chosen)
    ]
    edits.sort(key=lambda e: e.at)
    staff = emulator_client(emulator.host_port, staff_key)

    def type_all() -> None:
        opened = time.monotonic()
        for edit in edits:
            time.sleep(max(0.0, opened + edit.at - time.monotonic()))
            sheet = staff.open_by_key(edit.key).worksheet("証拠")
            row = [edit.marker, None, "会話", "迷い", "どれがいいの?", "棚の前", "", "佐藤"]
            sheet.update([row], "A20")
            edit.done = time.monotonic()

    typist = threading.Thread(target=type_all, name="staff")
    typist.start()
    deadline = time.monotonic() + args.edit_window + 180
    while time.monotonic() < deadline:
        pending = [e for e in edits if e.done is not None and e.visible is None]
        for edit in pending:
            if checks_show(emulator, edit.key, edit.marker):
                edit.visible = time.monotonic()
        if all(e.visible is not None for e in edits):
            break
        time.sleep(0.2)
    typist.join()
    return edits


def edit_after_quiet(
    emulator: EmulatorProcess,
    keys: list[str],
    staff_key: Path,
    edits: list[Edit],
    idle_interval: float,
) -> float | None:
    """One staff edit at a random moment of the slow poll cycle; its edit → Checks seconds."""
    draws = random.Random(13)
    edited = {e.client for e in edits}
    client = draws.choice([n for n in range(len(keys)) if n not in edited])
    edit = Edit(client, keys[client], "12/31", 0.0)
    time.sleep(draws.uniform(0, idle_interval))
    sheet = emulator_client(emulator.host_port, staff_key).open_by_key(edit.key).worksheet("証拠")
    row = [edit.marker, None, "会話", "迷い", "どれがいいの?", "棚の前", "", "佐藤"]
    sheet.update([row], "A20")
    edit.done = time.monotonic()
    deadline = edit.done + 180
    while time.monotonic() < deadline and edit.visible is None:
        if checks_show(emulator, edit.key, edit.marker):
            edit.visible = time.monotonic()
        time.sleep(0.2)
    return edit.latency


def measure_watch(
    emulator: EmulatorProcess,
    folder: Path,
    keys: list[str],
    staff_key: Path,
    args: argparse.Namespace,
) -> dict[str, Any]:
    schedule = Schedule(args.interval, args.debounce, args.idle_interval)
    watcher = Watcher(
        folder, schedule, jobs=args.jobs, requests_per_minute=args.requests_per_minute
    )
    stop = threading.Event()
    loop = threading.Thread(target=watcher.run_forever, args=(stop,), name="watch")
    loop.start()
    try:
        while watcher.polls == 0:
            time.sleep(0.05)
        edits = run_edits(emulator, keys, staff_key, args)
        time.sleep(args.interval + args.debounce)  # the syncs' own writes pass through a poll
        quiet_from = time.monotonic()
        while not watcher.idle():
            time.sleep(0.2)
        polls = watcher.polls
        while watcher.polls == polls:  # the first poll of the quiet spell
            time.sleep(0.05)
        waited_for_quiet = time.monotonic() - quiet_from
        syncs_before = watcher.status.sheets_syncs
        polls_before = watcher.polls
        emulator.reset_requests()
        time.sleep(args.idle)
        idle_sheets, idle_drive = count(emulator.requests())
        idle_polls = watcher.polls - polls_before
        idle_syncs = watcher.status.sheets_syncs - syncs_before
        after_quiet = edit_after_quiet(emulator, keys, staff_key, edits, schedule.quiet_interval)
    finally:
        stop.set()
        loop.join()
    latencies = [e.latency for e in edits if e.latency is not None]
    missing = [e.client for e in edits if e.latency is None]
    per_hour = 3600 / args.idle
    return {
        "edits": len(edits),
        "edits_not_seen": missing,
        "latencies": [round(x, 2) for x in latencies],
        "latency_p50": round(statistics.median(latencies), 1) if latencies else None,
        "latency_p95": round(percentile(latencies, 0.95), 1) if latencies else None,
        "syncs": syncs_before,
        "idle_interval": schedule.quiet_interval,
        "waited_for_quiet_seconds": round(waited_for_quiet, 1),
        "after_quiet_latency": round(after_quiet, 2) if after_quiet is not None else None,
        "idle_seconds": args.idle,
        "idle_polls": idle_polls,
        "idle_syncs": idle_syncs,
        "idle_sheets_requests": idle_sheets,
        "idle_drive_requests": idle_drive,
        "sheets_requests_per_hour": round(idle_sheets * per_hour),
        "drive_requests_per_hour": round(idle_drive * per_hour),
        "drive_requests_per_poll": round(idle_drive / idle_polls, 2) if idle_polls else None,
    }


def targets(watch: dict[str, Any], cron: dict[str, Any]) -> list[dict[str, Any]]:
    p95 = watch["latency_p95"]
    watch_total = watch["sheets_requests_per_hour"] + watch["drive_requests_per_hour"]
    cron_total = cron["sheets_requests_per_hour"] + cron["drive_requests_per_hour"]
    found = [
        ("edit → Checks p95 <= 30 s", p95, p95 is not None and p95 <= TARGET_P95),
        ("every edit showed", len(watch["edits_not_seen"]), not watch["edits_not_seen"]),
        (
            "first edit after a quiet spell <= 30 s",
            watch["after_quiet_latency"],
            watch["after_quiet_latency"] is not None and watch["after_quiet_latency"] <= TARGET_P95,
        ),
        (
            "idle: 0 Sheets requests",
            watch["idle_sheets_requests"],
            watch["idle_sheets_requests"] == 0,
        ),
        (
            "idle: <= 1 Drive request per poll",
            watch["drive_requests_per_poll"],
            (watch["drive_requests_per_poll"] or 0) <= 1,
        ),
        (
            "p95 >= 10x better than cron",
            round(cron["latency_p95"] / p95, 1) if p95 else None,
            bool(p95) and cron["latency_p95"] / p95 >= 10,
        ),
        (
            "idle Sheets requests >= 10x fewer than cron",
            "0 vs " + str(cron["sheets_requests_per_hour"]),
            watch["sheets_requests_per_hour"] * 10 <= cron["sheets_requests_per_hour"],
        ),
    ]
    ratio = cron_total / watch_total if watch_total else None
    found.append(
        (
            "idle API requests in all >= 10x fewer than cron (Drive's change feed included)",
            round(ratio, 1) if ratio is not None else None,
            ratio is None or ratio >= 10,
        )
    )
    rows = [{"target": name, "value": value, "met": met} for name, value, met in found]
    return rows


def print_table(watch: dict[str, Any], cron: dict[str, Any], found: list[dict[str, Any]]) -> None:
    print()
    print("| | watch (interval, debounce) | sync-all from cron every 5 min |")
    print("|---|---|---|")
    print(f"| edit → Checks p50 | {watch['latency_p50']} s | {cron['latency_p50']} s |")
    print(f"| edit → Checks p95 | {watch['latency_p95']} s | {cron['latency_p95']} s |")
    print(f"| first edit after a quiet spell | {watch['after_quiet_latency']} s | (as above) |")
    print(
        f"| Sheets requests per idle hour | {watch['sheets_requests_per_hour']} | "
        f"{cron['sheets_requests_per_hour']} |"
    )
    print(
        f"| Drive requests per idle hour | {watch['drive_requests_per_hour']} | "
        f"{cron['drive_requests_per_hour']} |"
    )
    print()
    for target in found:
        print(f"{'PASS' if target['met'] else 'FAIL'}  {target['target']}: {target['value']}")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--edits", type=int, default=10)
    parser.add_argument("--edit-window", type=float, default=90.0, help="seconds (90)")
    parser.add_argument("--idle", type=float, default=120.0, help="idle window, seconds (120)")
    parser.add_argument("--interval", type=float, default=10.0)
    parser.add_argument("--debounce", type=float, default=10.0)
    parser.add_argument("--idle-interval", type=float, default=None, help="(1.5 x --interval)")
    parser.add_argument("--latency-ms", type=int, default=150)
    parser.add_argument("--jobs", type=int, default=4)
    parser.add_argument("--requests-per-minute", type=int, default=600)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "watch_results.json")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(message)s")
    started = time.monotonic()
    load_at_start = os.getloadavg()
    emulator = EmulatorProcess()
    try:
        os.environ[EMULATOR_ENV] = emulator.host_port
        os.environ.pop("GOOGLE_APPLICATION_CREDENTIALS", None)
        with tempfile.TemporaryDirectory(prefix="sheets-sync-watch-bench-") as scratch:
            folder = Path(scratch)
            keys, staff_key = seed(emulator, folder, args.clients)
            emulator.set_latency(args.latency_ms)
            print(f"{args.clients} clients, {args.latency_ms} ms per request: sync-all baseline")
            cron = cron_baseline(emulator, folder, args.jobs, args.requests_per_minute)
            print(
                f"watch --interval {args.interval:g} --debounce {args.debounce:g}: "
                f"{args.edits} edits in {args.edit_window:g} s, then {args.idle:g} s idle"
            )
            watch = measure_watch(emulator, folder, keys, staff_key, args)
    finally:
        emulator.stop()
    found = targets(watch, cron)
    print_table(watch, cron, found)
    info = machine(load_at_start)
    info["date"] = datetime.now(UTC).isoformat(timespec="seconds")
    payload = {
        "machine": info,
        "settings": vars(args) | {"out": str(args.out)},
        "watch": watch,
        "cron_every_5_min": cron,
        "targets": found,
    }
    args.out.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n", "utf-8")
    print(
        f"\n{info['cpu']}, {info['cores']} cores, Python {info['python']}, {info['date']}; "
        f"load average {info['load_average_start'][0]} at start, "
        f"{info['load_average_end'][0]} at the end"
    )
    print(f"wrote {args.out} in {time.monotonic() - started:.0f} s")
    return 0 if all(t["met"] for t in found) else 1


if __name__ == "__main__":
    sys.exit(main())
