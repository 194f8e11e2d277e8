"""Hostile input stays inert: staff text is never a formula in the generated tabs (xlsx and
Google), never HTML or a header in the agenda; config paths cannot climb out of the client's
folder; secrets never reach a log line, an error message or the sheet; and random cells of any
shape never crash a sync or change an input cell."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import tempfile
import zipfile
from collections.abc import Iterator
from datetime import date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from sheets_sync.backends.google import GoogleBackend
from sheets_sync.cli import main
from sheets_sync.config import load_config
from sheets_sync.errors import EXIT_CONFIG, EXIT_MAIL, EXIT_SHEET, ConfigError, SheetsSyncError
from sheets_sync.run.sync import RunOptions, run
from sheets_sync.util import redact
from sheets_sync.util.pacing import RetryPolicy
from sheets_sync.util.redact import remember_secret
from sheets_sync.words.core import in_language
from tests.fake_google import FakeGoogle
from tests.support.google import SERVICE_EMAIL, google_config
from tests.support.smtp_server import Server, authenticate, serve
from tests.support.words import shows
from tests.support.workbooks import (
    BASELINE_TODAY,
    Tabs,
    baseline,
    config_file,
    input_cells,
    write_xlsx,
)

DUE_DAY = date(2026, 11, 21)
GENERATED = ("サマリー", "チェック", "ログ")
INJECTIONS = ('=IMPORTXML("http://x","//a")', "+81 90", "-2+3", "@SUM(A1)")


def write_typed_text(path: Path, tabs: Tabs) -> Path:
    """A real .xlsx where every string is a text cell, as Excel stores '=… typed as text."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    book.save(path)
    return path


def injected() -> Tabs:
    """The baseline with formula-like text where it reaches the Summary and the Checks tab."""
    tabs = baseline()
    done = tabs["サイクル"][1]  # cycle 1: its texts appear in the Summary's learning log
    done[3], done[4], done[5], done[6] = INJECTIONS
    tabs["KPI記録"].append([2, "K3", INJECTIONS[0], ""])  # not_a_number
    tabs["KPI記録"].append([1, INJECTIONS[2], 5, ""])  # unknown_kpi
    tabs["証拠"].append([INJECTIONS[1], None, "会話", INJECTIONS[3], "q", "", "", ""])
    return tabs


# -- formula / CSV injection -------------------------------------------------------------------
def test_formula_like_text_stays_text_in_xlsx_generated_tabs(tmp_path: Path) -> None:
    """`=IMPORTXML(…)`, `+81 90`, `-2+3`, `@SUM(A1)` typed as text show as typed in the Summary
    and the Checks tab, stored as strings: the generated sheets' XML holds no <f> element."""
    workbook = write_typed_text(tmp_path / "book.xlsx", injected())
    run(load_config(config_file(tmp_path)), RunOptions(as_of=BASELINE_TODAY, no_agenda=True))
    book = load_workbook(workbook)
    for title in ("サマリー", "チェック"):
        cells = [c for row in book[title].iter_rows() for c in row if c.value in INJECTIONS]
        assert {c.value for c in cells} == set(INJECTIONS), title
        assert {c.data_type for c in cells} == {"s"}, title
    with zipfile.ZipFile(workbook) as archive:
        for title in GENERATED:
            xml = archive.read(f"xl/worksheets/sheet{book.sheetnames.index(title) + 1}.xml")
            assert b"<f>" not in xml and b"<f " not in xml, title


def test_formula_like_text_stays_text_on_google(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path
) -> None:
    """On Google the same texts are written as stringValue (never parsed); the only formulas
    in the generated tabs are the SPARKLINEs the sync builds from numbers."""
    key = google_env.create_spreadsheet(
        "テスト店", injected(), shared_with={SERVICE_EMAIL}, value_input_option="RAW"
    )
    config = load_config(google_config(tmp_path, key))
    backend = GoogleBackend.from_config(config, policy=RetryPolicy(base_seconds=0.01))
    run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    grid = google_env.metadata(key, include_grid=True)
    for sheet in grid["sheets"]:
        title = sheet["properties"]["title"]
        if title not in GENERATED:
            continue
        entered = [
            cell.get("userEnteredValue", {})
            for block in sheet.get("data", [])
            for row in block.get("rowData", [])
            for cell in row.get("values", [])
        ]
        formulas = [value["formulaValue"] for value in entered if "formulaValue" in value]
        sparkline = re.compile(r"=SPARKLINE\(\{[-+\d.,e]*\}\)")  # numbers only
        assert all(sparkline.fullmatch(formula) for formula in formulas), formulas
        strings = {value["stringValue"] for value in entered if "stringValue" in value}
        if title != "ログ":
            assert set(INJECTIONS) <= strings, title
    assert google_env.cell(key, "'チェック'!E2")["userEnteredValue"] == {
        "stringValue": INJECTIONS[0]
    }


