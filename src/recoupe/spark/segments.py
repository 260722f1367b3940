"""Stories on Spark in segments: the online clustering run on pieces of the publication order at once.

The ordered pass (`storypass`) gives exactly the online stories, but on one
core of the driver: about 10 ms per article, 146 hours at 50 million
articles whatever the cluster. Above `[spark] story_segment_articles`, the
publication order is cut into segments of that many articles, and each
segment is clustered on an executor by a fresh copy of the pipeline's own
`StoryStep`, with the same features and thresholds, after a warm-up: the
`story_warmup_articles` articles before the segment are clustered first, so
that the segment starts with the stories and topics live at its start, their
centroids, and document frequencies counted over that many articles.

The segments are then stitched (`stitch`): a story of segment k that holds
warm-up articles continues the story that the latest of them belongs to in
its own segment (topics likewise; a story stays in one topic). Each
article's story is the one its own segment gave it. Only the latest: the
warm-up's re-clustering starts cold (no stories, no document frequencies),
and its early part groups articles the online pass keeps apart; joining a
story to every story its warm-up articles came from glued them (60,000
synthetic articles in segments of 15,000: a story of 1,483 articles where
the online pass's largest has 492; B-cubed F1 against the online stories
0.929, ARI 0.365; with the latest only, 0.940 and 0.822).

How the result relates to the online one (`benchmarks/run.py segments`
measures it): within a segment, past its warm-up, the clustering is the
online clustering with the document frequencies of the warm-up and the
segment instead of all earlier articles; at a boundary, a story continues
across when its latest article of the warm-up's re-clustering lands in the
story the online pass would extend; two earlier stories an article of the
segment bridges stay apart. A story or topic that is quiet for longer
than the warm-up and resumes in the next segment is cut in two. With one
segment (the default up to a million articles) the ordered pass runs and the
result is the online one exactly.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Iterable, Iterator, Mapping

from ..errors import ConfigError
from ..features import TermCounts
from ..stories import _Groups, most_representative, story_label, topic_label
from .records import unpack
from .storypass import Clustered, cluster_in_order

SEGMENT_ROW = ("segment long, position long, order long, article string, story string, topic string, own boolean, "
               "title string, step string, problem string, title_terms array<string>")


@dataclass
class SegmentOptions:
    """The [spark] section: when the story pass is cut into segments, and how long each one's warm-up is."""

    story_segment_articles: int = 1_000_000
    story_warmup_articles: int = 100_000

    def __post_init__(self) -> None:
        if self.story_segment_articles < 1:
            raise ConfigError("[spark] story_segment_articles must be >= 1")
        if self.story_warmup_articles < 0:
            raise ConfigError("[spark] story_warmup_articles must be >= 0")


def segment_count(articles: int, size: int) -> int:
    return max(1, -(-articles // size))


def segments_of(position: int, size: int, warmup: int, count: int) -> list[tuple[int, bool]]:
    """(segment, own) for every segment that reads the article at `position`: its own segment, and
    the following ones whose warm-up reaches back to it."""
    own = position // size
    found = [(own, True)]
    later = own + 1
    while later < count and later * size - warmup <= position:
        found.append((later, False))
        later += 1
    return found


def cluster_segments(rows: Iterable[tuple], step: Any, size: int) -> Iterator[tuple]:
    """SEGMENT_ROW tuples for rows ((segment, position), (order, id, terms, published, title,
    duplicate_of)) sorted by key: each segment clustered by a fresh copy of `step`, its rows streamed
    (a segment's term counts are gigabytes; only their ids and titles are kept)."""
    for segment, keyed in itertools.groupby(rows, key=lambda item: item[0][0]):
        yield from _one_segment(segment, ((key[1], *row) for key, row in keyed), step, size)


def _one_segment(segment: int, rows: Iterator[tuple], step: Any, size: int) -> Iterator[tuple]:
    seen: list[tuple] = []

    def feed() -> Iterator[tuple]:
        for position, order, article_id, terms, published, title, duplicate_of in rows:
            own = position // size == segment
            title_terms = None
            if own and terms is not None:
                try:  # decoded once, for its title words and for the clusterer
                    terms = TermCounts.from_state(unpack(terms))
                except Exception:  # left as it is: the clusterer records the failure against the article
                    pass
                else:
                    title_terms = sorted(terms.counts[1])
            seen.append((position, order, article_id, own, title, title_terms))
            yield position, order, article_id, terms, published, title, duplicate_of

    clustered = cluster_in_order(feed(), type(step)(step.options))
    placed: dict[str, tuple[str, str]] = {}
    for entry in clustered.stories:
        for member in entry["members"]:
            placed[member] = (entry["id"], entry.get("topic"))
    failed = {order: (name, problem) for order, name, _, problem in clustered.failures}
    for position, order, article_id, own, title, title_terms in seen:
        story, topic = placed.get(article_id, (None, None))
        step_name, problem = failed.get(order, (None, None)) if own else (None, None)
        yield segment, position, order, article_id, story, topic, own, title, step_name, problem, title_terms


def stitch(rows: Iterable[tuple], title_df: Mapping[str, int], extractor: Any) -> Clustered:
    """The stories of the whole input from its segments' SEGMENT_ROW tuples (title_terms left out)
    and the document frequency of each title word over the articles clustered (see the module)."""
    own: dict[int, tuple] = {}
    warm: list[tuple] = []
    for row in rows:
        if row[6]:
            own[row[1]] = row
        else:
            warm.append(row)
    stories, topics = _Groups(), _Groups()
    for column, groups in ((4, stories), (5, topics)):
        nodes = {(r[0], r[column]) for r in own.values() if r[column] is not None}
        latest: dict[tuple, int] = {}  # node -> position of its latest warm-up article
        for row in warm:
            node = (row[0], row[column])
            earlier = own.get(row[1])
            if node in nodes and earlier is not None and earlier[column] is not None:
                latest[node] = max(latest.get(node, -1), row[1])
        for node, position in latest.items():
            groups.union(node, (own[position][0], own[position][column]))
    topic_of_story: dict[Any, Any] = {}
    for segment, _, _, _, story, topic, *_ in own.values():
        if story is None:
            continue
        root = stories.find((segment, story))
        if root in topic_of_story:
            topics.union(topic_of_story[root], (segment, topic))
        else:
            topic_of_story[root] = (segment, topic)

    out = Clustered()
    story_labels: dict[Any, str] = {}
    topic_labels: dict[Any, str] = {}
    entries: dict[str, dict[str, Any]] = {}
    titles: dict[str, list[tuple[str, str]]] = {}
    documents = 0
    for position in sorted(own):
        segment, _, order, article_id, story, topic, _, title, step_name, problem = own[position][:10]
        if step_name is not None:
            out.failures.append((order, step_name, article_id, problem))
        if story is None:
            continue
        documents += 1
        root = stories.find((segment, story))
        label = story_labels.setdefault(root, story_label(len(story_labels)))
        topic_root = topics.find(topic_of_story[root])
        topic_name = topic_labels.setdefault(topic_root, topic_label(len(topic_labels)))
        out.story_of[order] = label
        entry = entries.setdefault(label, {"id": label, "title": None, "members": [], "topic": topic_name})
        entry["members"].append(article_id)
        if title:
            titles.setdefault(label, []).append((article_id, title))

    def idf(word: str) -> float:
        count = title_df.get(word)
        return math.log((documents + 1) / (count + 1)) + 1.0 if count is not None else 0.0

    for label, entry in entries.items():
        entry["title"] = most_representative(titles.get(label, []), idf, extractor)
    out.stories = list(entries.values())
    return out
