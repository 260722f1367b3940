"""Alignment, relation and direction on texts written for the purpose, and on hostile input.

These articles carry no analysis, so the language-agnostic features are used
(word forms, capitalised names): no spaCy load.
"""

from __future__ import annotations

import pytest

from recoupe.article import Article
from recoupe.errors import ConfigError
from recoupe.reuse import align_story, analyse_provenance, article_features, options_from, provenance, reuse_story
from recoupe.reuse.align import StoryIndex, align_pair, publication_order
from recoupe.reuse.view import side_by_side, story_pairs

EN = """Ukrainian President Volodymyr Zelensky met German Chancellor Olaf Scholz in Berlin on Friday to ask for more air defence systems.

Germany has delivered three Patriot batteries to Kyiv since January 2023, Scholz told reporters after the meeting.

The two leaders agreed on a new package worth 1.4 billion euros, which includes 18 howitzers and spare parts.

Zelensky then travelled to Paris, where he is due to meet Emmanuel Macron on Saturday.

Russia launched 64 drones and 12 missiles against Ukrainian cities overnight, the Ukrainian air force said."""

FR = """Le président ukrainien Volodymyr Zelensky a rencontré vendredi à Berlin le chancelier allemand Olaf Scholz pour demander davantage de systèmes de défense antiaérienne.

L'Allemagne a livré trois batteries Patriot à Kiev depuis janvier 2023, a déclaré Scholz aux journalistes après la rencontre.

Les deux dirigeants se sont entendus sur une nouvelle aide de 1,4 milliard d'euros, qui comprend 18 obusiers et des pièces détachées.

Zelensky s'est ensuite rendu à Paris, où il doit rencontrer Emmanuel Macron samedi.

La Russie a lancé 64 drones et 12 missiles contre des villes ukrainiennes pendant la nuit, a indiqué l'armée de l'air ukrainienne."""

WIRE = """Le port de Marseille a traité 81,4 millions de tonnes de marchandises en 2023, a annoncé mardi sa présidente Christine Cabau-Woehrel.

Le trafic de conteneurs a progressé de 4,7 % sur un an, porté par les lignes vers l'Asie et l'Afrique du Nord.

Les croisières ont attiré 2,47 millions de passagers, un record pour le premier port de France.

La direction prévoit d'investir 420 millions d'euros d'ici 2028 dans l'électrification des quais.

Les dockers de la CGT ont annoncé une grève de 48 heures contre la réforme des retraites portuaires."""

REWRITE = """Selon sa présidente Christine Cabau-Woehrel, le port de Marseille a traité 81 millions de tonnes de marchandises en 2023.

Une évolution qui ne manque pas de susciter de nombreuses interrogations.

Sur un an, le trafic de conteneurs a progressé de 5 %, porté par les lignes vers l'Asie et l'Afrique du Nord.

Les croisières ont attiré 2,5 millions de passagers, un record pour le premier port de France.

Reste à savoir ce que l'avenir nous réserve dans les prochains mois."""


def article(article_id: str, text: str, language: str = "fr", **kwargs) -> Article:
    return Article(id=article_id, source=article_id, text=text, language=language, **kwargs)


def test_translation_aligns_through_names_and_figures():
    english = article("en", EN, "en", published="2024-03-01T10:00:00")
    french = article("fr", FR, "fr", published="2024-03-01T12:00:00")
    result = analyse_provenance([french, english])
    pair = result.pairs[0]
    assert pair.relation.kind == "translation", pair.relation.describe()
    assert {(p.a, p.b) for p in pair.alignment.pairs} >= {(0, 0), (3, 3), (4, 4)}
    assert all(p.a == p.b for p in pair.alignment.pairs)  # each sentence with its own translation
    entries = {e["article"]: e for e in result.entries}
    assert entries["fr"]["derived_from"] == "en" and entries["en"]["role"] == "original"
    assert any("published first: en" in line for line in entries["fr"]["evidence"])


def test_unrelated_articles_in_two_languages_do_not_align():
    english = article("en", EN, "en")
    wire = article("w", WIRE)
    story = align_story([english, wire])
    assert all(not p.pairs for p in story.pairs.values())


def test_rewrite_direction_from_rounding_filler_and_dropped_facts():
    """No dates, no credits: the rewrite rounds figures, pads with empty sentences, drops facts."""
    wire, rewrite = article("wire", WIRE), article("rewrite", REWRITE)
    for order in ([wire, rewrite], [rewrite, wire]):
        result = analyse_provenance(order)
        entries = {e["article"]: e for e in result.entries}
        assert entries["rewrite"]["role"] == "derivative" and entries["rewrite"]["derived_from"] == "wire"
        evidence = " | ".join(entries["rewrite"]["evidence"])
        assert "rounds the other's figures: rewrite" in evidence
        assert "adds sentences with no name, figure or date: rewrite" in evidence
        assert entries["wire"]["role"] == "original"


