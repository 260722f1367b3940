"""What story clustering compares: weighted term vectors of an article, by namespace.

Namespaces, each a TF-IDF vector of its own, normalised to unit length:

- `body`: content lemmas of the title and body (spaCy pipeline); for a
  language without a pipeline, character n-grams of the folded text instead;
- `title`: folded title words without stop words (the headline alone);
- `entity`: the words of named entities (spaCy NER, in the title too;
  capitalised runs of the body elsewhere), so "Ingrid Betancourt" and
  "Betancourt" share a key;
- `figure`: numbers as values ("10,5" and "10.5", "1 000" and "1000").

The similarity of two vectors is the weighted sum of the cosines of their
namespaces (weights in `FeatureOptions`); a namespace one side lacks adds
nothing. Document frequencies are counted online over the articles seen, so
IDF needs no background corpus and works in any language.
"""

from __future__ import annotations

import importlib
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from .article import Article
from .errors import ConfigError
from .neardup import normalise

NAMESPACES = ("body", "title", "entity", "figure")
_N = len(NAMESPACES)

_NUMBER = re.compile(r"(?<![\w.,])\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:[.,]\d+)?(?![\w])|(?<![\w.,])\d+(?:[.,]\d+)?(?![\w])")
_CAPITALISED = re.compile(r"\b[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w’'-]+(?:\s+[A-ZÀ-ÖØ-ÞĀ-ſА-Я][\w’'-]+)*")
_MIN_WORD = 3


@dataclass
class FeatureOptions:
    """Weights of the namespaces in the similarity (they need not sum to 1), and vector sizes.

    `max_terms`: most weighted terms kept per namespace of an article vector.
    `char_ngram`: n-gram length of the language-agnostic body features.
    """

    body_weight: float = 0.5
    title_weight: float = 0.15
    entity_weight: float = 0.25
    figure_weight: float = 0.1
    max_terms: int = 200
    char_ngram: int = 4

    def __post_init__(self) -> None:
        weights = self.weights
        if any(w < 0 for w in weights) or not any(weights):
            raise ConfigError("[stories] namespace weights must be >= 0 and not all 0")
        if self.max_terms < 1 or not 2 <= self.char_ngram <= 8:
            raise ConfigError("[stories] max_terms must be >= 1 and char_ngram between 2 and 8")

    @property
    def weights(self) -> tuple[float, float, float, float]:
        return (self.body_weight, self.title_weight, self.entity_weight, self.figure_weight)


def _stop_words(language: str) -> frozenset[str]:
    """spaCy's stop word list of a language (a plain word list: no model needed), folded."""
    try:
        module = importlib.import_module(f"spacy.lang.{language}.stop_words")
    except (ImportError, ValueError):
        return frozenset()
    return frozenset(normalise(w) for w in getattr(module, "STOP_WORDS", ()))


def number_keys(text: str) -> list[str]:
    """Numbers written in digits, as canonical values: "1 000" -> "1000", "10,5" -> "10.5"."""
    keys = []
    for match in _NUMBER.finditer(text):
        raw = re.sub(r"[ \u00a0\u202f]", "", match.group(0)).replace(",", ".")
        try:
            value = float(raw)
        except ValueError:
            continue
        keys.append(f"{value:g}")
    return keys


def char_ngrams(folded: str, n: int) -> list[str]:
    """Overlapping character n-grams of folded text; bigrams for scripts written without spaces."""
    if not folded:
        return []
    if folded.count(" ") * 20 < len(folded):  # Chinese, Japanese...: a "word" is a whole clause
        n = 2
    padded = f" {folded} "
    return [padded[i : i + n] for i in range(max(len(padded) - n + 1, 1))]


@dataclass
class TermCounts:
    """Raw term counts of one article, by namespace; what the store keeps of it for clustering."""

    counts: tuple[dict[str, int], ...] = field(default_factory=lambda: tuple({} for _ in NAMESPACES))
    agnostic: bool = False

    def to_state(self) -> dict:
        return {"counts": [dict(c) for c in self.counts], "agnostic": self.agnostic}

    @classmethod
    def from_state(cls, state: dict) -> "TermCounts":
        return cls(tuple(dict(c) for c in state["counts"]), bool(state.get("agnostic", False)))


