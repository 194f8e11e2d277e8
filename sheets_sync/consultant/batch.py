"""`sync-all`: every client config in a folder, run in parallel under one shared Google quota.

One client's failure never stops the others: each run is caught, classified (`Outcome`) and
shown as one row of a table. The exit code is the most pressing failure's (see
`EXIT_PRIORITY`). `run_client` is the one way a client is run unattended: `watch` calls it too.
"""

from __future__ import annotations

import hashlib
import logging
import re
import time
import unicodedata
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Final, Literal

from ..backends import Backend, open_backend
from ..config import Config, load_config
from ..core.report import Report
from ..errors import (
    EXIT_CONFIG,
    EXIT_LOCKED,
    EXIT_MAIL,
    EXIT_OK,
    EXIT_SHEET,
    ConfigError,
    SheetsSyncError,
    UsageError,
)
from ..run import journal
from ..run.sync import RunOptions, run
from ..sheet.schema import Lang
from ..util.display import table
from ..util.pacing import RateLimiter, RetryPolicy
from ..words.core import Words, count, in_language, join, say
from .outcome import EXIT_CRASHED, Outcome, RunEnd

log = logging.getLogger("sheets_sync")

PORTFOLIO_CONFIG: Final = "portfolio.toml"  # the consultant's settings, not a client
DEFAULT_JOBS: Final = 4
DEFAULT_REQUESTS_PER_MINUTE: Final = 60  # Google Sheets' default per-user read quota
QUOTA_WINDOW_SECONDS: Final = 60.0
# sync-all's table and summary cover every client whatever its language, so they are English.
TABLE_LANG: Final[Lang] = "en"
AGENDA_COLUMN: Final = say("table.agenda_this_run", TABLE_LANG)
MAX_SHARDS: Final = 1000
# Any count of digits: 1/99999999999999999999 is a K/N, only too large (said as such).
_SHARD: Final = re.compile(r"^([0-9]+)\s*/\s*([0-9]+)$")

# The exit code of a whole run is the first of these that any client (or follow-up) has:
#   3 a sheet could not be read or written — that client's Summary is stale (quota, sharing);
#   1 a run crashed unexpectedly — its sheet is stale too, and it is a bug to report;
#   2 a config is wrong — a person must edit a file before that client runs at all;
#   4 an agenda (or the portfolio mail) was not sent — the sheet is updated, the next run retries;
#   5 a client was locked — another run is doing that client's work, nothing is wrong.
EXIT_PRIORITY: Final[tuple[int, ...]] = (
    EXIT_SHEET,
    EXIT_CRASHED,
    EXIT_CONFIG,
    EXIT_MAIL,
    EXIT_LOCKED,
)


@dataclass
class ClientRun:
    """One client's row: what happened, its checks, the agenda, and how long it took."""

    config_path: Path
    client: str
    outcome: Outcome
    seconds: float = 0.0
    # Why it failed, or what it could not send: an error or a Phrase (words not yet in a
    # language, so the table shows it in English and the portfolio in its own), or text.
    problem: Words | None = None
    report: Report | None = None
    language: Lang | None = None
    agenda_sent_to: str | None = None
    agenda_error: Words | None = None
    api_requests: int = 0
    retries: int = 0
    config: Config | None = None  # once it loaded: the portfolio's time zone, links, meeting

    def __post_init__(self) -> None:
        self.outcome = Outcome(self.outcome)  # the words themselves are accepted too

    def ended(self, end: RunEnd) -> None:
        """Take how the run ended."""
        self.outcome, self.problem = end.outcome, end.problem
        self.report = end.report
        self.agenda_sent_to, self.agenda_error = end.agenda_sent_to, end.agenda_error

    @property
    def exit_code(self) -> int:
        return self.outcome.exit_code

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def message(self) -> str:
        """The problem as the table shows it (English, whatever the client's language)."""
        return in_language(self.problem, TABLE_LANG)

    @property
    def checks(self) -> str:
        if self.report is None:
            return "—"
        errors, warnings = len(self.report.errors), len(self.report.warnings)
        return f"{count('error', errors, 'en')}, {count('warning', warnings, 'en')}"

    @property
    def agenda(self) -> Literal["yes", "no", "failed"]:
        """Whether the review cycle's agenda has gone out (in this run or an earlier one)."""
        if self.agenda_error:
            return "failed"
        if self.agenda_sent_to or (self.report is not None and self.report.agenda.sent):
            return "yes"
        return "no"

    def log_line(self, key: str, agenda: str, **more: object) -> str:
        """The row as one line of the log (English), its problem after it: `key` is sync-all's
        or watch's words, `agenda` the column each shows, `more` what else its words name."""
        line = say(
            key,
            TABLE_LANG,
            client=self.client,
            outcome=self.outcome,
            checks=self.checks,
            agenda=agenda,
            seconds=f"{self.seconds:.1f}",
            **more,
        )
        message = self.message
        if message:
            line += say("table.and_problem", TABLE_LANG, problem=message)
        return line

    @property
    def agenda_this_run(self) -> str:
        """The table's column: sent *by this run* (yes), not sent now (no), failed, or —."""
        if self.agenda_error:
            return "failed"
        if self.agenda_sent_to:
            return "yes"
        return "no" if self.report is not None else "—"


