"""Real French articles (rpm2-dev): cleaning must leave real prose alone."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from recoupe.article import Article
from recoupe.clean import CleanOptions, clean_article

RPM2 = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "rpm2-dev"


@pytest.fixture(scope="module")
def cleaned() -> list[Article]:
    paths = sorted(RPM2.glob("*.txt"))
    assert len(paths) == 200
    articles = []
    for path in paths:
        raw = path.read_bytes()
        article = Article(id=path.stem, source=str(path), raw=raw, input_text=raw.decode("utf-8"), format="text")
        articles.append(clean_article(article, CleanOptions()))
    return articles


def test_little_body_text_is_removed(cleaned):
    """Over all 200 articles, under 1% of the body (title aside) leaves the text; measured 0.25%."""
    body = removed = 0
    for article in cleaned:
        title_chars = sum(len(r.text) for r in article.removed if r.kind == "title")
        body += len(article.input_text.strip("\ufeff \r\n")) - title_chars
        removed += sum(len(r.text) for r in article.removed if r.kind != "title")
    assert removed / body < 0.01
    # and apart from paragraphs printed twice, no article loses a tenth of its body
    for article in cleaned:
        lost = sum(len(r.text) for r in article.removed if r.kind not in ("title", "repeat"))
        assert lost < 0.1 * len(article.input_text), article.id


def test_first_line_is_the_title(cleaned):
    for article in cleaned:
        first = article.input_text.lstrip("\ufeff \r\n").splitlines()[0].strip().strip("\ufeff").strip()
        assert article.title == first, article.id
        assert article.paragraphs[0] != first


def test_byte_order_mark_and_crlf_do_not_reach_the_text(cleaned):
    for article in cleaned:
        assert "\r" not in article.text and "\ufeff" not in article.text, article.id
        for removal in article.removed:
            assert article.input_text[removal.position : removal.position + len(removal.text)] == removal.text


def test_wire_datelines_are_read(cleaned):
    by_id = {a.id: a for a in cleaned}
    # "VILLACOUBLAY, Yvelines (Reuters) - " on a line of its own
    datelined = [a for a in cleaned if any(r.kind == "dateline" for r in a.removed)]
    assert len(datelined) >= 4
    for article in datelined:
        assert article.dateline and article.dateline[0].isupper() and not article.dateline.isupper()
        assert article.agency in {"AFP", "Reuters", "AP"}
    kinds = Counter(r.kind for a in cleaned for r in a.removed)
    assert kinds["furniture"] <= 5
    assert any(a.agency == "Reuters" and a.dateline == "Paris" for a in by_id.values())


def test_agency_mentions_in_prose_stay(cleaned):
    mentioned = [a for a in cleaned if "AFP" in a.meta.get("agency_mentions", [])]
    assert len(mentioned) >= 10
    for article in mentioned:
        assert "AFP" in article.text or "France-Presse" in article.text or "France Presse" in article.text
