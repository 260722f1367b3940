"""Who derives from whom: direction of each reuse, roles, and the content-farm signals.

The direction of a pair that shares passages is read from several kinds of
evidence, each scored for one side:

- publication times, when both are known: the earlier text is the source;
- agency credits: a text credited to a wire is the wire's text, the other
  one reuses it;
- containment: the source holds the other's facts (names, figures, dates)
  more than the other holds its own: rewriting drops facts;
- filler: a derivative pads the source with sentences that carry no name,
  figure or date, and that align with nothing;
- rounding: a derivative rounds the source's figures ("9,2 milliards" becomes
  "9 milliards"), never the other way.

When nothing decides (two prints of one dispatch, undated), a fixed ranking
breaks the tie (earlier, credited, more facts, longer, first given), so ties
never make a cycle, and the evidence says the direction is undetermined.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..article import Article
from ..clean.agencies import mentions
from ..order import timestamp
from .align import ArticleFeatures, PairAlignment, StoryAlignment, align_story
from .machine_translation import Cue, is_machine_translation, machine_translation_cues
from .options import ReuseOptions
from .relation import INDEPENDENT, Relation, classify

ORIGINAL = "original"
DERIVATIVE = "derivative"
INDEPENDENT_ROLE = "independent"

UNCREDITED = "uncredited-derivative"
MACHINE_TRANSLATION = "machine-translation"

_SAME_TIME_SECONDS = 60.0
_ROUNDING_TOLERANCE = 0.1


@dataclass
class Direction:
    """`source` and `derivative` are article positions; `score` > 0 favours the source as found."""

    source: int
    derivative: int
    score: float
    evidence: list[str] = field(default_factory=list)

    @property
    def determined(self) -> bool:
        return self.score > 0


def credited_agencies(article: Article) -> set[str]:
    """Agencies the article credits, in its credit line or its text."""
    found = set(mentions(article.text or ""))
    if article.agency:
        found.add(article.agency)
    return found


def _facts(features: ArticleFeatures) -> set[str]:
    out: set[str] = set()
    for sentence in features.sentences:
        out |= {f"n:{n}" for n in sentence.names}
        out |= {k for k in sentence.anchors if not k.startswith("x:")}
    return out


def _filler_share(features: ArticleFeatures, aligned: set[int]) -> float:
    """Share of the unaligned sentences that carry no name, figure or date."""
    loose = [s for k, s in enumerate(features.sentences) if k not in aligned]
    if not loose:
        return 0.0
    return sum(1 for s in loose if not s.names and not s.anchors) / len(loose)


def _significant_digits(value: float) -> int:
    digits = f"{abs(value):.6g}".replace(".", "").replace("-", "").strip("0")
    return max(len(digits), 1)


def _roundings(a: ArticleFeatures, b: ArticleFeatures, alignment: PairAlignment) -> tuple[int, int]:
    """How many aligned figures a rounds from b, and b from a."""
    a_rounds = b_rounds = 0
    for pair in alignment.pairs:
        fa, fb = a.sentences[pair.a].figures, b.sentences[pair.b].figures
        for unit_a, value_a in fa:
            for unit_b, value_b in fb:
                if unit_a != unit_b or value_a == value_b or not value_a or not value_b:
                    continue
                if abs(value_a - value_b) / max(abs(value_a), abs(value_b)) > _ROUNDING_TOLERANCE:
                    continue
                da, db = _significant_digits(value_a), _significant_digits(value_b)
                if da < db:
                    a_rounds += 1
                elif db < da:
                    b_rounds += 1
    return a_rounds, b_rounds


def direction(x: int, y: int, articles: Sequence[Article], alignment: PairAlignment) -> Direction:
    """Which of articles x and y (alignment.a is x) is the source, with the evidence for it."""
    ax, ay = articles[x], articles[y]
    fx, fy = alignment.a, alignment.b
    score = 0.0  # > 0: x is the source
    evidence: list[str] = []
    tx, ty = timestamp(ax.published), timestamp(ay.published)
    if tx is not None and ty is not None and abs(tx - ty) >= _SAME_TIME_SECONDS:
        score += 3.0 if tx < ty else -3.0
        first = ax if tx < ty else ay
        evidence.append(f"published first: {first.id}")
    cx, cy = bool(ax.agency), bool(ay.agency)
    if cx != cy:
        score += 2.0 if cx else -2.0
        credited = ax if cx else ay
        evidence.append(f"credited to {credited.agency}: {credited.id}")
    facts_x, facts_y = _facts(fx), _facts(fy)
    if facts_x and facts_y:
        common = facts_x & facts_y
        x_holds_y, y_holds_x = len(common) / len(facts_y), len(common) / len(facts_x)
        margin = x_holds_y - y_holds_x
        if abs(margin) >= 0.1:
            score += max(-1.5, min(1.5, 3 * margin))
            holder = ax if margin > 0 else ay
            evidence.append(f"holds {max(x_holds_y, y_holds_x):.0%} of the other's facts against "
                            f"{min(x_holds_y, y_holds_x):.0%}: {holder.id}")
    filler_x = _filler_share(fx, {p.a for p in alignment.pairs})
    filler_y = _filler_share(fy, {p.b for p in alignment.pairs})
    if abs(filler_x - filler_y) >= 0.25:
        score += -1.0 if filler_x > filler_y else 1.0
        padded = ax if filler_x > filler_y else ay
        evidence.append(f"adds sentences with no name, figure or date: {padded.id}")
    rounds_x, rounds_y = _roundings(fx, fy, alignment)
    if rounds_x != rounds_y:
        score += 1.5 if rounds_y > rounds_x else -1.5
        rounder = ay if rounds_y > rounds_x else ax
        evidence.append(f"rounds the other's figures: {rounder.id}")
    if score >= 0:
        return Direction(x, y, score, evidence)
    return Direction(y, x, -score, evidence)


def _rank_key(k: int, articles: Sequence[Article], features: Sequence[ArticleFeatures]) -> tuple:
    """Fixed order for ties: earlier, credited, more facts, longer, first given."""
    t = timestamp(articles[k].published)
    return (t if t is not None else math.inf, not articles[k].agency, -len(_facts(features[k])), -len(features[k]), k)


@dataclass
class PairResult:
    """One aligned pair of articles: its alignment, relation and (for reuse) direction."""

    x: int
    y: int
    alignment: PairAlignment
    relation: Relation
    direction: Direction | None


@dataclass
class Provenance:
    """Roles and links of a story's articles, with the pairs they were read from."""

    entries: list[dict[str, Any]]
    pairs: list[PairResult]
    alignment: StoryAlignment
    signals: dict[str, list[str]]  # article id -> signals added
    evidence: dict[str, list[str]]  # article id -> why each signal


