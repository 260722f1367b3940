"""What preparing costs per article: the work each executor does before any shuffle, and the
in-process engine before its online steps.

    python benchmarks/run.py prepare [--n 5000] [--analyse] [--profile 0]

The synthetic corpus of the Spark benchmark (`spark_bench.write_corpus`) is
read as the Spark engine reads it (`records.read_entry`) and prepared as its
executors prepare it (`records.prepare_row`: cleaning, near-duplicate
signature, story term counts, the row's JSON and packed terms), one core,
CPU seconds. The baseline, measured in the same run on the same rows, is
`normalise` with every string through the numpy lookup (before short
strings went through `str.translate`); both must give the same rows.
`--profile K` prints the K most costly functions to stderr.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any


def _rows(paths: list[Path], n: int) -> tuple[list[tuple], float]:
    """(order, id, blob, new_id, recurring) rows of the first `n` articles, and the CPU seconds reading them."""
    from recoupe.config import Options
    from recoupe.ingest.options import IngestOptions
    from recoupe.spark.listing import FileEntry
    from recoupe.spark.records import ARTICLE, read_entry

    options = Options().typed("ingest", IngestOptions)
    rows: list[tuple] = []
    cpu = time.process_time()
    for number, path in enumerate(paths):
        entry = FileEntry(number, path.name, str(path), path.stat().st_size)
        for row in read_entry(entry, options, (3, 200)):
            if row[1] == ARTICLE:
                rows.append((row[0], row[3], row[-1], None, None))
        if len(rows) >= n:
            break
    return rows[:n], time.process_time() - cpu


def _prepare_all(rows: list[tuple], spec: Any, ctx: Any) -> tuple[list[tuple], float]:
    from recoupe.spark.records import prepare_row

    cpu = time.process_time()
    out = [prepare_row(row, spec, ctx) for row in rows]
    return out, time.process_time() - cpu


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="run.py prepare")
    parser.add_argument("--n", type=int, default=5000, help="articles (default 5,000)")
    parser.add_argument("--analyse", action="store_true", help="add the spaCy analysis step")
    parser.add_argument("--profile", type=int, default=0, help="print the K most costly functions")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import recoupe.neardup as neardup
    from recoupe.config import Options
    from recoupe.spark.records import ExecutorContext, PipelineSpec

    from spark_bench import pipeline, write_corpus

    with tempfile.TemporaryDirectory(prefix="recoupe-prepare-bench-") as folder:
        # both halves of the corpus: near-duplicate families first, then dated stories
        half = -(-args.n // 2)
        paths = write_corpus(Path(folder), 4 * half, args.seed, per_file=half)  # files: two of each half
        rows, read_cpu = _rows([paths[0], paths[2]], args.n)
    options = Options()
    spec = PipelineSpec(options, pipeline(options, args.analyse))
    ctx = ExecutorContext(options=options)
    _prepare_all(rows[:200], spec, ctx)  # loads what steps load once (stop words, models)

    short = neardup._SHORT_TEXT
    neardup._SHORT_TEXT = 0  # the baseline: every string through numpy
    baseline, baseline_cpu = _prepare_all(rows, spec, ctx)
    neardup._SHORT_TEXT = short
    if args.profile:
        import cProfile
        import pstats
        import sys

        profiler = cProfile.Profile()
        profiler.enable()
    prepared, cpu = _prepare_all(rows, spec, ctx)
    if args.profile:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("tottime").print_stats(args.profile)

    per_article = 1000 / len(rows)
    return {
        "n": len(rows), "analyse": args.analyse,
        "read_ms_per_article": round(read_cpu * per_article, 3),
        "prepare_ms_per_article": round(cpu * per_article, 3),
        "baseline_prepare_ms_per_article": round(baseline_cpu * per_article, 3),
        "speedup_vs_baseline": round(baseline_cpu / cpu, 2),
        "same_rows": prepared == baseline,
        "note": "CPU of one core; baseline: normalise through numpy for every string, same run, same rows",
    }
