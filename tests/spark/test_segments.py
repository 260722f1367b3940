"""The story pass in segments: which segments read an article, how segments are stitched, and a run of it."""

from __future__ import annotations

import re

import pytest

from recoupe.config import Options
from recoupe.errors import ConfigError
from recoupe.evaluate import bcubed
from recoupe.features import FeatureExtractor
from recoupe.spark.segments import SegmentOptions, segments_of, stitch

from spark_helpers import REPO, RPM2, SEEDS, in_process_report, spark_report


def test_an_article_is_read_by_its_segment_and_by_the_warmups_that_reach_back_to_it():
    assert segments_of(0, 10, 3, 3) == [(0, True)]
    assert segments_of(6, 10, 3, 3) == [(0, True)]
    assert segments_of(7, 10, 3, 3) == [(0, True), (1, False)]
    assert segments_of(29, 10, 3, 3) == [(2, True)]  # no segment after the last
    assert segments_of(7, 10, 15, 3) == [(0, True), (1, False), (2, False)]  # a warm-up longer than a segment
    assert segments_of(7, 10, 0, 3) == [(0, True)]


def test_segment_settings_are_checked():
    with pytest.raises(ConfigError, match="story_segment_articles"):
        Options.load(None, spark={"story_segment_articles": 0}).typed("spark", SegmentOptions)
    with pytest.raises(ConfigError, match="unknown"):
        Options.load(None, spark={"segment": 5}).typed("spark", SegmentOptions)


def _row(segment, position, article, story, topic, own, title=None, failure=(None, None), terms=()):
    return (segment, position, 100 + position, article, story, topic, own, title, *failure, list(terms))


def _stitched(rows, title_df=None):
    return stitch(rows, title_df or {}, FeatureExtractor())


def test_a_story_of_the_next_segment_continues_the_one_its_warmup_articles_are_in():
    rows = [
        _row(0, 0, "a", "s1", "t1", True, "Enquête ouverte"), _row(0, 1, "b", "s2", "t2", True, "Course cycliste"),
        _row(0, 2, "c", "s1", "t1", True, "Pont effondré à Valmorin"),
        # segment 1 re-clusters b and c (its warm-up) under its own numbering
        _row(1, 1, "b", "s1", "t1", False), _row(1, 2, "c", "s2", "t2", False),
        _row(1, 3, "d", "s2", "t2", True, "Valmorin : le pont effondré, premier bilan"),
        _row(1, 4, "e", "s3", "t3", True, "Élections municipales"),
        _row(1, 5, "f", None, None, True, "Sans texte", ("stories", "ValueError: no terms")),
    ]
    words = {"enquete": 1, "ouverte": 1, "course": 1, "cycliste": 1, "pont": 2, "effondre": 2, "valmorin": 2,
             "premier": 1, "bilan": 1, "elections": 1, "municipales": 1}
    out = _stitched(rows, words)

    members = {entry["id"]: entry["members"] for entry in out.stories}
    assert members == {"s1": ["a", "c", "d"], "s2": ["b"], "s3": ["e"]}
    assert out.story_of == {100: "s1", 101: "s2", 102: "s1", 103: "s1", 104: "s3"}  # by reading order
    topics = {entry["id"]: entry["topic"] for entry in out.stories}
    assert topics == {"s1": "t1", "s2": "t2", "s3": "t3"}
    # the headline the story's others share most words with, not the first one
    assert next(e["title"] for e in out.stories if e["id"] == "s1") == "Pont effondré à Valmorin"
    assert out.failures == [(105, "stories", "f", "ValueError: no terms")]


def test_a_story_continues_the_earlier_story_of_its_latest_warmup_article_only():
    """The warm-up's re-clustering starts cold and may group what the earlier segment kept apart:
    linking through every warm-up article would glue a and b."""
    rows = [
        _row(0, 0, "a", "s1", "t1", True), _row(0, 1, "b", "s2", "t2", True),
        _row(1, 0, "a", "s1", "t1", False), _row(1, 1, "b", "s1", "t1", False),
        _row(1, 2, "c", "s1", "t1", True),
    ]
    out = _stitched(rows)
    assert [entry["members"] for entry in out.stories] == [["a"], ["b", "c"]]
    assert out.stories[0]["topic"] != out.stories[1]["topic"]


