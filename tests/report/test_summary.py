"""The cited summary: real sentences, each citing every article that says it, chosen by support and novelty."""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.analyse import Analyser
from recoupe.article import Article
from recoupe.clean import clean_article
from recoupe.errors import ConfigError, InputError
from recoupe.ingest import IngestOptions, read_inputs
from recoupe.summary import Summariser, SummaryOptions, SummaryStep, options_from, similarity

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def seeds() -> list[Article]:
    """The seeds read, cleaned and analysed by the project's own steps."""
    analyser = Analyser()
    articles = []
    for item in read_inputs([str(p) for p in sorted(SEEDS.glob("*.txt"))], IngestOptions()):
        assert not isinstance(item, InputError), item
        clean_article(item)
        analyser.analyse(item)
        articles.append(item)
    return articles


@pytest.fixture(scope="module")
def provenance(seeds) -> list[dict]:
    """The derivations expected.json states, as the reuse step reports them (an input here, not an answer)."""
    ids = {a.id[:3]: a.id for a in seeds}
    roles = json.loads((SEEDS / "expected.json").read_text(encoding="utf-8"))["roles"]
    return [
        {"article": ids[r["article"]], "role": r["role"], **({"derived_from": ids[r["of"]]} if "of" in r else {})}
        for r in roles
    ]


@pytest.fixture(scope="module")
def summary(seeds, provenance) -> list[dict]:
    return Summariser().summarise(seeds, provenance)


def test_seed_summary_is_three_to_eight_real_sentences(seeds, summary):
    texts = {a.id: a.text for a in seeds}
    assert 3 <= len(summary) <= 8
    for item in summary:
        assert item["sentence"] in texts[item["article"]], "quoted verbatim from the article it names"
        assert item["article"] in item["sources"]


def test_every_cited_article_says_the_same_thing(seeds, provenance, summary):
    summariser = Summariser()
    scored = summariser.score(seeds, provenance)
    by_key = {(c.article, c.text): c for c in scored.candidates}
    for item in summary:
        chosen = by_key[(item["article"], item["sentence"])]
        for source in item["sources"]:
            if source == item["article"]:
                continue
            best = max(similarity(chosen, c, scored.weight) for c in scored.candidates if c.article == source)
            assert best >= summariser.options.match, (source, item["sentence"])


def test_no_two_summary_sentences_say_the_same(seeds, provenance, summary):
    scored = Summariser().score(seeds, provenance)
    by_key = {(c.article, c.text): c for c in scored.candidates}
    chosen = [by_key[(i["article"], i["sentence"])] for i in summary]
    for a, b in combinations(chosen, 2):
        assert similarity(a, b, scored.weight) < SummaryOptions().redundant
        assert similarity(a, b) < 0.5, (a.text, b.text)


def test_copies_of_the_wire_count_as_one_voice(seeds, summary):
    ids = {a.id[:3]: a.id for a in seeds}
    wire = [i for i in summary if ids["003"] in i["sources"] and len(i["sources"]) > 1]
    assert wire, "a sentence of the wire that its rewrites repeat is in the summary"
    for item in wire:
        if set(item["sources"]) <= {ids["000"], ids["001"], ids["003"]}:
            assert item["independent_sources"] == 1
            assert item["article"] == ids["003"], "the original's wording is preferred to a rewrite's"


def test_ranks_give_the_order_of_choice(summary):
    assert sorted(item["rank"] for item in summary) == list(range(1, len(summary) + 1))


def test_every_independent_voice_is_heard(seeds, summary):
    ids = {a.id[:3]: a.id for a in seeds}
    voices = {ids["000"]: "wire", ids["001"]: "wire", ids["003"]: "wire", ids["002"]: "002", ids["004"]: "004"}
    assert {voices[s] for item in summary for s in item["sources"]} == {"wire", "002", "004"}


def test_without_provenance_rewrites_that_share_many_sentences_are_one_voice(seeds):
    voice_of = Summariser().score(seeds).voice_of
    ids = {a.id[:3]: a.id for a in seeds}
    assert voice_of[ids["001"]] == voice_of[ids["003"]]
    assert len({voice_of[ids["003"]], voice_of[ids["002"]], voice_of[ids["004"]]}) == 3


def _article(identifier: str, text: str) -> Article:
    return Article(id=identifier, source=identifier, text=text)


WIRE = (
    "Le pont de Valmorin s'est effondré mardi soir après des pluies torrentielles sur toute la région. "
    "Trois voitures sont tombées dans la rivière et deux personnes ont été blessées selon les pompiers. "
    "Le maire a annoncé la fermeture de la route départementale pour une durée de six mois au moins."
)


