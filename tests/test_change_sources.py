"""`watch`'s change detection lives in the backends, behind one interface: an .xlsx is seen by
its size and time (the sync's own save is no edit, a file being synced is not looked at, an
open or missing file is said), and what a source keeps across a restart is kept by kind."""

from __future__ import annotations

import os
from pathlib import Path

from sheets_sync.backends import Changes, kind_named, workbook_key
from sheets_sync.config import Config, load_config
from sheets_sync.consultant.watch_status import WatchStatus
from tests.support.workbooks import baseline, config_file, write_xlsx


def xlsx_config(folder: Path) -> tuple[Config, str]:
    write_xlsx(folder / "book.xlsx", baseline())
    config = load_config(config_file(folder))
    return config, workbook_key(config)


def saved_again(path: Path) -> None:
    """Staff save: the same bytes, a new modification time."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_an_xlsx_save_is_a_change_and_the_syncs_own_save_is_not(tmp_path: Path) -> None:
    """The first look is the baseline; a save by staff is a change named after the file; a
    workbook being synced is not looked at, and once the sync says `saved`, its write is not
    taken for an edit."""
    config, key = xlsx_config(tmp_path)
    source = kind_named("xlsx").change_source({})
    first = source.poll({key: config}, busy=())
    assert first[key].changed is None and not first[key].missing
    saved_again(tmp_path / "book.xlsx")
    [look] = source.poll({key: config}, busy=()).values()
    assert look.changed is not None and look.changed.render("en") == "book.xlsx saved"
    assert source.poll({key: config}, busy=())[key].changed is None
    saved_again(tmp_path / "book.xlsx")  # the sync writing
    assert source.poll({key: config}, busy={key}) == {}
    source.saved(key)
    assert source.poll({key: config}, busy=())[key].changed is None
    assert source.requests == 0 and source.problem is None and source.notices() == []


def test_an_open_or_missing_xlsx_is_said_and_a_restart_resumes_from_the_bookmarks(
    tmp_path: Path,
) -> None:
    """Excel's lock file beside it: the look says which; the file gone: missing. A source
    made from another's bookmarks sees a save made while none was running."""
    config, key = xlsx_config(tmp_path)
    source = kind_named("xlsx").change_source({})
    source.poll({key: config}, busy=())
    (tmp_path / "~$book.xlsx").write_bytes(b"")
    assert source.poll({key: config}, busy=())[key].open_by == "~$book.xlsx"
    kept = source.bookmarks()
    assert set(kept) == {key}
    saved_again(tmp_path / "book.xlsx")
    restarted = kind_named("xlsx").change_source(kept)
    assert restarted.poll({key: config}, busy=())[key].changed is not None
    (tmp_path / "book.xlsx").unlink()
    look = restarted.poll({key: config}, busy=())[key]
    assert look.missing and look.name == "book.xlsx" and look.where.endswith("book.xlsx")


def test_all_sources_keep_their_bookmarks_by_kind_and_an_older_status_file_is_read(
    tmp_path: Path,
) -> None:
    """`Changes` keeps each kind's bookmarks apart (a kind with no workbook this time keeps
    what it had); the Drive page tokens of a status file written before bookmarks resume the
    Google feed."""
    config, key = xlsx_config(tmp_path)
    changes = Changes({"google": {"/keys/a.json": "token-7"}})
    changes.poll({key: config}, busy=())
    kept = changes.bookmarks()
    assert kept["google"] == {"/keys/a.json": "token-7"} and set(kept["xlsx"]) == {key}
    older = WatchStatus.from_json('{"page_tokens": {"/keys/a.json": "token-3"}}')
    assert older.kept_bookmarks() == {"google": {"/keys/a.json": "token-3"}}
    newer = WatchStatus(bookmarks=kept, page_tokens={"/keys/a.json": "token-3"})
    assert newer.kept_bookmarks() == kept
