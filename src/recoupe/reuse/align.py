"""Sentence alignment between the articles of a story, merged into passages.

Each sentence is reduced to what survives a rewrite: its content lemmas
(names, figures and dates apart), the names it cites and the figures and
dates it gives. Two sentences are compared only when an index says they share
at least two such keys, and keys that are everywhere (a name in every
sentence) do not seed candidates: the work grows with the number of
sentences, not with its square.

The similarity is a Dice coefficient over those keys, each weighted by its
rarity in the story (a key in few sentences says more than one in many);
words that differ by an inflection or a spelling ("Sybiga", "Sybiha") match
by rapidfuzz ratio. Sentences of one language must share content words
beyond names and dates, or two independent reports of one event would align
on "Blinken ... Bruxelles ... 20 janvier". Across languages, where content
words cannot match, sentences align through the names, figures and dates
they share.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Indel

from ..analyse.dates import extract_dates
from ..analyse.figures import extract_figures
from ..analyse.lexical import AgnosticLexer
from ..analyse.sentences import split_sentences
from ..article import Article
from ..order import in_publication_order
from .options import ReuseOptions

_WORD = re.compile(r"\w+", re.UNICODE)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)?")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "“": '"', "”": '"', "«": '"', "»": '"', "\u00a0": " ",
                         "\u202f": " ", "–": "-", "—": "-"})
_FIGURE_LANGUAGES = {"fr", "en"}


def fold(text: str) -> str:
    """Lower case without accents, typographic quotes and spaces made plain: how texts are compared."""
    text = unicodedata.normalize("NFKD", text.translate(_QUOTES))
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


@dataclass(frozen=True)
class SentenceFeatures:
    """What one sentence says, in keys that survive a rewrite.

    `words` are folded content lemmas other than names and numbers; `names`
    folded tokens of names; `anchors` figures ("f:USD:9.2e+09") and dates
    ("d:01-20"); `figures` the (unit, value) of each figure, for rounding.
    """

    text: str
    words: frozenset[str]
    names: frozenset[str]
    anchors: frozenset[str]
    figures: tuple[tuple[str, float], ...]
    tokens: tuple[str, ...]  # folded words in order, for how verbatim a match is

    @property
    def keys(self) -> set[str]:
        return {f"w:{w}" for w in self.words} | {f"n:{n}" for n in self.names} | set(self.anchors)


@dataclass
class ArticleFeatures:
    """The sentences of one article as alignment sees them."""

    id: str
    language: str
    sentences: list[SentenceFeatures]

    def __len__(self) -> int:
        return len(self.sentences)


@dataclass(frozen=True)
class AlignedPair:
    """Sentence `a` of the first article aligned with sentence `b` of the second."""

    a: int
    b: int
    score: float  # key similarity, 0..1
    verbatim: float  # word-sequence similarity (longest common subsequence of words), 0..1


@dataclass(frozen=True)
class Passage:
    """A run of aligned sentences: sentences a_start..a_end (inclusive) against b_start..b_end."""

    a_start: int
    a_end: int
    b_start: int
    b_end: int
    pairs: int
    score: float


@dataclass
class PairAlignment:
    """Everything aligned between two articles, and the measures the relation is read from."""

    a: ArticleFeatures
    b: ArticleFeatures
    pairs: list[AlignedPair] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    candidates: int = 0  # sentence pairs scored

    @property
    def cross_language(self) -> bool:
        return different_languages(self.a.language, self.b.language)

    def shared(self, side: str) -> float:
        """Share of the sentences of side "a" or "b" that are aligned to the other article."""
        features = self.a if side == "a" else self.b
        if not len(features):
            return 0.0
        aligned = {p.a if side == "a" else p.b for p in self.pairs}
        return len(aligned) / len(features)

    @property
    def verbatim(self) -> float:
        """Mean word-sequence similarity of the aligned sentences: 1.0 for a copy, low for a paraphrase."""
        return sum(p.verbatim for p in self.pairs) / len(self.pairs) if self.pairs else 0.0

    @property
    def order(self) -> float:
        """Share of the aligned pairs that keep the same order in both texts (longest increasing run)."""
        if not self.pairs:
            return 0.0
        sequence = [p.b for p in sorted(self.pairs, key=lambda p: (p.a, p.b))]
        return _longest_non_decreasing(sequence) / len(sequence)


def different_languages(a: str | None, b: str | None) -> bool:
    known = {"", "und", None}
    return a not in known and b not in known and a != b


def _longest_non_decreasing(values: Sequence[int]) -> int:
    import bisect

    tails: list[int] = []
    for v in values:
        at = bisect.bisect_right(tails, v)
        if at == len(tails):
            tails.append(v)
        else:
            tails[at] = v
    return len(tails)


# ---------------------------------------------------------------- features


def _name_tokens(text: str) -> set[str]:
    return {fold(t) for t in _WORD.findall(text) if len(t) > 1 and t[0].isupper() and not t.isdigit()}


def _capitalised_inside(text: str) -> set[str]:
    """Capitalised words that do not open the sentence: names the entity recogniser may have missed."""
    tokens = list(_WORD.finditer(text))
    out = set()
    for k, m in enumerate(tokens):
        word = m.group(0)
        if k == 0 or len(word) < 2 or not word[0].isupper() or word.isdigit():
            continue
        before = text[: m.start()].rstrip()
        if before.endswith((".", "!", "?", ":", "«", '"', "“")):
            continue
        out.add(fold(word))
    return out


def _anchors(text: str, language: str) -> tuple[set[str], tuple[tuple[str, float], ...]]:
    lang = language if language in _FIGURE_LANGUAGES else "en"
    keys: set[str] = set()
    figures = []
    spans = []
    for figure in extract_figures(text, lang):
        keys.add(f"f:{figure.unit}:{figure.value:.6g}")
        figures.append((figure.unit, figure.value))
        spans.append((figure.start, figure.end))
    for mention in extract_dates(text, language=lang):
        day = mention.month_day if mention.precision == "day" else None
        value = day or mention.iso
        if value:
            keys.add(f"d:{value}")
            spans.append((mention.start, mention.end))
    for m in _DIGITS.finditer(text):
        if not any(s <= m.start() < e for s, e in spans):
            keys.add("x:" + m.group(0).replace(",", "."))
    return keys, tuple(figures)


def sentence_features(text: str, lemmas: Iterable[str], entity_texts: Iterable[str], language: str) -> SentenceFeatures:
    names = set()
    for entity in entity_texts:
        names |= _name_tokens(entity)
    names |= _capitalised_inside(text)
    anchors, figures = _anchors(text, language)
    words = set()
    for lemma in lemmas:
        folded = fold(lemma)
        for token in _WORD.findall(folded):
            if len(token) > 1 and not any(c.isdigit() for c in token) and token not in names:
                words.add(token)
    tokens = tuple(_WORD.findall(fold(text)))
    return SentenceFeatures(text, frozenset(words), frozenset(names), frozenset(anchors), figures, tokens)


def article_features(article: Article) -> ArticleFeatures:
    """Features of each sentence of the article's analysis (word forms by rule when it has none)."""
    analysis = article.analysis
    language = (analysis.language if analysis else None) or article.language or "und"
    if analysis is not None and len(analysis.lemmas) == len(analysis.sentences):
        sentences, lemmas, entities = analysis.sentences, analysis.lemmas, analysis.entities
    else:
        sentences = split_sentences(article.text or "")
        lemmas, entities = AgnosticLexer().lexical(article.text or "", sentences)
    by_sentence: dict[int, list[str]] = defaultdict(list)
    for entity in entities:
        by_sentence[entity.sentence].append(entity.text)
    return ArticleFeatures(
        article.id,
        language,
        [sentence_features(s.text, lemmas[k], by_sentence.get(k, ()), language) for k, s in enumerate(sentences)],
    )


