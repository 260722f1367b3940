"""Paragraphs an article repeats: a broken generator or template printing its body again.

The first copy stays where it is; each later copy, exact or near-exact, is
marked "repeat". Exact copies are found by hashing folded paragraphs; fuzzy
comparison runs only among paragraphs that share their first or last words,
and only against a bounded number of them, so the cost stays linear even on
an article made of one sentence printed a thousand times.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rapidfuzz import fuzz

from .blocks import Paragraph, comparison_key

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
    seen: set[str] = set()
    anchors: dict[tuple[str, ...], list[str]] = defaultdict(list)
    body_chars = repeated_chars = 0
    cutoff = similarity * 100
    for paragraph in paragraphs:
        if not paragraph.kept:
            continue
        text = paragraph.text
        body_chars += len(text)
        key = comparison_key(text)
        if not key:
            continue
        if key in seen or (len(key) >= min_fuzzy_chars and _near_copy(key, anchors, similarity, cutoff)):
            paragraph.kind = "repeat"
            repeated_chars += len(text)
            continue
        seen.add(key)
        if len(key) >= min_fuzzy_chars:
            for anchor in _anchors(key):
                bucket = anchors[anchor]
                if len(bucket) < _MAX_CANDIDATES:
                    bucket.append(key)
    return RepeatStats(body_chars, repeated_chars)


def _anchors(key: str) -> list[tuple[str, ...]]:
    tokens = key.split()
    return [("^", *tokens[:_ANCHOR_WORDS]), ("$", *tokens[-_ANCHOR_WORDS:])]


def _near_copy(key: str, anchors: dict[tuple[str, ...], list[str]], similarity: float, cutoff: float) -> bool:
    for anchor in _anchors(key):
        for candidate in anchors.get(anchor, ()):
            shorter, longer = sorted((len(key), len(candidate)))
            if shorter * (2 - similarity) < longer * similarity:
                continue  # lengths too far apart for the ratio to reach the cutoff
            if fuzz.ratio(key, candidate, score_cutoff=cutoff):
                return True
    return False
