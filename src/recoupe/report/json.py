"""The JSON report, built from the store (never from a run's memory), and written atomically.

Articles come in reading order, stories in the order of their first member,
and every value derives from stored records, so a run killed and resumed
writes the same `report.json` as an uninterrupted one. Everything that
depends on when or how often recoupe ran (timestamps, counts of runs, the
last run's failures) is kept in the "run" block.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from ..steps import ARTICLE_SIGNALS
from ..store import Store

REPORT_NAME = "report.json"

# Top-level sections that a stage builds from its own tables: (key, module, function of a connection).
# A section is left out while its module or function does not exist.
SECTIONS = [("near_duplicates", "recoupe.neardup", "near_duplicate_pairs")]


def build_report(store: Store, with_input_text: str | None = None) -> dict[str, Any]:
    """{"articles", "stories", "duplicates", "run"} as DESIGN.md's report contract names them.

    `with_input_text`: the id of one article whose text before cleaning is
    included (as "input_text"), for pages that show what cleaning removed.

    Read in one snapshot of the store, so a report built while a run writes
    shows one moment of it. A story whose members changed since its story
    steps ran (possible only while a run is under way, or after one was
    killed) is listed with its members and `"pending": true`, without the
    results computed for its former members.
    """
    with store.snapshot():
        return _build_report(store, with_input_text)


def _build_report(store: Store, with_input_text: str | None) -> dict[str, Any]:
    articles = list(store.iter_articles())
    titles = {a.id: a.title for a in articles}
    memberships = store.memberships()

    stories: list[dict[str, Any]] = []
    added_signals: dict[str, list[str]] = {}
    for story in store.stories():
        members = story["members"]
        title = story["title"] or next((titles[m] for m in members if titles.get(m)), None)
        entry: dict[str, Any] = {"id": story["id"], "title": title, "members": members}
        if story["dirty"]:
            entry["pending"] = True
            stories.append(entry)
            continue
        for result in store.story_results(story["id"]).values():
            for key, value in result.items():
                if key == ARTICLE_SIGNALS:
                    for article_id, signals in (value or {}).items():
                        added_signals.setdefault(article_id, []).extend(signals)
                elif key not in ("id", "members"):
                    entry[key] = value
        stories.append(entry)

    article_entries = []
    for article in articles:
        for signal in added_signals.get(article.id, []):
            article.add_signal(signal)
        article.story = memberships.get(article.id)
        entry = article.to_report()
        if with_input_text is not None and article.id == with_input_text:
            entry["input_text"] = article.input_text
        article_entries.append(entry)

    report: dict[str, Any] = {
        "articles": article_entries,
        "stories": stories,
        "duplicates": [{"article": a, "duplicate_of": b} for a, b in store.exact_duplicates()],
    }
    for key, module, function in SECTIONS:
        build = _section_builder(module, function)
        if build is not None:
            report[key] = build(store.connection)
    report["run"] = run_block(store, len(article_entries), len(stories))
    return report


def _section_builder(module: str, function: str):
    from ..pipeline import optional

    return optional(module, function)


def run_block(store: Store, articles: int, stories: int) -> dict[str, Any]:
    """When recoupe last ran on this store, and what went wrong then."""
    runs = store.runs()
    last = runs[-1] if runs else None
    block: dict[str, Any] = {
        "started": last["started"] if last else None,
        "finished": last["finished"] if last else None,
        "inputs": last["inputs"] if last else [],
        "runs": len(runs),
        "articles": articles,
        "stories": stories,
        "input_errors": [],
        "step_failures": [],
    }
    if last is not None:
        block["input_errors"] = [{"source": e["source"], "problem": e["problem"]} for e in store.input_errors(last["id"])]
        block["step_failures"] = [
            {k: v for k, v in f.items() if k != "run"} for f in store.step_failures(last["id"])
        ]
    block["failures"] = len(block["input_errors"]) + len(block["step_failures"])
    return block


def dumps(report: dict[str, Any]) -> str:
    """The report as written: indented UTF-8 JSON, keys in contract order, one final newline."""
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"


def write_report(report: dict[str, Any], out_dir: str | Path) -> Path:
    """Write `out_dir/report.json` through a temporary file and a rename: readers never see half of it."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    path = out / REPORT_NAME
    fd, tmp = tempfile.mkstemp(dir=out, prefix=f".{REPORT_NAME}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(dumps(report))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
