"""The ceiling benchmark's two-way cut finds two groups joined by one weak link, and date gaps unlink."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


def _ceiling(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("story_ceiling")


def test_two_way_cut_separates_two_groups_linked_by_one_weak_edge(monkeypatch):
    ceiling = _ceiling(monkeypatch)
    rng = np.random.default_rng(3)
    matrix = rng.uniform(0.0, 0.05, (10, 10))
    matrix[:6, :6] += 0.5
    matrix[6:, 6:] += 0.4
    matrix[5, 6] = matrix[6, 5] = 0.45  # one article of each group close to the other: a chain, not a blob
    matrix = (matrix + matrix.T) / 2
    sides = ceiling._two_way_cut(matrix)
    assert len(set(sides[:6])) == 1 and len(set(sides[6:])) == 1 and sides[0] != sides[9]


def test_unlink_distant_keeps_pairs_with_an_unknown_day(monkeypatch):
    ceiling = _ceiling(monkeypatch)
    matrix = np.full((3, 3), 0.5)
    unlinked = ceiling._unlink_distant(matrix, [10.0, 40.0, None], gap=14.0)
    assert unlinked[0, 1] == unlinked[1, 0] == 0.0
    assert unlinked[0, 2] == unlinked[1, 2] == 0.5 and unlinked[0, 0] == 0.5
