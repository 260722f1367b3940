"""Derivation benchmark: reuse found in derivatives made from real articles, where the truth is known.

`python benchmarks/run.py derivation [--sources N] [--seed S] [--sizes 10,100,1000] [--agnostic]`
(or `python benchmarks/derivation.py ...` on its own).

Accuracy. Each real rpm2-dev article (French press, 2008) becomes a story
with three derivatives made from it and one real article of the same topic
from the other month, all undated and uncredited, in shuffled order:

- copy: the same text (whitespace changed);
- light-edit: a fifth of the sentences dropped, one filler sentence added,
  figures reformatted ("50 000" -> "50.000", "4,7 %" -> "4,7 pour cent"),
  a few words swapped for synonyms;
- paraphrase: a third of the sentences dropped, neighbours swapped, two or
  three filler sentences, figures rounded, synonyms and clause moves in
  most sentences;
- independent: the other-month article (same topic, other event).

Pairs source-derivative carry the derivative's label, pairs with the
independent article "independent"; pairs between two derivatives have no
label and are not scored. Precision and recall per class; direction is
scored on the derivative pairs found as reuse (a copy's direction is
undecidable from the text: it is reported apart). No translation class:
nothing here can translate, so translation is tested on a hand-written pair
(tests/reuse/test_align.py) only.

Speed. Stories of 10, 100 and 1,000 articles (real articles and derivatives
of them, word-form features so that spaCy's time does not hide the
alignment's) are aligned; the run prints time per aligned article pair,
sentence pairs scored against all sentence pairs, and how time grows with
the number of sentences (an exponent near 1 is linear, 2 would be square).
"""

from __future__ import annotations

import argparse
import math
import random
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from recoupe.article import Article  # noqa: E402
from recoupe.clean import clean_article  # noqa: E402
from recoupe.reuse import ReuseOptions, align_story, analyse_provenance, article_features  # noqa: E402

RPM2 = HERE.parent.parent / "shared" / "data" / "rpm2-dev"
LABELS = ("copy", "light-edit", "paraphrase", "independent")

# Generic padding of the kind content farms add: no name, no figure, no date.
FILLER = [
    "Une situation qui ne manque pas de susciter de nombreuses interrogations.",
    "Reste à savoir ce que l'avenir nous réserve dans les prochains mois.",
    "Un dossier à suivre de très près dans les semaines à venir.",
    "Cette affaire soulève des questions importantes pour l'ensemble de la société.",
    "Les observateurs restent partagés sur les conséquences de cette décision.",
    "Il s'agit d'un tournant majeur dont il faudra mesurer toute la portée.",
    "De quoi alimenter encore davantage le débat dans les jours qui viennent.",
    "Une chose est sûre : le sujet n'a pas fini de faire parler de lui.",
]

# Common words of French news and a word that can stand for them (either way).
SYNONYMS = [
    ("a déclaré", "a affirmé"), ("a annoncé", "a fait savoir"), ("a indiqué", "a précisé"), ("selon", "d'après"),
    ("également", "aussi"), ("toutefois", "cependant"), ("important", "majeur"), ("importante", "majeure"),
    ("enquête", "investigation"), ("voiture", "véhicule"), ("policiers", "agents"), ("rapidement", "vite"),
    ("plusieurs", "divers"), ("aujourd'hui", "à présent"), ("environ", "près de"), ("désormais", "dorénavant"),
    ("grave", "sérieux"), ("décidé", "choisi"), ("demandé", "réclamé"), ("souhaite", "désire"),
    ("commencé", "débuté"), ("maison", "habitation"), ("ville", "commune"), ("pays", "nation"),
    ("entreprise", "société"), ("gouvernement", "exécutif"), ("bien que", "quoique"), ("afin de", "pour"),
    ("lors de", "au cours de"), ("après", "à la suite de"), ("montre", "révèle"), ("affirme", "assure"),
    ("explique", "précise"), ("problème", "difficulté"), ("mort", "décès"), ("accord", "entente"),
    ("projet", "plan"), ("hausse", "augmentation"), ("baisse", "diminution"), ("rapport", "document"),
]
_SYNONYM_PATTERNS = [(re.compile(rf"\b{re.escape(a)}\b"), b) for a, b in SYNONYMS] + [
    (re.compile(rf"\b{re.escape(b)}\b"), a) for a, b in SYNONYMS
]
_OTHER_DETERMINER = {"le ": "ce ", "la ": "cette ", "les ": "ces ", "des ": "certains ", "un ": "le ", "une ": "la ",
                     "Le ": "Ce ", "La ": "Cette ", "Les ": "Ces "}