def analyse_provenance(articles: Sequence[Article], options: ReuseOptions | None = None,
                       features: Sequence[ArticleFeatures] | None = None) -> Provenance:
    """Aligns the story, classifies each pair, directs the reuse, assigns roles and signals."""
    options = options or ReuseOptions()
    story = align_story(articles, options, features)
    feats = story.features
    rank = {k: _rank_key(k, articles, feats) for k in range(len(articles))}
    results: list[PairResult] = []
    for (x, y), alignment in sorted(story.pairs.items()):
        relation = classify(alignment, options)
        found = None
        if relation.reuse:
            found = direction(x, y, articles, alignment)
            if not found.determined:
                source, derivative = (x, y) if rank[x] < rank[y] else (y, x)
                found = Direction(source, derivative, 0.0, ["undetermined: nothing tells the two apart, "
                                                            f"{articles[source].id} taken as the source"])
        results.append(PairResult(x, y, alignment, relation, found))

    parent = _choose_sources(results, rank, len(articles))
    entries = []
    children = {p for k, p in parent.items() if p is not None}
    signals: dict[str, list[str]] = {}
    evidence: dict[str, list[str]] = {}
    by_pair = {(r.x, r.y): r for r in results}
    for k, article in enumerate(articles):
        source = parent.get(k)
        if source is not None:
            result = by_pair[(min(k, source), max(k, source))]
            side = "a" if result.x == k else "b"
            entries.append({
                "article": article.id, "role": DERIVATIVE, "derived_from": articles[source].id,
                "relation": result.relation.kind, "shared": round(result.alignment.shared(side), 3),
                "evidence": list(result.direction.evidence) if result.direction else [],
            })
        elif k in children:
            entries.append({"article": article.id, "role": ORIGINAL})
        else:
            entries.append({"article": article.id, "role": INDEPENDENT_ROLE})
    for k, article in enumerate(articles):
        found: list[str] = []
        why: list[str] = []
        wire = _uncredited_wire(k, parent, articles)
        if wire is not None:
            found.append(UNCREDITED)
            why.append(f"{UNCREDITED}: derives from {wire[1]}, credited to {wire[0]}, and credits no {wire[0]}")
        cues = machine_translation_cues(article)
        if is_machine_translation(cues, options.mt_min_cues):
            found.append(MACHINE_TRANSLATION)
            why.append(f"{MACHINE_TRANSLATION}: " + "; ".join(_describe(c) for c in cues))
        if found:
            signals[article.id] = found
            evidence[article.id] = why
    for entry in entries:
        if entry["article"] in evidence:
            entry["signal_evidence"] = evidence[entry["article"]]
    return Provenance(entries, results, story, signals, evidence)


