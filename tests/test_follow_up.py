"""After the meeting the cycle turns: a whole cycle on fixed dates, on both backends, over a real
SMTP server and a Chatwork fake. Every run is repeated, and each mail and post goes out exactly
once: 決まったこと after a meeting whose decisions are in the sheet, else 記入のお願い naming the
exact cells to fill and the next cycle's row — and nothing more once staff have filled them in.

The days (the baseline's cycle 2 runs 11-09 … 11-22, its meeting on 11-22, Sunday):
11-09 the day after cycle 1's meeting · 11-20 the reminder · 11-21 the agenda · 11-22 the
meeting · 11-23 the follow-up · 11-24 the day after.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import escape
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from openpyxl import load_workbook

from sheets_sync.config import load_config, spreadsheet_id
from sheets_sync.run.sync import RunOptions, RunResult, run
from tests.fake_chat import chatwork as cw
from tests.fake_google import FakeGoogle
from tests.fake_google.client import emulator_client
from tests.support.chat_fixtures import Chats, chats
from tests.support.google import MakeClient
from tests.support.smtp_server import Server, serve
from tests.support.workbooks import Tabs, baseline

__all__ = ["chats"]  # the fixture, imported for pytest

AFTER_CYCLE_1 = date(2026, 11, 9)
REMIND_DAY = date(2026, 11, 20)
DUE_DAY = date(2026, 11, 21)
MEETING_DAY = date(2026, 11, 22)
FOLLOW_UP_DAY = date(2026, 11, 23)
DAY_AFTER = date(2026, 11, 24)
RUNS_PER_DAY = 2

CHATWORK = f"""
[[chat]]
kind = "chatwork"
room = "{cw.ROOM}"
token_env = "SAKURA_CHATWORK_TOKEN"
task = true
people = {{ "佐藤" = 1234567 }}
"""


@pytest.fixture
def smtp() -> Iterator[Server]:
    yield from serve()


def client(make_client: MakeClient, tabs: Tabs, port: int) -> Path:
    """A client on either backend: mail over SMTP on `port`, the meeting at 18:30 in 店舗2階,
    one Chatwork room that keeps tasks."""
    extra = f"""[mail.smtp]
host = "127.0.0.1"
port = {port}
security = "none"
timeout = 5

[meeting]
time = "18:30"
place = "店舗2階"
{CHATWORK}"""
    path = make_client(tabs, extra=extra)
    text = path.read_text(encoding="utf-8").replace('transport = "outbox"', 'transport = "smtp"')
    path.write_text(text, encoding="utf-8")
    return path


def without_cycle2_value() -> Tabs:
    """The baseline with cycle 2's 購入率 (K3) not typed yet: the reminder has work to do."""
    tabs = baseline()
    tabs["KPI記録"] = [row for row in tabs["KPI記録"] if row[0] != 2]
    return tabs


def runs_on(config_path: Path, day: date) -> list[RunResult]:
    """The cron job on `day`, run more than once (each run a fresh config read, as cron's)."""
    return [run(load_config(config_path), RunOptions(as_of=day)) for _ in range(RUNS_PER_DAY)]


def mails(smtp: Server) -> list[EmailMessage]:
    return [message_from_bytes(e.content, policy=policy.default) for e in smtp.collector.envelopes]


def kinds(smtp: Server) -> list[str]:
    """Each mail the server took, by kind (the agenda carries no kind header), in order."""
    return [str(mail.get("X-Sheets-Sync-Kind", "agenda")) for mail in mails(smtp)]


def part(mail: EmailMessage, subtype: str) -> str:
    body = mail.get_body(preferencelist=(subtype,))
    assert body is not None
    return str(body.get_content()).replace("\r\n", "\n")  # as a mail program shows it


def cell_link(request: pytest.FixtureRequest, config_path: Path, a1: str) -> str | None:
    """The link a follow-up gives to one cell of the Cycles tab: on Google the tab opened at that
    cell (`#gid=<the tab's id>&range=F3`); an .xlsx workbook without `sheet.url` has none."""
    config = load_config(config_path)
    if config.sheet.backend == "xlsx":
        return None
    server: FakeGoogle = request.getfixturevalue("google_env")
    key = spreadsheet_id(config.sheet.spreadsheet or "")
    tabs = server.metadata(key)["sheets"]
    [gid] = [t["properties"]["sheetId"] for t in tabs if t["properties"]["title"] == "サイクル"]
    return f"https://docs.google.com/spreadsheets/d/{key}/edit#gid={gid}&range={a1}"


