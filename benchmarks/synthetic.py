"""Synthetic corpora built from real sentences, with a known truth.

Real text (the seed articles, rpm2-dev, the SemEval 2022 sample) is cut into
sentences, pooled by language, and reassembled into articles:

- `NearDupCorpus`: unrelated articles plus controlled variants of earlier
  ones (exact copies, reformatted copies, light and heavy word edits,
  repeated blocks, added boilerplate, truncations, and partial overlaps that
  must *not* count). Article i is a pure function of (seed, i), so any
  article can be rebuilt to compute the exact Jaccard of any pair.
- `StoryCorpus`: dated articles, each a rewrite of one story's source
  sentences (subset, light edits, a few foreign sentences), stories living a
  few days, and unrelated singletons; the story of every article is known.
"""

from __future__ import annotations

import csv
import functools
import re
import sys
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[1].parent / "shared"

_SENTENCE_END = re.compile(r"(?<=[.!?…»\"])\s+(?=[«\"“(A-ZÀ-ÖØ-Þ0-9])")
_MIN_SENTENCE_CHARS = 25


@dataclass
class SyntheticArticle:
    index: int
    id: str
    title: str
    text: str
    language: str
    kind: str  # base | copy | reformat | edit-light | edit-heavy | repeat | boilerplate | truncate | overlap | story
    family: int  # near-dup corpus: index of the base it derives from; story corpus: story number
    parent: int | None = None
    published: str | None = None


def _split(text: str) -> list[str]:
    out = []
    for line in text.replace("\r", "").split("\n"):
        for sentence in _SENTENCE_END.split(line.strip()):
            sentence = " ".join(sentence.split())
            if len(sentence) >= _MIN_SENTENCE_CHARS:
                out.append(sentence)
    return out


@functools.cache
def sentence_pools(shared: Path = SHARED) -> dict[str, tuple[str, ...]]:
    """Distinct real sentences by language code."""
    pools: dict[str, dict[str, None]] = {}

    def add(language: str, text: str) -> None:
        bucket = pools.setdefault(language, {})
        for sentence in _split(text):
            bucket.setdefault(sentence, None)

    for path in sorted((shared / "seeds").glob("*.txt")):
        add("fr", path.read_text(encoding="utf-8-sig"))
    for path in sorted((shared / "data" / "rpm2-dev").glob("*.txt")):
        add("fr", path.read_text(encoding="utf-8-sig"))
    csv.field_size_limit(sys.maxsize)
    for name in ("training_set.csv", "testing_set.csv"):
        path = shared / "data" / "semeval2022-task8-sample" / name
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                add(row["lang1"], row["text1"])
                add(row["lang2"], row["text2"])
    return {lang: tuple(bucket) for lang, bucket in sorted(pools.items()) if len(bucket) >= 200}


class _Pools:
    def __init__(self, shared: Path):
        self.by_language = sentence_pools(shared)
        self.languages = sorted(self.by_language)
        sizes = np.array([len(self.by_language[lang]) for lang in self.languages], dtype=float)
        self.language_weights = sizes / sizes.sum()
        words: dict[str, None] = {}
        for sentences in self.by_language.values():
            for sentence in sentences[:2000]:
                for word in sentence.split():
                    words.setdefault(word, None)
        self.words = tuple(words)

    def sentences(self, rng: np.random.Generator, language: str, count: int) -> list[str]:
        pool = self.by_language[language]
        return [pool[i] for i in rng.integers(0, len(pool), size=count)]


def _paragraphs(rng: np.random.Generator, sentences: list[str]) -> str:
    """Sentences grouped into paragraphs of one to four, separated by blank lines."""
    out, i = [], 0
    while i < len(sentences):
        size = int(rng.integers(1, 5))
        out.append(" ".join(sentences[i : i + size]))
        i += size
    return "\n\n".join(out)


def _edit_words(rng: np.random.Generator, text: str, rate: float, vocabulary: tuple[str, ...]) -> str:
    """Replaces, deletes or inserts about `rate` of the words, paragraph breaks kept."""
    paragraphs = []
    for paragraph in text.split("\n\n"):
        words = paragraph.split(" ")
        out = []
        for word in words:
            if rng.random() >= rate:
                out.append(word)
                continue
            action = rng.integers(0, 3)
            if action == 0:
                out.append(vocabulary[int(rng.integers(0, len(vocabulary)))])
            elif action == 1:
                out.extend([word, vocabulary[int(rng.integers(0, len(vocabulary)))]])
            # action 2: deleted
        paragraphs.append(" ".join(out) or paragraph)
    return "\n\n".join(paragraphs)


_KINDS = ("copy", "reformat", "edit-light", "edit-heavy", "repeat", "boilerplate", "truncate", "overlap")
_KIND_WEIGHTS = np.array([0.10, 0.10, 0.20, 0.15, 0.10, 0.10, 0.10, 0.15])


