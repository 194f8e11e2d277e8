"""Pausing Python's cycle collector while a run builds and drops millions of small objects.

A 20,000-row sheet becomes about a million small dicts (Google's JSON) or cells (openpyxl),
none of them in reference cycles; each full collection walks them all, which was over half of
the client's CPU time. Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_holders = 0
_was_enabled = True


@contextmanager
def gc_paused() -> Iterator[None]:
    """Disable the cycle collector for the duration; re-enabled when the last holder leaves
    (sync-all runs several clients in threads)."""
    global _holders, _was_enabled
    with _lock:
        if _holders == 0:
            _was_enabled = gc.isenabled()
        _holders += 1
        gc.disable()
    try:
        yield
    finally:
        with _lock:
            _holders -= 1
            if _holders == 0 and _was_enabled:
                gc.enable()
