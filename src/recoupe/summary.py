"""The cited summary of a story: a few real sentences, each with the articles that say it.

A summary that a reader can trust never writes new text: every sentence is
taken verbatim from one article, and it cites every article that says the
same thing (a near-identical or aligned sentence). Sentences are chosen by
support (how many independent voices and articles say it, how central its
words are to the story) times novelty (how much it adds to what is already
chosen), the way maximal marginal relevance trades relevance for diversity.
Copies of one wire are one voice: provenance, when the story has it, says
which articles derive from which; without it, articles that share many
sentences are taken for one voice.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from .article import Article
from .analyse.sentences import split_sentences
from .reuse.provenance import derivation_roots
from .steps import earlier_results


@dataclass
class SummaryOptions:
    """Knobs of the summary (the `summary_*` keys of the `[report]` section).

    `match` is the similarity over which two sentences say the same thing (and
    so cite each other); `redundant` is the similarity to an already chosen
    sentence over which a candidate is left out; `min_novelty` is the share of
    a candidate's content words that must be new.
    """

    max_sentences: int = 5
    min_sentences: int = 3
    min_words: int = 8
    max_words: int = 60
    match: float = 0.4
    redundant: float = 0.35
    min_novelty: float = 0.5
    new_voice_bonus: float = 0.25  # a candidate from a voice not yet heard in the summary weighs this much more
    stop_ratio: float = 0.3  # stop once the best candidate scores under this share of the first pick
    same_voice_share: float = 0.3  # without provenance: articles sharing this share of sentences are one voice

    def __post_init__(self) -> None:
        if not 1 <= self.min_sentences <= self.max_sentences:
            raise ValueError("need 1 <= min_sentences <= max_sentences")
        if self.new_voice_bonus < 0:
            raise ValueError("new_voice_bonus must not be negative")
        for name in ("match", "redundant", "min_novelty", "stop_ratio", "same_voice_share"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1, got {value}")


_QUOTES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "“": '"', "”": '"', "«": '"', "»": '"', "„": '"'})
_WORD = re.compile(r"\w+", re.UNICODE)
_ENDS_SENTENCE = re.compile(r"""[.!…]["'»”’)\]\s\u00a0\u202f]*$""")
_STARTS_SENTENCE = re.compile(r"""^[«"“‘(\[–—-]?\s*[^\W\d_]""", re.UNICODE)
_NEAR_IDENTICAL = 0.85
_PAIRS = (("«", "»"), ("“", "”"), ("(", ")"))


def fold(text: str) -> str:
    """Lower case, typographic quotes to ASCII, accents kept: the form sentences are compared in."""
    return unicodedata.normalize("NFC", text).translate(_QUOTES).lower()


@dataclass
class _Candidate:
    article: str
    index: int  # sentence index in the article
    text: str
    lemmas: frozenset[str]
    folded: str
    position: float  # 0 at the article's start, 1 at its end
    rank: int  # rank among the article's usable sentences
    usable: bool
    supporters: set[str] = field(default_factory=set)
    matches: set[tuple[str, int]] = field(default_factory=set)  # (article, sentence index) saying the same
    voices: int = 1  # independent voices among the supporters
    relevance: float = 0.0


@dataclass
class _Scored:
    candidates: list[_Candidate]
    weight: dict[str, float]  # content word -> how rare it is in the story
    voice_of: dict[str, str]  # article -> its voice


def _lemma_sets(article: Article) -> tuple[list[str], list[frozenset[str]]]:
    """Sentences and content-word sets: the analysis when there is one, word forms otherwise."""
    analysis = article.analysis
    if analysis is not None and analysis.sentences:
        texts = [s.text for s in analysis.sentences]
        lemmas = [frozenset(x) for x in analysis.lemmas] if len(analysis.lemmas) == len(texts) else []
        if lemmas:
            return texts, lemmas
    else:
        texts = [s.text for s in split_sentences(article.text)]
    return texts, [frozenset(w for w in _WORD.findall(fold(t)) if len(w) > 3 or w.isdigit()) for t in texts]


def _balanced(text: str) -> bool:
    return all(text.count(o) == text.count(c) for o, c in _PAIRS) and text.count('"') % 2 == 0


