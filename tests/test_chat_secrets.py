"""A chat's secrets — webhook URLs (and the parts of them a log line could quote), tokens, the
LINE WORKS client secret, private key and access tokens — never appear in any output: the Log,
--log-file (at debug level too), stdout, stderr, the report, the journal, the mail, `doctor`
and `chat-test`; and a secret typed into the config file is refused without being echoed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from openpyxl import load_workbook

from sheets_sync.cli import main
from tests.support.chat_fixtures import CHAT_TABLES, Chats, chats
from tests.support.workbooks import baseline, config_file, write_xlsx

__all__ = ["chats"]  # the fixture, imported for pytest

DUE_DAY = "2026-11-21"
HOOK = "https://hooks.slack.com/services/T1/B1/SeCrEt"


def invoke(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def client(folder: Path) -> Path:
    write_xlsx(folder / "book.xlsx", baseline())
    return config_file(folder, extra=CHAT_TABLES)


def outputs_of_a_troubled_run(folder: Path, chats: Chats) -> dict[str, str]:
    """`sync -v --log-file --report` on the agenda's day while every chat misbehaves once (429,
    500, a dropped connection, a revoked token) and Chatwork for good; then `doctor` and
    `chat-test` with Chatwork still down. Everything each wrote, by name."""
    config = client(folder)
    chats.slack.fail_next("429:2")
    chats.google_chat.fail_next("500")
    chats.teams.fail_next("drop")
    chats.chatwork.fail_next(*["500"] * 4)
    log_file, report = folder / "run.log", folder / "report.json"
    sync = invoke(
        "-v", "sync", "--config", str(config), "--as-of", DUE_DAY,
        "--report", str(report), "--log-file", str(log_file),
    )  # fmt: skip
    assert sync.exit_code == 4, sync.output
    chats.chatwork.fail_next(*["500"] * 8)
    doctor = invoke("doctor", "--config", str(config))
    trial = invoke("-v", "chat-test", "--config", str(config))
    assert trial.exit_code == 4, trial.output
    log = load_workbook(folder / "book.xlsx")["ログ"]
    cells = [str(c) for row in log.iter_rows(values_only=True) for c in row if c is not None]
    mails = [p.read_bytes().decode("ascii") for p in (folder / "outbox").glob("*.eml")]
    return {
        "sync output": sync.output,
        "log file": log_file.read_text(encoding="utf-8"),
        "report": report.read_text(encoding="utf-8"),
        "Log tab": "\n".join(cells),
        "journal": "\n".join(p.read_text("utf-8") for p in folder.glob(".*.agenda-sent.json")),
        "mail": "\n".join(mails),
        "doctor": doctor.output,
        "chat-test": trial.output,
    }


def test_no_secret_in_any_output(tmp_path: Path, chats: Chats) -> None:
    """Every output of a run, doctor and chat-test, with retries, failures and debug logging:
    none holds a secret; the failure is there in words naming chat:4:chatwork."""
    outputs = outputs_of_a_troubled_run(tmp_path, chats)
    assert chats.line_works.tokens, "LINE WORKS signed in, so a token exists to leak"
    assert "chat:4:chatwork" in outputs["sync output"] and "chat:4:chatwork" in outputs["Log tab"]
    assert "POST" in outputs["log file"]  # debug logging really was on (urllib3's lines)
    for name, text in outputs.items():
        for secret in chats.secrets:
            assert secret not in text, (name, secret[:12])
    report = json.loads(outputs["report"])
    assert any(e["result"] == "failed" for e in report["agenda"]["chat"])


@pytest.mark.parametrize(
    ("table", "key"),
    [
        (f'kind = "slack"\nwebhook_url = "{HOOK}"', "webhook_url"),
        (f'kind = "slack"\nwebhook_env = "{HOOK}"', "webhook_env"),
        ('kind = "chatwork"\nroom = "1"\ntoken_env = "X"\ntoken = "SeCrEtT0ken"', "token"),
        ('kind = "line_works"\nbot = "1"\nchannel = "c"\nclient_id_env = "A"\n'
         'client_secret_env = "B"\nservice_account_env = "C"\n'
         'private_key_file = "-----BEGIN PRIVATE KEY-----SeCrEt"', "private_key_file"),
        # pasted under a key that takes something else: refused, and still never echoed
        (f'kind = "chatwork"\nroom = "{HOOK}"\ntoken_env = "X"', "room"),
        (f'kind = "slack"\nwebhook_env = "X"\nsend = ["{HOOK}"]', "send"),
        ('kind = "chatwork"\nroom = "1"\ntoken_env = "X"\npeople = { "a" = "SeCrEt" }', "people"),
    ],
)  # fmt: skip
def test_a_secret_typed_into_the_config_is_exit_2_naming_the_key_not_the_value(
    tmp_path: Path, table: str, key: str
) -> None:
    """A webhook URL, a token or a key in the TOML itself: exit 2, the key and the file named,
    the value nowhere in the output."""
    write_xlsx(tmp_path / "book.xlsx", baseline())
    config = config_file(tmp_path, extra=f"[[chat]]\n{table}\n")
    result = invoke("sync", "--config", str(config))
    assert result.exit_code == 2, result.output
    assert key in result.output and str(config) in result.output
    assert "SeCrEt" not in result.output and "Traceback" not in result.output
