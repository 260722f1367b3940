"""Spark engine: articles/s through near-duplicates and stories, local[1] against local[2], and the
in-process engine on the same corpus in the same run.

    python benchmarks/run.py spark [--n 1000000] [--masters local[1],local[2]] [--in-process-n N]
                                   [--analyse] [--workdir DIR] [--keep] [--story-segment S --story-warmup W]

The corpus is synthetic (benchmarks/synthetic.py: real sentences reassembled):
half `NearDupCorpus` (copies, edits, repeats, truncations of earlier
articles, undated), half `StoryCorpus` (dated rewrites of stories), written
as JSONL files of 10,000 lines that both engines read. Both run the same
steps: cleaning, near-duplicates and story clustering (`--analyse` adds the
spaCy analysis, which makes every engine much slower and the story features
lemmas instead of character n-grams). Every engine must give the same
near-duplicate groups and the same story partition; the benchmark checks it
(with `--story-segment` below `--n` the Spark stories come from segments,
and are scored against the in-process ones instead: `run.py segments`).

Reported: articles/s of each engine, the speed-up from local[1] to local[2],
seconds per stage and the driver's CPU seconds per stage (the story
clustering pass is sequential on the driver: it bounds the speed-up), peak
memory of the driver, the JVM and the Python workers, and Spark's own counts
of bytes read, shuffled and spilled, which the cluster sizing in the README
is computed from.

A run longer than the machine stays up can be taken up again: with
`--workdir DIR --keep`, the same command after a kill reuses the corpus and
the Spark output folder, so the engine reads the stages the killed run
saved and resumes its story pass from its checkpoint; each attempt's
seconds are kept in DIR (`attempts.py`), and `as_one_run` adds to the last
attempt's figures what the killed attempts spent in the stages it did not
run again and in the story pass. Each master's result is kept in DIR too:
masters can be run one invocation at a time (`--masters local[2]`, later
`--masters local[1]`), and the last one gives the speed-up and checks that
all of them gave the same answer.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

PER_FILE = 10_000


def write_corpus(folder: Path, n: int, seed: int = 0, per_file: int = PER_FILE) -> list[Path]:
    """`n` synthetic articles as JSONL files in `folder`: near-duplicate families, then dated stories.
    A complete corpus of the same size and seed already there (`--workdir` of an earlier run) is reused."""
    from synthetic import NearDupCorpus, StoryCorpus

    marker = folder / "_corpus.json"
    made = {"n": n, "seed": seed, "per_file": per_file}
    if marker.exists() and json.loads(marker.read_text())["made"] == made:
        return [folder / name for name in json.loads(marker.read_text())["files"]]
    marker.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    half = n // 2
    sources = [iter(NearDupCorpus(half, seed=seed)), iter(StoryCorpus(n - half, seed=seed))]
    paths: list[Path] = []
    handle = None
    written = 0
    for source in sources:
        for article in source:
            if written % per_file == 0:
                if handle is not None:
                    handle.close()
                path = folder / f"part-{len(paths):05d}.jsonl"
                paths.append(path)
                handle = path.open("w", encoding="utf-8")
            record = {"id": article.id, "title": article.title, "text": article.text, "language": article.language}
            if article.published:
                record["published"] = article.published
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
            written += 1
    if handle is not None:
        handle.close()
    marker.write_text(json.dumps({"made": made, "files": [p.name for p in paths]}))
    return paths


def pipeline(options: Any, analyse: bool) -> Any:
    """Cleaning, (analysis,) near-duplicates and stories: the steps both engines run here."""
    from recoupe.pipeline import Pipeline, default_steps

    steps = default_steps(options)
    prepare = steps.prepare if analyse else [s for s in steps.prepare if s.name != "analyse"]
    online = [s for s in steps.online if s.name in ("neardup", "stories")]
    return Pipeline(prepare=prepare, online=online, story=[])


def groups_of(pairs: list[tuple[str, str]]) -> set[frozenset[str]]:
    """Connected components of the near-duplicate pairs."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    out: dict[str, set[str]] = {}
    for x in parent:
        out.setdefault(find(x), set()).add(x)
    return {frozenset(g) for g in out.values()}