# ---------------------------------------------------------------- the story index


class StoryIndex:
    """Inverted index of the keys of a story's sentences: weights and candidate pairs of articles.

    `features` come in publication order (`recoupe.order`): when a key is in
    more than `max_postings` articles, the earliest ones are read, since
    sources come before what derives from them.
    """

    def __init__(self, features: Sequence[ArticleFeatures], options: ReuseOptions | None = None):
        self.options = options or ReuseOptions()
        self.features = list(features)
        self.sentence_df: Counter[str] = Counter()
        self.postings: dict[str, list[int]] = defaultdict(list)
        self.article_keys: list[set[str]] = []
        for position, article in enumerate(self.features):
            keys: set[str] = set()
            for sentence in article.sentences:
                sentence_keys = sentence.keys
                self.sentence_df.update(sentence_keys)
                keys |= sentence_keys
            for key in keys:
                self.postings[key].append(position)
            self.article_keys.append(keys)
        self.total = max(sum(len(a) for a in self.features), 1)

    def weight(self, key: str) -> float:
        """Rarity of a key in the story's sentences: log-scaled inverse sentence frequency."""
        return math.log((self.total + 1) / (self.sentence_df.get(key, 0) + 0.5))

    def candidate_sources(self, position: int) -> list[int]:
        """The articles most likely to share passages with this one, by weighted shared keys, best first."""
        scores: dict[int, float] = defaultdict(float)
        cap = self.options.max_postings
        for key in self.article_keys[position]:
            postings = self.postings[key]
            if len(postings) < 2:
                continue
            w = self.weight(key)
            read = 0
            for other in postings:
                if other == position:
                    continue
                scores[other] += w
                read += 1
                if read >= cap:
                    break
        ranked = sorted(scores.items(), key=lambda item: (-item[1], item[0]))
        return [other for other, _ in ranked[: self.options.max_sources]]

    def candidate_pairs(self) -> list[tuple[int, int]]:
        """Unordered pairs of article positions worth aligning (each article with its best candidates)."""
        pairs = set()
        for position in range(len(self.features)):
            for other in self.candidate_sources(position):
                pairs.add((min(position, other), max(position, other)))
        return sorted(pairs)


