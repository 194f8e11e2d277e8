"""Every message the mail carries also goes to each chat channel, exactly once per channel:
repeated runs post nothing twice, a failed channel is posted to by the next run without the
mail or the other channels again, and a crash between a post and its note in the journal is no
second message on Google Chat (the same requestId) and at most one repeat elsewhere."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from sheets_sync.config import Config, load_config
from sheets_sync.core.sends import Channel, MessageKind, SendRecord
from sheets_sync.errors import EXIT_MAIL, EXIT_OK
from sheets_sync.run import sending
from sheets_sync.run.journal import journal_path, pending_sends, record
from sheets_sync.run.options import RunOptions
from sheets_sync.run.sync import RunResult, run, run_line
from tests.support.chat_fixtures import CHANNELS, CHAT_TABLES, Chats, chats
from tests.support.workbooks import (
    FOLLOW_UP_OFF,
    Tabs,
    baseline,
    config_file,
    with_enough_evidence,
    write_xlsx,
)

__all__ = ["chats"]  # the fixture, imported for pytest

REMIND_DAY = date(2026, 11, 20)  # cycle 2's meeting is 11-22: the reminder is due
DUE_DAY = date(2026, 11, 21)  # cycle 2's agenda is due


def without_cycle2_value() -> Tabs:
    """Cycle 2's 購入率 not typed yet (and enough evidence): the reminder asks for that alone."""
    tabs = with_enough_evidence(baseline())
    tabs["KPI記録"] = [row for row in tabs["KPI記録"] if row[0] != 2]
    return tabs


def client(folder: Path, tables: str = CHAT_TABLES, tabs: Tabs | None = None) -> Config:
    """An .xlsx client, mail to the outbox, one [[chat]] per service (chat:1 … chat:5); the
    follow-up off (these tests count the reminder and the agenda: test_follow_up.py posts it)."""
    write_xlsx(folder / "book.xlsx", tabs if tabs is not None else without_cycle2_value())
    return load_config(config_file(folder, extra=FOLLOW_UP_OFF + tables))


def sync(config: Config, day: date, **options: Any) -> RunResult:
    return run(config, RunOptions(as_of=day, **options), announce=False)


def mails(folder: Path) -> list[str]:
    return sorted(path.name for path in (folder / "outbox").glob("*.eml"))


def chat_rows(folder: Path) -> list[tuple[object, ...]]:
    """The Log's chat rows: what, result, cycle, details."""
    log = load_workbook(folder / "book.xlsx")["ログ"]
    rows = [row[1:5] for row in log.iter_rows(min_row=2, values_only=True) if row[0]]
    return [row for row in rows if "チャット" in str(row[0])]


def test_each_channel_gets_one_reminder_and_one_agenda_across_repeated_runs(
    tmp_path: Path, chats: Chats
) -> None:
    """Three runs on the reminder day, three on the agenda's day: each of the five chats holds
    exactly one reminder then one agenda, the mail sent each once, the Log one row per channel
    and message, the report's `agenda.chat` each channel's result."""
    config = client(tmp_path)
    for day in (REMIND_DAY, DUE_DAY):
        for _ in range(3):
            assert sync(config, day).exit_code == EXIT_OK
    assert chats.agendas() == dict.fromkeys(CHANNELS, 2)
    assert len(mails(tmp_path)) == 2
    reminder, agenda = chats.line_works.messages
    assert "入力のお願い" in reminder.splitlines()[0] and "ミーティング" in agenda.splitlines()[0]
    rows = chat_rows(tmp_path)
    for channel in CHANNELS:
        # the reminder says what it asked for
        asked = f"{channel} · サイクル2の「購入率」(K3)がまだ入力されていません(「KPI記録」タブ)。"
        assert ("入力のお願い(チャット)", "送信済み", 2, asked) in rows
        assert ("アジェンダ(チャット)", "送信済み", 2, channel) in rows
    assert len(rows) == 10
    state = sync(config, DUE_DAY).report.to_json()["agenda"]["chat"]
    # Each channel takes the follow-up too (its `send` list's default): not sent yet, it is off.
    assert {(e["channel"], e["message"], e["result"]) for e in state} == {
        (channel, message, "sent") for channel in CHANNELS for message in ("agenda", "reminder")
    } | {(channel, "follow_up", "not_sent") for channel in CHANNELS}


def test_500_then_success_on_a_run_is_one_message(tmp_path: Path, chats: Chats) -> None:
    """Google Chat answers 500 once: the run retries within itself, posts once, exits 0."""
    config = client(tmp_path)
    chats.google_chat.fail_next("500")
    assert sync(config, DUE_DAY).exit_code == EXIT_OK
    assert chats.agendas()["chat:2:google_chat"] == 1 and len(chats.google_chat.requests) == 2


