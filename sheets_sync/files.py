"""Writing a file so that a reader never sees half of it: temp file, fsync, rename."""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

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
