"""Online story clustering on real text: the seeds, rpm2-dev, SemEval texts, and bad input."""

from __future__ import annotations

import copy
import random
import sqlite3
from pathlib import Path

import pytest

from recoupe.article import Article
from recoupe.errors import ConfigError
from recoupe.evaluate import _semeval_article, cluster_scores, read_folder, read_semeval, score
from recoupe.neardup import NearDupStep
from recoupe.stories import StoryClusterer, StoryOptions, StoryStep, publication_order
from recoupe.store.schema import migrate

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
RPM2 = SHARED / "data" / "rpm2-dev"
SEMEVAL = SHARED / "data" / "semeval2022-task8-sample"


@pytest.fixture(scope="module")
def rpm2() -> list[Article]:
    """The 200 rpm2-dev articles, read, cleaned and analysed once for the module."""
    return read_folder(RPM2)


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    return read_folder(SEEDS)


def _fresh(articles: list[Article]) -> list[Article]:
    out = copy.deepcopy(articles)
    for article in out:
        article.meta.pop("near_duplicates", None)
        article.story = None
    return out


def _run(articles: list[Article], options: StoryOptions | None = None, ctx: object = None) -> StoryStep:
    near = NearDupStep()
    step = StoryStep(options)
    for article in publication_order(articles):
        step.process(near.process(article, ctx), ctx)
    return step


class _StoreContext:
    """What the steps read from the engine's context: a store connection."""

    def __init__(self, connection: sqlite3.Connection):
        self.connection = connection


def _store_context() -> _StoreContext:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    migrate(connection)
    return _StoreContext(connection)


@pytest.mark.parametrize("shuffle", [0, 1, 2])
def test_the_five_seeds_form_one_story_and_nothing_else_joins_it(rpm2, seeds, shuffle):
    articles = _fresh(rpm2 + seeds)
    random.Random(shuffle).shuffle(articles)
    step = _run(articles)
    seed_ids = {a.id for a in seeds}
    stories = {step.story_of(i) for i in seed_ids}
    assert len(stories) == 1
    story = next(s for s in step.stories() if s["id"] in stories)
    assert set(story["members"]) == seed_ids
    assert story["title"] in {a.title for a in seeds}


def test_rpm2_topics_and_events_without_dates(rpm2):
    """Floors under the measured figures (topic F1 0.95, event F1 0.67 in name order)."""
    stories, topics = cluster_scores(_fresh(rpm2), r"T\d+")
    assert topics.f1 >= 0.92 and topics.precision >= 0.95
    events, _ = cluster_scores(_fresh(rpm2), r"T\d+_C\d")
    assert events.f1 >= 0.62 and events.precision >= 0.6
    # Stories nest in topics: no story spans two topics.
    assert stories.precision >= 0.99


def test_story_titles_are_member_headlines(rpm2):
    step = _run(_fresh(rpm2[:40]))
    titles = {a.id: a.title for a in rpm2[:40]}
    for story in step.stories():
        assert story["title"] in {titles[m] for m in story["members"]}
        assert story["id"].startswith("s") and story["topic"].startswith("t")
    assert sorted(m for s in step.stories() for m in s["members"]) == sorted(titles)


def test_languages_without_a_pipeline_still_cluster():
    """German, Turkish and Arabic pairs that raters found very similar, with no spaCy model for them."""
    rows = read_semeval(SEMEVAL)
    for language in ("de", "tr", "ar"):
        close = [r for r in rows if r["lang1"] == r["lang2"] == language and float(r["Overall"]) <= 1.5][:12]
        articles, gold, seen = [], {}, set()
        for row in close:
            for side in "12":
                article = _semeval_article(f"{row['pair_id']}:{side}", row[f"text{side}"], language)
                if article.text not in seen:
                    seen.add(article.text)
                    articles.append(article)
                    gold[article.id] = row["pair_id"]
        step = _run(articles)
        result = score("stories", gold, {a.id: step.story_of(a.id) for a in articles})
        assert result.precision >= 0.9 and result.recall >= 0.65, (language, result)


