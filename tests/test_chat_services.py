"""Each chat service is posted to as its documentation says — checked by a local fake of it (a
real HTTP server) — and each answer is handled the same way: 429 waits as long as Retry-After
asks, 5xx and a dropped connection are retried with the backoff, a refusal is not retried, and
every failure is words naming the channel, never a secret."""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from sheets_sync.config import load_config
from sheets_sync.errors import ChatError
from sheets_sync.meeting.chat import ChatOutlet, chat_outlets
from sheets_sync.meeting.chat.http import ANSWER_SECONDS, CHAT_RETRY, ChatHttp
from sheets_sync.meeting.chat_view import ChatLink, ChatTask, ChatView
from tests.fake_chat import FakeSlack
from tests.fake_chat import line_works as lw
from tests.fake_chat.base import TRICKLE_BYTES
from tests.support.chat_fixtures import CHANNELS, CHAT_TABLES, Chats, chats
from tests.support.workbooks import baseline, config_file, write_xlsx

__all__ = ["chats"]  # the fixture, imported for pytest

LINK = ChatLink("https://contoso.sharepoint.com/sites/sakura/book.xlsx", "シートを開く")
VIEW = ChatView.of(
    "[テスト店] 15分ミーティング 11月22日(日) 18:30 — サイクル2",
    ["場所：店舗2階", "前回の一歩：「試飲を増やす」(担当：佐藤) → できた"],
    LINK,
)


def outlet(folder: Path, channel: str) -> ChatOutlet:
    """The client's outlet for `channel` (chat:1:slack … chat:5:line_works)."""
    write_xlsx(folder / "book.xlsx", baseline())
    config = load_config(config_file(folder, extra=CHAT_TABLES))
    [found] = [o for o in chat_outlets(config) if o.channel.id == channel]
    return found


def post(folder: Path, channel: str, view: ChatView = VIEW, key: str = "k-1") -> None:
    outlet(folder, channel).service().post(view, key)


def test_slack_gets_text_and_blocks(tmp_path: Path, chats: Chats) -> None:
    """Slack: JSON `text` (the notification) and blocks — the title as a header, the lines as
    plain text, the sheet as a button."""
    post(tmp_path, "chat:1:slack")
    [message] = chats.slack.messages
    header, section, actions = message["blocks"]
    assert header["text"]["text"] == VIEW.title
    assert section["text"] == {"type": "plain_text", "text": "\n".join(VIEW.lines), "emoji": False}
    assert actions["elements"][0]["url"] == LINK.url
    assert message["text"].startswith(VIEW.title)


def test_google_chat_gets_text_and_the_request_id(tmp_path: Path, chats: Chats) -> None:
    """Google Chat: JSON `text` (the title in *bold*, the sheet as <url|label>), with the
    message's key as `requestId`."""
    post(tmp_path, "chat:2:google_chat", key="sheets-sync-abc")
    [request] = chats.google_chat.requests
    assert request.param("requestId") == "sheets-sync-abc"
    text = request.json()["text"]
    assert text.startswith(f"*{VIEW.title}*\n") and text.endswith(f"<{LINK.url}|{LINK.label}>")


def test_teams_gets_an_adaptive_card(tmp_path: Path, chats: Chats) -> None:
    """Teams: one Adaptive Card whose text runs are the title and lines (no Markdown read),
    with the sheet as an Action.OpenUrl."""
    post(tmp_path, "chat:3:teams")
    [card] = chats.teams.cards
    runs = [block["inlines"][0] for block in card["body"]]
    assert [run["type"] for run in runs] == ["TextRun"] * 3
    assert [run["text"] for run in runs] == [VIEW.title, *VIEW.lines]
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": LINK.label, "url": LINK.url}]


def test_chatwork_gets_an_info_block(tmp_path: Path, chats: Chats) -> None:
    """Chatwork: form field `body` as [info][title]…[/title]…[/info], the token in
    X-ChatWorkToken (checked by the fake)."""
    post(tmp_path, "chat:4:chatwork")
    [body] = chats.chatwork.messages
    assert (
        body
        == (f"[info][title]{VIEW.title}[/title]" + "\n".join([*VIEW.lines, LINK.label, LINK.url]))
        + "[/info]"
    )
    assert chats.chatwork.rejected == []


