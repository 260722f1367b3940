"""Stories on Spark: the online clustering replayed in one ordered pass, then story steps per story.

Why the clustering pass is not distributed: the online clusterer decides an
article's story from every article before it (document frequencies for
TF-IDF, the centroids of live stories, the merges they went through), so a
partition computed piecewise would differ from the online one wherever
pieces meet. The heavy part (analysis and term counts) is done by the
executors; the driver only feeds the pipeline's own `StoryStep` clusterer,
in publication order (`recoupe.order`, the order the in-process engine takes
them in), with what it reads of each article (term counts, date, title, ids
of earlier near-copies) and so gets exactly the online stories.
Its cost on the driver is that of the online engine's clustering alone.

The story steps (reuse, facts, summary) need nothing outside their story:
each story is a task, run with the same step objects and the same context
entry (id, title, members, topic, earlier steps' results) as in-process.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from ..features import TermCounts
from ..steps import ARTICLE_SIGNALS
from ..store import to_json
from .records import ExecutorContext, PipelineSpec, describe, stored_article, unpack


@dataclass
class Clustered:
    """What the ordered pass gives: each article's story, the stories' entries, and failures."""

    story_of: dict[int, str] = field(default_factory=dict)  # reading order -> story id
    stories: list[dict[str, Any]] = field(default_factory=list)  # id, title, members, and details (topic)
    failures: list[tuple[int, str, str, str]] = field(default_factory=list)  # (order, step, article, problem)


def cluster_in_order(rows: Iterable[Any], step: Any, checkpoint: Any = None,
                     resumed: dict[str, Any] | None = None) -> Clustered:
    """Rows (position, order, id, terms, published, title, duplicate_of) in publication order, into
    `step`'s clusterer (terms packed as the executors wrote them, or already `TermCounts`).

    `checkpoint` (a `StoryCheckpoint`) is given the pass's state when it is due; `resumed` is
    the state of one, whose clusterer `step` already holds: the rows are those after its position.
    """
    out = Clustered()
    clustered: list[tuple[int, str]] = []
    if resumed is not None:
        clustered = [(int(order), article_id) for order, article_id in resumed["clustered"]]
        out.failures = [tuple(failure) for failure in resumed["failures"]]
    for row in rows:
        position, order, article_id, terms, published, title, duplicate_of = row
        if terms is not None:  # None: term counts failed on the executor, already recorded as a failure
            try:
                counts = terms if isinstance(terms, TermCounts) else TermCounts.from_state(unpack(terms))
                step.clusterer.add(article_id, counts, published, title, list(duplicate_of) if duplicate_of else None)
            except Exception as exc:  # as in-process: recorded against the article, the run goes on
                out.failures.append((order, step.name, article_id, describe(exc)))
            else:
                clustered.append((order, article_id))
        if checkpoint is not None and checkpoint.due():
            checkpoint.save(position, step.clusterer, clustered, out.failures)
    for order, article_id in clustered:
        label = step.story_of(article_id)
        if label is not None:
            out.story_of[order] = label
    out.stories = [dict(entry) for entry in step.stories()]
    return out


def story_context_entry(entry: dict[str, Any]) -> dict[str, Any]:
    """The story as `RunContext.story` shows it before the story steps: id, title, members, details."""
    return {"id": entry.get("id"), "title": entry.get("title") or None, "members": list(entry.get("members", [])),
            **{k: v for k, v in entry.items() if k not in ("id", "title", "members")}}


def details_of(entry: dict[str, Any]) -> dict[str, Any]:
    """What the grouping step stores as its own result for a story (the topic...)."""
    return {k: v for k, v in entry.items() if k not in ("id", "title", "members")}


def run_story_steps(story_id: str, members: Iterable[tuple[int, str, str | None, str]], info: dict[str, Any],
                    spec: PipelineSpec) -> tuple[dict[str, dict[str, Any]], list[list[str]]]:
    """(results by step, failures [step, problem]) of one story; `members` are (order, state, analysis, raw sha)."""
    articles = []
    for _, state, analysis, raw_sha in sorted(members, key=lambda m: m[0]):
        article = stored_article(state, analysis, raw_sha)
        article.story = story_id
        articles.append(article)
    ctx = ExecutorContext(options=spec.options, stories={story_id: dict(info)})
    results: dict[str, dict[str, Any]] = {}
    failures: list[list[str]] = []
    for step in spec.steps.story:
        try:
            result = dict(step.process(story_id, articles, ctx) or {})
            result = json.loads(to_json(result))  # as stored and read back
        except Exception as exc:  # the other steps and stories go on
            failures.append([step.name, describe(exc)])
            continue
        results[step.name] = result
        ctx.stories[story_id].update({k: v for k, v in result.items() if k != ARTICLE_SIGNALS})
    return results, failures


def story_lines(grouped: Iterator[tuple[str, Iterable[tuple]]], infos: dict[str, dict[str, Any]],
                spec: PipelineSpec) -> Iterator[tuple]:
    """(first order, story id, JSON line, failures JSON) for each story of a partition."""
    for story_id, members in grouped:
        members = list(members)
        entry = infos.get(story_id, {"id": story_id, "members": []})
        info = story_context_entry(entry)
        results, failures = run_story_steps(story_id, members, info, spec)
        stored = {}
        details = details_of(entry)
        if details:
            stored["stories"] = details
        stored.update(results)
        line = {"id": story_id, "title": info["title"], "members": info["members"], "results": stored}
        first = min(m[0] for m in members)
        yield first, story_id, to_json(line), to_json(failures) if failures else None
