"""Connected components of a graph held in Spark, by alternating large-star and small-star rounds.

Kiveris, Lattanzi, Mirrokni, Rastogi and Vassilvitskii, "Connected Components
in MapReduce and Beyond" (SoCC 2014): each round rewires every node's edges
to the smallest node it knows, so each component becomes a star around its
smallest node in O(log² n) rounds, without ever gathering a component in one
place. Nodes are longs (here: reading order), so each component is named by
its earliest article, whoever computes it.
"""

from __future__ import annotations

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

MAX_ROUNDS = 200


def _undirected(edges: DataFrame) -> DataFrame:
    """Both directions of every edge, without loops or repeats."""
    edges = edges.where(F.col("u") != F.col("v"))
    return edges.union(edges.select(F.col("v").alias("u"), F.col("u").alias("v"))).distinct()


def _large_star(edges: DataFrame) -> DataFrame:
    """Each node links its larger neighbours to the smallest of itself and its neighbours."""
    smallest = edges.groupBy("u").agg(F.least(F.col("u"), F.min("v")).alias("m"))
    return _undirected(edges.join(smallest, "u").where(F.col("v") > F.col("u"))
                       .select(F.col("v").alias("u"), F.col("m").alias("v")))


def _small_star(edges: DataFrame) -> DataFrame:
    """Each node links itself and its smaller neighbours to the smallest of them."""
    smaller = edges.where(F.col("v") < F.col("u"))
    smallest = smaller.groupBy("u").agg(F.min("v").alias("m"))
    linked = smaller.join(smallest, "u").select(F.col("v").alias("u"), F.col("m").alias("v"))
    return _undirected(linked.union(smallest.select(F.col("u"), F.col("m").alias("v"))))


def connected_components(edges: DataFrame) -> DataFrame:
    """(node, root) for every node of `edges` (columns u, v); root is the smallest node of its component."""
    current = _undirected(edges.select(F.col("u").cast("long"), F.col("v").cast("long"))).localCheckpoint()
    for _ in range(MAX_ROUNDS):
        following = _small_star(_large_star(current)).localCheckpoint()
        changed = following.subtract(current).limit(1).count() + current.subtract(following).limit(1).count()
        current = following
        if not changed:
            break
    else:  # pragma: no cover - the bound is far above O(log² n) for any graph that fits a cluster
        raise RuntimeError(f"connected components did not settle in {MAX_ROUNDS} rounds")
    return current.groupBy("u").agg(F.least(F.col("u"), F.min("v")).alias("root")).withColumnRenamed("u", "node")