# ---------------------------------------------------------------- sentence similarity


def _fuzzy_matches(left: set[str], right: set[str], threshold: float, min_length: int = 4) -> list[tuple[str, str]]:
    """Greedy one-to-one matches between words that differ by inflection or spelling."""
    xs = [w for w in left if len(w) >= min_length]
    ys = [w for w in right if len(w) >= min_length]
    if not xs or not ys:
        return []
    matrix = process.cdist(xs, ys, scorer=fuzz.ratio, score_cutoff=threshold * 100)
    found = []
    used_x, used_y = set(), set()
    cells = sorted(((matrix[i][j], i, j) for i in range(len(xs)) for j in range(len(ys)) if matrix[i][j] > 0), reverse=True)
    for _, i, j in cells:
        if i in used_x or j in used_y:
            continue
        used_x.add(i)
        used_y.add(j)
        found.append((xs[i], ys[j]))
    return found


@dataclass(frozen=True)
class Similarity:
    score: float
    verbatim: float
    shared_words: int
    shared_anchors: int


def similarity(a: SentenceFeatures, b: SentenceFeatures, weight, options: ReuseOptions, cross_language: bool = False) -> Similarity:
    """Weighted Dice over content words, names and figures, with fuzzy word and name matching.

    Across languages only names, figures, dates and identical words count,
    and content words are left out of the totals (they cannot match).
    """
    shared = 0.0
    shared_words = 0
    exact_words = a.words & b.words
    word_matches = [(w, w) for w in exact_words]
    if not cross_language:
        word_matches += _fuzzy_matches(set(a.words - exact_words), set(b.words - exact_words), options.fuzzy_word)
    for x, y in word_matches:
        shared += min(weight(f"w:{x}"), weight(f"w:{y}"))
        shared_words += 1
    exact_names = a.names & b.names
    name_matches = [(n, n) for n in exact_names]
    name_matches += _fuzzy_matches(set(a.names - exact_names), set(b.names - exact_names), options.fuzzy_name, 5)
    anchors = a.anchors & b.anchors
    for x, y in name_matches:
        shared += min(weight(f"n:{x}"), weight(f"n:{y}"))
    for key in anchors:
        shared += weight(key)
    shared_anchors = len(name_matches) + len(anchors)

    def total(s: SentenceFeatures) -> float:
        t = sum(weight(f"n:{n}") for n in s.names) + sum(weight(k) for k in s.anchors)
        if not cross_language:
            t += sum(weight(f"w:{w}") for w in s.words)
        else:
            t += sum(weight(f"w:{w}") for w in exact_words)
        return t

    denominator = total(a) + total(b)
    score = 2 * shared / denominator if denominator else 0.0
    verbatim = Indel.normalized_similarity(a.tokens, b.tokens)
    if not cross_language and verbatim >= options.verbatim_alone:
        score = max(score, verbatim)
    return Similarity(min(score, 1.0), verbatim, shared_words, shared_anchors)