def staff_write(
    request: pytest.FixtureRequest, config_path: Path, a1: str, values: list[str]
) -> None:
    """Staff type `values` into the Cycles tab from `a1` on (Excel, or Google in a browser)."""
    config = load_config(config_path)
    if config.sheet.backend == "xlsx":
        path = config.workbook_path()
        book = load_workbook(path)
        sheet = book["サイクル"]
        row, column = sheet[a1].row, sheet[a1].column
        for offset, value in enumerate(values):
            sheet.cell(row=row, column=column + offset, value=value)
        book.save(path)
        return
    server: FakeGoogle = request.getfixturevalue("google_env")
    sheets = emulator_client(server.host_port, config_path.parent / "key.json")
    key = spreadsheet_id(config.sheet.spreadsheet or "")
    sheets.open_by_key(key).worksheet("サイクル").update([values], a1)


# -- the place for the agenda's and the reminder's richer content -----------------------------
def assert_reminder_and_agenda_content(reminder: EmailMessage, agenda: EmailMessage) -> None:
    """Issue 19, points 2–4 (h18-truth): the reminder lists each fix with where to make it (the
    missing value, the thin evidence; a doubted value and a left-out row are tried in
    tests/test_agenda_learning_loop.py); the agenda's body shows meeting.time and meeting.place at
    the top; section ① says the last step became this change; section ③ shows the learnings so
    far."""
    assert reminder["Subject"] == "[テスト店] 入力のお願い — サイクル2(11月22日(日)のミーティング)"
    reminded = part(reminder, "plain")
    assert "サイクル2の「購入率」(K3)がまだ入力されていません(「KPI記録」タブ)。" in reminded
    assert "サイクル2の証拠は1件で、記録が少ないです。" in reminded
    assert agenda["Subject"] == "[テスト店] 15分ミーティング 11月22日(日) — サイクル2"
    text = part(agenda, "plain")
    head = text.split("約束")[0]
    assert "日時：11月22日(日) 18:30(日本時間)" in head and "場所：店舗2階" in head
    assert "前回の一歩が、今回の改善になっています。" in text.split("■ ②")[0]
    learnings = text.split("■ ③")[1].split("■ ④")[0]
    assert "これまでの学び(新しい順)：\n  ・サイクル1：目安で比較の質問が減った" in learnings


def assert_asks_for_learning_and_next_step(asked: EmailMessage, links: list[str | None]) -> None:
    """記入のお願い for cycle 2: its 学び(1行) (F3) and 次の一歩 (G3) — not 担当, which is there —
    each with its link when the workbook has them (Google), and cycle 3's row to add at row 4."""
    assert asked["Subject"] == "[テスト店] 記入のお願い — サイクル2のミーティング"
    text, html = part(asked, "plain"), part(asked, "html")
    assert "・「サイクル」タブ 3行目の「学び(1行)」(F3)" in text
    assert "・「サイクル」タブ 3行目の「次の一歩」(G3)" in text
    assert "担当" not in text.split("■")[0]  # 田中 is recorded: not asked for
    assert "「サイクル」タブの4行目に、この行を追加してください(コピーして使えます)。" in text
    assert "  No.：3\n  開始日：2026/11/23\n  終了日：2026/12/6\n" in text
    for link in links:
        assert link is None or f'href="{escape(link)}"' in html
        assert link is None or link in text  # under its line in the plain text
    assert ("href" in html) is (links[0] is not None)  # an .xlsx without sheet.url: no link


