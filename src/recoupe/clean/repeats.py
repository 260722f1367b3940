"""Paragraphs an article repeats: a broken generator or template printing its body again.

The first copy stays where it is; each later copy, exact or near-exact, is
marked "repeat". Near copies must print the same figures: two paragraphs that
differ only in their numbers say different things. Exact copies are found by
hashing folded paragraphs; fuzzy comparison runs only among paragraphs that
share their first or last words, and only against a bounded number of them,
so the cost stays linear even on an article made of one sentence printed a
thousand times.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from .blocks import Paragraph, ends_sentence

_DIGITS = re.compile(r"\d+")
_ANCHOR_WORDS = 4  # paragraphs compared fuzzily share their first or their last words
_MAX_CANDIDATES = 32  # per anchor: compare against at most this many earlier paragraphs


@dataclass
class RepeatStats:
    body_chars: int  # characters of the paragraphs examined
    repeated_chars: int  # characters of the later copies

    @property
    def ratio(self) -> float:
        return self.repeated_chars / self.body_chars if self.body_chars else 0.0


def mark_repeats(paragraphs: list[Paragraph], similarity: float, min_fuzzy_chars: int) -> RepeatStats:
    """Mark later copies of a paragraph as "repeat".

    `similarity` (0..1) is the rapidfuzz ratio above which two paragraphs count
    as the same; paragraphs shorter than `min_fuzzy_chars` must match exactly.
    """
    # a later copy of a line already taken as furniture is furniture printed again
    seen: set[str] = {p.key for p in paragraphs if p.kind == "furniture" and p.key}
    anchors: dict[tuple[str, ...], list[tuple[str, bool]]] = defaultdict(list)
    body_chars = repeated_chars = 0
    cutoff = similarity * 100
    for paragraph in paragraphs:
        if not paragraph.kept:
            continue
        text = paragraph.text
        body_chars += len(text)
        key = paragraph.key
        if not key:
            continue
        sentence = ends_sentence(text)
        if key in seen or (len(key) >= min_fuzzy_chars and _near_copy(key, sentence, anchors, similarity, cutoff)):
            paragraph.kind = "repeat"
            repeated_chars += len(text)
            continue
        seen.add(key)
        if len(key) >= min_fuzzy_chars:
            for anchor in _anchors(key):
                bucket = anchors[anchor]
                if len(bucket) < _MAX_CANDIDATES:
                    bucket.append((key, sentence))
    return RepeatStats(body_chars, repeated_chars)


def _anchors(key: str) -> list[tuple[str, ...]]:
    tokens = key.split()
    return [("^", *tokens[:_ANCHOR_WORDS]), ("$", *tokens[-_ANCHOR_WORDS:])]


def _near_copy(key: str, sentence: bool, anchors: dict[tuple[str, ...], list[tuple[str, bool]]], similarity: float, cutoff: float) -> bool:
    for anchor in _anchors(key):
        for candidate, candidate_sentence in anchors.get(anchor, ()):
            if candidate_sentence != sentence:
                continue  # a heading restated as a sentence is writing, not a printing fault
            shorter, longer = sorted((len(key), len(candidate)))
            if shorter * (2 - similarity) < longer * similarity:
                continue  # lengths too far apart for the ratio to reach the cutoff
            if _DIGITS.findall(key) != _DIGITS.findall(candidate):
                continue  # other figures: another statement, however alike the words
            if fuzz.ratio(key, candidate, score_cutoff=cutoff):
                return True
    return False