_DETERMINERS = re.compile(r"\b(?:[Ll]es?|[Ll]a|des|une?) ")
_SENTENCE = re.compile(r"(?<=[.!?»])\s+(?=[A-ZÀ-ÖØ-Þ«\"])")
_THOUSANDS = re.compile(r"\b(\d{1,3})[ \u00a0\u202f](\d{3})\b")
_DECIMAL = re.compile(r"\b(\d+),(\d+)\b")
_PERCENT = re.compile(r"(\d)\s?%")


# ---------------------------------------------------------------- derivatives


def sentences_of(text: str) -> list[str]:
    out = []
    for paragraph in text.split("\n\n"):
        out += [s.strip() for s in _SENTENCE.split(paragraph) if s.strip()]
    return out


def synonyms(sentence: str, rng: random.Random, share: float) -> str:
    for pattern, replacement in rng.sample(_SYNONYM_PATTERNS, len(_SYNONYM_PATTERNS)):
        if rng.random() < share and pattern.search(sentence):
            sentence = pattern.sub(replacement, sentence, count=1)
    return sentence


def move_clause(sentence: str) -> str:
    """Moves a short opening clause ("Mardi, ...") to the end, or a closing one to the front."""
    head, sep, tail = sentence.partition(", ")
    if sep and len(head.split()) <= 5 and len(tail.split()) >= 4:
        tail = tail.rstrip(".!?")
        return f"{tail[0].upper()}{tail[1:]}, {head[0].lower()}{head[1:]}."
    body, sep, last = sentence.rstrip(".").rpartition(", ")
    if sep and len(last.split()) <= 6 and len(body.split()) >= 4:
        return f"{last[0].upper()}{last[1:]}, {body[0].lower()}{body[1:]}."
    return sentence


def reword(sentence: str, rng: random.Random) -> str:
    """Cuts asides (brackets, a clause between commas) and swaps the halves around "et"."""
    sentence = re.sub(r"\s*\([^()]{1,80}\)", "", sentence)
    clauses = sentence.split(", ")
    if len(clauses) >= 3 and rng.random() < 0.7:
        del clauses[rng.randrange(1, len(clauses) - 1)]
        sentence = ", ".join(clauses)
    left, sep, right = sentence.rstrip(".").partition(" et ")
    if sep and len(left.split()) >= 4 and len(right.split()) >= 4 and rng.random() < 0.5:
        sentence = f"{right[0].upper()}{right[1:]} et {left[0].lower()}{left[1:]}."
    clauses = sentence.rstrip(".").split(", ")
    if len(clauses) >= 2:  # the last clause first: "X, a déclaré Y" -> "Y a déclaré, X"
        last = clauses.pop()
        clauses.insert(0, last[0].upper() + last[1:])
        clauses[1] = clauses[1][0].lower() + clauses[1][1:] if clauses[1][:2] != clauses[1][:2].upper() else clauses[1]
        sentence = ", ".join(clauses) + "."
    return _DETERMINERS.sub(lambda m: _OTHER_DETERMINER[m.group(0)] if rng.random() < 0.6 else m.group(0), sentence)


def reformat_figures(sentence: str) -> str:
    sentence = _THOUSANDS.sub(r"\1.\2", sentence)
    return _PERCENT.sub(r"\1 pour cent", sentence)


def round_figures(sentence: str) -> str:
    """"81,4 millions" -> "81 millions"; "2,47" -> "2,5": the precision a rewrite loses."""
    def rounded(m: re.Match[str]) -> str:
        whole, decimals = m.group(1), m.group(2)
        if len(decimals) >= 2:
            value = round(float(f"{whole}.{decimals}"), 1)
            return f"{value:.1f}".replace(".", ",")
        return str(round(float(f"{whole}.{decimals}")))
    return _DECIMAL.sub(rounded, sentence)