# -- the whole cycle ----------------------------------------------------------------------------
def test_a_whole_cycle_sends_each_mail_once_and_asks_for_the_exact_cells(
    make_client: MakeClient, smtp: Server, chats: Chats, request: pytest.FixtureRequest
) -> None:
    """11-09: 決まったこと for cycle 1 (all recorded; cycle 2's row is already there). 11-20: the
    reminder. 11-21: the agenda. 11-22: nothing. 11-23: 記入のお願い for cycle 2, naming 学び(1行)
    (F3) and 次の一歩 (G3) and the row to add (cycle 3, 11-23 … 12-06, at row 4). Staff fill the
    two cells; 11-24 sends nothing. Every day runs twice: each mail once, each post once."""
    config = client(make_client, without_cycle2_value(), smtp.port)
    story = [
        (AFTER_CYCLE_1, ["follow_up"]),
        (REMIND_DAY, ["follow_up", "reminder"]),
        (DUE_DAY, ["follow_up", "reminder", "agenda"]),
        (MEETING_DAY, ["follow_up", "reminder", "agenda"]),
        (FOLLOW_UP_DAY, ["follow_up", "reminder", "agenda", "follow_up"]),
    ]
    for day, sent in story:
        results = runs_on(config, day)
        assert kinds(smtp) == sent, day
        assert all(result.exit_code == 0 for result in results), day
    decided, reminder, agenda, asked = mails(smtp)
    assert decided["Subject"] == "[テスト店] 決まったこと — サイクル1"
    assert "サイクル2の行は、もうシートにあります(11月9日(月)〜11月22日(日))。" in part(
        decided, "plain"
    )
    assert_reminder_and_agenda_content(reminder, agenda)

    links = [cell_link(request, config, a1) for a1 in ("F3", "G3")]
    assert_asks_for_learning_and_next_step(asked, links)
    report = results[-1].report.to_json()["agenda"]
    assert report["follow_up"] == "asked" and report["follow_up_sent_at"]

    staff_write(request, config, "F3", ["味から話すと試飲が増えた", "試飲を増やす"])
    for day in (FOLLOW_UP_DAY, DAY_AFTER):
        runs_on(config, day)
    assert len(mails(smtp)) == 4
    posts = chats.chatwork.messages
    assert [post.count("[title]") for post in posts] == [1, 1, 1, 1]
    titles = [post.split("[title]")[1].split("[/title]")[0] for post in posts]
    assert titles == [
        "テスト店 決まったこと・サイクル1",
        "テスト店 入力のお願い・サイクル2(11月22日(日)のミーティング)",
        "テスト店 15分ミーティング 11月22日(日) 18:30・サイクル2",
        "テスト店 記入のお願い・サイクル2のミーティング",
    ]
    assert "・「サイクル」タブ 3行目の「学び(1行)」(F3)" in posts[3]
    # Cycle 1's step was decided with 佐藤 as its owner: the one task, due at cycle 2's meeting.
    [task] = chats.chatwork.tasks
    assert task["body"] == "説明の順番を変える" and task["to_ids"] == "1234567"


def test_when_everything_was_recorded_the_follow_up_says_what_was_decided(
    make_client: MakeClient, smtp: Server, chats: Chats
) -> None:
    """Cycle 2's learning, next step and owner (佐藤) written in the meeting: the day after, one
    決まったこと — the learning, the step and its owner, the next meeting with its time, zone and
    place, and cycle 3's row as it should be (改善 = the step) — and on Chatwork the same once,
    with the step as 佐藤's task due at the next meeting (12-06). A second run sends nothing."""
    tabs = baseline()
    tabs["サイクル"][2][5:9] = ["味から話すと試飲が増えた", "試飲を増やす", "", "佐藤"]
    config = client(make_client, tabs, smtp.port)
    for day in (FOLLOW_UP_DAY, DAY_AFTER):
        runs_on(config, day)
    [decided] = mails(smtp)
    assert decided["Subject"] == "[テスト店] 決まったこと — サイクル2"
    text = part(decided, "plain")
    for line in (
        "11月22日(日)のミーティングで決まったことです。",
        "学び：味から話すと試飲が増えた",
        "次の一歩：試飲を増やす(担当：佐藤)",
        "次のミーティング：12月6日(日) 18:30(日本時間)\n場所：店舗2階",
        "  No.：3\n  開始日：2026/11/23\n  終了日：2026/12/6\n  改善(1つ)：試飲を増やす",
    ):
        assert line in text
    html = part(decided, "html")
    assert ">試飲を増やす</td>" in html and "12月6日(日) 18:30(日本時間)</p>" in html
    [post] = chats.chatwork.messages
    assert "・次の一歩：試飲を増やす(担当：佐藤)" in post
    [task] = chats.chatwork.tasks
    assert task["body"] == "試飲を増やす" and task["to_ids"] == "1234567"
    end_of_meeting_day = datetime(2026, 12, 6, 23, 59, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert task["limit"] == str(int(end_of_meeting_day.timestamp()))
