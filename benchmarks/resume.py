"""A later run on a big store: how long before it gets to its new articles.

    python benchmarks/run.py resume [--n 20000] [--new 100] [--analyse]

A store is filled with `n` synthetic articles (benchmarks/synthetic.py, as
the Spark benchmark writes them), then `new` more articles arrive in a
second run. The second run is timed twice on copies of the same store: as
recoupe runs it (the story index restored from the snapshot the first run
wrote, then only the rows after it), and with the snapshot removed (the
baseline: every stored row replayed through the clusterer, as a store
without a snapshot is read). Both must end with the same stories.
Without `--analyse` the articles skip the spaCy analysis (the story features
are character n-grams): the replay cost is that of the stored term counts
either way.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import tempfile
import time
from pathlib import Path
from typing import Any

from spark_bench import pipeline, write_corpus


def _run(db: Path, inputs: list[Path], analyse: bool) -> tuple[float, float, set[frozenset[str]]]:
    """(wall s, CPU s, stories) of one in-process run on `db`."""
    from recoupe.config import Options
    from recoupe.engine import Engine
    from recoupe.store import Store

    options = Options()
    start, cpu = time.perf_counter(), time.process_time()
    with Store(db) as store:
        Engine(options, store, steps=pipeline(options, analyse)).ingest([str(p) for p in inputs])
        stories = {frozenset(s["members"]) for s in store.stories()}
    return time.perf_counter() - start, time.process_time() - cpu, stories


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="run.py resume")
    parser.add_argument("--n", type=int, default=20_000, help="articles already in the store")
    parser.add_argument("--new", type=int, default=100, help="articles the later run brings")
    parser.add_argument("--analyse", action="store_true", help="add the spaCy analysis step")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        corpus = write_corpus(work / "corpus", args.n + args.new, per_file=args.n)
        first, later = corpus[:1], corpus[1:]
        base = work / "base.db"
        fill_s, _, _ = _run(base, first, args.analyse)
        with sqlite3.connect(base) as connection:
            snapshot_bytes = connection.execute("SELECT length(state) FROM story_index_snapshot").fetchone()[0]
        restored_db, replayed_db = work / "restored.db", work / "replayed.db"
        shutil.copy(base, restored_db)
        shutil.copy(base, replayed_db)
        with sqlite3.connect(replayed_db) as connection:
            connection.execute("DELETE FROM story_index_snapshot")
        replayed = _run(replayed_db, later, args.analyse)
        restored = _run(restored_db, later, args.analyse)
    return {
        "n": args.n, "new": args.new, "analyse": args.analyse, "fill_seconds": round(fill_s, 1),
        "snapshot_mb": round(snapshot_bytes / 1e6, 1),
        "later_run_restored": {"seconds": round(restored[0], 2), "cpu_seconds": round(restored[1], 2)},
        "later_run_replayed_baseline": {"seconds": round(replayed[0], 2), "cpu_seconds": round(replayed[1], 2)},
        "speed_up_cpu": round(replayed[1] / restored[1], 2) if restored[1] else None,
        "same_stories": restored[2] == replayed[2],
    }
