"""The web pages, in process: the same story page as the static report, search, filters, and escaping."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from report_pages import assert_inert, parse
from recoupe.web import create_app


@pytest.fixture(scope="module")
def client(seeds_report):
    return TestClient(create_app(source=lambda: seeds_report))


def test_index_lists_stories_and_articles_with_filter_menus(client, seeds_report):
    response = client.get("/")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    root = parse(response.text)
    assert [a.attrs["href"] for a in root.by_id("stories").find_all("a", "title")] == ["/stories/s1"]
    assert len(root.by_id("articles").find_all("tr")) == 1 + len(seeds_report["articles"])
    menus = {s.attrs["name"]: [o.attrs["value"] for o in s.find_all("option")] for s in root.find_all("select")}
    assert menus["language"] == ["", "fr"]
    assert set(menus) == {"language", "source", "signal"}


def test_search_narrows_stories_and_articles(client):
    root = parse(client.get("/?q=JAKARTA").text)
    assert len(root.by_id("stories").find_all("a", "title")) == 1
    articles = [a.all_text for a in root.by_id("articles").find_all("a", "cite")]
    assert articles == ["002"]
    root = parse(client.get("/?q=nothing+like+this").text)
    assert "No story matches these filters" in root.by_id("stories").all_text


def test_story_page_has_summary_facts_contradictions_and_graph(client, seeds_report):
    response = client.get("/stories/s1")
    assert response.status_code == 200
    root = parse(response.text)
    story = seeds_report["stories"][0]
    assert len(root.by_id("summary").find_all("li")) == len(story["summary"])
    assert len(root.by_id("facts").find_all("tbody")[0].find_all("tr")) == len(story["facts"])
    assert len(root.by_id("contradictions").find_all("div", "contradiction")) == len(story["contradictions"])
    assert root.by_id("provenance").find_all("svg")
    cites = {a.attrs["href"] for a in root.by_id("summary").find_all("a", "cite")}
    assert cites and all(href.startswith("/articles/") for href in cites)
    for href in cites:
        assert client.get(href).status_code == 200
    assert client.get("/stories/s1/graph.svg").headers["content-type"].startswith("image/svg+xml")


def test_article_page_and_side_by_side(client, seeds_report):
    alignment = next(a for a in seeds_report["stories"][0]["alignments"] if a["pairs"])
    root = parse(client.get(f"/articles/{alignment['a']}").text)
    compare_links = [a.attrs["href"] for a in root.by_id("compare").find_all("a")]
    assert f"/articles/{alignment['a']}?compare={alignment['b']}" in compare_links
    side = parse(client.get(compare_links[0]).text)
    assert len(side.by_id("text-a").find_all("mark", "aligned")) == len(alignment["pairs"])
    assert side.by_id("text-b").find_all("mark", "aligned")


def test_the_style_sheet_is_served_from_the_app(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/css")
    root = parse(client.get("/stories/s1").text)
    assert [e.attrs["href"] for e in root.find_all("link")] == ["/static/style.css", "/static/favicon.svg"]
    assert client.get("/static/favicon.svg").headers["content-type"].startswith("image/svg+xml")
    assert client.get("/static/..%2Fhtml.py").status_code == 404
    targets = [e.attrs.get(k, "") for e in root.find_all() for k in ("href", "src")]
    assert not [t for t in targets if t.startswith(("http:", "https:", "//"))], "nothing loads from elsewhere"


@pytest.mark.parametrize("path", ["/stories/nope", "/articles/nope", "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E"])
def test_unknown_pages_are_404_pages(client, path):
    response = client.get(path)
    assert response.status_code == 404 and response.headers["content-type"].startswith("text/html")
    assert "<script>" not in response.text
    assert_inert(response.text)


def test_pages_carry_a_strict_content_security_policy(client):
    headers = client.get("/stories/s1").headers
    policy = headers["content-security-policy"]
    assert "default-src 'self'" in policy and "script-src 'none'" in policy and "'unsafe-inline'" not in policy
    assert headers["x-content-type-options"] == "nosniff"


def test_hostile_articles_are_escaped_on_every_page(hostile):
    client = TestClient(create_app(source=lambda: hostile))
    story_id = hostile["stories"][0]["id"]
    a, b = (x["id"] for x in hostile["articles"])
    pages = [
        client.get("/"),
        client.get("/", params={"q": "<script>alert(1)</script>"}),
        client.get(f"/stories/{story_id}", follow_redirects=False),
        client.get(f"/articles/{a}"),
        client.get(f"/articles/{b}"),
        client.get(f"/articles/{b}", params={"compare": a}),
        client.get("/", params={"source": '"><img src=x onerror=alert(1)>'}),
    ]
    for response in pages:
        assert response.status_code == 200, response.url
        assert_inert(response.text)
        assert "<script>alert" not in response.text and "<img src=x" not in response.text
    story = parse(pages[2].text)
    assert "<script>alert('x')</script>" in story.by_id("summary").all_text
    api = client.get(f"/api/articles/{a}").json()
    assert api["title"] == hostile["articles"][0]["title"], "the API returns the text as it is, as JSON"


def _many_stories(stories: int, per_story: int) -> dict:
    articles, entries = [], []
    for s in range(stories):
        members = [f"s{s:03d}-a{k}" for k in range(per_story)]
        entries.append({"id": f"s{s:03d}", "title": f"Histoire numéro {s:03d}", "members": members})
        articles += [{"id": m, "title": f"Article {m}", "text": f"Texte de l'article {m}.", "language": "fr",
                      "story": f"s{s:03d}"} for m in members]
    return {"articles": articles, "stories": entries}


def test_index_is_paged_and_links_keep_the_filters():
    client = TestClient(create_app(source=lambda: _many_stories(120, 2)))
    first = client.get("/")
    assert first.status_code == 200
    assert "<strong>120</strong> stories from <strong>240</strong> articles" in first.text
    assert "page 1 of 3" in first.text and 'rel="next" href="/?page=2"' in first.text
    pages = [first.text, client.get("/?page=2").text, client.get("/?page=3").text]
    titles = [re.findall(r'class="title" href="[^"]*">(Histoire numéro \d+)<', text) for text in pages]
    assert [len(t) for t in titles] == [50, 50, 20]
    assert len(set().union(*titles)) == 120, "every story on exactly one page"
    assert [text.count("<tr><td>") for text in pages] == [100, 100, 40]
    assert 'rel="prev" href="/?page=2"' in pages[2] and 'rel="next"' not in pages[2]
    assert "page 3 of 3" in client.get("/?page=99").text, "past the end: the last page"
    assert client.get("/?page=0").status_code == 422
    filtered = client.get("/?q=numero+11&page=1")
    shown = re.findall(r'class="title" href="[^"]*">(Histoire numéro \d+)<', filtered.text)
    assert 0 < len(shown) < 50 and f"<strong>{len(shown)}</strong> stories" in filtered.text
    assert "page 1 of" not in filtered.text, "one page: no pager"
    wide = client.get("/?language=fr")
    assert 'href="/?language=fr&amp;page=2"' in wide.text
