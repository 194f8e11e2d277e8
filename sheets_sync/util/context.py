"""A context variable set for the length of a block, and put back as it was after it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

T = TypeVar("T")


@contextmanager
def holding(variable: ContextVar[T], value: T) -> Iterator[None]:
    """Within this block `variable` is `value` (in this thread or task only); after it, what
    it was before."""
    token = variable.set(value)
    try:
        yield
    finally:
        variable.reset(token)
