"""The JSON API and its OpenAPI schema, in process."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from recoupe.web import create_app


@pytest.fixture(scope="module")
def client(seeds_report):
    return TestClient(create_app(source=lambda: seeds_report))


def test_stories_list_has_counts_of_sources_and_voices(client, seeds_report):
    response = client.get("/api/stories")
    assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    stories = response.json()
    assert [s["id"] for s in stories] == ["s1"]
    assert stories[0]["sources"] == 5 and stories[0]["voices"] == 3 and stories[0]["contradiction_count"] == 3
    assert stories[0]["url"] == "/stories/s1"
    assert stories[0]["lead"] == seeds_report["stories"][0]["summary"][0]["sentence"]


def test_story_is_the_report_contract(client, seeds_report):
    story = client.get("/api/stories/s1").json()
    expected = seeds_report["stories"][0]
    assert story["members"] == expected["members"]
    assert story["summary"] == expected["summary"], "extra fields of the summary pass through"
    assert story["facts"][0]["independent_sources"] == expected["facts"][0]["independent_sources"]
    assert {p["article"][:3]: p["role"] for p in story["provenance"]}["003"] == "original"


def test_article_is_the_report_contract(client, seeds_report):
    article = seeds_report["articles"][3]
    got = client.get(f"/api/articles/{article['id']}").json()
    assert got["id"] == article["id"] and got["text"] == article["text"] and got["raw_sha256"] == article["raw_sha256"]


@pytest.mark.parametrize("path", ["/api/stories/nope", "/api/articles/nope", "/api/articles/%3Cscript%3E"])
def test_unknown_ids_are_404_with_a_message(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["detail"].startswith("no ")


@pytest.mark.parametrize(
    "query, found",
    [
        ("", ["s1"]),
        ("?q=blinken", ["s1"]),
        ("?q=BRUXELLES+otan", ["s1"]),
        ("?q=etats-unis", ["s1"]),  # accents ignored: "États-Unis"
        ("?q=valmorin", []),
        ("?language=fr", ["s1"]),
        ("?language=de", []),
        ("?date_from=2024-11-14", ["s1"]),
        ("?date_from=2024-11-15", []),
        ("?date_to=2024-11-12", []),
    ],
)
def test_stories_filters(client, query, found):
    assert [s["id"] for s in client.get(f"/api/stories{query}").json()] == found


def test_a_bad_date_is_a_clear_422(client):
    response = client.get("/api/stories?date_from=yesterday")
    assert response.status_code == 422
    assert "date_from" in response.text


def test_openapi_schema_documents_the_api(client):
    schema = client.get("/openapi.json").json()
    assert {"/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}"} <= set(schema["paths"])
    assert not any(path.startswith(("/stories", "/articles", "/static")) for path in schema["paths"])
    story = schema["components"]["schemas"]["Story"]["properties"]
    assert {"members", "provenance", "facts", "contradictions", "summary"} <= set(story)
    parameters = {p["name"] for p in schema["paths"]["/api/stories"]["get"]["parameters"]}
    assert parameters == {"q", "language", "source", "signal", "date_from", "date_to", "limit", "offset"}


def test_every_response_carries_the_security_headers(client):
    for path in ["/api/stories", "/api/stories/nope", "/openapi.json"]:
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
