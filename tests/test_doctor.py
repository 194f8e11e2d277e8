"""`doctor`: one line per thing checked — config, credentials, access, tabs, mail — with what to
do when it is wrong, and the exit code of the command that would fail (0 when all is well)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync.cli import main
from sheets_sync.run.doctor import Finding, diagnose, is_placeholder
from tests.fake_google import FakeGoogle
from tests.fake_google.client import make_service_account_file
from tests.support.google import SERVICE_EMAIL, google_config
from tests.support.smtp_server import PASSWORD, Server, serve
from tests.support.words import shows
from tests.support.workbooks import baseline, config_file, write_xlsx

PASSWORD_ENV = "SHEETS_SYNC_DOCTOR_TEST_PASSWORD"


@pytest.fixture
def smtp() -> Iterator[Server]:
    yield from serve()


def real_addresses(path: Path) -> Path:
    """The fixture's example.jp addresses replaced by the client's own (doctor flags examples)."""
    text = path.read_text(encoding="utf-8").replace("@example.jp", "@sakura-coffee.co.jp")
    path.write_text(text, encoding="utf-8")
    return path


def xlsx_client(folder: Path, tabs: dict[str, list[list[object]]] | None = None) -> Path:
    write_xlsx(folder / "book.xlsx", tabs if tabs is not None else baseline())
    return real_addresses(config_file(folder))


def smtp_client(folder: Path, port: int, *, username: bool = True) -> Path:
    """An .xlsx client whose agenda goes over SMTP with a login."""
    login = f'username = "kpi"\npassword_env = "{PASSWORD_ENV}"\n' if username else ""
    path = config_file(
        folder,
        extra=f'[mail.smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\ntimeout = 5\n'
        + login,
    )
    write_xlsx(folder / "book.xlsx", baseline())
    text = path.read_text(encoding="utf-8").replace('transport = "outbox"', 'transport = "smtp"')
    path.write_text(text, encoding="utf-8")
    return real_addresses(path)


def failures(findings: list[Finding]) -> list[Finding]:
    return [finding for finding in findings if not finding.ok]


def doctor(config: Path) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["doctor", "--config", str(config)])
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def test_a_good_xlsx_client_is_all_ticks_and_exit_0(tmp_path: Path) -> None:
    """Every area is looked at and fine: config, the workbook file, access, tabs, mail; each
    line's label names what it checked (the file, not "credentials": an .xlsx has none)."""
    tabs = baseline()
    tabs["サイクル"] = [
        [*row, "一歩の実施" if n == 0 else ""] for n, row in enumerate(tabs["サイクル"])
    ]
    config = xlsx_client(tmp_path, tabs)  # a current workbook: Cycles has 一歩の実施

    findings = diagnose(config)

    assert failures(findings) == []
    assert [f.area for f in findings] == ["config", "workbook", "access", "tabs", "mail"]
    code, output = doctor(config)
    assert code == 0
    lines = output.splitlines()
    assert len(lines) == 5 and all(line.startswith("✓ ") for line in lines)
    assert "✓ tabs: every input tab and required column is there" in output
    assert "✓ workbook file: " in output and "credentials" not in output


def test_a_sheet_not_shared_names_the_service_account_and_exits_3(
    tmp_path: Path, google_env: FakeGoogle
) -> None:
    """A Google Sheet the service account cannot open: ✗ access says to share it with the
    service account's e-mail; credentials are fine and show that e-mail too."""
    make_service_account_file(tmp_path / "key.json", google_env.token_uri, SERVICE_EMAIL)
    key = google_env.create_spreadsheet("テスト店", baseline(), shared_with={"someone@else"})
    config = real_addresses(google_config(tmp_path, key))

    findings = diagnose(config)

    by_area = {f.area: f for f in findings}
    assert by_area["credentials"].ok and SERVICE_EMAIL in by_area["credentials"].message
    access = by_area["access"]
    assert not access.ok and access.exit_code == 3
    assert SERVICE_EMAIL in access.message and "Share" in access.message
    assert "tabs" not in by_area  # nothing to look at without access
    code, output = doctor(config)
    assert code == 3
    assert f"✗ access: Google Sheet {key} is not shared with the service account" in output
    assert SERVICE_EMAIL in output


def test_a_shared_google_sheet_passes(tmp_path: Path, google_env: FakeGoogle) -> None:
    """The same sheet shared with the service account: all ✓, one read request, no writes."""
    make_service_account_file(tmp_path / "key.json", google_env.token_uri, SERVICE_EMAIL)
    key = google_env.create_spreadsheet("テスト店", baseline(), shared_with={SERVICE_EMAIL})
    config = real_addresses(google_config(tmp_path, key))

    findings = diagnose(config)

    assert failures(findings) == []
    assert [entry["method"] for entry in google_env.requests("api")] == ["GET"]


def test_a_missing_column_is_named_with_how_to_fix_it(tmp_path: Path) -> None:
    """The values tab without its 値 column: ✗ tabs names the tab and the column, suggests
    `sheets-sync upgrade`, and the exit code is 1 (what `check` would give)."""
    tabs = baseline()
    tabs["KPI記録"] = [row[:2] + row[3:] for row in tabs["KPI記録"]]
    config = xlsx_client(tmp_path, tabs)

    findings = diagnose(config)

    tab_failures = [f for f in failures(findings) if f.area == "tabs"]
    assert len(tab_failures) == 1
    assert "'KPI記録'" in tab_failures[0].message and "'値'" in tab_failures[0].message
    assert tab_failures[0].exit_code == 1
    code, output = doctor(config)
    assert code == 1
    assert "✗ tabs: tab 'KPI記録' has no column '値' (value)  → run `sheets-sync upgrade" in output


