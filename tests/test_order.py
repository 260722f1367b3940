"""Publication order: the rule, the store's pending and processed lists, and the engine taking articles in it."""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import pytest

from recoupe.article import Article
from recoupe.config import Options
from recoupe.engine import Engine
from recoupe.order import NO_DATE, in_publication_order, last_dated, publication_keys, timestamp
from recoupe.pipeline import CleanStep, Pipeline, default_steps
from recoupe.report.json import build_report
from recoupe.store import MIGRATIONS, Store, migrate
from recoupe.stories import StoryStep, publication_order

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"
DAY = 86400.0


# -- the rule ---------------------------------------------------------------------------------------


def test_keys_are_date_then_reading_order_and_undated_follow_their_neighbour():
    rows = [(1, "2024-01-03"), (2, None), (3, "2024-01-01"), (4, None), (5, "not a date"), (6, "2024-01-01")]
    keys = list(publication_keys(rows))
    jan1, jan3 = timestamp("2024-01-01"), timestamp("2024-01-03")
    assert keys == [(jan3, 1), (jan3, 2), (jan1, 3), (jan1, 4), (jan1, 5), (jan1, 6)]
    assert [seq for _, seq in sorted(keys)] == [3, 4, 5, 6, 1, 2]


def test_an_undated_corpus_keeps_reading_order_exactly():
    articles = [Article(id=f"a{k}", source="") for k in (5, 3, 9, 1, 7)]
    assert [a.id for a in publication_order(articles)] == ["a5", "a3", "a9", "a1", "a7"]
    assert list(publication_keys([(1, None), (2, "")])) == [(NO_DATE, 1), (NO_DATE, 2)]


def test_undated_articles_before_any_date_come_first():
    items = [("u1", None), ("d", "2024-05-01T10:00:00+02:00"), ("u2", None), ("e", "2024-05-01T07:00:00Z")]
    assert [name for name, _ in in_publication_order(items, lambda item: item[1])] == ["u1", "e", "d", "u2"]


def test_a_scan_can_be_split_and_carried_on():
    dates = ["2024-01-05", None, "2024-01-02", None, None, "2024-01-09", None]
    rows = list(enumerate(dates))
    whole = list(publication_keys(rows))
    first, rest = rows[:4], rows[4:]
    assert list(publication_keys(first)) + list(publication_keys(rest, last_dated(d for _, d in first))) == whole
    assert last_dated([None, None], None) is None


# -- the store --------------------------------------------------------------------------------------


def stored(store: Store, name: str, published: str | None) -> None:
    store.put_article(Article(id=name, source=f"/in/{name}", raw=name.encode(), text=f"Texte {name}.",
                              published=published))


def test_pending_articles_come_in_publication_order_and_processed_in_processing_order(tmp_path):
    with Store(tmp_path / "r.db") as store:
        stored(store, "late", "2024-03-02")
        stored(store, "after-late", None)
        stored(store, "early", "2024-03-01")
        stored(store, "after-early", None)
        assert store.pending_articles("s") == ["early", "after-early", "late", "after-late"]
        store.mark_step("s", "early")
        store.mark_step("s", "after-early", "ValueError: broken")
        assert store.pending_articles("s") == ["late", "after-late"]
        stored(store, "undated-new", None)  # read after "early" (the last dated one read): follows it
        stored(store, "earliest", "2024-02-01")
        assert store.pending_articles("s") == ["earliest", "undated-new", "late", "after-late"]
        for name in store.pending_articles("s"):
            store.mark_step("s", name)
        assert store.processed_articles("s") == ["early", "earliest", "undated-new", "late", "after-late"]
        assert store.pending_articles("s") == []


