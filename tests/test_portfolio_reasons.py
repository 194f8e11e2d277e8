"""The portfolio says what to do: a reason in plain words per client, the next meeting in the
client's zone, links to the sheet and the latest agenda, cycles with a learning; the weekly
digest goes out once per ISO week; the sync-all table's agenda column is about this run."""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from click.testing import CliRunner

from sheets_sync import api
from sheets_sync.cli import main
from sheets_sync.consultant.batch import AGENDA_COLUMN
from sheets_sync.consultant.portfolio import publish
from tests.support.smtp_server import Server, serve
from tests.support.words import page_text
from tests.support.workbooks import Tabs, baseline, config_file, write_xlsx

DAY = date(2026, 11, 21)  # cycle 2 (ends 11-22) is under review; its meeting is tomorrow


@pytest.fixture
def smtp() -> Iterator[Server]:
    yield from serve()


def client(folder: Path, slug: str, tabs: Tabs, name: str, extra: str = "") -> Path:
    write_xlsx(folder / f"{slug}.xlsx", tabs)
    return config_file(folder, f"{slug}.xlsx", extra, client=name).rename(folder / f"{slug}.toml")


def values_missing() -> Tabs:
    tabs = baseline()
    tabs["KPI記録"] = [row for row in tabs["KPI記録"] if row[:2] != [2, "K3"]]
    return tabs


def quiet_evidence() -> Tabs:
    tabs = baseline()
    header, *rows = tabs["証拠"]
    tabs["証拠"] = [header, *(row for row in rows if str(row[0]) <= "2026-10-30")]  # 22 days
    return tabs


def learning_missing() -> Tabs:
    tabs = baseline()
    tabs["サイクル"][1][5] = ""  # cycle 1 (done, meeting on 11/8) has no learning
    return tabs


def three_needy_clients(folder: Path) -> None:
    client(folder, "a-values", values_missing(), "値のない店", '\n[meeting]\ntime = "18:30"')
    client(folder, "b-quiet", quiet_evidence(), "静かな店")
    client(folder, "c-learning", learning_missing(), "学びのない店")


def rows_by_client(folder: Path, name: str = "portfolio.csv") -> dict[str, dict[str, str]]:
    with (folder / name).open(encoding="utf-8-sig", newline="") as stream:
        return {row["client"]: row for row in csv.DictReader(stream)}


def test_each_client_has_its_reason_in_plain_words(tmp_path: Path) -> None:
    """Missing KPI values name the cycle and the KPIs; quiet evidence counts the weeks; a
    meeting without a learning names its day — in the CSV and on the page."""
    three_needy_clients(tmp_path)
    api.sync_all(tmp_path, as_of=DAY)
    rows = rows_by_client(tmp_path)
    assert "サイクル2の「購入率」(K3)の値がまだ入力されていません" in rows["値のない店"]["reason"]
    assert rows["値のない店"]["score"] == "5"  # one missing value: +5, so it needs help too
    assert "3週間、証拠の記録なし" in rows["静かな店"]["reason"]
    assert "11月8日(日)のミーティング後、学びが未記入" in rows["学びのない店"]["reason"]
    html = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    for row in rows.values():
        assert row["reason"].split(" · ")[0] in html


def test_next_meeting_links_and_learned_cycles(tmp_path: Path) -> None:
    """The next meeting is the review cycle's end at meeting.time, labelled with the client's
    zone; the sheet link is the workbook and the agenda link the newest .eml in its outbox;
    one done cycle, one with a learning."""
    three_needy_clients(tmp_path)
    outcome = api.sync_all(tmp_path, as_of=DAY)
    rows = rows_by_client(tmp_path)
    first = rows["値のない店"]
    assert first["next_meeting"] == "2026-11-22 18:30 (Asia/Tokyo)"
    assert rows["静かな店"]["next_meeting"] == "2026-11-22 (Asia/Tokyo)"
    assert first["last_sync"].endswith("(Asia/Tokyo)")
    assert first["sheet_link"] == (tmp_path / "a-values.xlsx").resolve().as_uri()
    sent = next(run for run in outcome.runs if run.client == "値のない店").agenda_sent_to
    assert sent is not None and sent.endswith(".eml")
    assert first["agenda_link"] == Path(sent).absolute().as_uri()
    assert (first["cycles_learned"], rows["学びのない店"]["cycles_learned"]) == ("1", "0")


