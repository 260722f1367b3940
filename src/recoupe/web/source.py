"""Where the web app gets its report: the store, read afresh whenever it changed."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol


class ReportSource(Protocol):
    def report(self, with_input_text: str | None = None) -> Mapping[str, Any]:
        """The report dict; `with_input_text` names an article whose text before cleaning should be included."""
        ...


class StoreReport:
    """The report of the store at `db_path`, rebuilt when the database files change.

    The store is opened read-only for each rebuild, so a run may write to it meanwhile.
    """

    def __init__(self, db_path: str | Path):
        self.db_path = Path(db_path)
        self._lock = threading.Lock()
        self._stamp: tuple | None = None
        self._report: Mapping[str, Any] | None = None

    def _signature(self) -> tuple:
        stamp = []
        for suffix in ("", "-wal"):
            path = Path(f"{self.db_path}{suffix}")
            try:
                info = path.stat()
            except FileNotFoundError:
                stamp.append(None)
                continue
            stamp.append((info.st_mtime_ns, info.st_size))
        return tuple(stamp)

    def report(self, with_input_text: str | None = None) -> Mapping[str, Any]:
        """The whole report, rebuilt only when the store changed; one article's text before cleaning on request."""
        from ..report.json import build_report
        from ..store import Store

        with self._lock:
            stamp = self._signature()
            if self._report is None or stamp != self._stamp:
                with Store(self.db_path, readonly=True) as store:
                    self._report = build_report(store)
                self._stamp = stamp
            report = self._report
        if with_input_text is None or not any(a.get("id") == with_input_text for a in report.get("articles", [])):
            return report
        with Store(self.db_path, readonly=True) as store:
            try:
                original = store.get_article(with_input_text, with_analysis=False).input_text
            except KeyError:
                return report
        articles = [dict(a, input_text=original) if a.get("id") == with_input_text else a for a in report["articles"]]
        return {**report, "articles": articles}