class NearDupCorpus:
    """`n` articles; about `variant_share` of them derive from an earlier article.

    The parent of a variant is a few hundred articles back at most (geometric
    distance), as copies of news follow the original within hours.
    """

    def __init__(self, n: int, seed: int = 0, variant_share: float = 0.35, shared: Path = SHARED, cache: int = 8192):
        self.n = n
        self.seed = seed
        self.variant_share = variant_share
        self.pools = _Pools(shared)
        self._cache: OrderedDict[int, SyntheticArticle] = OrderedDict()
        self._cache_size = cache

    def __len__(self) -> int:
        return self.n

    def __iter__(self):
        for i in range(self.n):
            yield self.article(i)

    def article(self, i: int) -> SyntheticArticle:
        cached = self._cache.get(i)
        if cached is not None:
            return cached
        article = self._build(i)
        self._cache[i] = article
        if len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)
        return article

    def _build(self, i: int) -> SyntheticArticle:
        rng = np.random.default_rng([self.seed, i])
        distance = int(rng.geometric(0.01))
        if distance > i or rng.random() >= self.variant_share:
            language = self.pools.languages[int(rng.choice(len(self.pools.languages), p=self.pools.language_weights))]
            sentences = self.pools.sentences(rng, language, int(rng.integers(4, 30)))
            return SyntheticArticle(i, f"a{i:07d}", sentences[0][:90], _paragraphs(rng, sentences), language, "base", i)
        parent = self.article(i - distance)
        kind = _KINDS[int(rng.choice(len(_KINDS), p=_KIND_WEIGHTS))]
        text = parent.text
        paragraphs = text.split("\n\n")
        if kind == "reformat":
            text = "\n".join(p.upper() if rng.random() < 0.2 else p.replace("'", "’").replace(",", " ,") for p in paragraphs)
        elif kind == "edit-light":
            text = _edit_words(rng, text, float(rng.uniform(0.01, 0.05)), self.pools.words)
        elif kind == "edit-heavy":
            text = _edit_words(rng, text, float(rng.uniform(0.06, 0.2)), self.pools.words)
        elif kind == "repeat":
            repeated = []
            for p in paragraphs:
                repeated.extend([p] * int(rng.integers(1, 4)))
            text = "\n\n".join(repeated * int(rng.integers(1, 3)))
        elif kind == "boilerplate":
            extra = self.pools.sentences(rng, parent.language, int(rng.integers(1, 4)))
            text = "\n\n".join(extra[:1] + paragraphs + extra[1:])
        elif kind == "truncate":
            keep = max(1, int(round(len(paragraphs) * rng.uniform(0.4, 0.95))))
            text = "\n\n".join(paragraphs[:keep])
        elif kind == "overlap":
            kept = [p for p in paragraphs if rng.random() < 0.35] or paragraphs[:1]
            fresh = self.pools.sentences(rng, parent.language, int(rng.integers(3, 15)))
            text = "\n\n".join(kept + [_paragraphs(rng, fresh)])
        return SyntheticArticle(i, f"a{i:07d}", parent.title, text, parent.language, kind, parent.family, parent.index)


class StoryCorpus:
    """`n` dated articles in publication order, each belonging to a known story.

    A story has source sentences in one language and lives `story_days` at
    most; its articles are rewrites of it (a subset of its sentences, light
    edits, a few foreign sentences). `singleton_share` of articles are
    unrelated to anything. `per_day` articles are published per day.
    """

    def __init__(self, n: int, seed: int = 0, per_day: int = 1000, singleton_share: float = 0.3,
                 story_days: float = 3.0, mean_story_size: float = 6.0, shared: Path = SHARED,
                 start: datetime = datetime(2024, 1, 1)):
        self.n = n
        self.seed = seed
        self.per_day = per_day
        self.singleton_share = singleton_share
        self.story_days = story_days
        self.mean_story_size = mean_story_size
        self.pools = _Pools(shared)
        self.start = start

    def __len__(self) -> int:
        return self.n

    def __iter__(self):
        rng = np.random.default_rng([self.seed, 0x570])
        pools = self.pools
        active: list[dict] = []  # stories still publishing
        stories = 0
        step = 86400.0 / self.per_day
        for i in range(self.n):
            now = i * step
            active = [s for s in active if s["until"] > now and s["left"] > 0]
            # New stories start at the rate that gives the mean story size.
            starts_story = self.singleton_share + (1.0 - self.singleton_share) / self.mean_story_size
            roll = rng.random()
            if roll < self.singleton_share or roll < starts_story or not active:
                language = "fr" if rng.random() < 0.6 else pools.languages[
                    int(rng.choice(len(pools.languages), p=pools.language_weights))]
            if roll < self.singleton_share:
                sentences = pools.sentences(rng, language, int(rng.integers(4, 25)))
                yield SyntheticArticle(i, f"s{i:07d}", sentences[0][:90], _paragraphs(rng, sentences), language,
                                       "base", stories, None, self._date(now))
                stories += 1
                continue
            if roll < starts_story or not active:
                story = {"id": stories, "language": language, "source": pools.sentences(rng, language, int(rng.integers(8, 30))),
                         "until": now + self.story_days * 86400 * rng.uniform(0.3, 1.0),
                         "left": int(rng.geometric(1.0 / self.mean_story_size))}
                stories += 1
                active.append(story)
            else:
                story = active[int(rng.integers(0, len(active)))]
            story["left"] -= 1
            source = story["source"]
            keep = [s for s in source if rng.random() < rng.uniform(0.4, 0.8)] or source[:2]
            if rng.random() < 0.5:
                keep += pools.sentences(rng, story["language"], int(rng.integers(1, 3)))
            text = _paragraphs(rng, keep)
            if rng.random() < 0.5:
                text = _edit_words(rng, text, float(rng.uniform(0.01, 0.05)), pools.words)
            title_from = source[int(rng.integers(0, min(3, len(source))))]
            title = " ".join(title_from.split()[: int(rng.integers(6, 14))])
            yield SyntheticArticle(i, f"s{i:07d}", title, text, story["language"], "story", story["id"], None, self._date(now))

    def _date(self, seconds: float) -> str:
        return (self.start + timedelta(seconds=seconds)).isoformat(timespec="seconds")
