"""One SparkSession for the Spark tests: local[2], small shuffles, no web UI, the driver on loopback."""

from __future__ import annotations

import pytest

from recoupe.spark import spark_session


@pytest.fixture(scope="session")
def spark():
    conf = {"spark.sql.shuffle.partitions": "4", "spark.default.parallelism": "4", "spark.ui.enabled": "false",
            "spark.driver.host": "127.0.0.1"}
    with spark_session("local[2]", conf=conf) as session:
        yield session
