"""Same input, same answer: the Spark engine (local[2]) and the in-process engine agree exactly."""

from __future__ import annotations

import importlib
import sys

import pytest

from recoupe.config import Options
from recoupe.spark import SparkEngine

from spark_helpers import BENCHMARKS, RPM2, SEEDS, dumps, in_process_report, lines, spark_report


def test_seeds_and_rpm2_give_the_in_process_report(spark, tmp_path):
    """Every article, near-duplicate, story, provenance, fact and summary of the report is the same."""
    inputs = [str(SEEDS), str(RPM2)]
    expected = in_process_report(inputs, tmp_path / "in-process.db")
    summary, report = spark_report(spark, inputs, tmp_path / "out", tmp_path / "loaded.db")

    assert summary.articles == len(expected["articles"]) == 205
    assert len(expected["stories"]) > 10 and expected["near_duplicates"], "the corpus must exercise both stages"
    assert [a["id"] for a in report["articles"]] == [a["id"] for a in expected["articles"]]
    assert {s["id"]: s["members"] for s in report["stories"]} == {s["id"]: s["members"] for s in expected["stories"]}
    assert report["near_duplicates"] == expected["near_duplicates"]
    assert dumps(report) == dumps(expected)
    # the seeds' JSON answer key is not an article: both engines say so, once
    assert summary.input_error_count == 1 and "expected.json" in summary.input_errors[0].source


@pytest.fixture(scope="module")
def synthetic_corpus(tmp_path_factory):
    """20,000 synthetic articles (near-duplicate families and dated stories) as JSONL files."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        bench = importlib.import_module("spark_bench")
        folder = tmp_path_factory.mktemp("synthetic")
        paths = bench.write_corpus(folder, 20_000, seed=7, per_file=2_500)
        yield bench, paths
    finally:
        sys.path.remove(str(BENCHMARKS))


def test_synthetic_corpus_gives_the_in_process_groups_and_stories(spark, synthetic_corpus, tmp_path):
    """Cleaning, near-duplicates and stories on 20,000 articles: same groups, same partition, same ids."""
    bench, paths = synthetic_corpus
    options = Options()
    inputs = [str(p) for p in paths]
    expected = bench.run_in_process(paths, tmp_path, analyse=False)

    out = tmp_path / "out"
    summary = SparkEngine(spark, options, steps=bench.pipeline(options, analyse=False)).run(inputs, str(out))
    groups: dict[str, set[str]] = {}
    for row in lines(out, "groups"):
        groups.setdefault(row["group"], set()).add(row["article"])
    stories = {frozenset(row["members"]) for row in lines(out, "stories")}

    assert summary.articles == expected["articles"] == 20_000
    assert len(expected["groups"]) > 1000, "the corpus must hold many near-duplicate families"
    assert max(len(g) for g in expected["groups"]) >= 4
    assert {frozenset(g) for g in groups.values()} == expected["groups"]
    assert len(expected["stories"]) > 1000 and max(len(s) for s in expected["stories"]) >= 5
    assert stories == expected["stories"]
    # a group is named by its first article (ids here sort in reading order)
    assert all(name == min(members) for name, members in groups.items())
