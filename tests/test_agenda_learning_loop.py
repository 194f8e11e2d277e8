"""The cycle turns: learning piles up in sections ① and ③, the agenda's
body says when and where the meeting is and who plays which part, and the input reminder lists
every fix that can be made before the meeting, each with where to make it. Plus a blank new
client: no cycle yet is a warning that says what to add first."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, time
from email import message_from_bytes, policy
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.meeting import build_view, render_agenda
from sheets_sync.meeting.reminder import missing_inputs
from sheets_sync.meeting.view import same_step
from sheets_sync.run.doctor import diagnose
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.words.core import say
from tests.support.agenda_fixtures import make_report, write_config
from tests.support.golden_stories import CLIENT, left_out_rows, skipped_value, skipped_value_day
from tests.support.google import MakeClient
from tests.support.workbooks import Tabs, config_file, write_xlsx

TOKYO = ZoneInfo("Asia/Tokyo")


# -- ①: did last time's step become this cycle's change? --------------------------------------


@pytest.mark.parametrize(
    ("step", "change", "same"),
    [
        ("Webの冒頭に選び方を載せ、来店前に目安を伝える", "Webの冒頭に「選び方」を載せる", True),
        ("はじめての方向けに3種の飲み比べを出す", "「はじめての方へ」3種の飲み比べを用意する",
         True),
        ("度数ごとのレンズの厚さ見本を置く", "度数ごとのレンズの厚さ見本を置く。", True),
        ("似合うフレームを3本に絞って見せる", "受け取り日を書いたカードを渡す", False),
        ("試飲を出す", "", False),
    ],
)  # fmt: skip
def test_the_last_step_and_this_change_are_the_same_step(step: str, change: str,
                                                         same: bool) -> None:  # fmt: skip
    """Same or close words (quotes and punctuation aside) are one step; others are two."""
    assert same_step(step, change) is same


@given(st.text(max_size=30))
def test_a_step_is_the_same_as_itself(text: str) -> None:
    """Any written step is the same as itself; nothing is the same as a blank."""
    folded = text.translate(str.maketrans("", "", "「」『』()（）、。・,. 　!?！？\n"))
    assert same_step(text, text) is bool(folded)


def test_section_one_relates_the_last_step_to_this_change(tmp_path: Path) -> None:
    """When the change is last time's step, ① says so once; when it is not, ① shows both."""
    report = make_report("ja")
    config = write_config(tmp_path)
    same = build_view(report, config).last_step
    assert same.relation_text == "前回の一歩が、今回の改善になっています。"
    assert same.change_text == ""
    other = [
        replace(c, change="店頭に選び方の紙を置く") if c.cycle == 3 else c for c in report.cycles
    ]
    both = build_view(replace(report, cycles=other), config).last_step
    assert both.relation_text == "" and both.step == "はじめての方向けに3種の飲み比べを出す"
    assert both.change_text == "このサイクルの改善：店頭に選び方の紙を置く"


# -- ③: the last three learnings, newest first --------------------------------------------------


def test_section_three_shows_the_last_three_learnings_newest_first(tmp_path: Path) -> None:
    """Section ③ lists the learnings written before this cycle, newest first, at most three,
    one line each (a learning typed over two lines is shown on one)."""
    report = make_report("ja")
    earlier = [
        replace(c, learning="目安カードは\n手に取られた") if c.cycle == 1 else c
        for c in report.cycles
    ]
    view = build_view(replace(report, cycles=earlier), write_config(tmp_path), cycle=4)
    assert view.learnings == (
        "サイクル2：味から話すと説明が短くなった",
        "サイクル1：目安カードは 手に取られた",
    )  # cycle 3 has no learning yet
    text = render_agenda(replace(report, cycles=earlier), write_config(tmp_path), cycle=4).text
    section = text.split("■ ③")[1].split("■ ④")[0]
    assert section.index("サイクル2：") < section.index("サイクル1：")


# -- the meeting: when, where, who ---------------------------------------------------------------


def test_the_agenda_body_says_when_and_where_and_who(tmp_path: Path) -> None:
    """meeting.time (with its zone in words), meeting.place and the roles stand at the top of
    the mail itself, in the text and in the HTML — not only in the invite."""
    path = tmp_path / "sakura.toml"
    write_config(tmp_path)
    text = path.read_text(encoding="utf-8").replace(
        "send_days_before = 1",
        'send_days_before = 1\ntime = "18:30"\nplace = "本店 2階"\n'
        'roles = { facilitator = "店長", timekeeper = "佐藤", recorder = "田中" }',
    )
    path.write_text(text, encoding="utf-8")
    rendered = render_agenda(make_report("ja"), load_config(path))
    head = rendered.text.split("約束")[0]
    assert "日時：11月15日(日) 18:30(日本時間)" in head
    assert "場所：本店 2階" in head
    assert "進行：店長・タイムキーパー：佐藤・記録：田中" in head
    page = rendered.html.split('class="purpose"')[0]
    assert "18:30(日本時間)" in page and "本店 2階" in page and "進行：店長" in page


def test_without_a_time_the_agenda_says_the_day(tmp_path: Path) -> None:
    """No meeting.time: the day alone (an all-day meeting), and no place line."""
    rendered = render_agenda(make_report("en"), write_config(tmp_path, language="en"))
    assert "When: Sun 15 Nov\n" in rendered.text and "Where:" not in rendered.text


# -- the input reminder lists every fix, with where ---------------------------------------------