def test_the_page_says_days_and_times_as_people_read_them(tmp_path: Path) -> None:
    """The page (and its text twin) says 「11月20日(金)」 and 「11月22日(日) 18:30(日本時間)」,
    never an ISO stamp or a zone's key (GLOSSARY); the CSV keeps ISO for machines."""
    three_needy_clients(tmp_path)
    api.sync_all(tmp_path, as_of=DAY)
    html = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    text = page_text(html)
    assert "ポートフォリオ 11月21日(土) — " in text
    assert "データ基準日：11月21日(土)" in text
    assert "11月22日(日) 18:30(日本時間)" in text  # the next meeting, at meeting.time
    assert re.search(r"\d{1,2}月\d{1,2}日 \d{1,2}:\d{2}\(日本時間\)", text)  # 前回の更新
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text), text
    assert "Asia/Tokyo" not in text
    assert rows_by_client(tmp_path)["値のない店"]["next_meeting"].startswith("2026-11-22 18:30")


def test_the_pages_day_is_the_clients_day_when_the_machine_is_a_day_behind(
    tmp_path: Path,
) -> None:
    """A UTC server at 20:00 on 11月20日 holds Tokyo clients' data of 11月21日: the page says
    the data's day (the clients' own), not the server's calendar."""
    three_needy_clients(tmp_path)
    outcome = api.sync_all(tmp_path, as_of=DAY)
    evening = datetime(2026, 11, 20, 20, 0, tzinfo=UTC)
    publish(tmp_path, outcome, now=evening)
    text = page_text((tmp_path / "portfolio.html").read_text(encoding="utf-8"))
    assert "ポートフォリオ 11月21日(土) — " in text and "データ基準日：11月21日(土)" in text
    assert "11月20日(金)" not in text


def test_a_client_in_another_zone_is_shown_in_its_own_time(tmp_path: Path) -> None:
    """A client in Europe/Berlin has its last sync in Berlin time, labelled so."""
    path = client(tmp_path, "berlin", baseline(), "Berlin Bakery")
    text = path.read_text(encoding="utf-8").replace(
        'language = "ja"', 'language = "ja"\ntimezone = "Europe/Berlin"'
    )
    path.write_text(text, encoding="utf-8")
    api.sync_all(tmp_path, as_of=DAY)
    row = rows_by_client(tmp_path)["Berlin Bakery"]
    assert row["last_sync"].endswith("(Europe/Berlin)")
    assert row["timezone"] == "Europe/Berlin"


def _portfolio_toml(folder: Path, smtp: Server) -> None:
    (folder / "portfolio.toml").write_text(
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


def test_the_weekly_digest_goes_out_once_per_iso_week(tmp_path: Path, smtp: Server) -> None:
    """Two runs in ISO week 2026-W47 send one digest; a run in the next week sends the second.
    The week is kept in a state file beside portfolio.toml."""
    three_needy_clients(tmp_path)
    _portfolio_toml(tmp_path, smtp)
    runner = CliRunner()
    first = runner.invoke(main, ["sync-all", str(tmp_path), "--as-of", "2026-11-17"])
    again = runner.invoke(main, ["sync-all", str(tmp_path), "--as-of", "2026-11-21"])
    assert first.exit_code == 0 and again.exit_code == 0, again.output
    assert "portfolio mail: sent for 2026-W47" in first.stdout
    assert "already sent for 2026-W47" in again.stdout
    assert len(smtp.collector.envelopes) == 1
    state = json.loads((tmp_path / ".portfolio-digest.json").read_text(encoding="utf-8"))
    assert state["week"] == "2026-W47"
    runner.invoke(main, ["sync-all", str(tmp_path), "--as-of", "2026-11-23"])
    assert len(smtp.collector.envelopes) == 2


def test_a_failed_digest_is_retried_in_the_same_week(tmp_path: Path, smtp: Server) -> None:
    """No state is written when the mail fails, so the next run that week sends it."""
    three_needy_clients(tmp_path)
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nto = ["c@example.jp"]\n[mail]\ntransport = "smtp"\nfrom = "k@example.jp"\n'
        '[mail.smtp]\nhost = "127.0.0.1"\nport = 1\nsecurity = "none"\ntimeout = 5\n',
        encoding="utf-8",
    )
    failed = api.sync_all(tmp_path, as_of=DAY)
    assert failed.exit_code == 4 and not (tmp_path / ".portfolio-digest.json").exists()
    _portfolio_toml(tmp_path, smtp)
    api.sync_all(tmp_path, as_of=DAY)
    assert len(smtp.collector.envelopes) == 1


