"""Near-duplicates in batch: LSH banding by grouping on band keys, then the online index's answers.

The online index (`recoupe.neardup.NearDupIndex`) files only the first
article of each text under its band keys: exact copies are reached through
it. This does the same, with the signatures computed by the same `Signer`
and band keys by the same `band_keys`:

1. articles grouped by the digest of their normalised text: a group's first
   article represents it;
2. representatives grouped by band key; in each bucket of two or more, each
   one is paired with the `max_candidates` before it (the newest entries the
   online index reads of a bucket);
3. each candidate pair is kept when the signatures agree on `threshold` of
   their bins;
4. a kept pair of representatives makes every article of one group a match
   of the later articles of the other, and copies of one text match the
   copies before them: each article's matches are then ranked as the online
   index ranks them and cut at `max_candidates`.

The result is, for each article, the list the online step stores in
`meta["near_duplicates"]`, and the pairs it records. "Order" here is the
order the online step takes articles in: the caller passes publication
positions (`ordering.py`), not reading orders.
"""

from __future__ import annotations

import json
from typing import Any, Iterator

from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from .frames import KEPT, MATCHES, PAIRS
from .records import agreement, bucket_pairs, exact_pairs, expand_edge, ranked_matches


def near_duplicate_pairs(spark: Any, prepared: DataFrame, threshold: float, limit: int) -> DataFrame:
    """PAIRS (later, earlier, jaccard, exact) by `order`, before ranking and cutting."""
    signed = prepared.where(F.col("minhash").isNotNull()).select("order", "digest", "bands", "minhash")
    groups = signed.groupBy("digest").agg(F.min("order").alias("rep"), F.sort_array(F.collect_list("order")).alias("members"))
    reps = signed.join(groups.select(F.col("rep").alias("order")), "order")

    buckets = (reps.select("order", F.explode("bands").alias("key")).groupBy("key")
               .agg(F.collect_list("order").alias("members")).where(F.size("members") > 1))
    candidates = buckets.rdd.flatMap(lambda row: bucket_pairs(row["members"], limit)).distinct()
    candidates = spark.createDataFrame(candidates, "a long, b long")

    hashes = reps.select("order", "minhash")
    scored = (candidates.join(hashes.withColumnRenamed("order", "a").withColumnRenamed("minhash", "ma"), "a")
              .join(hashes.withColumnRenamed("order", "b").withColumnRenamed("minhash", "mb"), "b"))
    bar = threshold - 1e-9
    edges = scored.rdd.map(lambda r: (r["a"], r["b"], agreement(r["ma"], r["mb"]))).filter(lambda e: e[2] >= bar)
    edges = spark.createDataFrame(edges, "a long, b long, jaccard double")

    members = groups.select(F.col("rep"), F.col("members"))
    expanded = (edges.join(members.withColumnRenamed("rep", "a").withColumnRenamed("members", "a_members"), "a")
                .join(members.withColumnRenamed("rep", "b").withColumnRenamed("members", "b_members"), "b"))
    near = expanded.rdd.flatMap(lambda r: expand_edge(r["a_members"], r["b_members"], r["jaccard"], limit))
    copies = groups.where(F.size("members") > 1).rdd.flatMap(lambda r: exact_pairs(r["members"], limit))
    return spark.createDataFrame(near.union(copies), PAIRS)


def matches(spark: Any, pairs: DataFrame, ids: DataFrame, limit: int) -> tuple[DataFrame, DataFrame]:
    """(MATCHES per later article, KEPT pairs): each article's matches ranked and cut as the online
    index ranks and cuts them; kept pairs carry both ids and the Jaccard as the online step stores it."""

    def ranked(item: tuple[int, Any]) -> Iterator[tuple]:
        later, rows = item
        for rank, (earlier, jaccard, exact) in enumerate(ranked_matches(rows, limit)):
            yield later, rank, earlier, 1.0 if exact else round(jaccard, 4), bool(exact)

    by_later = pairs.rdd.map(lambda r: (r["later"], (r["earlier"], r["jaccard"], r["exact"]))).groupByKey()
    kept = spark.createDataFrame(by_later.flatMap(ranked), KEPT)
    kept = (kept.join(ids.withColumnRenamed("order", "earlier").withColumnRenamed("id", "b"), "earlier")
            .join(ids.withColumnRenamed("order", "later").withColumnRenamed("id", "a"), "later"))

    def listing(item: tuple[int, Any]) -> tuple:
        later, rows = item
        rows = sorted(rows)
        stored = [[b, jaccard, exact] for _, b, jaccard, exact in rows]
        return later, json.dumps(stored, ensure_ascii=False, separators=(",", ":")), [b for _, b, _, _ in rows]

    per_article = (kept.rdd.map(lambda r: (r["later"], (r["rank"], r["b"], r["jaccard"], r["exact"])))
                   .groupByKey().map(listing))
    return spark.createDataFrame(per_article, MATCHES), kept
