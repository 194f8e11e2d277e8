"""The follow-up's own rules, one by one: when it is due (never before the meeting, from
`meeting.follow_up_days_after` days after it until the next agenda is due, 0 = off, never about
an older meeting, not with --no-agenda or --dry-run), which cells it names (the sheet's own
columns and title, a missing column said as such), what it says in English, that no cell's text
becomes markup, that a send whose Log write failed is not repeated, and that the portfolio flags
a team asked to record its decisions until they are recorded."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from sheets_sync import api
from sheets_sync.cli import main
from sheets_sync.config import Config, load_config
from sheets_sync.core.sends import SendHistory, Skipped
from sheets_sync.errors import EXIT_OK, EXIT_SHEET
from sheets_sync.meeting.follow_up import build_follow_up, follow_up_cycle
from sheets_sync.meeting.follow_up_mail import render_follow_up
from sheets_sync.run.journal import journal_path
from sheets_sync.run.options import RunOptions, SendPolicy
from sheets_sync.run.sending import FollowUpMessage, SendContext
from sheets_sync.run.sync import render_only, run, run_line
from tests.support.reminders import OpensTheWorkbook
from tests.support.smtp_server import free_port, serving
from tests.support.words import shows
from tests.support.workbooks import Tabs, baseline, config_file, write_xlsx

TOKYO = ZoneInfo("Asia/Tokyo")
MEETING = date(2026, 11, 22)  # cycle 2's end; cycle 3 is not in the sheet (its meeting: 12-06)


def blank_learning() -> Tabs:
    """The baseline: cycle 2's learning and next step are blank, its owner is 田中."""
    return baseline()


def all_recorded() -> Tabs:
    tabs = baseline()
    tabs["サイクル"][2][5:9] = ["味から話すと試飲が増えた", "試飲を増やす", "", "佐藤"]
    return tabs


def client(folder: Path, tabs: Tabs, meeting: str = "", **top: str) -> Config:
    write_xlsx(folder / "book.xlsx", tabs)
    return load_config(config_file(folder, extra=f"[meeting]\n{meeting}", **top))


def judged(config: Config, day: date, **options: Any) -> Skipped | str:
    """What the follow-up's due rule says on `day`: why not, or the Log note of a draft."""
    run_options = RunOptions(as_of=day, **options)
    report, _ = render_only(config, run_options)
    now = datetime(day.year, day.month, day.day, 9, tzinfo=TOKYO)
    context = SendContext(config, report, day, now, SendPolicy.WHEN_DUE, run_options, SendHistory())
    draft = FollowUpMessage().due(context)
    assert draft is not None
    return draft if isinstance(draft, Skipped) else f"{draft.cycle}: {draft.note}"


def outbox(config: Config) -> list[str]:
    return sorted(path.name for path in (config.folder / "outbox").glob("*follow_up.eml"))


# -- when ---------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("meeting", "day", "said"),
    [
        # On the meeting day the latest meeting held is cycle 1's, whose days are over.
        ("", date(2026, 11, 22), "run.follow_up_skip_too_late"),
        ("", date(2026, 11, 23), "2: 記入のお願い：学び(1行)、次の一歩"),
        ("", date(2026, 12, 4), "2: 記入のお願い：学び(1行)、次の一歩"),  # a late run catches up
        ("", date(2026, 12, 5), "run.follow_up_skip_too_late"),  # cycle 3's agenda is due
        ("follow_up_days_after = 3\n", date(2026, 11, 24), "run.follow_up_skip_due_on"),
        ("follow_up_days_after = 3\n", date(2026, 11, 25), "2: 記入のお願い：学び(1行)、次の一歩"),
        ("follow_up_days_after = 0\n", date(2026, 11, 23), "run.follow_up_skip_off"),
        ("send_days_before = 3\n", date(2026, 12, 3), "run.follow_up_skip_too_late"),
    ],
    ids=[
        "not on the meeting day",
        "the day after",
        "caught up later",
        "not once the next agenda is due",
        "N days after: not before",
        "N days after: on the day",
        "0 = off",
        "the next agenda's own due day",
    ],
)
def test_the_follow_up_is_due_from_n_days_after_the_meeting_until_the_next_agenda(
    tmp_path: Path, meeting: str, day: date, said: str
) -> None:
    """Meeting 11-22, next meeting 12-06 (two weeks on while cycle 3 is not in the sheet): due
    from 11-22 + N (default 1) until the day before the next agenda is due; 0 turns it off."""
    found = judged(client(tmp_path, blank_learning(), meeting), day)
    if isinstance(found, Skipped):
        assert shows(found.reason, said, "ja"), found.reason
    else:
        assert found == said


