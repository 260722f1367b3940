r"""Online story clustering: each article joins the closest recent story or starts one.

Articles arrive in publication order (`recoupe.order`: reading order when undated). Each is
turned into a TF-IDF vector (`features.py`) and compared, through an
inverted index of the live stories' centroids, with the stories touched
within `window_days` (or, undated, within the last `window_articles`
articles): never with every article. The similarity is the weighted mean of
the namespace cosines (body lemmas, title, entities, figures), lowered
linearly by up to `decay` as the story ages towards the end of its window.

The article joins the best story at or above `threshold`, or starts a new
one. When it is at least `merge_threshold` close to a second story, too, it
bridges them and the two merge. A near-duplicate of an article joins that
article's story outright.

Stories are grouped the same way into topics, with a lower threshold and a
longer window: the follow-up a month later is another story of the same
topic. `eval clusters` scores both levels.

How the defaults were chosen (`recoupe eval clusters ../shared/data/rpm2-dev
--label-regex ...`, plus four shuffled orders of the same files, since
generality matters more than these 200 files): topics at topic_threshold
0.15 / topic_merge_threshold 0.3 reach B-cubed F1 0.95-0.97 against `T\d+`
(0.2 splits topics, below 0.25 for merging glues them: 0.3 keeps a margin);
stories at threshold 0.25 reach F1 about 0.66 against `T\d+_C\d`. That
event level is the limit of a lexical similarity on this corpus, not of the
online algorithm: the C1 and C2 clusters of a topic share their names and
vocabulary. `python benchmarks/run.py story-ceiling` measures how far any
clustering with this similarity can go: articles of one event are on
average 0.231 alike, articles of the sister event a month later 0.185
(other topics 0.028); offline average linkage told the true number of
events reaches F1 0.686, 0.706 with IDF counted within each topic, 0.665
with the dates the texts mention as features, 0.494 with spaCy md word
vectors instead of terms, and the best two-way cut of each topic, told
the topics, 0.748. Yet 84% of articles have their most similar article in
their own event: the events are chains, each article close to a few of
its own, with enough links across to the sister event that no cut of the
similarity separates them.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field, fields

import numpy as np

from .article import Article
from .errors import ConfigError
from .features import (NAMESPACES, FeatureExtractor, FeatureOptions, SparseVector, TermCounts, Vectorizer, combine,
                       namespace_dots)
from .order import in_publication_order, timestamp

_NS = len(NAMESPACES)
_DAY = 86400.0


@dataclass
class StoryOptions(FeatureOptions):
    """The [stories] section: the clustering settings and the features' (inherited). Defaults chosen
    by measurement (see docs in `defaults.toml`)."""

    threshold: float = 0.25
    merge_threshold: float = 0.45
    topic_threshold: float = 0.15
    topic_merge_threshold: float = 0.3
    window_days: float = 3.0
    topic_window_days: float = 45.0
    window_articles: int = 20000
    topic_window_articles: int = 100000
    decay: float = 0.3
    query_terms: int = 40
    candidates: int = 10
    centroid_terms: int = 600
    posting_limit: int = 100

    def __post_init__(self) -> None:
        super().__post_init__()  # the feature settings
        for name in ("threshold", "merge_threshold", "topic_threshold", "topic_merge_threshold", "decay"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"[stories] {name} must be between 0 and 1, got {value}")
        for name in ("window_days", "topic_window_days"):
            if getattr(self, name) <= 0:
                raise ConfigError(f"[stories] {name} must be > 0")
        for name in ("window_articles", "topic_window_articles", "query_terms", "candidates", "centroid_terms",
                     "posting_limit"):
            if getattr(self, name) < 1:
                raise ConfigError(f"[stories] {name} must be >= 1")

    def features(self) -> FeatureOptions:
        names = {f.name for f in fields(FeatureOptions)}
        return FeatureOptions(**{n: getattr(self, n) for n in names})


@dataclass
class _Cluster:
    """A live story or topic. Its centroid is two arrays, term ids ascending and the sums of the
    members' weights: 16 bytes a term, compared with an article in one binary search."""

    id: int
    ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    sums: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float64))
    norms_sq: list[float] = field(default_factory=lambda: [0.0] * _NS)
    size: int = 0
    last_time: float | None = None
    last_seq: int = 0

    def present(self) -> tuple[bool, ...]:
        return tuple(n > 0 for n in self.norms_sq)

    def set_centroid(self, ids: np.ndarray, sums: np.ndarray) -> None:
        self.ids, self.sums = ids, sums
        self.norms_sq = np.bincount(ids % _NS, weights=sums * sums, minlength=_NS).tolist()