def test_a_missing_tab_is_named(tmp_path: Path) -> None:
    """A workbook without its evidence tab: ✗ tabs names the tab."""
    tabs = baseline()
    del tabs["証拠"]
    config = xlsx_client(tmp_path, tabs)

    messages = [f.message for f in failures(diagnose(config))]

    assert messages == ["tab '証拠' (evidence) is missing"]


def test_a_missing_password_variable_is_named_and_never_a_password(
    tmp_path: Path, smtp: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SMTP with a username but the password variable unset: ✗ mail names the variable (exit
    4); the server itself is reachable (✓). With the variable set, it is ✓ and the password is
    never printed."""
    config = smtp_client(tmp_path, smtp.port)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)

    code, output = doctor(config)

    assert code == 4
    assert f"✗ mail: the SMTP password variable {PASSWORD_ENV} is not set" in output
    assert f"✓ mail: the SMTP server 127.0.0.1:{smtp.port} accepts connections" in output

    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    code, output = doctor(config)
    assert code == 0, output
    assert PASSWORD not in output
    assert f"the SMTP password for kpi is set in {PASSWORD_ENV}" in output


def test_an_smtp_server_that_does_not_answer_is_reported(tmp_path: Path, smtp: Server) -> None:
    """A port nobody listens on: ✗ mail says it cannot connect, exit 4."""
    config = smtp_client(tmp_path, smtp.port, username=False)
    text = config.read_text(encoding="utf-8").replace(f"port = {smtp.port}", "port = 1")
    config.write_text(text, encoding="utf-8")

    findings = failures(diagnose(config))

    assert [(f.area, f.exit_code) for f in findings] == [("mail", 4)]
    assert "cannot connect to 127.0.0.1:1" in findings[0].message


def test_a_broken_config_is_exit_2_without_a_traceback(tmp_path: Path) -> None:
    """A config missing sheet.path: one ✗ config line naming the key, exit 2, in doctor's
    language (English) like the findings around it, though the client's config says ja."""
    config = tmp_path / "client.toml"
    config.write_text('client = "店"\n[sheet]\nbackend = "xlsx"\n', encoding="utf-8")

    code, output = doctor(config)

    assert code == 2
    assert output.startswith("✗ config: ") and shows(output, "config.backend_needs_path", "en")
    assert len(output.splitlines()) == 1


def test_a_workbook_open_in_excel_is_reported(tmp_path: Path) -> None:
    """The lock file Excel leaves (~$book.xlsx): ✗ workbook file says to close it, exit 3."""
    config = xlsx_client(tmp_path)
    (tmp_path / "~$book.xlsx").write_bytes(b"")

    code, output = doctor(config)

    assert code == 3
    assert "✗ workbook file: book.xlsx is open in Excel or LibreOffice" in output
    assert "→ close the workbook" in output


@pytest.mark.parametrize(
    "address",
    ["team@example.jp", "店長 <owner@shop.example.com>", "kpi@example.org", "x@example.net"],
)
def test_a_placeholder_address_is_flagged_with_what_to_do(tmp_path: Path, address: str) -> None:
    """doctor marks an example address (example.jp, .com, .org, …) ✗ with exit 2, naming the
    key and saying to edit it in the file (making the client again would be refused: its
    files exist, so that advice is never given)."""
    path = xlsx_client(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('to = ["team@sakura-coffee.co.jp"]', f'to = ["{address}"]'))
    code, output = doctor(path)
    assert code == 2
    assert f"✗ mail: mail.to = {address} is a placeholder address" in output
    assert "→ edit mail.to in client.toml" in output
    assert "new-client" not in output


def test_real_addresses_are_not_placeholders() -> None:
    """Real-looking domains pass; reserved ones (RFC 2606 / 6761) do not."""
    assert not is_placeholder("team@sakura-coffee.co.jp")
    assert not is_placeholder("me@notexample.jp")
    assert is_placeholder("kpi@shop.invalid") and is_placeholder("a@EXAMPLE.JP")


def test_an_older_workbook_without_step_done_is_told_to_run_upgrade(tmp_path: Path) -> None:
    """A workbook from before template version 2 (サイクル without 一歩の実施, no version
    mark) still syncs, so doctor stays exit 0 — but it says, as a to-do naming the column,
    that `sheets-sync upgrade` adds it; once upgraded, the to-do is gone."""
    config = xlsx_client(tmp_path)  # the baseline: an older Cycles tab

    code, output = doctor(config)

    assert code == 0, output
    todo = [line for line in output.splitlines() if "'一歩の実施'" in line]
    assert len(todo) == 1 and todo[0].startswith("✓ tabs: to do: tab 'サイクル'"), output
    assert f"sheets-sync upgrade --config {config}" in todo[0]
    upgraded = CliRunner().invoke(main, ["upgrade", "--config", str(config)])
    assert upgraded.exit_code == 0, upgraded.output
    code, output = doctor(config)
    assert code == 0 and "一歩の実施" not in output, output