def test_junk_articles_get_stories_but_glue_nothing(rpm2):
    """No text, one word, one sentence a thousand times: each is placed, none bridges two topics."""
    real = [a for a in _fresh(rpm2) if a.id.startswith(("T01", "T04", "T08"))]
    sentence = real[0].text.split(". ")[0] + ". "
    junk = [
        Article(id="empty", source="x", text="", title=None),
        Article(id="blank", source="x", text=" \n\n ", title=""),
        Article(id="word", source="x", text="Betancourt", title="Armstrong"),
        Article(id="repeat", source="x", text=sentence * 1000, title=real[0].title),
        Article(id="mixed", source="x", text=(sentence + real[-1].text.split(". ")[0] + ". ") * 500),
    ]
    articles = real[:]
    for i, article in enumerate(junk):
        articles.insert(5 + i * 11, article)
    step = _run(articles)
    for story in step.stories():
        topics = {m[:3] for m in story["members"] if m.startswith("T")}
        assert len(topics) <= 1, story
    assert {step.story_of(a.id) for a in junk[:2]} and step.story_of("empty") != step.story_of("blank")


def test_time_decay_and_windows():
    options = StoryOptions(window_days=3, topic_window_days=30)
    text = "Le port de Marseille a rouvert mardi après la grève des dockers, a annoncé la direction du port."
    terms_of = lambda a: StoryStep(options).extractor.terms(a)  # noqa: E731
    clusterer = StoryClusterer(options)
    days = {"a": "2024-03-01T08:00:00", "b": "2024-03-02T09:00:00", "c": "2024-03-12T09:00:00", "d": "2024-05-20T09:00:00"}
    for key, when in days.items():
        article = Article(id=key, source=key, text=text, title="Marseille : le port rouvre", published=when)
        clusterer.add(key, terms_of(article), when, article.title)
    assert clusterer.story_of("a") == clusterer.story_of("b")  # one day apart: same story
    assert clusterer.story_of("c") != clusterer.story_of("b")  # ten days later: a new story...
    assert clusterer.topic_of("c") == clusterer.topic_of("b")  # ...of the same topic
    assert clusterer.topic_of("d") != clusterer.topic_of("c")  # two months later: a new topic


def test_publication_order_puts_dates_first_and_keeps_ingest_order_otherwise():
    a = Article(id="a", source="", published="2024-01-03")
    b = Article(id="b", source="")
    c = Article(id="c", source="", published="2024-01-01")
    d = Article(id="d", source="")
    assert [x.id for x in publication_order([a, b, c, d])] == ["c", "d", "a", "b"]


def test_a_second_run_on_the_same_store_continues_where_the_first_stopped(rpm2):
    articles = publication_order(_fresh(rpm2[:60]))
    single = _run(_fresh(articles))

    ctx = _store_context()
    connection = ctx.connection
    _run(_fresh(articles[:35]), ctx=ctx)
    second = _run(_fresh(articles), ctx=ctx)  # sees all 60: the first 35 come from the store
    assert len(second.clusterer) == 60
    assert second.stories() == single.stories()
    assert connection.execute("SELECT count(*) FROM neardup_signatures").fetchone()[0] == 60
    assert connection.execute("SELECT count(*) FROM story_index_articles").fetchone()[0] == 60


def test_placed_articles_keep_the_stories_given_and_later_ones_cluster_against_them(rpm2):
    """Stories another engine decided (a Spark run in segments) are learnt as they stand: the index
    places each article where it was put, a later article joins the placed story it belongs to, and
    new stories and topics are numbered after every placed one."""
    articles = publication_order(_fresh(rpm2))
    extractor = StoryStep().extractor
    events = sorted({a.id.split("_")[0] + "_" + a.id.split("_")[1] for a in articles})  # T\d+_C\d of the file names
    given = {event: (10 + 3 * k, 40 + k) for k, event in enumerate(events)}  # ids nothing online would pick
    event_of = {a.id: "_".join(a.id.split("_")[:2]) for a in articles}
    clusterer = StoryClusterer()
    held_out = {}
    for article in articles:
        if event_of[article.id] not in held_out:
            held_out[event_of[article.id]] = article  # each event's first article comes later
            continue
        story, topic = given[event_of[article.id]]
        clusterer.place(article.id, extractor.terms(article), article.published, article.title, story, topic)
    placed = clusterer.members()
    assert {tuple(m) for m in placed.values()} == {
        tuple(a.id for a in articles if event_of[a.id] == e and a is not held_out[e]) for e in events} - {()}
    assert all(clusterer.topic_of(keys[0]) == given[event_of[keys[0]]][1] for keys in placed.values())

    joined = same_topic = 0
    for event, article in held_out.items():
        assignment = clusterer.add(article.id, extractor.terms(article), article.published, article.title)
        joined += assignment.story == given[event][0]
        same_topic += any(assignment.story == given[e][0] for e in events if e[:3] == event[:3])
        # a placed story, or a new id: never one a placed story might hold
        assert assignment.story in {s for s, _ in given.values()} or assignment.story > max(s for s, _ in given.values())
    assert joined >= 0.5 * len(held_out) and same_topic >= 0.75 * len(held_out), (joined, same_topic)
    lone = Article(id="lone", source="lone", title="Résultats du loto", text="Le tirage du loto de samedi soir.")
    assert clusterer.add("lone", extractor.terms(lone)).topic > max(t for _, t in given.values())