@dataclass(frozen=True)
class Followup:
    """A step after the clients (e.g. the portfolio): a line under the table, maybe a failure."""

    what: str
    message: str
    exit_code: int = EXIT_OK

    @property
    def ok(self) -> bool:
        return self.exit_code == EXIT_OK


@dataclass
class BatchOutcome:
    """Every client's row, the shared quota's figures, and the run's exit code."""

    directory: Path
    runs: list[ClientRun]
    seconds: float = 0.0
    jobs: int = DEFAULT_JOBS
    requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE
    api_requests: int = 0  # Google API requests sent, retries included
    retries: int = 0  # of which retries after 429/5xx/timeouts
    peak_requests_per_minute: int = 0  # the most requests within any 60 s of this run
    followups: list[Followup] = field(default_factory=list)
    shard: Shard | None = None
    configs_in_folder: int = 0  # before sharding

    @property
    def failed(self) -> list[ClientRun]:
        return [run_ for run_ in self.runs if not run_.ok]

    @property
    def mean_requests_per_minute(self) -> float:
        return self.api_requests / self.seconds * 60 if self.seconds > 0 else 0.0

    @property
    def exit_code(self) -> int:
        codes = {run_.exit_code for run_ in self.runs} | {f.exit_code for f in self.followups}
        return next((code for code in EXIT_PRIORITY if code in codes), EXIT_OK)

    def table(self) -> str:
        """A plain-text table, aligned for Japanese names too, with why each failure failed."""
        lang = TABLE_LANG
        header = tuple(
            say(key, lang)
            for key in (
                "table.client",
                "table.outcome",
                "table.checks",
                "table.agenda_this_run",
                "table.duration",
            )
        )
        rows = [
            (run_.client, run_.outcome, run_.checks, run_.agenda_this_run, f"{run_.seconds:.1f}s")
            for run_ in self.runs
        ]
        lines = table(header, rows)
        for run_ in self.failed:
            failure = say(
                "table.failure",
                lang,
                client=run_.client,
                file=run_.config_path.name,
                message=run_.message,
            )
            lines.append(failure)
        lines.extend(
            say("table.followup", lang, what=f.what, message=f.message) for f in self.followups
        )
        lines.append(self.summary())
        return "\n".join(lines)

    def summary(self) -> str:
        """The run in one line (English: it covers every client, whatever their languages)."""
        lang = TABLE_LANG
        counts: dict[str, int] = {}
        for run_ in self.runs:
            counts[run_.outcome] = counts.get(run_.outcome, 0) + 1
        outcomes = [
            say("table.outcome_count", lang, n=n, outcome=outcome) for outcome, n in counts.items()
        ]
        parts = join(outcomes, lang) if outcomes else say("table.no_clients", lang)
        quota = (
            say(
                "table.quota",
                lang,
                requests=self.api_requests,
                retries=self.retries,
                peak=self.peak_requests_per_minute,
                limit=self.requests_per_minute,
            )
            if self.api_requests
            else ""
        )
        shard = (
            say("table.shard", lang, shard=self.shard, configs=self.configs_in_folder)
            if self.shard is not None
            else ""
        )
        return say(
            "table.summary",
            lang,
            clients=count("client", len(self.runs), lang),
            shard=shard,
            parts=parts,
            seconds=f"{self.seconds:.1f}",
            quota=quota,
            exit=self.exit_code,
        )


def client_configs(directory: Path) -> list[Path]:
    """Every client config in the folder, sorted; the consultant's portfolio.toml is not one."""
    return sorted(
        path
        for path in directory.glob("*.toml")
        if path.is_file() and path.name.lower() != PORTFOLIO_CONFIG
    )


@dataclass(frozen=True)
class Shard:
    """`--shard K/N`: this job takes the K-th of N stable parts of the client configs (1 ≤ K ≤ N).

    A config's part is a SHA-256 of its file name (NFC, so macOS and Linux agree) modulo N — not
    Python's `hash`, which is salted per process. The part depends on nothing but the name and N,
    so N independent jobs cover every client exactly once, and adding or removing a client never
    moves another one.
    """

    index: int
    count: int

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"

    def takes(self, path: Path) -> bool:
        return shard_of(path.name, self.count) == self.index


def shard_of(file_name: str, count: int) -> int:
    """The part (1…count) a config file name belongs to."""
    name = unicodedata.normalize("NFC", file_name)
    number = int.from_bytes(hashlib.sha256(name.encode("utf-8")).digest()[:8], "big")
    return number % count + 1