def test_one_channel_down_fails_only_that_channel_and_the_next_run_posts_only_there(
    tmp_path: Path, chats: Chats
) -> None:
    """Chatwork answers 500 to every try: the mail and the other four chats get the agenda once,
    the run exits 4 naming chat:4:chatwork (Log row `failed`, report `failed`); the next run
    posts to Chatwork only — no second mail, nothing more anywhere else."""
    config = client(tmp_path)
    chats.chatwork.fail_next(*["500"] * 4)
    first = sync(config, DUE_DAY)
    assert first.exit_code == EXIT_MAIL
    assert [d.channel.id for d in first.failures] == ["chat:4:chatwork"]
    assert "chat:4:chatwork" in run_line(config, first)
    assert chats.agendas() == {**dict.fromkeys(CHANNELS, 1), "chat:4:chatwork": 0}
    assert len(mails(tmp_path)) == 1
    [failed] = [row for row in chat_rows(tmp_path) if row[1] == "失敗"]
    assert failed[:3] == ("アジェンダ(チャット)", "失敗", 2) and "chat:4:chatwork" in str(failed[3])
    state = {(e["channel"], e["message"]): e for e in first.report.to_json()["agenda"]["chat"]}
    chatwork = state["chat:4:chatwork", "agenda"]
    assert chatwork["result"] == "failed" and "chat:4:chatwork" in chatwork["error"]
    assert state["chat:1:slack", "agenda"]["result"] == "sent"
    second = sync(config, DUE_DAY)
    assert second.exit_code == EXIT_OK
    assert [d.channel.id for d in second.deliveries if d.sent_to] == ["chat:4:chatwork"]
    assert chats.agendas() == dict.fromkeys(CHANNELS, 1) and len(mails(tmp_path)) == 1


