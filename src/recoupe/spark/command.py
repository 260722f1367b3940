"""The command line's part of the Spark engine: `recoupe run --engine spark` and `recoupe load`.

Thin like the rest of the CLI: build the session and the engine, run, print
one summary line; failures are one line each on stderr.
"""

from __future__ import annotations

import argparse
import sys

from ..errors import ConfigError

ENGINES = ("in-process", "spark")


def add_engine_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--engine", choices=ENGINES, default="in-process",
                        help="in-process (default: report and store in --out and --db) or spark "
                             "(output tables in --out; bring them into a store with `recoupe load`)")
    parser.add_argument("--master", metavar="URL",
                        help="Spark master for --engine spark (default: local[*], or the one spark-submit set)")


def wants_spark(args: argparse.Namespace) -> bool:
    return getattr(args, "engine", "in-process") == "spark" or bool(getattr(args, "master", None))


def run_on_spark(args: argparse.Namespace) -> int:
    """`recoupe run INPUT... --engine spark --out DIR [--master URL]`."""
    from ..cli import FAILED, OK, PROG, load_options, make_progress

    if args.engine != "spark":
        raise ConfigError("--master is a setting of the Spark engine: add --engine spark")
    from . import require_pyspark

    require_pyspark()
    from .engine import MAX_LISTED, SparkEngine
    from .session import spark_session

    options = load_options(args.config)
    stdin = sys.stdin.buffer if "-" in args.inputs else None
    with spark_session(args.master) as spark:
        summary = SparkEngine(spark, options, progress=make_progress(args.quiet)).run(args.inputs, args.out, stdin)
    if summary.failures > 2 * MAX_LISTED or summary.input_error_count > MAX_LISTED or \
            summary.step_failure_count > MAX_LISTED:
        print(f"{PROG}: error: {summary.failures} failures in all, each in {args.out}/errors", file=sys.stderr)
    if not args.quiet:
        groups = summary.near_duplicate_groups
        parts = [f"{summary.articles} article{'s' * (summary.articles != 1)}"]
        if summary.skipped:
            parts.append(f"{summary.skipped} already read")
        parts.append(f"{groups} near-duplicate group{'s' * (groups != 1)}")
        parts.append(f"{summary.stories} stor{'ies' if summary.stories != 1 else 'y'}")
        if summary.story_segments:
            parts.append(f"clustered in {summary.story_segments} segments")
        if summary.stages_resumed:
            parts.append(f"stages before the story pass read from {args.out}/_checkpoint")
        if summary.resumed_at:
            parts.append(f"story pass resumed at article {summary.resumed_at} from {args.out}/_checkpoint")
        if summary.failures:
            parts.append(f"{summary.failures} failed record{'s' * (summary.failures != 1)} or step{'s' * (summary.failures != 1)}")
        print(f"{PROG}: " + ", ".join(parts), file=sys.stderr)
        print(f"{PROG}: output: {args.out} (into a store: {PROG} load {args.out} --db {args.db})", file=sys.stderr)
    return OK if summary.ok else FAILED


def add_load(sub) -> None:
    parser = sub.add_parser("load", help="bring the output of a Spark run into a new store, for report and serve")
    parser.add_argument("folder", metavar="DIR", help="the --out folder of `recoupe run --engine spark` (a local copy)")
    from ..cli import common

    common(parser, quiet=True)
    parser.set_defaults(handler=cmd_load)


def cmd_load(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..cli import OK, PROG, open_store
    from .layout import read_summary
    from .load import load_output

    read_summary(Path(args.folder))  # a folder that is not a finished run leaves no empty store behind
    with open_store(args.db) as store:
        loaded = load_output(args.folder, store)
    if not args.quiet:
        print(f"{PROG}: loaded {loaded.articles} article{'s' * (loaded.articles != 1)} and {loaded.stories} "
              f"stor{'ies' if loaded.stories != 1 else 'y'} into {args.db}", file=sys.stderr)
    return OK