def _acceptable(sim: Similarity, options: ReuseOptions, cross_language: bool) -> bool:
    if sim.score < min(options.extend_score, options.min_score):
        return False
    if cross_language:
        return sim.shared_anchors >= options.min_anchors
    return sim.shared_words >= options.min_shared_words or sim.verbatim >= options.verbatim_alone


# ---------------------------------------------------------------- one pair of articles


def align_pair(a: ArticleFeatures, b: ArticleFeatures, weight, options: ReuseOptions | None = None) -> PairAlignment:
    """Aligned sentences of two articles: each sentence with its best match, when that match is good enough.

    Candidates come from a small index of b's keys; a key found in more than
    `max_sentence_postings` of b's sentences seeds nothing. A sentence may
    align with two (a sentence split or two merged), as long as it is the
    best match of one of them.
    """
    options = options or ReuseOptions()
    cross = different_languages(a.language, b.language)
    local: dict[str, list[int]] = defaultdict(list)
    for j, sentence in enumerate(b.sentences):
        for key in sentence.keys:
            local[key].append(j)
    counts: Counter[tuple[int, int]] = Counter()
    for i, sentence in enumerate(a.sentences):
        for key in sentence.keys:
            found = local.get(key)
            if not found or len(found) > options.max_sentence_postings:
                continue
            for j in found:
                counts[(i, j)] += 1
    result = PairAlignment(a, b)
    scored: dict[tuple[int, int], Similarity] = {}
    for (i, j), count in counts.items():
        if count < 2:
            continue
        result.candidates += 1
        sim = similarity(a.sentences[i], b.sentences[j], weight, options, cross)
        if _acceptable(sim, options, cross):
            scored[(i, j)] = sim
    anchors = _best_of_either(
        {key: sim for key, sim in scored.items() if sim.score >= options.min_score
         and (sim.shared_words + sim.shared_anchors >= options.anchor_keys or sim.verbatim >= options.verbatim_alone)}
    )
    kept = _grow(anchors, scored, options.extend_score, options.extend_window)
    result.pairs = [
        AlignedPair(i, j, round(scored[(i, j)].score, 3), round(scored[(i, j)].verbatim, 3)) for i, j in sorted(kept)
    ]
    result.passages = merge_passages(result.pairs, options.passage_gap)
    return result


def _best(scored: dict[tuple[int, int], Similarity]) -> tuple[dict[int, int], dict[int, int]]:
    """For each sentence of a and of b, its best-scoring partner (ties to the earlier sentence)."""
    best_a: dict[int, tuple[float, int]] = {}
    best_b: dict[int, tuple[float, int]] = {}
    for (i, j), sim in sorted(scored.items()):
        if sim.score > best_a.get(i, (-1.0, 0))[0]:
            best_a[i] = (sim.score, j)
        if sim.score > best_b.get(j, (-1.0, 0))[0]:
            best_b[j] = (sim.score, i)
    return {i: j for i, (_, j) in best_a.items()}, {j: i for j, (_, i) in best_b.items()}


