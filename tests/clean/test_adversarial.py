"""Degenerate and hostile inputs: cleaning never crashes, never over-cleans, stays lossless."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.article import Article
from recoupe.clean import CleanOptions, clean_article
from recoupe.config import Options
from recoupe.errors import ConfigError


def clean(text: str, title: str | None = None, **fields) -> Article:
    article = Article(id="t", source="test", input_text=text, title=title, **fields)
    return clean_article(article, CleanOptions())


def assert_lossless(article: Article) -> None:
    for removal in article.removed:
        assert article.input_text[removal.position : removal.position + len(removal.text)] == removal.text


def test_empty_text():
    for text in ("", "\n\n  \r\n\ufeff"):
        article = clean(text)
        assert article.text == ""
        assert article.removed == []
        assert article.title is None
        assert article.repeat_ratio == 0.0
        assert article.signals == []


def test_one_word_is_the_article_not_its_title():
    article = clean("Bonjour")
    assert article.text == "Bonjour"
    assert article.title is None
    assert article.removed == []


def test_only_furniture():
    text = "Retour en haut de la page\n\nPartager sur Facebook\nSuivez-nous sur Twitter\n\nQuitter la version mobile\n"
    article = clean(text)
    assert article.text == ""
    assert [r.kind for r in article.removed] == ["furniture"] * 4
    assert_lossless(article)


def test_a_thousand_copies_of_one_sentence():
    sentence = "Le gouvernement a annoncé de nouvelles mesures pour soutenir les agriculteurs touchés par la sécheresse."
    article = clean("\n".join([sentence] * 1000))
    assert article.text == sentence
    assert len(article.removed) == 999
    assert all(r.kind == "repeat" for r in article.removed)
    assert article.repeat_ratio == pytest.approx(0.999)
    assert "self-repetition" in article.signals
    assert_lossless(article)


def test_a_thousand_distinct_paragraphs_sharing_their_opening():
    """Alike in words, different in figures: each says something else, all are kept."""
    paragraphs = [f"Selon le ministère, le nombre de cas recensés dans le département {i} atteint {i * 37} ce mois-ci." for i in range(1000)]
    article = clean("\n".join(paragraphs))
    assert article.paragraphs == paragraphs  # figures differ: none is a copy of another
    assert article.removed == []


def test_agency_named_in_a_sentence_stays():
    body = "Le ministre a confirmé à l'AFP que les négociations reprendraient lundi à Genève, selon son porte-parole."
    article = clean("Titre de l'article\n" + body)
    assert body in article.paragraphs
    assert article.agency is None
    assert article.meta["agency_mentions"] == ["AFP"]
    assert [r.kind for r in article.removed] == ["title"]


def test_a_sentence_repeated_inside_a_paragraph_is_left_alone():
    paragraph = "Il faut agir vite. Le temps presse. Il faut agir vite."
    article = clean(paragraph)
    assert article.text == paragraph
    assert article.repeat_ratio == 0.0


def test_near_copies_are_repeats():
    first = "Le conseil municipal a voté mardi soir le budget de l'année prochaine, en hausse de 3 pour cent."
    second = "Le conseil municipal a adopté mardi soir le budget de l’année prochaine, en hausse de 3 pour cent."
    other = "L'opposition a dénoncé une hausse des impôts locaux qu'elle juge injustifiée dans le contexte actuel."
    article = clean("\n".join([first, other, second]))
    assert article.paragraphs == [first, other]
    assert [(r.kind, r.text) for r in article.removed] == [("repeat", second)]


def test_body_subheadings_are_kept():
    text = "\n".join(
        [
            "Le titre de l'article du jour",
            "Le premier paragraphe raconte ce qui s'est passé hier soir dans la capitale, avec de nombreux détails.",
            "Une nuit agitée",
            "Le deuxième paragraphe rapporte les réactions des habitants, qui se disent inquiets pour la suite.",
            "« Nous ne lâcherons rien »",
            "Le troisième paragraphe cite le maire, qui promet des mesures rapides pour rassurer la population.",
        ]
    )
    article = clean(text)
    assert "Une nuit agitée" in article.paragraphs
    assert "« Nous ne lâcherons rien »" in article.paragraphs
    assert len(article.paragraphs) == 5


def test_the_given_title_is_kept_and_its_copy_removed():
    text = "Une grande annonce | Le Quotidien\nLe texte de l'article commence ici et se poursuit longuement avec des faits."
    article = clean(text, title="Une grande annonce | Le Quotidien")
    assert article.title == "Une grande annonce | Le Quotidien"
    assert [r.kind for r in article.removed] == ["title"]


def test_bad_options_are_a_config_error():
    with pytest.raises(ConfigError):
        Options.load(None, clean={"repeat_similarity": 1.5}).typed("clean", CleanOptions)
    with pytest.raises(ConfigError):
        Options.load(None, clean={"no_such_setting": 1}).typed("clean", CleanOptions)


_LINES = st.sampled_from(
    [
        "Retour en haut",
        "Partager sur Facebook",
        "Publié à 21h28",
        "Agence France-Presse",
        "Léon BRUNEAU",
        # a lead paragraph is longer than a headline (15 words), as in real articles
        "PARIS (AFP) - Le texte commence après la ligne de lieu et raconte ce qui s'est passé hier soir dans la capitale.",
        "(Bruxelles) Le ministre est arrivé hier soir pour des entretiens avec ses homologues européens et les responsables de l'Otan.",
        "Un titre court",
        "« Une citation en intertitre »",
        "Le ministre a parlé à l'AFP mardi, selon un communiqué publié dans la soirée.",
        "Un paragraphe ordinaire qui raconte les faits avec une phrase complète et assez longue.",
        "Un paragraphe ordinaire qui raconte les faits avec une phrase complète et assez longue !",
        "Site.fr » Monde » Un titre court",
        "Texte du message pic.twitter.com/AbCdEf123",
        "— Jean Dupont (@jdupont) 3 mars 2024",
        "",
        "   ",
        "l’essentiel",
        "Menu",
        "Commentaires",
        "Les nouvelles les plus importantes du jour",
        "Jane SMITH, Staff Writer",
        "Le dernier paragraphe se termine par un crédit d'agence. (AFP)",
    ]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_LINES, max_size=14), st.sampled_from(["\n", "\n\n", "\r\n"]))
def test_any_mix_of_lines_is_cleaned_losslessly_and_once(lines, separator):
    article = clean(separator.join(lines))
    assert_lossless(article)
    assert "\n\n\n" not in article.text
    # every non-blank input line is in the text, the title, or the removals
    again = Article(id="t", source="test", input_text=article.text, title=article.title)
    clean_article(again, CleanOptions())
    assert again.removed == []
    assert again.text == article.text


_CHARS = st.sampled_from(list("abcAB XYZ é.,:;!?()«»\"'’-–—/|>@#0123456789\n\n\r\t\u00a0\ufeff\u2028") + ["AFP", "PARIS", "Publié à ", "h", "Par ", "pic.twitter.com/x", "(@h) 13 mars 2024"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_CHARS, max_size=120).map("".join))
def test_arbitrary_text_never_breaks_cleaning(text):
    article = clean(text)
    assert_lossless(article)
    assert all(p.strip() == p and p for p in article.text.split("\n\n")) or article.text == ""
    again = Article(id="t", source="test", input_text=article.text, title=article.title)
    clean_article(again, CleanOptions())
    assert again.removed == []
    assert again.text == article.text
