"""Every time a consultant reads says its zone: for a client in Asia/Tokyo, nothing the tool
prints or writes for a person (standard output, the log lines on standard error and in
--log-file, the portfolio, `status`, the Log tab's time column) holds a time without its zone,
nor `+0000` or `UTC`. A client's own output is in the client's zone even when the machine runs
in UTC (cron's usual zone); what spans clients is in this machine's zone, named.
"""

from __future__ import annotations

import logging
import os
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import tzlocal
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_sync import api
from sheets_sync.cli import main
from sheets_sync.consultant import watch_status
from sheets_sync.sheet import schema
from sheets_sync.util.zones import ZonedFormatter, labelled, logging_in
from tests.support.words import page_text

TOKYO = "Asia/Tokyo"
SetZone = Callable[[str], None]

# A time of day (not an offset's own digits), then what may follow it to say its zone: an
# offset (+0900, +09:00), a zone's name in brackets ((Asia/Tokyo)), a zone in words as
# people read it ((日本時間), (Japan time), (協定世界時)), an abbreviation (JST), or "in each
# client's zone".
TIME = re.compile(r"(?<![\d:+\-])\d{1,2}:\d{2}(?::\d{2})?(?![\d:])")
ZONE_AFTER = re.compile(
    r"(?:\s?[+-]\d{2}:?\d{2}"
    r"|\s?\((?!UTC)[A-Z][A-Za-z_]+/[A-Za-z_/+\-0-9]+\)"
    r"|\s?\((?:日本時間|協定世界時|[A-Za-z_/]+時間|[A-Z][A-Za-z_/]* time)\)"
    r"|\s(?!UTC\b)[A-Z]{2,5}\b"
    r"| in each client's zone)"
)


def unzoned_times(text: str) -> list[str]:
    """Each time in `text` that is not followed by its zone, with a little context."""
    return [
        text[max(0, m.start() - 30) : m.end() + 20]
        for m in TIME.finditer(text)
        if not ZONE_AFTER.match(text, m.end())
    ]


def assert_zoned(text: str, where: str) -> None:
    assert "+0000" not in text and "+00:00" not in text, (where, text)
    assert "UTC" not in text, (where, text)
    assert not unzoned_times(text), (where, unzoned_times(text))


@pytest.fixture
def machine_zone_is() -> Iterator[SetZone]:
    """Set this machine's zone (the TZ variable, as cron or a container sets it) for the test."""
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()
        tzlocal.reload_localzone()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()
    tzlocal.reload_localzone()


def _invoke(*args: str) -> Result:
    result = CliRunner().invoke(main, list(args))
    assert "Traceback" not in result.output + result.stderr, result.stderr
    return result


def _said(result: Result) -> str:
    return result.stdout + result.stderr


def _log_tab(workbook: Path) -> str:
    """The Log tab's cells, one row a line."""
    sheet = load_workbook(workbook)[schema.LOG.title("ja")]
    rows = sheet.iter_rows(values_only=True)
    return "\n".join(" | ".join("" if v is None else str(v) for v in row) for row in rows)


# -- the checker ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "unzoned"),
    [
        ("2026-12-07T21:00:05+0900 INFO さくら珈琲: ok", 0),
        ("作成:2026-12-07 21:00 (Asia/Tokyo)", 0),
        ("last poll: 2026-12-07 21:00:05 JST (4s ago)", 0),
        ("daily at 07:00 in each client's zone", 0),
        ("送信日時 2026-12-07T21:00:05+09:00", 0),
        ("前回の同期 2026-12-07 21:00", 1),
        ("last sync 2026-12-07 12:00:05", 1),
        ("daily at 07:00", 1),
    ],
)
def test_the_checker_tells_a_zoned_time_from_a_bare_one(text: str, unzoned: int) -> None:
    """The test's own eye: an offset, a named zone or an abbreviation counts; a bare time not."""
    assert len(unzoned_times(text)) == unzoned, unzoned_times(text)


@pytest.mark.parametrize("text", ["12:00 (UTC+0000)", "2026-12-07T12:00:05+0000 INFO x"])
def test_the_checker_refuses_utc_for_a_client_in_tokyo(text: str) -> None:
    """A UTC time is refused even with its offset: the client reads Tokyo time."""
    with pytest.raises(AssertionError):
        assert_zoned(text, "example")


# -- one client, cron in UTC ----------------------------------------------------------------------


