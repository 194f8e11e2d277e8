"""Links staff can open: `sheet.url` is the address of an .xlsx workbook that staff use (a
OneDrive, SharePoint, Dropbox or NAS link); without it there is no link at all. No output staff
read — the agenda (text, HTML, .eml), the input reminder, the follow-up after the meeting, the
invite, the Log, the chat messages — ever holds a `file://` link or a path of the machine that
ran the sync."""

from __future__ import annotations

import json
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from openpyxl import load_workbook

from sheets_sync import api
from sheets_sync.config import load_config
from sheets_sync.core.places import sheet_link, staff_place, without_machine_paths
from sheets_sync.errors import ConfigError
from sheets_sync.run.sync import RunOptions, run
from tests.support.chat_fixtures import CHAT_TABLES, Chats, chats
from tests.support.workbooks import baseline, write_config, write_xlsx

__all__ = ["chats"]  # the fixture, imported for pytest

LINK = "https://contoso.sharepoint.com/sites/sakura/Shared%20Documents/book.xlsx?web=1"
REMIND_DAY = date(2026, 11, 20)  # cycle 2's meeting is 11-22: the reminder is due
DUE_DAY = date(2026, 11, 21)  # cycle 2's agenda is due
AFTER_DAY = date(2026, 11, 23)  # the day after cycle 2's meeting: its follow-up is due


def client(folder: Path, url: str | None, extra: str = "") -> Path:
    """An .xlsx client whose cycle 2 lacks a value (so the reminder has work), with or without
    `sheet.url`; mail to the outbox folder."""
    tabs = baseline()
    tabs["KPI記録"] = [row for row in tabs["KPI記録"] if row[0] != 2]
    write_xlsx(folder / "book.xlsx", tabs)
    sheet = 'backend = "xlsx"\npath = "book.xlsx"' + (f'\nurl = "{url}"' if url else "")
    meeting = '\n[meeting]\ntime = "18:30"\nplace = "店舗2階"\n'
    return write_config(folder, sheet, meeting + extra)


def mail_texts(path: Path) -> list[str]:
    """Every part of a message as a person's program shows it: bodies and attachments decoded."""
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    texts = [str(value) for value in message.values()]
    for part in message.walk():
        if part.is_multipart() or part.get_content_maintype() == "image":
            continue
        payload = part.get_payload(decode=True)
        assert isinstance(payload, bytes)
        texts.append(payload.decode("utf-8"))
    return texts


def chat_bodies(chats: Chats) -> dict[str, str]:
    """What each chat was posted, as its service received it."""
    return {
        "Slack": json.dumps(chats.slack.messages, ensure_ascii=False),
        "Google Chat": json.dumps(list(chats.google_chat.messages.values()), ensure_ascii=False),
        "Teams": json.dumps(chats.teams.cards, ensure_ascii=False),
        "Chatwork": "\n".join(chats.chatwork.messages),
        "LINE WORKS": "\n".join(chats.line_works.messages),
    }


def every_output(folder: Path, config_path: Path) -> dict[str, str]:
    """The mails a week's runs send — cycle 1's follow-up (決まったこと) and cycle 2's reminder
    on the reminder day, its agenda, its follow-up (記入のお願い: its learning is blank) the day
    after the meeting —, `agenda --out` in each format, and every cell of the Log, by name."""
    config = load_config(config_path)
    for day in (REMIND_DAY, DUE_DAY, AFTER_DAY):
        run(config, RunOptions(as_of=day))
    outputs: dict[str, str] = {}
    for eml in sorted((folder / "outbox").glob("*.eml")):
        outputs[eml.name] = "\n".join(mail_texts(eml))
    for suffix in (".txt", ".html", ".eml"):
        out = folder / f"agenda{suffix}"
        api.agenda(config_path, as_of=DUE_DAY, out=out)
        text = "\n".join(mail_texts(out)) if suffix == ".eml" else out.read_text("utf-8")
        outputs[out.name] = text
    log = load_workbook(folder / "book.xlsx")["ログ"]
    outputs["Log"] = "\n".join(
        str(cell) for row in log.iter_rows(values_only=True) for cell in row if cell is not None
    )
    return outputs


def machine_paths(folder: Path) -> list[str]:
    return ["file://", str(folder), str(folder.resolve()), str(Path.home())]