class _ClusterIndex:
    """Live clusters with centroid sums, an inverted index term -> clusters, and expiry by age."""

    def __init__(self, weights: tuple[float, ...], window_seconds: float, window_articles: int, decay: float,
                 query_terms: int, candidates: int, centroid_terms: int, posting_limit: int = 100):
        self.weights = weights
        self._namespace_weights = np.array(weights, dtype=np.float64)
        self.posting_limit = posting_limit
        self.window_seconds = window_seconds
        self.window_articles = window_articles
        self.decay = decay
        self.query_terms = query_terms
        self.candidates = candidates
        self.centroid_terms = centroid_terms
        self.live: dict[int, _Cluster] = {}
        self.postings: dict[int, dict[int, None]] = {}
        self._by_time: list[tuple[float, int]] = []
        self._by_seq: list[tuple[int, int]] = []

    def to_state(self) -> list:
        """The live clusters, exactly (centroids, norms, sizes and ages)."""
        return [[c.id, c.ids.tolist(), c.sums.tolist(), c.norms_sq, c.size, c.last_time, c.last_seq]
                for c in self.live.values()]

    def restore(self, state: list) -> None:
        """Live clusters from `to_state`; postings and expiry queues are rebuilt from them.

        The queues then hold only each cluster's current entry: the entries a
        running index also holds are stale ones, which expiry skips.
        """
        self.live, self.postings, self._by_time, self._by_seq = {}, {}, [], []
        for cid, terms, sums, norms_sq, size, last_time, last_seq in state:
            cluster = _Cluster(cid, np.array(terms, dtype=np.int64), np.array(sums, dtype=np.float64),
                               list(norms_sq), size, last_time, last_seq)
            self.live[cid] = cluster
            self._post(cid, cluster.ids)
            if last_time is not None:
                self._by_time.append((last_time, cid))
            self._by_seq.append((last_seq, cid))
        heapq.heapify(self._by_time)
        heapq.heapify(self._by_seq)

    def _age(self, cluster: _Cluster, now: float | None, seq: int) -> float:
        """How far into its window a cluster is, 0..1 (above 1: closed)."""
        if now is not None and cluster.last_time is not None:
            return max(now - cluster.last_time, 0.0) / self.window_seconds
        return max(seq - cluster.last_seq, 0) / self.window_articles

    def expire(self, now: float | None, seq: int) -> None:
        if now is not None:
            while self._by_time and now - self._by_time[0][0] > self.window_seconds:
                last, cid = heapq.heappop(self._by_time)
                cluster = self.live.get(cid)
                if cluster is not None and cluster.last_time == last:
                    self._close(cluster)
        while self._by_seq and seq - self._by_seq[0][0] > self.window_articles:
            last_seq, cid = heapq.heappop(self._by_seq)
            cluster = self.live.get(cid)
            if cluster is not None and cluster.last_seq == last_seq and (cluster.last_time is None or now is None):
                self._close(cluster)

    def _close(self, cluster: _Cluster) -> None:
        self._unpost(cluster.id, cluster.ids)
        del self.live[cluster.id]

    def _post(self, cid: int, terms: np.ndarray) -> None:
        postings = self.postings
        for term in terms.tolist():
            postings.setdefault(term, {})[cid] = None

    def _unpost(self, cid: int, terms: np.ndarray) -> None:
        for term in terms.tolist():
            posting = self.postings.get(term)
            if posting is not None:
                posting.pop(cid, None)
                if not posting:
                    del self.postings[term]

    def similarity(self, vector: SparseVector, cluster: _Cluster) -> float:
        dots = namespace_dots(vector.ids, vector.values, cluster.ids, cluster.sums)
        cosines = [d / math.sqrt(n) if n > 0 else 0.0 for d, n in zip(dots, cluster.norms_sq)]
        return combine(self.weights, cosines, vector.present, cluster.present())

    def query(self, vector: SparseVector) -> list[tuple[int, float]]:
        """The article's heaviest terms (weight times namespace weight), to look up in `postings`."""
        scaled = vector.values * self._namespace_weights[vector.ids % _NS]
        top = np.argsort(-scaled, kind="stable")[: self.query_terms]  # ties: lower id first
        return list(zip(vector.ids[top].tolist(), scaled[top].tolist()))

    def lookup(self, query: list[tuple[int, float]]) -> list[tuple[dict[int, None], float]]:
        """The postings of the query terms specific enough to find candidates by, with each term's weight;
        their total length is the work of finding an article's candidates."""
        postings, limit = self.postings, self.posting_limit
        return [(posting, contribution) for term, contribution in query
                if (posting := postings.get(term)) and len(posting) <= limit]

    def score(self, vector: SparseVector, now: float | None, seq: int,
              query: list[tuple[int, float]] | None = None) -> list[tuple[float, int]]:
        """(similarity after decay, cluster id) of the best live candidates, best first.

        Candidates come from the postings of the article's heaviest terms; a
        term found in more than `posting_limit` live clusters says too little
        to be looked up (and would make the cost grow with the corpus).
        """
        if not vector or not self.live:
            return []
        hits: dict[int, float] = {}
        for posting, contribution in self.lookup(query if query is not None else self.query(vector)):
            for cid in posting:
                hits[cid] = hits.get(cid, 0.0) + contribution
        if not hits:
            return []
        shortlist = heapq.nlargest(self.candidates, hits.items(), key=lambda kv: (kv[1], -kv[0]))
        scored = []
        for cid, _ in shortlist:
            cluster = self.live[cid]
            age = self._age(cluster, now, seq)
            if age > 1.0:
                continue
            scored.append((self.similarity(vector, cluster) * (1.0 - self.decay * age), cid))
        scored.sort(key=lambda sc: (-sc[0], sc[1]))
        return scored

    def add(self, cid: int, vector: SparseVector, now: float | None, seq: int) -> _Cluster:
        cluster = self.live.get(cid)
        if cluster is None:
            cluster = self.live[cid] = _Cluster(cid)
        self._accumulate(cluster, vector.ids, vector.values)
        cluster.size += 1
        if now is not None and (cluster.last_time is None or now > cluster.last_time):
            cluster.last_time = now
            heapq.heappush(self._by_time, (now, cid))
        cluster.last_seq = seq
        heapq.heappush(self._by_seq, (seq, cid))
        if len(cluster.ids) > 2 * self.centroid_terms:
            self._trim(cluster)
        return cluster

    def _accumulate(self, cluster: _Cluster, ids: np.ndarray, values: np.ndarray) -> None:
        """Adds weights (`ids` ascending) to the cluster's centroid; terms new to it are posted."""
        sums = cluster.sums
        if len(cluster.ids):
            at = np.searchsorted(cluster.ids, ids)
            known = cluster.ids[np.minimum(at, len(cluster.ids) - 1)] == ids
            sums[at[known]] += values[known]  # the cluster's own array
            new = ~known
            fresh = ids[new]
            if len(fresh):
                ids = np.insert(cluster.ids, at[new], fresh)
                sums = np.insert(sums, at[new], values[new])
            else:
                ids = cluster.ids
        else:
            fresh, sums = ids, values.copy()
        self._post(cluster.id, fresh)
        cluster.set_centroid(ids, sums)

    def _trim(self, cluster: _Cluster) -> None:
        """Keeps the centroid's heaviest terms so a big story costs no more than a small one."""
        keep = np.argsort(-cluster.sums, kind="stable")[: self.centroid_terms]  # ties: lower id first
        keep.sort()
        dropped = np.ones(len(cluster.ids), dtype=bool)
        dropped[keep] = False
        self._unpost(cluster.id, cluster.ids[dropped])
        cluster.set_centroid(cluster.ids[keep], cluster.sums[keep])

    def merge(self, into: int, other: int) -> None:
        """Adds cluster `other`'s centroid to `into` and closes `other`."""
        a, b = self.live.get(into), self.live.get(other)
        if a is None or b is None:
            return
        self._accumulate(a, b.ids, b.sums)
        a.size += b.size
        if b.last_time is not None and (a.last_time is None or b.last_time > a.last_time):
            a.last_time = b.last_time
            heapq.heappush(self._by_time, (a.last_time, into))
        if b.last_seq > a.last_seq:
            a.last_seq = b.last_seq
            heapq.heappush(self._by_seq, (a.last_seq, into))
        self._close(b)
        if len(a.ids) > 2 * self.centroid_terms:
            self._trim(a)

    def pair_similarity(self, a: int, b: int) -> float:
        """Similarity of two live clusters' centroids."""
        x, y = self.live[a], self.live[b]
        dots = namespace_dots(x.ids, x.sums, y.ids, y.sums)
        cosines = [d / math.sqrt(nx * ny) if nx > 0 and ny > 0 else 0.0 for d, nx, ny in zip(dots, x.norms_sq, y.norms_sq)]
        return combine(self.weights, cosines, x.present(), y.present())


