"""The cross-validation benchmark splits the topics into distinct, balanced, complementary halves."""

from __future__ import annotations

import importlib
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _halves(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("story_generality")._halves


def test_halves_are_balanced_complementary_and_distinct(monkeypatch):
    halves = _halves(monkeypatch)
    topics = [f"T{i:02d}" for i in range(1, 11)]
    splits = halves(topics, 6, seed=0)
    assert len(splits) == 6
    seen = set()
    for first, second in splits:
        assert len(first) == len(second) == 5
        assert first | second == set(topics) and not first & second
        assert first not in seen and second not in seen
        seen |= {first, second}
    assert halves(topics, 6, seed=0) == splits  # seeded
    # Four topics split in two only three ways: no split is repeated to make up the count.
    assert len(halves(["A", "B", "C", "D"], 6, seed=1)) == 3
