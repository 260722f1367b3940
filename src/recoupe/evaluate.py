"""How good the clustering is: B-cubed and adjusted Rand index against gold labels,
and how well article similarity follows human ratings (SemEval 2022 task 8).

`evaluate_clusters(directory, label_regex)` reads every article of a folder
with the project's reader, cleaner and analyser, clusters them online, and
scores both levels of the result (stories and topics) against labels taken
from the file names. `evaluate_pairs(folder)` computes recoupe's similarity
for each SemEval pair and its Pearson correlation with the `Overall` rating
(1 = very similar .. 4 = very different, so a good similarity correlates
negatively).
"""

from __future__ import annotations

import csv
import math
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from .article import Article
from .config import Options
from .errors import ConfigError, InputError
from .features import FeatureExtractor, Vectorizer
from .neardup import NearDupOptions
from .stories import StoryOptions, publication_order


@dataclass
class ClusterScores:
    """B-cubed precision, recall, F1 and adjusted Rand index of one clustering."""

    level: str
    articles: int
    clusters: int
    gold_clusters: int
    precision: float
    recall: float
    f1: float
    ari: float

    def line(self) -> str:
        return (f"{self.level:<8} articles={self.articles} clusters={self.clusters} gold={self.gold_clusters} "
                f"P={self.precision:.4f} R={self.recall:.4f} F1={self.f1:.4f} ARI={self.ari:.4f}")


def _contingency(gold: dict[str, str], predicted: dict[str, object]) -> tuple[Counter, Counter, Counter]:
    keys = [k for k in gold if k in predicted]
    cells = Counter((predicted[k], gold[k]) for k in keys)
    return cells, Counter(predicted[k] for k in keys), Counter(gold[k] for k in keys)


def bcubed(gold: dict[str, str], predicted: dict[str, object]) -> tuple[float, float, float]:
    """B-cubed precision, recall and F1 (Bagga & Baldwin 1998), over the items both label."""
    cells, sizes_pred, sizes_gold = _contingency(gold, predicted)
    n = sum(cells.values())
    if n == 0:
        return 0.0, 0.0, 0.0
    precision = sum(count * count / sizes_pred[p] for (p, _), count in cells.items()) / n
    recall = sum(count * count / sizes_gold[g] for (_, g), count in cells.items()) / n
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def adjusted_rand_index(gold: dict[str, str], predicted: dict[str, object]) -> float:
    """Hubert & Arabie's adjusted Rand index: 1 for identical partitions, about 0 for chance."""
    cells, sizes_pred, sizes_gold = _contingency(gold, predicted)
    n = sum(cells.values())
    if n < 2:
        return 1.0
    pairs = lambda x: x * (x - 1) / 2  # noqa: E731
    index = sum(pairs(c) for c in cells.values())
    rows = sum(pairs(c) for c in sizes_pred.values())
    cols = sum(pairs(c) for c in sizes_gold.values())
    expected = rows * cols / pairs(n)
    maximum = (rows + cols) / 2
    if maximum == expected:
        return 1.0
    return (index - expected) / (maximum - expected)


def score(level: str, gold: dict[str, str], predicted: dict[str, object]) -> ClusterScores:
    p, r, f = bcubed(gold, predicted)
    keys = [k for k in gold if k in predicted]
    return ClusterScores(level, len(keys), len({predicted[k] for k in keys}), len({gold[k] for k in keys}),
                         p, r, f, adjusted_rand_index(gold, predicted))


def gold_labels(keys: Iterable[str], label_regex: str) -> dict[str, str]:
    """Label of each article id from its name: the regex's first group, or its whole match."""
    pattern = re.compile(label_regex)
    labels = {}
    for key in keys:
        match = pattern.search(key)
        if match:
            labels[key] = match.group(1) if pattern.groups else match.group(0)
    return labels


