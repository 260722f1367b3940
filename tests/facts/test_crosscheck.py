"""The cross-check on small stories written for the test, and on real rpm2-dev stories."""

from pathlib import Path

import pytest

from recoupe.analyse import Analyser, AnalyseOptions
from recoupe.article import Article
from recoupe.clean import clean_article
from recoupe.errors import ConfigError
from recoupe.facts import FactsStep, check_story, options_from

RPM2 = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "rpm2-dev"


def article(id_: str, text: str, published: str | None = None, agency: str | None = None) -> Article:
    return Article(id=id_, source=id_, text=text, published=published, agency=agency)


def kinds(report) -> list[str]:
    return sorted(c["kind"] for c in report["contradictions"])


def test_a_toll_given_differently_is_flagged_with_both_sides():
    report = check_story([
        article("a", "Le séisme a fait 120 morts dans la province de Hatay, selon un bilan officiel publié mardi."),
        article("b", "Le séisme a fait 85 morts dans la province de Hatay, selon un bilan officiel publié mardi."),
        article("c", "Le séisme a fait 85 morts dans la province de Hatay, selon le bilan officiel publié mardi soir."),
    ])
    [flag] = report["contradictions"]
    assert flag["kind"] == "number"
    assert (flag["articles"], flag["against"]) == (["a"], ["b", "c"])
    assert "120" in flag["explanation"] and "85" in flag["explanation"]


def test_agreeing_and_compatible_figures_are_not_flagged():
    report = check_story([
        article("a", "Washington a fourni plus de 60 milliards de dollars d'aide militaire à l'Ukraine depuis 2022."),
        article("b", "Washington a fourni 61,3 milliards de dollars d'aide militaire à l'Ukraine depuis 2022."),
        article("c", "Washington a fourni environ 62 milliards de dollars d'aide militaire à l'Ukraine depuis 2022."),
    ])
    assert report["contradictions"] == []


def test_an_article_that_gives_both_values_is_not_contradicting():
    report = check_story([
        article("a", "La banque a annoncé une perte de 600 millions d'euros, révisée ensuite à 751 millions d'euros."),
        article("b", "La banque a annoncé une perte de 751 millions d'euros sur ses opérations de marché."),
    ])
    assert report["contradictions"] == []


def test_different_quantities_in_similar_sentences_are_not_flagged():
    report = check_story([
        article("a", "Natixis a accusé une perte nette de 948 millions d'euros au premier semestre."),
        article("b", "Le pôle a clos le trimestre sur une perte nette de 335 millions d'euros, contre un résultat "
                     "positif de 62 millions au troisième trimestre 2007."),
        article("c", "Les actions ont reculé de 7,16% chez BNP Paribas, de 9,19% pour Crédit Agricole et de 9,64% "
                     "pour Société générale."),
        article("d", "Depuis le début de l'année, Société générale et BNP Paribas ont perdu 17 % en Bourse."),
        article("e", "La libération d'Ingrid Betancourt et de quatorze autres otages a eu lieu le 2 juillet."),
        article("f", "La libération de 15 otages, dont Ingrid Betancourt, a eu lieu le 2 juillet."),
    ])
    assert report["contradictions"] == []


def test_an_event_reported_as_to_come_after_it_happened():
    report = check_story([
        article("a", "Les capitales s'inquiètent en cas de réélection de Donald Trump le 5 novembre prochain.",
                published="2024-11-13T10:00:00"),
        article("b", "Après la réélection de Donald Trump le 5 novembre, les capitales s'inquiètent.",
                published="2024-11-13T12:00:00"),
        article("c", "Les capitales s'inquiètent avant la réélection de Donald Trump le 5 novembre prochain.",
                published="2024-10-20T12:00:00"),  # written before the election: not a contradiction
    ])
    [flag] = report["contradictions"]
    assert (flag["kind"], flag["articles"], flag["against"]) == ("tense", ["a"], ["b"])
    day = next(f for f in report["facts"] if f["kind"] == "date")
    assert day["date"] == "2024-11-05" and day["sources"] == ["a", "b", "c"]


def test_different_dates_for_one_event():
    report = check_story([
        article("a", "Le président a signé le décret d'application le 12 mars à l'Élysée.", published="2024-03-20"),
        article("b", "Le président a signé le décret d'application le 14 mars à l'Élysée.", published="2024-03-20"),
    ])
    assert kinds(report) == ["date"]


@pytest.fixture(scope="module")
def analyser():
    return Analyser(AnalyseOptions(spacy_model="fr_core_news_sm"))