def run_in_process(paths: list[Path], workdir: Path, analyse: bool) -> dict[str, Any]:
    from recoupe.config import Options
    from recoupe.engine import Engine
    from recoupe.store import Store

    options = Options()
    db = workdir / "in-process.db"
    db.unlink(missing_ok=True)
    start, cpu_before = time.perf_counter(), time.process_time()
    with Store(db) as store, PeakMemory(children=False) as memory:  # the Spark runs' JVM outlives them
        summary = Engine(options, store, steps=pipeline(options, analyse)).ingest([str(p) for p in paths])
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu_before
        pairs = [(a, b) for a, b in store.connection.execute("SELECT a, b FROM neardup_pairs")]
        stories = {s["id"]: frozenset(s["members"]) for s in store.stories()}
    return {"articles": summary.stored, "seconds": seconds, "cpu": cpu, "memory": memory.report(),
            "groups": groups_of(pairs), "stories": set(stories.values())}


def run_spark(paths: list[Path], workdir: Path, master: str, analyse: bool,
              spark_settings: dict[str, int] | None = None) -> dict[str, Any]:
    from recoupe.config import Options
    from recoupe.spark import SparkEngine, spark_session

    from attempts import AttemptLog

    options = Options.load(None, spark=spark_settings or {})
    name = out_name(master)
    out = workdir / name
    start = time.perf_counter()
    with spark_session(master) as spark:
        tree_cpu = TreeCpu()
        started, cpu_before = time.perf_counter(), tree_cpu()
        log = AttemptLog(workdir / f"{name}-attempts", tree_cpu)  # a killed run, rerun, resumes its story pass
        with PeakMemory() as memory:
            summary = SparkEngine(spark, options, steps=pipeline(options, analyse), progress=log).run(
                [str(p) for p in paths], str(out))
        seconds = time.perf_counter() - started
        cpu = tree_cpu() - cpu_before
        log.finish()
        tree_cpu.close()
        io = spark_io(spark)
    total = time.perf_counter() - start
    groups, stories = answer_of(out)
    return {"articles": summary.articles, "resumed_at": summary.resumed_at, "stages_resumed": summary.stages_resumed,
            "story_segments": summary.story_segments,
            "attempts": log.report(), "seconds": seconds, "with_session": total, "cpu": cpu,
            "stages": summary.seconds, "driver_cpu": summary.driver_cpu_seconds, "io": io, "memory": memory.report(),
            "groups": groups, "stories": stories, "out": out}


def _bcubed(gold: set[frozenset[str]], predicted: set[frozenset[str]]) -> dict[str, float]:
    from recoupe.evaluate import bcubed

    def labels(stories: set[frozenset[str]]) -> dict[str, int]:
        return {member: number for number, story in enumerate(stories) for member in story}

    precision, recall, f1 = bcubed(labels(gold), labels(predicted))
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def out_name(master: str) -> str:
    return f"spark-{master.replace('[', '-').replace(']', '')}"


def answer_of(out: Path) -> tuple[set[frozenset[str]], set[frozenset[str]]]:
    """The near-duplicate groups and the stories of a Spark run's output folder."""
    from recoupe.spark import layout

    groups: dict[str, set[str]] = {}
    for row in layout.read_lines(out, layout.GROUPS):
        groups.setdefault(row["group"], set()).add(row["article"])
    stories = {frozenset(row["members"]) for row in layout.read_lines(out, layout.STORIES)}
    return {frozenset(g) for g in groups.values()}, stories


def earlier_results(workdir: Path, made: dict[str, Any], skip: set[str]) -> dict[str, dict[str, Any]]:
    """Results of other masters kept in `workdir` by earlier invocations on the same corpus: one master
    at a time is how runs longer than the machine stays up are measured."""
    found = {}
    for path in sorted(workdir.glob("spark-*.result.json")):
        kept = json.loads(path.read_text())
        if kept["made"] == made and kept["master"] not in skip:
            found[kept["master"]] = {**kept["result"], "measured_in_an_earlier_invocation": True}
    return found


def _cores(master: str) -> float:
    inside = master[master.find("[") + 1 : master.find("]")] if "[" in master else ""
    return float(inside) if inside.isdigit() else float("inf")


