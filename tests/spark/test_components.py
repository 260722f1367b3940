"""Connected components in Spark (large-star / small-star) against union-find on the driver."""

from __future__ import annotations

import random

from recoupe.spark.components import connected_components


def _union_find(edges: list[tuple[int, int]]) -> dict[int, int]:
    parent: dict[int, int] = {}

    def find(x: int) -> int:
        while parent.setdefault(x, x) != x:
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {x: find(x) for x in parent}


def test_components_are_those_of_union_find(spark):
    rng = random.Random(3)
    edges = [(rng.randrange(600), rng.randrange(600)) for _ in range(450)]
    edges += [(i + 1, i) for i in range(1000, 1300)]  # a long chain: many rounds
    edges += [(2000, 2000), (2001, 2000), (2000, 2001)]  # a loop and an edge given twice
    edges += [(3000 + i, 3000 - i) for i in range(1, 40)]  # a star whose centre is not the smallest node
    frame = spark.createDataFrame(edges, "u long, v long")
    got = {row["node"]: row["root"] for row in connected_components(frame).collect()}
    expected = _union_find([e for e in edges if e[0] != e[1]])
    assert got == expected
    assert got[1300] == 1000 and got[3039] == 2961