def test_identical_undated_copies_are_copies_with_an_undetermined_direction():
    first, second = article("b-first", WIRE), article("a-second", WIRE)
    result = analyse_provenance([first, second])
    assert result.pairs[0].relation.kind == "copy"
    derivative = next(e for e in result.entries if e["role"] == "derivative")
    assert derivative["shared"] == 1.0
    assert any(line.startswith("undetermined") for line in derivative["evidence"])


def test_credited_copy_is_the_source_and_the_uncredited_one_is_flagged():
    credited = article("credited", WIRE, agency="AFP")
    bare = article("bare", WIRE)
    out = reuse_story([bare, credited])
    entries = {e["article"]: e for e in out["provenance"]}
    assert entries["bare"]["derived_from"] == "credited"
    assert "uncredited-derivative" in bare.signals
    assert out["article_signals"] == {"bare": ["uncredited-derivative"]}
    # a copy that credits the wire is not flagged
    honest = article("honest", WIRE + "\n\nAvec AFP")
    out = reuse_story([honest, article("credited", WIRE, agency="AFP")])
    assert "uncredited-derivative" not in honest.signals


def test_candidates_come_from_the_index_not_from_every_sentence_pair():
    sentences = [f"Le conseil municipal de Ville{k} a voté un budget de {k + 100} millions d'euros pour la station{k}."
                 for k in range(60)]
    a = article("a", "\n\n".join(sentences))
    b = article("b", "\n\n".join(reversed(sentences)))
    fa, fb = article_features(a), article_features(b)
    index = StoryIndex([fa, fb])
    pair = align_pair(fa, fb, index.weight)
    assert pair.candidates <= 3 * len(sentences)  # not 60 x 60
    assert len(pair.pairs) == len(sentences)
    assert all(fa.sentences[p.a].text == fb.sentences[p.b].text for p in pair.pairs)
    assert pair.order < 0.1  # reversed


@pytest.mark.parametrize("texts", [
    [],
    [""],
    ["", ""],
    ["\n\n\n", "   "],
    ["1 2 3 4 5 6 7 8 9", "1 2 3 4 5 6 7 8 9"],
    ["<script>alert(1)</script> « » \u202e\u0000 ÿ", "🙂" * 500],
    ["Mot " * 5000, "Mot " * 5000],
])
def test_hostile_or_empty_input_gives_roles_not_errors(texts):
    articles = [article(f"x{k}", t) for k, t in enumerate(texts)]
    entries = provenance(articles)
    assert [e["article"] for e in entries] == [a.id for a in articles]
    assert all(e["role"] in ("original", "derivative", "independent") for e in entries)


def test_options_are_checked():
    with pytest.raises(ConfigError, match="min_score"):
        options_from({"min_score": 2})
    with pytest.raises(ConfigError, match="unknown"):
        options_from({"min_scor": 0.5})
    assert options_from({"max_sources": 3}).max_sources == 3


def test_side_by_side_shows_every_sentence_and_marks_each_pair():
    wire, rewrite = article("wire", WIRE), article("rewrite", REWRITE)
    out = reuse_story([wire, rewrite], add_signals=False)
    alignment = out["alignments"][0]
    assert (alignment["a"], alignment["b"]) == ("rewrite", "wire")
    text = side_by_side(rewrite, wire, alignment["pairs"], width=1000)  # wide enough not to wrap
    for source in (WIRE, REWRITE):
        for paragraph in source.split("\n\n"):
            assert paragraph in text
    rows = {(line.split(" │ ")[0].split("] ")[0], line.split(" │ ")[1].split("] ")[0]) for line in text.splitlines()
            if line.startswith("[")}
    assert len(rows) == len(alignment["pairs"])
    for number in range(1, len(alignment["pairs"]) + 1):
        assert f"[{number} " in text and f"[{number}]" in text
    listing = story_pairs(out, {"wire": wire, "rewrite": rewrite})
    assert listing.startswith("rewrite ← wire: ")
    assert story_pairs({"alignments": []}, {}) == "no aligned passages in this story\n"


def test_sources_are_read_in_publication_order_across_time_zones_and_undated_articles():
    """The order every engine follows: instants, not date strings; an undated article after its reading neighbour."""
    articles = [
        Article(id="paris", source="a", text="x", published="2024-03-05T10:00:00+02:00"),  # 08:00 UTC
        Article(id="undated", source="b", text="x"),
        Article(id="london", source="c", text="x", published="2024-03-05T09:00:00Z"),
        Article(id="earliest", source="d", text="x", published="2024-03-05T07:30:00Z"),
    ]
    order = [articles[k].id for k in publication_order(articles)]
    assert order == ["earliest", "paris", "undated", "london"]
