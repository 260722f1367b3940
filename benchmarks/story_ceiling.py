"""How far the story similarity can separate events: offline upper bounds on a labelled folder.

    python benchmarks/run.py story-ceiling [--folder ../shared/data/rpm2-dev]
                                          [--events 'T\\d+_C\\d'] [--topics 'T\\d+']

The online clusterer sees each article once, in order, with thresholds it
cannot tune per corpus. This asks what the same similarity could do with
every advantage: the whole corpus at once (IDF over all of it), average-
linkage agglomeration stopped at the true number of events. It also tries
what is often suggested to tell apart two events of one topic:

- `local_idf`: within each gold topic, IDF counted over that topic's
  articles only (so the topic's shared words weigh nothing), two clusters
  per topic given; `two_way_cut` splits each topic instead at its best
  normalised cut (spectral bisection of the graph of each article's three
  nearest neighbours), the strongest bound here: the topics and the number
  of events in each are told;
- `mentioned_dates`: a fifth namespace of the dates the text mentions
  (day and month), weighted like the title;
- `mentioned_date_gap`: the dates mentioned taken as a stand-in for the
  missing publication dates: two articles whose median mentioned day lies
  more than two weeks apart are not linked at all;
- `word_vectors`: no terms at all, the cosine of the mean spaCy word vector
  of each article's content words (`--vectors MODEL`, a pipeline with
  vectors; skipped when it is not installed);

and prints B-cubed F1 of each (and of the online clusterer itself, `online`,
for the distance to these bounds), with the mean similarity of articles of one
event, of the sister event of the same topic, and of other topics. When the
first two means are close, no threshold separates the events, online or not.
`nearest_same_event` is the share of articles whose most similar article is
of their own event: high while F1 stays low means events are chains, each
article close to a few of its event, not blobs any cut can separate.
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections import Counter
from datetime import date
from pathlib import Path

import numpy as np

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"


def _vectors(term_lists: list[tuple[dict, ...]]) -> list[list[dict[str, float]]]:
    """Sublinear TF x IDF per namespace over these articles only, each namespace of unit length."""
    count = len(term_lists)
    namespaces = len(term_lists[0]) if term_lists else 0
    df = [Counter() for _ in range(namespaces)]
    for terms in term_lists:
        for ns in range(namespaces):
            df[ns].update(terms[ns].keys())
    out = []
    for terms in term_lists:
        vector = []
        for ns in range(namespaces):
            weights = {k: (1 + math.log(c)) * (math.log((count + 1) / (df[ns][k] + 1)) + 1) for k, c in terms[ns].items()}
            norm = math.sqrt(sum(w * w for w in weights.values()))
            vector.append({k: w / norm for k, w in weights.items()} if norm else {})
        out.append(vector)
    return out


def _similarities(vectors: list[list[dict[str, float]]], weights: tuple[float, ...]) -> np.ndarray:
    """Weighted mean of namespace cosines over the namespaces both articles have (as features.combine)."""
    n = len(vectors)
    matrix = np.zeros((n, n))
    for i, j in itertools.combinations(range(n), 2):
        total = weight_sum = 0.0
        for ns, weight in enumerate(weights):
            a, b = vectors[i][ns], vectors[j][ns]
            if weight and a and b:
                if len(a) > len(b):
                    a, b = b, a
                total += weight * sum(w * b.get(k, 0.0) for k, w in a.items())
                weight_sum += weight
        matrix[i, j] = matrix[j, i] = total / weight_sum if weight_sum else 0.0
    return matrix


def _average_linkage(matrix: np.ndarray, clusters: int) -> list[int]:
    """Cluster label of each row, merging the two closest groups (mean similarity) until `clusters` remain."""
    groups = {i: [i] for i in range(len(matrix))}
    while len(groups) > clusters:
        _, x, y = max((matrix[np.ix_(groups[x], groups[y])].mean(), x, y)
                      for x, y in itertools.combinations(list(groups), 2))
        groups[x] += groups.pop(y)
    labels = [0] * len(matrix)
    for label, members in groups.items():
        for i in members:
            labels[i] = label
    return labels


def _date_terms(article) -> dict[str, int]:
    from recoupe.analyse.dates import extract_dates

    terms: Counter[str] = Counter()
    for mention in extract_dates(article.text or "", None, article.language or "fr"):
        if mention.iso and mention.precision == "day":
            terms["day" + mention.iso[-5:]] += 1
            terms["month" + mention.iso[-5:-3]] += 1
        elif mention.iso and mention.precision == "month":
            terms["month" + mention.iso[-2:]] += 1
    return dict(terms)


def _median_day(article) -> float | None:
    """Median of the days the text mentions, year-less (as day of a leap year), None without any."""
    from recoupe.analyse.dates import extract_dates

    days = []
    for mention in extract_dates(article.text or "", None, article.language or "fr"):
        if mention.iso and mention.precision == "day":
            month, day = int(mention.iso[-5:-3]), int(mention.iso[-2:])
            days.append(date(2000, month, day).toordinal())
    return float(np.median(days)) if days else None


def _unlink_distant(matrix: np.ndarray, days: list[float | None], gap: float) -> np.ndarray:
    """A copy of `matrix` with 0 between two articles whose days are both known and more than `gap` apart."""
    known = np.array([d is not None for d in days])
    values = np.array([d if d is not None else 0.0 for d in days])
    apart = known[:, None] & known[None, :] & (np.abs(values[:, None] - values[None, :]) > gap)
    return np.where(apart, 0.0, matrix)


def _two_way_cut(matrix: np.ndarray, neighbours: int = 3) -> list[int]:
    """0/1 per row: spectral bisection (Fiedler vector) of the nearest-neighbour graph, swept for the
    lowest normalised cut. The graph keeps each row's `neighbours` most similar rows, both ways."""
    n = len(matrix)
    affinity = np.clip(matrix, 0.0, None)
    np.fill_diagonal(affinity, 0.0)
    nearest = np.argsort(-affinity, axis=1)[:, :neighbours]
    keep = np.zeros((n, n), dtype=bool)
    keep[np.repeat(np.arange(n), nearest.shape[1]), nearest.ravel()] = True
    affinity = np.where(keep | keep.T, affinity, 0.0)
    degree = np.maximum(affinity.sum(axis=1), 1e-12)
    laplacian = np.eye(n) - affinity / np.sqrt(degree[:, None] * degree[None, :])
    fiedler = np.linalg.eigh(laplacian)[1][:, 1] / np.sqrt(degree)
    order = np.argsort(fiedler, kind="stable")
    best, labels = math.inf, [0] * n
    for size in range(1, n):
        side = np.zeros(n, dtype=bool)
        side[order[:size]] = True
        cut = affinity[side][:, ~side].sum()
        value = cut / max(affinity[side].sum(), 1e-12) + cut / max(affinity[~side].sum(), 1e-12)
        if value < best:
            best, labels = value, side.astype(int).tolist()
    return labels


