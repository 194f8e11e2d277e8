"""The portfolio after sync-all: every client on one page (HTML and CSV), neediest first,
staff text escaped, and mailed to the consultant when portfolio.toml says so."""

from __future__ import annotations

import csv
from collections.abc import Iterator
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync import api
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.run.locking import client_lock
from sheets_sync.words.lang import LANGS, Lang
from tests.support.clients import with_errors, xlsx_client
from tests.support.smtp_server import Server, serve
from tests.support.words import shows
from tests.support.workbooks import BASELINE_TODAY

SCRIPT = "<script>alert(1)</script>"


@pytest.fixture
def smtp() -> Iterator[Server]:
    yield from serve()


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.DictReader(stream))


def three_clients(folder: Path) -> None:
    xlsx_client(folder, "a-fine", client="順調な店")
    xlsx_client(folder, "b-script", client=SCRIPT)
    xlsx_client(folder, "c-errors", with_errors(), client="エラーのある店")


def test_html_and_csv_are_written_with_the_client_with_errors_first(tmp_path: Path) -> None:
    """Both files appear beside the configs; the client with errors sorts to the top although
    its file name sorts last; the others follow by name."""
    three_clients(tmp_path)

    outcome = api.sync_all(tmp_path, jobs=3, as_of=BASELINE_TODAY)

    rows = read_csv(tmp_path / "portfolio.csv")
    assert [row["client"] for row in rows] == ["エラーのある店", SCRIPT, "順調な店"]
    first = rows[0]
    assert first["open_errors"] == "2" and first["score"] == "20"
    assert first["outcome"] == "ok" and first["agenda_sent"] == "no"
    assert first["current_cycle"] == "2" and first["days_since_evidence"] == "10"
    assert first["cycles_missed"] == "0"
    assert first["chain_note"]
    assert rows[2]["score"] == "0"
    html = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    assert html.index("エラーのある店") < html.index("順調な店")
    assert '<html lang="ja">' in html
    assert [f.what for f in outcome.followups] == ["portfolio"]
    assert not list(tmp_path.glob(".portfolio.*"))  # no temp files left behind


def test_a_client_name_with_a_script_tag_is_escaped_in_the_html(tmp_path: Path) -> None:
    """Text from a config or a sheet is shown, never run: <script> becomes &lt;script&gt;."""
    three_clients(tmp_path)

    api.sync_all(tmp_path, jobs=3, as_of=BASELINE_TODAY)

    html = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    assert SCRIPT not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_a_failed_run_comes_before_sheet_errors_and_says_why(tmp_path: Path) -> None:
    """A client whose sheet could not be read outranks one with errors in its sheet; its row
    says what went wrong and leaves the unknown figures empty."""
    xlsx_client(tmp_path, "a-errors", with_errors(), client="エラーのある店")
    xlsx_client(tmp_path, "b-open", client="開いている店")
    (tmp_path / "~$b-open.xlsx").write_bytes(b"")

    api.sync_all(tmp_path, jobs=2, as_of=BASELINE_TODAY)

    rows = read_csv(tmp_path / "portfolio.csv")
    assert [row["client"] for row in rows] == ["開いている店", "エラーのある店"]
    assert rows[0]["outcome"] == "sheet error" and rows[0]["score"] == "100"
    assert rows[0]["open_errors"] == "" and rows[0]["last_sync"] == ""
    assert shows(rows[0]["problem"], "error.workbook_open", "ja")  # the client's language


@pytest.mark.parametrize("lang", LANGS)
def test_a_clients_problem_is_english_in_the_table_and_in_the_portfolios_own_language(
    tmp_path: Path, lang: Lang
) -> None:
    """The same failure (another run holds the client): sync-all's table and log say it in
    English whatever the client's language; the portfolio, in its clients' language, says it
    in that language."""
    busy = xlsx_client(tmp_path, "busy", client="Busy Cafe", language=lang)
    xlsx_client(tmp_path, "free", client="Free Cafe", language=lang)
    other: Lang = "en" if lang == "ja" else "ja"

    with client_lock(load_config(busy)):
        result = CliRunner().invoke(
            main, ["sync-all", str(tmp_path), "--jobs", "1", "--as-of", BASELINE_TODAY.isoformat()]
        )

    assert result.exit_code == 5, result.output
    (failure,) = [line for line in result.stdout.splitlines() if line.startswith("Busy Cafe (")]
    assert shows(failure, "error.client_busy", "en")
    assert not shows(failure, "error.client_busy", "ja")
    row = {row["client"]: row for row in read_csv(tmp_path / "portfolio.csv")}["Busy Cafe"]
    assert shows(row["problem"], "error.client_busy", lang)
    assert not shows(row["problem"], "error.client_busy", other)
    assert shows(row["reason"], "consultant.reason_locked", lang)


