"""Settings of the reuse step (section [reuse] of the options), checked when built."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class ReuseOptions:
    """Thresholds of alignment, relation and direction; `defaults.toml` documents each key.

    Alignment: `min_score` is the sentence similarity (0..1) from which two
    sentences are aligned; `min_shared_words` content words other than names,
    figures and dates two sentences of one language must share; `min_anchors`
    names/figures/dates two sentences of different languages must share.
    An anchor must also share `anchor_keys` words, names, figures or dates (two
    words in common make a short sentence look alike); weaker pairs next to an
    anchor (`extend_window` sentences, `extend_score`) extend the passage.
    Index: `max_sources` candidate sources kept per article, `max_postings`
    articles read per index key, `max_sentence_postings` sentences of the other
    article a key may point to before it stops seeding candidates.
    Relation: `copy_verbatim`, `light_edit_verbatim` mean character similarity
    of the aligned pairs; `copy_shared`, `light_edit_shared`, `paraphrase_shared`
    share of the derivative's sentences aligned; `min_pairs` aligned sentences
    for any reuse; `paraphrase_order` share of the aligned pairs in the same order.
    """

    min_score: float = 0.45
    extend_score: float = 0.22
    extend_window: int = 4
    anchor_keys: int = 3
    min_shared_words: int = 2
    min_anchors: int = 2
    fuzzy_word: float = 0.86
    fuzzy_name: float = 0.8
    verbatim_alone: float = 0.9
    max_sources: int = 8
    max_postings: int = 64
    max_sentence_postings: int = 4
    passage_gap: int = 1
    min_pairs: int = 2
    paraphrase_min_pairs: int = 3
    copy_verbatim: float = 0.9
    copy_shared: float = 0.85
    light_edit_verbatim: float = 0.7
    light_edit_shared: float = 0.4
    paraphrase_shared: float = 0.2
    paraphrase_order: float = 0.6
    translation_shared: float = 0.3
    strong_pair: float = 0.75
    mt_min_cues: int = 2

    def __post_init__(self) -> None:
        unit = (
            "min_score", "extend_score", "fuzzy_word", "fuzzy_name", "verbatim_alone", "copy_verbatim", "copy_shared",
            "light_edit_verbatim", "light_edit_shared", "paraphrase_shared", "paraphrase_order",
            "translation_shared", "strong_pair",
        )
        for name in unit:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a number in [0, 1], got {value!r}")
        counts = (
            "min_shared_words", "min_anchors", "extend_window", "anchor_keys", "max_sources", "max_postings", "max_sentence_postings",
            "passage_gap", "min_pairs", "paraphrase_min_pairs", "mt_min_cues",
        )
        for name in counts:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        for name in ("max_sources", "max_postings", "max_sentence_postings", "min_pairs", "mt_min_cues"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)!r}")