class FeatureExtractor:
    """Terms of an article from its analysis (lemmas, entities) or, failing that, its text alone."""

    def __init__(self, options: FeatureOptions | None = None):
        self.options = options or FeatureOptions()
        self._stops: dict[str, frozenset[str]] = {}

    def stop_words(self, language: str | None) -> frozenset[str]:
        language = language or ""
        if language not in self._stops:
            self._stops[language] = _stop_words(language) if language.isalpha() else frozenset()
        return self._stops[language]

    def _words(self, text: str, stops: frozenset[str]) -> list[str]:
        return [w for w in normalise(text).split(" ") if (len(w) >= _MIN_WORD or w.isdigit()) and w not in stops]

    def terms(self, article: Article) -> TermCounts:
        analysis = article.analysis
        language = (analysis.language if analysis else None) or article.language
        stops = self.stop_words(language)
        text = article.text or ""
        body: Counter[str] = Counter()
        entity: Counter[str] = Counter()
        agnostic = analysis is None or analysis.model in ("", "agnostic")
        if not agnostic:
            for lemma in itertools.chain(analysis.title_lemmas, *analysis.lemmas):
                folded = normalise(lemma)
                if folded and (len(folded) >= _MIN_WORD or folded.isdigit()) and folded not in stops:
                    body[folded] += 1
            names = [*analysis.title_entities, *(e.text for e in analysis.entities)]
        else:
            body.update(char_ngrams(normalise(f"{article.title or ''}\n{text}"), self.options.char_ngram))
            names = _capitalised_names(text)  # not the title's: headline capitals are not names
        for name in names:
            entity.update(self._words(name, stops))
        title = Counter(self._words(article.title or "", stops))
        figure = Counter(number_keys(f"{article.title or ''}\n{text}"))
        return TermCounts((dict(body), dict(title), dict(entity), dict(figure)), agnostic)


def _capitalised_names(text: str) -> list[str]:
    """Runs of capitalised words; a lone word counts only if it appears once at least mid-sentence
    (a capital that only ever opens a sentence says nothing)."""
    names: list[str] = []
    mid_sentence: dict[str, bool] = {}
    for match in _CAPITALISED.finditer(text):
        name = match.group(0)
        names.append(name)
        if " " not in name and not mid_sentence.get(name):
            before = text[max(0, match.start() - 4) : match.start()].rstrip(" «\"“‘(")
            mid_sentence[name] = bool(before) and before[-1] not in ".!?:\n…"
    return [n for n in names if " " in n or mid_sentence.get(n)]


class SparseVector:
    """Term ids in ascending order and their weights (each namespace of unit length); `present`
    says which namespaces it has.

    Sorted ids let two vectors, or a vector and a story centroid, be compared
    with one binary search in numpy (`namespace_dots`) instead of a dict lookup per term.
    """

    __slots__ = ("ids", "values", "present")

    def __init__(self, ids: np.ndarray, values: np.ndarray, present: tuple[bool, ...]):
        self.ids = ids
        self.values = values
        self.present = present

    def __bool__(self) -> bool:
        return len(self.ids) > 0


def namespace_dots(a_ids: np.ndarray, a_values: np.ndarray, b_ids: np.ndarray, b_values: np.ndarray) -> list[float]:
    """Dot product per namespace of two sparse vectors whose ids are ascending."""
    if len(a_ids) > len(b_ids):
        a_ids, a_values, b_ids, b_values = b_ids, b_values, a_ids, a_values
    if not len(a_ids):
        return [0.0] * _N
    at = np.searchsorted(b_ids, a_ids)
    np.minimum(at, len(b_ids) - 1, out=at)
    shared = b_ids[at] == a_ids
    products = a_values[shared] * b_values[at[shared]]
    return np.bincount(a_ids[shared] % _N, weights=products, minlength=_N).tolist()