def test_a_stalled_client_counts_missed_cycles_and_stale_evidence(tmp_path: Path) -> None:
    """Six weeks after the last cycle ended, with no cycle running: 2 missed cycles (39 days
    / 14) and evidence 51 days old — it outranks a fresh client with one error."""
    xlsx_client(tmp_path, "stalled", client="止まった店")
    day = date(2026, 12, 31)

    api.sync_all(tmp_path, as_of=day)

    row = read_csv(tmp_path / "portfolio.csv")[0]
    assert row["current_cycle"] == "" and row["cycles_missed"] == "2"
    assert row["days_since_evidence"] == "51"
    assert row["score"] == str(2 * 15 + 30 + 10 * int(row["open_errors"]))


def test_the_page_is_in_the_clients_majority_language(tmp_path: Path) -> None:
    """Two English clients and one Japanese: the portfolio is in English."""
    xlsx_client(tmp_path, "a", client="Blue Cafe", language="en")
    xlsx_client(tmp_path, "b", client="Green Salon", language="en")
    xlsx_client(tmp_path, "c", client="さくら珈琲")

    api.sync_all(tmp_path, as_of=BASELINE_TODAY)

    html = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html and "What to do (reason)" in html


def test_the_consultant_receives_one_message(tmp_path: Path, smtp: Server) -> None:
    """With portfolio.toml, sync-all mails the portfolio once over a real SMTP server, as text
    and HTML; the clients' own mail settings are untouched (their agendas use the outbox)."""
    three_clients(tmp_path)
    (tmp_path / "portfolio.toml").write_text(
        f"""[portfolio]
to = ["consultant@example.jp"]

[mail]
transport = "smtp"
from = "kpi@example.jp"

[mail.smtp]
host = "127.0.0.1"
port = {smtp.port}
security = "none"
timeout = 5
""",
        encoding="utf-8",
    )

    result = CliRunner().invoke(main, ["sync-all", str(tmp_path), "--as-of", "2026-11-20"])

    assert result.exit_code == 0, result.output
    assert "portfolio mail: sent" in result.stdout
    assert "portfolio.toml" not in result.stdout.split("portfolio:")[0]  # not a client row
    assert len(smtp.collector.envelopes) == 1
    envelope = smtp.collector.envelopes[0]
    assert envelope.rcpt_tos == ["consultant@example.jp"]
    message = message_from_bytes(envelope.content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert "ポートフォリオ 11月20日(金)" in str(message["Subject"])
    assert "3店中1店が要フォロー" in str(message["Subject"])
    plain = message.get_body(("plain",))
    html = message.get_body(("html",))
    assert plain is not None and html is not None
    assert "エラーのある店" in plain.get_content()
    assert "&lt;script&gt;" in html.get_content()
    assert SCRIPT not in html.get_content()


def test_a_portfolio_mail_failure_is_reported_with_exit_4(tmp_path: Path) -> None:
    """When the SMTP password variable is missing, the clients are still synced and the
    portfolio files written; the run says the mail was not sent and exits 4."""
    xlsx_client(tmp_path, "shop", client="店")
    (tmp_path / "portfolio.toml").write_text(
        """[portfolio]
to = ["consultant@example.jp"]

[mail]
transport = "smtp"
from = "kpi@example.jp"

[mail.smtp]
host = "127.0.0.1"
port = 1
username = "kpi"
password_env = "SHEETS_SYNC_TEST_UNSET_PASSWORD"
""",
        encoding="utf-8",
    )

    outcome = api.sync_all(tmp_path, as_of=BASELINE_TODAY)

    assert [run.outcome for run in outcome.runs] == ["ok"]
    assert (tmp_path / "portfolio.html").is_file()
    mail = outcome.followups[-1]
    assert mail.what == "portfolio mail" and mail.exit_code == 4
    assert "SHEETS_SYNC_TEST_UNSET_PASSWORD" in mail.message
    assert outcome.exit_code == 4
