"""Cleaning, for any text: lossless (kept text + removals give back the input) and idempotent.

The inputs mix real paragraphs of French news (rpm2-dev, the seeds) with
page furniture, credit lines, datelines, embedded posts, arbitrary Unicode
and every kind of line break, then go through the readers' normalisation
(or not). Lossless is checked by rebuilding: the removals, put back at their
offsets, and the kept text must hold every character of the input that is
not blank, in order; removals must not overlap. Idempotent: cleaning the
cleaned text again (with the title found) removes nothing and changes nothing.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hardening_data import real_paragraphs
from recoupe.article import Article
from recoupe.clean import CleanOptions, SiteLines, clean_article
from recoupe.clean.blocks import EDGE_BLANKS
from recoupe.ingest.decode import normalise_text

EXAMPLES = 1500
_BLANKS = re.compile("[" + re.escape(EDGE_BLANKS) + "]+")

FURNITURE = [
    "Retour en haut", "Partager sur Facebook", "Suivez-nous sur Twitter", "Publié à 21h28", "Publié le 13/11/2024 à 21h28",
    "Mis à jour le 14 novembre 2024 à 08h05", "Agence France-Presse", "Léon BRUNEAU", "Par Jean Dupont", "(AFP)",
    "PARIS (AFP) -", "BOGOTA (Reuters) -", "Bruxelles, 13 nov. (Belga) -", "Un titre court", "Menu", "Commentaires",
    "Site.fr » Monde » Europe", "Accueil > International > Un titre", "Texte du message pic.twitter.com/AbCdEf123",
    "— Jean Dupont (@jdupont) 3 mars 2024", "Lire aussi : un autre article sur le même sujet", "© AFP", "Photo : AFP",
    "Temps de lecture : 3 min", "Abonnez-vous à la newsletter", "l’essentiel", "***", "Le dernier mot. (AFP)",
    "Avec AFP", "La rédaction avec AFP", "Jane SMITH, Staff Writer", "« Une citation en intertitre »",
]
BREAKS = ["\n", "\n\n", "\r\n", "\r", " ", "\u2028", "\x0c", "\n\u00a0\n", "\n\ufeff\n", "\t\n"]


def lines() -> st.SearchStrategy[str]:
    pieces = st.one_of(
        st.sampled_from(real_paragraphs()),
        st.sampled_from(FURNITURE),
        st.text(max_size=60),
        st.sampled_from(real_paragraphs()).map(lambda p: p[: len(p) // 2]),
    )
    return st.one_of(pieces, st.tuples(st.sampled_from(FURNITURE), pieces).map(" ".join))


def documents() -> st.SearchStrategy[str]:
    return st.lists(st.tuples(lines(), st.sampled_from(BREAKS)), max_size=18).map(
        lambda parts: "".join(a + b for a, b in parts)
    )


def tokens(text: str) -> list[str]:
    return [t for t in _BLANKS.split(text) if t]


def assert_lossless(article: Article) -> None:
    source = article.input_text
    left = list(source)
    for removal in article.removed:
        end = removal.position + len(removal.text)
        assert source[removal.position:end] == removal.text, removal
        for index in range(removal.position, end):
            assert left[index] is not None, f"removals overlap at {index}: {removal}"
            left[index] = None
    rest = "".join(" " if c is None else c for c in left)
    assert tokens(rest) == tokens(article.text), "the kept text is the input less its removals"


def assert_idempotent(article: Article, site_lines: SiteLines | None = None) -> None:
    again = Article(id=article.id, source=article.source, input_text=article.text, title=article.title,
                    site=article.site)
    clean_article(again, CleanOptions(), site_lines)
    assert again.removed == []
    assert again.text == article.text
    assert again.title == article.title


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(text=documents(), title=st.one_of(st.none(), lines()), normalised=st.booleans())
def test_cleaning_any_text_is_lossless_and_idempotent(text, title, normalised):
    if normalised:
        text = normalise_text(text)
    article = clean_article(Article(id="t", source="fuzz", input_text=text, title=title), CleanOptions())
    assert_lossless(article)
    assert_idempotent(article)
    assert all(p == p.strip(EDGE_BLANKS) and p for p in article.text.split("\n\n")) or article.text == ""


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(texts=st.lists(documents(), min_size=3, max_size=6))
def test_lines_recurring_across_a_site_are_removed_losslessly_and_once(texts):
    """With the lines a site repeats across articles (SiteLines), cleaning is lossless and idempotent too."""
    options = CleanOptions()
    site_lines = options.site_lines()
    articles = [Article(id=f"a{i}", source="fuzz", input_text=t + "\nPartager cet article\nLe Journal du Val",
                        site="journal.example") for i, t in enumerate(texts)]
    for article in articles:
        site_lines.add(article)
    for article in articles:
        clean_article(article, options, site_lines)
        assert_lossless(article)
        assert_idempotent(article, site_lines)


def test_a_dateline_printed_twice_goes_in_one_cleaning():
    """The first pass takes the dateline on its own line; the one it exposes goes too, not on a second cleaning."""
    body = "Le texte commence après la ligne de lieu et raconte ce qui s'est passé hier soir dans la capitale."
    article = clean_article(Article(id="t", source="t", input_text=f"BOGOTA (Reuters) -\nPARIS (AFP) - {body}\n"))
    assert article.text == body
    assert [(r.kind, r.text) for r in article.removed] == [("dateline", "BOGOTA (Reuters) -"), ("dateline", "PARIS (AFP) -")]
    assert article.dateline == "Bogota"
    assert_lossless(article)
    assert_idempotent(article)


def test_a_post_exposed_by_furniture_is_taken_with_its_place_in_the_input():
    text = "Texte du message pic.twitter.com/AbCdEf123\nRetour en haut — Jean Dupont (@jdupont) 3 mars 2024\n"
    article = clean_article(Article(id="t", source="t", input_text=text))
    assert_lossless(article)
    assert_idempotent(article)
    assert {r.kind for r in article.removed} == {"embed"}


def test_a_later_pass_keeps_offsets_of_lines_it_had_joined():
    """A paragraph wrapped over several lines is one line in the kept text; what a later pass
    takes from it is recorded as the span of the input, line breaks included."""
    body = ("Le conseil municipal a voté lundi soir un budget de 12 500 euros pour la rénovation du lavoir, après deux "
            "heures de débat.")
    text = f"BOGOTA (Reuters) -\nPARIS (AFP) - Le conseil municipal a voté lundi soir un budget\nde 12 500 euros pour " \
           f"la rénovation du lavoir, après deux heures de débat.\n"
    article = clean_article(Article(id="t", source="t", input_text=text))
    assert article.text == body
    assert_lossless(article)
    assert_idempotent(article)