def test_a_story_that_goes_on_through_several_segments_is_one_story():
    rows = [
        _row(0, 0, "a", "s1", "t1", True), _row(0, 1, "b", "s2", "t2", True),
        _row(1, 1, "b", "s1", "t1", False), _row(1, 2, "c", "s1", "t1", True), _row(1, 3, "d", "s2", "t1", True),
        _row(2, 3, "d", "s4", "t9", False), _row(2, 4, "e", "s4", "t9", True),
    ]
    out = _stitched(rows)
    assert [entry["members"] for entry in out.stories] == [["a"], ["b", "c"], ["d", "e"]]
    topics = [entry["topic"] for entry in out.stories]
    assert topics[1] == topics[2] != topics[0]  # d's story started in b's topic, e's goes on in it


def test_warmup_stories_without_an_article_of_their_own_link_nothing():
    """Segment 1 re-clustered a and b together, but no article of its own joined them: the
    earlier segment's stories stand."""
    rows = [
        _row(0, 0, "a", "s1", "t1", True), _row(0, 1, "b", "s2", "t2", True),
        _row(1, 0, "a", "s1", "t1", False), _row(1, 1, "b", "s1", "t1", False),
        _row(1, 2, "c", "s2", "t2", True),
    ]
    out = _stitched(rows)
    assert [entry["members"] for entry in out.stories] == [["a"], ["b"], ["c"]]
    assert len({entry["topic"] for entry in out.stories}) == 3


def test_seeds_and_rpm2_in_segments_keep_the_stories_and_topics(spark, tmp_path):
    """205 articles in segments of 50 with a warm-up of 30: every article placed once, the seeds in
    one story, and the partition close to the online one (which the ordered pass gives exactly)."""
    inputs = [str(SEEDS), str(RPM2)]
    options = Options.load(None, spark={"story_segment_articles": 50, "story_warmup_articles": 30})
    expected = in_process_report(inputs, tmp_path / "in-process.db")
    summary, report = spark_report(spark, inputs, tmp_path / "out", tmp_path / "loaded.db", options=options)

    assert summary.story_segments == 5 and summary.articles == 205
    story_of = {member: s["id"] for s in report["stories"] for member in s["members"]}
    assert len(story_of) == sum(len(s["members"]) for s in report["stories"]) == 205
    seeds = {a["id"] for a in report["articles"] if a["source"].startswith(str(SEEDS))}
    assert len(seeds) == 5 and len({story_of[s] for s in seeds}) == 1
    online = {member: s["id"] for s in expected["stories"] for member in s["members"]}
    precision, recall, f1 = bcubed(online, story_of)
    assert f1 >= 0.9, (precision, recall)
    # against the topics the file names give, as `recoupe eval clusters --label-regex 'T\d+'` scores them
    gold = {a["id"]: re.search(r"T\d+", a["source"]).group(0) for a in report["articles"]
            if re.search(r"T\d+", a["source"])}
    topic_of = {member: s["topic"] for s in report["stories"] for member in s["members"]}
    assert bcubed(gold, {k: topic_of[k] for k in gold})[2] >= 0.9

    # an in-process run on the loaded store goes on from the segments' stories: a reworded copy of the
    # wire joins the seeds' story, unrelated articles start stories numbered after every loaded one
    from recoupe.engine import Engine
    from recoupe.store import Store

    wire = next(SEEDS.glob("003_*.txt")).read_text(encoding="utf-8")
    later = tmp_path / "later"
    later.mkdir()
    (later / "wire-again.txt").write_text(wire.replace("mercredi", "ce mercredi") + "\nMis à jour.\n", encoding="utf-8")
    loaded_stories = {s["id"]: set(s["members"]) for s in report["stories"]}
    with Store(tmp_path / "loaded.db") as store:
        Engine(Options(), store).ingest([str(later), str(REPO / "examples" / "other-news.jsonl")])
        after = {s["id"]: set(s["members"]) for s in store.stories()}
        memberships = store.memberships()
        new_ids = set(store.article_ids()) - set(story_of)
    assert new_ids == {"wire-again", "cyclisme-tour-orbelle"} and set(memberships) >= new_ids
    for story, members in loaded_stories.items():  # no loaded story lost a member or changed its id
        assert members <= after[story]
    assert memberships["wire-again"] == story_of[next(iter(seeds))]
    started = [s for s in after if s not in loaded_stories]
    assert after[memberships["cyclisme-tour-orbelle"]] == {"cyclisme-tour-orbelle"}
    assert started == [memberships["cyclisme-tour-orbelle"]]
    assert int(started[0][1:]) > max(int(s[1:]) for s in loaded_stories)


class _Killed(BaseException):
    """Stands for the process being killed: nothing in the run may catch it."""


