"""The engine with real reading and cleaning and small stand-in steps: what is stored, processed, re-run."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from recoupe.config import Options
from recoupe.engine import Engine
from recoupe.pipeline import CleanStep, Pipeline, default_steps, optional
from recoupe.report.json import build_report, dumps, write_report
from recoupe.store import Store

BODY = (
    "Le pont de la rivière a cédé mardi soir sous le poids d'un camion, selon les pompiers de la ville.\n\n"
    "Personne n'a été blessé, mais la circulation est coupée pour plusieurs semaines au moins."
)


class FirstWordStories:
    """Groups articles by the first word of their text through the context; counts what it saw."""

    name = "group"

    def __init__(self) -> None:
        self.processed: list[str] = []
        self.replayed: list[str] = []

    def process(self, article, ctx):
        self.processed.append(article.id)
        word = article.text.split()[0].lower() if article.text.split() else "vide"
        if "boom" in article.text:
            raise ValueError("cannot group this one")
        ctx.assign_story(article.id, f"s-{word}", title=article.title)
        article.add_signal("grouped")
        return article

    def replay(self, article, ctx):
        assert ctx.assign_story(article.id, "elsewhere") is False  # replay never writes
        self.replayed.append(article.id)


class LabelStories:
    """Groups like the stories module does: sets `article.story`, merges the first two stories on "fusion"."""

    name = "label"

    def __init__(self) -> None:
        self.story: dict[str, str] = {}

    def process(self, article, ctx):
        label = f"s{len(set(self.story.values())) + 1}"
        if "fusion" in article.text:
            label = "s1"
            for key, value in self.story.items():
                if value == "s2":
                    self.story[key] = "s1"
        self.story[article.id] = label
        article.story = label
        return article

    def story_of(self, article_id):
        return self.story.get(article_id)

    def stories(self):
        groups: dict[str, list[str]] = {}
        for key, value in self.story.items():
            groups.setdefault(value, []).append(key)
        return [{"id": s, "title": f"story {s}", "members": m, "topic": "t1"} for s, m in groups.items()]


class CountMembers:
    name = "count"

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str]]] = []

    def process(self, story_id, articles, ctx):
        self.calls.append((story_id, [a.id for a in articles]))
        assert all(a.story == story_id for a in articles)
        return {"size": len(articles), "article_signals": {articles[0].id: ["first-of-story"]}}


class ReadsEarlierResult:
    name = "reader"

    def process(self, story_id, articles, ctx):
        earlier = ctx.story(story_id)
        if earlier["size"] > 2:
            raise RuntimeError("too big for this step")
        return {"seen_size": earlier["size"], "members_seen": earlier["members"]}


def write(folder: Path, name: str, text: str | bytes) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def pipeline(online=None, story=None) -> Pipeline:
    return Pipeline(prepare=[CleanStep(Options())], online=online or [], story=story or [])


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "r.db") as opened:
        yield opened


def test_same_bytes_twice_make_one_article(tmp_path, store):
    folder = tmp_path / "in"
    write(folder, "a.txt", BODY)
    write(folder, "copy-of-a.txt", BODY)
    first = Engine(Options(), store, pipeline()).ingest([str(folder)])
    assert (first.stored, first.skipped) == (1, 1)
    again = Engine(Options(), store, pipeline()).ingest([str(folder)])
    assert (again.stored, again.skipped) == (0, 2)
    assert store.article_ids() == ["a"]
    assert store.raw("a") == BODY.encode("utf-8")


def test_same_text_from_two_sources_is_stored_twice_and_recorded(tmp_path, store):
    write(tmp_path, "wire.txt", BODY)
    write(tmp_path, "reprint.txt", "\n\n" + BODY + "\n")  # other bytes, same cleaned text
    summary = Engine(Options(), store, pipeline()).ingest([str(tmp_path / "wire.txt"), str(tmp_path / "reprint.txt")])
    assert summary.stored == 2 and summary.duplicates == 1
    report = build_report(store)
    assert report["duplicates"] == [{"article": "reprint", "duplicate_of": "wire"}]
    signals = {a["id"]: a["signals"] for a in report["articles"]}
    assert "exact-duplicate" in signals["reprint"] and "exact-duplicate" not in signals["wire"]


def test_an_id_taken_by_an_earlier_run_gets_a_suffix(tmp_path, store):
    one = write(tmp_path / "one", "x.txt", BODY)
    two = write(tmp_path / "two", "x.txt", BODY.replace("mardi", "mercredi"))
    Engine(Options(), store, pipeline()).ingest([str(one)])
    Engine(Options(), store, pipeline()).ingest([str(two)])
    ids = [a.id for a in store.iter_articles()]
    assert ids[0] == "x" and ids[1].startswith("x~") and len(ids[1]) == len("x~") + 8
    assert store.raw(ids[1]) == two.read_bytes() and store.raw("x") == one.read_bytes()


def test_input_errors_are_recorded_and_the_others_stored(tmp_path, store):
    good = write(tmp_path, "good.txt", BODY)
    summary = Engine(Options(), store, pipeline()).ingest([str(tmp_path / "missing.txt"), str(good)])
    assert [e.source for e in summary.input_errors] == [str(tmp_path / "missing.txt")]
    assert not summary.ok
    assert store.article_ids() == ["good"]
    assert build_report(store)["run"]["input_errors"][0]["source"] == str(tmp_path / "missing.txt")


def test_online_step_processes_each_article_once_and_replays_earlier_ones(tmp_path, store):
    write(tmp_path / "a", "1.txt", "Alpha " + BODY)
    write(tmp_path / "a", "2.txt", "Beta " + BODY)
    step = FirstWordStories()
    Engine(Options(), store, pipeline([step])).ingest([str(tmp_path / "a")])
    assert step.processed == ["1", "2"] and step.replayed == []

    write(tmp_path / "b", "3.txt", "Alpha encore. " + BODY)
    later = FirstWordStories()
    Engine(Options(), store, pipeline([later])).ingest([str(tmp_path / "a"), str(tmp_path / "b")])
    assert later.replayed == ["1", "2"] and later.processed == ["3"]
    assert store.story_members("s-alpha") == ["1", "3"]
    assert "grouped" in store.get_article("3").signals

    idle = FirstWordStories()
    Engine(Options(), store, pipeline([idle])).ingest([str(tmp_path / "a")])
    assert idle.processed == [] and idle.replayed == []  # nothing new: no replay either


def test_a_step_that_restores_its_own_state_is_replayed_only_what_it_lacks(tmp_path, store):
    """`restore(ctx, processed)` returns the processed ids the step still needs; only those are read back."""

    class Restoring(FirstWordStories):
        def __init__(self, knows):
            super().__init__()
            self.knows, self.asked = knows, None

        def restore(self, ctx, processed):
            self.asked = list(processed)
            return [article_id for article_id in processed if article_id not in self.knows]

    for name, word in (("1.txt", "Alpha "), ("2.txt", "Beta "), ("3.txt", "Gamma ")):
        write(tmp_path / "a", name, word + BODY)
    Engine(Options(), store, pipeline([FirstWordStories()])).ingest([str(tmp_path / "a")])
    write(tmp_path / "b", "4.txt", "Alpha encore. " + BODY)
    later = Restoring(knows={"1", "3"})
    Engine(Options(), store, pipeline([later])).ingest([str(tmp_path / "a"), str(tmp_path / "b")])
    assert later.asked == ["1", "2", "3"] and later.replayed == ["2"] and later.processed == ["4"]
    write(tmp_path / "c", "5.txt", "Beta encore. " + BODY)
    complete = Restoring(knows={"1", "2", "3", "4"})
    Engine(Options(), store, pipeline([complete])).ingest([str(tmp_path / "c")])
    assert complete.replayed == [] and complete.processed == ["5"]


def test_a_step_failing_on_one_article_is_recorded_and_the_run_goes_on(tmp_path, store):
    write(tmp_path, "1.txt", "Alpha " + BODY)
    write(tmp_path, "2.txt", "Alpha boom " + BODY)
    write(tmp_path, "3.txt", "Gamma " + BODY)
    step = FirstWordStories()
    summary = Engine(Options(), store, pipeline([step])).ingest([str(tmp_path)])
    assert [(f.step, f.article) for f in summary.step_failures] == [("group", "2")]
    assert "ValueError: cannot group this one" in summary.step_failures[0].problem
    assert store.memberships() == {"1": "s-alpha", "3": "s-gamma"}
    assert "grouped" not in store.get_article("2").signals  # its changes were rolled back
    report = build_report(store)
    assert report["run"]["step_failures"] == [
        {"step": "group", "problem": summary.step_failures[0].problem, "article": "2"}]
    rerun = FirstWordStories()
    Engine(Options(), store, pipeline([rerun])).ingest([str(tmp_path)])
    assert rerun.processed == []


def test_story_steps_run_on_changed_stories_only(tmp_path, store):
    write(tmp_path / "a", "1.txt", "Alpha " + BODY)
    write(tmp_path / "a", "2.txt", "Beta " + BODY)
    count = CountMembers()
    steps = pipeline([FirstWordStories()], [count, ReadsEarlierResult()])
    Engine(Options(), store, steps).ingest([str(tmp_path / "a")])
    assert sorted(count.calls) == [("s-alpha", ["1"]), ("s-beta", ["2"])]

    write(tmp_path / "b", "3.txt", "Alpha encore. " + BODY)
    count = CountMembers()
    Engine(Options(), store, pipeline([FirstWordStories()], [count, ReadsEarlierResult()])).ingest(
        [str(tmp_path / "b")])
    assert count.calls == [("s-alpha", ["1", "3"])]

    report = build_report(store)
    stories = {s["id"]: s for s in report["stories"]}
    assert [s["id"] for s in report["stories"]] == ["s-alpha", "s-beta"]  # by first member
    assert stories["s-alpha"] == {"id": "s-alpha", "title": stories["s-alpha"]["title"], "members": ["1", "3"],
                                  "size": 2, "members_seen": ["1", "3"], "seen_size": 2}
    assert "article_signals" not in stories["s-alpha"]
    articles = {a["id"]: a for a in report["articles"]}
    assert "first-of-story" in articles["1"]["signals"] and "first-of-story" not in articles["3"]["signals"]
    assert articles["3"]["story"] == "s-alpha"


def test_a_failing_story_step_keeps_the_others_and_is_tried_again(tmp_path, store):
    for name, word in (("1", "Alpha"), ("2", "Alpha"), ("3", "Alpha")):
        write(tmp_path, f"{name}.txt", f"{word} {name} " + BODY)
    summary = Engine(Options(), store, pipeline([FirstWordStories()], [CountMembers(), ReadsEarlierResult()])).ingest(
        [str(tmp_path)])
    assert [(f.step, f.story) for f in summary.step_failures] == [("reader", "s-alpha")]
    assert store.story_results("s-alpha") == {"count": {"size": 3, "article_signals": {"1": ["first-of-story"]}}}
    count = CountMembers()
    Engine(Options(), store, pipeline([FirstWordStories()], [count, ReadsEarlierResult()])).ingest([str(tmp_path)])
    assert count.calls == [("s-alpha", ["1", "2", "3"])]  # lacks a result: computed again


def test_memberships_follow_a_grouping_step_that_merges(tmp_path, store):
    write(tmp_path, "1.txt", "Alpha " + BODY)
    write(tmp_path, "2.txt", "Beta " + BODY)
    write(tmp_path, "3.txt", "Gamma fusion " + BODY)
    count = CountMembers()
    Engine(Options(), store, pipeline([LabelStories()], [count])).ingest([str(tmp_path)])
    assert store.memberships() == {"1": "s1", "2": "s1", "3": "s1"}
    assert count.calls == [("s1", ["1", "2", "3"])]
    report = build_report(store)
    assert report["stories"] == [{"id": "s1", "title": "story s1", "members": ["1", "2", "3"], "size": 3,
                                  "topic": "t1"}]


def test_report_is_built_from_the_store_in_reading_order_and_written_atomically(tmp_path, store):
    for name in ("b", "a", "c"):
        write(tmp_path / "in", f"{name}.txt", f"{name.upper()}lpha " + BODY)
    Engine(Options(), store, pipeline([FirstWordStories()], [CountMembers()])).ingest(
        [str(tmp_path / "in" / f"{n}.txt") for n in ("c", "a", "b")])
    report = build_report(store)
    assert [a["id"] for a in report["articles"]] == ["c", "a", "b"]
    for entry in report["articles"]:
        for field in ("id", "source", "raw_sha256", "title", "text", "language", "published", "byline", "agency",
                      "dateline", "embedded_posts", "removed", "repeat_ratio", "signals", "story"):
            assert field in entry
    with Store(tmp_path / "r.db") as other:
        assert dumps(build_report(other)) == dumps(report)
    path = write_report(report, tmp_path / "out")
    assert json.loads(path.read_text(encoding="utf-8")) == report
    assert [p.name for p in (tmp_path / "out").iterdir()] == ["report.json"]
    assert "run" in report and report["run"]["articles"] == 3


def test_input_text_of_one_article_on_request(tmp_path, store):
    write(tmp_path, "a.txt", "Accueil\n\n" + BODY)
    Engine(Options(), store, pipeline()).ingest([str(tmp_path / "a.txt")])
    assert "input_text" not in build_report(store)["articles"][0]
    assert build_report(store, with_input_text="a")["articles"][0]["input_text"].startswith("Accueil")


def test_default_steps_have_clean_and_analyse_first():
    steps = default_steps(Options())
    assert [s.name for s in steps.prepare] == ["clean", "analyse"]
    assert all(hasattr(s, "process") for s in (*steps.online, *steps.story))
    assert len(set(steps.names)) == len(steps.names)


def test_optional_stage_missing_is_skipped_but_a_broken_one_is_an_error(tmp_path, monkeypatch):
    assert optional("recoupe.not_written_yet", "Step") is None
    assert optional("recoupe.article", "NoSuchStep") is None
    write(tmp_path, "broken_stage_module.py", "import a_dependency_that_is_not_installed\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        optional("broken_stage_module", "Step")
    sys.modules.pop("broken_stage_module", None)