@pytest.mark.parametrize("url", [None, LINK], ids=["without sheet.url", "with sheet.url"])
def test_no_output_staff_read_holds_a_machine_path(
    tmp_path: Path, url: str | None, chats: Chats
) -> None:
    """Reminder mail, agenda mail with its invite, both follow-ups (決まったこと, 記入のお願い),
    agenda --out .txt/.html/.eml, the Log and every chat's messages: no `file://` and no path of
    this machine; the sheet's link is there exactly when configured."""
    outputs = every_output(tmp_path, client(tmp_path, url, CHAT_TABLES))
    assert {"agenda.txt", "agenda.html", "agenda.eml", "Log"} <= outputs.keys()
    mails = [name for name in outputs if name.endswith("-reminder.eml")]
    follow_ups = [name for name in outputs if name.endswith("-follow_up.eml")]
    assert len(mails) == 1 and len(follow_ups) == 2
    assert len(outputs) == 8  # the reminder, the agenda, two follow-ups, three --out, Log
    chat = chat_bodies(chats)
    # A reminder, an agenda and two follow-ups on each chat.
    assert chats.agendas() == dict.fromkeys(chats.agendas(), 4)
    for name, text in chat.items():
        assert text.count(LINK) == (4 if url else 0), name
        assert "https://" in text or url is None
    outputs.update(chat)
    for name, text in outputs.items():
        for path in machine_paths(tmp_path):
            assert path not in text, (name, path)
    agendas = [text for name, text in outputs.items() if name.startswith("agenda.")]
    for text in agendas + [outputs[name] for name in follow_ups]:
        assert (LINK in text) is (url is not None)
    assert ("シート：" in outputs["agenda.txt"]) is (url is not None)


def test_the_log_names_an_outbox_mail_by_its_place_in_the_clients_folder(tmp_path: Path) -> None:
    """The Log's details say `outbox/<file>.eml` (where the consultant finds it), not the
    machine's full path; the run's own result keeps the full path for the terminal."""
    config = load_config(client(tmp_path, None))
    result = run(config, RunOptions(as_of=DUE_DAY))
    sent = result.agenda_sent_to
    assert sent is not None and Path(sent).is_absolute()
    log = load_workbook(tmp_path / "book.xlsx")["ログ"]
    rows = log.iter_rows(min_row=2, values_only=True)
    details = [row[4] for row in rows if row[1] == "アジェンダ"]
    assert details == [f"outbox/{Path(sent).name}"]


def test_a_failed_send_in_the_log_does_not_show_the_folder(tmp_path: Path) -> None:
    """An outbox that cannot be made (a file stands where the folder should be): the Log's
    `failed` row says why in words, with the folder named inside the client's folder only."""
    config = load_config(client(tmp_path, None))
    (tmp_path / "outbox").write_text("not a folder", encoding="utf-8")
    result = run(config, RunOptions(as_of=DUE_DAY))
    assert result.exit_code == 4
    log = load_workbook(tmp_path / "book.xlsx")["ログ"]
    [failed] = [row for row in log.iter_rows(min_row=2, values_only=True) if row[2] == "失敗"]
    assert "outbox" in str(failed[4])
    for path in machine_paths(tmp_path):
        assert path not in str(failed[4])


@pytest.mark.parametrize(
    "given", ["file:///srv/shop/book.xlsx", "/home/shop/book.xlsx", "\\\\nas\\share\\book.xlsx"]
)
def test_a_file_path_as_sheet_url_is_a_config_error_naming_the_key(
    tmp_path: Path, given: str
) -> None:
    """`sheet.url` must be a web address staff can open: a file path is refused at load
    (exit 2), naming `sheet.url` and the file."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    escaped = given.replace("\\", "\\\\")
    path = write_config(tmp_path, f'backend = "xlsx"\npath = "book.xlsx"\nurl = "{escaped}"')
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    text = raised.value.render("en")
    assert raised.value.exit_code == 2
    assert "sheet.url" in text and str(path) in text and "web address" in text


def test_the_link_is_the_configured_one_else_a_web_address_else_none() -> None:
    """`sheet.url` wins; a Google Sheet's own https address is used; a local file is no link."""
    google = "https://docs.google.com/spreadsheets/d/abc/edit"
    assert sheet_link(LINK, "file:///srv/book.xlsx") == LINK
    assert sheet_link(None, google) == google
    assert sheet_link(None, "file:///srv/book.xlsx") is None
    assert sheet_link(None, None) is None


def test_places_inside_the_folder_are_relative_and_others_are_named_only(tmp_path: Path) -> None:
    """An .eml in the outbox is `outbox/x.eml`; a file elsewhere is its name; smtp:// stays; an
    error's text loses the folder and a file:// link keeps only its name."""
    assert staff_place(str(tmp_path / "outbox" / "x.eml"), tmp_path) == "outbox/x.eml"
    assert staff_place("/var/mail/x.eml", tmp_path) == "x.eml"
    assert staff_place("smtp://127.0.0.1:25", tmp_path) == "smtp://127.0.0.1:25"
    said = f"could not write {tmp_path}/outbox (see file:///srv/logs/run.txt)"
    assert without_machine_paths(said, tmp_path) == "could not write outbox (see run.txt)"
