"""The SparkSession recoupe runs in: one built here for a master URL, or the one spark-submit made.

Local masters get settings for a workstation (no web UI, the driver on
loopback, Python workers in this interpreter, few shuffle partitions); on a
cluster the settings of spark-submit and spark-defaults.conf are left alone.
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from typing import Any, Iterator, Mapping

from . import require_pyspark

DEFAULT_MASTER = "local[*]"


def local_cores(master: str) -> int | None:
    """Cores of a local master ("local" 1, "local[4]" 4, "local[*]" this machine's), None for a cluster."""
    if master == "local":
        return 1
    if master.startswith("local[") and master.endswith("]"):
        inner = master[6:-1].split(",")[0].strip()
        if inner == "*":
            return os.cpu_count() or 1
        if inner.isdigit():
            return max(int(inner), 1)
    return None


def local_memory() -> str:
    """A quarter of this machine's memory, between 1 and 8 GB: locally, the driver is the executor too."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):
        return "2g"
    return f"{min(max(total // 4 >> 30, 1), 8)}g"


def local_settings(master: str) -> dict[str, str]:
    cores = local_cores(master) or 1
    return {
        "spark.driver.memory": local_memory(),
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.driver.host": "127.0.0.1",
        "spark.driver.bindAddress": "127.0.0.1",
        "spark.pyspark.python": sys.executable,
        "spark.pyspark.driver.python": sys.executable,
        "spark.sql.shuffle.partitions": str(max(2 * cores, 4)),
        "spark.default.parallelism": str(max(2 * cores, 4)),
    }


@contextmanager
def spark_session(master: str | None = None, conf: Mapping[str, Any] | None = None,
                  app_name: str = "recoupe") -> Iterator[Any]:
    """A SparkSession for `master` (default: the one spark-submit set, else local[*]); stopped on exit
    when this call started it."""
    require_pyspark()
    from pyspark import SparkContext
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        yield active
        return
    submitted = os.environ.get("SPARK_ENV_LOADED") or os.environ.get("PYSPARK_GATEWAY_PORT")
    builder = SparkSession.builder.appName(app_name)
    chosen = master or (None if submitted else DEFAULT_MASTER)
    if chosen is not None:
        builder = builder.master(chosen)
        if local_cores(chosen) is not None:
            # PySpark starts its workers with $PYSPARK_PYTHON (not the spark.pyspark.python setting):
            # locally, that must be this interpreter, which has recoupe.
            os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
            for key, value in local_settings(chosen).items():
                builder = builder.config(key, value)
    for key, value in (conf or {}).items():
        builder = builder.config(key, str(value))
    started = SparkContext._active_spark_context is None
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try:
        yield spark
    finally:
        if started:
            spark.stop()
