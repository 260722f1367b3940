"""Near-duplicate index: signatures, exact and near copies, bad input, growth, determinism."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from recoupe.errors import ConfigError
from recoupe.neardup import NearDupIndex, NearDupOptions, Signer, normalise, normalised_codepoints, optimal_bands

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "seeds"
RPM2 = SHARED / "data" / "rpm2-dev"


def _read(path: Path) -> str:
    return path.read_text(encoding="utf-8-sig")


def _exact_jaccard(signer: Signer, a: str, b: str) -> float:
    x, y = signer.shingle_hashes(a), signer.shingle_hashes(b)
    common = len(np.intersect1d(x, y, assume_unique=True))
    return common / (len(x) + len(y) - common)


def _edit(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    words = text.split(" ")
    vocabulary = sorted(set(words))
    out = []
    for word in words:
        roll = rng.random()
        if roll < rate / 2:
            out.append(rng.choice(vocabulary))
        elif roll < rate:
            continue
        else:
            out.append(word)
    return " ".join(out)


@pytest.fixture(scope="module")
def seeds() -> dict[str, str]:
    return {p.name[:3]: _read(p) for p in sorted(SEEDS.glob("*.txt"))}


def test_normalise_folds_case_accents_quotes_and_spacing():
    assert normalise("  L’État, c'est\u00a0MOI !\n\n«Déjà» ") == "l etat c est moi deja"
    assert normalise("Ｆｕｌｌ-width ＡＢＣ") == "full width abc"
    assert normalise("...  ;; ") == ""


def _normalise_by_numpy(text: str) -> str:
    return normalised_codepoints(text).tobytes().decode("utf-32-le", "surrogatepass")


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=240))
def test_short_strings_normalise_as_the_numpy_lookup_does(text):
    """Short strings take `str.translate`: the same answer, whatever the code points (astral,
    lone surrogates, combining marks, letters that fold to two)."""
    assert normalise(text) == _normalise_by_numpy(text)


def test_every_line_and_word_of_real_text_normalises_the_same_both_ways():
    for path in [*sorted(SEEDS.glob("*.txt")), *sorted(RPM2.glob("*.txt"))[:60]]:
        text = _read(path)
        for piece in [*text.splitlines(), *text.split(), text[:199], text[:200]]:
            assert normalise(piece) == _normalise_by_numpy(piece), piece
        assert normalise(text) == _normalise_by_numpy(text)
    for tricky in ("ß", "İstanbul", "ﬁnance", "a\u0301 b", "\ud800x", "x\U0001F600y", "Ｆｕｌｌ", "\u00a0\u202f", "½ ²"):
        assert normalise(tricky) == _normalise_by_numpy(tricky), tricky


def test_exact_copy_differing_only_in_typography_is_an_exact_duplicate(seeds):
    index = NearDupIndex()
    original = seeds["003"]
    retyped = original.replace("’", "'").replace("\n", "\n\n").upper()
    assert index.add("003", original) == []
    matches = index.add("003-retyped", retyped)
    assert [(m.key, m.jaccard, m.exact) for m in matches] == [("003", 1.0, True)]


def test_seed_paraphrases_are_not_near_duplicates(seeds):
    """The seeds rewrite one wire in other words: same story, but no copy."""
    index = NearDupIndex()
    for key, text in seeds.items():
        assert index.add(key, text) == [], key
    assert len(index) == 5


def test_finds_the_dispatch_printed_twice_in_rpm2_and_nothing_else():
    index = NearDupIndex()
    signer = index.signer
    texts = {p.stem: _read(p) for p in sorted(RPM2.glob("*.txt"))}
    found = {}
    for key, text in texts.items():
        for match in index.add(key, text):
            found[(key, match.key)] = match.jaccard
    # Every reported pair really shares half its shingles, give or take the estimate's error.
    assert found
    for (a, b), estimate in found.items():
        exact = _exact_jaccard(signer, texts[a], texts[b])
        assert exact >= 0.4 and abs(exact - estimate) < 0.15, (a, b, exact, estimate)
    # And the clearest real pair is among them.
    best = max(((a, b) for a in texts for b in texts if a > b and a[:3] == b[:3]),
               key=lambda p: _exact_jaccard(signer, texts[p[0]], texts[p[1]]))
    assert best in found


@pytest.mark.parametrize("rate", [0.0, 0.02, 0.05, 0.1, 0.2])
def test_estimated_jaccard_tracks_the_exact_one_on_edited_text(seeds, rate):
    signer = Signer()
    original = normalise(seeds["003"])
    for seed in range(5):
        edited = _edit(original, rate, seed)
        a, b = signer.sign(original), signer.sign(edited)
        estimate = float((a.minhash == b.minhash).mean())
        exact = _exact_jaccard(signer, original, edited)
        assert abs(estimate - exact) < 0.15, (rate, seed, estimate, exact)


def test_light_edits_are_found_heavy_rewrites_are_not(seeds):
    index = NearDupIndex()
    original = normalise(seeds["004"])
    index.add("original", original)
    light = index.add("light", _edit(original, 0.03, 1))
    assert [m.key for m in light] == ["original"] and 0.5 <= light[0].jaccard < 1.0
    assert index.add("heavy", _edit(original, 0.5, 2)) == []


def test_no_text_one_word_and_repeated_sentence_do_not_break_the_index(seeds):
    index = NearDupIndex()
    assert index.add("empty", "") == []
    assert index.add("blank", " \n\n ... \t") == []
    assert "empty" not in index and len(index) == 0
    assert index.add("word", "Bonjour") == []
    assert [(m.key, m.exact) for m in index.add("word-again", "bonjour !")] == [("word", True)]
    assert index.add("other-word", "Merci") == []
    sentence = "Le conseil municipal a voté le budget à l'unanimité. "
    assert index.add("repeated", sentence * 1000) == []
    # The same sentence said a thousand times or twice is the same set of shingles.
    assert [m.key for m in index.add("repeated-twice", sentence * 2)] == ["repeated"]
    # None of this makes a real article look like a copy of anything.
    for key, text in seeds.items():
        assert index.add(key, text) == []


def test_a_thousand_copies_stay_cheap_and_near_copies_still_find_them(seeds):
    options = NearDupOptions(max_candidates=10)
    index = NearDupIndex(options)
    text = seeds["002"]
    index.add("copy-0", text)
    entries_after_first = len(index._table)
    for i in range(1, 1000):
        matches = index.add(f"copy-{i}", text)
        assert len(matches) == min(i, 10) and all(m.exact for m in matches)
    # Copies are filed under their digest only, not under 25 band keys each.
    assert len(index._table) == entries_after_first + 999
    near = index.add("near", _edit(normalise(text), 0.02, 7))
    assert len(near) == 10 and not any(m.exact for m in near)


def test_remove_hides_an_article_and_hands_its_bands_to_a_surviving_copy(seeds):
    index = NearDupIndex()
    text = seeds["003"]
    index.add("a", text)
    index.add("a-copy", text)
    assert index.remove("a") and not index.remove("a") and "a" not in index
    matches = index.add("b", _edit(normalise(text), 0.02, 3))
    assert [m.key for m in matches] == ["a-copy"]
    assert index.remove("a-copy")
    assert [m.key for m in index.query(index.sign(text))] == ["b"]
    with pytest.raises(ValueError):
        index.insert("b", index.sign(text))


def test_the_index_grows_and_keeps_finding_what_it_holds():
    rng = random.Random(0)
    vocabulary = normalise(_read(RPM2 / "T03_C1_01.txt")).split(" ")
    index = NearDupIndex()
    texts = []
    for i in range(3000):
        text = " ".join(rng.choice(vocabulary) for _ in range(rng.randint(150, 300)))
        texts.append(text)
        assert index.add(f"t{i}", text) == []
    assert len(index._table) > 3000 * 20  # several doublings of the slot table happened
    for i in range(0, 3000, 97):
        matches = index.query(index.sign(_edit(texts[i], 0.02, i)))
        assert matches and matches[0].key == f"t{i}"


def test_signatures_do_not_depend_on_the_process(seeds):
    """No use of Python's randomised hash(): a second process gives the same signature."""
    code = (
        "import sys, json; from recoupe.neardup import Signer; s = Signer().sign(sys.stdin.read());"
        "print(json.dumps([s.digest, s.minhash.tolist()]))"
    )
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], input=seeds["001"], capture_output=True, text=True,
                         env=env, check=True).stdout
    here = Signer().sign(seeds["001"])
    assert json.loads(out) == [here.digest, here.minhash.tolist()]
    assert Signer(seed=2).sign(seeds["001"]).minhash.tolist() != here.minhash.tolist()


@given(st.text(min_size=0, max_size=400), st.text(min_size=0, max_size=400))
@settings(max_examples=60, deadline=None)
def test_any_text_can_be_signed_and_compared(a, b):
    index = NearDupIndex()
    index.add("a", a)
    matches = index.add("b", b)
    if normalise(a) and normalise(a) == normalise(b):
        assert [(m.key, m.exact) for m in matches] == [("a", True)]
    for match in matches:
        assert 0.5 <= match.jaccard <= 1.0


def test_banding_matches_datasketch_and_options_are_checked():
    from datasketch.lsh import _optimal_param

    for threshold in (0.5, 0.7, 0.9):
        assert optimal_bands(threshold, 128) == _optimal_param(threshold, 128, 0.5, 0.5)
    assert NearDupOptions(threshold=0.8).banding() == (9, 13)
    for bad in ({"threshold": 0}, {"num_perm": 4}, {"bands": 20, "rows": 10}, {"bands": 4}, {"shingle_words": 0}):
        with pytest.raises(ConfigError):
            NearDupOptions(**bad)