class _Groups:
    """Union-find over cluster ids: merged clusters answer to their oldest id."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, cid: int) -> int:
        root = cid
        while self.parent.get(root, root) != root:
            root = self.parent[root]
        while cid != root:  # path compression
            self.parent[cid], cid = root, self.parent.get(cid, cid)
        return root

    def union(self, a: int, b: int) -> int:
        a, b = self.find(a), self.find(b)
        if a == b:
            return a
        keep, gone = min(a, b), max(a, b)
        self.parent[gone] = keep
        return keep


@dataclass
class Assignment:
    """Where one article went."""

    story: int
    topic: int
    similarity: float  # to the story it joined; 0.0 when it started one
    merged: list[int] = field(default_factory=list)  # stories its arrival merged into `story`


class StoryClusterer:
    """The story index of one corpus, owned by the caller: `add(key, terms, published)` per article."""

    def __init__(self, options: StoryOptions | None = None):
        self.options = options or StoryOptions()
        opts = self.options
        self.vectorizer = Vectorizer(opts.features())
        weights = opts.features().weights
        self.stories = _ClusterIndex(weights, opts.window_days * _DAY, opts.window_articles, opts.decay,
                                     opts.query_terms, opts.candidates, opts.centroid_terms, opts.posting_limit)
        self.topics = _ClusterIndex(weights, opts.topic_window_days * _DAY, opts.topic_window_articles, opts.decay,
                                    opts.query_terms, opts.candidates, opts.centroid_terms, opts.posting_limit)
        self.story_groups = _Groups()
        self.topic_groups = _Groups()
        self.topic_of_story: dict[int, int] = {}
        self.article_story: dict[str, int] = {}
        self.article_order: list[str] = []
        self.titles: dict[str, str] = {}
        self._next_story = 0
        self._next_topic = 0
        self._seq = 0
        self._clock: float | None = None

    def __len__(self) -> int:
        return len(self.article_order)

    def to_state(self) -> dict:
        """The whole clusterer as JSON-ready data: `from_state` gives one that goes on exactly as this one would."""
        return {
            "vectorizer": self.vectorizer.to_state(),
            "stories": self.stories.to_state(), "topics": self.topics.to_state(),
            "story_groups": list(self.story_groups.parent.items()),
            "topic_groups": list(self.topic_groups.parent.items()),
            "topic_of_story": list(self.topic_of_story.items()),
            "articles": [self.article_order, [self.article_story[k] for k in self.article_order]],
            "titles": [list(self.titles), list(self.titles.values())],
            "next": [self._next_story, self._next_topic, self._seq], "clock": self._clock,
        }

    @classmethod
    def from_state(cls, state: dict, options: StoryOptions | None = None) -> "StoryClusterer":
        clusterer = cls(options)
        clusterer.vectorizer = Vectorizer.from_state(state["vectorizer"], clusterer.options.features())
        clusterer.stories.restore(state["stories"])
        clusterer.topics.restore(state["topics"])
        clusterer.story_groups.parent = {int(a): int(b) for a, b in state["story_groups"]}
        clusterer.topic_groups.parent = {int(a): int(b) for a, b in state["topic_groups"]}
        clusterer.topic_of_story = {int(a): int(b) for a, b in state["topic_of_story"]}
        keys, stories = state["articles"]
        clusterer.article_order = list(keys)
        clusterer.article_story = dict(zip(keys, stories))
        clusterer.titles = dict(zip(*state["titles"]))
        clusterer._next_story, clusterer._next_topic, clusterer._seq = state["next"]
        clusterer._clock = state["clock"]
        return clusterer

    def story_of(self, key: str) -> int:
        return self.story_groups.find(self.article_story[key])

    def topic_of(self, key: str) -> int:
        return self.topic_groups.find(self.topic_of_story[self.story_of(key)])

    def add(self, key: str, terms: TermCounts, published: str | None = None, title: str | None = None,
            duplicate_of: list[str] | None = None) -> Assignment:
        """Assigns an article (in publication order) to a story and a topic, and updates the index.

        `duplicate_of`: earlier articles this one is a near-copy of; it joins the first one's story.
        """
        opts = self.options
        vector, now, seq = self._arrive(key, terms, published)
        query = self.stories.query(vector)
        candidates = self.stories.score(vector, now, seq, query)

        story: int | None = None
        similarity = 0.0
        for original in duplicate_of or []:
            if original in self.article_story:
                found = self.story_of(original)
                if found in self.stories.live:
                    story, similarity = found, 1.0
                    break
        if story is None and candidates and candidates[0][0] >= opts.threshold:
            similarity, story = candidates[0]
        merged: list[int] = []
        if story is None:
            story = self._next_story
            self._next_story += 1
        elif similarity >= opts.merge_threshold:
            for other_similarity, other in candidates:
                if other == story or other_similarity < opts.merge_threshold:
                    continue
                if other in self.stories.live and self.stories.pair_similarity(story, other) >= opts.threshold:
                    merged.append(other)
        for other in merged:
            keep = self.story_groups.union(story, other)
            gone = other if keep == story else story
            self.stories.merge(keep, gone)
            self._merge_topics(self.topic_of_story[keep], self.topic_of_story[gone])
            story = keep
        self.stories.add(story, vector, now, seq)

        topic_candidates = self.topics.score(vector, now, seq, query)
        if story in self.topic_of_story:
            topic = self.topic_groups.find(self.topic_of_story[story])
        else:
            if topic_candidates and topic_candidates[0][0] >= opts.topic_threshold:
                topic = topic_candidates[0][1]
            else:
                topic = self._next_topic
                self._next_topic += 1
            self.topic_of_story[story] = topic
        if any(t == topic and sim >= opts.topic_merge_threshold for sim, t in topic_candidates):
            for sim, other in topic_candidates:
                if other != topic and sim >= opts.topic_merge_threshold and other in self.topics.live and \
                        self.topics.pair_similarity(topic, other) >= opts.topic_threshold:
                    self._merge_topics(topic, other)
                    topic = self.topic_groups.find(topic)
        self.topics.add(topic, vector, now, seq)
        self._record(key, story, title)
        return Assignment(story, topic, round(similarity, 4), merged)

    def place(self, key: str, terms: TermCounts, published: str | None, title: str | None,
              story: int, topic: int | None) -> None:
        """Adds an article to the story and topic another engine put it in (a Spark run in segments),
        deciding nothing (`topic` None: a new one): the index learns the story as it stands, later
        articles are clustered against it, and stories and topics created later are numbered after
        every placed one."""
        vector, now, seq = self._arrive(key, terms, published)
        if story in self.topic_of_story:
            topic = self.topic_groups.find(self.topic_of_story[story])
        else:
            if topic is None:  # a story without its details: a topic of its own
                topic = self._next_topic
            self.topic_of_story[story] = topic
        self.stories.add(story, vector, now, seq)
        self.topics.add(topic, vector, now, seq)
        self._next_story = max(self._next_story, story + 1)
        self._next_topic = max(self._next_topic, topic + 1)
        self._record(key, story, title)

    def _arrive(self, key: str, terms: TermCounts, published: str | None) -> tuple[SparseVector, float | None, int]:
        """Moves the clock and the sequence to the new article, closes what it outlives, and returns
        its vector (counted in the document frequencies), its time and its sequence number."""
        if key in self.article_story:
            raise ValueError(f"{key!r} is already clustered")
        self._seq += 1
        seq = self._seq
        when = timestamp(published)
        if when is not None:
            self._clock = when if self._clock is None else max(self._clock, when)
        now = when if when is not None else self._clock
        self.stories.expire(self._clock, seq)
        self.topics.expire(self._clock, seq)
        return self.vectorizer.vector(terms, observe=True), now, seq

    def _record(self, key: str, story: int, title: str | None) -> None:
        self.article_story[key] = story
        self.article_order.append(key)
        if title:
            self.titles[key] = title

    def _merge_topics(self, a: int, b: int) -> None:
        a, b = self.topic_groups.find(a), self.topic_groups.find(b)
        if a == b:
            return
        keep = self.topic_groups.union(a, b)
        self.topics.merge(keep, b if keep == a else a)

    def members(self) -> dict[int, list[str]]:
        """Story id -> its articles, in arrival order."""
        out: dict[int, list[str]] = {}
        for key in self.article_order:
            out.setdefault(self.story_of(key), []).append(key)
        return out

    def topic_members(self) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        for key in self.article_order:
            out.setdefault(self.topic_of(key), []).append(key)
        return out


def cluster_articles(articles: list[Article], options: StoryOptions | None = None,
                     extractor: FeatureExtractor | None = None) -> StoryClusterer:
    """Clusters already analysed articles in publication order (then the given order)."""
    clusterer = StoryClusterer(options)
    extractor = extractor or FeatureExtractor(clusterer.options.features())
    for article in publication_order(articles):
        clusterer.add(article.id, extractor.terms(article), article.published, article.title)
    return clusterer


def publication_order(articles: list[Article]) -> list[Article]:
    """The articles (given in reading order) in publication order: the rule of `recoupe.order`."""
    return in_publication_order(articles, lambda article: article.published)


# ---------------------------------------------------------------- report, persistence and the engine step


def story_label(story: int) -> str:
    return f"s{story + 1}"


def topic_label(topic: int) -> str:
    return f"t{topic + 1}"


def label_number(label: str) -> int:
    """The story or topic number of a label (`story_label`, `topic_label`)."""
    return int(label[1:]) - 1


def representative_title(clusterer: StoryClusterer, keys: list[str], extractor: FeatureExtractor) -> str | None:
    """The headline sharing most (IDF-weighted) words with the story's other headlines; ties: the earliest."""
    vectorizer = clusterer.vectorizer

    def weight(word: str) -> float:
        term = vectorizer.term_id(1, word)  # stop words never entered the vocabulary: weight 0
        return vectorizer.idf(term) if term is not None else 0.0

    return most_representative([(key, clusterer.titles[key]) for key in keys if clusterer.titles.get(key)],
                               weight, extractor)