def read_folder(directory: str | Path, options: Options | None = None) -> list[Article]:
    """Every `.txt` file of a folder, read, cleaned and analysed as the engine does, in name order."""
    from .analyse import AnalyseOptions, Analyser
    from .clean import CleanOptions, clean_article
    from .ingest.decode import decode_bytes

    options = options or Options()
    folder = Path(directory)
    if not folder.is_dir():
        raise InputError(str(directory), "not a folder")
    paths = sorted(p for p in folder.glob("*.txt") if p.is_file())
    if not paths:
        raise InputError(str(directory), "no file to evaluate")
    clean_options = options.typed("clean", CleanOptions)
    analyser = Analyser(options.typed("analyse", AnalyseOptions))
    articles = []
    for path in paths:
        data = path.read_bytes()
        article = Article(id=path.stem, source=str(path), raw=data, input_text=decode_bytes(data, str(path)))
        clean_article(article, clean_options)
        analyser.analyse(article)
        articles.append(article)
    return articles


def cluster_scores(articles: list[Article], label_regex: str, options: StoryOptions | None = None,
                   neardup_options: NearDupOptions | None = None) -> list[ClusterScores]:
    """Clusters the articles online (near-copies first, as the engine does) and scores
    stories and topics against the labels in their ids."""
    from .neardup import NearDupStep
    from .stories import StoryStep

    near_duplicates = NearDupStep(neardup_options)
    stories = StoryStep(options)
    for article in publication_order(articles):
        stories.process(near_duplicates.process(article))
    clusterer = stories.clusterer
    gold = gold_labels([a.id for a in articles], label_regex)
    if not gold:
        raise InputError(label_regex, "the label regex matches no article name")
    stories = {a.id: clusterer.story_of(a.id) for a in articles}
    topics = {a.id: clusterer.topic_of(a.id) for a in articles}
    return [score("stories", gold, stories), score("topics", gold, topics)]


