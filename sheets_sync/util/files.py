"""Where sheets-sync keeps its own files, and writing a file so that a reader never sees half
of it (temp file, fsync, rename)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from typing import Final

import platformdirs

# The folder beside a client's config where sheets-sync keeps what is its own (backups, a
# workbook lock it could not put elsewhere): never the workbook's folder, which is often a
# shared or synced one (Dropbox, OneDrive, a NAS) that every staff member sees.
STATE_FOLDER: Final = ".sheets-sync"

# Room for a name made from a client's config name: most file systems allow 255 bytes, and the
# longest thing sheets-sync adds (a prefix, a suffix, a temp or backup tail) fits in the rest.
STEM_BYTES = 120


def short_stem(stem: str, limit: int = STEM_BYTES) -> str:
    """`stem` itself when it fits in `limit` UTF-8 bytes, else its start plus a short hash of the
    whole (so two long names that start alike still get different files)."""
    encoded = stem.encode("utf-8")
    if len(encoded) <= limit:
        return stem
    digest = hashlib.sha256(encoded).hexdigest()[:10]
    head = encoded[: limit - len(digest) - 1].decode("utf-8", "ignore")
    return f"{head}-{digest}"


def write_atomically(target: Path, data: bytes) -> None:
    """Temp file in the same folder, flushed to disk, given the usual file mode (mkstemp's
    0600 would hide it from the rest of the team), then renamed over the target."""
    handle, temp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(temp_name, 0o666 & ~umask)
        os.replace(temp_name, target)
    except BaseException:
        Path(temp_name).unlink(missing_ok=True)
        raise


def user_state_folder() -> Path:
    """This user's sheets-sync folder on this machine (`~/.local/state/sheets-sync` on Linux,
    `$XDG_STATE_HOME/sheets-sync` when set): what every config of the machine shares."""
    return platformdirs.user_state_path("sheets-sync")


def path_digest(path: Path) -> str:
    """A short name for a file's real location (links followed): one file, one digest."""
    return hashlib.sha256(os.path.realpath(path).encode("utf-8")).hexdigest()[:16]