def test_it_is_about_the_latest_meeting_only(tmp_path: Path) -> None:
    """Cycle 3 is in the sheet and its meeting (12-06) has passed: on 12-07 the follow-up is
    cycle 3's, never cycle 2's (which was never sent); before cycle 1's meeting there is none."""
    tabs = blank_learning()
    tabs["サイクル"].append([3, "2026-11-23", "2026-12-06", "", "", "", "", "", ""])
    config = client(tmp_path, tabs)
    assert judged(config, date(2026, 12, 7)) == "3: 記入のお願い：学び(1行)、次の一歩、担当"
    before = judged(config, date(2026, 11, 8))
    assert isinstance(before, Skipped)
    assert shows(before.reason, "run.follow_up_skip_no_meeting", "ja")


def test_no_agenda_and_dry_run_send_no_follow_up_and_it_goes_out_once(tmp_path: Path) -> None:
    """The day after the meeting: --dry-run and --no-agenda send nothing; the next run sends one
    記入のお願い, the run's line says where; the runs after send no second one."""
    config = client(tmp_path, blank_learning())
    day = date(2026, 11, 23)
    run(config, RunOptions(as_of=day, dry_run=True))
    skipped = run(config, RunOptions(as_of=day, no_agenda=True))
    assert outbox(config) == [] and skipped.follow_up_sent_to is None
    sent = run(config, RunOptions(as_of=day))
    assert sent.follow_up_sent_to and sent.follow_up_sent_to in run_line(config, sent)
    for later in (day, date(2026, 11, 24)):
        assert run(config, RunOptions(as_of=later)).follow_up_sent_to is None
    assert len(outbox(config)) == 1
    log = load_workbook(tmp_path / "book.xlsx")["ログ"]
    rows = [row[1:4] for row in log.iter_rows(min_row=2, values_only=True)]
    assert rows.count(("決まったこと・記入のお願い", "送信済み", 2)) == 1


def test_a_follow_up_whose_log_write_fails_is_not_sent_again(tmp_path: Path) -> None:
    """The follow-up goes out, then the workbook cannot be written (someone opened it in Excel):
    exit 3 saying it WAS sent; the journal keeps it, so the next run sends no second one and
    puts it in the Log."""
    port = free_port()
    config = client(tmp_path, blank_learning())
    text = config.path.read_text(encoding="utf-8").replace(
        'transport = "outbox"', 'transport = "smtp"'
    )
    smtp = f'\n[mail.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n'
    config.path.write_text(text + smtp, encoding="utf-8")
    excel_lock = tmp_path / "~$book.xlsx"
    handler = OpensTheWorkbook(excel_lock)
    runner = CliRunner()
    command = ["sync", "--config", str(config.path), "--as-of", "2026-11-23"]
    with serving(handler, port):
        first = runner.invoke(main, command)
        assert first.exit_code == EXIT_SHEET, first.output
        assert shows(first.output, "error.sent_follow_up", "ja")
        assert journal_path(config).exists()
        excel_lock.unlink()
        again = runner.invoke(main, command)
    assert again.exit_code == EXIT_OK, again.output
    assert len(handler.envelopes) == 1 and not journal_path(config).exists()


# -- which cells, in which words ---------------------------------------------------------------
def test_the_cells_named_are_the_sheets_own(tmp_path: Path) -> None:
    """Columns in another order under English headers, on a tab titled `Cycles`, no 担当 column:
    the cells are named by the sheet's own title, headers and letters, and the missing column is
    said as such (add it, then fill in the row)."""
    tabs = baseline()
    order = [0, 1, 2, 6, 5, 3, 4, 7]  # No., start, end, next step, learning, hypothesis, change…
    english = ["Cycle", "Start", "End", "Next step", "Learning (one line)", "Hypothesis (one)",
               "Change (one)", "Status"]  # fmt: skip
    rows = [[row[i] for i in order] for row in tabs.pop("サイクル")[1:]]
    tabs["Cycles"] = [english, *rows]
    view = build_follow_up(*_report_and_cycle(client(tmp_path, tabs), date(2026, 11, 23)))
    assert [cell.text for cell in view.cells] == [
        "「Cycles」タブ 3行目の「Learning (one line)」(E3)",
        "「Cycles」タブ 3行目の「Next step」(D3)",
        "「Cycles」タブに「担当」の列がありません。列を足して、3行目に記入してください。",
    ]
    tabs["Cycles"][2][3:5] = ["試飲を増やす", "味から話すと試飲が増えた"]
    config = client(tmp_path, tabs)
    view = build_follow_up(*_report_and_cycle(config, date(2026, 11, 23)))
    assert [cell.text for cell in view.cells] == [
        "「Cycles」タブに「担当」の列がありません。列を足して、3行目に記入してください。"
    ]
    assert [cell.label for cell in view.next_row.cells] == ["Cycle", "Start", "End", "Change (one)"]


