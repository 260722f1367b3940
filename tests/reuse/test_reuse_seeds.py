"""Provenance of the five seed articles against ../shared/seeds/expected.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from recoupe.reuse import ReuseStep, analyse_provenance, provenance, reuse_story
from recoupe.reuse.machine_translation import machine_translation_cues

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"

EXPECTED = json.loads((SHARED / "seeds" / "expected.json").read_text(encoding="utf-8"))


def short(article_id: str | None) -> str | None:
    return article_id[:3] if article_id else None


@pytest.fixture(scope="module")
def result(seeds):
    return analyse_provenance(seeds)


@pytest.fixture(scope="module")
def story(seeds):
    return ReuseStep().process("s1", seeds)


def test_roles_as_expected(result):
    entries = {short(e["article"]): e for e in result.entries}
    for role in EXPECTED["roles"]:
        entry = entries[role["article"]]
        assert entry["role"] == role["role"], role
        if "of" in role:
            assert short(entry["derived_from"]) == role["of"], role
            assert entry["relation"] == role["relation"], role


def test_shared_is_the_share_of_the_derivative_sentences_aligned_to_its_source(seeds, story):
    by_id = {a.id: a for a in seeds}
    for entry in story["provenance"]:
        if entry["role"] != "derivative":
            continue
        alignment = next(al for al in story["alignments"] if al["a"] == entry["article"] and al["b"] == entry["derived_from"])
        aligned = {pair[0] for pair in alignment["pairs"]}
        assert entry["shared"] == pytest.approx(len(aligned) / len(by_id[entry["article"]].analysis.sentences), abs=1e-3)
    shares = {short(e["article"]): e["shared"] for e in story["provenance"] if e["role"] == "derivative"}
    assert shares["001"] > 0.5  # a close paraphrase: most of its sentences come from the wire
    assert 0.15 < shares["000"] < shares["001"]  # a looser one, padded with filler


def test_independent_articles_have_no_passage_aligned_to_the_wire(story):
    """002 and 004 share names and dates with 003 (Blinken, Bruxelles, Trump, 20 janvier), nothing more."""
    for alignment in story["alignments"]:
        pair = {short(alignment["a"]), short(alignment["b"])}
        assert not (pair & {"002", "004"}), alignment


def test_aligned_sentences_say_the_same_thing(seeds, story):
    by_id = {a.id: a for a in seeds}
    alignment = next(al for al in story["alignments"] if short(al["a"]) == "001")
    texts = {(by_id[alignment["a"]].analysis.sentences[i].text, by_id[alignment["b"]].analysis.sentences[j].text)
             for i, j, _ in alignment["pairs"]}
    assert any("9,2 milliards" in a and "9,2 milliards" in b for a, b in texts)
    assert any("50 000" in a and "50 000" in b for a, b in texts)
    assert any("pure invention" in a and "pure invention" in b for a, b in texts)
    for i, j, score in alignment["pairs"]:
        assert 0 < score <= 1


def test_direction_evidence_names_the_wire_credit(result):
    entries = {short(e["article"]): e for e in result.entries}
    assert any("credited to AFP" in line for line in entries["001"]["evidence"])
    assert any("credited to AFP" in line for line in entries["000"]["evidence"])


def test_signals(seeds, story):
    signals = {short(k): v for k, v in story["article_signals"].items()}
    assert "machine-translation" in signals["002"]
    assert "uncredited-derivative" in signals["001"]
    assert "uncredited-derivative" in signals["000"]
    assert "uncredited-derivative" not in signals.get("003", [])
    for other in ("000", "001", "003", "004"):
        assert "machine-translation" not in signals.get(other, []), other
    # the step leaves the articles alone; the engine adds the signals to the report
    assert all("machine-translation" not in a.signals for a in seeds)


def test_machine_translation_evidence_is_explained(seeds):
    article = next(a for a in seeds if a.id.startswith("002"))
    kinds = {cue.kind for cue in machine_translation_cues(article)}
    assert {"dateline-elsewhere", "english-transliteration", "calque"} <= kinds


def test_library_function_adds_signals_and_matches_provenance(seeds):
    copies = [a.__class__.from_state(a.to_state()) for a in seeds]
    for copy, original in zip(copies, seeds):
        copy.analysis = original.analysis
    out = reuse_story(copies)
    assert out["provenance"] == provenance(seeds)
    assert "machine-translation" in next(a for a in copies if a.id.startswith("002")).signals


def test_order_of_input_does_not_change_the_result(seeds):
    forward = {e["article"]: e for e in provenance(seeds)}
    backward = {e["article"]: e for e in provenance(list(reversed(seeds)))}
    assert forward == backward
