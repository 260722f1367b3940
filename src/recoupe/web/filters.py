"""Search and filters of the web app: which stories and articles a query keeps.

Words match without regard to case or accents, all of them somewhere in the
story (title, summary, its articles' titles and text) or the article. The
other filters keep an article by its language, source, a signal it carries
and its publication date; a story is kept when one of its articles is.
"""

from __future__ import annotations

from urllib.parse import urlencode

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from pydantic import BeforeValidator

from ..report.view import article_site, parse_date


def _iso_day(value: Any) -> Any:
    """A day as YYYY-MM-DD and nothing else: "0" is not 1 January 1970, whatever lax parsing would say."""
    if isinstance(value, date):
        return value
    if not isinstance(value, str) or len(value) != 10:
        raise ValueError("a day is written YYYY-MM-DD")
    return date.fromisoformat(value)


IsoDay = Annotated[date, BeforeValidator(_iso_day)]


def fold(text: str) -> str:
    """Lower case without accents, for matching what a reader types."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def source_name(article: Mapping[str, Any]) -> str:
    """The name a reader picks a source by: the site or agency, else where it was read from."""
    return article_site(article) or str(article.get("source") or "")


@dataclass
class Filters:
    q: str = ""
    language: str = ""
    source: str = ""
    signal: str = ""
    date_from: date | None = None
    date_to: date | None = None

    @property
    def active(self) -> bool:
        return bool(self.q.strip() or self.language or self.source or self.signal or self.date_from or self.date_to)

    @property
    def article_filters(self) -> bool:
        return bool(self.language or self.source or self.signal or self.date_from or self.date_to)

    def _words(self) -> list[str]:
        return fold(self.q).split()

    def article_passes(self, article: Mapping[str, Any]) -> bool:
        """The non-text filters: language, source, signal, date."""
        if self.language and article.get("language") != self.language:
            return False
        if self.source and source_name(article) != self.source:
            return False
        if self.signal and self.signal not in (article.get("signals") or []):
            return False
        if self.date_from or self.date_to:
            published = parse_date(article.get("published"))
            if published is None:
                return False
            if self.date_from and published.date() < self.date_from:
                return False
            if self.date_to and published.date() > self.date_to:
                return False
        return True

    def article_matches(self, article: Mapping[str, Any]) -> bool:
        if not self.article_passes(article):
            return False
        haystack = fold(" ".join(str(article.get(k) or "") for k in ("title", "text", "byline", "site", "agency")))
        return all(word in haystack for word in self._words())

    def story_matches(self, story: Mapping[str, Any], articles: Mapping[str, Mapping[str, Any]]) -> bool:
        members = [articles[m] for m in story.get("members") or [] if m in articles]
        if self.article_filters and not any(self.article_passes(a) for a in members):
            return False
        words = self._words()
        if not words:
            return True
        parts = [str(story.get("title") or "")]
        parts += [str(s.get("sentence") or "") for s in story.get("summary") or [] if isinstance(s, Mapping)]
        parts += [str(a.get(k) or "") for a in members for k in ("title", "text")]
        haystack = fold(" ".join(parts))
        return all(word in haystack for word in words)


def choices(articles: Iterable[Mapping[str, Any]]) -> dict[str, list[str]]:
    """The values the filter menus offer, from what the store holds."""
    articles = list(articles)
    return {
        "languages": sorted({a.get("language") for a in articles if a.get("language")}),
        "sources": sorted({source_name(a) for a in articles} - {""}),
        "signals": sorted({s for a in articles for s in a.get("signals") or []}),
    }


@dataclass(frozen=True)
class Paging:
    """One page of the index: a web page listing 10,000 stories weighs megabytes and says no more."""

    STORIES = 50
    ARTICLES = 100

    number: int
    pages: int
    stories: int  # totals over every page
    articles: int
    query: tuple[tuple[str, str], ...]  # the filters, kept in the links to other pages

    @classmethod
    def of(cls, number: int, stories: int, articles: int, filters: Filters) -> "Paging":
        pages = max(1, -(-stories // cls.STORIES), -(-articles // cls.ARTICLES))
        query = tuple((k, str(v)) for k, v in (("q", filters.q), ("language", filters.language),
                                               ("source", filters.source), ("signal", filters.signal),
                                               ("date_from", filters.date_from or ""), ("date_to", filters.date_to or ""))
                      if v)
        return cls(min(number, pages), pages, stories, articles, query)

    def slice_stories(self, items: list) -> list:
        return items[(self.number - 1) * self.STORIES : self.number * self.STORIES]

    def slice_articles(self, items: list) -> list:
        return items[(self.number - 1) * self.ARTICLES : self.number * self.ARTICLES]

    def url(self, number: int) -> str | None:
        """Link to page `number` with the same filters; None off either end."""
        if not 1 <= number <= self.pages:
            return None
        return "/?" + urlencode([*self.query, ("page", str(number))])
