"""Publication order on Spark: each article's position in the order the online steps take it.

The rule is `recoupe.order.publication_keys`, the one the in-process engine
sorts its pending articles by; here it runs over the whole input. An undated
article looks back at the last dated article read before it, which may sit
in an earlier partition: the articles are range-partitioned in reading
order, each partition gives its last date (a number per partition to the
driver), and each partition's scan starts from the date carried out of the
partitions before it. The keys are then sorted and numbered.

Near-duplicates are found in that order too (who is the earlier copy, which
candidates the index reads first), so the banding runs on positions and its
answers are mapped back to reading order, which everything else is keyed by.
"""

from __future__ import annotations

from typing import Any

from pyspark import StorageLevel
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from ..order import NO_DATE, last_dated, publication_keys
from .banding import matches, near_duplicate_pairs

_ROWS_PER_PART = 200_000  # (order, date) pairs: small rows


def publication_positions(rows: DataFrame, count: int) -> DataFrame:
    """(order, position) of every row of `rows` (order, published): 0 is taken first."""
    spark = rows.sparkSession
    sc = spark.sparkContext
    parts = max(sc.defaultParallelism, -(-count // _ROWS_PER_PART))
    by_reading = rows.select("order", "published").rdd.map(tuple).sortBy(lambda r: r[0], numPartitions=parts)
    by_reading = by_reading.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        lasts = dict(by_reading.mapPartitionsWithIndex(
            lambda index, part: [(index, last_dated((published for _, published in part), None))]).collect())
        carry, carried = NO_DATE, {}
        for index in range(by_reading.getNumPartitions()):
            carried[index] = carry
            if lasts.get(index) is not None:
                carry = lasts[index]
        starts = sc.broadcast(carried)
        keyed = by_reading.mapPartitionsWithIndex(lambda index, part: publication_keys(part, starts.value[index]))
        numbered = keyed.sortBy(lambda key: key, numPartitions=parts).zipWithIndex()
        positions = spark.createDataFrame(numbered.map(lambda item: (item[0][1], item[1])), "order long, position long")
        positions = positions.persist(StorageLevel.MEMORY_AND_DISK)
        positions.count()
    finally:
        by_reading.unpersist()
    return positions


def near_duplicates_in_order(spark: Any, prepared: DataFrame, ids: DataFrame, positions: DataFrame,
                             threshold: float, limit: int) -> tuple[DataFrame, DataFrame]:
    """`banding.matches` of the articles taken in publication order, keyed back by reading order:
    (MATCHES by order, KEPT with `later` and `earlier` as reading orders)."""
    def by_position(frame: DataFrame) -> DataFrame:
        return frame.join(positions, "order").drop("order").withColumnRenamed("position", "order")

    pairs = near_duplicate_pairs(spark, by_position(prepared.select("order", "digest", "bands", "minhash")),
                                 threshold, limit)
    per_article, kept = matches(spark, pairs, by_position(ids), limit)
    back = positions.withColumnRenamed("order", "reading")
    per_article = (per_article.withColumnRenamed("order", "position").join(back, "position")
                   .select(F.col("reading").alias("order"), "near_duplicates", "duplicate_of"))
    kept = (kept.withColumnRenamed("later", "position").join(back, "position")
            .withColumnRenamed("reading", "later").drop("position")
            .withColumnRenamed("earlier", "position").join(back, "position")
            .withColumnRenamed("reading", "earlier").drop("position")
            .select("later", "rank", "earlier", "jaccard", "exact", "a", "b"))
    return per_article, kept
