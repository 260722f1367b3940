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
  per topic given;
- `mentioned_dates`: a fifth namespace of the dates the text mentions
  (day and month), weighted like the title;
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
    matrix = _word_vector_similarities(articles, args.vectors)
    if matrix is not None:
        result["word_vectors"] = {"model": args.vectors, "f1_at_true_k": scored(_average_linkage(matrix, event_count)),
                                  **_means(matrix, events, topics), "nearest_same_event": _nearest_same_event(matrix, events)}

    labels: list = [None] * len(ids)
    same, sister, nearest = [], [], []
    for topic in sorted(set(topics)):
        rows = [i for i, t in enumerate(topics) if t == topic]
        matrix = _similarities(_vectors([base[i] for i in rows]), weights)
        k = len({events[i] for i in rows})
        for row, label in zip(rows, _average_linkage(matrix, k)):
            labels[row] = f"{topic}/{label}"
        means = _means(matrix, [events[i] for i in rows], [topics[i] for i in rows])
        same.append(means["same_event"])
        sister.append(means["sister_event"])
        nearest += [_nearest_same_event(matrix, [events[i] for i in rows])] * len(rows)
    result["local_idf"] = {"f1_at_true_k": scored(labels), "same_event": round(float(np.mean(same)), 3),
                           "sister_event": round(float(np.mean(sister)), 3),
                           "nearest_same_event": round(float(np.mean(nearest)), 3)}
    online = cluster_scores(articles, args.events, options)[0]
    result["online"] = {"f1": round(online.f1, 3), "stories": online.clusters}
    return result
