"""The settings of the ingest step ([ingest] in defaults.toml)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class IngestOptions:
    """`max_bytes` bounds what one input may take in memory: a whole file for
    single-document formats, one line of JSONL, one WARC payload, one fetched
    URL, the decompressed size of a .gz. `follow_symlinks` applies to links met
    while walking a folder (a path given by name is always read); loops are
    detected either way. `timeout_seconds` bounds each URL fetch."""

    max_bytes: int = 200 * 1024 * 1024
    follow_symlinks: bool = False
    timeout_seconds: float = 30.0
    user_agent: str = "recoupe/0.1 (+news story engine)"

    def __post_init__(self) -> None:
        if not isinstance(self.max_bytes, int) or self.max_bytes <= 0:
            raise ValueError(f"max_bytes must be a positive integer, not {self.max_bytes!r}")
        if not self.timeout_seconds or self.timeout_seconds <= 0:
            raise ValueError(f"timeout_seconds must be positive, not {self.timeout_seconds!r}")