def test_a_token_pasted_wrong_fails_only_its_channel_and_the_sheet_is_written(
    tmp_path: Path, chats: Chats, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chatwork's variable holds full-width letters (a token typed by hand): the mail and the
    other chats get the agenda, the run exits 4 naming chat:4:chatwork and its variable, and
    the sheet is written — the run is not stopped by an unexpected error halfway through."""
    monkeypatch.setenv("SAKURA_CHATWORK_TOKEN", "ｃｗトークン")
    config = client(tmp_path)
    result = sync(config, DUE_DAY)
    assert result.exit_code == EXIT_MAIL and result.wrote
    assert [d.channel.id for d in result.failures] == ["chat:4:chatwork"]
    assert chats.agendas() == {**dict.fromkeys(CHANNELS, 1), "chat:4:chatwork": 0}
    [failed] = [row for row in chat_rows(tmp_path) if row[1] == "失敗"]
    assert "SAKURA_CHATWORK_TOKEN" in str(failed[3]) and "トークン" not in str(failed[3])


class Killed(BaseException):
    """The process dies: nothing below catches it, nothing after it runs."""


def kill_after_posting_to(kind: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first post to `kind` goes out, then the run dies before noting it in the journal."""
    remember = sending._remember
    armed = [True]

    def note_or_die(config: Config, sent: SendRecord) -> None:
        if sent.channel.kind == kind and armed[0]:
            armed[0] = False
            raise Killed
        remember(config, sent)

    monkeypatch.setattr(sending, "_remember", note_or_die)


def test_a_crash_between_the_post_and_the_journal_on_google_chat_is_one_message(
    tmp_path: Path, chats: Chats, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed right after Google Chat took the agenda: the next run posts it again with the same
    requestId, so the space holds one message; what went out before the crash (mail, Slack) is
    not sent again, what came after goes out once."""
    config = client(tmp_path)
    kill_after_posting_to("google_chat", monkeypatch)
    with pytest.raises(Killed):
        sync(config, DUE_DAY)
    sync(config, DUE_DAY)
    first, second = chats.google_chat.requests
    assert first.param("requestId") == second.param("requestId")
    assert chats.agendas() == dict.fromkeys(CHANNELS, 1) and len(mails(tmp_path)) == 1
    assert not journal_path(config).exists()


def test_a_crash_between_the_post_and_the_journal_on_chatwork_repeats_once_at_most(
    tmp_path: Path, chats: Chats, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chatwork has no idempotency key: the same crash shows the agenda twice there, never a
    third time (the README says so)."""
    config = client(tmp_path)
    kill_after_posting_to("chatwork", monkeypatch)
    with pytest.raises(Killed):
        sync(config, DUE_DAY)
    sync(config, DUE_DAY)
    sync(config, DUE_DAY)
    assert len(chats.chatwork.messages) == 2
    assert chats.agendas() == {**dict.fromkeys(CHANNELS, 1), "chat:4:chatwork": 2}


def test_a_channel_sent_only_some_messages_gets_only_those(tmp_path: Path, chats: Chats) -> None:
    """`send = ["agenda"]`: that channel gets no reminder; the others do."""
    tables = CHAT_TABLES.replace(
        'webhook_env = "SAKURA_SLACK_WEBHOOK"\n',
        'webhook_env = "SAKURA_SLACK_WEBHOOK"\nsend = ["agenda"]\n',
    )
    config = client(tmp_path, tables)
    sync(config, REMIND_DAY)
    assert chats.agendas() == {**dict.fromkeys(CHANNELS, 1), "chat:1:slack": 0}
    sync(config, DUE_DAY)
    assert chats.agendas() == {**dict.fromkeys(CHANNELS, 2), "chat:1:slack": 1}


def test_no_agenda_posts_nothing_anywhere(tmp_path: Path, chats: Chats) -> None:
    """--no-agenda: every channel's delivery is skipped for that reason, nothing is posted."""
    config = client(tmp_path)
    result = sync(config, DUE_DAY, no_agenda=True)
    assert chats.agendas() == dict.fromkeys(CHANNELS, 0)
    skipped = {d.channel.id for d in result.deliveries if d.skipped == "--no-agenda"}
    assert skipped == {"mail", *CHANNELS}


def test_the_agenda_carries_no_task_even_when_a_step_is_already_written(
    tmp_path: Path, chats: Chats
) -> None:
    """Cycle 2's next step and owner already written when its agenda goes out: the agenda is a
    message only — the decided step becomes a Chatwork task with the follow-up after the meeting
    (tests/test_follow_up.py), so it is never made twice."""
    tabs = without_cycle2_value()
    tabs["サイクル"][2][6:9] = ["試飲を増やす", "実行中", "佐藤"]
    sync(client(tmp_path, tabs=tabs), DUE_DAY)
    assert chats.agendas()["chat:4:chatwork"] == 1 and chats.chatwork.tasks == []


def test_the_journal_keeps_each_channels_send_and_reads_an_older_file_as_mail(
    tmp_path: Path, chats: Chats
) -> None:
    """A chat send is noted with its channel beside the mail's (an entry without one is the
    mail's, as in every older file); a run after a failed Log write adds each one's Log row once
    and posts nothing again."""
    config = client(tmp_path)
    at = "2026-11-21T08:00:00+09:00"
    journal_path(config).write_text(
        json.dumps({"cycle": 2, "sent_at": at, "where": "smtp://old"}), encoding="utf-8"
    )
    record(
        config, SendRecord(MessageKind.AGENDA, 2, at, "chat:4:chatwork", Channel("chat:4:chatwork"))
    )
    assert [(s.kind, s.channel.id) for s in pending_sends(config)] == [
        (MessageKind.AGENDA, "mail"),
        (MessageKind.AGENDA, "chat:4:chatwork"),
    ]
    sync(config, DUE_DAY)
    assert mails(tmp_path) == [] and chats.agendas() == {
        **dict.fromkeys(CHANNELS, 1),
        "chat:4:chatwork": 0,
    }
    rows = chat_rows(tmp_path)
    assert rows.count(("アジェンダ(チャット)", "送信済み", 2, "chat:4:chatwork")) == 1
    assert not journal_path(config).exists()


FOLLOW_UP_DAY = date(2026, 11, 9)  # cycle 1's meeting was 11-08: its follow-up is due


def test_each_channel_gets_one_follow_up_across_repeated_runs(tmp_path: Path, chats: Chats) -> None:
    """The follow-up after cycle 1's meeting, run three times on its day and again the next day:
    each of the five chats holds exactly one 決まったこと, the mail sent once, the Log one row per
    channel, and the report says each channel's follow-up was sent."""
    write_xlsx(tmp_path / "book.xlsx", without_cycle2_value())
    config = load_config(config_file(tmp_path, extra=CHAT_TABLES))
    for day in (FOLLOW_UP_DAY, FOLLOW_UP_DAY, FOLLOW_UP_DAY, date(2026, 11, 10)):
        assert sync(config, day).exit_code == EXIT_OK
    assert chats.agendas() == dict.fromkeys(CHANNELS, 1)
    (posted,) = chats.line_works.messages
    assert "決まったこと" in posted.splitlines()[0]
    assert [name for name in mails(tmp_path) if "follow_up" in name] == mails(tmp_path)
    assert len(mails(tmp_path)) == 1
    follow_ups = [row for row in chat_rows(tmp_path) if str(row[0]).startswith("決まったこと")]
    assert sorted(str(row[3]).split(" ")[0] for row in follow_ups) == sorted(CHANNELS)
    state = sync(config, date(2026, 11, 10)).report.to_json()["agenda"]["chat"]
    assert {(e["channel"], e["result"]) for e in state if e["message"] == "follow_up"} == {
        (channel, "sent") for channel in CHANNELS
    }
