"""Every kind's change source behind one object, for `watch`: each config's workbook goes to
its kind's source (made at the first workbook of that kind), and what they keep across a
restart is kept by kind."""

from __future__ import annotations

from collections.abc import Collection, Mapping

from ..config import Config
from ..words.core import Words
from .base import ChangeSource, Look, Notice
from .kinds import kind_named, kind_of


class Changes:
    """What `watch` polls: all its workbooks, whichever backend each is on."""

    def __init__(self, bookmarks: Mapping[str, Mapping[str, str]]) -> None:
        self._restored = {kind: dict(marks) for kind, marks in bookmarks.items()}
        self._sources: dict[str, ChangeSource] = {}

    def poll(self, workbooks: Mapping[str, Config], busy: Collection[str]) -> dict[str, Look]:
        """Each workbook's look, keyed like `workbooks` (by workbook key); see
        `ChangeSource.poll` for `busy`."""
        by_kind: dict[str, dict[str, Config]] = {}
        for key, config in workbooks.items():
            by_kind.setdefault(kind_of(config).name, {})[key] = config
        looks: dict[str, Look] = {}
        for name, some in by_kind.items():
            source = self._sources.get(name)
            if source is None:
                source = kind_named(name).change_source(self._restored.get(name, {}))
                self._sources[name] = source
            looks.update(source.poll(some, busy))
        return looks

    def saved(self, workbook: str) -> None:
        """A sync wrote `workbook`: its own save is no edit."""
        for source in self._sources.values():
            source.saved(workbook)

    def bookmarks(self) -> dict[str, dict[str, str]]:
        kept = dict(self._restored)
        kept.update({name: source.bookmarks() for name, source in self._sources.items()})
        return {name: marks for name, marks in kept.items() if marks}

    def notices(self) -> list[Notice]:
        return [notice for source in self._sources.values() for notice in source.notices()]

    @property
    def problem(self) -> Words | None:
        return next((s.problem for s in self._sources.values() if s.problem is not None), None)

    @property
    def requests(self) -> int:
        return sum(source.requests for source in self._sources.values())
