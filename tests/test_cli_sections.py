"""`sheets-sync --help` groups the commands by when a person needs them, each with its whole
one-line description, and option help says what is really accepted; `new-client --sample`
takes a kind of business."""

from __future__ import annotations

import re
from pathlib import Path

import click
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.cli_shared import COMMAND_SECTIONS
from sheets_sync.errors import EXIT_CONFIG, EXIT_OK
from sheets_sync.sheet.parse import parse_date
from sheets_sync.sheet.sample import SAMPLE_KINDS, SampleKind, story

SECTIONS = {
    "Start here": ["demo", "new-client", "doctor", "sync"],
    "Every day": ["check", "agenda", "status"],
    "Consultant (many clients)": ["sync-all", "watch"],
    "Upkeep": ["upgrade", "chat-test"],
}


def _help(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], terminal_width=80)
    assert result.exit_code == EXIT_OK, result.output
    return result.output


def test_every_command_has_help_and_is_in_exactly_one_section() -> None:
    """Each command has a description and sits in one section of COMMAND_SECTIONS; no section
    names a command that does not exist."""
    placed = [name for _, names in COMMAND_SECTIONS for name in names]
    assert sorted(placed) == sorted(main.commands)
    assert len(placed) == len(set(placed))
    for name, command in main.commands.items():
        assert command.help and command.get_short_help_str(limit=1000), name


def test_the_help_lists_the_sections_in_order_with_whole_one_line_descriptions() -> None:
    """At 80 columns, `--help` shows Start here, Every day, Consultant, Upkeep in that order;
    under each its commands in order, each on one line with its whole first sentence."""
    text = _help()
    titles = [line[:-1] for line in text.splitlines() if line.endswith(":") and line[0] != " "]
    assert titles == ["Options", *SECTIONS]
    for title, names in SECTIONS.items():
        body = text.split(f"\n{title}:\n", 1)[1].split("\n\n", 1)[0].splitlines()
        assert [line.split()[0] for line in body] == names, body
        for line, name in zip(body, names, strict=True):
            description = main.commands[name].get_short_help_str(limit=1000)
            assert description.endswith("."), name  # a whole sentence, never cut with "..."
            assert line.split(maxsplit=1)[1] == description, (line, description)
            assert len(line) <= 80


def test_the_first_line_of_each_commands_help_is_its_description() -> None:
    """`sheets-sync COMMAND --help` opens with the same sentence the group's list shows."""
    for name, command in main.commands.items():
        description = command.get_short_help_str(limit=1000)
        assert command.help is not None and command.help.splitlines()[0] == description
        assert description in " ".join(_help(name).split())


def test_as_of_help_shows_spellings_the_option_accepts() -> None:
    """--as-of's help gives example dates, 令和 among them; each example parses to the same
    day, and the command takes it."""
    option = next(p for p in main.commands["sync"].params if p.name == "as_of")
    assert isinstance(option, click.Option) and option.help is not None
    examples = re.search(r"\(([^)]*)…\)", option.help)
    assert examples is not None
    spellings = [part.strip() for part in examples.group(1).split(",") if part.strip()]
    assert any(s.startswith("令和") for s in spellings) and len(spellings) >= 3
    assert {parse_date(spelling) for spelling in spellings} == {parse_date("2026-12-01")}
    assert "YYYY-MM-DD" not in option.help


def test_metavars_say_what_the_option_wants() -> None:
    """Options that take a file, a time or a kind show that word, not a generic PATH/TEXT."""
    assert "--log-file FILE" in _help()
    sync_all = _help("sync-all")
    assert "--shard K/N" in sync_all and "--as-of DATE" in sync_all
    assert "--daily-at HH:MM" in _help("watch")
    new_client = _help("new-client")
    assert "--sample [KIND]" in new_client and "--meeting-time HH:MM" in new_client
    for kind in SAMPLE_KINDS:
        assert kind in new_client


def _first_hypothesis(workbook: Path) -> object:
    book = load_workbook(workbook, read_only=True)
    sheet = book["サイクル"]
    header = [cell.value for cell in next(sheet.iter_rows(max_row=1))]
    row = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    return row[header.index("仮説(1つ)")]


def test_new_client_sample_takes_a_kind_of_business(tmp_path: Path) -> None:
    """`--sample shop` and `--sample=salon` fill in those stories; a bare `--sample` (even just
    before the next option) is the café's."""
    runner = CliRunner()
    cases = {
        "めがね": ["--sample", "shop"],
        "サロン": ["--sample=salon"],
        "花屋みどり": ["--sample"],
    }
    expected: dict[str, SampleKind] = {"めがね": "shop", "サロン": "salon", "花屋みどり": "cafe"}
    for name, args in cases.items():
        result = runner.invoke(main, ["new-client", name, *args, "--config-dir", str(tmp_path)])
        assert result.exit_code == EXIT_OK, result.output
        hypothesis = story(expected[name]).cycles[0].hypothesis.ja
        assert _first_hypothesis(tmp_path / f"{name}.xlsx") == hypothesis


def test_an_unknown_sample_kind_is_a_usage_error_listing_the_kinds(tmp_path: Path) -> None:
    """`--sample bakery` exits 2, names the kinds there are, and makes nothing."""
    result = CliRunner().invoke(
        main, ["new-client", "パン屋", "--sample", "bakery", "--config-dir", str(tmp_path)]
    )
    assert result.exit_code == EXIT_CONFIG
    assert all(f"'{kind}'" in result.output for kind in SAMPLE_KINDS)
    assert "Traceback" not in result.output and not list(tmp_path.iterdir())
