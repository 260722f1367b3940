"""Near-duplicate detection against datasketch's MinHashLSH, on a synthetic stream with known copies.

Both systems see the same articles in the same order, the same normalised
words, the same shingles, the same number of permutations, the same
threshold and the same (bands, rows); each runs in its own process so that
its peak memory is its own. For each article a system answers "which earlier
articles is this a near-duplicate of" (candidates from the bands, kept when
the estimated Jaccard reaches the threshold) and then indexes it. Only that
work is timed; building the synthetic text is not.

With `--baseline-n` smaller than `--n`, datasketch sees only the first
articles, and recoupe's time and peak memory are also read when it has
indexed those same articles: the ratios against datasketch are taken over the
same articles, and `per_article_growth` compares recoupe's cost per article
over the whole stream with its cost over that beginning, in one process.

Truth: a pair is a near-duplicate when the exact Jaccard of its shingle sets
reaches the threshold. Pairs inside a family (an article and what derives
from it) are all checked; a reported pair across families is checked too and
counts as true if it qualifies (it never has so far: unrelated articles share
almost no shingle).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from array import array
from pathlib import Path

import numpy as np

from synthetic import NearDupCorpus
from recoupe.neardup import NearDupIndex, NearDupOptions, Signer, normalise

RUN = Path(__file__).resolve().parent / "run.py"


def _options(args: argparse.Namespace) -> NearDupOptions:
    return NearDupOptions(threshold=args.threshold, num_perm=args.num_perm, shingle_words=args.shingle_words)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="run.py near-dup")
    parser.add_argument("--n", type=int, default=10_000, help="articles in the stream")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threshold", type=float, default=NearDupOptions.threshold)
    parser.add_argument("--num-perm", type=int, default=NearDupOptions.num_perm)
    parser.add_argument("--shingle-words", type=int, default=NearDupOptions.shingle_words)
    parser.add_argument("--baseline-n", type=int, default=None,
                        help="articles given to datasketch (default: all); its memory grows ~10x faster")
    return parser


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def _recoupe(corpus: NearDupCorpus, args: argparse.Namespace, found: tuple[array, array, array],
             beginning: dict) -> float:
    index = NearDupIndex(_options(args))
    index.sign("warm up")
    elapsed = 0.0
    clock = time.process_time  # CPU time: other work on a shared machine does not count
    for article in corpus:
        if article.index == args.baseline_n:
            beginning.update(seconds=elapsed, peak_rss_mb=round(_peak_rss_mb(), 1))
        start = clock()
        matches = index.add(article.id, article.text)
        elapsed += clock() - start
        for match in matches:
            found[0].append(article.index)
            found[1].append(int(match.key[1:]))
            found[2].append(match.jaccard)
    return elapsed


def _datasketch(corpus: NearDupCorpus, args: argparse.Namespace, found: tuple[array, array, array]) -> float:
    from datasketch import MinHash, MinHashLSH

    options = _options(args)
    bands, rows = options.banding()
    k = options.shingle_words
    permutations = MinHash(num_perm=options.num_perm, seed=options.seed).permutations
    lsh = MinHashLSH(threshold=options.threshold, num_perm=options.num_perm, params=(bands, rows))
    signatures = np.empty((len(corpus), options.num_perm), dtype=np.uint32)
    elapsed = 0.0
    clock = time.process_time  # CPU time: other work on a shared machine does not count
    for article in corpus:
        start = clock()
        normalised = normalise(article.text)
        if normalised:
            words = normalised.split(" ")
            if len(words) >= k:
                shingles = {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}
            else:
                shingles = {normalised}
            minhash = MinHash(num_perm=options.num_perm, permutations=permutations, scheme="affine32")
            minhash.update_batch([s.encode("utf-8") for s in shingles])
            candidates = lsh.query(minhash)
            pairs = []
            if candidates:
                rows_ = np.fromiter(candidates, dtype=np.int64, count=len(candidates))
                agree = (signatures[rows_] == minhash.hashvalues).mean(axis=1)
                keep = agree >= options.threshold - 1e-9
                pairs = list(zip(rows_[keep].tolist(), agree[keep].tolist()))
            lsh.insert(article.index, minhash)
            signatures[article.index] = minhash.hashvalues
        else:
            pairs = []
        elapsed += clock() - start
        for row, jaccard in pairs:
            found[0].append(article.index)
            found[1].append(row)
            found[2].append(jaccard)
    return elapsed


def worker(argv: list[str]) -> None:
    """Runs one system on the stream and writes its timing, memory and pairs to --out."""
    parser = _parser()
    parser.add_argument("--system", choices=("recoupe", "datasketch"), required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    n = args.n if args.system == "recoupe" or args.baseline_n is None else min(args.n, args.baseline_n)
    corpus = NearDupCorpus(n, seed=args.seed)
    found = (array("i"), array("i"), array("f"))
    base_rss = _peak_rss_mb()
    beginning: dict = {}
    if args.system == "recoupe":
        elapsed = _recoupe(corpus, args, found, beginning)
    else:
        elapsed = _datasketch(corpus, args, found)
    result = {
        **_rates(n, elapsed),
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "rss_before_index_mb": round(base_rss, 1),
    }
    if beginning:
        result["beginning"] = {**_rates(args.baseline_n, beginning["seconds"]),
                               "peak_rss_mb": beginning["peak_rss_mb"]}
    np.savez(args.out, a=np.frombuffer(found[0], dtype=np.int32), b=np.frombuffer(found[1], dtype=np.int32),
             jaccard=np.frombuffer(found[2], dtype=np.float32))
    Path(args.out + ".json").write_text(json.dumps(result))


def _rates(n: int, seconds: float) -> dict:
    return {"n": n, "seconds": seconds, "articles_per_s": n / seconds, "us_per_article": 1e6 * seconds / n}


class _Truth:
    """Exact Jaccard of any pair of the stream, and every true pair inside families."""

    def __init__(self, n: int, args: argparse.Namespace):
        self.corpus = NearDupCorpus(n, seed=args.seed)
        self.signer = Signer(args.num_perm, args.shingle_words, 1)
        self.threshold = args.threshold
        self._sets: dict[int, np.ndarray] = {}

    def shingles(self, i: int) -> np.ndarray:
        found = self._sets.get(i)
        if found is None:
            found = self.signer.shingle_hashes(self.corpus.article(i).text)
        return found

    def jaccard(self, i: int, j: int) -> float:
        a, b = self.shingles(i), self.shingles(j)
        if not len(a) or not len(b):
            return 0.0
        common = len(np.intersect1d(a, b, assume_unique=True))
        return common / (len(a) + len(b) - common)

    def family_pairs(self) -> set[tuple[int, int]]:
        """(later, earlier) pairs of the same family whose exact Jaccard reaches the threshold."""
        families = np.empty(self.corpus.n, dtype=np.int64)
        for article in self.corpus:
            families[article.index] = article.family
        sizes = np.bincount(families, minlength=self.corpus.n)
        last = np.zeros(self.corpus.n, dtype=np.int64)
        last[families] = np.arange(self.corpus.n)  # the last member of each family
        open_members: dict[int, list[int]] = {}
        truth: set[tuple[int, int]] = set()
        for i in range(self.corpus.n):
            family = int(families[i])
            if sizes[family] < 2:
                continue
            self._sets[i] = self.signer.shingle_hashes(self.corpus.article(i).text)
            members = open_members.setdefault(family, [])
            for j in members:
                if self.jaccard(i, j) >= self.threshold:
                    truth.add((i, j))
            members.append(i)
            if last[family] == i:
                for j in open_members.pop(family):
                    self._sets.pop(j, None)
        return truth


def _score(pairs: np.lib.npyio.NpzFile, truth: set[tuple[int, int]], oracle: _Truth, n: int) -> dict:
    a, b = pairs["a"].astype(np.int64), pairs["b"].astype(np.int64)
    reported = {(i, j) for i, j in zip(a.tolist(), b.tolist()) if i < n}
    truth_here = {p for p in truth if p[0] < n}
    extra = [p for p in reported - truth_here if oracle.jaccard(*p) >= oracle.threshold]
    truth_here |= set(extra)
    hits = len(reported & truth_here)
    return {
        "precision": round(hits / len(reported), 4) if reported else 1.0,
        "recall": round(hits / len(truth_here), 4) if truth_here else 1.0,
        "pairs_reported": len(reported),
        "pairs_true": len(truth_here),
        "true_pairs_found_outside_families": len(extra),
    }


def main(argv: list[str]) -> dict:
    args = _parser().parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for system in ("recoupe", "datasketch"):
            out = os.path.join(tmp, system)
            subprocess.run([sys.executable, str(RUN), "_neardup_bench:worker", *argv, "--system", system, "--out", out],
                           check=True)
            results[system] = json.loads(Path(out + ".json").read_text())
            results[system]["pairs"] = np.load(out + ".npz")
        oracle = _Truth(args.n, args)
        truth = oracle.family_pairs()
        for system in results:
            pairs = results[system].pop("pairs")
            results[system].update(_score(pairs, truth, oracle, results[system]["n"]))
            if "beginning" in results[system]:
                beginning = results[system]["beginning"]
                beginning.update(_score(pairs, truth, oracle, beginning["n"]))
    ours, theirs = results["recoupe"], results["datasketch"]
    same_articles = ours.get("beginning", ours) if theirs["n"] < ours["n"] else ours
    options = _options(args)
    bands, rows = options.banding()
    return {
        "n": args.n,
        "threshold": args.threshold,
        "num_perm": args.num_perm,
        "shingle_words": args.shingle_words,
        "bands": bands,
        "rows": rows,
        "articles_per_s": round(ours["articles_per_s"], 1),
        "us_per_article": round(ours["us_per_article"], 2),
        "peak_rss_mb": ours["peak_rss_mb"],
        "precision": ours["precision"],
        "recall": ours["recall"],
        "recoupe": ours,
        "datasketch": theirs,
        "throughput_ratio": round(same_articles["articles_per_s"] / theirs["articles_per_s"], 2),
        "rss_ratio": round(same_articles["peak_rss_mb"] / theirs["peak_rss_mb"], 2),
        **({"per_article_growth": round(ours["us_per_article"] / ours["beginning"]["us_per_article"], 3)}
           if "beginning" in ours else {}),
    }
