"""The output of a Spark run: one folder per table, as JSON Lines and as Parquet.

    OUT/articles/          one article per line, reading order: its stored state, analysis,
                           raw bytes (base64), signature, term counts, exact duplicate, group
    OUT/stories/           one story per line: id, title, members, results by step
    OUT/near_duplicates/   {"a": later id, "b": earlier id, "jaccard", "exact"}
    OUT/groups/            {"article", "group"}: near-duplicate groups, named by their first article
    OUT/errors/            {"kind": "input"|"step", "source", "offset", "step", "article", "story", "problem"}
    OUT/parquet/<table>/   the same tables as Parquet, flat columns (for Spark SQL, pandas, DuckDB...)
    OUT/summary/           one JSON line: counts and failures; written last, so its presence
                           says the run finished

Each folder holds Spark's part files; their name order is the line order.
No pyspark here: `recoupe load` reads a local copy of this layout without it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterator

from ..errors import InputError

ARTICLES = "articles"
STORIES = "stories"
NEAR_DUPLICATES = "near_duplicates"
GROUPS = "groups"
ERRORS = "errors"
SUMMARY = "summary"
PARQUET = "parquet"
TABLES = (ARTICLES, STORIES, NEAR_DUPLICATES, GROUPS, ERRORS)


def join(out: str, *parts: str) -> str:
    """A path under `out`, for local folders and URIs alike."""
    return "/".join([out.rstrip("/"), *parts])


def part_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.name.startswith("part-") and not p.name.endswith(".crc"))


def read_lines(out: Path, table: str) -> Iterator[dict[str, Any]]:
    """The records of one table of a local output folder, in order."""
    folder = out / table
    if not folder.is_dir():
        raise InputError(str(out), f"not the output of a Spark run: {table}/ is missing")
    for path in part_files(folder):
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                if not line.strip():
                    continue
                try:
                    yield json.loads(line)
                except ValueError as exc:
                    raise InputError(str(path), f"line {number}: broken JSON ({exc})") from exc


def read_summary(out: Path) -> dict[str, Any]:
    folder = out / SUMMARY
    if not folder.is_dir() or not part_files(folder):
        raise InputError(str(out), "not the finished output of a Spark run (summary/ is missing)")
    return next(read_lines(out, SUMMARY))
