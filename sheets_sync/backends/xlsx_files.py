"""The workbook file on disk: what kind of file it is, a race-free replace, and the backups.

A save builds the new package in a temp file beside the workbook, verifies it as a strict
reader would, then, right before the rename, checks that the file is still byte for byte what
the sync read and that nobody has it open; only then is it replaced. The window left is the few
milliseconds of that check. The temp file is the only thing sheets-sync ever puts in the
workbook's folder: the backups live in the state folder beside the client's config.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path

from ..errors import ConfigError, SheetAccessError, WorkbookOpenError
from ..util.files import path_digest, short_stem
from ..words.core import Phrase
from .xlsx_verify import Baseline, verify

BACKUPS_KEPT = 3  # the newest ones, whatever their day
BACKUP_DAYS = 7  # plus the newest of each of the last days
STALE_TEMP_SECONDS = 3600  # a save's temp file this old is a killed run's, never a live one's
ACCEPTED_SUFFIXES = (".xlsx", ".xlsm")
_OLE = b"\xd0\xcf\x11\xe0"
_STAMP = re.compile(r"^\.(\d{4}-\d{2}-\d{2}T\d{4,6}[+-]\d{4})(?:-\d+)?$")
_OLD_STAMP = re.compile(r"^\.(\d{8}-\d{6})-\d+$")  # backups of earlier versions (naive time)


def backup_folder(state: Path, workbook: Path) -> Path:
    """Where the backups of `workbook` go in a state folder: one folder per workbook, named by
    its file name and its real path's digest, so two shops' `kpi.xlsx` never prune each
    other's backups."""
    return state / "backups" / f"{short_stem(workbook.name)}-{path_digest(workbook)[:8]}"


def real_file(path: Path) -> Path:
    """The file `path` finally names: a symbolic link (into a shared folder, say) is written
    through, so staff and the sync keep sharing one file and the link stays a link."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel and LibreOffice leave next to a workbook they have open (beside the
    link and beside the file it names, when the workbook is reached through a link)."""
    found = [path.with_name(f"~${path.name}"), path.with_name(f".~lock.{path.name}#")]
    real = real_file(path)
    return found if real == path else [*found, *lock_files(real)]


def lock_owner(lock: Path) -> Phrase | None:
    """Who a LibreOffice lock file says has the workbook open: `user on host (since date)`.
    Its content is `,user,host,date,...`; an Excel lock file (or an unreadable one) says
    nothing we can show."""
    if not lock.name.startswith(".~lock."):
        return None
    try:
        text = lock.read_bytes()[:4096].decode("utf-8", errors="replace")
    except OSError:
        return None
    fields = [field.strip() for field in text.splitlines()[0].split(",")] if text else []
    user, host, date = [*fields, "", "", "", ""][1:4]
    if not user and not host:
        return None
    who: object = user or Phrase("error.lock_owner_someone")
    where = Phrase("error.lock_owner_host", {"host": host}) if host else ""
    since = Phrase("error.lock_owner_since", {"date": date}) if date else ""
    return Phrase("error.lock_owner", {"who": who, "where": where, "since": since})


def ensure_closed_by_others(path: Path) -> None:
    for lock in lock_files(path):
        if lock.exists():
            owner = lock_owner(lock)
            says = Phrase("error.workbook_open_says", {"owner": owner}) if owner else ""
            raise WorkbookOpenError("workbook_open", name=path.name, lock=lock, says=says)


