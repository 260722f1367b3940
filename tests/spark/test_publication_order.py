"""Publication order on Spark: the positions follow `recoupe.order` across partitions, and both
engines give the same near-duplicates and stories on a dated corpus read out of order."""

from __future__ import annotations

import json
import random
import sys

import pytest

from recoupe.config import Options
from recoupe.engine import Engine
from recoupe.order import in_publication_order
from recoupe.pipeline import Pipeline, default_steps
from recoupe.spark import SparkEngine, load_output
from recoupe.spark.ordering import publication_positions
from recoupe.store import Store

from spark_helpers import BENCHMARKS, lines


def test_positions_follow_the_rule_across_partitions(spark):
    rng = random.Random(5)
    rows = []
    for k in range(3000):
        roll = rng.random()
        published = None if roll < 0.5 else "not a date" if roll < 0.55 else \
            f"2024-0{rng.randint(1, 9)}-{rng.randint(10, 28)}T{rng.randint(10, 23)}:00:00Z"
        rows.append((k * 7 + rng.randint(0, 6), published))  # orders with gaps, as Spark's are
    rows[:40] = [(k, None) for k in range(40)]  # undated before any date
    frame = spark.createDataFrame(rows, "order long, published string").repartition(7)
    positions = dict(publication_positions(frame, len(rows)).collect())
    expected = [order for order, _ in in_publication_order(rows, lambda row: row[1])]
    assert sorted(positions, key=positions.get) == expected
    assert sorted(positions.values()) == list(range(len(rows)))


@pytest.fixture(scope="module")
def shuffled_corpus(tmp_path_factory):
    """1,200 synthetic articles, dated but for a tenth, shuffled, in three JSONL files."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from synthetic import NearDupCorpus, StoryCorpus

        records = [{"id": a.id, "title": a.title, "text": a.text, "published": a.published}
                   for a in StoryCorpus(800, seed=3, per_day=200)]
        for a in NearDupCorpus(400, seed=3):  # copies of one another, dated a minute apart after the stories
            records.append({"id": f"n{a.index:04d}", "title": a.title, "text": a.text,
                            "published": f"2024-01-05T{a.index // 60:02d}:{a.index % 60:02d}:00Z"})
    finally:
        sys.path.remove(str(BENCHMARKS))
    rng = random.Random(17)
    rng.shuffle(records)
    for record in rng.sample(records, len(records) // 10):
        del record["published"]
    folder = tmp_path_factory.mktemp("shuffled")
    paths = []
    for part in range(3):
        path = folder / f"part-{part}.jsonl"
        path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records[part::3]), encoding="utf-8")
        paths.append(str(path))
    return paths


def index_rows(store: Store) -> dict[str, list[str]]:
    """The online steps' own rows, in the order a later run replays them."""
    return {table: [r[0] for r in store.connection.execute(f"SELECT article_id FROM {table} ORDER BY seq")]
            for table in ("neardup_signatures", "story_index_articles")}


def pipeline(options: Options) -> Pipeline:
    steps = default_steps(options)
    return Pipeline(prepare=[s for s in steps.prepare if s.name != "analyse"],
                    online=[s for s in steps.online if s.name in ("neardup", "stories")], story=[])


def test_both_engines_agree_on_a_shuffled_dated_corpus(spark, shuffled_corpus, tmp_path):
    options = Options()
    with Store(tmp_path / "in-process.db") as store:
        Engine(options, store, pipeline(options)).ingest(shuffled_corpus)
        expected_stories = {s["id"]: set(s["members"]) for s in store.stories()}
        expected_pairs = {(a, b, bool(e)) for a, b, e in store.connection.execute("SELECT a, b, exact FROM neardup_pairs")}
        processed = store.processed_articles("stories")
        read = store.article_ids()
        expected_rows = index_rows(store)
    assert processed != read, "the corpus must be read out of publication order"
    assert len(expected_stories) > 50 and max(len(m) for m in expected_stories.values()) >= 4
    assert len(expected_pairs) > 50

    out = tmp_path / "out"
    summary = SparkEngine(spark, options, steps=pipeline(options)).run(shuffled_corpus, str(out))
    assert summary.articles == len(read)
    stories = {row["id"]: set(row["members"]) for row in lines(out, "stories")}
    pairs = {(row["a"], row["b"], bool(row["exact"])) for row in lines(out, "near_duplicates")}
    assert pairs == expected_pairs  # the same article is the later copy in both
    assert stories == expected_stories  # the same partition, and the same ids

    with Store(tmp_path / "loaded.db") as loaded:  # a later in-process run replays in the order Spark took them
        load_output(out, loaded)
        assert loaded.processed_articles("stories") == processed
        assert index_rows(loaded) == expected_rows
