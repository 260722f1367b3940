"""What kind of reuse links two articles, read from their alignment.

copy: nearly every sentence of one is in the other, word for word.
light-edit: most sentences are there, with words changed, added or cut.
paraphrase: the same facts in the same order, in other words.
translation: the articles are in different languages and their sentences
align, in order, through the names, figures and dates they share.
independent: none of these; a few aligned sentences (a shared quote, an
official figure) do not make a derivation.

A copy must cover both texts; for the other kinds `shared` is read on the
side that reuses more of the other: a derivative
padded with filler has a lower share than its source, a derivative that drops
sentences a higher one; the larger share says whether reuse happened.
"""

from __future__ import annotations

from dataclasses import dataclass

from .align import PairAlignment
from .options import ReuseOptions

COPY = "copy"
LIGHT_EDIT = "light-edit"
PARAPHRASE = "paraphrase"
TRANSLATION = "translation"
INDEPENDENT = "independent"
RELATIONS = (COPY, LIGHT_EDIT, PARAPHRASE, TRANSLATION, INDEPENDENT)


@dataclass(frozen=True)
class Relation:
    """The relation of a pair and the measures it was read from."""

    kind: str
    shared_a: float  # share of a's sentences aligned to b
    shared_b: float
    verbatim: float  # mean word-sequence similarity of the aligned sentences
    order: float  # share of aligned pairs in the same order in both
    pairs: int

    @property
    def reuse(self) -> bool:
        return self.kind != INDEPENDENT

    def describe(self) -> str:
        return (f"{self.kind}: {self.pairs} aligned sentences, {self.shared_a:.0%} / {self.shared_b:.0%} of each "
                f"article, wording {self.verbatim:.0%} the same, order {self.order:.0%} kept")


def classify(alignment: PairAlignment, options: ReuseOptions | None = None) -> Relation:
    """The relation of two aligned articles (symmetric: direction is provenance's job)."""
    options = options or ReuseOptions()
    shared_a, shared_b = alignment.shared("a"), alignment.shared("b")
    verbatim, order, n = alignment.verbatim, alignment.order, len(alignment.pairs)

    def relation(kind: str) -> Relation:
        return Relation(kind, round(shared_a, 3), round(shared_b, 3), round(verbatim, 3), round(order, 3), n)

    shared = max(shared_a, shared_b)
    if n < options.min_pairs:
        return relation(INDEPENDENT)
    if alignment.cross_language:
        if shared >= options.translation_shared and order >= options.paraphrase_order:
            return relation(TRANSLATION)
        return relation(INDEPENDENT)
    # A copy keeps nearly all of both texts: one that drops or adds sentences is edited.
    if verbatim >= options.copy_verbatim and min(shared_a, shared_b) >= options.copy_shared:
        return relation(COPY)
    if verbatim >= options.light_edit_verbatim and shared >= options.light_edit_shared:
        return relation(LIGHT_EDIT)
    # Reordered passages still count when two or more of them are near copies: that is no coincidence.
    near_copies = sum(1 for p in alignment.pairs if p.verbatim >= options.light_edit_verbatim)
    if n >= options.paraphrase_min_pairs and shared >= options.paraphrase_shared and (
        order >= options.paraphrase_order or near_copies >= 2
    ):
        return relation(PARAPHRASE)
    return relation(INDEPENDENT)