def test_line_works_signs_in_with_a_jwt_then_posts_text(tmp_path: Path, chats: Chats) -> None:
    """LINE WORKS: an RS256 JWT (iss = client id, sub = service account, at most 60 minutes;
    signature checked with the public key) for a token, then text content with that bearer
    token."""
    post(tmp_path, "chat:5:line_works")
    [claims] = chats.line_works.claims
    assert (claims["iss"], claims["sub"]) == (lw.CLIENT_ID, lw.SERVICE_ACCOUNT)
    assert claims["exp"] - claims["iat"] == 3600
    [text] = chats.line_works.messages
    assert text.splitlines() == [VIEW.title, *VIEW.lines, LINK.label, LINK.url]


def test_a_line_works_token_is_kept_until_it_expires_and_renewed_once_refused(
    tmp_path: Path, chats: Chats
) -> None:
    """Two posts sign in once; once the tokens are revoked (401), the next post signs in again
    and goes through — one message each time."""
    post(tmp_path, "chat:5:line_works")
    post(tmp_path, "chat:5:line_works")
    assert len(chats.line_works.tokens) == 1 and len(chats.line_works.messages) == 2
    chats.line_works.revoke_tokens()
    post(tmp_path, "chat:5:line_works")
    assert len(chats.line_works.claims) == 2 and len(chats.line_works.messages) == 3


# -- answers other than success, the same for every service ---------------------------------
def fake_of(chats: Chats, channel: str) -> object:
    kind = channel.split(":")[2]
    return getattr(chats, kind)


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("fault", ["500", "503", "drop"])
def test_a_5xx_or_a_dropped_connection_then_success_is_one_message(
    tmp_path: Path, chats: Chats, channel: str, fault: str
) -> None:
    """The first answer fails (a server error, or the connection closes unanswered): the post
    is tried again after the backoff and the channel holds one message."""
    fake = fake_of(chats, channel)
    fake.fail_next(fault)  # type: ignore[attr-defined]
    post(tmp_path, channel)
    assert chats.agendas()[channel] == 1
    assert len(chats.slept) == 1 and 0 < chats.slept[0] <= CHAT_RETRY.cap_seconds


@pytest.mark.parametrize("channel", CHANNELS)
def test_429_waits_as_long_as_retry_after_asks(tmp_path: Path, chats: Chats, channel: str) -> None:
    """429 with Retry-After: 7 → the retry waits at least 7 seconds, then one message."""
    fake_of(chats, channel).fail_next("429:7")  # type: ignore[attr-defined]
    post(tmp_path, channel)
    assert chats.agendas()[channel] == 1 and chats.slept[0] >= 7


@pytest.mark.parametrize("channel", CHANNELS)
def test_a_channel_that_keeps_failing_gives_up_within_the_policy(
    tmp_path: Path, chats: Chats, channel: str
) -> None:
    """Four 500s: four attempts, three waits, then ChatError naming the channel (exit 4)."""
    fake_of(chats, channel).fail_next(*["500"] * CHAT_RETRY.attempts)  # type: ignore[attr-defined]
    with pytest.raises(ChatError) as raised:
        post(tmp_path, channel)
    assert raised.value.exit_code == 4 and raised.value.key == "chat_gave_up"
    assert channel in raised.value.render("en") and "HTTP 500" in raised.value.render("en")
    assert len(chats.slept) == CHAT_RETRY.attempts - 1 and chats.agendas()[channel] == 0