def _report_and_cycle(config: Config, day: date) -> tuple[Any, Config, Any]:
    report, _ = render_only(config, RunOptions(as_of=day))
    cycle = follow_up_cycle(report, day)
    assert cycle is not None
    return report, config, cycle


def test_in_english_with_the_row_already_there(tmp_path: Path) -> None:
    """An English client, everything recorded and cycle 3's row already added without its
    change: "Decided — cycle 2", the row is said to be there and its change cell is asked for
    with the step; no Japanese punctuation."""
    tabs = all_recorded()
    tabs["サイクル"].append([3, "2026-11-23", "2026-12-06", "", "", "", "", "", ""])
    config = client(tmp_path, tabs, 'time = "18:30"\n', language="en")
    view = build_follow_up(*_report_and_cycle(config, date(2026, 11, 23)))
    rendered = render_follow_up(view, config)
    assert rendered.subject == "[テスト店] Decided — cycle 2"
    text = rendered.text
    for line in (
        "What the meeting on Sun 22 Nov decided.",
        "Learning: 味から話すと試飲が増えた",
        "Next step: 試飲を増やす (owner: 佐藤)",
        "Next meeting: Sun 6 Dec, 18:30 (Japan time)",
        "Cycle 3's row is already in the sheet (Mon 23 Nov – Sun 6 Dec).",
        'Write the next step "試飲を増やす" in its "改善(1つ)" cell (E4).',
    ):
        assert line in text, line
    assert not any(mark in text for mark in "。、「」：")


def test_no_cell_text_becomes_markup_in_the_mail_or_the_chat(tmp_path: Path) -> None:
    """A learning typed as HTML and a step carrying chat markup: the mail's HTML shows them as
    text (escaped), the chat form folds the markup characters."""
    tabs = all_recorded()
    tabs["サイクル"][2][5:7] = ['<img src=x onerror="alert(1)">', "[toall] @here <!channel>"]
    config = client(tmp_path, tabs)
    view = build_follow_up(*_report_and_cycle(config, date(2026, 11, 23)))
    rendered = render_follow_up(view, config)
    assert "<img" not in rendered.html and "&lt;img src=x" in rendered.html
    assert rendered.chat is not None
    chat = "\n".join(rendered.chat.lines)
    assert "[toall]" not in chat and "<!channel>" not in chat and "＜img" in chat
    assert rendered.chat.task is not None and "[" not in rendered.chat.task.step


# -- the portfolio ------------------------------------------------------------------------------
def portfolio_reason(folder: Path) -> dict[str, str]:
    with (folder / "portfolio.csv").open(encoding="utf-8-sig", newline="") as stream:
        return {row["client"]: row for row in csv.DictReader(stream)}["テスト店"]


def test_the_portfolio_flags_a_team_asked_to_record_until_it_has(tmp_path: Path) -> None:
    """After a 記入のお願い for cycle 2 the portfolio says so, naming what is still blank, and
    the client needs help; once staff fill the cells the flag is gone."""
    write_xlsx(tmp_path / "shop.xlsx", blank_learning())
    config_file(tmp_path, "shop.xlsx").rename(tmp_path / "shop.toml")
    api.sync_all(tmp_path, jobs=1, as_of=date(2026, 11, 23))
    row = portfolio_reason(tmp_path)
    # The day it went out (the clock's: --as-of sets the sheet's day only), then what is blank.
    assert "に記入のお願いを送りましたが、サイクル2の学び(1行)、次の一歩がまだ空欄" in row["reason"]
    assert "学びが未記入" not in row["reason"]  # said once, by the flag
    assert int(row["score"]) >= 10
    book = load_workbook(tmp_path / "shop.xlsx")
    book["サイクル"]["F3"].value = "味から話すと試飲が増えた"
    book["サイクル"]["G3"].value = "試飲を増やす"
    book.save(tmp_path / "shop.xlsx")
    api.sync_all(tmp_path, jobs=1, as_of=date(2026, 11, 24))
    assert "記入のお願い" not in portfolio_reason(tmp_path)["reason"]
