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
    """The report of the store at `db_path`, rebuilt when the database files change."""

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
        raise NotImplementedError
