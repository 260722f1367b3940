"""Whether the story thresholds carry over to texts they were not chosen on: cross-validation by topic.

    python benchmarks/run.py story-generality [--folder ../shared/data/rpm2-dev]
                                              [--splits 6] [--seed 0]

The thresholds in `defaults.toml` were chosen on rpm2-dev, and a held-aside
half of that corpus is to check them. This runs the same check on what is
here: the gold topics are split at random into two halves (`--splits`
times, seeded); each half is clustered on its own, as a new corpus would be
(its own document frequencies), over a grid of settings; the setting best
on one half is then scored on the other.

For events (the story thresholds, the topic ones at their defaults) and
topics (the topic thresholds, the story ones at their defaults), over all
halves:

- `default`: mean B-cubed F1 of the packaged defaults, and the lowest;
- `best_in_half`: mean F1 of the best setting of the grid chosen on the
  half it is scored on (optimistic: tuned on the test);
- `chosen_on_other_half`: mean F1 of the setting chosen on the other half,
  which is what a held-aside half would see of a tuned setting;
- `chosen`: how often each setting won a half.

`default` close to `chosen_on_other_half` and `best_in_half` says the
defaults are not fitted to these files; a large gap between the last two
says the grid's best is noise.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter
from dataclasses import replace
from pathlib import Path

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"

_EVENT_GRID = [{"threshold": t, "merge_threshold": m} for t in (0.15, 0.2, 0.25, 0.3, 0.35) for m in (0.35, 0.45, 0.55)]
_TOPIC_GRID = [{"topic_threshold": t, "topic_merge_threshold": m}
               for t in (0.08, 0.1, 0.12, 0.15, 0.2) for m in (0.2, 0.3, 0.4)]


def _halves(topics: list[str], splits: int, seed: int) -> list[tuple[frozenset, frozenset]]:
    """Distinct balanced splits of the topics in two."""
    rng = random.Random(seed)
    ordered = sorted(topics)
    seen, out = set(), []
    for _ in range(splits * 20):
        first = frozenset(rng.sample(ordered, len(ordered) // 2))
        second = frozenset(ordered) - first
        if first in seen or second in seen:
            continue
        seen |= {first, second}
        out.append((first, second))
        if len(out) == splits:
            break
    return out


def _label(setting: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in setting.items())


def main(argv: list[str]) -> dict:
    from recoupe.evaluate import cluster_scores, gold_labels, read_folder
    from recoupe.stories import StoryOptions

    parser = argparse.ArgumentParser(prog="run.py story-generality")
    parser.add_argument("--folder", type=Path, default=SHARED / "rpm2-dev")
    parser.add_argument("--events", default=r"T\d+_C\d")
    parser.add_argument("--topics", default=r"T\d+")
    parser.add_argument("--splits", type=int, default=6, help="random splits of the topics in two halves")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    articles = read_folder(args.folder)
    topic_of = gold_labels([a.id for a in articles], args.topics)
    articles = [a for a in articles if a.id in topic_of]
    defaults = StoryOptions()
    levels = {"events": (args.events, 0, _EVENT_GRID), "topics": (args.topics, 1, _TOPIC_GRID)}
    cache: dict[tuple, float] = {}

    def f1(half: frozenset, level: str, setting: dict | None) -> float:
        key = (half, level, tuple(sorted((setting or {}).items())))
        if key not in cache:
            regex, which, _ = levels[level]
            chosen = [a for a in articles if topic_of[a.id] in half]
            options = replace(defaults, **setting) if setting else defaults
            cache[key] = cluster_scores(chosen, regex, options)[which].f1
        return cache[key]

    splits = _halves(list(set(topic_of.values())), args.splits, args.seed)
    result: dict = {"folder": str(args.folder), "articles": len(articles), "splits": len(splits)}
    for level, (_, _, grid) in levels.items():
        default, best, transferred, chosen = [], [], [], Counter()
        for pair in splits:
            for tune, test in (pair, pair[::-1]):
                scores = [f1(tune, level, s) for s in grid]
                winner = grid[max(range(len(grid)), key=lambda i: (scores[i], -i))]
                chosen[_label(winner)] += 1
                transferred.append(f1(test, level, winner))
                best.append(max(f1(test, level, s) for s in grid))
                default.append(f1(test, level, None))
        result[level] = {
            "default": round(sum(default) / len(default), 3),
            "default_lowest": round(min(default), 3),
            "best_in_half": round(sum(best) / len(best), 3),
            "chosen_on_other_half": round(sum(transferred) / len(transferred), 3),
            "chosen": dict(chosen.most_common()),
        }
    return result
