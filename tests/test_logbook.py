"""The Log's rows read back exactly as written, each naming its client; whose rows count."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from hypothesis import given
from hypothesis import strategies as st

from sheets_sync.core.log_tab import log_tab
from sheets_sync.sheet.logbook import LogEntry, counts_for, other_clients, own, read_log
from sheets_sync.sheet.schema import LOG_COLUMNS
from sheets_sync.sheet.tabs import CellValue, RawCell, RawTab

_LOG_KEYS = ["sync", "check", "demo", "agenda", "reminder", "ok", "sent", "failed", "error"]
_TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30)
_NAME = _TEXT.map(str.strip)
_ENTRIES = st.builds(
    LogEntry,
    when=_TEXT,
    what=st.sampled_from(_LOG_KEYS),
    result=st.sampled_from(_LOG_KEYS),
    cycle=st.none() | st.integers(1, 10_000),
    details=_TEXT,
    client=_NAME,
)


def _as_read(tab_rows: Sequence[Sequence[CellValue]]) -> RawTab:
    return RawTab("ログ", [[RawCell(value) for value in row] for row in tab_rows])


@given(st.lists(_ENTRIES, max_size=20), st.sampled_from(["ja", "en"]), _NAME)
def test_the_log_reads_back_what_it_wrote(entries: list[LogEntry], lang: str, client: str) -> None:
    """Any rows, in either language: written as the Log and read back, each row is what it
    was, and a row that named no client names this run's client."""
    tab = log_tab(entries, lang, client)  # type: ignore[arg-type]
    read = read_log(_as_read([[cell.value for cell in row] for row in tab.rows]))
    assert read == [replace(entry, client=entry.client or client) for entry in entries]


def test_an_earlier_versions_log_has_no_client() -> None:
    """A five-column Log (before the client column) reads with client "" on every row; the
    column is found by its header wherever it stands."""
    old = _as_read([[ja for _, ja, _, _ in LOG_COLUMNS[:5]], ["t", "agenda", "sent", 2, "x"]])
    assert read_log(old) == [LogEntry("t", "agenda", "sent", 2, "x", "")]
    header = ["日時", "内容", "結果", "サイクル", "詳細", "メモ", "店名"]
    moved = _as_read([header, ["t", "sync", "ok", "", "", "", "さくら"]])
    assert read_log(moved)[0].client == "さくら"


def test_which_rows_are_this_clients() -> None:
    """This client's name (spaces, full width and case aside) and no name count; another
    client's rows do not, and are listed once per client with how many rows it has."""
    rows = [
        LogEntry("t", "agenda", "sent", 1, "", "Sakura Coffee"),
        LogEntry("t", "agenda", "sent", 2, "", " ＳＡＫＵＲＡ coffee\u3000"),
        LogEntry("t", "agenda", "sent", 3, "", ""),
        LogEntry("t", "agenda", "sent", 4, "", "梅屋"),
        LogEntry("t", "agenda", "sent", 5, "", "梅屋 "),
        LogEntry("t", "agenda", "sent", 6, "", "松屋"),
    ]
    assert [e.cycle for e in own(rows, "sakura coffee")] == [1, 2, 3]
    assert counts_for(rows[2], "anyone")
    assert other_clients(rows, "Sakura Coffee") == [("梅屋", 2), ("松屋", 1)]