def _describe(cue: Cue) -> str:
    return f"{cue.kind} ({cue.evidence})"


def _choose_sources(results: list[PairResult], rank: dict[int, tuple], n: int) -> dict[int, int | None]:
    """Each derivative's source: the one it shares most with, strongest evidence first; no cycles."""
    options_for: dict[int, list[tuple[float, float, int]]] = {}
    for r in results:
        if r.direction is None:
            continue
        d = r.direction
        side = "a" if r.x == d.derivative else "b"
        options_for.setdefault(d.derivative, []).append((r.alignment.shared(side), d.score, d.source))
    parent: dict[int, int | None] = {}
    # Articles that look most like sources choose first, so a chain settles from its root.
    for k in sorted(options_for, key=lambda k: rank[k]):
        for _, _, source in sorted(options_for[k], key=lambda o: (-o[0], -o[1], rank[o[2]])):
            if not _reaches(source, k, parent):
                parent[k] = source
                break
    return parent


def _reaches(start: int, target: int, parent: dict[int, int | None]) -> bool:
    seen = set()
    while start is not None and start not in seen:
        if start == target:
            return True
        seen.add(start)
        start = parent.get(start)
    return False


def _uncredited_wire(k: int, parent: dict[int, int | None], articles: Sequence[Article]) -> tuple[str, str] | None:
    """(agency, article id) of the wire k derives from without crediting it, if any."""
    if parent.get(k) is None:
        return None
    own = credited_agencies(articles[k])
    seen = {k}
    at = parent[k]
    while at is not None and at not in seen:
        agency = articles[at].agency
        if agency and agency not in own:
            return agency, articles[at].id
        seen.add(at)
        at = parent.get(at)
    return None


def provenance(articles: Sequence[Article], options: ReuseOptions | None = None) -> list[dict[str, Any]]:
    """The provenance entries of one story (report contract): role, derived_from, relation, shared."""
    return analyse_provenance(articles, options).entries


def derivation_roots(entries: Sequence[Mapping[str, Any]] | None) -> dict[str, str]:
    """Article -> the article its text ultimately derives from (itself when it derives from none),
    read from provenance entries: the voice each article speaks with."""
    parent = {e["article"]: e.get("derived_from") for e in entries or [] if isinstance(e, Mapping) and e.get("article")}

    def root(article: str) -> str:
        seen = {article}
        while parent.get(article) and parent[article] not in seen:
            article = parent[article]
            seen.add(article)
        return article

    return {a: root(a) for a in parent}