def test_a_near_copy_joins_the_story_of_what_it_copies(seeds):
    articles = _fresh(seeds)
    copy_of = copy.deepcopy(articles[2])
    copy_of.id, copy_of.title = "copy", "Un autre titre sans rapport"
    step = _run(articles + [copy_of])
    assert copy_of.meta["near_duplicates"][0][0] == articles[2].id
    assert step.story_of("copy") == step.story_of(articles[2].id)


def test_options_are_checked():
    for bad in ({"threshold": 1.5}, {"window_days": 0}, {"candidates": 0}, {"body_weight": -1}):
        with pytest.raises(ConfigError):
            StoryOptions(**bad)
    with pytest.raises(ValueError):
        clusterer = StoryClusterer()
        step = StoryStep()
        article = Article(id="x", source="", text="Un texte.")
        clusterer.add("x", step.extractor.terms(article))
        clusterer.add("x", step.extractor.terms(article))


def test_vectors_of_real_articles_are_unit_length_per_namespace_and_rank_rare_terms_higher(rpm2):
    """Thousands of distinct terms (past the first block of document frequencies), as the clusterer sees them."""
    from recoupe.features import FeatureExtractor, Vectorizer, NAMESPACES

    options = StoryOptions()
    extractor = FeatureExtractor(options.features())
    vectorizer = Vectorizer(options.features())
    terms = [extractor.terms(article) for article in rpm2[:80]]
    vectors = [vectorizer.vector(t, observe=True) for t in terms]
    assert sum(len(v) for v in vectorizer.vocabulary) > 4000
    assert vectorizer.documents == 80
    for vector, counts in zip(vectors, terms):
        assert list(vector.ids) == sorted(set(vector.ids.tolist()))  # distinct, ascending
        per_namespace = [0.0] * len(NAMESPACES)
        for term_id, weight in zip(vector.ids.tolist(), vector.values.tolist()):
            assert weight > 0
            per_namespace[term_id % len(NAMESPACES)] += weight * weight
        for ns, present in enumerate(vector.present):
            assert present == bool(counts.counts[ns])
            assert per_namespace[ns] == pytest.approx(1.0 if present else 0.0)
        assert sum(1 for t in vector.ids.tolist() if t % len(NAMESPACES) == 0) <= options.max_terms
    body = vectorizer.vocabulary[0]
    seen_in = {term: sum(term in t.counts[0] for t in terms) for term in body}
    common = max(seen_in, key=seen_in.get)
    rare = next(term for term, n in seen_in.items() if n == 1)
    assert vectorizer.idf(body[rare]) > vectorizer.idf(body[common])
    assert vectorizer.similarity(vectors[0], vectors[0]) == pytest.approx(1.0)
    assert 0.0 <= vectorizer.similarity(vectors[0], vectors[1]) < 1.0


def test_the_headline_counts_in_body_and_entity_terms_and_its_capitals_only_where_a_pipeline_reads_them():
    from recoupe.analyse import AnalyseOptions, Analyser
    from recoupe.features import FeatureExtractor

    extractor = FeatureExtractor(StoryOptions().features())
    title, text = "Nexity et la Caisse d'Epargne démentent leur divorce", "Le promoteur a publié un communiqué mercredi."
    spacy_terms = extractor.terms(_analysed(Analyser(AnalyseOptions()), title, text))
    body, _, entity, _ = spacy_terms.counts
    assert {"divorce", "dementir"} <= set(body) and "nexity" in entity
    agnostic = Analyser(AnalyseOptions(spacy_model=""))
    body, title_words, entity, _ = extractor.terms(_analysed(agnostic, title, text)).counts
    assert "nexi" in body and "divo" in body and "nexity" in title_words
    assert not entity  # "Nexity" opens a headline in capitals: not a name on the rule path
    untitled = extractor.terms(_analysed(agnostic, None, text)).counts
    assert set(untitled[0]) < set(body) and not untitled[1]


def _analysed(analyser, title: str | None, text: str) -> Article:
    article = Article(id="h", source="test", title=title, text=text, language="fr")
    analyser.analyse(article)
    return article