def test_a_retry_after_longer_than_the_policy_gives_up_at_once(
    tmp_path: Path, chats: Chats
) -> None:
    """429 asking for 10 minutes: no waiting at all (the next run tries again)."""
    chats.slack.fail_next("429:600")
    with pytest.raises(ChatError) as raised:
        post(tmp_path, "chat:1:slack")
    assert raised.value.key == "chat_rate_limited" and chats.slept == []
    assert len(chats.slack.requests) == 1


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("status", ["301", "302", "307", "308"])
def test_a_redirect_is_a_refusal_that_is_never_followed(
    tmp_path: Path, chats: Chats, channel: str, status: str
) -> None:
    """An answer redirecting elsewhere (a hostile network, a moved endpoint): nothing follows it
    — no token, webhook body or message reaches the other address — and nothing counts as
    posted: ChatError naming the status, not retried (the next run tries again)."""
    with FakeSlack() as elsewhere:  # any server: it must receive nothing
        fake_of(chats, channel).fail_next(f"{status}:{elsewhere.url}/collect")  # type: ignore[attr-defined]
        with pytest.raises(ChatError) as raised:
            post(tmp_path, channel)
        assert elsewhere.requests == []
    assert raised.value.key == "chat_refused" and f"HTTP {status}" in raised.value.render("en")
    assert chats.agendas()[channel] == 0 and chats.slept == []


