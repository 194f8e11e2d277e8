"""The `sheets-sync` command line: every command has help, each command does what the spec's
table says, errors are one plain line with the spec's exit code and never a traceback, and
`--report` writes exactly the library's report."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from email import message_from_bytes, policy
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.errors import (
    EXIT_CHECK_ERRORS,
    EXIT_CONFIG,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_SHEET,
)
from sheets_sync.run.locking import client_lock
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.words.core import say
from tests.support.words import fixed_part, shows
from tests.support.workbooks import BASELINE_TODAY, baseline, config_file, write_xlsx

DUE_DAY = date(2026, 11, 21)
AS_OF = ["--as-of", BASELINE_TODAY.isoformat()]


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def assert_clean_failure(result: Result, code: int, *phrases: str) -> None:
    """Exit `code`, the phrases in the error output, no traceback anywhere."""
    assert result.exit_code == code, result.output
    for phrase in phrases:
        assert phrase in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


@pytest.fixture
def client(tmp_path: Path) -> Path:
    """A valid baseline workbook and its config."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    return config_file(tmp_path)


@pytest.fixture
def spoilt(tmp_path: Path) -> Path:
    """The baseline with one error (a value that is not a number)."""
    tabs = baseline()
    tabs["KPI記録"][2][2] = "たくさん"
    write_xlsx(tmp_path / "book.xlsx", tabs)
    return config_file(tmp_path)


# -- help --------------------------------------------------------------------------------------
def test_every_command_has_help() -> None:
    """`sheets-sync COMMAND --help` exits 0 for every command and shows its usage and its own
    one-line description."""
    assert set(main.commands) >= {
        "demo",
        "new-client",
        "check",
        "sync",
        "agenda",
        "sync-all",
        "doctor",
        "upgrade",
    }
    for name, command in main.commands.items():
        result = invoke(name, "--help")
        assert result.exit_code == EXIT_OK, (name, result.output)
        assert f" {name} [OPTIONS]" in result.output, result.output
        assert command.help, name
        first_line = command.help.splitlines()[0].strip()
        assert first_line[:40] in " ".join(result.output.split()), (name, result.output)


def test_every_option_says_what_it_does() -> None:
    """Every option of every command has a help text in `--help`."""
    missing = [
        f"{name} --{param.name}"
        for name, command in main.commands.items()
        for param in command.params
        if isinstance(param, click.Option) and not param.help
    ]
    assert missing == []


def test_the_group_has_help_and_a_version() -> None:
    """`sheets-sync --help` lists the commands; `--version` prints the version."""
    result = invoke("--help")
    assert result.exit_code == EXIT_OK
    for name in ("demo", "check", "sync", "agenda", "new-client"):
        assert name in result.output
    version = invoke("--version")
    assert version.exit_code == EXIT_OK and "sheets-sync" in version.output