def test_a_store_of_the_previous_schema_is_upgraded_with_its_marks_in_reading_order(tmp_path):
    path = tmp_path / "old.db"
    connection = sqlite3.connect(path, isolation_level=None)
    migrate(connection, MIGRATIONS[:2])
    for seq, name in enumerate(["a", "b", "c"], start=1):
        connection.execute("INSERT INTO raw_inputs (sha256, bytes, source) VALUES (?, ?, ?)", (name, b"x", name))
        connection.execute("INSERT INTO articles (id, seq, raw_sha256, text_sha256, published, state)"
                           " VALUES (?, ?, ?, '', ?, '{}')", (name, seq, name, f"2024-01-0{4 - seq}"))
    connection.executemany("INSERT INTO article_steps (step, article_id, error) VALUES ('s', ?, NULL)", [("c",), ("a",)])
    connection.close()
    with Store(path) as store:
        assert store.version == len(MIGRATIONS)
        assert store.processed_articles("s") == ["a", "c"]  # the old engine processed in reading order
        assert store.pending_articles("s") == ["b"]
        store.mark_step("s", "b")
        assert store.processed_articles("s") == ["a", "c", "b"]


# -- the engine -------------------------------------------------------------------------------------


class Recorder:
    """An online step that notes what it processes and what it is replayed, and can stop the run."""

    name = "recorder"

    def __init__(self, stop_after: int | None = None) -> None:
        self.processed: list[str] = []
        self.replayed: list[str] = []
        self.stop_after = stop_after

    def process(self, article, ctx):
        if self.stop_after is not None and len(self.processed) == self.stop_after:
            raise KeyboardInterrupt  # as a kill: not a step failure, the run stops in this article's transaction
        self.processed.append(article.id)
        return article

    def replay(self, article, ctx):
        self.replayed.append(article.id)


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def records(n: int, dated: bool = True) -> list[dict]:
    """`n` articles whose dates run backwards through the file (reading order is the reverse of publication)."""
    out = []
    for k in range(n):
        record = {"id": f"r{k:02d}", "title": f"Titre {k}", "text": f"Article numéro {k}. Le pont a cédé mardi."}
        if dated:
            record["published"] = f"2024-02-{28 - k:02d}T08:00:00Z"
        out.append(record)
    return out


def test_the_engine_takes_a_run_in_publication_order_and_replays_in_the_order_processed(tmp_path):
    path = write_jsonl(tmp_path / "in" / "a.jsonl", records(6))
    with Store(tmp_path / "r.db") as store:
        first = Recorder()
        Engine(Options(), store, Pipeline(prepare=[CleanStep(Options())], online=[first])).ingest([str(path)])
        assert first.processed == ["r05", "r04", "r03", "r02", "r01", "r00"]

        more = write_jsonl(tmp_path / "in" / "b.jsonl", [{"id": "new", "text": "Un texte de plus.",
                                                         "published": "2024-01-01T00:00:00Z"}])
        second = Recorder()
        Engine(Options(), store, Pipeline(prepare=[CleanStep(Options())], online=[second])).ingest([str(more)])
        assert second.replayed == first.processed  # in the order they were processed, not read
        assert second.processed == ["new"]  # a later run's articles come after, whatever their dates


