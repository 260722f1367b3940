import pytest

from recoupe.analyse import AnalyseOptions, Analyser
from recoupe.article import Article


@pytest.fixture(scope="module")
def analyser():
    return Analyser(AnalyseOptions(spacy_model="fr_core_news_md"))


def _article(text: str) -> Article:
    return Article(id="t", source="test", text=text)


def test_french_seed_gets_lemmas_and_person_entities(analyser, seed_paths):
    raw = seed_paths[3].read_text(encoding="utf-8")
    article = _article("\n\n".join(line for line in raw.splitlines() if line.strip()))
    analysis = analyser.analyse(article)
    assert article.language == "fr" and analysis.model == "fr_core_news_md"
    assert len(analysis.lemmas) == len(analysis.sentences)
    all_lemmas = {lemma for sentence in analysis.lemmas for lemma in sentence}
    assert {"soutenir", "ukraine", "milliard"} <= all_lemmas
    assert not {"le", "de", "à", ","} & all_lemmas
    persons = {e.text for e in analysis.entities if e.label == "PER"}
    assert {"Antony Blinken", "Kaja Kallas", "Josep Borrell"} <= persons
    for entity in analysis.entities:
        assert article.text[entity.start : entity.end] == entity.text
        assert "\n\n" not in entity.text


def test_language_without_pipeline_falls_back_to_rules(analyser):
    article = _article(
        "Der Außenminister Antony Blinken ist am Mittwoch in Brüssel angekommen. Er traf Mark Rutte von der Nato."
    )
    analysis = analyser.analyse(article)
    assert article.language == "de" and analysis.model == "agnostic"
    assert "brüssel" in analysis.lemmas[0]
    names = {e.text for e in analysis.entities}
    assert "Mark Rutte" in names


def test_empty_and_tiny_texts(analyser):
    assert analyser.analyse(_article("")).sentences == []
    tiny = analyser.analyse(_article("Bonjour"))
    assert len(tiny.sentences) == 1


def test_spacy_turned_off_gives_the_agnostic_path_for_french():
    from recoupe.analyse import AnalyseOptions, Analyser
    from recoupe.article import Article

    article = Article(id="x", source="", text="Le président Emmanuel Macron a parlé hier à Marseille devant des élus.")
    analysis = Analyser(AnalyseOptions(spacy_model="")).analyse(article)
    assert analysis.language == "fr" and analysis.model == "agnostic"
    assert "marseille" in analysis.lemmas[0] and "parlé" in analysis.lemmas[0]


def test_the_headline_gets_its_own_lemmas_and_names_outside_the_body_offsets(analyser):
    article = Article(id="t", source="test", title="Ingrid Betancourt va rencontrer Benoît XVI à Castel Gandolfo",
                      text="La Franco-Colombienne sera reçue le 1er septembre. Elle l'a annoncé lundi.")
    analysis = analyser.analyse(article)
    assert {"rencontrer", "betancourt"} <= set(analysis.title_lemmas)
    assert any("Betancourt" in name for name in analysis.title_entities)
    assert not any("Betancourt" in e.text for e in analysis.entities)  # body entities keep body offsets
    for entity in analysis.entities:
        assert article.text[entity.start : entity.end] == entity.text
    restored = type(analysis).from_state(analysis.to_state())
    assert restored.title_lemmas == analysis.title_lemmas and restored.title_entities == analysis.title_entities
    assert analyser.analyse(Article(id="u", source="test", text="Corps seul.")).title_lemmas == []


def test_an_analysis_stored_before_headlines_were_read_loads_with_none():
    from recoupe.article import Analysis

    old = {"language": "fr", "sentences": [], "lemmas": [], "entities": [], "model": "fr_core_news_md"}
    analysis = Analysis.from_state(old)
    assert analysis.title_lemmas == [] and analysis.title_entities == [] and analysis.model == "fr_core_news_md"


def test_a_paragraph_longer_than_spacy_takes_is_read_in_pieces(analyser, monkeypatch):
    """spaCy refuses a doc over its max_length; a run-on paragraph is cut at sentence ends, offsets kept."""
    from recoupe.analyse import lexical

    assert lexical.MAX_BLOCK_CHARS < analyser._lexer("fr")._nlp.max_length
    monkeypatch.setattr(lexical, "MAX_BLOCK_CHARS", 300)
    sentence = "Le pont de Valmorin est fermé depuis mardi, a indiqué Sophie Aubertin à la préfecture. "
    article = _article(sentence * 40 + "x" * 700)  # one paragraph of 4,200 characters, ending in a run with no space
    analysis = analyser.analyse(article)
    assert len(analysis.lemmas) == len(analysis.sentences)
    assert sum("pont" in lemmas for lemmas in analysis.lemmas) == 40
    names = [e for e in analysis.entities if e.text == "Sophie Aubertin"]
    assert len(names) >= 30  # each piece ends at a sentence end: names are not cut in two
    for entity in analysis.entities:
        assert article.text[entity.start : entity.end] == entity.text
    long_title = analyser.analyse(Article(id="t", source="test", title="Valmorin " * 100, text="Corps.", language="fr"))
    assert 0 < len(long_title.title_lemmas) <= 300 // len("Valmorin ") + 1
