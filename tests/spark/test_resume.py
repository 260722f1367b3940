"""A Spark run killed during its story pass resumes there when run again, with the uninterrupted answer."""

from __future__ import annotations

import pytest

import recoupe.spark.checkpoint as checkpoint
import recoupe.spark.storypass as storypass
from recoupe.cli import main
from recoupe.config import Options
from recoupe.spark import SparkEngine, layout
from spark_helpers import RPM2, SEEDS, lines

INPUTS = [str(SEEDS), str(RPM2)]
OPTIONS = Options.load(None, analyse={"spacy_model": ""})  # the story pass is the same; the run much quicker
KILLED_AFTER = 120  # articles clustered before the kill


class _Killed(BaseException):
    """Stands for the process being killed: nothing in the run may catch it."""


def _kill_story_pass_after(monkeypatch, articles: int) -> None:
    """The pass dies on the article after `articles`, having checkpointed after each one before it."""
    monkeypatch.setattr(checkpoint, "_MAX_SHARE", float("inf"))  # with checkpoint_seconds=0: every article
    real = storypass.TermCounts
    seen = {"articles": 0}

    class Dying:
        @staticmethod
        def from_state(state):
            seen["articles"] += 1
            if seen["articles"] > articles:
                raise _Killed()
            return real.from_state(state)

    monkeypatch.setattr(storypass, "TermCounts", Dying)


def _stories(out) -> list:
    return sorted((s["id"], s["title"], tuple(s["members"])) for s in lines(out, "stories"))


def _story_of(out) -> dict:
    return {a["state"]["id"]: a["state"].get("story") for a in lines(out, "articles")}


@pytest.fixture(scope="module")
def uninterrupted(spark, tmp_path_factory):
    out = tmp_path_factory.mktemp("whole")
    summary = SparkEngine(spark, OPTIONS).run(INPUTS, str(out))
    return out, summary


def test_a_run_killed_in_its_story_pass_resumes_there_with_the_same_stories(spark, tmp_path, monkeypatch, capsys,
                                                                             uninterrupted):
    whole, whole_summary = uninterrupted
    out = tmp_path / "out"
    _kill_story_pass_after(monkeypatch, KILLED_AFTER)
    with pytest.raises(_Killed):
        SparkEngine(spark, OPTIONS, checkpoint_seconds=0.0).run(INPUTS, str(out))
    assert (out / "_checkpoint").is_dir() and not (out / "summary").exists()
    for level in ("prepared", "matched"):
        assert (out / "_checkpoint" / f"stages-{level}.json").is_file(), "a checkpointed pass saves the stages before it"
    monkeypatch.undo()

    config = tmp_path / "recoupe.toml"
    config.write_text('[analyse]\nspacy_model = ""\n', encoding="utf-8")
    code = main(["run", *INPUTS, "--engine", "spark", "--out", str(out), "--config", str(config)])
    assert code == (0 if whole_summary.ok else 1)  # the seeds' expected.json is no article: a failure either way
    told = capsys.readouterr().err
    assert f"story pass resumed at article {KILLED_AFTER} from {out}/_checkpoint" in told
    assert f"stages before the story pass read from {out}/_checkpoint" in told
    resumed = layout.read_summary(out)
    assert whole_summary.resumed_at == 0 and not whole_summary.stages_resumed
    assert resumed["resumed_at"] == KILLED_AFTER, "the pass went on after the last article it had checkpointed"
    assert resumed["stages_resumed"], "the stages were computed again"
    assert "preparing" not in resumed["seconds"] and "near-duplicates" not in resumed["seconds"]
    _same_output(out, whole, whole_summary)
    assert not (out / "_checkpoint").exists(), "a finished run leaves nothing to resume"


def _same_output(out, whole, whole_summary) -> None:
    resumed = layout.read_summary(out)
    for count in ("articles", "duplicates", "near_duplicate_pairs", "near_duplicate_groups", "stories", "failures"):
        assert resumed[count] == getattr(whole_summary, count), count
    assert _stories(out) == _stories(whole)
    assert _story_of(out) == _story_of(whole)
    for table in ("near_duplicates", "groups", "errors"):
        assert list(lines(out, table)) == list(lines(whole, table)), table


def test_a_stage_level_saved_only_in_part_is_computed_again(spark, tmp_path, monkeypatch, uninterrupted):
    whole, whole_summary = uninterrupted
    out = tmp_path / "out"
    _kill_story_pass_after(monkeypatch, 60)
    with pytest.raises(_Killed):
        SparkEngine(spark, OPTIONS, checkpoint_seconds=0.0).run(INPUTS, str(out))
    monkeypatch.undo()
    (out / "_checkpoint" / "stages-matched.json").unlink()  # as if killed while writing them: written last
    again = SparkEngine(spark, OPTIONS).run(INPUTS, str(out))
    assert again.stages_resumed and "preparing" not in again.seconds, "the prepared articles were saved whole"
    assert "near-duplicates" in again.seconds
    assert again.resumed_at == 60, "the story pass's own checkpoint does not depend on them"
    _same_output(out, whole, whole_summary)


def test_a_checkpoint_of_other_inputs_is_not_resumed(spark, tmp_path, monkeypatch):
    out = tmp_path / "out"
    _kill_story_pass_after(monkeypatch, 30)
    with pytest.raises(_Killed):
        SparkEngine(spark, OPTIONS, checkpoint_seconds=0.0).run(INPUTS, str(out))
    monkeypatch.undo()
    other = SparkEngine(spark, OPTIONS).run([str(RPM2)], str(out))
    assert other.resumed_at == 0 and not other.stages_resumed and other.articles == 200
    stories = _story_of(out)
    assert len(stories) == 200 and all(stories.values())
    assert not (out / "_checkpoint").exists()


def test_a_run_that_saves_its_stages_holds_no_cache_of_what_it_read(spark, tmp_path, monkeypatch, uninterrupted):
    """Once the prepared articles are saved, the records read (every input's bytes) leave Spark's cache:
    kept to the end, they added to what filled the local disk of a million-article run while it wrote."""
    whole, whole_summary = uninterrupted
    monkeypatch.setattr(checkpoint, "_MAX_SHARE", float("inf"))
    read, at_writing = [], {}
    real_read, real_write = SparkEngine._read, SparkEngine._write

    def reading(self, *args):
        read.append(real_read(self, *args))
        return read[-1]

    def writing(self, *args):
        at_writing["read still cached"] = [frame.storageLevel.useDisk or frame.storageLevel.useMemory
                                           for frame in read]
        return real_write(self, *args)

    monkeypatch.setattr(SparkEngine, "_read", reading)
    monkeypatch.setattr(SparkEngine, "_write", writing)
    out = tmp_path / "out"
    SparkEngine(spark, OPTIONS, checkpoint_seconds=0.0).run(INPUTS, str(out))
    assert len(read) == 1 and at_writing["read still cached"] == [False]
    _same_output(out, whole, whole_summary)