def _best_of_either(scored: dict[tuple[int, int], Similarity]) -> set[tuple[int, int]]:
    """Pairs that are the best match of at least one of their two sentences (splits and merges allowed)."""
    best_a, best_b = _best(scored)
    return {(i, j) for i, j in best_a.items()} | {(i, j) for j, i in best_b.items()}


def _grow(anchors: set[tuple[int, int]], scored: dict[tuple[int, int], Similarity], floor: float, window: int) -> set[tuple[int, int]]:
    """Anchors, plus weaker pairs next to an aligned pair in both texts and moving the same way.

    A paraphrased sentence may share few words with its source; it is taken
    when its neighbours are aligned, i.e. when it sits inside a reused
    passage. Weak pairs must be each other's best match. Without an anchor a
    pair of articles gets nothing: independent reports of one event share
    many weak pairs and no strong one.
    """
    weak = {key: sim for key, sim in scored.items() if key not in anchors and sim.score >= floor}
    best_a, best_b = _best(weak)
    mutual = {(i, j) for i, j in best_a.items() if best_b.get(j) == i}
    kept = set(anchors)
    frontier = list(anchors)
    while frontier:
        ci, cj = frontier.pop()
        for i, j in list(mutual):
            di, dj = i - ci, j - cj
            if abs(di) <= window and abs(dj) <= window and di * dj > 0:
                mutual.discard((i, j))
                kept.add((i, j))
                frontier.append((i, j))
    taken_a = {i for i, _ in anchors}
    taken_b = {j for _, j in anchors}
    return {(i, j) for i, j in kept if (i, j) in anchors or (i not in taken_a and j not in taken_b)}


def merge_passages(pairs: Sequence[AlignedPair], gap: int = 1) -> list[Passage]:
    """Runs of aligned pairs that move forward together in both texts, allowing `gap` skipped sentences."""
    passages: list[Passage] = []
    run: list[AlignedPair] = []

    def close() -> None:
        if run:
            passages.append(Passage(
                min(p.a for p in run), max(p.a for p in run), min(p.b for p in run), max(p.b for p in run),
                len(run), round(sum(p.score for p in run) / len(run), 3),
            ))

    for pair in sorted(pairs, key=lambda p: (p.a, p.b)):
        if run:
            last = run[-1]
            last_b = max(p.b for p in run)
            if pair.a - last.a <= gap + 1 and 0 <= pair.b - last_b <= gap + 1 or (pair.a == last.a and abs(pair.b - last.b) <= 1):
                run.append(pair)
                continue
            close()
            run = []
        run.append(pair)
    close()
    return passages


# ---------------------------------------------------------------- a whole story


@dataclass
class StoryAlignment:
    """The alignments of every candidate pair of a story's articles, by article positions."""

    features: list[ArticleFeatures]
    pairs: dict[tuple[int, int], PairAlignment]
    candidate_pairs: int = 0
    sentence_candidates: int = 0


def align_story(articles: Sequence[Article], options: ReuseOptions | None = None,
                features: Sequence[ArticleFeatures] | None = None) -> StoryAlignment:
    """Aligns each article of a story with its candidate sources from the story index.

    `features` may be given (same order as `articles`) to skip recomputing them.
    """
    options = options or ReuseOptions()
    feats = list(features) if features is not None else [article_features(a) for a in articles]
    order = publication_order(articles)
    index = StoryIndex([feats[k] for k in order], options)
    out: dict[tuple[int, int], PairAlignment] = {}
    candidates = index.candidate_pairs()
    sentence_candidates = 0
    for x, y in candidates:
        i, j = order[x], order[y]
        i, j = min(i, j), max(i, j)
        pair = align_pair(feats[i], feats[j], index.weight, options)
        sentence_candidates += pair.candidates
        out[(i, j)] = pair
    return StoryAlignment(feats, out, len(candidates), sentence_candidates)


def publication_order(articles: Sequence[Article]) -> list[int]:
    """Positions of the articles in publication order, the rule every engine follows (`recoupe.order`)."""
    return in_publication_order(range(len(articles)), lambda k: articles[k].published)
