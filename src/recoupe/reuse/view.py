"""Two articles side by side in plain text, aligned sentences on one row with one number.

A reader checks an alignment by reading it: the derivative on the left, its
source on the right, each aligned pair on a row marked [n] with its score;
sentences that align with nothing sit alone on their side. A pair moved out
of order is marked "moved" and its right-hand sentence shown again there.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from ..analyse.sentences import split_sentences
from ..article import Article

_GUTTER = " │ "


def _sentences(article: Article) -> list[str]:
    if article.analysis is not None and article.analysis.sentences:
        return [s.text for s in article.analysis.sentences]
    return [s.text for s in split_sentences(article.text or "")]


def _rows(n_left: int, n_right: int, pairs: Sequence[Sequence[Any]]) -> list[tuple[int | None, int | None, int | None, float | None, bool]]:
    """(left sentence, right sentence, mark number, score, moved) rows in reading order of the left text."""
    rows: list[tuple[int | None, int | None, int | None, float | None, bool]] = []
    aligned_right = {int(p[1]) for p in pairs}
    left_at = right_at = 0
    ordered = sorted((int(p[0]), int(p[1]), float(p[2]) if len(p) > 2 else None) for p in pairs
                     if 0 <= int(p[0]) < n_left and 0 <= int(p[1]) < n_right)
    for number, (i, j, score) in enumerate(ordered, start=1):
        while left_at < i:
            rows.append((left_at, None, None, None, False))
            left_at += 1
        while right_at < j:
            if right_at not in aligned_right:
                rows.append((None, right_at, None, None, False))
            right_at += 1
        rows.append((i, j, number, score, j < right_at and (not rows or rows[-1][1] != j)))
        left_at = max(left_at, i + 1)
        right_at = max(right_at, j + 1)
    while left_at < n_left:
        rows.append((left_at, None, None, None, False))
        left_at += 1
    while right_at < n_right:
        if right_at not in aligned_right:
            rows.append((None, right_at, None, None, False))
        right_at += 1
    return rows


def side_by_side(left: Article, right: Article, pairs: Sequence[Sequence[Any]], width: int = 120,
                 title: str | None = None) -> str:
    """The two texts in two columns; `pairs` are [left sentence, right sentence, score] rows."""
    column = max((width - len(_GUTTER)) // 2, 20)
    left_s, right_s = _sentences(left), _sentences(right)
    lines = []
    if title:
        lines.append(title)
    lines.append(f"{left.id[:column]:<{column}}{_GUTTER}{right.id[:column]}")
    lines.append("─" * column + "─┼─" + "─" * column)
    for i, j, number, score, moved in _rows(len(left_s), len(right_s), pairs):
        mark = ""
        if number is not None:
            mark = f"[{number}{' ' + format(score, '.2f') if score is not None else ''}{' moved' if moved else ''}] "
        left_text = textwrap.wrap(mark + left_s[i], column) if i is not None else []
        right_text = textwrap.wrap((f"[{number}] " if number is not None else "") + right_s[j], column) if j is not None else []
        for k in range(max(len(left_text), len(right_text), 1)):
            a = left_text[k] if k < len(left_text) else ""
            b = right_text[k] if k < len(right_text) else ""
            lines.append(f"{a:<{column}}{_GUTTER}{b}".rstrip())
        lines.append(f"{'':<{column}}{_GUTTER}".rstrip())
    return "\n".join(lines).rstrip() + "\n"


def story_pairs(story: Mapping[str, Any], articles: Mapping[str, Article], width: int = 120) -> str:
    """Every aligned pair of a story's report entry, side by side, derivative on the left."""
    provenance = {p.get("article"): p for p in story.get("provenance") or [] if isinstance(p, Mapping)}
    blocks = []
    for alignment in story.get("alignments") or []:
        a, b = alignment.get("a"), alignment.get("b")
        if a not in articles or b not in articles:
            continue
        entry = provenance.get(a, {})
        shared = entry.get("shared") if entry.get("derived_from") == b else None
        title = f"{a} ← {b}: {alignment.get('relation', 'aligned')}, {len(alignment.get('pairs') or [])} sentence pairs"
        if shared is not None:
            title += f", {shared:.0%} of {a} shared"
        blocks.append(side_by_side(articles[a], articles[b], alignment.get("pairs") or [], width, title))
    if not blocks:
        return "no aligned passages in this story\n"
    return "\n".join(blocks)


def story_text(story: Mapping[str, Any], reuse: Mapping[str, Any], articles: Mapping[str, Article],
               pairs: bool = False, width: int = 120) -> str:
    """A story as text: its members with role and source; with `pairs`, every aligned pair side by side."""
    entries = {p.get("article"): p for p in reuse.get("provenance") or [] if isinstance(p, Mapping)}
    lines = [f"story {story.get('id')}: {story.get('title') or ''}".rstrip()]
    for member in story.get("members") or []:
        entry = entries.get(member, {})
        role = entry.get("role", "not analysed")
        line = f"  {member}  {role}"
        if entry.get("derived_from"):
            line += f" of {entry['derived_from']} ({entry.get('relation')}, {entry.get('shared', 0):.0%} shared)"
        article = articles.get(member)
        signals = list(article.signals) if article is not None else []
        signals += [why.split(":")[0] for why in entry.get("signal_evidence") or [] if why.split(":")[0] not in signals]
        if signals:
            line += f"  [{', '.join(signals)}]"
        lines.append(line)
    text = "\n".join(lines) + "\n"
    if pairs:
        text += "\n" + story_pairs(reuse, articles, width)
    return text