def test_centroids_stay_sorted_and_match_their_postings_through_trims_merges_and_expiry(rpm2):
    """Small centroids and short windows, so that every way a centroid changes happens on real text."""
    import numpy as np

    options = StoryOptions(centroid_terms=40, window_articles=30, topic_window_articles=60)
    step = _run(_fresh(rpm2), options)
    clusterer = step.clusterer
    assert len(clusterer.members()) < len(rpm2)  # stories formed
    for index in (clusterer.stories, clusterer.topics):
        assert 1 < len(index.live) < len(rpm2)  # closed by expiry, some still live
        into, other = sorted(index.live, key=lambda cid: -len(index.live[cid].ids))[:2]
        a, b = index.live[into], index.live[other]
        union = dict(zip(a.ids.tolist(), a.sums.tolist()))
        for term, value in zip(b.ids.tolist(), b.sums.tolist()):
            union[term] = union.get(term, 0.0) + value
        index.merge(into, other)
        assert other not in index.live
        merged = index.live[into]
        kept = dict(zip(merged.ids.tolist(), merged.sums.tolist()))
        assert kept == pytest.approx({term: union[term] for term in kept})
        dropped = [value for term, value in union.items() if term not in kept]
        assert not dropped or min(kept.values()) >= max(dropped)  # a trim keeps the heaviest terms
        posted = set()
        for cid, cluster in index.live.items():
            assert cluster.id == cid
            assert len(cluster.ids) == len(cluster.sums) <= 2 * options.centroid_terms
            assert np.all(np.diff(cluster.ids) > 0) and np.all(cluster.sums > 0)
            recomputed = np.bincount(cluster.ids % 4, weights=cluster.sums ** 2, minlength=4)
            assert cluster.norms_sq == pytest.approx(recomputed.tolist())
            posted.update((term, cid) for term in cluster.ids.tolist())
        assert {(term, cid) for term, posting in index.postings.items() for cid in posting} == posted
        assert all(index.postings.values())  # no empty posting left behind


def test_a_snapshot_goes_on_exactly_as_the_index_it_was_taken_from(rpm2):
    import json

    articles = publication_order(_fresh(rpm2))
    running = _run(articles[:100])
    restored = StoryClusterer.from_state(json.loads(json.dumps(running.clusterer.to_state())), StoryOptions())
    near = NearDupStep()
    for article in articles[:100]:
        near.process(article)
    for article in articles[100:]:
        near.process(article)
        terms = running.extractor.terms(article)
        duplicate_of = [row[0] for row in article.meta.get("near_duplicates", [])] or None
        expected = running.clusterer.add(article.id, terms, article.published, article.title, duplicate_of)
        assert restored.add(article.id, terms, article.published, article.title, duplicate_of) == expected
    assert restored.to_state() == running.clusterer.to_state()
    assert restored.members() == running.clusterer.members()


def test_a_later_run_restores_the_snapshot_and_replays_only_the_rows_after_it(rpm2, monkeypatch):
    from recoupe.stories import StoryStore

    articles = publication_order(_fresh(rpm2[:60]))
    single = _run(_fresh(articles))
    replayed: list[tuple[int, int]] = []
    replay = StoryStore.replay

    def counting(self, clusterer, covered):
        count = replay(self, clusterer, covered)
        replayed.append((covered, count))
        return count

    monkeypatch.setattr(StoryStore, "replay", counting)

    ctx = _store_context()
    connection = ctx.connection
    _run(_fresh(articles[:35]), ctx=ctx).checkpoint(ctx)  # a run that ended: snapshot after 35 rows
    _run(_fresh(articles[:45]), ctx=ctx)  # a run killed before its end: 10 rows, no snapshot
    assert replayed == [(0, 0), (35, 0)]
    last = _run(_fresh(articles), ctx=ctx)
    assert replayed[-1] == (35, 10)
    assert last.stories() == single.stories()

    # A snapshot made with other settings, or unreadable, is not used: every row is replayed.
    connection.execute("UPDATE story_index_snapshot SET state = x'00'")
    again = _run(_fresh(articles), ctx=ctx)
    assert replayed[-1] == (0, 60) and again.stories() == single.stories()
    other = StoryOptions(threshold=0.3)
    _run(_fresh(articles), other, ctx=ctx).checkpoint(ctx)
    assert _run(_fresh(articles), ctx=ctx).stories() == single.stories() and replayed[-1] == (0, 60)