def is_read_only(path: Path) -> bool:
    """The workbook may not be written: this user lacks write permission, or nobody has it
    (its read-only attribute, `chmod a-w`), which the sync respects as Excel does, even when
    it runs as an administrator. A missing file is not read-only (reading says it is missing)."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not os.access(path, os.W_OK) or not mode & 0o222


def check_suffix(path: Path) -> None:
    """`sheet.path` must name an .xlsx (or .xlsm): other formats are a config error."""
    if path.suffix.lower() not in ACCEPTED_SUFFIXES:
        kind = (
            Phrase("error.suffix_kind", {"suffix": path.suffix})
            if path.suffix
            else Phrase("error.suffix_none")
        )
        raise ConfigError("not_xlsx_suffix", kind=kind, path=path)


def check_content(path: Path, data: bytes, backups: Path) -> None:
    """A file named .xlsx that is not one: encrypted (an OLE container) or another format."""
    if data.startswith(_OLE):
        raise SheetAccessError("workbook_encrypted", path=path)
    if not data.startswith(b"PK"):
        raise SheetAccessError("workbook_not_xlsx", path=path, restore=restore_advice(backups))


def restore_advice(backups: Path) -> Phrase:
    """What to restore a damaged workbook from: the newest copy a sync kept in `backups`, by
    its full name, or (none kept yet) no advice to restore at all, never a missing folder."""
    try:
        kept = [(p.stat().st_mtime_ns, p) for p in backups.iterdir() if p.is_file()]
    except OSError:
        kept = []
    copies = [(when, p) for when, p in kept if not p.name.startswith(".")]  # not a temp file
    if not copies:
        return Phrase("error.restore_none")
    return Phrase("error.restore_newest", {"backup": max(copies)[1]})


@dataclass(frozen=True)
class ReadState:
    """What the sync read: the file must still be exactly this when it is replaced."""

    size: int
    mtime_ns: int
    sha256: str


def read_file(path: Path) -> tuple[bytes, ReadState]:
    try:
        with open(path, "rb") as stream:
            stat = os.fstat(stream.fileno())
            data = stream.read()
    except FileNotFoundError:
        raise SheetAccessError("workbook_missing", path=path) from None
    except IsADirectoryError:
        raise SheetAccessError("workbook_is_folder", path=path) from None
    except PermissionError:
        raise SheetAccessError("workbook_unreadable", path=path) from None
    except OSError as error:
        raise SheetAccessError(
            "workbook_read_failed", path=path, reason=error.strerror or error
        ) from None
    return data, ReadState(stat.st_size, stat.st_mtime_ns, hashlib.sha256(data).hexdigest())


def _changed(path: Path, state: ReadState) -> bool:
    try:
        stat = path.stat()
        if (stat.st_size, stat.st_mtime_ns) != (state.size, state.mtime_ns):
            return True
        return hashlib.sha256(path.read_bytes()).hexdigest() != state.sha256
    except FileNotFoundError:
        return True


def _write_error(path: Path, error: OSError, step: Phrase) -> SheetAccessError:
    """`step`: what could not be done (one of the `error.save_step_*` words)."""
    reason: object
    if error.errno == errno.ENOSPC:
        reason = Phrase("error.save_disk_full")
    elif isinstance(error, PermissionError) or error.errno in (errno.EACCES, errno.EROFS):
        reason = Phrase("error.save_folder_not_writable", {"folder": path.parent})
    else:
        reason = error.strerror or str(error)
    return SheetAccessError(
        "workbook_not_written",
        step=step,
        name=path.name,
        folder=path.parent,
        reason=reason,
    )


def replace_safely(
    path: Path,
    build: Callable[[Path], None],
    read: tuple[bytes, ReadState] | None,
    zone: tzinfo | None,
    before_replace: Callable[[], None] | None = None,
    *,
    backups: Path | None = None,
) -> None:
    """Build the new file with `build(temp)` beside the file `path` names; verify it; rename it
    over that file only if it is still what was read (`read`: its bytes and state; None for a
    new workbook, which needs no backup). The previous file is kept in `backups` first."""
    target = real_file(path)
    if read is not None and is_read_only(target):
        # a rename ignores the file's own permission: without this the file would be replaced
        raise SheetAccessError("workbook_read_only", path=path)
    temp = _temp_beside(target)
    try:
        try:
            build(temp)
            with open(temp, "rb") as stream:
                os.fsync(stream.fileno())
        except OSError as error:
            raise _write_error(target, error, Phrase("error.save_step_write")) from None
        _refuse_unsound(path, temp, read)
        if before_replace is not None:
            before_replace()  # a test's hook: someone saves the workbook right now
        _prepare(target, temp, read, zone, backups)
        ensure_closed_by_others(path)
        if read is not None and _changed(target, read[1]):
            raise SheetAccessError("workbook_changed", name=path.name)
        try:
            os.replace(temp, target)
        except OSError as error:
            raise _write_error(target, error, Phrase("error.save_step_replace")) from None
    finally:
        temp.unlink(missing_ok=True)


def _temp_beside(target: Path) -> Path:
    """An empty temp file in `target`'s folder (a rename is atomic only within one folder)."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_temps(target)
        handle, temp_name = tempfile.mkstemp(
            prefix=f".{target.stem}.", suffix=".xlsx.tmp", dir=target.parent
        )
        os.close(handle)
    except OSError as error:
        raise _write_error(target, error, Phrase("error.save_step_temp")) from None
    return Path(temp_name)


def _refuse_unsound(path: Path, temp: Path, read: tuple[bytes, ReadState] | None) -> None:
    """Stop (exit 3, nothing replaced) when the built package has a defect the workbook did
    not have: a writer bug must become a refusal, never a file staff can no longer open."""
    problems = verify(temp, Baseline.of(read[0]) if read is not None else None)
    if problems:
        first = problems[0]
        raise SheetAccessError(
            "workbook_not_verified",
            name=path.name,
            part=first.part,
            detail=f"{first.kind}: {first.detail}",
            more=Phrase("error.workbook_verify_more", {"n": len(problems) - 1})
            if len(problems) > 1
            else "",
        )


