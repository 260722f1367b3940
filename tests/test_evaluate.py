"""Cluster and pair-similarity evaluation: the measures themselves, and the command's entry point."""

from __future__ import annotations

import math
import shutil
from pathlib import Path

import pytest

from recoupe.errors import InputError
from recoupe.evaluate import (
    PairScores,
    _semeval_article,
    adjusted_rand_index,
    bcubed,
    evaluate_clusters,
    gold_labels,
    main,
    pair_similarities,
    pearson,
    pearson_interval,
    read_semeval,
)

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
RPM2 = SHARED / "data" / "rpm2-dev"
SEMEVAL = SHARED / "data" / "semeval2022-task8-sample"


def test_bcubed_on_a_worked_example():
    gold = {"a": "x", "b": "x", "c": "x", "d": "y", "e": "y"}
    predicted = {"a": 1, "b": 1, "c": 2, "d": 2, "e": 2}
    p, r, f = bcubed(gold, predicted)
    # precision: a,b 2/2; c,d,e: c 1/3, d 2/3, e 2/3 -> (1+1+1/3+2/3+2/3)/5
    assert p == pytest.approx((1 + 1 + 1 / 3 + 2 / 3 + 2 / 3) / 5)
    # recall: a,b 2/3; c 1/3; d,e 2/2
    assert r == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1 + 1) / 5)
    assert f == pytest.approx(2 * p * r / (p + r))
    assert bcubed(gold, {k: k for k in gold})[0] == 1.0
    assert bcubed(gold, {k: 0 for k in gold})[1] == 1.0


def test_adjusted_rand_index_values():
    gold = {str(i): i // 3 for i in range(9)}
    assert adjusted_rand_index(gold, dict(gold)) == pytest.approx(1.0)
    assert adjusted_rand_index(gold, {k: -v for k, v in gold.items()}) == pytest.approx(1.0)  # names do not matter
    # Classic example (Hubert & Arabie): one item moved.
    gold = {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 1}
    moved = {"a": 0, "b": 0, "c": 1, "d": 1, "e": 1, "f": 1}
    # contingency [[2,0],[1,3]]: index=1+3=4, rows=1+6=7, cols=3+3=6, expected=7*6/15=2.8, max=6.5
    assert adjusted_rand_index(gold, moved) == pytest.approx((4 - 2.8) / (6.5 - 2.8))
    everything_apart = {k: k for k in gold}
    assert adjusted_rand_index(gold, everything_apart) == pytest.approx(0.0)


def test_gold_labels_from_names():
    names = ["T01_C1_01", "T01_C2_07", "T10_C1_03", "README"]
    assert gold_labels(names, r"T\d+") == {"T01_C1_01": "T01", "T01_C2_07": "T01", "T10_C1_03": "T10"}
    assert gold_labels(names, r"(T\d+_C\d)_") == {"T01_C1_01": "T01_C1", "T01_C2_07": "T01_C2", "T10_C1_03": "T10_C1"}


def test_pearson():
    assert pearson([1, 2, 3], [2, 4, 6]) == pytest.approx(1.0)
    assert pearson([1, 2, 3], [3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(pearson([1, 1, 1], [1, 2, 3]))


def test_pearson_interval_is_fishers():
    low, high = pearson_interval(0.5, 28)  # atanh(0.5) = 0.549, standard error 1/5
    assert low == pytest.approx(0.156, abs=1e-3) and high == pytest.approx(0.736, abs=1e-3)
    low, high = pearson_interval(-0.742, 102)
    assert low < -0.742 < high and high - low < 0.2
    wide, narrow = pearson_interval(-0.7, 30), pearson_interval(-0.7, 3000)
    assert wide[1] - wide[0] > 5 * (narrow[1] - narrow[0])
    assert pearson_interval(0.9, 3) == (0.9, 0.9) and pearson_interval(1.0, 50) == (1.0, 1.0)
    assert PairScores("fr-fr", 102, -0.742).line().endswith("ci95=[-0.818, -0.640]")


def test_semeval_text_is_title_then_body():
    article = _semeval_article("k", "Un titre court  Le corps de l'article.  Suite.", "fr")
    assert article.title == "Un titre court" and article.text.startswith("Le corps")
    article = _semeval_article("k", "Le CIO et le Japon reportent les JO\nDepuis hier.  Suite.", "fr")
    assert article.title == "Le CIO et le Japon reportent les JO" and article.text == "Depuis hier.  Suite."
    article = _semeval_article("k", " Un titre collé au corps sans marque. Le corps.", "fr")
    assert article.title is None and article.text.startswith("Un titre collé")
    assert _semeval_article("k", "x" * 300 + "\nCorps.", "fr").title is None  # too long for a headline


def test_eval_clusters_on_a_folder_and_its_errors(tmp_path, capsys):
    for name in ["T04_C1_01", "T04_C1_02", "T04_C1_03", "T08_C2_01", "T08_C2_02", "T08_C2_03"]:
        shutil.copy(RPM2 / f"{name}.txt", tmp_path / f"{name}.txt")
    stories, topics = evaluate_clusters(tmp_path, r"T\d+")
    assert stories.articles == 6 and stories.gold_clusters == 2
    assert topics.f1 == pytest.approx(1.0) and topics.ari == pytest.approx(1.0)
    assert main(["clusters", str(tmp_path), "--label-regex", r"T\d+"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("stories") and out[1].startswith("topics") and "F1=1.0000" in out[1]
    assert main(["clusters", str(tmp_path / "missing"), "--label-regex", "T"]) == 1
    assert "not a folder" in capsys.readouterr().err
    with pytest.raises(InputError):
        evaluate_clusters(tmp_path, r"Z\d+")


def test_pair_similarity_follows_human_ratings_on_french_pairs():
    rows = [r for r in read_semeval(SEMEVAL) if r["lang1"] == r["lang2"] == "fr"]
    similarity = pair_similarities(rows)
    overall = [float(r["Overall"]) for r in rows]
    # 1 = very similar: a similarity must fall as the rating rises. Measured: about -0.7.
    assert pearson(similarity, overall) < -0.6
    same = [s for s, o in zip(similarity, overall) if o <= 1.5]
    different = [s for s, o in zip(similarity, overall) if o >= 3.5]
    assert min(same) > sorted(different)[len(different) // 2]
