"""The web app on a large store: stories listed a page at a time, pages built once per state of the store,
labels found without comparing every pair of ids (benchmarks/load.py measures the speed)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.report.view import short_labels
from recoupe.store import Store
from recoupe.web import create_app
from store_builder import build_store


def test_stories_come_a_page_at_a_time_with_their_total(tmp_path):
    build_store(tmp_path / "big.db", articles=1500, per_story=3).close()
    client = TestClient(create_app(tmp_path / "big.db"))
    first = client.get("/api/stories")
    assert first.status_code == 200 and len(first.json()) == 100 and first.headers["x-total-count"] == "500"
    pages = [client.get("/api/stories", params={"limit": 200, "offset": offset}).json() for offset in range(0, 500, 200)]
    whole = client.get("/api/stories", params={"limit": 1000}).json()
    assert [card["id"] for page in pages for card in page] == [card["id"] for card in whole]
    assert len({card["id"] for card in whole}) == 500
    assert client.get("/api/stories", params={"offset": 10_000}).json() == []
    assert client.get("/api/stories", params={"limit": 1001}).status_code == 422
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422
    filtered = client.get("/api/stories", params={"q": "Dépêche 1499"})
    assert [card["id"] for card in filtered.json()] == ["s500"] and filtered.headers["x-total-count"] == "1"


def test_pages_follow_the_store_when_it_changes(tmp_path):
    path = tmp_path / "s.db"
    build_store(path, articles=9, per_story=3).close()
    client = TestClient(create_app(path))
    assert "Dépêche 0" in client.get("/stories/s1").text
    assert client.get("/stories/s1").text == client.get("/stories/s1").text
    with Store(path) as store:
        store.set_story_title("s1", "Un titre tout neuf")
    assert "Un titre tout neuf" in client.get("/stories/s1").text
    assert client.get("/api/stories/s1").json()["title"] == "Un titre tout neuf"
    assert any(card["title"] == "Un titre tout neuf" for card in client.get("/api/stories").json())


def _labels_by_every_pair(ids: list[str]) -> dict[str, str]:
    """The definition: the shortest leading part, cut at _ - . or space, that no other id starts with."""
    ids = list(dict.fromkeys(ids))
    labels = {}
    for identifier in ids:
        parts = re.split(r"(?<=.)(?=[_\-. ])", identifier)
        labels[identifier] = next(
            ("".join(parts[:n]) for n in range(1, len(parts) + 1)
             if len("".join(parts[:n])) >= 2
             and not any(o != identifier and o.startswith("".join(parts[:n])) for o in ids)),
            identifier)
    return labels


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(alphabet="ab_-. 0\U0010ffff", max_size=8), max_size=14))
def test_short_labels_keep_their_definition(ids):
    assert short_labels(ids) == _labels_by_every_pair(ids)


def test_short_labels_of_ten_thousand_ids():
    ids = [f"T{n // 1000:02d}_C{n // 100 % 10}_{n:05d}" for n in range(10_000)] + ["T01", "T01_C1_01100-copy"]
    labels = short_labels(ids)
    assert len(set(labels.values())) == len(labels) == len(ids)
    assert labels["T01_C1_01100-copy"] == "T01_C1_01100-copy" and labels["T01_C1_01100"] == "T01_C1_01100"
    assert labels["T00_C0_00000"] == "T00_C0_00000"
