"""Shared fixtures: where the shared data lives, and the seed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
RPM2 = SHARED / "data" / "rpm2-dev"
SEMEVAL = SHARED / "data" / "semeval2022-task8-sample"


@pytest.fixture(scope="session")
def seed_paths() -> list[Path]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5, f"expected the five seed articles in {SEEDS}"
    return paths