def test_a_copy_is_cited_and_the_original_wording_kept():
    original = _article("wire", WIRE)
    copy = _article("copy", WIRE.replace("mardi soir", "mardi"))
    other = _article("other", "Les habitants de Valmorin devront faire un détour de quarante kilomètres pour rejoindre la ville voisine chaque matin.")
    provenance = [{"article": "wire", "role": "original"},
                  {"article": "copy", "role": "derivative", "derived_from": "wire", "relation": "copy"},
                  {"article": "other", "role": "independent"}]
    summary = Summariser().summarise([copy, original, other], provenance)
    assert summary
    for item in summary:
        if item["article"] in {"wire", "copy"}:
            assert item["article"] == "wire" and item["sources"] == ["copy", "wire"]
            assert item["independent_sources"] == 1
    assert any(item["sources"] == ["other"] for item in summary)


def test_aligned_pairs_count_as_support_even_across_languages():
    french = _article("fr", "Le pont de Valmorin s'est effondré mardi soir après des pluies torrentielles sur la région.")
    english = _article("en", "The Valmorin bridge collapsed on Tuesday evening after torrential rain across the region.")
    alone = Summariser().summarise([french, english])
    assert all(len(item["sources"]) == 1 for item in alone)
    aligned = Summariser().summarise([french, english], alignments=[{"a": "en", "b": "fr", "pairs": [[0, 0, 0.8]]}])
    assert len(aligned) == 1 and aligned[0]["sources"] == ["en", "fr"]
    by_text = Summariser().summarise([french, english], alignments=[{"a": "en", "b": "fr", "pairs": [[english.text, french.text, 0.8]]}])
    assert by_text[0]["sources"] == ["en", "fr"]


@pytest.mark.parametrize(
    "articles",
    [
        [],
        [_article("empty", "")],
        [_article("blank", "   \n\n  ")],
        [_article("short", "Oui.")],
    ],
)
def test_nothing_to_say_gives_an_empty_summary(articles):
    assert Summariser().summarise(articles) == []


def test_a_headline_only_story_still_gets_a_sentence():
    summary = Summariser().summarise([_article("h", "Effondrement du pont de Valmorin après les pluies")])
    assert summary == [{"sentence": "Effondrement du pont de Valmorin après les pluies", "sources": ["h"], "article": "h",
                        "independent_sources": 1, "rank": 1}]


def test_bad_alignments_and_provenance_are_ignored_not_fatal():
    a, b = _article("a", WIRE), _article("b", WIRE)
    alignments = [{"a": "a", "b": "zzz", "pairs": [[0, 0]]}, {"a": "a", "b": "b", "pairs": [[99, -1], ["nope", 0], [True, 0], []]}]
    provenance = [{"article": "a", "derived_from": "b"}, {"article": "b", "derived_from": "a"}, {"role": "original"}]
    summary = Summariser().summarise([a, b], provenance, alignments)
    assert summary and all(item["sources"] == ["a", "b"] for item in summary)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.sampled_from(WIRE.split(". ") + ["Un autre fait nouveau est apparu dans la soirée de mercredi", "La préfecture a ouvert une enquête sur les causes exactes"]), min_size=1, max_size=4), min_size=1, max_size=4))
def test_every_sentence_is_verbatim_and_cites_its_own_article(bodies):
    articles = [_article(f"a{i}", ". ".join(body) + ".") for i, body in enumerate(bodies)]
    summary = Summariser().summarise(articles)
    texts = {a.id: a.text for a in articles}
    assert len(summary) <= SummaryOptions().max_sentences
    assert len({i["sentence"] for i in summary}) == len(summary)
    for item in summary:
        assert item["sentence"] in texts[item["article"]] and item["article"] in item["sources"]
        assert set(item["sources"]) <= set(texts)


def test_options_are_checked():
    with pytest.raises(ValueError):
        SummaryOptions(min_sentences=5, max_sentences=3)
    with pytest.raises(ValueError):
        SummaryOptions(match=1.5)
    assert options_from({"summary_max_sentences": 4, "other": 1}).max_sentences == 4
    with pytest.raises(ConfigError, match="summary_nope"):
        options_from({"summary_nope": 1})


def test_the_step_reads_provenance_from_the_story_so_far(seeds, provenance, summary):
    step = SummaryStep()
    assert step.name == "summary"
    for ctx in ({"story": {"provenance": provenance}}, {"stories": {"s1": {"provenance": provenance}}}):
        assert step.process("s1", seeds, ctx) == {"summary": summary}
    assert step.process("s1", seeds, None)["summary"], "without provenance it still summarises"


def test_packaged_defaults_build_the_step():
    from recoupe.config import Options

    step = SummaryStep.from_options(Options.load())
    assert step.summariser.options == SummaryOptions()
