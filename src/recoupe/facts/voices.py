"""Independent voices: which articles of a story are one source told several times.

Provenance (from the reuse step) says who derives from whom; articles joined by
`derived_from` are one voice. Without it, or besides it, an article whose
checkable statements (figures, quotes) are largely those of another, in the
same order, is taken for a rewrite of it: independent reporters rarely pick
the same three amounts and the same quotes in the same order. Two articles
credited to different agencies are never merged that way: two wires may well
quote the same official figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any


class Voices:
    """Union-find over articles: `voice(a)` is the root article of a's voice."""

    def __init__(self, articles: Sequence[str], agencies: Mapping[str, str | None] | None = None):
        self.parent = {a: a for a in articles}
        # the agencies credited in each voice: two wires are never one voice
        self.agencies = {a: {(agencies or {}).get(a).lower()} if (agencies or {}).get(a) else set() for a in articles}

    def _find(self, a: str) -> str:
        while self.parent.setdefault(a, a) != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def join(self, a: str, b: str, force: bool = False) -> bool:
        """Make a and b one voice; refused (False) when their voices credit different agencies, unless forced."""
        ra, rb = self._find(a), self._find(b)
        if ra == rb:
            return True
        credited_a, credited_b = self.agencies.get(ra, set()), self.agencies.get(rb, set())
        if not force and credited_a and credited_b and credited_a != credited_b:
            return False
        root, child = min(ra, rb), max(ra, rb)
        self.parent[child] = root
        self.agencies[root] = credited_a | credited_b
        return True

    def voice(self, a: str) -> str:
        return self._find(a)

    def count(self, articles: Sequence[str]) -> int:
        return len({self._find(a) for a in articles})

    def groups(self) -> list[list[str]]:
        out: dict[str, list[str]] = {}
        for a in self.parent:
            out.setdefault(self._find(a), []).append(a)
        return sorted(sorted(g) for g in out.values())


def from_provenance(voices: Voices, provenance: Sequence[Mapping[str, Any]] | None) -> int:
    """Join every article to the one it derives from; returns how many links were used."""
    used = 0
    for entry in provenance or []:
        article, source = entry.get("article"), entry.get("derived_from")
        if article and source and article in voices.parent and source in voices.parent:
            voices.join(article, source, force=True)  # a found derivation stands, whatever the credits say
            used += 1
    return used


def _ordered_share(a: Sequence[str], b: Sequence[str], shared: set[str]) -> float:
    """Longest common subsequence of the shared statements, as a share of them: 1.0 when in the same order."""
    xs = [s for s in dict.fromkeys(a) if s in shared]
    ys = [s for s in dict.fromkeys(b) if s in shared]
    if not xs or not ys:
        return 0.0
    prev = [0] * (len(ys) + 1)
    for x in xs:
        cur = [0] * (len(ys) + 1)
        for j, y in enumerate(ys):
            cur[j + 1] = prev[j] + 1 if x == y else max(prev[j + 1], cur[j])
        prev = cur
    return prev[-1] / len(shared)


def from_statements(
    voices: Voices,
    sequences: Mapping[str, Sequence[str]],
    min_shared: int = 3,
    min_share: float = 0.6,
    min_order: float = 0.7,
) -> list[tuple[str, str]]:
    """Join articles whose statement sequences largely coincide; returns the pairs joined."""
    candidates = []
    ids = sorted(sequences)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            sa, sb = set(sequences[a]), set(sequences[b])
            shared = sa & sb
            if len(shared) < min_shared or not sa or not sb:
                continue
            share = len(shared) / min(len(sa), len(sb))
            if share < min_share:
                continue
            if _ordered_share(sequences[a], sequences[b], shared) < min_order:
                continue
            candidates.append((-len(shared), -share, a, b))
    joined = []
    for _, _, a, b in sorted(candidates):  # closest pairs first, so a rewrite joins the wire it follows
        if voices.join(a, b):
            joined.append((a, b))
    return joined