def test_python_dash_m_runs_the_command_line(tmp_path: Path) -> None:
    """`python -m sheets_sync --help` works in a separate process."""
    done = subprocess.run(
        [sys.executable, "-m", "sheets_sync", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout and "sync" in done.stdout


# -- demo, new-client --------------------------------------------------------------------------
@pytest.mark.parametrize("lang", ["ja", "en"])
def test_demo_makes_a_client_syncs_and_writes_one_agenda(tmp_path: Path, lang: str) -> None:
    """`demo --dir D`: the workbook (with generated tabs), the config and exactly one .eml in
    the outbox; the output says where each one is."""
    folder = tmp_path / "demo"
    result = invoke("demo", "--dir", str(folder), "--lang", lang)
    assert result.exit_code == EXIT_OK, result.output
    configs = list(folder.glob("*.toml"))
    workbooks = list(folder.glob("*.xlsx"))
    emails = list((folder / "outbox").glob("*.eml"))
    assert len(configs) == len(workbooks) == len(emails) == 1
    for made in (configs[0], workbooks[0], emails[0]):
        assert str(made) in result.stdout
    summary, no_errors = ("サマリー", "エラー0件") if lang == "ja" else ("Summary", "0 errors")
    assert summary in result.stdout and no_errors in result.stdout
    titles = load_workbook(workbooks[0], read_only=True).sheetnames
    assert ("サマリー" if lang == "ja" else "Summary") in titles
    message = message_from_bytes(emails[0].read_bytes(), policy=policy.default)
    assert ("15分ミーティング" if lang == "ja" else "15-minute meeting") in str(message["Subject"])
    again = invoke("demo", "--dir", str(folder), "--lang", lang)
    assert again.exit_code == EXIT_OK  # a second demo in the same folder starts over


def test_new_client_with_sample_data(tmp_path: Path) -> None:
    """`new-client NAME --sample --config-dir D` writes D/<slug>.toml and D/<slug>.xlsx; the
    config loads, the workbook syncs without errors; a second call refuses to overwrite."""
    folder = tmp_path / "clients"
    result = invoke(
        "new-client", "Blue Cafe", "--sample", "--config-dir", str(folder), "--lang", "en"
    )
    assert result.exit_code == EXIT_OK, result.output
    config_path = folder / "blue-cafe.toml"
    workbook = folder / "blue-cafe.xlsx"
    assert config_path.is_file() and workbook.is_file()
    assert str(config_path) in result.stdout and "sheets-sync sync --config" in result.stdout
    config = load_config(config_path)
    assert config.client == "Blue Cafe" and config.workbook_path() == workbook.resolve()
    titles = load_workbook(workbook, read_only=True).sheetnames
    assert {"KPIs", "Cycles", "KPI values", "Evidence"} <= set(titles)
    check = invoke("check", "--config", str(config_path))
    assert check.exit_code == EXIT_OK, check.output
    again = invoke("new-client", "Blue Cafe", "--config-dir", str(folder))
    assert_clean_failure(again, EXIT_CONFIG, fixed_part("error.file_exists", "ja"))


def test_new_client_keeps_a_japanese_name_in_the_slug(tmp_path: Path) -> None:
    """A Japanese client name becomes a file name that keeps its characters."""
    result = invoke("new-client", "さくら 珈琲", "--config-dir", str(tmp_path))
    assert result.exit_code == EXIT_OK, result.output
    assert (tmp_path / "さくら-珈琲.toml").is_file() and (tmp_path / "さくら-珈琲.xlsx").is_file()


# -- check -------------------------------------------------------------------------------------
def test_check_exits_0_on_a_clean_sheet(client: Path) -> None:
    """No error-level check: exit 0, "0 errors" printed (in the client's Japanese)."""
    result = invoke("check", "--config", str(client), *AS_OF)
    assert result.exit_code == EXIT_OK, result.output
    assert result.stdout.startswith("エラー0件")


def test_check_exits_1_with_an_error_and_names_it(spoilt: Path) -> None:
    """One not_a_number error: exit 1, the code, the tab and the row printed; the Checks tab
    is written and no agenda is sent even on the due day."""
    result = invoke("check", "--config", str(spoilt), "--as-of", DUE_DAY.isoformat())
    assert result.exit_code == EXIT_CHECK_ERRORS, result.output
    assert "エラー1件" in result.stdout
    assert "not_a_number" in result.stdout and "KPI記録 3行目" in result.stdout
    book = load_workbook(spoilt.parent / "book.xlsx")
    assert "not_a_number" in [c.value for row in book["チェック"].iter_rows() for c in row]
    assert not (spoilt.parent / "outbox").exists()


# -- sync and its JSON report ------------------------------------------------------------------
SPEC_KEYS = {
    "report": {
        "client",
        "language",
        "generated_at",
        "review_cycle",
        "current_cycle",
        "cycles",
        "kpis",
        "evidence",
        "checks",
        "agenda",
    },
    "cycle": {
        "cycle",
        "start",
        "end",
        "status",
        "hypothesis",
        "change",
        "learning",
        "next_step",
        "step_done",
    },
    "kpi": {"id", "name", "layer", "direction", "unit", "target", "auto", "values", "latest"},
    "value": {"cycle", "value"},
    "latest": {
        "cycle",
        "value",
        "previous_cycle",
        "previous",
        "delta",
        "delta_pct",
        "judgement",
        "target_met",
        "streak",
        "doubted",
    },
    "evidence": {"cycle", "counts", "positive", "negative", "net", "net_delta", "thin"},
    "counts": {"hesitation", "anxiety", "conviction", "relief", "shorter", "other"},
    "check": {"severity", "code", "tab", "row", "column", "value", "message"},
    "agenda": {
        "cycle",
        "due",
        "sent",
        "sent_at",
        "reminder_sent",
        "reminder_sent_at",
        "follow_up",
        "follow_up_sent_at",
        "chat",
    },
}


def test_sync_report_equals_the_library_report(spoilt: Path, tmp_path: Path) -> None:
    """`sync --report FILE.json` writes the same JSON as `Report.to_json()` computed by the
    library for the same input and day (all but generated_at, which is the clock's), with
    exactly the spec's keys at every level."""
    expected = run(
        load_config(spoilt), RunOptions(as_of=BASELINE_TODAY, dry_run=True, no_agenda=True)
    ).report.to_json()
    report_path = tmp_path / "reports" / "today.json"
    result = invoke(
        "sync", "--config", str(spoilt), *AS_OF, "--no-agenda", "--report", str(report_path)
    )
    assert result.exit_code == EXIT_OK, result.output  # data errors do not fail a sync
    written = json.loads(report_path.read_text(encoding="utf-8"))
    assert written.pop("generated_at")[19:] == expected.pop("generated_at")[19:] == "+09:00"
    assert written == json.loads(json.dumps(expected))

    report = json.loads(report_path.read_text(encoding="utf-8"))
    assert set(report) == SPEC_KEYS["report"]
    assert report["cycles"] and report["kpis"] and report["evidence"] and report["checks"]
    assert all(set(c) == SPEC_KEYS["cycle"] for c in report["cycles"])
    for kpi in report["kpis"]:
        assert set(kpi) == SPEC_KEYS["kpi"]
        # A value the sync doubts also says so (`"doubted": true`), for the trend to skip it;
        # an evidence count carries its cycle's total (it is judged on its share).
        evidence_count = (kpi["auto"] or "").startswith("evidence:")
        extra = {"doubted", "total"} if evidence_count else {"doubted"}
        assert all(set(v) - extra == SPEC_KEYS["value"] for v in kpi["values"])
        assert all(v.get("doubted", True) is True for v in kpi["values"])
        assert all(("total" in v) == evidence_count for v in kpi["values"])
        if kpi["latest"] is not None:
            added = {"total", "previous_total"} if evidence_count else set()
            added |= {"unreadable_rows"} & set(kpi["latest"])
            assert set(kpi["latest"]) == SPEC_KEYS["latest"] | added
    for entry in report["evidence"]:
        # `unreadable_rows`: the cycle lost evidence rows to an error (its counts are doubted).
        assert set(entry) - {"unreadable_rows"} == SPEC_KEYS["evidence"]
        assert set(entry["counts"]) == SPEC_KEYS["counts"]
    assert all(set(c) == SPEC_KEYS["check"] for c in report["checks"])
    assert set(report["agenda"]) == SPEC_KEYS["agenda"]
    assert {"code": "not_a_number", "tab": "values", "row": 3, "column": "value"}.items() <= (
        report["checks"][0].items()
    )


def test_sync_sends_the_agenda_when_due_and_says_so(client: Path) -> None:
    """On the due day `sync` exits 0 and prints where the agenda went; the next run says it
    was already sent."""
    first = invoke("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    assert first.exit_code == EXIT_OK, first.output
    assert shows(first.stdout, "run.agenda_sent", "ja") and ".eml" in first.stdout
    second = invoke("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    assert second.exit_code == EXIT_OK
    assert shows(second.stdout, "run.skip_already_sent", "ja")


def test_sync_dry_run_writes_and_sends_nothing(client: Path) -> None:
    """`--dry-run` on the due day: exit 0, says so, the file is byte-for-byte the same."""
    workbook = client.parent / "book.xlsx"
    before = workbook.read_bytes()
    result = invoke("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat(), "--dry-run")
    assert result.exit_code == EXIT_OK and say("run.dry_run", "ja") in result.stdout
    assert workbook.read_bytes() == before and not (client.parent / "outbox").exists()


def test_another_run_holding_the_lock_is_exit_5(client: Path) -> None:
    """While another run holds the client's lock, `sync` does nothing and exits 5."""
    workbook = client.parent / "book.xlsx"
    before = workbook.read_bytes()
    with client_lock(load_config(client)):
        result = invoke("sync", "--config", str(client), *AS_OF)
    assert_clean_failure(result, EXIT_LOCKED, fixed_part("error.client_busy", "ja"))
    assert workbook.read_bytes() == before


def test_a_missing_workbook_is_exit_3(tmp_path: Path) -> None:
    """The config points at a workbook that is not there: exit 3 naming it."""
    config_path = config_file(tmp_path, workbook="gone.xlsx")
    assert_clean_failure(invoke("sync", "--config", str(config_path)), EXIT_SHEET, "gone.xlsx")


# -- config and usage errors -------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "phrases"),
    [
        ('client = "x"\n[sheet\nbackend = "xlsx"\n', ["not valid TOML"]),
        ('client = "x"\n[sheet]\npath = "b.xlsx"\n[mail]\nform = "a@b"\n', ["'mail.form'"]),
        ('client = "x"\n[sheet]\nbackend = "xlsx"\n', ["sheet", "path"]),
        ('client = "x"\nlanguage = "fr"\n[sheet]\npath = "b.xlsx"\n', ["language"]),
        ('client = "x"\n[sheet]\npath = "b.xlsx"\n[meeting]\nminutes = "a lot"\n', ["minutes"]),
        (
            'client = "x"\n[sheet]\npath = "b.xlsx"\n[meeting]\nsend_days_before = -1\n',
            ["meeting.send_days_before"],
        ),
        (
            'client = "x"\n[sheet]\npath = "b.xlsx"\n[meeting]\nminutes = 15\n'
            'sections = [{ key = "kpis", minutes = 10 }]\n',
            ["meeting.sections", "10", "15"],
        ),
        (
            'client = "x"\n[sheet]\npath = "b.xlsx"\n[meeting]\nminutes = 15\n'
            'sections = [{ key = "kpis", minutes = 15 }]\n',
            ["meeting.sections", '"learning"', fixed_part("config.sections_deciding", "ja")],
        ),
        (
            'client = "x"\n[sheet]\npath = "b.xlsx"\n[meeting]\nminutes = 15\n'
            'sections = [{ key = "learning", minutes = 15 }, { key = "next_step", minutes = 0 }]\n',
            ["meeting.sections", '"next_step"'],
        ),
        ('client = "x"\ntimezone = "Mars/Olympus"\n[sheet]\npath = "b.xlsx"\n', ["timezone"]),
    ],
    ids=[
        "bad-toml",
        "unknown-key",
        "missing-key",
        "bad-choice",
        "wrong-type",
        "out-of-range",
        "sections",
        "sections-without-learning",
        "sections-next-step-0-minutes",
        "timezone",
    ],
)
@pytest.mark.parametrize("command", ["check", "sync", "agenda", "upgrade"])
def test_a_config_error_is_exit_2_naming_the_file_and_the_key(
    tmp_path: Path, text: str, phrases: list[str], command: str
) -> None:
    """A wrong config is one line on stderr naming the file and the key, exit 2, no
    traceback — for every command that takes --config."""
    path = tmp_path / "broken.toml"
    path.write_text(text, encoding="utf-8")
    extra = ["--out", str(tmp_path / "a.txt")] if command == "agenda" else []
    result = invoke(command, "--config", str(path), *extra)
    assert_clean_failure(result, EXIT_CONFIG, "broken.toml", *phrases)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


def test_a_missing_config_file_is_exit_2(tmp_path: Path) -> None:
    """`--config nowhere.toml`: exit 2 saying the file was not found."""
    result = invoke("sync", "--config", str(tmp_path / "nowhere.toml"))
    assert_clean_failure(result, EXIT_CONFIG, "nowhere.toml", "not found")


@pytest.mark.parametrize("command", ["check", "sync", "agenda"])
@pytest.mark.parametrize("value", ["2026-13-01", "tomorrow", "11/23", "9999-12-31", "0001-01-01"])
def test_as_of_must_be_a_date(client: Path, command: str, value: str) -> None:
    """`--as-of` that is not a date a sheet could hold is a usage error (exit 2) naming the
    option (9999-12-31 too: no OverflowError)."""
    extra = ["--out", str(client.parent / "a.txt")] if command == "agenda" else []
    result = invoke(command, "--config", str(client), "--as-of", value, *extra)
    assert result.exit_code == EXIT_CONFIG
    assert "--as-of" in result.stderr and value in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_option_is_exit_2(client: Path) -> None:
    """A typo in an option is click's usage error, exit 2."""
    result = invoke("sync", "--config", str(client), "--no-agneda")
    assert result.exit_code == EXIT_CONFIG and "No such option" in result.stderr


# -- agenda ------------------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".txt", ".html", ".eml"])
def test_agenda_out_writes_each_format(client: Path, suffix: str) -> None:
    """`agenda --out FILE` writes plain text, standalone HTML (pictures inlined) or a whole
    message, for the review cycle; nothing is sent and the workbook is not touched."""
    workbook = client.parent / "book.xlsx"
    before = workbook.read_bytes()
    out = client.parent / "agendas" / f"next{suffix}"
    out.parent.mkdir()
    result = invoke(
        "agenda", "--config", str(client), "--as-of", DUE_DAY.isoformat(), "--out", str(out)
    )
    assert result.exit_code == EXIT_OK, result.output
    assert shows(result.stdout, "run.agenda_written", "ja") and "サイクル2" in result.stdout
    assert str(out) in result.stdout
    data = out.read_bytes()
    subject = "[テスト店] 15分ミーティング 11月22日(日) — サイクル2"
    if suffix == ".txt":
        assert data.decode("utf-8").startswith(subject)
    elif suffix == ".html":
        html = data.decode("utf-8")
        assert "<html" in html.lower() and "cid:" not in html and "data:image/png;base64," in html
    else:
        message = message_from_bytes(data, policy=policy.default)
        assert message["Subject"] == subject and message.get_body(("html",)) is not None
    assert workbook.read_bytes() == before and not (client.parent / "outbox").exists()


def test_agenda_for_a_chosen_cycle(client: Path) -> None:
    """`--cycle 1` renders cycle 1's agenda whatever the review cycle is."""
    out = client.parent / "one.txt"
    result = invoke("agenda", "--config", str(client), "--cycle", "1", "--out", str(out))
    assert result.exit_code == EXIT_OK, result.output
    assert out.read_text(encoding="utf-8").startswith("[テスト店] 15分ミーティング 11月8日(日)")


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["--out", "agenda.pdf"], fixed_part("error.agenda_out_suffix", "ja")),
    ],
    ids=["pdf"],
)
def test_agenda_usage_errors_are_exit_2(client: Path, args: list[str], phrase: str) -> None:
    """`agenda` with an --out it cannot write is exit 2 with a hint."""
    result = invoke("agenda", "--config", str(client), *args)
    assert result.exit_code == EXIT_CONFIG, result.output
    assert phrase in result.stderr and "Traceback" not in result.output


def test_agenda_send_records_it_so_sync_does_not_resend(client: Path) -> None:
    """`agenda --send` on the due day delivers it and logs it: the day's `sync` sends none."""
    send = invoke("agenda", "--config", str(client), "--as-of", DUE_DAY.isoformat(), "--send")
    assert send.exit_code == EXIT_OK, send.output
    assert shows(send.stdout, "run.agenda_sent_now", "ja")
    sync = invoke("sync", "--config", str(client), "--as-of", DUE_DAY.isoformat())
    assert sync.exit_code == EXIT_OK and shows(sync.stdout, "run.skip_already_sent", "ja")
    assert len(list((client.parent / "outbox").glob("*.eml"))) == 1


def _cron_run(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    """`sheets-sync [flags] sync …` in a real process, as cron runs it."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    config = config_file(tmp_path)
    command = [sys.executable, "-m", "sheets_sync", *flags, "sync", "--config", str(config),
               "--as-of", BASELINE_TODAY.isoformat(), "--no-agenda"]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_cron_gets_one_log_line_per_run_on_stderr_and_in_the_log_file(tmp_path: Path) -> None:
    """A run logs one line naming the client and what happened, on stderr and in --log-file."""
    log_file = tmp_path / "sync.log"
    done = _cron_run(tmp_path, "--log-file", str(log_file))
    assert done.returncode == 0
    lines = [line for line in done.stderr.splitlines() if "テスト店" in line]
    assert len(lines) == 1 and "ふり返るサイクル1" in lines[0] and "INFO" in lines[0]
    assert log_file.read_text(encoding="utf-8").strip().endswith(lines[0].split(" INFO ")[1])


def test_quiet_keeps_stderr_for_problems_only(tmp_path: Path) -> None:
    """--quiet: a run with nothing wrong says nothing on stderr (cron mails only trouble)."""
    done = _cron_run(tmp_path, "--quiet")
    assert done.returncode == 0 and done.stderr == ""


# -- --report onto a device ------------------------------------------------------------------------
@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
@pytest.mark.parametrize("command", ["check", "sync"])
def test_report_onto_a_device_says_it_is_no_regular_file(tmp_path: Path, command: str) -> None:
    """`--report /dev/full`: exit 2, saying it is not a regular file (it used to say "a
    folder"), and nothing is written or synced."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    config = config_file(tmp_path, language="en")
    before = (tmp_path / "book.xlsx").read_bytes()
    result = CliRunner().invoke(main, [command, "--config", str(config), "--report", "/dev/full"])
    assert result.exit_code == 2, result.output
    assert shows(result.output, "error.output_not_a_file", "en") and "folder" not in result.output
    assert (tmp_path / "book.xlsx").read_bytes() == before