def most_representative(titles: list[tuple[str, str]], weight, extractor: FeatureExtractor) -> str | None:
    """Of (key, headline) pairs, the headline whose words, weighted by `weight(word)`, the others share most."""
    if not titles:
        return None
    if len(titles) == 1:
        return titles[0][1]
    words = {key: set(extractor._words(title, extractor.stop_words(None))) for key, title in titles}
    counts: dict[str, int] = {}
    for ws in words.values():
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
    best = max(titles, key=lambda kt: sum((counts[w] - 1) * weight(w) for w in words[kt[0]]) / math.sqrt(len(words[kt[0]]) or 1))
    return best[1]


def report_stories(clusterer: StoryClusterer, extractor: FeatureExtractor | None = None) -> list[dict]:
    """`stories[]` of the report: id, title (most representative headline), members, topic."""
    extractor = extractor or FeatureExtractor(clusterer.options.features())
    out = []
    for story, keys in sorted(clusterer.members().items()):
        topic = clusterer.topic_groups.find(clusterer.topic_of_story[story])
        out.append({"id": story_label(story), "title": representative_title(clusterer, keys, extractor),
                    "members": keys, "topic": topic_label(topic)})
    return out


SNAPSHOT_FORMAT = 2  # bump when `StoryClusterer.to_state` changes shape