def test_the_digest_can_go_to_an_outbox_beside_portfolio_toml(tmp_path: Path) -> None:
    """portfolio.toml's own [mail] (outbox) is used as is — no client config stands in."""
    three_needy_clients(tmp_path)
    (tmp_path / "portfolio.toml").write_text(
        '[portfolio]\nto = ["c@example.jp"]\n[mail]\ntransport = "outbox"\n'
        'outbox = "digest"\nfrom = "k@example.jp"\n',
        encoding="utf-8",
    )
    api.sync_all(tmp_path, as_of=DAY)
    (written,) = (tmp_path / "digest").glob("*.eml")
    assert "-portfolio" in written.name


def test_the_table_says_its_agenda_column_is_about_this_run(tmp_path: Path) -> None:
    """The first run sends the agendas ("yes"); a second run the same day sends none and says
    "no" — although the agenda went out earlier — under a header that says "this run"."""
    three_needy_clients(tmp_path)
    runner = CliRunner()
    first = runner.invoke(main, ["sync-all", str(tmp_path), "--as-of", DAY.isoformat()])
    second = runner.invoke(main, ["sync-all", str(tmp_path), "--as-of", DAY.isoformat()])
    assert AGENDA_COLUMN == "agenda sent this run"
    assert AGENDA_COLUMN in first.stdout.splitlines()[0]
    first_rows = [line for line in first.stdout.splitlines() if "店" in line][:3]
    second_rows = [line for line in second.stdout.splitlines() if "店" in line][:3]
    assert all(" yes " in line for line in first_rows), first.stdout
    assert all(" no " in line for line in second_rows), second.stdout


def test_portfolio_toml_can_override_one_portfolio_template(tmp_path: Path) -> None:
    """templates_dir beside portfolio.toml overrides portfolio.ja.html.j2 through the agenda's
    own loader; the text template still comes from the built-in ones."""
    three_needy_clients(tmp_path)
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "portfolio.ja.html.j2").write_text(
        "<p>MINE {{ view.total }} {% for row in view.rows %}[{{ row.reason }}]{% endfor %}</p>",
        encoding="utf-8",
    )
    (tmp_path / "portfolio.toml").write_text(
        'templates_dir = "mine"\n[portfolio]\nto = ["c@example.jp"]\n[mail]\n'
        'transport = "outbox"\noutbox = "digest"\nfrom = "k@example.jp"\n',
        encoding="utf-8",
    )
    api.sync_all(tmp_path, as_of=DAY)
    html = (tmp_path / "portfolio.html").read_text(encoding="utf-8")
    assert html.startswith("<p>MINE 3 [") and "3週間、証拠の記録なし" in html
    (mail,) = (tmp_path / "digest").glob("*.eml")
    message = message_from_bytes(mail.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    html_part, text_part = message.get_body(("html",)), message.get_body(("plain",))
    assert html_part is not None and "MINE 3" in html_part.get_content()
    assert text_part is not None and "3週間、証拠の記録なし" in text_part.get_content()
