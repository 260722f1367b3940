"""Online story clustering on a synthetic dated stream with known stories.

Each article goes through what the engine runs for it: analysis (language,
sentences, spaCy lemmas and entities for French, the agnostic path for the
other languages), the near-duplicate step, then the story step. Each part is
timed on its own, so the JSON line says where the time goes; B-cubed and ARI
are computed against the generator's stories. The run happens in a child
process so that its peak memory is its own.

`per_article_growth` divides the cost per article over the whole stream by
the cost per article over its first tenth, in the same process: with
`--n 100000` that is the stream of 100,000 against its first 10,000
articles, for the whole (`all`), the story step (`stories`: features and
clustering) and each part. With `--levels`, `postings_read_growth` is the
same ratio for the posting entries the story and topic indexes read to find
candidates: a count of work, which other load on a shared machine does not
blur as it does CPU times.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from synthetic import StoryCorpus
from recoupe.article import Article
from recoupe.evaluate import score

RUN = Path(__file__).resolve().parent / "run.py"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run.py stories")
    parser.add_argument("--n", type=int, default=10_000, help="articles in the stream")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-day", type=int, default=1000, help="articles published per day")
    parser.add_argument("--model", default=None, help='spaCy French pipeline (default: the [analyse] setting; "" for the language-agnostic path)')
    parser.add_argument("--levels", action="store_true",
                        help="also time the story and the topic index within clustering (adds a little overhead)")
    return parser


def worker(argv: list[str]) -> None:
    from recoupe.analyse import AnalyseOptions, Analyser
    from recoupe.config import Options
    from recoupe.neardup import NearDupOptions, NearDupStep
    from recoupe.stories import StoryOptions, StoryStep

    parser = _parser()
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    options = Options()
    analyse_options = options.typed("analyse", AnalyseOptions)
    if args.model is not None:
        analyse_options.spacy_model = args.model
    analyser = Analyser(analyse_options)
    near = NearDupStep(options.typed("neardup", NearDupOptions))
    stories = StoryStep(options.typed("stories", StoryOptions))
    warm = Article(id="warm-up", source="", text="Le président a parlé hier à Paris.")
    analyser.analyse(warm)
    stories.extractor.terms(warm)  # loads what the features load once (stop words)

    clock = time.process_time  # CPU time: other work on a shared machine does not count
    levels: dict[str, float] = {}
    work: dict[str, int] = {}
    if args.levels:
        _time_levels(stories.clusterer, levels, clock)
        _count_lookups(stories.clusterer, work)
    spent = {"analyse": 0.0, "neardup": 0.0, "features": 0.0, "clustering": 0.0}
    gold: dict[str, int] = {}
    checkpoints = []
    rss_start = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for item in StoryCorpus(args.n, seed=args.seed, per_day=args.per_day):
        article = Article(id=item.id, source="synthetic", title=item.title, text=item.text, published=item.published)
        gold[item.id] = item.family
        t0 = clock()
        analyser.analyse(article)
        t1 = clock()
        near.process(article)
        t2 = clock()
        terms = stories.extractor.terms(article)
        t3 = clock()
        duplicate_of = [row[0] for row in article.meta.get("near_duplicates", [])] or None
        stories.clusterer.add(article.id, terms, article.published, article.title, duplicate_of)
        t4 = clock()
        spent["analyse"] += t1 - t0
        spent["neardup"] += t2 - t1
        spent["features"] += t3 - t2
        spent["clustering"] += t4 - t3
        if (item.index + 1) % max(args.n // 10, 1) == 0:
            checkpoints.append(_checkpoint(item.index + 1, {**spent, **levels}, work, checkpoints,
                                           len(stories.clusterer.stories.live), len(stories.clusterer.topics.live)))
    predicted = {key: stories.clusterer.story_of(key) for key in gold}
    result = score("stories", {k: str(v) for k, v in gold.items()}, predicted)
    total = sum(spent.values())
    out = {
        "n": args.n,
        "articles_per_s": round(args.n / total, 1),
        "us_per_article": round(1e6 * total / args.n, 1),
        "stories_us_per_article": round(1e6 * (spent["features"] + spent["clustering"]) / args.n, 1),
        "time_share": {k: round(v / total, 3) for k, v in spent.items()},
        "us_per_article_by_part": {k: round(1e6 * v / args.n, 1) for k, v in spent.items()},
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "rss_at_start_mb": round(rss_start, 1),
        "precision": round(result.precision, 4),
        "recall": round(result.recall, 4),
        "f1": round(result.f1, 4),
        "ari": round(result.ari, 4),
        "stories_found": result.clusters,
        "stories_true": result.gold_clusters,
        "live_stories_at_end": len(stories.clusterer.stories.live),
        "spacy_model": analyse_options.spacy_model,
        "checkpoints": [{k: v for k, v in c.items() if k not in ("_spent", "_work")} for c in checkpoints],
    }
    if checkpoints:
        out["per_article_growth"] = _growth(spent, args.n, checkpoints[0])
        if work:  # the same ratio for the posting entries read: a count, not blurred by other load
            out["postings_read_growth"] = _growth(work, args.n, checkpoints[0], "_work", {k: [k] for k in work})
    Path(args.out).write_text(json.dumps(out))


def _time_levels(clusterer, levels: dict[str, float], clock) -> None:
    """Wraps the TF-IDF weighting and the story and topic indexes' calls to add their CPU time to `levels`:
    which part of clustering grows with the stream."""
    for index, level in ((clusterer.stories, "story_level"), (clusterer.topics, "topic_level")):
        for name in ("expire", "query", "score", "add", "merge", "pair_similarity"):
            setattr(index, name, _timed(getattr(index, name), levels, level, clock))
    clusterer.vectorizer.vector = _timed(clusterer.vectorizer.vector, levels, "weighting", clock)


def _count_lookups(clusterer, work: dict[str, int]) -> None:
    """Counts the posting entries each index reads to find candidates: the work that grows with the
    live clusters, as a count, which other load on the machine does not blur as it does CPU times."""
    for index, level in ((clusterer.stories, "story_level"), (clusterer.topics, "topic_level")):
        work[level] = 0

        def counted(query, lookup=index.lookup, level=level):
            found = lookup(query)
            work[level] += sum(len(posting) for posting, _ in found)
            return found
        index.lookup = counted


def _timed(call, levels: dict[str, float], key: str, clock):
    levels.setdefault(key, 0.0)

    def timed(*args, **kwargs):
        start = clock()
        try:
            return call(*args, **kwargs)
        finally:
            levels[key] += clock() - start
    return timed


def _checkpoint(articles: int, spent: dict[str, float], work: dict[str, int], earlier: list[dict], live: int,
                live_topics: int) -> dict:
    """Cost per article of the slice since the last checkpoint: flat cost means flat slices, whatever came before.

    With --levels, `slice_us_per_article` also has weighting (TF-IDF), story_level and topic_level: parts of
    clustering; and `slice_postings_read_per_article` the posting entries each index read to find candidates.
    """
    before = earlier[-1] if earlier else {"articles": 0, "_spent": dict.fromkeys(spent, 0.0),
                                          "_work": dict.fromkeys(work, 0)}
    count = articles - before["articles"]
    slice_spent = {k: v - before["_spent"][k] for k, v in spent.items()}
    out = {"articles": articles, "_spent": dict(spent), "_work": dict(work), "live_stories": live,
           "live_topics": live_topics, "rss_mb": _rss_mb(),
           "slice_us_per_article": {k: round(1e6 * v / count, 1) for k, v in slice_spent.items()},
           "slice_stories_us_per_article": round(1e6 * (slice_spent["features"] + slice_spent["clustering"]) / count, 1)}
    if work:
        out["slice_postings_read_per_article"] = {k: round((v - before["_work"][k]) / count, 1) for k, v in work.items()}
    return out


def _growth(totals: dict[str, float], articles: int, first: dict, recorded: str = "_spent",
            parts: dict[str, list[str]] | None = None) -> dict[str, float]:
    """Cost per article over the whole run divided by that over the first checkpoint's articles, for each
    part (a sum of `totals` keys; by default everything, the story step and each key); `recorded` names the
    checkpoint's copy of `totals`."""
    if parts is None:
        parts = {"all": list(totals), "stories": ["features", "clustering"], **{k: [k] for k in totals}}
    growth = {}
    for name, keys in parts.items():
        beginning = sum(first[recorded][k] for k in keys) / first["articles"]
        if beginning > 0:
            growth[name] = round(sum(totals[k] for k in keys) / articles / beginning, 3)
    return growth


def _rss_mb() -> float:
    """Resident memory now, to tell the live windows, which stop growing, from what stays per article."""
    import psutil

    return round(psutil.Process().memory_info().rss / 2**20, 1)


def main(argv: list[str]) -> dict:
    _parser().parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "stories.json"
        subprocess.run([sys.executable, str(RUN), "_stories_bench:worker", *argv, "--out", str(out)], check=True)
        return json.loads(out.read_text())