class TreeCpu:
    """CPU seconds used by this process and every process it starts (the JVM, the Python workers),
    sampled twice a second: unlike wall time, it does not depend on what else the machine is doing.

    Each process is counted by its own user and system time as last seen, whether or not it is still
    alive: Spark replaces its Python workers during a run, and the CPU of one that is gone would be lost
    (or counted twice) if it were read from its parent's tally of children. A process is known by its
    pid and creation time, which psutil gives against the boot time the kernel shows now: that moves
    with clock adjustments, so a creation time within `SAME_PROCESS_SECONDS` of the one first seen is
    the same process (counting it again under a new key made long runs count their JVM several times)."""

    SAME_PROCESS_SECONDS = 2.0

    def __init__(self, every: float = 0.5):
        import psutil

        self.me = psutil.Process()
        self.every = every
        self.seen: dict[int, tuple[float, float]] = {}  # pid -> (creation time, CPU seconds when last seen)
        self.gone = 0.0  # CPU seconds of processes whose pid a later one took
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._sample()
        self._thread = threading.Thread(target=self._keep, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        import psutil

        for process in [self.me, *self.me.children(recursive=True)]:
            try:
                with process.oneshot():
                    created, t = process.create_time(), process.cpu_times()
            except psutil.Error:
                continue
            with self._lock:
                known = self.seen.get(process.pid)
                if known is not None and abs(known[0] - created) <= self.SAME_PROCESS_SECONDS:
                    created = known[0]
                elif known is not None:
                    self.gone += known[1]
                self.seen[process.pid] = (created, t.user + t.system)

    def _keep(self) -> None:
        while not self._stop.wait(self.every):
            self._sample()

    def __call__(self) -> float:
        self._sample()
        with self._lock:
            return self.gone + sum(cpu for _, cpu in self.seen.values())

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


class PeakMemory:
    """Peak resident memory, sampled twice a second, of this process (the Spark driver's Python side,
    where the ordered story pass keeps its state), of the JVM (driver and, locally, the executors)
    and of the Python workers together (forked workers' shared pages counted in each): what sizes
    the driver and the executors."""

    def __init__(self, every: float = 0.5, children: bool = True):
        import psutil

        self.me = psutil.Process()
        self.every = every
        self.children = children
        self.start = self.me.memory_info().rss
        self.peaks = {"driver_python": self.start, **({"jvm": 0, "python_workers": 0} if children else {})}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        import psutil

        while not self.stop.is_set():
            sizes = {"driver_python": self.me.memory_info().rss, "jvm": 0, "python_workers": 0}
            for child in self.me.children(recursive=True) if self.children else []:
                try:
                    kind = "jvm" if child.name() == "java" else "python_workers"
                    sizes[kind] += child.memory_info().rss
                except psutil.Error:
                    continue
            for key in self.peaks:
                self.peaks[key] = max(self.peaks[key], sizes[key])
            self.stop.wait(self.every)

    def __enter__(self) -> "PeakMemory":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        self.thread.join()

    def report(self) -> dict[str, int]:
        """Peak bytes of each kind, and the driver's growth over the run (its peak less where it began)."""
        return {**{f"{k}_peak_bytes": v for k, v in self.peaks.items()},
                "driver_python_growth_bytes": self.peaks["driver_python"] - self.start}


def spark_io(spark: Any) -> dict[str, int]:
    """Bytes read, shuffled and spilled by every stage of the session, from Spark's status store
    (an internal API whose signature changed between Spark 3 and 4: {} when neither fits)."""
    store = spark.sparkContext._jsc.sc().statusStore()
    try:
        stages = store.stageList(None, getattr(store, "stageList$default$2")(), getattr(store, "stageList$default$3")(),
                                 getattr(store, "stageList$default$4")(), getattr(store, "stageList$default$5")())
    except Exception:
        try:
            stages = store.stageList(None)
        except Exception:
            return {}
    totals = {"input_bytes": 0, "shuffle_write_bytes": 0, "shuffle_read_bytes": 0, "memory_spilled_bytes": 0,
              "disk_spilled_bytes": 0, "output_bytes": 0, "largest_stage_shuffle_write_bytes": 0}
    for i in range(stages.size()):
        stage = stages.apply(i)
        totals["input_bytes"] += stage.inputBytes()
        totals["shuffle_write_bytes"] += stage.shuffleWriteBytes()
        totals["shuffle_read_bytes"] += stage.shuffleReadBytes()
        totals["memory_spilled_bytes"] += stage.memoryBytesSpilled()
        totals["disk_spilled_bytes"] += stage.diskBytesSpilled()
        totals["output_bytes"] += stage.outputBytes()
        totals["largest_stage_shuffle_write_bytes"] = max(totals["largest_stage_shuffle_write_bytes"],
                                                          stage.shuffleWriteBytes())
    return totals


def main(argv: list[str]) -> dict[str, Any]:
    parser = argparse.ArgumentParser(prog="run.py spark")
    parser.add_argument("--n", type=int, default=1_000_000, help="synthetic articles (default 1,000,000)")
    parser.add_argument("--masters", default="local[1],local[2]")
    parser.add_argument("--in-process-n", type=int, default=None,
                        help="articles the in-process engine runs on (default: all; it is the slowest)")
    parser.add_argument("--analyse", action="store_true", help="add the spaCy analysis step")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--keep", action="store_true", help="keep the corpus and outputs")
    parser.add_argument("--story-segment", type=int, default=None,
                        help="[spark] story_segment_articles (default: the engine's, 1,000,000)")
    parser.add_argument("--story-warmup", type=int, default=None, help="[spark] story_warmup_articles")
    args = parser.parse_args(argv)
    settings = {name: value for name, value in (("story_segment_articles", args.story_segment),
                                                ("story_warmup_articles", args.story_warmup)) if value is not None}
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="recoupe-spark-bench-"))
    workdir.mkdir(parents=True, exist_ok=True)
    result: dict[str, Any] = {"n": args.n, "analyse": args.analyse, "workdir": str(workdir), "cpus": os.cpu_count()}
    try:
        start = time.perf_counter()
        paths = write_corpus(workdir / "corpus", args.n, args.seed)
        result["corpus"] = {"files": len(paths), "bytes": sum(p.stat().st_size for p in paths),
                            "seconds": round(time.perf_counter() - start, 1)}
        runs: dict[str, dict[str, Any]] = {}
        for master in args.masters.split(","):
            runs[master] = run_spark(paths, workdir, master, args.analyse, settings)
            runs[master]["load_average"] = os.getloadavg()[1]
        in_process_paths = paths
        if args.in_process_n is not None:
            in_process_paths = paths[: max(1, -(-args.in_process_n // PER_FILE))]
        in_process = run_in_process(in_process_paths, workdir, args.analyse)
        in_process["load_average"] = os.getloadavg()[1]

        for master, run in runs.items():
            as_one = run["attempts"]["as_one_run"]
            result[master] = {
                "articles": run["articles"], "seconds": round(run["seconds"], 1),
                "articles_per_second": round(run["articles"] / run["seconds"], 1),
                "seconds_with_session_start": round(run["with_session"], 1),
                "cpu_seconds": round(run["cpu"], 1),
                "articles_per_cpu_second": round(run["articles"] / run["cpu"], 1),
                "stages": {k: round(v, 1) for k, v in run["stages"].items()},
                "driver_cpu": {k: round(v, 1) for k, v in run["driver_cpu"].items()}, "io": run["io"],
                "story_pass_resumed_at": run["resumed_at"], "stages_resumed": run["stages_resumed"],
                "story_segments": run["story_segments"],
                **run["attempts"],
                "articles_per_second_as_one_run": round(run["articles"] / as_one["seconds"], 1),
                "articles_per_cpu_second_as_one_run": round(run["articles"] / as_one["cpu_seconds"], 1),
                "memory": run["memory"],
                "load_average_5min": round(run["load_average"], 2),
            }
        result["in_process"] = {"articles": in_process["articles"], "seconds": round(in_process["seconds"], 1),
                                "cpu_seconds": round(in_process["cpu"], 1),
                                "articles_per_cpu_second": round(in_process["articles"] / in_process["cpu"], 1),
                                "articles_per_second": round(in_process["articles"] / in_process["seconds"], 1),
                                "memory": in_process["memory"],
                                "load_average_5min": round(in_process["load_average"], 2)}
        made = {"n": args.n, "seed": args.seed, "analyse": args.analyse, **settings}
        for master in runs:
            (workdir / f"{out_name(master)}.result.json").write_text(
                json.dumps({"master": master, "made": made, "result": result[master]}))
        answers = {master: (run["groups"], run["stories"]) for master, run in runs.items()}
        for master, earlier in earlier_results(workdir, made, set(runs)).items():
            result[master] = earlier
            answers[master] = answer_of(workdir / out_name(master))
        masters = sorted(answers, key=_cores)
        if len(masters) >= 2:  # over the runs as if each had been one, however many attempts it took
            result["speed_up"] = round(result[masters[0]]["as_one_run"]["seconds"]
                                       / result[masters[-1]]["as_one_run"]["seconds"], 3)
            result["speed_up_of"] = [masters[0], masters[-1]]
        reference = runs[list(runs)[-1]]
        result["same_answer_across_masters"] = all(
            answer == (reference["groups"], reference["stories"]) for answer in answers.values())
        if in_process_paths == paths and reference["story_segments"]:  # stories in segments: how close
            result["same_groups_as_in_process"] = in_process["groups"] == reference["groups"]
            result["stories_against_in_process"] = _bcubed(in_process["stories"], reference["stories"])
        elif in_process_paths == paths:
            result["same_answer_as_in_process"] = (in_process["groups"] == reference["groups"]
                                                   and in_process["stories"] == reference["stories"])
        result["near_duplicate_groups"] = len(reference["groups"])
        result["stories"] = len(reference["stories"])
    finally:
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    return result
