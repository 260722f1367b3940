"""Reads inputs in a process of its own, under limits, and says what came out and what it cost.

    python read_worker.py '{"inputs": [...], "ingest": {...}, "memory_mb": 1500, "open_files": 64}'

Prints one JSON object: articles as [id, raw bytes, text characters], errors
as their one-line messages, the resident memory after imports and at its
peak (MB), and the seconds spent. Limits: address space (`memory_mb`) and
open files (`open_files`), so a bomb that got through would fail here
instead of taking the machine.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    request = json.loads(sys.argv[1])
    from recoupe.article import Article
    from recoupe.ingest import IngestOptions, read_inputs

    if request.get("memory_mb"):
        limit = request["memory_mb"] * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    if request.get("open_files"):
        resource.setrlimit(resource.RLIMIT_NOFILE, (request["open_files"], request["open_files"]))
    baseline = peak_mb()
    started = time.monotonic()
    articles, errors = [], []
    for item in read_inputs(request["inputs"], IngestOptions(**request.get("ingest", {}))):
        if isinstance(item, Article):
            articles.append([item.id, len(item.raw), len(item.input_text)])
            if request.get("keep_text"):
                articles[-1].append(item.input_text)
        else:
            errors.append(str(item))
    print(json.dumps({"articles": articles, "errors": errors, "baseline_mb": baseline, "peak_mb": peak_mb(),
                      "seconds": time.monotonic() - started}, ensure_ascii=True))


if __name__ == "__main__":
    main()
