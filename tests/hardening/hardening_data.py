"""Data of the hardening tests: where the real text lives, and paragraphs cut from it."""

from __future__ import annotations

import functools
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
RPM2 = SHARED / "data" / "rpm2-dev"
SEEDS = SHARED / "seeds"


@functools.cache
def real_paragraphs(limit: int = 80) -> tuple[str, ...]:
    """Non-blank lines of real French articles (rpm2-dev and the seeds), in a fixed order."""
    paths = sorted(RPM2.glob("*.txt"))[:limit] + sorted(SEEDS.glob("*.txt"))
    lines: list[str] = []
    for path in paths:
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert len(lines) > 500, "the real articles of ../shared are needed"
    return tuple(lines)