def test_undated_articles_are_taken_in_reading_order(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", records(6, dated=False))
    with Store(tmp_path / "r.db") as store:
        step = Recorder()
        Engine(Options(), store, Pipeline(prepare=[CleanStep(Options())], online=[step])).ingest([str(path)])
        assert step.processed == [f"r{k:02d}" for k in range(6)]


def test_an_interrupted_run_goes_on_in_the_same_order(tmp_path):
    path = write_jsonl(tmp_path / "a.jsonl", records(8))
    with Store(tmp_path / "whole.db") as store:
        whole = Recorder()
        Engine(Options(), store, Pipeline(prepare=[CleanStep(Options())], online=[whole])).ingest([str(path)])
    with Store(tmp_path / "cut.db") as store:
        with pytest.raises(KeyboardInterrupt):
            Engine(Options(), store, Pipeline(prepare=[CleanStep(Options())], online=[Recorder(stop_after=3)])).ingest(
                [str(path)])
        rest = Recorder()
        Engine(Options(), store, Pipeline(prepare=[CleanStep(Options())], online=[rest])).ingest([str(path)])
        assert rest.replayed == whole.processed[:3]
        assert rest.replayed + rest.processed == whole.processed
        assert store.processed_articles("recorder") == whole.processed


# -- real steps on a dated corpus given out of order -------------------------------------------------


@pytest.fixture(scope="module")
def dated_corpus():
    """400 dated synthetic articles (stories and near-copies of one another), in publication order."""
    sys.path.insert(0, str(BENCHMARKS))
    try:
        from synthetic import NearDupCorpus, StoryCorpus

        out = []
        for article in StoryCorpus(300, seed=11, per_day=60):
            out.append({"id": article.id, "title": article.title, "text": article.text, "published": article.published})
        for article in NearDupCorpus(100, seed=11):  # copies of copies, dated one hour apart after the stories
            out.append({"id": f"n{article.index:04d}", "title": article.title, "text": article.text,
                        "published": f"2024-01-06T{article.index // 60:02d}:{article.index % 60:02d}:00"})
        return out
    finally:
        sys.path.remove(str(BENCHMARKS))


def online_pipeline(options: Options, stop_stories_after: int | None = None) -> Pipeline:
    steps = default_steps(options)
    online = [s for s in steps.online if s.name in ("neardup", "stories")]
    if stop_stories_after is not None:
        online = [Stopping(s.options, stop_stories_after) if s.name == "stories" else s for s in online]
    return Pipeline(prepare=[s for s in steps.prepare if s.name != "analyse"], online=online, story=[])


class Stopping(StoryStep):
    def __init__(self, options, after: int):
        super().__init__(options)
        self.left = after

    def process(self, article, ctx=None):
        if self.left == 0:
            raise KeyboardInterrupt
        self.left -= 1
        return super().process(article, ctx)


def answer(store: Store) -> dict:
    pairs = sorted(store.connection.execute("SELECT a, b, jaccard, exact FROM neardup_pairs"))
    report = build_report(store)
    report.pop("run")
    return {"stories": {s["id"]: s["members"] for s in store.stories()}, "pairs": pairs, "report": report}


def test_dates_given_in_reverse_give_the_stories_of_the_sorted_input(tmp_path, dated_corpus):
    options = Options()
    results = {}
    for name, lines in (("sorted", dated_corpus), ("reversed", dated_corpus[::-1])):
        path = write_jsonl(tmp_path / name / "in.jsonl", lines)
        with Store(tmp_path / f"{name}.db") as store:
            Engine(options, store, online_pipeline(options)).ingest([str(path)])
            results[name] = answer(store)
            processed = store.processed_articles("stories")
        assert processed == [r["id"] for r in dated_corpus]
    sorted_, reversed_ = results["sorted"], results["reversed"]
    assert len(sorted_["stories"]) > 20 and max(len(m) for m in sorted_["stories"].values()) >= 4
    assert len(sorted_["pairs"]) > 10
    assert {k: set(v) for k, v in reversed_["stories"].items()} == {k: set(v) for k, v in sorted_["stories"].items()}
    assert reversed_["pairs"] == sorted_["pairs"]  # the same copy is the later one, whatever the reading order


def test_a_run_stopped_among_reversed_dates_resumes_to_the_uninterrupted_report(tmp_path, dated_corpus):
    options = Options()
    path = write_jsonl(tmp_path / "in" / "in.jsonl", dated_corpus[::-1])
    with Store(tmp_path / "whole.db") as store:
        Engine(options, store, online_pipeline(options)).ingest([str(path)])
        whole = answer(store)
    with Store(tmp_path / "cut.db") as store:
        for after in (150, 100):  # stops twice in the story step, then finishes
            with pytest.raises(KeyboardInterrupt):
                Engine(options, store, online_pipeline(options, stop_stories_after=after)).ingest([str(path)])
        Engine(options, store, online_pipeline(options)).ingest([str(path)])
        assert answer(store) == whole