def derive(text: str, kind: str, rng: random.Random) -> str:
    sentences = sentences_of(text)
    if kind == "copy":
        return "\n\n".join(sentences)
    drop = 0.2 if kind == "light-edit" else 0.33
    dropped = set(rng.sample(range(1, len(sentences)), max(1, round(drop * len(sentences))))) if len(sentences) > 2 else set()
    kept = [s for k, s in enumerate(sentences) if k not in dropped]
    if kind == "light-edit":
        out = [reformat_figures(synonyms(s, rng, 0.6) if rng.random() < 0.5 else s) for s in kept]
        fillers = 1
    else:
        out = [round_figures(reword(move_clause(synonyms(s, rng, 1.0)), rng)) for s in kept]
        for k in range(1, len(out) - 1, 4):
            if rng.random() < 0.5:
                out[k], out[k + 1] = out[k + 1], out[k]
        fillers = rng.choice((2, 3))
    for filler in rng.sample(FILLER, fillers):
        out.insert(rng.randrange(1, len(out) + 1), filler)
    return "\n\n".join(out)


# ---------------------------------------------------------------- data


def read_rpm2() -> list[Article]:
    articles = []
    for path in sorted(RPM2.glob("*.txt")):
        raw = path.read_bytes()
        article = Article(id=path.stem, source=str(path), raw=raw,
                          input_text=raw.decode("utf-8-sig").replace("\r\n", "\n"))
        clean_article(article)
        article.language, article.agency, article.published = "fr", None, None
        articles.append(article)
    return articles


def other_month(source: Article, pool: list[Article], rng: random.Random) -> Article:
    topic, cluster = source.id[:3], source.id[4:6]
    candidates = [a for a in pool if a.id[:3] == topic and a.id[4:6] != cluster]
    return rng.choice(candidates)


# ---------------------------------------------------------------- accuracy


def accuracy(sources: int, seed: int, analyser) -> dict:
    rng = random.Random(seed)
    pool = read_rpm2()
    chosen = [a for a in pool if len(sentences_of(a.text)) >= 6]
    chosen = rng.sample(chosen, min(sources, len(chosen)))
    truth_counts: Counter[tuple[str, str]] = Counter()
    direction = Counter()
    started = time.perf_counter()
    for n, source in enumerate(chosen):
        story = [source]
        labels = {}
        for kind in ("copy", "light-edit", "paraphrase"):
            derived = Article(id=f"{source.id}~{kind}", source="derived", text=derive(source.text, kind, rng), language="fr")
            story.append(derived)
            labels[derived.id] = kind
        independent = other_month(source, pool, rng)
        independent = Article(id=independent.id, source=independent.source, text=independent.text, language="fr")
        story.append(independent)
        if analyser is not None:
            for article in story:
                article.analysis = None
                article.language = None
                analyser.analyse(article)
        rng.shuffle(story)
        result = analyse_provenance(story)
        by_pair = {frozenset((story[r.x].id, story[r.y].id)): r for r in result.pairs}
        truths = {frozenset((source.id, d)): kind for d, kind in labels.items()}
        truths.update({frozenset((independent.id, other.id)): "independent" for other in story if other is not independent})
        for key, truth in truths.items():
            found = by_pair.get(key)
            predicted = found.relation.kind if found else "independent"
            truth_counts[(truth, predicted)] += 1
            if truth != "independent" and found is not None and found.direction is not None:
                right = story[found.direction.source].id == source.id
                bucket = "copy" if truth == "copy" else "edited"
                direction[(bucket, right)] += 1
            elif truth != "independent":
                direction[("copy" if truth == "copy" else "edited", None)] += 1
    elapsed = time.perf_counter() - started
    per_class = {}
    for label in LABELS:
        tp = truth_counts[(label, label)]
        predicted = sum(v for (t, p), v in truth_counts.items() if p == label)
        actual = sum(v for (t, p), v in truth_counts.items() if t == label)
        per_class[label] = {"precision": round(tp / predicted, 3) if predicted else None,
                            "recall": round(tp / actual, 3) if actual else None, "pairs": actual}
    # "reuse" as one class: any of copy / light-edit / paraphrase against independent
    reuse_tp = sum(v for (t, p), v in truth_counts.items() if t != "independent" and p != "independent")
    reuse_pred = sum(v for (t, p), v in truth_counts.items() if p != "independent")
    reuse_true = sum(v for (t, p), v in truth_counts.items() if t != "independent")
    edited_right, edited_wrong, edited_missing = direction[("edited", True)], direction[("edited", False)], direction[("edited", None)]
    return {
        "stories": len(chosen),
        "features": "spacy" if analyser is not None else "word forms",
        "per_class": per_class,
        "reuse_vs_independent": {"precision": round(reuse_tp / reuse_pred, 3) if reuse_pred else None,
                                 "recall": round(reuse_tp / reuse_true, 3) if reuse_true else None},
        "confusion": {f"{t}->{p}": v for (t, p), v in sorted(truth_counts.items())},
        "direction_edited": {
            "precision": round(edited_right / (edited_right + edited_wrong), 3) if edited_right + edited_wrong else None,
            "recall": round(edited_right / (edited_right + edited_wrong + edited_missing), 3)
            if edited_right + edited_wrong + edited_missing else None,
        },
        "direction_copies_right": f"{direction[('copy', True)]}/{direction[('copy', True)] + direction[('copy', False)]}"
                                  " (undecidable from the text: tie-break)",
        "seconds": round(elapsed, 2),
    }