def test_an_answer_that_never_ends_is_read_only_so_long(
    tmp_path: Path, chats: Chats, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slack answers 200 and then trickles its body for ever (each byte inside the read
    timeout): the answer is read for ANSWER_SECONDS of the client's clock and no longer — the
    post counts as taken (the status said so), and the run, holding the client's lock, moves
    on."""
    ticks = iter(range(0, 10_000, 5))  # every look at the clock: five seconds later
    monkeypatch.setattr(ChatHttp, "clock", staticmethod(lambda: float(next(ticks))))
    chats.slack.fail_next("trickle")
    post(tmp_path, "chat:1:slack")
    reads = ANSWER_SECONDS / 5
    assert len(chats.slack.requests) == 1 and chats.slack.trickled < reads + 50 < TRICKLE_BYTES


def test_a_refusal_is_not_retried_and_never_shows_the_token(
    tmp_path: Path, chats: Chats, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong Chatwork token: 401 once, no retry; the error names the channel, the service and
    what it said — not the token."""
    monkeypatch.setenv("SAKURA_CHATWORK_TOKEN", "wrongT0kenXXXXXXXX")
    with pytest.raises(ChatError) as raised:
        post(tmp_path, "chat:4:chatwork")
    said = raised.value.render("ja")
    assert "chat:4:chatwork" in said and "Chatwork" in said and "401" in said
    assert "Invalid API token" in said and "wrongT0ken" not in said
    assert len(chats.chatwork.requests) == 1 and chats.slept == []


@pytest.mark.parametrize("channel", CHANNELS)
def test_an_unset_variable_fails_that_channel_naming_the_variable(
    tmp_path: Path, chats: Chats, channel: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each service's secret variable unset: ChatError naming the variable, nothing sent."""
    variable = {
        "chat:1:slack": "SAKURA_SLACK_WEBHOOK",
        "chat:2:google_chat": "SAKURA_GCHAT_WEBHOOK",
        "chat:3:teams": "SAKURA_TEAMS_WEBHOOK",
        "chat:4:chatwork": "SAKURA_CHATWORK_TOKEN",
        "chat:5:line_works": "SAKURA_LW_CLIENT_SECRET",
    }[channel]
    monkeypatch.delenv(variable)
    with pytest.raises(ChatError) as raised:
        post(tmp_path, channel)
    assert raised.value.key == "chat_env_unset" and variable in raised.value.render("en")
    assert fake_of(chats, channel).requests == []  # type: ignore[attr-defined]


def test_a_webhook_url_must_be_https(
    tmp_path: Path, chats: Chats, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A plain-http webhook to another host is refused before anything is sent (only this
    machine may be reached over http, as the tests do)."""
    monkeypatch.setenv("SAKURA_SLACK_WEBHOOK", "http://hooks.example.net/services/T/B/X")
    with pytest.raises(ChatError) as raised:
        post(tmp_path, "chat:1:slack")
    assert raised.value.key == "chat_webhook_not_https"


@pytest.mark.parametrize(
    ("channel", "variable", "value"),
    [
        ("chat:1:slack", "SAKURA_SLACK_WEBHOOK", "http://[::1/services/T/B/X"),
        ("chat:1:slack", "SAKURA_SLACK_WEBHOOK", "https://hooks.slack.com:99999/services/T/B/X"),
        ("chat:2:google_chat", "SAKURA_GCHAT_WEBHOOK", "https://chat.googleapis.com/v1/ spaces"),
        ("chat:4:chatwork", "SAKURA_CHATWORK_TOKEN", "ｃｗトークン"),
        ("chat:4:chatwork", "SAKURA_CHATWORK_TOKEN", "cwT0ken\nX-Other: 1"),
        ("chat:5:line_works", "SAKURA_LW_CLIENT_SECRET", "secret\twith a tab"),
    ],
)
def test_a_variable_holding_no_usable_value_fails_that_channel_naming_it(
    tmp_path: Path,
    chats: Chats,
    monkeypatch: pytest.MonkeyPatch,
    channel: str,
    variable: str,
    value: str,
) -> None:
    """A value pasted with full-width letters, a line break inside, or a URL that does not
    parse: ChatError naming the variable (never its value), nothing sent, nothing retried —
    not an unexpected error that stops the run."""
    monkeypatch.setenv(variable, value)
    with pytest.raises(ChatError) as raised:
        post(tmp_path, channel)
    said = raised.value.render("en")
    assert variable in said and value not in said and raised.value.exit_code == 4
    assert fake_of(chats, channel).requests == [] and chats.slept == []  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("channel", "variable"),
    [
        ("chat:4:chatwork", "SHEETS_SYNC_CHATWORK_URL"),
        ("chat:5:line_works", "SHEETS_SYNC_LINE_WORKS_AUTH_URL"),
    ],
)
def test_a_base_url_override_that_does_not_parse_is_a_settings_error(
    tmp_path: Path, chats: Chats, monkeypatch: pytest.MonkeyPatch, channel: str, variable: str
) -> None:
    """A private deployment's base URL typed wrong ("http://[::1/v2"): ChatError for that
    channel (exit 4), not retried — never an unexpected error that stops the run."""
    monkeypatch.setenv(variable, "http://[::1/v2")
    with pytest.raises(ChatError) as raised:
        post(tmp_path, channel)
    assert raised.value.key == "chat_request_invalid" and raised.value.exit_code == 4
    assert channel in raised.value.render("ja") and chats.slept == []


# -- Chatwork tasks ---------------------------------------------------------------------------
def test_a_decided_step_becomes_a_chatwork_task_due_at_the_next_meeting(
    tmp_path: Path, chats: Chats
) -> None:
    """With task = true and the owner in `people`: after the message, a task for that account
    with the step as its body, due (limit_type date) on the next meeting's day."""
    due = date(2026, 12, 6)
    post(tmp_path, "chat:4:chatwork", ChatView(VIEW.title, VIEW.lines, LINK,
                                               ChatTask("試飲を増やす", "佐藤", due)))  # fmt: skip
    [task] = chats.chatwork.tasks
    end_of_day = datetime.combine(due, time(23, 59), tzinfo=ZoneInfo("Asia/Tokyo"))
    assert task == {
        "body": "試飲を増やす",
        "to_ids": "1234567",
        "limit": str(int(end_of_day.timestamp())),
        "limit_type": "date",
    }
    assert len(chats.chatwork.messages) == 1


def test_an_owner_without_an_account_gets_no_task_and_a_failed_task_undoes_nothing(
    tmp_path: Path, chats: Chats
) -> None:
    """An owner missing from `people`: the message only. A task the API refuses: the message
    stays sent (no error, so it is never posted twice)."""
    task = ChatTask("試飲を増やす", "田中", date(2026, 12, 6))
    post(tmp_path, "chat:4:chatwork", ChatView(VIEW.title, VIEW.lines, LINK, task))
    assert chats.chatwork.tasks == [] and len(chats.chatwork.messages) == 1
    chats.chatwork.tasks_down = True
    sato = ChatTask("試飲を増やす", "佐藤", date(2026, 12, 6))
    post(tmp_path, "chat:4:chatwork", ChatView(VIEW.title, VIEW.lines, LINK, sato))
    assert chats.chatwork.tasks == [] and len(chats.chatwork.messages) == 2
    assert chats.chatwork.rejected.count("tasks are down") == CHAT_RETRY.attempts