def _prepare(
    target: Path,
    temp: Path,
    read: tuple[bytes, ReadState] | None,
    zone: tzinfo | None,
    backups: Path | None,
) -> None:
    """The temp file gets the workbook's permissions; the workbook as read is backed up."""
    try:
        if read is None:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(temp, 0o666 & ~umask)
            return
        shutil.copymode(target, temp)  # staff's group permissions survive the rename
    except FileNotFoundError:
        return  # gone since the read: the check after this says so
    except OSError as error:
        raise _write_error(target, error, Phrase("error.save_step_write")) from None
    if backups is None:
        return
    try:
        _keep_backup(target, backups, read[0], zone)
    except OSError as error:
        step = Phrase("error.save_step_back_up")
        raise _write_error(backups / target.name, error, step) from None


def _remove_stale_temps(path: Path) -> None:
    """Temp files left by a killed save of this workbook: only those over STALE_TEMP_SECONDS
    old, since a fresh one may be a live save (another user's run, or a run whose workbook
    lock lives elsewhere); a workbook whose name starts alike (`a.b.xlsx`) keeps its own."""
    temp_name = re.compile(re.escape(f".{path.stem}.") + r"[A-Za-z0-9_]+" + re.escape(".xlsx.tmp"))
    cutoff = time.time() - STALE_TEMP_SECONDS
    for leftover in path.parent.iterdir():
        if not temp_name.fullmatch(leftover.name):
            continue
        try:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)
        except OSError:
            pass  # gone already, or not ours to remove: it costs some disk space, nothing more


# -- backups --------------------------------------------------------------------------------
def backup_name(path: Path, when: datetime) -> str:
    """`sakura.2026-12-02T0700+0900.xlsx`: local time with its offset, sortable by day."""
    return f"{path.stem}.{when.strftime('%Y-%m-%dT%H%M%z')}{path.suffix}"


def _backup_time(path: Path, stem: str, zone: tzinfo | None) -> datetime | None:
    middle = path.name[len(stem) : -len(path.suffix)] if path.suffix else ""
    match = _STAMP.search(middle)
    if match:
        text = match.group(1)
        form = "%Y-%m-%dT%H%M%S%z" if len(text.split("T")[1]) > 9 else "%Y-%m-%dT%H%M%z"
        try:
            return datetime.strptime(text, form)
        except ValueError:
            return None
    old = _OLD_STAMP.search(middle)
    if old:
        return datetime.strptime(old.group(1), "%Y%m%d-%H%M%S").astimezone(zone)
    return None


def _keep_backup(path: Path, folder: Path, content: bytes, zone: tzinfo | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(zone).astimezone(zone)
    base = backup_name(path, now)[: -len(path.suffix)]
    target = folder / f"{base}{path.suffix}"
    number = 2
    while target.exists():  # two saves in one minute
        target = folder / f"{base}-{number}{path.suffix}"
        number += 1
    _write_atomically(folder, target, content)
    prune_backups(folder, path, now)


def _write_atomically(folder: Path, target: Path, content: bytes) -> None:
    """Write `content` to a temp file in `folder` and rename it to `target`: a full disk or
    any other error leaves no file behind, never a truncated backup beside the good ones."""
    handle, temp_name = tempfile.mkstemp(prefix=".backup.", suffix=".tmp", dir=folder)
    os.close(handle)
    temp = Path(temp_name)
    try:
        with open(temp, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)


def prune_backups(folder: Path, path: Path, now: datetime) -> list[Path]:
    """Keep the BACKUPS_KEPT newest and the newest of each of the last BACKUP_DAYS days."""
    dated: list[tuple[datetime, float, Path]] = []
    for candidate in folder.glob(f"{path.stem}.*{path.suffix}"):
        when = _backup_time(candidate, path.stem, now.tzinfo)
        if when is not None:
            dated.append((when, candidate.stat().st_mtime, candidate))
    dated.sort(key=lambda item: (item[0], item[1]), reverse=True)
    keep = {item[2] for item in dated[:BACKUPS_KEPT]}
    days_seen: set[object] = set()
    today = now.date()
    for when, _, candidate in dated:
        day = when.astimezone(now.tzinfo).date()
        if (today - day).days < BACKUP_DAYS and day not in days_seen:
            days_seen.add(day)
            keep.add(candidate)
    removed = []
    for _, _, candidate in dated:
        if candidate not in keep:
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
    return removed
