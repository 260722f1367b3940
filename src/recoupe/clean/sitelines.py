"""Lines that recur across articles of one site: its furniture, learnt from its own pages.

A line printed in several different articles of the same site (a slogan, a
newsletter pitch, a legal notice) is not part of any of them. The caller owns
the object, adds articles as they are read, and can persist it with
`to_state`/`from_state`; nothing is shared between callers.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from typing import Any

from ..article import Article
from .blocks import comparison_key, split_paragraphs


def _line_hash(line: str) -> str | None:
    key = comparison_key(line)
    if not key:
        return None
    return hashlib.blake2b(key.encode("utf-8"), digest_size=8).hexdigest()


class SiteLines:
    """Counts, per site, in how many distinct articles each short line occurs.

    `min_articles`: a line is recurring once seen in at least this many articles
    of the site. `max_chars`: longer lines are prose and never counted, so a
    paragraph a site reprints in follow-up stories is not mistaken for furniture.
    """

    def __init__(self, min_articles: int = 3, max_chars: int = 200):
        if min_articles < 2:
            raise ValueError(f"min_articles must be at least 2, got {min_articles}")
        if max_chars < 1:
            raise ValueError(f"max_chars must be positive, got {max_chars}")
        self.min_articles = min_articles
        self.max_chars = max_chars
        self._counts: dict[str, dict[str, int]] = defaultdict(dict)
        self._seen: dict[str, set[str]] = defaultdict(set)

    def add(self, article: Article) -> None:
        """Count the lines of one article (once per article id; adding it again changes nothing)."""
        site = article.site
        if not site or article.id in self._seen[site]:
            return
        self._seen[site].add(article.id)
        counts = self._counts[site]
        hashes = set()
        for paragraph in split_paragraphs(article.input_text or article.text):
            text = paragraph.text
            if len(text) <= self.max_chars:
                line_hash = _line_hash(text)
                if line_hash:
                    hashes.add(line_hash)
        for line_hash in hashes:
            counts[line_hash] = counts.get(line_hash, 0) + 1

    def is_recurring(self, site: str | None, line: str) -> bool:
        if not site or len(line) > self.max_chars:
            return False
        line_hash = _line_hash(line)
        return line_hash is not None and self._counts.get(site, {}).get(line_hash, 0) >= self.min_articles

    def articles(self, site: str) -> int:
        """How many articles of the site were added."""
        return len(self._seen.get(site, ()))

    def to_state(self) -> dict[str, Any]:
        return {
            "min_articles": self.min_articles,
            "max_chars": self.max_chars,
            "sites": {
                site: {"articles": sorted(self._seen[site]), "lines": dict(self._counts.get(site, {}))}
                for site in self._seen
            },
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "SiteLines":
        lines = cls(min_articles=state.get("min_articles", 3), max_chars=state.get("max_chars", 200))
        for site, data in state.get("sites", {}).items():
            lines._seen[site] = set(data.get("articles", []))
            lines._counts[site] = {k: int(v) for k, v in data.get("lines", {}).items()}
        return lines
