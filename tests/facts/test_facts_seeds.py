"""The cross-check on the five seed articles, against ../shared/seeds/expected.json."""

import json
import re
from pathlib import Path

import pytest

from recoupe.analyse import Analyser, AnalyseOptions
from recoupe.article import Article
from recoupe.clean import clean_article
from recoupe.facts import FactsStep, check_story

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"
EXPECTED = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))
_FOLD = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "«": '"', "»": '"'})


def folded(text: str) -> str:
    return text.translate(_FOLD).lower()


def short(ids) -> set[str]:
    return {i[:3] for i in ids}


def read_seed(path) -> Article:
    raw = path.read_bytes()
    return Article(id=path.stem, source=str(path), raw=raw, input_text=raw.decode("utf-8"))


@pytest.fixture(scope="module")
def analysed(seed_paths) -> list[Article]:
    analyser = Analyser(AnalyseOptions(spacy_model="fr_core_news_md"))
    articles = []
    for path in seed_paths:
        article = clean_article(read_seed(path))
        analyser.analyse(article)
        articles.append(article)
    return articles


@pytest.fixture(scope="module")
def report(analysed) -> dict:
    return check_story(analysed)


@pytest.fixture(scope="module")
def raw_report(seed_paths) -> dict:
    """Raw text only: no cleaning, no spaCy."""
    return check_story([read_seed(p) for p in seed_paths])


def _find_fact(report, item):
    for fact in report["facts"]:
        if "date" in item and item.get("value") is None:
            if fact["kind"] == "date" and fact["date"] == item["date"]:
                return fact
        elif fact["unit"] == item["unit"] and fact["value"] == pytest.approx(item["value"]):
            return fact
    return None


@pytest.mark.parametrize("level", ["must", "should"])
def test_expected_facts(report, level):
    for item in EXPECTED["facts"]:
        if item["level"] != level:
            continue
        fact = _find_fact(report, item)
        assert fact is not None, f"missing: {item['fact']}"
        assert short(fact["sources"]) == set(item["sources"]), item["fact"]


def test_must_figures_from_raw_text_too(raw_report):
    for item in EXPECTED["facts"]:
        if item["level"] == "must" and "unit" in item:
            fact = _find_fact(raw_report, item)
            assert fact is not None and short(fact["sources"]) == set(item["sources"]), item["fact"]


def test_the_wire_and_its_rewrites_are_one_voice(report):
    nine = _find_fact(report, {"value": 9.2e9, "unit": "USD"})
    assert nine["independent_sources"] == 1
    assert nine["qualifier"] == "about"
    return_day = _find_fact(report, {"date": "2025-01-20"})
    assert return_day["independent_sources"] == 3  # the wire family, 002 and 004
    assert [sorted(short(g)) for g in report["voices"] if len(g) > 1] == [["000", "001", "003"]]


@pytest.mark.parametrize("level", ["must", "should"])
def test_expected_quotes(report, level):
    for item in EXPECTED["quotes"]:
        if item["level"] != level:
            continue
        matches = [q for q in report["quotes"] if folded(item["text_contains"]) in folded(q["text"])]
        assert matches, f"missing quote: {item['text_contains']}"
        quote = matches[0]
        assert quote["speaker"] == item["speaker"]
        assert set(item["sources"]) <= short(quote["sources"])


def _contradiction(report, item):
    return [c for c in report["contradictions"]
            if short(c["articles"]) == set(item["articles"]) and short(c["against"]) == set(item["against"])]


@pytest.mark.parametrize("level", ["must", "should"])
def test_expected_contradictions(report, level):
    kinds = {"election-tense": "tense", "quote-attribution": "attribution", "minister-gender": "gender"}
    for item in EXPECTED["contradictions"]:
        if item["level"] == level:
            found = _contradiction(report, item)
            assert found and found[0]["kind"] == kinds[item["id"]], item["id"]
            assert found[0]["explanation"]


def test_no_contradiction_between_sources_that_agree(report):
    assert {c["kind"] for c in report["contradictions"]} == {"tense", "attribution", "gender"}
    assert len(report["contradictions"]) == 3
    for contradiction in report["contradictions"]:
        assert not set(contradiction["articles"]) & set(contradiction["against"])


def test_same_entity_pairs(report):
    for a, b in EXPECTED["entities"]["same_entity"]:
        holders = [e for e in report["entities"] if a in e["variants"] and b in e["variants"]]
        assert len(holders) == 1, (a, b)
    names = {e["name"] for e in report["entities"]}
    assert "Europe" in names and "Européens" in names  # a word and its demonym stay apart
    blinken = next(e for e in report["entities"] if e["name"] == "Antony Blinken")
    assert blinken["type"] == "PER" and short(blinken["sources"]) == {"000", "001", "002", "003", "004"}
    assert any(re.match(r"(?i)le secrétaire d.[ée]tat$", v) for v in blinken["variants"])


def test_step_reads_provenance_from_the_story_results(analysed):
    provenance = [
        {"article": "003_396718b1c9902876", "role": "original"},
        {"article": "001_4bb2eacd3f5803ba", "role": "derivative", "derived_from": "003_396718b1c9902876"},
        {"article": "000_943b3c53a3353b17", "role": "independent"},
        {"article": "002_7ba3b11133f5c511", "role": "independent"},
        {"article": "004_98696ec7476df9e0", "role": "independent"},
    ]
    step = FactsStep({"voices": "provenance"})
    result = step.process("s1", analysed, {"stories": {"s1": {"provenance": provenance}}})
    assert set(result) >= {"facts", "quotes", "entities", "contradictions"}
    nine = _find_fact(result, {"value": 9.2e9, "unit": "USD"})
    assert nine["independent_sources"] == 2  # provenance alone does not know 000 rewrote the wire
    assert _find_fact(check_story(analysed), {"value": 9.2e9, "unit": "USD"})["independent_sources"] == 1


def test_no_quote_repeats_its_own_words(report):
    """One article's spans of a quote are joined with "[…]" only when neither holds the other."""
    for quote in report["quotes"]:
        parts = [folded(part.rstrip("…")) for part in quote["text"].split(" […] ")]
        for i, part in enumerate(parts):
            assert not any(part in other for j, other in enumerate(parts) if j != i), quote["text"]