def test_a_run_killed_while_stitching_reads_its_segments_back(spark, tmp_path, monkeypatch, capsys):
    """The segments' stories are saved with the stages before them; the rerun (the same command)
    stitches them without clustering again, and gives the uninterrupted run's stories."""
    from recoupe.cli import main
    import recoupe.spark.engine as engine
    from recoupe.spark import SparkEngine, layout

    inputs = [str(SEEDS), str(RPM2)]
    options = Options.load(None, analyse={"spacy_model": ""},
                           spark={"story_segment_articles": 80, "story_warmup_articles": 40})
    whole = SparkEngine(spark, options).run(inputs, str(tmp_path / "whole"))

    def killed(*args, **kwargs):
        raise _Killed()

    out = tmp_path / "out"
    monkeypatch.setattr(engine, "stitch", killed)
    with pytest.raises(_Killed):
        SparkEngine(spark, options, checkpoint_seconds=0.0).run(inputs, str(out))
    assert (out / "_checkpoint" / "stages-segments.json").is_file()
    monkeypatch.undo()

    config = tmp_path / "recoupe.toml"
    config.write_text('[analyse]\nspacy_model = ""\n[spark]\nstory_segment_articles = 80\nstory_warmup_articles = 40\n',
                      encoding="utf-8")
    main(["run", *inputs, "--engine", "spark", "--out", str(out), "--config", str(config)])
    told = capsys.readouterr().err
    assert "clustered in 3 segments" in told and f"stages before the story pass read from {out}/_checkpoint" in told
    resumed = layout.read_summary(out)
    assert whole.story_segments == resumed["story_segments"] == 3
    assert resumed["stages_resumed"] and "story segments" not in resumed["seconds"]
    assert "story segments" in whole.seconds

    def stories(folder):
        return sorted((s["id"], s["title"], tuple(s["members"])) for s in layout.read_lines(folder, layout.STORIES))

    assert stories(out) == stories(tmp_path / "whole")
    assert resumed["stories"] == whole.stories > 20
    assert not (out / "_checkpoint").exists()


def test_each_segment_is_clustered_from_a_fresh_state_after_its_warmup():
    """cluster_segments without Spark: two segments of the same three articles in one partition;
    the second reads the first's last article as warm-up and starts nothing from the first's state."""
    from recoupe.features import FeatureExtractor
    from recoupe.article import Article
    from recoupe.spark.records import pack
    from recoupe.spark.segments import cluster_segments
    from recoupe.stories import StoryStep

    texts = ["Le pont de Valmorin s'est effondré mardi matin, faisant trois blessés légers.",
             "Effondrement du pont de Valmorin mardi : trois blessés légers selon la préfecture.",
             "Le Tour de France cycliste arrive à Paris dimanche après trois semaines de course."]
    extractor = FeatureExtractor()
    terms = [pack(extractor.terms(Article(id=f"a{i}", source="t", title=None, text=t)).to_state())
             for i, t in enumerate(texts)]

    def row(position, segment):
        return (segment, position), (10 + position, f"a{position}", terms[position % 3], None, f"T{position}", None)

    rows = [row(0, 0), row(1, 0), row(2, 0), row(2, 1), row(3, 1), row(4, 1), row(5, 1)]
    out = list(cluster_segments(iter(rows), StoryStep(), 3))
    assert [(r[0], r[1], r[6]) for r in out] == [(0, 0, True), (0, 1, True), (0, 2, True), (1, 2, False),
                                                 (1, 3, True), (1, 4, True), (1, 5, True)]
    story = {(r[0], r[1]): r[4] for r in out}
    assert story[(0, 0)] == story[(0, 1)] != story[(0, 2)]  # the bridge articles together, the race apart
    assert story[(1, 3)] == story[(1, 4)] != story[(1, 2)]
    assert story[(1, 2)] == "s1", "segment 1 numbers its stories from its own first article"
    assert story[(1, 5)] == story[(1, 2)], "the race article joins the race story its warm-up started"
    assert all(r[10] is not None for r in out if r[6]) and all(r[10] is None for r in out if not r[6])

    # term counts that cannot be read fail their own article only, recorded as the ordered pass records them
    broken = [(0, 0), (10, "a0", b"not deflated", None, "T0", None)]
    out = list(cluster_segments(iter([broken, row(1, 0), row(2, 0)]), StoryStep(), 3))
    assert out[0][4] is None and out[0][8] == "stories" and out[0][10] is None
    assert out[1][4] is not None and out[1][8] is None
