"""The reuse step: which passages of a story's articles come from one another, how, and from whom.

`align.py` aligns sentences through a key index and merges them into
passages; `relation.py` names the kind of reuse of each pair (copy,
light-edit, paraphrase, translation, independent); `provenance.py` reads
the direction of each reuse and gives every article its role and signals;
`view.py` prints two articles side by side with their aligned passages.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..article import Article
from ..config import Options, section_as
from ..steps import ARTICLE_SIGNALS
from .align import AlignedPair, PairAlignment, Passage, StoryAlignment, align_pair, align_story, article_features
from .options import ReuseOptions
from .provenance import MACHINE_TRANSLATION, UNCREDITED, PairResult, Provenance, analyse_provenance, provenance
from .relation import RELATIONS, Relation, classify

__all__ = [
    "AlignedPair", "MACHINE_TRANSLATION", "PairAlignment", "PairResult", "Passage", "Provenance", "RELATIONS",
    "Relation", "ReuseOptions", "ReuseStep", "StoryAlignment", "UNCREDITED", "align_pair", "align_story",
    "alignments", "analyse_provenance", "article_features", "classify", "options_from", "provenance", "reuse_story",
]


def alignments(result: Provenance, articles: Sequence[Article], options: ReuseOptions | None = None) -> list[dict[str, Any]]:
    """The report's alignments: derivative as "a", source as "b"; [sentence index in a, in b, score] pairs.

    Pairs of independent articles keep only their near-identical sentences (a
    shared quote): their weak matches are a common subject, not reuse.
    """
    options = options or ReuseOptions()
    out = []
    for r in result.pairs:
        pairs = r.alignment.pairs
        flipped = r.direction is not None and r.direction.derivative == r.y
        if r.direction is None:
            pairs = [p for p in pairs if p.score >= options.strong_pair]
        if not pairs:
            continue
        a, b = (r.y, r.x) if flipped else (r.x, r.y)
        rows = [[p.b, p.a, p.score] if flipped else [p.a, p.b, p.score] for p in pairs]
        passages = [
            {"a": [q.b_start, q.b_end], "b": [q.a_start, q.a_end], "score": q.score} if flipped
            else {"a": [q.a_start, q.a_end], "b": [q.b_start, q.b_end], "score": q.score}
            for q in r.alignment.passages
            if r.direction is not None or any(q.a_start <= p.a <= q.a_end for p in pairs)
        ]
        out.append({
            "a": articles[a].id, "b": articles[b].id, "relation": r.relation.kind,
            "pairs": sorted(rows), "passages": sorted(passages, key=lambda q: q["a"]),
        })
    return out


def reuse_story(articles: Sequence[Article], options: ReuseOptions | None = None, add_signals: bool = True) -> dict[str, Any]:
    """Provenance and alignments of one story, and under "article_signals" the signals found per article.

    With `add_signals` the signals are also added to the articles themselves.
    """
    options = options or ReuseOptions()
    result = analyse_provenance(articles, options)
    if add_signals:
        for article in articles:
            for signal in result.signals.get(article.id, []):
                article.add_signal(signal)
    return {
        "provenance": result.entries,
        "alignments": alignments(result, articles, options),
        ARTICLE_SIGNALS: {article_id: list(found) for article_id, found in result.signals.items()},
    }


def options_from(source: ReuseOptions | Options | Mapping[str, Any] | None) -> ReuseOptions:
    """ReuseOptions from the options object (its [reuse] section) or a plain mapping."""
    if source is None:
        return ReuseOptions()
    if isinstance(source, ReuseOptions):
        return source
    if isinstance(source, Options):
        return source.typed("reuse", ReuseOptions)
    return section_as("reuse", source, ReuseOptions)


class ReuseStep:
    """Story step: provenance and alignments of one story's articles.

    The "uncredited-derivative" and "machine-translation" signals it finds go
    back under "article_signals", which the engine adds to the member articles
    in the report; the articles themselves are left as they are, so a story
    computed again does not keep signals that no longer hold.
    """

    name = "reuse"

    def __init__(self, options: ReuseOptions | Options | Mapping[str, Any] | None = None):
        self.options = options_from(options)

    def process(self, story_id: str, articles: Sequence[Article], ctx: Any = None) -> dict[str, Any]:
        return reuse_story(list(articles), self.options, add_signals=False)