class Vectorizer:
    """Online TF-IDF: a vocabulary of term ids per namespace and their document frequencies.

    A term id encodes its namespace (`id % 4`), so story centroids can keep
    one array of ids per story and still tell namespaces apart.
    """

    def __init__(self, options: FeatureOptions | None = None):
        self.options = options or FeatureOptions()
        self.vocabulary: tuple[dict[str, int], ...] = tuple({} for _ in NAMESPACES)
        self._df = np.zeros(1024, dtype=np.int64)  # by term id // 4; grown by doubling
        self._terms = 0
        self.documents = 0

    def term_id(self, namespace: int, term: str) -> int | None:
        return self.vocabulary[namespace].get(term)

    def to_state(self) -> dict:
        """Everything the vectorizer learnt, as JSON-ready lists (dict order kept)."""
        return {"vocabulary": [[list(v), list(v.values())] for v in self.vocabulary],
                "df": self._df[: self._terms].tolist(), "documents": self.documents}

    @classmethod
    def from_state(cls, state: dict, options: FeatureOptions | None = None) -> "Vectorizer":
        vectorizer = cls(options)
        vectorizer.vocabulary = tuple(dict(zip(terms, ids)) for terms, ids in state["vocabulary"])
        df = state["df"]
        vectorizer._terms = len(df)
        vectorizer._df = np.zeros(max(1024, 2 * len(df)), dtype=np.int64)
        vectorizer._df[: len(df)] = df
        vectorizer.documents = int(state["documents"])
        return vectorizer

    def _ids(self, namespace: int, terms: dict[str, int]) -> np.ndarray:
        """Ids of `terms`, new terms entered in the vocabulary."""
        vocabulary = self.vocabulary[namespace]
        missing = set(terms).difference(vocabulary)  # set minus dict: a lookup per term, not a scan
        if missing:
            missing = sorted(missing)  # ids in a fixed order, whatever the string hashing
            first = self._terms
            self._terms += len(missing)
            vocabulary.update(zip(missing, range(first * _N + namespace, self._terms * _N, _N)))
            if self._terms > len(self._df):
                grown = np.zeros(max(2 * len(self._df), self._terms), dtype=np.int64)
                grown[: len(self._df)] = self._df
                self._df = grown
        return np.fromiter(map(vocabulary.__getitem__, terms), dtype=np.int64, count=len(terms))

    def observe(self, terms: TermCounts) -> None:
        """Counts the article in the document frequencies (call once per article)."""
        self.documents += 1
        for ns, counts in enumerate(terms.counts):
            if counts:
                rows = self._ids(ns, counts) // _N  # first: it may grow the array
                self._df[rows] += 1  # ids of one article are distinct

    def idf(self, term_id: int) -> float:
        return math.log((self.documents + 1) / (int(self._df[term_id // _N]) + 1)) + 1.0

    def vector(self, terms: TermCounts, observe: bool = False) -> SparseVector:
        """Sublinear TF x IDF per namespace, top `max_terms` kept, each namespace scaled to unit length.

        `observe=True` first counts the article in the document frequencies (one pass instead of two).
        """
        if observe:
            self.documents += 1
        log_docs = math.log(self.documents + 1)
        limit = self.options.max_terms
        parts_ids, parts_values, present = [], [], []
        for ns, counts in enumerate(terms.counts):
            if not counts:
                present.append(False)
                continue
            ids = self._ids(ns, counts)
            rows = ids // _N
            if observe:
                self._df[rows] += 1
            tf = 1.0 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
            weights = tf * (log_docs - np.log(self._df[rows] + 1.0) + 1.0)  # both factors >= 1
            if len(weights) > limit:
                keep = np.argsort(-weights, kind="stable")[:limit]  # heaviest first, ties in text order
                ids, weights = ids[keep], weights[keep]
            parts_ids.append(ids)
            parts_values.append(weights / math.sqrt(float(weights @ weights)))
            present.append(True)
        if not parts_ids:
            return SparseVector(np.zeros(0, dtype=np.int64), np.zeros(0), tuple(present))
        ids, values = np.concatenate(parts_ids), np.concatenate(parts_values)
        order = np.argsort(ids)  # ids are distinct
        return SparseVector(ids[order], values[order], tuple(present))

    def similarity(self, a: SparseVector, b: SparseVector) -> float:
        """Weighted mean of the namespace cosines of two article vectors, over the namespaces both have."""
        return combine(self.options.weights, namespace_dots(a.ids, a.values, b.ids, b.values), a.present, b.present)


def combine(weights: tuple[float, ...], cosines: list[float], present_a: tuple[bool, ...], present_b: tuple[bool, ...]) -> float:
    """Weighted mean of namespace cosines; a namespace missing on either side is left out.

    Two articles without figures are not alike for lacking them, nor unlike.
    """
    total = 0.0
    weight_sum = 0.0
    for weight, cos, in_a, in_b in zip(weights, cosines, present_a, present_b):
        if in_a and in_b:
            total += weight * cos
            weight_sum += weight
    return total / weight_sum if weight_sum else 0.0