def _usable(text: str, options: SummaryOptions) -> bool:
    """A sentence that can stand alone in a summary: complete, not too short or long, not a question."""
    words = len(_WORD.findall(text))
    starts_well = text[:1].isupper() or text[:1] in "«\"“‘"
    return (
        options.min_words <= words <= options.max_words
        and starts_well
        and bool(_STARTS_SENTENCE.match(text))
        and bool(_ENDS_SENTENCE.search(text))
        and _balanced(text)
    )


def similarity(a: _Candidate, b: _Candidate, weight: Mapping[str, float] | None = None) -> float:
    """How much two sentences say the same: weighted content-word overlap (Dice), or near-identical wording.

    `weight` gives rare words more say than the words every sentence of the story uses; without it
    every word counts one. Character similarity counts only when it is high: any two sentences of
    similar length share half their characters.
    """
    dice = 0.0
    if a.lemmas and b.lemmas:
        if weight is None:
            dice = 2 * len(a.lemmas & b.lemmas) / (len(a.lemmas) + len(b.lemmas))
        else:
            shared = sum(weight.get(x, 1.0) for x in a.lemmas & b.lemmas)
            total = sum(weight.get(x, 1.0) for x in a.lemmas) + sum(weight.get(x, 1.0) for x in b.lemmas)
            dice = 2 * shared / total if total else 0.0
    wording = fuzz.ratio(a.folded, b.folded) / 100.0
    return max(dice, wording if wording >= _NEAR_IDENTICAL else 0.0)


_MID_CAPITAL = re.compile(r"(?<=[^\W\d_]) ([^\W\d_][^\W\d_]*)\b")
_LOWER_WORD = re.compile(r"(?<![^\W\d_])([^\W\d_]+)\b")


def _glued_words(candidates: Sequence[_Candidate]) -> set[str]:
    """Capitalised words found mid-sentence that the story otherwise writes in lower case.

    "la réélection, à laquelle À cela s'ajoute" is two sentences a scraper glued together: "À" after
    a lower-case word, where every other sentence of the story writes "à". Names never show up here,
    since they are not written in lower case elsewhere.
    """
    capitalised: dict[str, int] = defaultdict(int)
    lower: dict[str, int] = defaultdict(int)
    for c in candidates:
        for match in _MID_CAPITAL.finditer(c.text):
            word = match.group(1)
            if word[0].isupper() and c.text[match.start() - 1].islower():
                capitalised[word] += 1
        for match in _LOWER_WORD.finditer(c.text):
            if match.group(1).islower():
                lower[match.group(1)] += 1
    return {w for w, n in capitalised.items() if lower.get(w.lower(), 0) >= max(5, 5 * n)}


def _alignment_pairs(alignments: Iterable[Mapping[str, Any]] | None, texts: dict[str, list[str]]):
    """(article, sentence index, article, sentence index) for each aligned pair the reuse step found.

    Pairs name sentences by index or by text; texts that are not sentences of the article are skipped.
    """
    for alignment in alignments or []:
        a, b = alignment.get("a"), alignment.get("b")
        if a not in texts or b not in texts:
            continue
        for pair in alignment.get("pairs") or []:
            if len(pair) < 2:
                continue
            i, j = (_sentence_index(pair[0], texts[a]), _sentence_index(pair[1], texts[b]))
            if i is not None and j is not None:
                yield a, i, b, j


def _sentence_index(ref: Any, texts: list[str]) -> int | None:
    if isinstance(ref, int) and not isinstance(ref, bool):
        return ref if 0 <= ref < len(texts) else None
    if isinstance(ref, Mapping):
        ref = ref.get("index", ref.get("text"))
        return _sentence_index(ref, texts)
    if isinstance(ref, str):
        stripped = ref.strip()
        for i, text in enumerate(texts):
            if text.strip() == stripped:
                return i
    return None


