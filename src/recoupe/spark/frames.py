"""The rows that travel between the stages of a Spark run, as DataFrame schemas.

Column order matches the tuples `records.py` builds. Articles are carried as
the JSON the store would keep; hashes as signed 64-bit longs.
"""

from __future__ import annotations

from pyspark.sql.types import (
    ArrayType, BinaryType, BooleanType, DoubleType, LongType, StringType, StructField, StructType,
)


def _schema(*columns: tuple[str, object]) -> StructType:
    return StructType([StructField(name, kind, True) for name, kind in columns])


# One row per record read: an article (pickled, before cleaning), an input error, or the end of a file.
READ = _schema(
    ("order", LongType()), ("kind", StringType()), ("file", LongType()), ("id", StringType()),
    ("raw_sha256", StringType()), ("source", StringType()), ("locator", StringType()), ("site", StringType()),
    ("lines", ArrayType(StringType())), ("offset", LongType()), ("problem", StringType()), ("blob", BinaryType()),
)

# One row per stored article, after the prepare steps, with what the online steps derive from it alone.
PREPARED = _schema(
    ("order", LongType()), ("id", StringType()), ("raw_sha256", StringType()), ("text_sha256", StringType()),
    ("state", StringType()), ("analysis", StringType()), ("raw", BinaryType()),
    ("digest", LongType()), ("minhash", BinaryType()), ("bands", ArrayType(LongType())),
    ("terms", BinaryType()), ("published", StringType()), ("title", StringType()), ("failures", StringType()),
)

PAIRS = _schema(("later", LongType()), ("earlier", LongType()), ("jaccard", DoubleType()), ("exact", BooleanType()))

KEPT = _schema(("later", LongType()), ("rank", LongType()), ("earlier", LongType()), ("jaccard", DoubleType()),
               ("exact", BooleanType()))

MATCHES = _schema(("order", LongType()), ("near_duplicates", StringType()), ("duplicate_of", ArrayType(StringType())))

ASSIGNED = _schema(("order", LongType()), ("story", StringType()))

# The final article: flat columns for Parquet, the state for the story steps, the JSON line for `recoupe load`.
FINAL = _schema(
    ("order", LongType()), ("id", StringType()), ("story", StringType()), ("group", StringType()),
    ("duplicate_of", StringType()), ("source", StringType()), ("format", StringType()), ("url", StringType()),
    ("site", StringType()), ("title", StringType()), ("published", StringType()), ("language", StringType()),
    ("byline", StringType()), ("agency", StringType()), ("dateline", StringType()), ("text", StringType()),
    ("signals", ArrayType(StringType())), ("repeat_ratio", DoubleType()), ("raw_sha256", StringType()),
    ("state", StringType()), ("analysis", StringType()), ("line", StringType()),
)
FINAL_PARQUET = [f.name for f in FINAL.fields if f.name not in ("state", "analysis", "line")]

STORY = _schema(("first", LongType()), ("id", StringType()), ("line", StringType()), ("failures", StringType()))

ERRORS = _schema(
    ("order", LongType()), ("kind", StringType()), ("source", StringType()), ("offset", LongType()),
    ("step", StringType()), ("article", StringType()), ("story", StringType()), ("problem", StringType()),
)
