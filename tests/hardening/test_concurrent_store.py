"""The web UI reads while `recoupe run` writes the same store: no "database is locked", no half-written story.

A report is read in one snapshot of the store (a WAL read transaction), so it
never mixes two moments of a run; a story whose members changed since its
story steps ran is shown as pending, without results computed for other
members. The end-to-end test runs `recoupe run` on real articles in its own
process while threads read the live app's pages and API as fast as they can.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from hardening_data import RPM2
from recoupe.article import Article
from recoupe.report.json import build_report
from recoupe.store import Store
from store_builder import build_store


def test_a_snapshot_sees_one_commit_whatever_is_written_meanwhile(tmp_path):
    path = tmp_path / "s.db"
    build_store(path, articles=6, per_story=3).close()
    with Store(path, readonly=True) as reader, Store(path) as writer:
        with reader.snapshot():
            before = reader.count_articles()
            with writer.transaction():
                writer.put_article(Article(id="late", source="x", raw=b"late", text="Un texte tardif.", input_text="x"))
                writer.set_story("late", "s1")
            assert reader.count_articles() == before == 6
            assert "late" not in reader.story_members("s1")
        assert reader.count_articles() == 7 and "late" in reader.story_members("s1")


def test_a_story_whose_members_changed_is_pending_without_stale_results(tmp_path):
    with build_store(tmp_path / "s.db", articles=6, per_story=3) as store:
        complete = {s["id"]: s for s in build_report(store)["stories"]}
        assert set(complete["s1"]) >= {"provenance", "summary", "facts"} and "pending" not in complete["s1"]
        store.set_story("a00005", "s1")  # an article moves: both stories change
        stories = {s["id"]: s for s in build_report(store)["stories"]}
        for story_id in ("s1", "s2"):
            assert stories[story_id]["pending"] is True
            assert not {"provenance", "summary", "facts", "alignments"} & set(stories[story_id])
        assert stories["s1"]["members"] == ["a00000", "a00001", "a00002", "a00005"]


def assert_whole(story: dict) -> None:
    """A story as a reader may see it: pending with no results, or results that are about exactly its members."""
    members = set(story["members"])
    if story.get("pending"):
        assert not {"provenance", "alignments", "facts", "summary", "quotes", "contradictions"} & set(story), story["id"]
        return
    if "provenance" in story:
        assert {p["article"] for p in story["provenance"]} == members, story["id"]
        assert {p["derived_from"] for p in story["provenance"] if p.get("derived_from")} <= members
    for pair in story.get("alignments", []):
        assert {pair["a"], pair["b"]} <= members, story["id"]
    for key in ("facts", "summary", "quotes"):
        for entry in story.get(key, []):
            assert set(entry.get("sources", [])) <= members, (story["id"], key)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for pattern in ("T01_C1_0[1-5]", "T01_C2_0[1-5]", "T02_C1_0[1-5]", "T02_C2_0[1-5]"):
        for path in sorted(RPM2.glob(f"{pattern}.txt")):
            shutil.copyfile(path, folder / path.name)
    assert len(list(folder.iterdir())) == 20
    return folder


@pytest.fixture
def live(tmp_path):
    """The web app over a store that does not exist yet, served on a free loopback port."""
    import uvicorn

    from recoupe.web import create_app

    db = tmp_path / "live.db"
    server = uvicorn.Server(uvicorn.Config(create_app(db), host="127.0.0.1", port=0, log_level="warning",
                                           lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(400):
        if server.started:
            break
        time.sleep(0.05)
    assert server.started
    yield db, f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    server.should_exit = True
    thread.join(timeout=10)


def test_the_web_app_reads_while_a_run_writes(corpus, live, tmp_path):
    """Two runs, the second adding articles to the stories of the first (whose results go stale meanwhile),
    while three threads read the pages and the API."""
    db, url = live
    config = tmp_path / "fast.toml"
    config.write_text('[analyse]\nspacy_model = "fr_core_news_sm"\n', encoding="utf-8")
    first = tmp_path / "first"
    first.mkdir()
    for path in sorted(corpus.iterdir()):
        if path.stem.endswith(("_01", "_02")):
            shutil.copyfile(path, first / path.name)
    out = tmp_path / "out"
    writing = threading.Event()
    writing.set()
    seen: dict[str, int] = {}
    problems: list[str] = []
    stories_seen: set[tuple[str, bool]] = set()

    def read_pages() -> None:
        with httpx.Client(base_url=url, timeout=60) as client:
            while writing.is_set():
                try:
                    answers = [client.get("/api/stories")]
                    if answers[0].status_code == 200:
                        for card in answers[0].json()[:4]:
                            story = client.get(f"/api/stories/{card['id']}")
                            answers += [story, client.get(f"/stories/{card['id']}")]
                            if story.status_code == 200:
                                assert_whole(story.json())
                                stories_seen.add((card["id"], bool(story.json().get("pending"))))
                    answers.append(client.get("/"))
                except AssertionError as exc:
                    problems.append(f"half-written story: {exc}")
                    continue
                for answer in answers:
                    key = f"{answer.status_code}"
                    seen[key] = seen.get(key, 0) + 1
                    if "database is locked" in answer.text or answer.status_code >= 500 and answer.status_code != 503:
                        problems.append(f"{answer.status_code} {answer.url}: {answer.text[:300]}")
                    if answer.status_code == 503 and not any(
                            s in answer.text for s in ("no such store", "store schema is version", "cannot open store")):
                        problems.append(f"503 for another reason: {answer.text[:300]}")

    readers = [threading.Thread(target=read_pages) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for inputs in (first, corpus):
            run = subprocess.run([sys.executable, "-m", "recoupe", "run", str(inputs), "--out", str(out), "--db", str(db),
                                  "--config", str(config), "--quiet"], stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=600)
            stderr = run.stderr.decode()
            assert run.returncode == 0, stderr
            assert "locked" not in stderr, "the writer was refused the store"
    finally:
        writing.clear()
        for reader in readers:
            reader.join(timeout=120)
    assert not problems, problems[:5]
    assert seen.get("200", 0) > 50, seen  # the readers really read while the run went on
    assert any(pending for _, pending in stories_seen) and any(not pending for _, pending in stories_seen), \
        "stories were seen both while their members changed and once their steps had run"
    final = httpx.get(f"{url}/api/stories", timeout=60).json()
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert sorted(card["id"] for card in final) == sorted(s["id"] for s in report["stories"])
    for story in report["stories"]:
        assert httpx.get(f"{url}/api/stories/{story['id']}", timeout=60).json()["members"] == story["members"]