def _reminded(tabs: Tabs, day: date, tmp_path: Path) -> list[str]:
    write_xlsx(tmp_path / "book.xlsx", tabs)
    config = load_config(config_file(tmp_path, client=CLIENT["ja"]))
    now = datetime.combine(day, time(8, 0), tzinfo=TOKYO)
    report = run(config, RunOptions(as_of=day, dry_run=True), now=now, announce=False).report
    cycle = report.cycle(report.current_cycle)
    assert cycle is not None
    return list(missing_inputs(report, cycle, "ja").lines)


def test_the_reminder_lists_every_fix_with_where_to_make_it(tmp_path: Path) -> None:
    """Two days before cycle 3's meeting: its order rate typed as 0.33 (doubted), an evidence
    row without a year, a missing value, thin evidence and a blank hypothesis — each a line that
    says where to fix it."""
    tabs = skipped_value("ja")
    tabs["KPI"].append(["K4", "値段の質問", "中間", "下がる", "件", None, None, None, None])
    tabs["KPI記録"] = [row if row[:2] != [3, "K3"] else [3, "K3", 0.33, None]
                       for row in tabs["KPI記録"]]  # fmt: skip
    tabs["サイクル"][3][3] = None  # cycle 3's hypothesis
    third = [row for row in tabs["証拠"][1:] if row[0] >= "2026-11-02"]
    tabs["証拠"] = [row for row in tabs["証拠"] if row not in third[1:]]
    tabs["証拠"].append([*third[1][:1], None, *third[1][2:]])
    tabs["証拠"][-1][0] = "11月5日"
    lines = _reminded(tabs, skipped_value_day() - date.resolution, tmp_path)
    assert "サイクル3の「値段の質問」(K4)がまだ入力されていません(「KPI記録」タブ)。" in lines
    assert any(
        line.startswith("「KPI記録」4行目：「注文率」(K3)の値 0.33 は 33% のことですか？")
        for line in lines
    )
    assert "「証拠」14行目：「日付」の「11月5日」に年がありません。" in lines
    assert any(line.startswith("サイクル3の証拠は1件で、記録が少ないです。") for line in lines)
    assert "サイクル3の「仮説(1つ)」がまだ書かれていません(「サイクル」タブ)。" in lines


def test_a_reminder_never_asks_for_what_is_there(tmp_path: Path) -> None:
    """Cycle 2 of the left-out-rows day, two days before its meeting: its value row is there
    but unreadable — the reminder names that row, never "not yet typed"."""
    day = date(2026, 12, 4)
    lines = _reminded(left_out_rows("ja"), day, tmp_path)
    assert "「KPI記録」3行目：「値」の「集計中」を数字として読めません。" in lines
    assert not any("まだ入力されていません" in line for line in lines)


def test_the_reminder_goes_out_once_listing_the_left_out_row(
    make_client: MakeClient, tmp_path: Path
) -> None:
    """On both backends: the reminder day's sync sends one reminder naming the unreadable row;
    the next run the same day sends none."""
    config = load_config(make_client(left_out_rows("ja"), client=CLIENT["ja"]))  # type: ignore[call-arg, unused-ignore]
    day = date(2026, 12, 4)
    first = run(config, RunOptions(as_of=day), announce=False)
    assert first.reminder_sent_to is not None
    assert run(config, RunOptions(as_of=day), announce=False).reminder_sent_to is None
    [eml] = list(config.outbox_path().glob("*reminder*.eml"))
    message = message_from_bytes(eml.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    assert "「KPI記録」3行目：「値」の「集計中」を数字として読めません。" in str(body.get_content())


# -- a blank new client ----------------------------------------------------------------------------


def test_a_blank_new_client_is_told_to_add_cycle_1(tmp_path: Path) -> None:
    """A new client's workbook has no cycle: the sync counts a no_cycles warning (never 「エラー
    0件・注意0件」 and 「問題はありません」), the Summary says to add cycle 1 with its start date,
    hypothesis and change, doctor says the same as a to-do, and `agenda` says what to add."""
    args = ["new-client", "花屋みどり", "--config-dir", str(tmp_path), "--to", "a@hanaya.co.jp",
            "--from", "kpi@hanaya.co.jp"]  # fmt: skip
    made = CliRunner().invoke(main, args)
    assert made.exit_code == 0, made.output
    config_path = next(tmp_path.glob("*.toml"))
    result = run(load_config(config_path), RunOptions(no_agenda=True), announce=False)
    assert [c.code for c in result.report.checks] == ["no_cycles"]
    rows = _summary_rows(next(tmp_path.glob("*.xlsx")))
    summary = "\n".join(str(row[0]) for row in rows if row)
    assert "チェック：問題はありません。" not in summary and "注意1件" in summary
    assert "まだサイクルがありません。「サイクル」タブにサイクル1の行を足しましょう" in summary
    assert "「開始日」「仮説(1つ)」「改善(1つ)」" in summary
    todo = [f for f in diagnose(config_path) if "to do:" in f.message]
    assert todo and todo[0].ok and "サイクル1" in todo[0].message
    out = CliRunner().invoke(main, ["agenda", "--config", str(config_path)])
    assert out.exit_code != 0 and "サイクル1の行を足す" in out.output
    assert say("error.no_cycle_to_review", "en").startswith("there is no cycle to review yet")


def _summary_rows(workbook: Path) -> list[list[object]]:
    sheet = load_workbook(workbook)["サマリー"]
    return [list(row) for row in sheet.iter_rows(values_only=True)]
