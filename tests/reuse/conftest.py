"""Fixtures of the reuse tests: one analyser per session of these tests, the seeds cleaned and analysed."""

from __future__ import annotations

from pathlib import Path

import pytest

from recoupe.analyse import Analyser, AnalyseOptions
from recoupe.article import Article
from recoupe.clean import clean_article

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
RPM2 = SHARED / "data" / "rpm2-dev"


def read_text_article(path: Path) -> Article:
    raw = path.read_bytes()
    text = raw.decode("utf-8-sig").replace("\r\n", "\n")
    return Article(id=path.stem, source=str(path), raw=raw, input_text=text, format="text")


@pytest.fixture(scope="package")
def analyser() -> Analyser:
    return Analyser(AnalyseOptions(spacy_model="fr_core_news_md"))


@pytest.fixture(scope="package")
def seeds(seed_paths, analyser) -> list[Article]:
    articles = []
    for path in seed_paths:
        article = clean_article(read_text_article(path))
        analyser.analyse(article)
        articles.append(article)
    return articles


@pytest.fixture(scope="package")
def rpm2(analyser) -> dict[str, Article]:
    """Three topics of rpm2-dev (60 articles), cleaned and analysed."""
    articles = {}
    for topic in ("T01", "T07", "T10"):
        for path in sorted(RPM2.glob(f"{topic}_*.txt")):
            article = clean_article(read_text_article(path))
            analyser.analyse(article)
            articles[article.id] = article
    assert len(articles) == 60
    return articles
