"""The words of a run's outcome come from the consultant catalog: the cron line, `sync`/`check`
output and the next steps in the client's language; sync-all's summary and doctor in English;
the English never carries Japanese punctuation."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from sheets_sync.api import describe_checks, describe_run
from sheets_sync.consultant.batch import AGENDA_COLUMN, BatchOutcome, ClientRun
from sheets_sync.consultant.outcome import Outcome
from sheets_sync.core.sends import Delivery, Failed, MessageKind, Sent, Skipped
from sheets_sync.run.doctor import diagnose
from sheets_sync.run.sending import local_moment
from sheets_sync.run.sync import RunResult, run_line
from sheets_sync.sheet.schema import Lang
from sheets_sync.words.core import say
from tests.support.agenda_fixtures import CLIENT, make_report, write_config
from tests.support.words import JAPANESE_PUNCTUATION

AGENDA, REMINDER = MessageKind.AGENDA, MessageKind.REMINDER

# Every way a run can end, as far as the words go.
ENDINGS = [
    (
        Delivery(AGENDA, 3, Sent("smtp://mail.example:587")),
        Delivery(REMINDER, 4, Sent("team@shop.example")),
    ),
    (
        Delivery(AGENDA, 3, Failed("could not connect to smtp://mail.example:587")),
        Delivery(REMINDER, 4, Failed("boom")),
    ),
    (Delivery(AGENDA, None, Skipped("--no-agenda")),),
    (),
]


def _japanese(text: str) -> list[str]:
    return [ch for ch in text if ch in JAPANESE_PUNCTUATION]


def test_an_english_clients_cron_line_reads_as_before(tmp_path: Path) -> None:
    """The English run line keeps its wording: client, review cycle, counts, agenda, reminder,
    seconds, joined with ", "."""
    config = write_config(tmp_path, language="en")
    sends = (Delivery(AGENDA, 3, Sent("smtp://m:587")), Delivery(REMINDER, 4, Sent("a@b.jp")))
    result = RunResult(make_report("en"), sends, seconds=1.234)
    assert run_line(config, result) == (
        f"{CLIENT['en']}: review cycle 3, 1 error, 1 warning, agenda sent to smtp://m:587, "
        "reminder sent to a@b.jp, 1.23s"
    )


def test_a_japanese_clients_cron_line_is_japanese(tmp_path: Path) -> None:
    """A Japanese client's run line is in Japanese; the error text stays as the run gave it."""
    config = write_config(tmp_path, language="ja")
    result = RunResult(make_report("ja"), (Delivery(AGENDA, 3, Failed("refused")),), seconds=0.5)
    line = run_line(config, result)
    failed = say("run.agenda_failed", "ja", error="refused")
    expected = f"ふり返るサイクル3、エラー1件・注意1件、{failed}、0.50秒"
    assert line == say("run.line", "ja", client=CLIENT["ja"], parts=expected)
    assert "review cycle" not in line and "errors" not in line


@pytest.mark.parametrize("ending", ENDINGS)
@pytest.mark.parametrize("review", [3, None])
def test_english_run_output_never_carries_japanese_punctuation(
    tmp_path: Path, ending: tuple[Delivery, ...], review: int | None
) -> None:
    """Every ending of an English client's run, in the cron line and in `sync`'s output, is
    free of 「」、。 and of unfilled placeholders."""
    config = write_config(tmp_path, language="en")
    report = replace(make_report("en"), review_cycle=review)
    result = RunResult(report, ending)
    for text in (run_line(config, result), describe_run(result), describe_checks(report)):
        assert not _japanese(text), text
        assert "{" not in text and "None" not in text, text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "agenda NOT sent (will retry next run): refused"),
        ("ja", say("run.agenda_retry", "ja", error="refused")),
    ],
)
def test_sync_output_speaks_the_clients_language(lang: Lang, expected: str) -> None:
    """`sync`'s answer: the cycles and counts, then the agenda's fate, in the report's language."""
    text = describe_run(RunResult(make_report(lang), (Delivery(AGENDA, 3, Failed("refused")),)))
    first, second = text.splitlines()
    assert second == expected
    if lang == "en":
        assert first == f"{CLIENT['en']}: review cycle 3, current cycle 4; 1 error, 1 warning"
    else:
        parts = {"cycles": "ふり返るサイクル3、今のサイクル4", "checks": "エラー1件・注意1件"}
        assert first == say("run.summary", "ja", client=CLIENT["ja"], **parts)


def test_check_output_names_the_row_in_the_reports_language() -> None:
    """`check` lists "KPI values row 7" in English and 「KPI記録 7行目」 in Japanese."""
    assert "KPI values row 7:" in describe_checks(make_report("en"))
    assert "KPI記録 7行目:" in describe_checks(make_report("ja"))
    assert describe_checks(make_report("en")).splitlines()[0] == "1 error, 1 warning"


def test_sync_all_summary_is_english_even_for_japanese_clients() -> None:
    """The summary covers every client, whatever their language: English, counted right."""
    one = BatchOutcome(
        Path("."), [ClientRun(Path("a.toml"), "さくら珈琲", Outcome.OK, language="ja")]
    )
    assert one.summary() == "1 client: 1 ok · 0.0s · exit 0"
    two = BatchOutcome(
        Path("."),
        [
            ClientRun(Path("a.toml"), "さくら珈琲", Outcome.OK, language="ja"),
            ClientRun(Path("b.toml"), "梅の湯", Outcome.LOCKED, problem="busy", language="ja"),
        ],
    )
    table = two.table()
    assert table.splitlines()[0].split() == ["client", "outcome", "checks", *AGENDA_COLUMN.split(),
                                             "duration"]  # fmt: skip
    assert "梅の湯 (b.toml): busy" in table
    assert table.splitlines()[-1] == "2 clients: 1 ok, 1 locked · 0.0s · exit 5"
    assert not _japanese(table.replace("さくら珈琲", "").replace("梅の湯", ""))


def test_doctor_speaks_english_for_a_japanese_client(tmp_path: Path) -> None:
    """doctor's own findings are English (like the probes beside them), from WORDS."""
    config = write_config(tmp_path, language="ja")
    lines = [finding.line() for finding in diagnose(config.path)]
    loads = say("doctor.config_loads", "en", path=config.path, client=repr(config.client),
                backend="xlsx")  # fmt: skip
    assert lines[0] == f"✓ config: {loads}"
    outbox = [line for line in lines if "outbox" in line]
    assert outbox and all("the outbox" in line for line in outbox), lines


@pytest.mark.parametrize(
    ("recorded", "shown"),
    [
        # cron in UTC, the client in Tokyo
        ("2026-12-02T17:11:01+00:00", "12月3日 2:11(日本時間)"),
        ("2026-12-03T02:11:01+09:00", "12月3日 2:11(日本時間)"),
        ("2026-12-03T02:11:01", "12月3日 2:11(日本時間)"),
        ("yesterday", "yesterday"),  # an old Log row typed by hand: shown as it is
    ],
)
def test_the_already_sent_reason_shows_the_send_time_as_the_client_reads_it(
    tmp_path: Path, recorded: str, shown: str
) -> None:
    """「サイクル4の分は12月3日 2:11(日本時間)に送信済み」: in the client's zone, named in words,
    not a raw ISO stamp with seconds and an offset (nor a bare time cron's zone made)."""
    config = write_config(tmp_path, language="ja")
    assert local_moment(recorded, config) == shown
