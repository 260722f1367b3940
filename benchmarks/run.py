"""Benchmarks: `python benchmarks/run.py KIND [options]`, one JSON line per run.

Each kind lives in its own module of this folder and is listed in `KINDS`
as "module:function"; the function takes the remaining command-line
arguments and returns a dict, printed as one JSON line. `all` runs every
kind with its default options.
"""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

KINDS: dict[str, str] = {
    "near-dup": "neardup_bench:main",
    "stories": "stories_bench:main",
    "spark": "spark_bench:main",
    "segments": "segments_bench:main",
    "derivation": "derivation:main",
    "load": "load:main",
    "story-ceiling": "story_ceiling:main",
    "story-generality": "story_generality:main",
    "resume": "resume:main",
    "prepare": "prepare_bench:main",
}


def run(kind: str, argv: list[str]) -> dict:
    module, function = KINDS[kind].split(":")
    return getattr(importlib.import_module(module), function)(argv)


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help") or (argv[0] not in KINDS and argv[0] != "all" and not argv[0].startswith("_")):
        print(__doc__.strip(), file=sys.stderr)
        print("kinds: " + ", ".join([*KINDS, "all"]), file=sys.stderr)
        return 2
    kind, rest = argv[0], argv[1:]
    if kind.startswith("_"):  # a worker process started by a kind (measured in isolation)
        module, function = kind[1:].split(":")
        getattr(importlib.import_module(module), function)(rest)
        return 0
    for name in KINDS if kind == "all" else [kind]:
        print(json.dumps({"benchmark": name, **run(name, rest if kind != "all" else [])}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
