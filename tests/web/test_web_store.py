"""The app over a real store: what `recoupe run` wrote on the seeds is what the pages and the API show."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from report_pages import assert_inert, parse
from recoupe.web import create_app


@pytest.fixture(scope="module")
def client(seed_run):
    _, db, _, _ = seed_run
    return TestClient(create_app(db))


def test_api_gives_the_report_of_the_store(client, seed_run):
    _, _, report, story_id = seed_run
    listed = client.get("/api/stories").json()
    assert [s["id"] for s in listed] == [s["id"] for s in sorted(report["stories"], key=lambda s: -len(s["members"]))][: len(listed)]
    story = client.get(f"/api/stories/{story_id}").json()
    expected = next(s for s in report["stories"] if s["id"] == story_id)
    for key in ("members", "provenance", "facts", "contradictions", "summary"):
        assert story.get(key) == expected.get(key), key
    article = report["articles"][0]
    assert client.get(f"/api/articles/{article['id']}").json()["text"] == article["text"]


def test_story_page_matches_the_static_page(client, seed_run):
    out, _, report, story_id = seed_run
    live = parse(client.get(f"/stories/{story_id}").text)
    static = parse((out / "stories" / f"{story_id}.html").read_text(encoding="utf-8"))
    for section in ("summary", "facts", "contradictions"):
        assert live.by_id(section).all_text == static.by_id(section).all_text, section


def test_article_page_shows_the_text_before_cleaning_with_removals_struck(client, seed_run):
    _, _, report, _ = seed_run
    article = max(report["articles"], key=lambda a: len(a["removed"]))
    assert article["removed"], "cleaning removed something from the seeds"
    root = parse(client.get(f"/articles/{article['id']}").text)
    struck = root.by_id("removed").find_all("div", "removed-text")
    assert struck, "the text before cleaning is offered"
    marked = [d.all_text for d in struck[0].find_all("del", "removed")]
    assert len(marked) >= 1 and all(m for m in marked)
    assert_inert(client.get(f"/articles/{article['id']}").text)


def test_the_app_sees_a_store_that_changes(tmp_path, seed_run):
    import shutil

    _, db, _, _ = seed_run
    copy = tmp_path / "copy.db"
    shutil.copy(db, copy)
    client = TestClient(create_app(copy))
    before = client.get("/api/stories").json()
    from recoupe.store import Store

    with Store(copy) as store:
        first = before[0]["id"]
        store.set_story_title(first, "Un titre changé")
    after = client.get("/api/stories").json()
    assert next(s for s in after if s["id"] == first)["title"] == "Un titre changé"


def test_the_seeds_summary_meets_its_targets(seed_run):
    """3 to 8 sentences, each quoted from an article that the citations include, none repeating another."""
    import re
    from itertools import combinations

    _, _, report, story_id = seed_run
    story = next(s for s in report["stories"] if s["id"] == story_id)
    texts = {a["id"]: a["text"] for a in report["articles"]}
    summary = story["summary"]
    assert 3 <= len(summary) <= 8
    for item in summary:
        assert item["sources"] and set(item["sources"]) <= set(story["members"])
        assert any(item["sentence"] in texts[s] for s in item["sources"]), "verbatim from a cited article"

    def words(text: str) -> set[str]:
        return {w for w in re.findall(r"\w+", text.lower()) if len(w) > 3}

    for a, b in combinations(summary, 2):
        wa, wb = words(a["sentence"]), words(b["sentence"])
        assert 2 * len(wa & wb) / (len(wa) + len(wb)) < 0.5, (a["sentence"], b["sentence"])
