"""Cleaning the five seed articles: what each one shows must be found, and nothing more."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from recoupe.article import Article
from recoupe.clean import CleanOptions, clean_article
from recoupe.config import Options

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"


def fold(text: str) -> str:
    return text.replace("’", "'").replace("«", '"').replace("»", '"').casefold()


def read_seed(prefix: str) -> Article:
    (path,) = sorted(SEEDS.glob(f"{prefix}_*.txt"))
    raw = path.read_bytes()
    return Article(id=path.stem, source=str(path), raw=raw, input_text=raw.decode("utf-8"), format="text")


@pytest.fixture(scope="module")
def options() -> CleanOptions:
    return Options().typed("clean", CleanOptions)


@pytest.fixture(scope="module")
def cleaned(options) -> dict[str, Article]:
    return {prefix: clean_article(read_seed(prefix), options) for prefix in ("000", "001", "002", "003", "004")}


def removed_of(article: Article, kind: str | None = None) -> list[str]:
    return [r.text for r in article.removed if kind is None or r.kind == kind]


def test_001_repeated_blocks_kept_once_in_first_seen_order(cleaned):
    article = cleaned["001"]
    lines = [line.strip() for line in article.input_text.splitlines() if line.strip()]
    assert len(lines) == 62
    distinct = list(dict.fromkeys(lines))
    assert len(distinct) == 20
    assert article.paragraphs == distinct
    repeats = [r for r in article.removed if r.kind == "repeat"]
    assert len(repeats) == 62 - 20
    assert sorted(r.text for r in repeats) == sorted(
        line for i, line in enumerate(lines) if line in lines[:i]
    )
    assert 0.6 <= article.repeat_ratio <= 0.72
    assert "self-repetition" in article.signals


def test_000_breadcrumb_title_copy_and_footer_removed(cleaned):
    article = cleaned["000"]
    title = "Soutien à l’Ukraine : Blinken incite l’Europe à intensifier ses efforts"
    assert article.title == title
    furniture = removed_of(article, "furniture")
    assert any(text.startswith("Matin.info »") for text in furniture)
    assert "Retour en haut" in furniture
    assert title in removed_of(article, "title")
    assert title not in article.text
    assert "Retour en haut" not in article.text
    assert "Matin.info" not in article.text
    # the body's own sub-headings stay
    assert "Une rencontre essentielle au cœur de l’Europe" in article.paragraphs
    assert "Contexte géopolitique tendu" in article.paragraphs
    assert article.repeat_ratio == 0.0 and "self-repetition" not in article.signals


def test_004_furniture_removed_tweet_embedded_subheading_kept(cleaned):
    article = cleaned["004"]
    assert article.title == "Guerre en Ukraine : avant le retour de Trump, l’administration Biden fait pression sur les Européens"
    removed = [fold(t) for t in removed_of(article)]
    for furniture in ("Les nouvelles les plus importantes de la journée", "l'essentiel", "Quitter la version mobile"):
        assert fold(furniture) in removed
        assert fold(furniture) not in [fold(p) for p in article.paragraphs]
    assert removed_of(article, "title").count(article.title) == 2
    assert "« Nous devons faire plus »" in article.paragraphs
    (post,) = article.embedded_posts
    assert post.author == "@SecBlinken"
    assert post.date == "2024-11-13"
    assert post.url == "pic.twitter.com/ZbQwe8FtIl"
    assert "@andrii_sybiha" in post.text
    assert "pic.twitter.com" not in article.text
    assert "@SecBlinken" not in article.text
    assert "@andrii_sybiha" not in article.text
    assert len(removed_of(article, "embed")) == 2
    # the lead stays the first paragraph
    assert article.paragraphs[0].startswith("Le secrétaire d’Etat américain Antony Blinken était hier à Bruxelles")


def test_003_byline_block_moved_to_metadata(cleaned):
    article = cleaned["003"]
    assert article.agency == "AFP"
    assert article.byline == "Léon Bruneau"
    assert article.dateline == "Bruxelles"
    assert article.meta["published_time"] == "21:28"
    assert article.meta["updated_time"] == "21:56"
    assert article.published is None  # a time alone is not a date
    assert "Publié à 21h28" in removed_of(article, "timestamp")
    assert "Mis à jour à 21h56" in removed_of(article, "timestamp")
    assert "Léon BRUNEAU" in removed_of(article, "byline")
    assert "Agence France-Presse" in removed_of(article, "agency")
    assert "(Bruxelles)" in removed_of(article, "dateline")
    for line in ("Publié à", "Mis à jour", "BRUNEAU", "Agence France-Presse", "(Bruxelles)"):
        assert line not in article.text
    assert article.paragraphs[0].startswith("Antony Blinken, dont les jours sont comptés")
    # an agency named in a sentence stays in the sentence, and is noted
    assert "a-t-il déclaré à l’AFP" in article.text
    assert article.meta["agency_mentions"] == ["AFP"]
    # no first line reads as a headline here: the article has no title
    assert article.title is None
    assert len(article.paragraphs) == 24 - 5


def test_002_dateline_cut_from_the_first_paragraph(cleaned):
    article = cleaned["002"]
    assert article.dateline == "Jakarta"
    assert "JAKARTA -" in removed_of(article, "dateline")
    assert article.paragraphs[0].startswith("Le secrétaire d’État américain Antony Blinken se rend à Bruxelles")
    assert "JAKARTA" not in article.text
    assert article.title.startswith("Le secrétaire d’État américain s’est envolé pour Bruxelles")
    assert article.agency is None


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_every_removal_is_found_at_its_position(cleaned, prefix):
    article = cleaned[prefix]
    assert article.removed, "every seed has something to remove"
    for removal in article.removed:
        assert article.input_text[removal.position : removal.position + len(removal.text)] == removal.text
    positions = [r.position for r in article.removed]
    assert positions == sorted(positions)


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_nothing_is_lost(cleaned, prefix):
    """Every non-blank character of the input is either in the text, in a removal or in the title."""
    article = cleaned[prefix]
    covered = [False] * len(article.input_text)
    for removal in article.removed:
        for i in range(removal.position, removal.position + len(removal.text)):
            covered[i] = True
    kept_words = set(article.text.split())
    for token in re.finditer(r"\S+", article.input_text):
        if not all(covered[token.start() : token.end()]):
            assert token.group() in kept_words, (prefix, token.start(), token.group())


@pytest.mark.parametrize("prefix", ["000", "001", "002", "003", "004"])
def test_cleaning_twice_removes_nothing_more(cleaned, options, prefix):
    first = cleaned[prefix]
    again = Article(id=first.id, source=first.source, input_text=first.text, title=first.title, format="text")
    clean_article(again, options)
    assert again.removed == []
    assert again.text == first.text
    assert again.repeat_ratio == 0.0


def test_paragraphs_are_separated_by_one_blank_line(cleaned):
    for article in cleaned.values():
        assert "\n\n\n" not in article.text
        assert article.text == article.text.strip()
        assert all(p == p.strip() and "\n" not in p for p in article.text.split("\n\n"))