def test_a_tokyo_clients_commands_say_tokyo_time_on_a_machine_in_utc(
    tmp_path: Path, machine_zone_is: SetZone
) -> None:
    """demo, sync (its agenda already sent: "sent at …"), check, agenda --out and doctor for the
    demo client, with the machine in UTC: their output, their log lines (standard error and
    --log-file) and the Log tab say Tokyo times with their zone, never UTC."""
    machine_zone_is("UTC")
    folder = tmp_path / "demo"
    log_file = tmp_path / "sheets-sync.log"
    logged = ("--log-file", str(log_file))
    demo = _invoke(*logged, "demo", "--dir", str(folder))
    assert demo.exit_code == 0, demo.output
    config = str(folder / "sakura.toml")
    sync = _invoke(*logged, "sync", "--config", config)
    assert sync.exit_code == 0 and "(日本時間)に送信済み" in sync.stdout, sync.stdout  # "sent at"
    runs = [
        demo,
        sync,
        _invoke(*logged, "check", "--config", config),
        _invoke(*logged, "agenda", "--config", config, "--out", str(tmp_path / "a.eml")),
        _invoke(*logged, "doctor", "--config", config),
    ]
    for result in runs:
        assert_zoned(_said(result), "standard output and error")
    assert re.search(r"T\d{2}:\d{2}:\d{2}\+0900 INFO", sync.stderr), sync.stderr
    written = log_file.read_text(encoding="utf-8")
    assert written.count("+0900 INFO") >= 3, written
    assert_zoned(written, "--log-file")
    assert_zoned(_log_tab(folder / "sakura.xlsx"), "the Log tab")


# -- many clients: this machine's zone, named ---------------------------------------------------


def _status_file(directory: Path, now: datetime) -> None:
    """What a watch writes, its clock in UTC: times with a +00:00 offset."""
    at = [
        (now - timedelta(minutes=m)).astimezone(UTC).isoformat(timespec="seconds")
        for m in (0, 2, 60)
    ]
    state = watch_status.ClientState(
        "sakura.toml", "さくら珈琲", "xlsx", last_sync=at[1], trigger="edit", result="ok",
        exit_code=0, next_retry=at[0], pending_since=at[1],
    )  # fmt: skip
    status = watch_status.WatchStatus(
        pid=os.getpid(), started=at[2], last_poll=at[0], interval=10, idle_interval=15,
        debounce=10, daily_at="07:00", clients={"sakura.toml": state},
    )  # fmt: skip
    watch_status.save(directory, status)


def test_what_spans_clients_says_this_machines_zone_by_name(
    tmp_path: Path, machine_zone_is: SetZone
) -> None:
    """A consultant's machine in Tokyo: sync-all's table and log lines, the portfolio (page and
    CSV) and `status` (from a status file a UTC clock wrote) show Tokyo times, each zoned."""
    machine_zone_is(TOKYO)
    folder = tmp_path / "clients"
    api.demo(folder)
    done = _invoke("sync-all", str(folder))
    assert done.exit_code == 0, done.output
    assert_zoned(_said(done), "sync-all")
    page = (folder / "portfolio.html").read_text(encoding="utf-8")
    assert "(日本時間)" in page  # the page made, the last update: in words (GLOSSARY)
    assert_zoned(page_text(page), "portfolio.html")
    assert_zoned((folder / "portfolio.csv").read_text(encoding="utf-8-sig"), "portfolio.csv")
    _status_file(folder, datetime.now(UTC))
    status = _invoke("status", str(folder))
    assert status.exit_code == 0, status.output
    assert " JST" in status.stdout and "in each client's zone" in status.stdout
    assert_zoned(_said(status), "status")


def test_the_portfolio_on_a_machine_in_utc_names_utc_or_the_consultants_zone(
    tmp_path: Path, machine_zone_is: SetZone
) -> None:
    """Without portfolio.toml the page's own time is this machine's, its zone named (a server
    in UTC says so in words, never "UTC+0000"); with a `timezone` there, that zone."""
    machine_zone_is("UTC")
    folder = tmp_path / "clients"
    api.demo(folder)
    assert _invoke("sync-all", str(folder)).exit_code == 0
    page = (folder / "portfolio.html").read_text(encoding="utf-8")
    assert re.search(r"作成：\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}\(協定世界時\)", page), page
    assert "UTC+0000" not in page and "+0000" not in page
    (folder / "portfolio.toml").write_text(
        '[portfolio]\nto = ["me@example.jp"]\ntimezone = "Asia/Tokyo"\n\n'
        '[mail]\ntransport = "outbox"\nfrom = "kpi@example.jp"\n',
        encoding="utf-8",
    )
    assert _invoke("sync-all", str(folder)).exit_code == 0
    page = (folder / "portfolio.html").read_text(encoding="utf-8")
    assert_zoned(page_text(page), "portfolio.html with portfolio.toml")


# -- the parts ----------------------------------------------------------------------------------


def test_a_time_is_shown_in_its_zone_with_the_zone_named() -> None:
    """labelled(): the moment in the zone, the zone's name after it; a time with no zone of
    its own is taken as already in that zone."""
    tokyo = ZoneInfo(TOKYO)
    moment = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert labelled(moment, tokyo) == "2026-12-07 21:00 (Asia/Tokyo)"
    assert labelled(datetime(2026, 12, 7, 21, 0), tokyo) == "2026-12-07 21:00 (Asia/Tokyo)"


def test_log_lines_inside_a_clients_block_are_stamped_in_its_zone() -> None:
    """logging_in(zone): the formatter stamps a record with the client's offset."""
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "hello", None, None)
    record.created = datetime(2026, 12, 7, 12, 0, 5, tzinfo=UTC).timestamp()
    formatter = ZonedFormatter("%(asctime)s %(message)s")
    with logging_in(ZoneInfo(TOKYO)):
        assert formatter.format(record) == "2026-12-07T21:00:05+0900 hello"