def _nearest_same_event(matrix: np.ndarray, events: list[str]) -> float:
    """Share of rows whose most similar other row has the same label."""
    others = matrix.copy()
    np.fill_diagonal(others, -np.inf)
    nearest = others.argmax(axis=1)
    return round(float(np.mean([events[i] == events[j] for i, j in enumerate(nearest)])), 3)


def _word_vector_similarities(articles: list, model: str) -> np.ndarray | None:
    """Cosines of the mean word vector of each article's content words; None without the pipeline."""
    try:
        import spacy

        nlp = spacy.load(model, disable=["parser", "ner", "lemmatizer", "morphologizer", "attribute_ruler", "senter"])
    except (ImportError, OSError):
        return None
    rows = []
    for article in articles:
        doc = nlp(f"{article.title or ''}\n{article.text or ''}")
        vectors = [t.vector for t in doc if t.has_vector and t.is_alpha and not t.is_stop]
        mean = np.mean(vectors, axis=0) if vectors else np.zeros(nlp.vocab.vectors_length or 1)
        norm = float(np.linalg.norm(mean))
        rows.append(mean / norm if norm else mean)
    matrix = np.array(rows)
    return matrix @ matrix.T


def _means(matrix: np.ndarray, events: list[str], topics: list[str]) -> dict[str, float]:
    e, t = np.array(events), np.array(topics)
    same_event = e[:, None] == e[None, :]
    same_topic = t[:, None] == t[None, :]
    off_diagonal = ~np.eye(len(e), dtype=bool)
    means = {"same_event": matrix[same_event & off_diagonal], "sister_event": matrix[same_topic & ~same_event],
             "other_topic": matrix[~same_topic]}
    return {name: round(float(values.mean()), 3) for name, values in means.items() if values.size}