def test_a_formula_in_an_input_cell_counts_by_its_saved_result_and_stays_a_formula(
    tmp_path: Path,
) -> None:
    """A KPI value typed as `=20+5` in Excel (saved with its result 25): the sync never
    evaluates it, uses the saved 25 like Google does, and leaves the formula in place."""
    tabs = baseline()
    tabs["KPI記録"][2][2] = "=20+5"  # openpyxl writes it as a formula without a result
    workbook = write_xlsx(tmp_path / "book.xlsx", tabs, formulas=True)
    with zipfile.ZipFile(workbook) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    for name, data in parts.items():  # add the result Excel would have saved beside it
        parts[name] = data.replace(b"<f>20+5</f><v />", b"<f>20+5</f><v>25</v>").replace(
            b"<f>20+5</f><v></v>", b"<f>20+5</f><v>25</v>"
        )
    with zipfile.ZipFile(workbook, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    assert load_workbook(workbook, data_only=True)["KPI記録"]["C3"].value == 25
    options = RunOptions(as_of=BASELINE_TODAY, no_agenda=True)
    result = run(load_config(config_file(tmp_path)), options)
    assert load_workbook(workbook)["KPI記録"]["C3"].value == "=20+5"  # still a formula
    assert [c.code for c in result.report.errors] == []
    k3 = next(k for k in result.report.kpis if k["id"] == "K3")
    assert {"cycle": 2, "value": 25} in k3["values"]


# -- the agenda: HTML escaped, no header injection ----------------------------------------------
def _agenda(tmp_path: Path, tabs: Tabs, **top: str) -> tuple[EmailMessage, bytes]:
    write_typed_text(tmp_path / "book.xlsx", tabs)
    result = run(load_config(config_file(tmp_path, **top)), RunOptions(as_of=DUE_DAY))
    assert result.agenda_sent_to, result.agenda_error or result.agenda_skipped
    raw = Path(result.agenda_sent_to).read_bytes()
    message = message_from_bytes(raw, policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message, raw


def _body(message: EmailMessage, kind: str) -> str:
    part = message.get_body((kind,))
    assert part is not None
    return str(part.get_content())


def test_html_in_cells_is_escaped_in_the_agenda(tmp_path: Path) -> None:
    """A quote `<script>…`, a scene `<img onerror=…>` and a next try with markup reach the
    HTML part escaped (visible as text), and the plain-text part as typed."""
    tabs = baseline()
    evidence = tabs["証拠"][3]  # cycle 2, the review cycle on the due day
    evidence[4] = "<script>alert(1)</script>"
    evidence[5] = "<img src=x onerror=alert(document.cookie)>"
    evidence[6] = '<a href="javascript:alert(2)">click</a>'
    message, _ = _agenda(tmp_path, tabs, client="店<b>太字</b>")
    html = _body(message, "html")
    assert "<script" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img src=x" not in html and "&lt;img src=x onerror=" in html
    assert '<a href="javascript' not in html and "javascript:alert(2)" in html
    assert "<b>太字</b>" not in html and "店&lt;b&gt;太字&lt;/b&gt;" in html
    text = _body(message, "plain")
    assert "<script>alert(1)</script>" in text


def test_no_header_injection_from_cells_or_the_client_name(tmp_path: Path) -> None:
    """CR/LF (and Unicode line breaks) in cells that reach the agenda, and a line separator in
    the client name, add no header: the message has exactly the headers the sync sets, and
    team@example.jp is the only recipient."""
    bcc = "\r\nBcc: evil@example.com"
    tabs = baseline()
    tabs["証拠"][3][4] = "すぐ決めた" + bcc
    tabs["証拠"][3][6] = "次は" + bcc
    tabs["サイクル"][2][3] = "仮説" + bcc
    tabs["サイクル"][2][8] = "田中\u2028Bcc: evil@example.com"
    message, raw = _agenda(tmp_path, tabs, client="店\u2028Bcc: evil@example.com\x85X-Evil: 1")
    assert sorted(message.keys()) == sorted(
        [
            "Subject",
            "From",
            "To",
            "Date",
            "Message-ID",
            "X-Sheets-Sync-Cycle",
            "MIME-Version",
            "Content-Type",
        ]
    )
    assert message["Bcc"] is None and message["X-Evil"] is None
    assert [a.addr_spec for a in message["To"].addresses] == ["team@example.jp"]
    assert [a.addr_spec for a in message["From"].addresses] == ["kpi@example.jp"]
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert b"\r\nBcc:" not in head and b"\nBcc:" not in head


def test_a_client_name_with_a_line_break_is_a_config_error(tmp_path: Path) -> None:
    """`client = "店\\r\\nBcc: …"` is refused when the config is read (exit 2)."""
    path = config_file(tmp_path, client="店\\r\\nBcc: evil@example.com")
    with pytest.raises(ConfigError, match="client") as raised:
        load_config(path)
    assert raised.value.exit_code == EXIT_CONFIG


# -- config: paths stay in the client's folder, unknown keys and bad addresses are named ---------
def _config(tmp_path: Path, text: str) -> Path:
    folder = tmp_path / "clients" / "sakura"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "sakura.toml"
    path.write_text(text, encoding="utf-8")
    return path


_BASE = """client = "さくら"
{top}
[sheet]
backend = "xlsx"
path = {path}

[mail]
transport = "outbox"
outbox = {outbox}
from = "kpi@example.jp"
to = {to}
{mail}
"""


def _text(**parts: str) -> str:
    values = {
        "top": "",
        "path": '"book.xlsx"',
        "outbox": '"outbox"',
        "to": '["team@example.jp"]',
        "mail": "",
    }
    return _BASE.format(**{**values, **parts})


@pytest.mark.parametrize(
    ("parts", "key"),
    [
        ({"top": 'templates_dir = "../../etc"'}, "templates_dir"),
        ({"path": '"../other/book.xlsx"'}, "sheet.path"),
        ({"outbox": '"../../../tmp/outbox"'}, "mail.outbox"),
        ({"top": 'templates_dir = "/etc"'}, "templates_dir"),
    ],
    ids=["templates_dir", "sheet.path", "mail.outbox", "absolute-templates"],
)
def test_paths_may_not_leave_the_config_folder(
    tmp_path: Path, parts: dict[str, str], key: str
) -> None:
    """A path climbing out of the client's folder is a ConfigError naming the key and the file;
    through the CLI it is exit 2 with the same words and no traceback."""
    path = _config(tmp_path, _text(**parts))
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert key in str(raised.value) and "sakura.toml" in str(raised.value)
    result = CliRunner().invoke(main, ["check", "--config", str(path)])
    assert result.exit_code == EXIT_CONFIG
    assert key in result.stderr and "sakura.toml" in result.stderr
    assert "Traceback" not in result.output


def test_an_unknown_key_is_named_not_ignored(tmp_path: Path) -> None:
    """`[mail] form = "x"` (a typo of from) is an error naming mail.form and the file."""
    path = _config(tmp_path, _text(mail='form = "x"'))
    with pytest.raises(ConfigError, match=r"'mail\.form'") as raised:
        load_config(path)
    assert "sakura.toml" in str(raised.value)
    assert shows(str(raised.value), "config.unknown_key", "ja")


@pytest.mark.parametrize(
    "to",
    [
        r'["a@b\r\nBcc: x@y"]',
        r'["a@b\nBcc: x@y"]',
        '["a@b, x@y"]',
        '["a@b; x@y"]',
    ],
)
def test_a_recipient_with_a_line_break_or_a_second_address_is_refused(
    tmp_path: Path, to: str
) -> None:
    """`to = ["a@b\\r\\nBcc: x@y"]` (or a list smuggled into one string) is a config error."""
    path = _config(tmp_path, _text(to=to))
    with pytest.raises(ConfigError, match=r"mail\.to: ") as raised:
        load_config(path)
    assert shows(str(raised.value), "config.not_an_address", "ja")
    assert "\r" not in str(raised.value) and "\n" not in str(raised.value)


# -- secrets -----------------------------------------------------------------------------------
def _all_logged(caplog: pytest.LogCaptureFixture) -> str:
    """Every record our process logged, with its extras (except the test SMTP server's own)."""
    formatter = logging.Formatter()
    parts = []
    for record in caplog.records:
        if record.name.startswith("mail.log"):  # aiosmtpd, the test's server, not sheets-sync
            continue
        parts.append(record.getMessage())
        parts.append(repr(record.__dict__))
        if record.exc_info:
            parts.append(formatter.formatException(record.exc_info))
    return "\n".join(parts)


@pytest.fixture
def login_server() -> Iterator[Server]:
    """An SMTP server that requires a login (AUTH over plain text, as in a test lab)."""
    yield from serve(authenticator=authenticate, auth_required=True, auth_require_tls=False)


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_the_smtp_password_never_reaches_logs_errors_the_sheet_or_the_terminal(
    tmp_path: Path,
    login_server: Server,
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A refused SMTP login with the password from SHEETS_SYNC_SMTP_PASSWORD: exit 4, and the
    password is in no log record (DEBUG), no error message, not in the Log tab, not in the
    CLI's output even with --verbose."""
    wrong = "wr0ng-パスワード-7f3a9c"
    monkeypatch.setenv("SHEETS_SYNC_SMTP_PASSWORD", wrong)
    write_typed_text(tmp_path / "book.xlsx", baseline())
    path = config_file(
        tmp_path,
        extra=f"""[mail.smtp]
host = "127.0.0.1"
port = {login_server.port}
security = "none"
username = "kpi"
password_env = "SHEETS_SYNC_SMTP_PASSWORD"
timeout = 5
""",
    )
    text = path.read_text("utf-8").replace('transport = "outbox"', 'transport = "smtp"')
    path.write_text(text, "utf-8")
    caplog.set_level(logging.DEBUG)
    result = run(load_config(path), RunOptions(as_of=DUE_DAY))
    assert result.exit_code == EXIT_MAIL and result.agenda_error
    said = in_language(result.agenda_error, "ja")
    assert "SHEETS_SYNC_SMTP_PASSWORD" in said  # says where to fix it
    log_tab = load_workbook(tmp_path / "book.xlsx")["ログ"]
    sheet_text = " ".join(str(c.value) for row in log_tab.iter_rows() for c in row)
    cli = CliRunner().invoke(
        main, ["-v", "sync", "--config", str(path), "--as-of", DUE_DAY.isoformat()]
    )
    assert cli.exit_code == EXIT_MAIL
    for place in (said, _all_logged(caplog), sheet_text, cli.output, cli.stderr):
        assert wrong not in place
    assert login_server.collector.envelopes == []
    assert redact.redact(f"password was {wrong}") == "password was ***"


def _key_material(key_path: Path) -> list[str]:
    """The base64 lines of the service account's private key (long enough to be unique)."""
    pem = json.loads(key_path.read_text(encoding="utf-8"))["private_key"]
    return [line for line in pem.splitlines() if len(line) > 40 and "-----" not in line]


def test_google_key_material_and_bearer_token_never_reach_logs_or_errors(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A Google failure (the sheet is not shared: 403) logged at DEBUG and shown by the CLI
    with --verbose: neither the private key nor the access token appears anywhere."""
    key = google_env.create_spreadsheet("テスト店", baseline(), shared_with={"someone@x.jp"})
    path = google_config(tmp_path, key)
    config = load_config(path)
    backend = GoogleBackend.from_config(config, policy=RetryPolicy(base_seconds=0.01))
    caplog.set_level(logging.DEBUG)
    with pytest.raises(SheetsSyncError) as raised:
        run(config, RunOptions(as_of=BASELINE_TODAY, no_agenda=True), backend=backend)
    assert raised.value.exit_code == EXIT_SHEET and SERVICE_EMAIL in str(raised.value)
    token = str(backend.http.auth.token)
    assert token.startswith("ya29.")
    cli = CliRunner().invoke(main, ["-v", "sync", "--config", str(path), "--no-agenda"])
    assert cli.exit_code == EXIT_SHEET and shows(cli.stderr, "error.google_not_shared", "ja")
    secrets = [*_key_material(key_file), token, "PRIVATE KEY"]
    for place in (str(raised.value), _all_logged(caplog), cli.output, cli.stderr):
        for secret in secrets:
            assert secret not in place
        assert "ya29." not in place


def test_a_damaged_key_file_is_explained_without_its_contents(
    tmp_path: Path, google_env: FakeGoogle, key_file: Path
) -> None:
    """A key file whose private key is damaged: exit 3 saying to download a new key, without
    echoing any of the key."""
    info = json.loads(key_file.read_text(encoding="utf-8"))
    lines = info["private_key"].splitlines()
    info["private_key"] = "\n".join([*lines[:5], "!!notbase64!!", *lines[6:]])
    key_file.write_text(json.dumps(info), encoding="utf-8")
    key = google_env.create_spreadsheet("テスト店", baseline(), shared_with={SERVICE_EMAIL})
    cli = CliRunner().invoke(
        main, ["-v", "sync", "--config", str(google_config(tmp_path, key)), "--no-agenda"]
    )
    assert cli.exit_code == EXIT_SHEET and shows(cli.stderr, "error.google_key_unusable", "ja")
    for secret in [*_key_material(key_file), "PRIVATE KEY", "!!notbase64!!"]:
        assert secret not in cli.output


def test_the_redacting_filter_scrubs_tokens_keys_and_passwords() -> None:
    """What the CLI installs on its log handlers: bearer tokens, ya29 tokens, PEM keys and
    password= values become *** in the final line, including in a formatted traceback."""
    pem = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----"
    lines: list[str] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    handler = Keep()
    handler.addFilter(redact.RedactingFilter())
    logger = logging.getLogger("sheets_sync.test_redaction")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logger.warning("Authorization: Bearer abcdefgh.ijklmnop")
        logger.warning("token %s", "ya29.a0AfH6SMBx-secret")
        logger.warning("key %s", pem)
        logger.warning('{"password": "hunter22", "access_token": "tok-123456"}')
        try:
            raise RuntimeError("refresh failed for Bearer zyxwvuts.rqponm")
        except RuntimeError:
            logger.exception("boom")
    finally:
        logger.removeHandler(handler)
    text = "\n".join(lines)
    for secret in (
        "abcdefgh.ijklmnop",
        "ya29.a0AfH6",
        "MIIEvQIBADANBgkq",
        "hunter22",
        "tok-123456",
        "zyxwvuts.rqponm",
    ):
        assert secret not in text
    assert text.count("***") >= 6


# -- fuzz: any cell, any shape -----------------------------------------------------------------
EXCEL_MAX = 9.99999999999999e307  # the largest number Excel stores
ENGLISH_TITLES = {"KPI": "KPIs", "サイクル": "Cycles", "KPI記録": "KPI values", "証拠": "Evidence"}
TRICKY = [
    '=IMPORTXML("http://x","//a")',
    "=1/0",
    "=SUM(A1:A3)",
    "+81 90",
    "-2+3",
    "@SUM(A1)",
    "NaN",
    "nan",
    "inf",
    "-Infinity",
    "#N/A",
    "#DIV/0!",
    "None",
    "null",
    "",
    " ",
    "\u3000",
    "１２３",
    "1,234",
    "¥1,200",
    "1,200円",
    "▲3",
    "△3",
    "−3",
    "12%",
    "１２％",
    "3件",
    "12pt",
    "2026-11-23",
    "2026/1/5",
    "令和8年11月23日",
    "R8.11.23",
    "11/23",
    "2026年13月45日",
    "迷い",
    "納得",
    "安心",
    "不安",
    "説明が短く",
    "完了",
    "実行中",
    "計画",
    "行動",
    "中間",
    "結果",
    "上がる",
    "下がる",
    "サイクル完了数",
    "証拠:迷い",
    "証拠:プラス",
    "K1",
    "K2",
    "K3",
    "はい",
    "いいえ",
    "○",
    "×",
    "✓",
    "TRUE",
    "1e309",
    "9" * 40,
    "0x10",
    "1_000",
    "tab\there",
    "line\nbreak",
    "cr\rlf\r\n",
    "\u2028sep",
    "\x85nel",
    "zero\u200bwidth",
    "<script>alert(1)</script>",
    "'; DROP TABLE kpi;--",
    "ﾃｽﾄ",
    "🙂",
    "a" * 300,
]


def _legal(text: str) -> str:
    return str(ILLEGAL_CHARACTERS_RE.sub("", text))


cell_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(min_value=-EXCEL_MAX, max_value=EXCEL_MAX),  # a real cell holds no inf/NaN
    st.sampled_from([EXCEL_MAX, -EXCEL_MAX, 5e-324, 0.0, -0.0, 0.12, 0.999999, 2**63, -(2**63)]),
    st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)),
    st.datetimes(min_value=datetime(1900, 3, 1), max_value=datetime(2100, 12, 31)),
    st.sampled_from(TRICKY),
    st.text(max_size=12).map(_legal),
    st.text(alphabet="0123456789０１２３年月日/.-:,%円件回 ", max_size=10),
)


@st.composite
def workbooks(draw: st.DrawFn) -> Tabs:
    """The baseline spoilt at random: cells replaced, columns added and shuffled, blank and
    random rows inserted, tabs renamed to English or left out."""
    tabs: Tabs = {}
    for title, rows in baseline().items():
        presence = draw(st.sampled_from(["keep", "keep", "keep", "english", "missing"]))
        if presence == "missing":
            continue
        header = list(rows[0]) + draw(st.lists(st.sampled_from(["メモ", "Extra", ""]), max_size=2))
        body = [list(row) + [None] * (len(header) - len(row)) for row in rows[1:]]
        for _ in range(draw(st.integers(0, 2))):
            body.append(draw(st.lists(cell_values, min_size=1, max_size=len(header))))
        body = [
            [draw(cell_values) if draw(st.integers(0, 5)) == 0 else value for value in row]
            for row in body
        ]
        for _ in range(draw(st.integers(0, 2))):
            body.insert(draw(st.integers(0, len(body))), [])
        order = draw(st.permutations(range(len(header))))
        shuffled = [[row[i] if i < len(row) else None for i in order] for row in [header, *body]]
        tabs[ENGLISH_TITLES[title] if presence == "english" else title] = shuffled
    return tabs


def _write_any(path: Path, tabs: Tabs) -> None:
    """The tabs as a real .xlsx; "" becomes an empty cell (Excel cannot store an empty
    string constant, and openpyxl would keep a phantom cell that its next save drops)."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in tabs.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append([None if isinstance(v, str) and v == "" else v for v in row])
    if not book.worksheets:
        book.create_sheet("メモ")
    book.save(path)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(tabs=workbooks(), today=st.sampled_from([BASELINE_TODAY, DUE_DAY, date(2027, 3, 1)]))
def test_random_cells_and_shapes_never_crash_and_never_change_input_cells(
    tabs: Tabs, today: date
) -> None:
    """Whatever staff leave in the workbook, `run` raises nothing but SheetsSyncError, the CLI
    prints no traceback (and no 'unexpected error'), and every input cell is unchanged."""
    with tempfile.TemporaryDirectory() as folder:
        workbook = Path(folder) / "book.xlsx"
        _write_any(workbook, tabs)
        config_path = config_file(Path(folder))
        titles = list(tabs)
        before = input_cells(workbook, titles)
        with contextlib.suppress(SheetsSyncError):  # the only exception allowed
            run(load_config(config_path), RunOptions(as_of=today))
        cli = CliRunner().invoke(
            main, ["sync", "--config", str(config_path), "--as-of", today.isoformat()]
        )
        assert "Traceback" not in cli.output and "unexpected error" not in cli.output, cli.output
        assert cli.exit_code in (0, EXIT_CONFIG, EXIT_SHEET, EXIT_MAIL), cli.output
        assert input_cells(workbook, titles) == before


def test_a_password_read_from_any_variable_is_redacted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the SMTP password has been read (whatever its variable is called), no log line or
    message can show it."""
    monkeypatch.setenv("SMTP_PW", "hunter2-ひみつ")
    assert "hunter2" in redact.redact(
        "login as kpi with hunter2-ひみつ"
    )  # an unknown name: not yet
    remember_secret("hunter2-ひみつ")
    assert redact.redact("login as kpi with hunter2-ひみつ") == "login as kpi with ***"
