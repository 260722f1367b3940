"""The pages of the current report, each built once: the app answers a page it has already built from memory.

Building the lookups of a report (labels, shapes, stories by id) takes a
second on 10,000 articles, and rendering a story page tens of milliseconds;
neither changes until the store does. `RenderedPages` keeps one renderer per
report (the report source hands back the same object until the store
changes) and, for that report, what was built under a key (a story page, a
filtered listing as JSON bytes), least recently used first out once they
pass `max_bytes`.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from ..report.html import PageRenderer

T = TypeVar("T")


class RenderedPages:
    def __init__(self, report: Callable[[], Mapping[str, Any]], make_renderer: Callable[[Mapping[str, Any]], PageRenderer],
                 max_bytes: int = 64 * 1024 * 1024):
        self._report = report
        self._make_renderer = make_renderer
        self.max_bytes = max_bytes
        self._lock = threading.Lock()
        self._current: tuple[Mapping[str, Any], PageRenderer, OrderedDict] | None = None
        self._bytes = 0

    def _state(self) -> tuple[PageRenderer, OrderedDict]:
        report = self._report()
        with self._lock:  # one build per new report, however many requests arrive meanwhile
            if self._current is None or self._current[0] is not report:
                self._current = (report, self._make_renderer(report), OrderedDict())
                self._bytes = 0
            return self._current[1], self._current[2]

    def renderer(self) -> PageRenderer:
        return self._state()[0]

    def get(self, key: Any, build: Callable[[PageRenderer], T]) -> T:
        """What `build(renderer)` gives for the current report, built at most once while it stays current."""
        renderer, done = self._state()
        with self._lock:
            if key in done:
                done.move_to_end(key)
                return done[key]
        value = build(renderer)
        size = len(value) if isinstance(value, (str, bytes)) else 1024
        with self._lock:
            if self._current is not None and self._current[2] is done and size <= self.max_bytes:
                done[key] = value
                self._bytes += size
                while self._bytes > self.max_bytes and done:
                    _, old = done.popitem(last=False)
                    self._bytes -= len(old) if isinstance(old, (str, bytes)) else 1024
        return value
