"""Helpers of the Spark tests: where the data is, and the two engines' reports side by side."""

from __future__ import annotations

import json
from pathlib import Path

from recoupe.config import Options
from recoupe.engine import Engine
from recoupe.report.json import build_report
from recoupe.spark import SparkEngine, layout, load_output
from recoupe.store import Store

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
RPM2 = SHARED / "data" / "rpm2-dev"
BENCHMARKS = REPO / "benchmarks"


def in_process_report(inputs: list[str], db: Path, options: Options | None = None, steps=None) -> dict:
    """The report of the in-process engine, without its "run" block (times, run counts)."""
    with Store(db) as store:
        Engine(options or Options(), store, steps=steps).ingest(inputs)
        report = build_report(store)
    report.pop("run")
    return report


def spark_report(spark, inputs: list[str], out: Path, db: Path, options: Options | None = None, steps=None):
    """(summary, report without "run") of a Spark run loaded into a new store."""
    summary = SparkEngine(spark, options or Options(), steps=steps).run(inputs, str(out))
    with Store(db) as store:
        load_output(out, store)
        report = build_report(store)
    report.pop("run")
    return summary, report


def lines(out: Path, table: str) -> list[dict]:
    return list(layout.read_lines(out, table))


def dumps(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