# ---------------------------------------------------------------- speed


def synthetic_story(size: int, pool: list[Article], rng: random.Random) -> list[Article]:
    story = []
    for k in range(size):
        base = pool[k % len(pool)]
        if k < len(pool) and (k % 4 == 0 or size <= len(pool)):
            story.append(Article(id=f"r{k}", source="real", text=base.text, language="fr"))
        else:
            kind = ("copy", "light-edit", "paraphrase")[k % 3]
            story.append(Article(id=f"d{k}", source="derived", text=derive(base.text, kind, rng), language="fr"))
    return story


def speed(sizes: list[int], seed: int) -> list[dict]:
    rng = random.Random(seed)
    pool = [a for a in read_rpm2() if a.id.startswith(("T01", "T02", "T03"))]  # 60 real articles, three topics
    out = []
    for size in sizes:
        story = synthetic_story(size, pool, rng)
        t0 = time.perf_counter()
        features = [article_features(a) for a in story]
        t1 = time.perf_counter()
        aligned = align_story(story, ReuseOptions(), features)
        t2 = time.perf_counter()
        sentences = sum(len(f) for f in features)
        all_pairs = sum(len(features[i]) * len(features[j]) for i in range(len(features)) for j in range(i + 1, len(features))) \
            if size <= 200 else (sentences * sentences - sum(len(f) ** 2 for f in features)) // 2
        pairs = max(aligned.candidate_pairs, 1)
        out.append({
            "articles": size, "sentences": sentences,
            "features_s": round(t1 - t0, 3), "align_s": round(t2 - t1, 3),
            "article_pairs_aligned": aligned.candidate_pairs,
            "ms_per_article_pair": round(1000 * (t2 - t1) / pairs, 3),
            "sentence_pairs_scored": aligned.sentence_candidates,
            "sentence_pairs_all": all_pairs,
            "scored_share": round(aligned.sentence_candidates / all_pairs, 5) if all_pairs else 0.0,
        })
    for before, after in zip(out, out[1:]):
        after["growth_exponent_vs_sentences"] = round(
            math.log(max(after["align_s"], 1e-6) / max(before["align_s"], 1e-6))
            / math.log(after["sentences"] / before["sentences"]), 2)
    return out


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="derivation", description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=60, help="real articles turned into stories (accuracy)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--sizes", default="10,100,1000", help="story sizes for the speed part")
    parser.add_argument("--agnostic", action="store_true", help="word forms instead of spaCy lemmas for accuracy")
    args = parser.parse_args(argv or [])
    analyser = None
    if not args.agnostic:
        from recoupe.analyse import Analyser

        analyser = Analyser()
    return {
        "accuracy": accuracy(args.sources, args.seed, analyser),
        "speed": speed([int(s) for s in args.sizes.split(",") if s.strip()], args.seed),
    }


if __name__ == "__main__":
    import json

    print(json.dumps(main(sys.argv[1:]), ensure_ascii=False, indent=1))