class Summariser:
    """Chooses the summary sentences of one story. Holds only its options."""

    def __init__(self, options: SummaryOptions | None = None):
        self.options = options or SummaryOptions()

    def summarise(
        self,
        articles: Sequence[Article],
        provenance: Sequence[Mapping[str, Any]] | None = None,
        alignments: Iterable[Mapping[str, Any]] | None = None,
    ) -> list[dict[str, Any]]:
        """[{"sentence", "sources", "article", "independent_sources", "rank"}], in reading order.

        `rank` is the order of choice: 1 is the sentence with most support, the story's lead.
        """
        scored = self.score(articles, provenance, alignments)
        chosen = self._select(scored)
        rank = {id(c): n for n, c in enumerate(chosen, start=1)}
        chosen.sort(key=lambda c: (c.position, c.article))
        return [
            {
                "sentence": c.text,
                "sources": sorted(c.supporters),
                "article": c.article,
                "independent_sources": c.voices,
                "rank": rank[id(c)],
            }
            for c in chosen
        ]

    def score(
        self,
        articles: Sequence[Article],
        provenance: Sequence[Mapping[str, Any]] | None = None,
        alignments: Iterable[Mapping[str, Any]] | None = None,
    ) -> "_Scored":
        """Every sentence of the story with its supporters, voices and relevance, before selection."""
        options = self.options
        candidates: list[_Candidate] = []
        by_article: dict[str, list[_Candidate]] = {}
        texts: dict[str, list[str]] = {}
        for article in articles:
            sentences, lemma_sets = _lemma_sets(article)
            texts[article.id] = sentences
            rank = 0
            mine = []
            for i, (text, lemmas) in enumerate(zip(sentences, lemma_sets)):
                usable = _usable(text, options)
                mine.append(
                    _Candidate(article.id, i, text, lemmas, fold(text), i / max(len(sentences), 1), rank, usable)
                )
                rank += usable
            by_article[article.id] = mine
            candidates.extend(mine)

        document_frequency: dict[str, int] = defaultdict(int)
        for c in candidates:
            for lemma in c.lemmas:
                document_frequency[lemma] += 1
        weight = {x: math.log(1 + len(candidates) / n) for x, n in document_frequency.items()}
        self._link_supporters(by_article, alignments, texts, weight)
        voice_of = self._voices(by_article, provenance)
        voices = set(voice_of.values())
        lemma_voices: dict[str, set[str]] = defaultdict(set)
        for c in candidates:
            for lemma in c.lemmas:
                lemma_voices[lemma].add(voice_of[c.article])
        quality = {a.id: self._wording_quality(a, provenance) for a in articles}
        glued = _glued_words(candidates)
        for c in candidates:
            c.voices = len({voice_of[a] for a in c.supporters})
            reach = c.voices + 0.3 * (len(c.supporters) - c.voices)
            centrality = (
                sum(len(lemma_voices[x]) for x in c.lemmas) / (len(c.lemmas) * len(voices)) if c.lemmas else 0.0
            )
            lead = 1.0 / (1.0 + 0.08 * c.rank)
            c.relevance = reach * (0.5 + centrality) * lead * quality[c.article]
            if any(m.group(1) in glued for m in _MID_CAPITAL.finditer(c.text)):
                c.relevance *= 0.5  # two sentences glued by a scraper: "à laquelle À cela s'ajoute"
        return _Scored(candidates, weight, voice_of)

    def _select(self, scored: "_Scored") -> list[_Candidate]:
        """Greedy choice of support times novelty; a sentence saying what a chosen one says is left out."""
        options = self.options
        pool = [c for c in scored.candidates if c.usable and c.lemmas]
        if not pool:  # nothing reads as a full sentence (a headline, a text without stops): take what there is
            pool = [c for c in scored.candidates if c.lemmas and 3 <= len(_WORD.findall(c.text)) <= 3 * options.max_words]
        chosen: list[_Candidate] = []
        covered: set[str] = set()
        heard: set[str] = set()
        first = 0.0
        while pool and len(chosen) < options.max_sentences:
            best, best_score = None, 0.0
            for c in pool:
                if any(similarity(c, s, scored.weight) >= options.redundant for s in chosen):
                    continue
                novelty = len(c.lemmas - covered) / len(c.lemmas)
                if novelty < options.min_novelty:
                    continue
                score = c.relevance * novelty
                if scored.voice_of[c.article] not in heard:
                    score *= 1.0 + options.new_voice_bonus
                if score > best_score:
                    best, best_score = c, score
            if best is None:
                break
            if chosen and len(chosen) >= options.min_sentences and best_score < options.stop_ratio * first:
                break
            first = first or best_score
            chosen.append(best)
            covered |= best.lemmas
            heard |= {scored.voice_of[a] for a in best.supporters}
            pool = [c for c in pool if c is not best and (c.article, c.index) not in best.matches]
        return chosen

    def _link_supporters(self, by_article, alignments, texts, weight) -> None:
        """Each sentence's supporters: its own article and every article with a matching sentence."""
        options = self.options
        ids = list(by_article)
        for c in (c for cs in by_article.values() for c in cs):
            c.supporters = {c.article}
        matches: dict[tuple[str, int], set[tuple[str, int]]] = defaultdict(set)
        for x, a in enumerate(ids):
            for b in ids[x + 1 :]:
                for ca in by_article[a]:
                    for cb in by_article[b]:
                        if similarity(ca, cb, weight) >= options.match:
                            matches[(a, ca.index)].add((b, cb.index))
                            matches[(b, cb.index)].add((a, ca.index))
        for a, i, b, j in _alignment_pairs(alignments, texts):
            matches[(a, i)].add((b, j))
            matches[(b, j)].add((a, i))
        for key, others in matches.items():
            article, index = key
            by_article[article][index].supporters |= {o[0] for o in others}
            by_article[article][index].matches = others

    def _voices(self, by_article, provenance) -> dict[str, str]:
        """Article -> voice: its provenance root; without provenance, articles sharing many sentences."""
        roots = derivation_roots(provenance)
        if roots:
            return {a: roots.get(a, a) for a in by_article}
        parent = {a: a for a in by_article}

        def find(a: str) -> str:
            while parent[a] != a:
                parent[a] = parent[parent[a]]
                a = parent[a]
            return a

        shared: dict[tuple[str, str], int] = defaultdict(int)
        for a, cs in by_article.items():
            for c in cs:
                for b in {o[0] for o in c.matches}:
                    shared[(a, b)] += 1
        for (a, b), n in shared.items():
            smaller = min(len(by_article[a]), len(by_article[b])) or 1
            if n / smaller >= self.options.same_voice_share:
                parent[find(a)] = find(b)
        return {a: find(a) for a in by_article}

    @staticmethod
    def _wording_quality(article: Article, provenance) -> float:
        """Prefer the wording of an original over a rewrite, and of clean text over faulty text."""
        entry = next((p for p in provenance or [] if p.get("article") == article.id), {})
        signals = set(article.signals)
        for line in entry.get("signal_evidence") or []:  # "machine-translation: why", as the reuse step says it
            signals.add(str(line).split(":", 1)[0].strip())
        quality = 0.8 if entry.get("role") == "derivative" else 1.0
        if "machine-translation" in signals:
            quality *= 0.8
        if "self-repetition" in signals:
            quality *= 0.9
        return quality


class SummaryStep:
    """Story step: {"summary": [{"sentence", "sources", ...}]} from the story's articles and provenance."""

    name = "summary"

    def __init__(self, options: SummaryOptions | None = None):
        self.summariser = Summariser(options)

    @classmethod
    def from_options(cls, options: Any) -> "SummaryStep":
        """The step with the `summary_*` settings of an `Options` object's `[report]` section."""
        return cls(options_from(options.section("report")))

    def process(self, story_id: str, articles: Sequence[Article], ctx: Any = None) -> dict[str, Any]:
        story = earlier_results(ctx, story_id)
        summary = self.summariser.summarise(articles, story.get("provenance"), story.get("alignments"))
        return {"summary": summary}


def options_from(section: Mapping[str, Any]) -> SummaryOptions:
    """SummaryOptions from the `summary_*` keys of the `[report]` section."""
    known = {f for f in SummaryOptions.__dataclass_fields__}
    values = {k[len("summary_"):]: v for k, v in section.items() if k.startswith("summary_")}
    unknown = sorted(set(values) - known)
    if unknown:
        from .errors import ConfigError

        raise ConfigError(f"[report]: unknown setting(s) {', '.join('summary_' + u for u in unknown)}")
    return SummaryOptions(**values)


