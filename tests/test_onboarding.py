"""Onboarding a client: new-client with its own addresses and meeting time, the next steps it
prints, the demo that never overwrites silently and reviews tomorrow's meeting, and config/."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from datetime import date, timedelta
from email import message_from_bytes, policy
from pathlib import Path

import icalendar
import pytest
from click.testing import CliRunner, Result

from sheets_sync import api
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.consultant.portfolio.digest import load_settings
from sheets_sync.core.when import day_words
from sheets_sync.errors import UsageError
from sheets_sync.words.core import say
from tests.fake_google import FakeGoogle
from tests.fake_google.client import make_service_account_file
from tests.support.google import SERVICE_EMAIL
from tests.support.words import shows

REPO = Path(__file__).resolve().parents[1]
TODAY = date(2026, 12, 2)


def invoke(*args: str, input: str | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), input=input)
    assert "Traceback" not in result.output
    return result


def test_new_client_writes_its_own_addresses_and_meeting_time(tmp_path: Path) -> None:
    """--to (twice), --from, --cc and --meeting-time land in the config; doctor is all ✓; the
    printed next steps name this client's files and no placeholder step."""
    folder = tmp_path / "clients"
    result = invoke(
        "new-client", "梅の湯", "--config-dir", str(folder),
        "--to", "staff@umenoyu.co.jp", "--to", "店長 <owner@umenoyu.co.jp>",
        "--from", "kpi@umenoyu.co.jp", "--cc", "me@consult.co.jp", "--meeting-time", "18:30",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    config = load_config(folder / "梅の湯.toml")
    assert config.mail.to == ("staff@umenoyu.co.jp", "店長 <owner@umenoyu.co.jp>")
    assert config.mail.sender == "kpi@umenoyu.co.jp" and config.mail.cc == ("me@consult.co.jp",)
    assert config.meeting.time == "18:30"
    out = result.stdout
    assert f"sheets-sync doctor --config {folder / '梅の湯.toml'}" in out
    assert f"sheets-sync sync --config {folder / '梅の湯.toml'}" in out
    # a Japanese client's next steps are in Japanese (the KPI step, the --path hint, and no
    # step asking for real addresses)
    assert "「KPI」タブ" in out and "--path" in out and "本当のメールアドレス" not in out
    doctor = invoke("doctor", "--config", str(folder / "梅の湯.toml"))
    assert doctor.exit_code == 0, doctor.output


def test_a_workbook_made_where_path_said_is_not_to_be_moved_again(tmp_path: Path) -> None:
    """--path put the workbook in the staff's folder: the last step says to tell them where it
    is, not to move it to a shared folder (made with --path) as it would without."""
    shared = tmp_path / "共有" / "梅の湯.xlsx"
    result = invoke(
        "new-client", "梅の湯", "--config-dir", str(tmp_path / "clients"), "--path", str(shared),
        "--to", "staff@umenoyu.co.jp", "--from", "kpi@umenoyu.co.jp",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert say("run.step_tell_staff", "ja", workbook=shared) in result.stdout
    assert "--path" not in result.stdout and shared.is_file()


def test_without_addresses_the_next_steps_say_to_put_real_ones(tmp_path: Path) -> None:
    """No --to/--from: the config holds example addresses, the first next step says to replace
    them (naming the file), and doctor flags them with exit 2."""
    result = invoke("new-client", "Blue Cafe", "--config-dir", str(tmp_path), "--lang", "en")
    assert result.exit_code == 0, result.output
    path = tmp_path / "blue-cafe.toml"
    assert f"1. put the real mail addresses in {path}" in result.stdout
    assert "team@example.jp" in result.stdout
    doctor = invoke("doctor", "--config", str(path))
    assert doctor.exit_code == 2 and "placeholder address" in doctor.output


@pytest.mark.parametrize(
    ("option", "value", "key"),
    [("--meeting-time", "25:00", "meeting.time"), ("--to", "not-an-address", "mail.to")],
)
def test_a_bad_option_writes_nothing_and_exits_2(
    tmp_path: Path, option: str, value: str, key: str
) -> None:
    """A wrong --meeting-time or --to is a config error naming the key; no file is left."""
    result = invoke("new-client", "店", "--config-dir", str(tmp_path), option, value)
    assert result.exit_code == 2 and key in result.output
    assert list(tmp_path.iterdir()) == []


def test_new_client_on_google_prints_the_link_for_staff(
    google_env: FakeGoogle, tmp_path: Path
) -> None:
    """--backend google: the output has the spreadsheet URL to send to staff and says the
    service account shared it without a notification e-mail; the Drive call says so too."""
    key_file = make_service_account_file(tmp_path / "key.json", google_env.token_uri, SERVICE_EMAIL)
    result = invoke(
        "new-client", "さくら珈琲", "--backend", "google", "--share", "owner@sakura.co.jp",
        "--credentials", str(key_file), "--config-dir", str(tmp_path / "clients"),
        "--to", "team@sakura.co.jp", "--from", "kpi@sakura.co.jp",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    url = load_config(tmp_path / "clients" / "さくら珈琲.toml").sheet.spreadsheet
    assert url is not None and url.startswith("https://docs.google.com/spreadsheets/d/")
    # さくら珈琲 is a Japanese client: its next steps are in Japanese
    assert say("run.step_send_link", "ja", workbook=url) in result.stdout
    assert "owner@sakura.co.jp" in result.stdout and "通知メールなしで" in result.stdout
    shares = [r for r in google_env.requests("api") if r["path"].endswith("/permissions")]
    assert shares and all(r["query"]["sendNotificationEmail"] == "false" for r in shares)


def test_running_demo_twice_without_a_terminal_keeps_the_first(tmp_path: Path) -> None:
    """Without a TTY nobody can answer, so the second demo goes to <dir>-2 and the first
    demo's workbook is left byte for byte."""
    folder = tmp_path / "demo"
    assert invoke("demo", "--dir", str(folder)).exit_code == 0
    before = (folder / "sakura.xlsx").read_bytes()
    again = invoke("demo", "--dir", str(folder))
    assert again.exit_code == 0, again.output
    assert str(tmp_path / "demo-2") in again.stdout
    assert (folder / "sakura.xlsx").read_bytes() == before
    assert (tmp_path / "demo-2" / "sakura.xlsx").is_file()


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_demo_then_demo_en_in_one_folder_deletes_nothing(tmp_path: Path) -> None:
    """`demo` then `demo --lang en` (as the README suggests) in one folder: the English demo
    adds its own files beside the first, and every file of the first demo (its workbook, its
    agenda in the outbox, its backups) is still there byte for byte. (It used to empty the
    outbox and the backups.)"""
    folder = tmp_path / "demo"
    assert invoke("demo", "--dir", str(folder)).exit_code == 0
    first = _files(folder)
    assert any(name.endswith(".eml") for name in first)
    again = invoke("demo", "--dir", str(folder), "--lang", "en")
    assert again.exit_code == 0, again.output
    after = _files(folder)
    assert {name: after.get(name) for name in first} == first
    assert (folder / "sakura-en.xlsx").is_file()
    assert len([name for name in after if name.endswith(".eml")]) == 2


def test_demo_never_replaces_a_demo_even_when_called_directly(tmp_path: Path) -> None:
    """`api.demo` into a folder that already holds that language's demo refuses (exit 2) and
    touches nothing: no file of the earlier demo is deleted or replaced."""
    folder = tmp_path / "demo"
    api.demo(folder, today=TODAY)
    before = _files(folder)
    with pytest.raises(UsageError) as raised:
        api.demo(folder, today=TODAY)
    assert raised.value.exit_code == 2 and str(folder) in str(raised.value)
    assert _files(folder) == before


def test_the_demo_reviews_the_meeting_tomorrow(tmp_path: Path) -> None:
    """The demo's review cycle ends the day after `today`: the agenda is for an upcoming
    meeting, with its KPI values typed, and the invite is on that day."""
    outcome = api.demo(tmp_path / "demo", today=TODAY)
    report = outcome.result.report
    review = report.cycle(report.review_cycle)
    assert review is not None and review.end == TODAY + timedelta(days=1)
    assert report.current_cycle == report.review_cycle == 4
    assert not report.errors
    raw = Path(outcome.agenda_path).read_bytes()
    message = message_from_bytes(raw, policy=policy.default)
    assert day_words(TODAY + timedelta(days=1), "ja") in str(message["Subject"])
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    payload = part.get_payload(decode=True)
    assert isinstance(payload, bytes)
    (event,) = icalendar.Calendar.from_ical(payload).walk("VEVENT")
    assert event.decoded("DTSTART") == TODAY + timedelta(days=1)


def test_the_example_client_config_loads_and_names_every_key() -> None:
    """config/example-client.toml loads with load_config and sets (or shows, commented) each
    key of the config model, including the meeting's time, place, roles and the reminder."""
    path = REPO / "config" / "example-client.toml"
    config = load_config(path)
    assert config.meeting.time == "18:30" and config.meeting.place
    assert config.meeting.roles.facilitator and config.meeting.roles.recorder
    # a live key, not a comment (its value equals the default, so read the file itself)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["meeting"]["remind_days_before"] == 2
    text = path.read_text(encoding="utf-8")
    for key in (
        "client", "language", "timezone", "templates_dir", "backend", "path", "spreadsheet",
        "credentials", "minutes", "send_days_before", "remind_days_before", "sections", "time",
        "place", "roles", "facilitator", "timekeeper", "recorder",
        "transport", "outbox", "from", "to", "cc", "images", "host", "port", "security",
        "username", "password_env", "timeout",
    ):  # fmt: skip
        assert f"{key} =" in text, key


def test_the_example_portfolio_config_loads() -> None:
    """config/portfolio.example.toml is a valid portfolio.toml."""
    settings = load_settings(REPO / "config" / "portfolio.example.toml")
    assert settings.portfolio.to


def test_git_keeps_config_clients_but_ignores_what_goes_in_it(tmp_path: Path) -> None:
    """config/clients/ is in git (a .gitkeep) while client configs, keys and outboxes in it
    are ignored."""
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "config/clients/sakura.toml",
         "config/clients/service-account.json", "config/clients/outbox/x.eml",
         "config/clients/sakura.xlsx", "config/clients/.gitkeep", "config/clients/README.md"],
        cwd=REPO, capture_output=True, text=True, check=False,
    ).stdout.split()  # fmt: skip
    assert ignored == [
        "config/clients/sakura.toml",
        "config/clients/service-account.json",
        "config/clients/outbox/x.eml",
        "config/clients/sakura.xlsx",
    ]


def test_demo_as_of_a_day_reviews_the_next_days_meeting(tmp_path: Path) -> None:
    """`demo --as-of 2026-11-30`: the agenda's subject names the meeting on 2026-12-01, as
    staff read a day (12月1日(火))."""
    result = invoke("demo", "--dir", str(tmp_path / "d"), "--as-of", "2026-11-30")
    assert result.exit_code == 0, result.output
    # the Japanese demo speaks Japanese, and names the day as a person reads it
    assert say("run.demo_meeting", "ja", day="12月1日(火)") in result.stdout
    (eml,) = (tmp_path / "d" / "outbox").glob("*.eml")
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    assert "12月1日(火)" in str(message["Subject"])  # as staff read a day


@pytest.mark.parametrize("name", ["Portfolio", "portfolio", " PORTFOLIO "])
def test_new_client_refuses_a_name_whose_file_would_be_the_portfolio_settings(
    tmp_path: Path, name: str
) -> None:
    """A client called "Portfolio" would get portfolio.toml, which sync-all reads as the
    consultant's settings: refused with exit 2 and a message saying so, nothing written."""
    result = invoke("new-client", name, "--config-dir", str(tmp_path))
    assert result.exit_code == 2, result.output
    assert "portfolio.toml" in result.output
    assert shows(result.output, "error.client_name_portfolio", "ja")
    assert list(tmp_path.iterdir()) == []


def test_demo_into_an_existing_file_is_exit_2_naming_the_path(tmp_path: Path) -> None:
    """`demo --dir` naming a file (not a folder): exit 2 and the path, no traceback."""
    a_file = tmp_path / "notes.txt"
    a_file.write_text("mine", encoding="utf-8")
    result = invoke("demo", "--dir", str(a_file))
    assert result.exit_code == 2, result.output
    assert str(a_file) in result.output and "unexpected" not in result.output
    assert a_file.read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize("backend", ["xlsx", "google"])
def test_new_client_into_a_folder_that_cannot_be_made_is_exit_2_naming_it(
    tmp_path: Path, backend: str
) -> None:
    """`--config-dir` under /proc (or under a file) cannot be created: exit 2 naming the
    folder, never "unexpected error"."""
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    for folder in (Path("/proc/nope"), blocker / "clients"):
        result = invoke("new-client", "X", "--backend", backend, "--config-dir", str(folder))
        assert result.exit_code == 2, result.output
        assert str(folder) in result.output and "unexpected" not in result.output


@pytest.mark.parametrize("name", ["", "   ", "あ" * 300, "x" * 300])
def test_new_client_refuses_a_blank_or_overlong_name_with_exit_2(tmp_path: Path, name: str) -> None:
    """A blank name, or one too long for a file name: exit 2 saying what to type, nothing
    written (not "unexpected error", not a config that cannot load)."""
    result = invoke("new-client", name, "--config-dir", str(tmp_path / "c"))
    assert result.exit_code == 2, result.output
    said = ("error.client_name_empty", "error.client_name_too_long")
    assert "unexpected" not in result.output
    assert any(shows(result.output, key, "ja") for key in said), result.output
    assert not (tmp_path / "c").exists() or list((tmp_path / "c").iterdir()) == []


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_an_as_of_date_out_of_range_is_exit_2(tmp_path: Path, day: str) -> None:
    """`--as-of 9999-12-31` (the calendar's last day): a usage error naming the option,
    not an overflow deep inside the run."""
    result = invoke("demo", "--dir", str(tmp_path / "d"), "--as-of", day)
    assert result.exit_code == 2, result.output
    assert "--as-of" in result.output and "unexpected" not in result.output


def _printed_commands(output: str) -> list[str]:
    """The `sheets-sync …` commands an output tells the user to run, as printed."""
    return [
        line[line.index("sheets-sync ") :] for line in output.splitlines() if "sheets-sync " in line
    ]


@pytest.mark.parametrize("name", ["Bob's Cafe", "カフェ(本店)", "A&B; Co", "Cost $5 `x`"])
def test_every_command_new_client_and_demo_print_runs_as_printed_in_a_shell(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    """A shop called 「Bob's Cafe」 or 「カフェ(本店)」, in a folder with a space: each next step
    new-client prints (doctor, sync) and the demo's "then try" line, pasted into bash as
    printed, runs that command on that client (exit 0) — no unmatched quote, no `(` syntax
    error, no `&` sending half of it to the background."""
    monkeypatch.chdir(tmp_path)
    made = invoke(
        "new-client", name, "--config-dir", "my clients", "--to", "t@shop.jp", "--from", "k@shop.jp"
    )
    demo = invoke("demo", "--dir", "demo folder")
    assert made.exit_code == 0 and demo.exit_code == 0, made.output + demo.output
    commands = _printed_commands(made.stdout) + _printed_commands(demo.stdout)
    assert len(commands) == 3, commands
    bin_dir = str(Path(sys.executable).parent)
    env = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    for command in commands:
        done = subprocess.run(
            ["bash", "-c", command], cwd=tmp_path, env=env, capture_output=True, text=True
        )
        assert done.returncode == 0, (command, done.stdout, done.stderr)
        assert "Traceback" not in done.stderr
