"""Spark's story pass cut in segments, against the one ordered pass: time and agreement.

    python benchmarks/run.py segments [--n 60000] [--segment 15000] [--warmup 7500] [--master local[2]]
                                      [--workdir DIR]

The corpus is the `spark` benchmark's (half near-duplicate families, half
dated stories). One Spark session runs the engine twice on it: with one
ordered pass on the driver (the online stories, exactly), then with the
pass cut into segments of `--segment` articles, each re-clustering the
`--warmup` articles before it (`recoupe.spark.segments`). Reported: the
wall time of each story pass and their ratio; how close the segmented
stories are to the online ones (B-cubed precision, recall, F1 and adjusted
Rand index, the ordered pass taken as gold); and each run's B-cubed scores
against the truth of the dated half (the stories the corpus was made from).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Any


def _stories_of(out: Path) -> dict[str, str]:
    from recoupe.spark import layout

    return {member: row["id"] for row in layout.read_lines(out, layout.STORIES) for member in row["members"]}


def _scores(gold: dict[str, Any], predicted: dict[str, str]) -> dict[str, float]:
    from recoupe.evaluate import adjusted_rand_index, bcubed

    shared = {k: v for k, v in gold.items() if k in predicted}
    precision, recall, f1 = bcubed(shared, {k: predicted[k] for k in shared})
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "ari": round(adjusted_rand_index(shared, {k: predicted[k] for k in shared}), 4), "articles": len(shared)}


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="run.py segments")
    parser.add_argument("--n", type=int, default=60_000)
    parser.add_argument("--segment", type=int, default=15_000)
    parser.add_argument("--warmup", type=int, default=7_500)
    parser.add_argument("--master", default="local[2]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", help="where the corpus and outputs go (default: a temporary folder)")
    args = parser.parse_args(argv)

    from recoupe.config import Options
    from recoupe.spark import SparkEngine, spark_session
    from spark_bench import pipeline, write_corpus
    from synthetic import StoryCorpus

    temporary = None if args.workdir else tempfile.TemporaryDirectory(prefix="recoupe-segments-")
    workdir = Path(args.workdir or temporary.name)
    paths = write_corpus(workdir / "corpus", args.n, seed=args.seed)
    truth = {item.id: item.family for item in StoryCorpus(args.n - args.n // 2, seed=args.seed)}
    runs: dict[str, dict[str, Any]] = {}
    settings = {"ordered": (args.n, 0), "segmented": (args.segment, args.warmup)}
    with spark_session(args.master) as spark:
        for name, (size, warmup) in settings.items():
            options = Options.load(None, spark={"story_segment_articles": size, "story_warmup_articles": warmup})
            out = workdir / name
            started = time.perf_counter()
            summary = SparkEngine(spark, options, steps=pipeline(options, analyse=False)).run(
                [str(p) for p in paths], str(out))
            stories = _stories_of(out)
            runs[name] = {"seconds": round(time.perf_counter() - started, 1),
                          "story_pass_seconds": round(summary.seconds.get("story segments", 0.0)
                                                      + summary.seconds["stories"], 1),
                          "driver_cpu_in_pass": round(summary.driver_cpu_seconds["stories"], 1),
                          "segments": summary.story_segments, "stories": summary.stories,
                          "against_truth": _scores(truth, stories), "_stories": stories}
    ordered, segmented = runs["ordered"], runs["segmented"]
    result = {"n": args.n, "segment": args.segment, "warmup": args.warmup, "master": args.master,
              "pass_speedup": round(ordered["story_pass_seconds"] / segmented["story_pass_seconds"], 2),
              "segmented_against_ordered": _scores(ordered["_stories"], segmented["_stories"]),
              **{name: {k: v for k, v in run.items() if not k.startswith("_")} for name, run in runs.items()}}
    if temporary is not None:
        temporary.cleanup()
    return result
