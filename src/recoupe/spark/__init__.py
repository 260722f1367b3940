"""The Spark executor: the same steps as the in-process engine, run over a corpus too big for one machine.

    from recoupe.spark import SparkEngine, spark_session
    with spark_session("local[2]") as spark:
        summary = SparkEngine(spark, options).run(["corpus/"], "out/")

What runs where, and why:

- distributed (executors, in parallel): listing big remote folders, reading
  (the ingest readers called on each file's bytes), cleaning, analysis,
  signatures and story features of every article; the ingest bookkeeping
  (ids met twice, records whose bytes were already read, lines a site
  repeats); LSH banding by grouping on band keys, candidate pairs, their
  verification and connected components of the near-duplicate graph; the
  story steps (reuse, facts, summary), one story per task; the output.
- story clustering, up to `[spark] story_segment_articles` articles (a
  million by default), sequential: the driver makes one ordered pass. The
  online clusterer's answer for an article depends on every article before
  it (document frequencies, live story centroids, merges), so the only way
  to give exactly the online partition is to replay it in the order the
  online engine takes articles in (publication order, `recoupe.order`). The
  driver receives only what clustering reads (term counts, date, title and
  near-duplicate ids), a partition at a time, and keeps the clusterer's
  state, which it checkpoints now and then, with the frames of the stages
  before it, so a killed run resumes there (`checkpoint`).
- story clustering of a bigger input, distributed: the publication order is
  cut into segments clustered at once on executors, each after a warm-up of
  the articles before it, and stitched on the driver (`segments`, which says
  how the result relates to the online one). One ordered pass costs about
  10 ms per article on one core, whatever the cluster: 146 hours at 50
  million articles.

The near-duplicate matches of an article are exactly those the online index
finds (earlier articles sharing a band and agreeing on `threshold` of their
bins, exact copies first), as long as no LSH bucket holds more than
`max_candidates` articles; beyond that both engines read only the newest
`max_candidates` of a bucket, the online index in a slightly different order.

pyspark is imported here and nowhere else in recoupe, lazily: without it,
the Spark engine says which `pip install` brings it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..errors import MissingDependency

if TYPE_CHECKING:
    from .engine import SparkEngine, SparkSummary
    from .load import load_output
    from .session import spark_session

__all__ = ["SparkEngine", "SparkSummary", "load_output", "require_pyspark", "spark_session"]

_LAZY = {
    "SparkEngine": "engine",
    "SparkSummary": "engine",
    "spark_session": "session",
    "load_output": "load",
}


def require_pyspark() -> Any:
    """The pyspark module, or MissingDependency naming the extra that installs it."""
    try:
        import pyspark
    except ImportError as exc:
        raise MissingDependency("the Spark engine", "spark") from exc
    return pyspark


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    import importlib

    if module != "load":
        require_pyspark()
    return getattr(importlib.import_module(f"{__name__}.{module}"), name)