class StoryStore:
    """The story index's rows in the SQLite store, appended as articles arrive, and a snapshot of
    the whole index written at the end of each run; a new run restores the snapshot and replays
    the rows after it (all of them when there is no usable snapshot)."""

    def __init__(self, connection, options: StoryOptions):
        self.connection = connection
        self.options = options

    def check_settings(self) -> None:
        import json
        from dataclasses import asdict

        wanted = json.dumps(asdict(self.options.features()), sort_keys=True)
        row = self.connection.execute("SELECT value FROM index_settings WHERE name = 'stories'").fetchone()
        if row is None:
            self.connection.execute("INSERT INTO index_settings (name, value) VALUES ('stories', ?)", (wanted,))
        elif row[0] != wanted:
            # Term counts do not depend on thresholds, but on what the features are made of.
            raise ConfigError(f"[stories] the store's story index was built with features {row[0]}: "
                              "use a new store or the same feature settings")

    def _settings(self) -> str:
        import json
        from dataclasses import asdict

        return json.dumps({"format": SNAPSHOT_FORMAT, **asdict(self.options)}, sort_keys=True)

    def restore(self) -> tuple[StoryClusterer | None, int]:
        """The clusterer of the last snapshot and the last row it covers; (None, 0) when there is
        none to use (none yet, other settings, or unreadable: then every row is replayed)."""
        import json
        import zlib

        row = self.connection.execute("SELECT covered, settings, state FROM story_index_snapshot").fetchone()
        if row is None or row[1] != self._settings():
            return None, 0
        covered, _, state = row
        try:
            clusterer = StoryClusterer.from_state(json.loads(zlib.decompress(state)), self.options)
        except (ValueError, TypeError, KeyError, zlib.error):
            return None, 0
        rows = self.connection.execute("SELECT COUNT(*) FROM story_index_articles WHERE seq <= ?", (covered,))
        if rows.fetchone()[0] != len(clusterer):
            return None, 0
        return clusterer, covered

    def snapshot(self, clusterer: StoryClusterer) -> None:
        """Writes the clusterer's state as covering every row stored so far (in the caller's transaction)."""
        import json
        import zlib

        covered = self.connection.execute("SELECT COALESCE(MAX(seq), 0) FROM story_index_articles").fetchone()[0]
        try:
            state = zlib.compress(json.dumps(clusterer.to_state(), separators=(",", ":")).encode("utf-8"), 1)
        except (ValueError, TypeError, OverflowError, MemoryError):  # no snapshot: the next run replays the rows
            return
        self.connection.execute(
            "INSERT OR REPLACE INTO story_index_snapshot (id, covered, settings, state) VALUES (1, ?, ?, ?)",
            (covered, self._settings(), state))

    def mark_segmented(self, segments: int) -> None:
        """Records that the stories of the rows stored so far were made in segments by a Spark run
        (`recoupe load`): they are placed as they are on replay, not clustered again (online, they
        would come out otherwise, and new stories could take ids the segments gave)."""
        import json

        rows = self.connection.execute("SELECT COALESCE(MAX(seq), 0) FROM story_index_articles").fetchone()[0]
        self.connection.execute("INSERT OR REPLACE INTO index_settings (name, value) VALUES ('story_segments', ?)",
                                (json.dumps({"segments": segments, "rows": rows}),))

    def _placed_rows(self) -> int:
        """The last row whose story a segmented Spark run decided (0: none)."""
        import json

        row = self.connection.execute("SELECT value FROM index_settings WHERE name = 'story_segments'").fetchone()
        return int(json.loads(row[0])["rows"]) if row is not None else 0

    def replay(self, clusterer: StoryClusterer, covered: int) -> int:
        """Replays the stored articles after row `covered` into `clusterer`: same rows, same order, same
        stories (the rows of a segmented Spark run are placed in the stories it gave them)."""
        import json

        self.check_settings()
        placed = self._placed_rows()
        count = 0
        if covered < placed:
            rows = self.connection.execute(
                "SELECT a.article_id, a.published, a.title, a.terms, m.story_id, r.result"
                " FROM story_index_articles a LEFT JOIN story_members m ON m.article_id = a.article_id"
                " LEFT JOIN story_results r ON r.story_id = m.story_id AND r.step = 'stories'"
                " WHERE a.seq > ? AND a.seq <= ? ORDER BY a.seq", (covered, placed))
            for article_id, published, title, terms, story, details in rows:
                if story is None:  # no story to be placed in (the load keeps no such row)
                    continue
                topic = json.loads(details).get("topic") if details else None
                clusterer.place(article_id, TermCounts.from_state(json.loads(terms)), published, title,
                                label_number(story), label_number(topic) if topic else None)
                count += 1
        rows = self.connection.execute(
            "SELECT article_id, published, title, terms, duplicate_of FROM story_index_articles WHERE seq > ? "
            "ORDER BY seq", (max(covered, placed),))
        for article_id, published, title, terms, duplicate_of in rows:
            clusterer.add(article_id, TermCounts.from_state(json.loads(terms)), published, title,
                          json.loads(duplicate_of) if duplicate_of else None)
            count += 1
        return count

    def save(self, article_id: str, terms: TermCounts, published: str | None, title: str | None,
             duplicate_of: list[str] | None) -> None:
        import json

        self.connection.execute(
            "INSERT INTO story_index_articles (article_id, published, title, terms, duplicate_of) VALUES (?, ?, ?, ?, ?)",
            (article_id, published, title, json.dumps(terms.to_state(), ensure_ascii=False, separators=(",", ":")),
             json.dumps(duplicate_of) if duplicate_of else None),
        )