def test_a_quote_given_to_different_people(analyser):
    quote = "« Nous ne laisserons pas tomber l'Ukraine tant que la Russie poursuivra son agression »"
    articles = [
        article("a", f"{quote}, a déclaré Antony Blinken à la presse."),
        article("b", f"{quote}, a déclaré Antony Blinken mercredi."),
        article("c", f"{quote}, a déclaré Jake Sullivan mercredi."),
    ]
    for a in articles:
        analyser.analyse(a)
    report = check_story(articles)
    [flag] = report["contradictions"]
    assert (flag["kind"], flag["articles"], flag["against"]) == ("attribution", ["c"], ["a", "b"])
    [entry] = report["quotes"]
    assert entry["speaker"] == "Antony Blinken" and entry["sources"] == ["a", "b", "c"]


def test_the_outer_attribution_speaks_for_what_it_frames(analyser):
    text = ("Selon des diplomates européens, les États-Unis souhaitent que leurs alliés mettent en place des "
            "mécanismes pérennes de soutien à Kiev.")
    articles = [article("a", text), article("b", "Un défi de taille pour l'Europe. " + text)]
    for a in articles:
        analyser.analyse(a)
    [entry] = check_story(articles)["quotes"]
    assert entry["speaker"] == "diplomates européens" and entry["kind"] == "reported"
    assert entry["text"].startswith("les États-Unis souhaitent que") and "[…]" not in entry["text"]


def test_minister_gender_and_two_different_ministers():
    same_person = check_story([
        article("a", "La ministre ukrainienne a souligné l'importance d'un renforcement immédiat de la défense "
                     "antiaérienne du pays."),
        article("b", "Le ministre a insisté sur le renforcement immédiat de la défense antiaérienne du pays.", agency="AFP"),
    ])
    [flag] = same_person["contradictions"]
    assert (flag["kind"], flag["articles"], flag["against"]) == ("gender", ["a"], ["b"])
    two_people = check_story([
        article("a", "Le fichier Edvige inquiète le ministre de la Défense, qui pose des questions sur le fichier."),
        article("b", "Le fichier Edvige est défendu par la ministre de l'Intérieur, qui répond aux questions sur le fichier."),
    ])
    assert two_people["contradictions"] == []


def test_voices_from_provenance_and_from_shared_statements():
    wire = ("L'enveloppe compte 9,2 milliards de dollars, dont 7,1 milliards sur les stocks et 2,1 milliards "
            "pour des contrats. Moscou a massé 50 000 soldats.")
    rewrite = ("Il reste 9,2 milliards de dollars : 7,1 milliards viendront des stocks et 2,1 milliards des "
               "contrats. La Russie a réuni 50 000 soldats.")
    other = "Une autre agence parle de 9,2 milliards de dollars, dont 7,1 milliards et 2,1 milliards."
    report = check_story([article("w", wire, agency="AFP"), article("r", rewrite), article("o", other, agency="Reuters")])
    assert report["voices"] == [["o"], ["r", "w"]]  # another agency is another voice, even with the same figures
    nine = next(f for f in report["facts"] if f["value"] == 9.2e9)
    assert nine["sources"] == ["o", "r", "w"] and nine["independent_sources"] == 2

    provenance = [{"article": "r", "role": "derivative", "derived_from": "o"}]
    step = FactsStep({"voices": "provenance"})
    result = step.process("s", [article("w", wire), article("r", rewrite), article("o", other)],
                          {"story": {"provenance": provenance}})
    assert result["voices"] == [["o", "r"], ["w"]]


def test_options_are_checked():
    with pytest.raises(ConfigError):
        options_from({"voices": "everything"})
    with pytest.raises(ConfigError):
        options_from({"no_such_knob": 1})
    with pytest.raises(ConfigError):
        options_from({"same_subject_share": 2})


def test_empty_and_textless_stories():
    assert check_story([]) == {"facts": [], "quotes": [], "entities": [], "contradictions": [], "voices": []}
    report = check_story([article("a", ""), article("b", "   ")])
    assert report["facts"] == [] and report["contradictions"] == []


def _rpm2_story(prefix: str) -> list[Article]:
    articles = []
    for path in sorted(RPM2.glob(f"{prefix}_*.txt")):
        raw = path.read_bytes()
        title, _, body = raw.decode("utf-8-sig").replace("\r\n", "\n").partition("\n")
        articles.append(clean_article(Article(id=path.stem, source=str(path), raw=raw, title=title, input_text=body)))
    assert len(articles) == 10
    return articles


def test_rpm2_real_disagreement_is_found():
    report = check_story(_rpm2_story("T10_C1"))  # one source says the nanny lied 12 days, two say 13
    flags = [c for c in report["contradictions"] if c["kind"] == "number"]
    assert any("12 days" in c["explanation"] and "13 days" in c["explanation"] for c in flags)


@pytest.mark.parametrize("story", ["T03_C1", "T04_C1", "T10_C2"])
def test_rpm2_stories_without_disagreements_raise_no_flag(story):
    # financial stories full of amounts and percentages, ages and durations of different people
    assert check_story(_rpm2_story(story))["contradictions"] == []