def _bounded(digits: str, ceiling: int) -> int:
    """The number the digits write, or `ceiling` when it is that or more."""
    digits = digits.lstrip("0") or "0"
    return ceiling if len(digits) > len(str(ceiling)) else min(int(digits), ceiling)


def parse_shard(text: str) -> Shard:
    """ "K/N" → Shard; anything else is a usage error (exit 2) that says what is expected."""
    match = _SHARD.match(text.strip())
    if match is None:
        raise UsageError("shard_format", shard=repr(text))
    # Compared as digits first: int() of a 5,000-digit number is refused by Python itself.
    index, count = (_bounded(match.group(n), MAX_SHARDS + 1) for n in (1, 2))
    if count > MAX_SHARDS:
        raise UsageError("shard_too_large", shard=repr(text), most=MAX_SHARDS)
    if not 1 <= count <= MAX_SHARDS:
        raise UsageError("shard_count", shard=repr(text), most=MAX_SHARDS)
    if not 1 <= index <= count:
        raise UsageError("shard_index", shard=repr(text), count=count)
    return Shard(index, count)


def sync_all(
    directory: Path,
    *,
    jobs: int = DEFAULT_JOBS,
    requests_per_minute: int = DEFAULT_REQUESTS_PER_MINUTE,
    as_of: date | None = None,
    policy: RetryPolicy | None = None,
    shard: Shard | None = None,
) -> BatchOutcome:
    """Sync every client in `directory` (or the shard's part of them) with `jobs` threads
    sharing one Google rate limit."""
    if jobs < 1:
        raise ConfigError("jobs_below_one", jobs=jobs)
    if requests_per_minute < 1:
        raise ConfigError("requests_per_minute_below_one", requests=requests_per_minute)
    every = client_configs(directory)
    paths = [path for path in every if shard is None or shard.takes(path)]
    limiter = RateLimiter(requests_per_minute, keep_times=True)
    options = RunOptions(as_of=as_of)
    started = time.monotonic()
    pool = ThreadPoolExecutor(max_workers=jobs, thread_name_prefix="sync-all")
    try:
        futures = [pool.submit(_run_one, path, options, limiter, policy) for path in paths]
        runs = [future.result() for future in futures]
    finally:
        # On Ctrl-C the clients already running finish (and release their locks); the queued
        # ones are not started.
        pool.shutdown(wait=True, cancel_futures=True)
    outcome = BatchOutcome(
        directory=directory,
        runs=runs,
        seconds=time.monotonic() - started,
        jobs=jobs,
        requests_per_minute=requests_per_minute,
        api_requests=sum(run_.api_requests for run_ in runs),
        retries=sum(run_.retries for run_ in runs),
        peak_requests_per_minute=limiter.peak(QUOTA_WINDOW_SECONDS),
        shard=shard,
        configs_in_folder=len(every),
    )
    log.log(logging.INFO if outcome.exit_code == EXIT_OK else logging.WARNING, outcome.summary())
    return outcome


def _run_one(
    path: Path, options: RunOptions, limiter: RateLimiter, policy: RetryPolicy | None
) -> ClientRun:
    """One client, and its line in the log."""
    row = run_client(path, options, limiter=limiter, policy=policy)
    # The table's column, not "has it ever gone out": a daily "agenda yes" in the cron log
    # would read as an agenda sent every morning.
    line = row.log_line("table.client_line", row.agenda_this_run)
    log.log(logging.INFO if row.ok else logging.ERROR, "%s", line)
    return row


def run_client(
    path: Path, options: RunOptions, *, limiter: RateLimiter, policy: RetryPolicy | None = None
) -> ClientRun:
    """One client's unattended run, start to end (`sync-all`'s and `watch`'s); every failure
    becomes the row's outcome, never an exception."""
    started = time.monotonic()
    row = ClientRun(path, path.stem, Outcome.CRASHED)
    backend: Backend | None = None
    config: Config | None = None
    try:
        config = load_config(path)
        row.client, row.language, row.config = config.client, config.language, config
        backend = open_backend(config, policy=policy, limiter=limiter)
        row.ended(RunEnd.from_result(run(config, options, backend=backend, announce=False)))
    except Exception as error:
        if not isinstance(error, SheetsSyncError):
            log.debug("%s crashed", path, exc_info=True)
        row.ended(RunEnd.from_error(error))
    finally:
        row.seconds = time.monotonic() - started
        if backend is not None:
            usage = backend.usage()
            row.api_requests, row.retries = usage.requests, usage.retries
    if row.report is None and config is not None:
        _sent_before_failing(row, config)
    return row


def _sent_before_failing(row: ClientRun, config: Config) -> None:
    """A run that failed after its agenda went out: the journal says so, and so does the row."""
    sent = journal.pending(config)
    if sent is not None:
        row.agenda_sent_to = sent.where