class StoryStep:
    """Article step: puts each article (in publication order) in a story; `article.story` is set.

    A later article may merge two stories, so the final membership is
    `stories()` (or `story_of(id)`) once every article has passed.
    """

    name = "stories"

    def __init__(self, options: StoryOptions | None = None):
        self.options = options or StoryOptions()
        self.clusterer = StoryClusterer(self.options)
        self.extractor = FeatureExtractor(self.options.features())
        self._store: StoryStore | None = None
        self._loaded_from = None

    @classmethod
    def from_options(cls, options) -> "StoryStep":
        return cls(options.typed("stories", StoryOptions))

    def _attach(self, ctx: object) -> StoryStore | None:
        """On first sight of a store, replays what earlier runs clustered (in their order)."""
        from .neardup import _connection_of

        connection = _connection_of(ctx)
        if connection is None:
            return None
        if self._loaded_from is not connection:
            self._store = StoryStore(connection, self.options)
            restored, covered = self._store.restore() if not self.clusterer else (None, 0)
            if restored is not None:
                self.clusterer = restored
            self._store.replay(self.clusterer, covered)
            self._loaded_from = connection
        return self._store

    def restore(self, ctx: object, processed: list[str]) -> list[str]:
        """Brings the index up to date from the store (snapshot, then the rows after it) and returns
        the processed articles it still lacks, the only ones the engine must replay one by one."""
        if self._attach(ctx) is None:
            return processed
        return [article_id for article_id in processed if article_id not in self.clusterer.article_story]

    def checkpoint(self, ctx: object) -> None:
        """Snapshots the index at the end of a run (in its last transaction), so the next run starts from here."""
        store = self._attach(ctx)
        if store is not None:
            store.snapshot(self.clusterer)

    def _add(self, article: Article) -> tuple[TermCounts, list[str] | None]:
        terms = self.extractor.terms(article)
        duplicate_of = [row[0] for row in article.meta.get("near_duplicates", [])] or None
        self.clusterer.add(article.id, terms, article.published, article.title, duplicate_of)
        return terms, duplicate_of

    def replay(self, article: Article, ctx: object = None) -> None:
        """Brings the index up to date with an article clustered by an earlier run (no write)."""
        self._attach(ctx)
        if article.id not in self.clusterer.article_story:
            self._add(article)

    def process(self, article: Article, ctx: object = None) -> Article:
        store = self._attach(ctx)
        if article.id not in self.clusterer.article_story:
            terms, duplicate_of = self._add(article)
            if store is not None:
                store.save(article.id, terms, article.published, article.title, duplicate_of)
        article.story = story_label(self.clusterer.story_of(article.id))
        return article

    def story_of(self, article_id: str) -> str | None:
        if article_id not in self.clusterer.article_story:
            return None
        return story_label(self.clusterer.story_of(article_id))

    def topic_of(self, article_id: str) -> str | None:
        if article_id not in self.clusterer.article_story:
            return None
        return topic_label(self.clusterer.topic_of(article_id))

    def stories(self) -> list[dict]:
        return report_stories(self.clusterer, self.extractor)

    def topics(self) -> list[dict]:
        """Topics: stories that follow one another (`topic_window_days`) about the same subject."""
        by_topic: dict[int, list[str]] = {}
        for story in self.stories():
            by_topic.setdefault(int(story["topic"][1:]) - 1, []).append(story["id"])
        members = self.clusterer.topic_members()
        return [{"id": topic_label(t), "stories": ids, "members": members.get(t, [])} for t, ids in sorted(by_topic.items())]
