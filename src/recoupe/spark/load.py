"""`recoupe load`: a Spark run's output into the SQLite store, as if the in-process engine had run.

Articles (with their raw bytes, analysis, near-duplicates and story), the
stories' results, the online steps' own index rows (signatures, story
features: a later in-process run on the same store goes on from them), and
the run's failures. Reads a local copy of the output folder; needs no pyspark.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from ..article import Analysis, Article
from ..config import Options
from ..errors import InputError
from ..pipeline import optional
from ..store import Store
from . import layout

_BATCH = 500


@dataclass
class LoadSummary:
    articles: int = 0
    stories: int = 0
    failures: int = 0
    run_id: int = 0


def load_output(out: str | Path, store: Store) -> LoadSummary:
    """Put the output folder `out` of a finished Spark run into an empty store."""
    out = Path(out)
    summary = layout.read_summary(out)
    if store.count_articles():
        raise InputError(str(store.path), f"the store already holds {store.count_articles()} articles: "
                                          "load a Spark run into a new store")
    options = Options(summary["options"]) if "options" in summary else Options()
    steps = set(summary.get("steps", []))
    loaded = LoadSummary(run_id=store.start_run(list(summary.get("inputs", []))))
    indexes = _Indexes(store, options, steps)
    errors = list(layout.read_lines(out, layout.ERRORS))
    failed = {(e["step"], e["article"]) for e in errors if e.get("kind") == "step" and e.get("article")}

    batch: list[dict[str, Any]] = []
    for line in layout.read_lines(out, layout.ARTICLES):
        batch.append(line)
        if len(batch) >= _BATCH:
            _put_articles(store, batch, indexes, failed)
            loaded.articles += len(batch)
            batch = []
    if batch:
        _put_articles(store, batch, indexes, failed)
        loaded.articles += len(batch)
    _in_processing_order(store)
    if indexes.stories is not None and summary.get("story_segments"):
        with store.transaction():
            indexes.stories.mark_segmented(int(summary["story_segments"]))

    with store.transaction():
        for line in layout.read_lines(out, layout.STORIES):
            story_id = line["id"]
            if store.story(story_id) is None:
                continue
            if line.get("title"):
                store.set_story_title(story_id, line["title"])
            for step, result in (line.get("results") or {}).items():
                store.put_story_result(story_id, step, result)
            store.set_story_clean(story_id)
            loaded.stories += 1
        for error in errors:
            if error.get("kind") == "input":
                where = error["source"] if error.get("offset") is None else f"{error['source']} (at {error['offset']})"
                store.add_input_error(loaded.run_id, where, error["problem"])
            else:
                store.add_step_failure(loaded.run_id, error["step"], error["problem"],
                                       article_id=error.get("article"), story_id=error.get("story"))
            loaded.failures += 1
    store.finish_run(loaded.run_id, loaded.failures)
    return loaded


def _put_articles(store: Store, lines: list[dict[str, Any]], indexes: "_Indexes", failed: set) -> None:
    with store.transaction():
        for line in lines:
            article = Article.from_state(line["state"], raw=base64.b64decode(line.get("raw") or ""))
            article.raw_sha256 = line["raw_sha256"]
            story = article.story
            store.put_article(article)
            if line.get("analysis") is not None:
                article.analysis = Analysis.from_state(line["analysis"])
                store.put_analysis(article.id, article.analysis)
            indexes.save(article, line, failed)
            if story is not None:
                store.set_story(article.id, story)


def _in_processing_order(store: Store) -> None:
    """Renumber the online steps' rows and marks, written in reading order, in the order the Spark run
    took the articles (publication order over the whole input): a later run replays them in it."""
    with store.transaction():
        db = store.connection
        db.execute("CREATE TEMP TABLE IF NOT EXISTS load_positions (article_id TEXT PRIMARY KEY, position INTEGER)")
        db.execute("DELETE FROM load_positions")
        db.executemany("INSERT INTO load_positions VALUES (?, ?)",
                       ((article_id, k) for k, article_id in enumerate(store.publication_order(), start=1)))
        for table, column in (("neardup_signatures", "seq"), ("story_index_articles", "seq"),
                              ("article_steps", "processed_seq")):
            db.execute(f"UPDATE {table} SET {column} = -{column}")  # out of the way of the new numbers
            db.execute(f"UPDATE {table} SET {column} = (SELECT position FROM load_positions p"
                       f" WHERE p.article_id = {table}.article_id)")
        db.execute("DROP TABLE load_positions")


class _Indexes:
    """The online steps' own rows (near-duplicate signatures and pairs, story features), through
    the classes those steps keep them with, and the steps' marks on each article."""

    def __init__(self, store: Store, options: Options, steps: set[str]):
        self.store = store
        self.steps = steps
        self.neardup = self.stories = None
        neardup_store = optional("recoupe.neardup", "NearDupStore")
        if "neardup" in steps and neardup_store is not None:
            from ..neardup import NearDupOptions

            self.neardup = neardup_store(store.connection, options.typed("neardup", NearDupOptions))
            self.neardup.check_settings()
        story_store = optional("recoupe.stories", "StoryStore")
        if "stories" in steps and story_store is not None:
            from ..stories import StoryOptions

            from ..features import FeatureExtractor

            story_options = options.typed("stories", StoryOptions)
            self.stories = story_store(store.connection, story_options)
            self.stories.check_settings()
            self.extractor = FeatureExtractor(story_options.features())

    def save(self, article: Article, line: dict[str, Any], failed: set) -> None:
        for step in ("neardup", "stories"):
            if step in self.steps:
                self.store.mark_step(step, article.id, "failed in the Spark run" if (step, article.id) in failed else None)
        if self.neardup is not None and ("neardup", article.id) not in failed:
            from ..neardup import Match, Signature

            signature = None
            if line.get("signature"):
                minhash = np.frombuffer(base64.b64decode(line["signature"]["minhash"]), dtype="<u4").astype(np.uint32)
                signature = Signature(minhash, int(line["signature"]["digest"]) & 0xFFFFFFFFFFFFFFFF)
            found = [Match(key, float(jaccard), bool(exact))
                     for key, jaccard, exact in article.meta.get("near_duplicates", [])]
            self.neardup.save(article.id, signature, found)
        if self.stories is not None and article.story is not None:
            duplicate_of = [m[0] for m in article.meta.get("near_duplicates", [])] or None
            terms = self.extractor.terms(article)  # what the story step counted, counted again from the analysis
            self.stories.save(article.id, terms, article.published, article.title, duplicate_of)
