"""The ingest bookkeeping the in-process engine does as it reads, done over the whole corpus at once.

Reading one record after another, the in-process engine (1) gives an id met
a second time a suffix from its source, (2) skips a record whose bytes an
earlier record already had, and (3) lets the cleaning step count, per site,
in how many articles each short line appears so far: a line is furniture
for an article once it appears in `site_line_min_articles` articles up to
and including that one. Each is a question about earlier records, answered
here with windows ordered by reading order, and the answers ("fixes") are
joined back to each article before it is cleaned.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from ..ingest.inputs import short_hash
from .frames import _schema
from .records import ARTICLE

from pyspark.sql.types import LongType, StringType


@dataclass
class Fixes:
    frame: DataFrame  # order, new_id, skip, recurring
    renamed: int
    skipped: int


def first_in_order(frame: DataFrame, key: str) -> DataFrame:
    """Rows that are not the first of their `key` in reading order."""
    window = Window.partitionBy(key).orderBy("order")
    return frame.withColumn("_rank", F.row_number().over(window)).where(F.col("_rank") > 1).drop("_rank")


def ingest_fixes(spark: Any, records: DataFrame, site_lines: tuple[int, int] | None) -> Fixes:
    """`site_lines`: (min_articles, max_chars) of the cleaning step, None when nothing cleans."""
    articles = records.where(F.col("kind") == ARTICLE).select("order", "id", "raw_sha256", "source", "locator",
                                                               "site", "lines")
    renames = _renames(spark, articles)
    skipped = first_in_order(articles, "raw_sha256").select("order", F.lit(True).alias("skip"))
    parts = [renames.frame, skipped]
    if site_lines is not None:
        parts.append(_recurring(articles.join(skipped, "order", "left_anti"), site_lines[0]))
    fixes = parts[0]
    for part in parts[1:]:
        fixes = fixes.join(part, "order", "full_outer")
    for name, kind in (("new_id", "string"), ("skip", "boolean"), ("recurring", "array<string>")):
        if name not in fixes.columns:
            fixes = fixes.withColumn(name, F.lit(None).cast(kind))
    return Fixes(fixes.select("order", "new_id", "skip", "recurring"), renames.count, skipped.count())


@dataclass
class _Renames:
    frame: DataFrame
    count: int


def _renames(spark: Any, articles: DataFrame) -> _Renames:
    """New ids for ids met before, as `read_inputs` gives them: "<id>-<hash of source and locator>",
    then "-2", "-3"... while taken. Ids met twice are few: they are settled on the driver."""
    again = first_in_order(articles, "id").select("order", "id", "source", "locator").orderBy("order").collect()
    schema = _schema(("order", LongType()), ("new_id", StringType()))
    if not again:
        return _Renames(spark.createDataFrame([], schema), 0)
    bases = [(row["order"], f"{row['id']}-{short_hash(row['source'] + (row['locator'] or ''), 8)}") for row in again]
    wanted = spark.createDataFrame([(b,) for _, b in bases], "id string")
    taken = {r["id"] for r in articles.select("id").join(wanted, "id").distinct().collect()}
    given: list[tuple[int, str]] = []
    for order, base in bases:
        new_id, number = base, 2
        while new_id in taken:
            new_id, number = f"{base}-{number}", number + 1
        taken.add(new_id)
        given.append((order, new_id))
    return _Renames(spark.createDataFrame(given, schema), len(given))


def _recurring(articles: DataFrame, min_articles: int) -> DataFrame:
    """order -> the article's lines that are furniture of its site when it arrives."""
    lines = articles.where(F.col("site").isNotNull() & F.col("lines").isNotNull()).select(
        "order", "site", F.explode("lines").alias("line"))
    window = Window.partitionBy("site", "line").orderBy("order")
    from_order = (lines.withColumn("_rank", F.row_number().over(window)).where(F.col("_rank") == min_articles)
                  .select("site", "line", F.col("order").alias("from_order")))
    return (lines.join(from_order, ["site", "line"]).where(F.col("order") >= F.col("from_order"))
            .groupBy("order").agg(F.sort_array(F.collect_list("line")).alias("recurring")))