def run_engine(directory: str | Path, options: Options | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """Runs the engine (reading, cleaning, analysis, near-duplicates, stories) on a folder, in a
    throw-away store; returns each article's story and topic. Story steps (reuse, facts, summary)
    are left out: they do not change the grouping."""
    import tempfile

    from .engine import Engine
    from .neardup import NearDupStep
    from .pipeline import CleanStep, Pipeline, analyse_step
    from .store import Store
    from .stories import StoryStep

    options = options or Options()
    if not Path(directory).is_dir():
        raise InputError(str(directory), "not a folder")
    stories = StoryStep.from_options(options)
    pipeline = Pipeline(prepare=[CleanStep(options), analyse_step(options)],
                        online=[NearDupStep.from_options(options), stories])
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(str(Path(tmp) / "eval.db"))
        try:
            Engine(options, store, steps=pipeline).ingest([str(directory)])
            memberships = dict(store.memberships())
        finally:
            store.close()
    if not memberships:
        raise InputError(str(directory), "no article could be read")
    topics = {key: stories.topic_of(key) for key in memberships}
    return memberships, topics


def evaluate_clusters(directory: str | Path, label_regex: str, options: Options | None = None) -> list[ClusterScores]:
    """B-cubed and ARI of the engine's stories and topics on a folder, against labels from file names."""
    memberships, topics = run_engine(directory, options)
    gold = gold_labels(memberships, label_regex)
    if not gold:
        raise InputError(label_regex, "the label regex matches no article name")
    return [score("stories", gold, memberships), score("topics", gold, topics)]


# ---------------------------------------------------------------- pair similarity (SemEval 2022 task 8)


@dataclass
class PairScores:
    subset: str
    pairs: int
    pearson: float

    @property
    def interval(self) -> tuple[float, float]:
        return pearson_interval(self.pearson, self.pairs)

    def line(self) -> str:
        low, high = self.interval
        return f"{self.subset:<8} pairs={self.pairs} pearson={self.pearson:+.4f} ci95=[{low:+.3f}, {high:+.3f}]"


def pearson(xs: list[float], ys: list[float]) -> float:
    n = len(xs)
    if n < 2:
        return float("nan")
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    return sxy / math.sqrt(sxx * syy) if sxx and syy else float("nan")


def pearson_interval(r: float, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95% confidence interval of a Pearson r over n pairs (Fisher transform): with a hundred
    pairs it is about +-0.1 wide, which says how much a difference of a few hundredths means."""
    if n < 4 or math.isnan(r) or abs(r) >= 1.0:
        return (r, r)
    centre, half = math.atanh(r), z / math.sqrt(n - 3)
    return (math.tanh(centre - half), math.tanh(centre + half))


def _semeval_article(key: str, text: str, language: str) -> Article:
    """A SemEval text is the title then the body, parted by a line break or by two spaces, whichever
    comes first; texts with neither (the title run into the body by one space) are all body."""
    text = text.strip()
    cuts = [i for i in (text.find("\n"), text.find("  ")) if i > 0]
    if cuts and min(cuts) <= 250:
        title, body = text[: min(cuts)].strip(), text[min(cuts):].strip()
    else:
        title, body = None, text
    return Article(id=key, source=key, title=title or None, text=body, language=language)


def read_semeval(folder: str | Path) -> list[dict]:
    folder = Path(folder)
    files = sorted(folder.glob("*.csv"))
    if not files:
        raise InputError(str(folder), "no SemEval csv file")
    csv.field_size_limit(sys.maxsize)
    rows = []
    for path in files:
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                row["file"] = path.stem
                rows.append(row)
    return rows


def pair_similarities(rows: list[dict], options: Options | None = None) -> list[float]:
    """recoupe's similarity of each pair; document frequencies come from all the texts given."""
    from .analyse import AnalyseOptions, Analyser

    options = options or Options()
    story_options = options.typed("stories", StoryOptions)
    analyser = Analyser(options.typed("analyse", AnalyseOptions))
    extractor = FeatureExtractor(story_options.features())
    vectorizer = Vectorizer(story_options.features())
    terms = {}
    for row in rows:
        for side in ("1", "2"):
            key = f"{row['file']}:{row['pair_id']}:{side}"
            article = _semeval_article(key, row[f"text{side}"], row[f"lang{side}"])
            analyser.analyse(article)
            terms[key] = extractor.terms(article)
    for counts in terms.values():
        vectorizer.observe(counts)
    vectors = {key: vectorizer.vector(counts) for key, counts in terms.items()}
    return [vectorizer.similarity(vectors[f"{r['file']}:{r['pair_id']}:1"], vectors[f"{r['file']}:{r['pair_id']}:2"])
            for r in rows]


def evaluate_pairs(folder: str | Path, options: Options | None = None) -> list[PairScores]:
    rows = read_semeval(folder)
    similarity = pair_similarities(rows, options)
    overall = [float(r["Overall"]) for r in rows]
    subsets = {"fr-fr": lambda r: r["lang1"] == "fr" and r["lang2"] == "fr", "all": lambda r: True}
    out = []
    for name, keep in subsets.items():
        chosen = [i for i, r in enumerate(rows) if keep(r)]
        out.append(PairScores(name, len(chosen), pearson([similarity[i] for i in chosen], [overall[i] for i in chosen])))
    return out


def add_eval_parser(sub) -> None:
    """The `recoupe eval` command (its parser lives here so that cli.py only lists it)."""
    parser = sub.add_parser("eval", help="score stories against labels in file names, or similarity against "
                                         "SemEval ratings")
    what = parser.add_subparsers(dest="what", required=True, metavar="WHAT")
    clusters = what.add_parser("clusters", help="run the engine on DIR; B-cubed P/R/F1 and ARI of stories and topics")
    clusters.add_argument("directory", metavar="DIR")
    clusters.add_argument("--label-regex", required=True, help=r"gold label from each file name, e.g. 'T\d+_C\d'")
    clusters.add_argument("--config", help="a TOML file over the packaged defaults")
    pairs = what.add_parser("pairs", help="Pearson correlation of article similarity with SemEval's Overall rating")
    pairs.add_argument("directory", metavar="DIR", help="folder of SemEval 2022 task 8 csv files")
    pairs.add_argument("--config", help="a TOML file over the packaged defaults")
    parser.set_defaults(handler=cmd_eval)


def cmd_eval(args) -> int:
    options = Options.load(args.config) if args.config else Options()
    if args.what == "clusters":
        results = evaluate_clusters(args.directory, args.label_regex, options)
    else:
        results = evaluate_pairs(args.directory, options)
    for result in results:
        print(result.line())
    return 0


def main(argv: list[str] | None = None) -> int:
    """`python -m recoupe.evaluate clusters DIR --label-regex RE` or `... pairs DIR` (same as `recoupe eval`)."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m recoupe.evaluate")
    sub = parser.add_subparsers(dest="command", required=True)
    add_eval_parser(sub)
    args = parser.parse_args(["eval", *(argv if argv is not None else sys.argv[1:])])
    try:
        return cmd_eval(args)
    except (InputError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