def main(argv: list[str]) -> dict:
    from recoupe.evaluate import cluster_scores, gold_labels, read_folder, score
    from recoupe.features import FeatureExtractor
    from recoupe.stories import StoryOptions

    parser = argparse.ArgumentParser(prog="run.py story-ceiling")
    parser.add_argument("--folder", type=Path, default=SHARED / "rpm2-dev")
    parser.add_argument("--events", default=r"T\d+_C\d")
    parser.add_argument("--topics", default=r"T\d+")
    parser.add_argument("--vectors", default="fr_core_news_md", help="spaCy pipeline with word vectors")
    args = parser.parse_args(argv)

    articles = read_folder(args.folder)
    ids = [a.id for a in articles]
    event_of, topic_of = gold_labels(ids, args.events), gold_labels(ids, args.topics)
    articles = [a for a in articles if a.id in event_of and a.id in topic_of]
    ids = [a.id for a in articles]
    events, topics = [event_of[i] for i in ids], [topic_of[i] for i in ids]
    options = StoryOptions()
    weights = (options.body_weight, options.title_weight, options.entity_weight, options.figure_weight)
    extractor = FeatureExtractor(options.features())
    base = [extractor.terms(a).counts for a in articles]
    with_dates = [terms + (_date_terms(a),) for terms, a in zip(base, articles)]
    event_count = len(set(events))
    result: dict = {"folder": str(args.folder), "articles": len(ids), "events": event_count,
                    "topics": len(set(topics))}

    def scored(labels: list) -> float:
        return round(score("events", event_of, dict(zip(ids, labels))).f1, 3)

    for name, terms, w in (("whole_corpus", base, weights), ("mentioned_dates", with_dates, (*weights, options.title_weight))):
        matrix = _similarities(_vectors(terms), w)
        result[name] = {"f1_at_true_k": scored(_average_linkage(matrix, event_count)), **_means(matrix, events, topics),
                        "nearest_same_event": _nearest_same_event(matrix, events)}
        if name == "whole_corpus":
            days = [_median_day(a) for a in articles]
            result["mentioned_date_gap"] = {
                "articles_with_a_day": sum(d is not None for d in days),
                "f1_at_true_k": scored(_average_linkage(_unlink_distant(matrix, days, 14.0), event_count))}
    matrix = _word_vector_similarities(articles, args.vectors)
    if matrix is not None:
        result["word_vectors"] = {"model": args.vectors, "f1_at_true_k": scored(_average_linkage(matrix, event_count)),
                                  **_means(matrix, events, topics), "nearest_same_event": _nearest_same_event(matrix, events)}

    labels: list = [None] * len(ids)
    cuts: list = [None] * len(ids)
    same, sister, nearest = [], [], []
    for topic in sorted(set(topics)):
        rows = [i for i, t in enumerate(topics) if t == topic]
        matrix = _similarities(_vectors([base[i] for i in rows]), weights)
        k = len({events[i] for i in rows})
        for row, label in zip(rows, _average_linkage(matrix, k)):
            labels[row] = f"{topic}/{label}"
        if k == 2:
            for row, side in zip(rows, _two_way_cut(matrix)):
                cuts[row] = f"{topic}/{side}"
        means = _means(matrix, [events[i] for i in rows], [topics[i] for i in rows])
        same.append(means["same_event"])
        sister.append(means["sister_event"])
        nearest += [_nearest_same_event(matrix, [events[i] for i in rows])] * len(rows)
    result["local_idf"] = {"f1_at_true_k": scored(labels),
                           "two_way_cut": scored(cuts) if None not in cuts else None, "same_event": round(float(np.mean(same)), 3),
                           "sister_event": round(float(np.mean(sister)), 3),
                           "nearest_same_event": round(float(np.mean(nearest)), 3)}
    online = cluster_scores(articles, args.events, options)[0]
    result["online"] = {"f1": round(online.f1, 3), "stories": online.clusters}
    return result
