"""Cleaning: from the text a reader decoded to the article's own body and metadata.

`clean_article` takes out what is not the article's prose (embedded posts, page
furniture, credit lines, the title and its copies, section labels at the edges,
the dateline, repeated paragraphs), moves what those parts say into metadata,
and records every span it takes out with its kind and offset in
`Article.input_text`, so nothing read is silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial

from ..article import Article, EmbeddedPost, Removal
from . import agencies
from .blocks import EDGE_BLANKS, Paragraph, later_copies, split_paragraphs
from .byline import Credits, mark_credits, trim_trailing_credit
from .dateline import Dateline, find_dateline
from .embeds import mark_embeds
from .furniture import mark_breadcrumbs, mark_edge_labels, mark_edge_navigation, mark_recurring, mark_service_lines
from .repeats import RepeatStats, mark_repeats
from .sitelines import SiteLines
from .title import first_line_title, mark_title_copies, printed_title, title_like

__all__ = ["CleanOptions", "SiteLines", "clean_article"]

SELF_REPETITION = "self-repetition"


@dataclass
class CleanOptions:
    """Thresholds of the cleaning step (section [clean] of the options).

    repeat_similarity: rapidfuzz ratio (0..1) at which two paragraphs are copies.
    repeat_min_fuzzy_chars: shorter paragraphs count as copies only when identical.
    self_repetition_ratio: share of repeated body characters that flags the article.
    label_max_words / label_max_chars: how short a section label at the body's edge is.
    service_line_max_words: longest "share on Facebook"-like line taken as furniture.
    title_max_words / title_max_chars: longest first line still read as a headline.
    title_look_ahead: lines searched for a title printed twice.
    title_similarity: ratio (0..1) at which a line is a copy of the title.
    site_line_min_articles / site_line_max_chars: settings of `SiteLines` built by `site_lines()`.
    """

    repeat_similarity: float = 0.9
    repeat_min_fuzzy_chars: int = 40
    self_repetition_ratio: float = 0.2
    label_max_words: int = 10
    label_max_chars: int = 80
    service_line_max_words: int = 8
    title_max_words: int = 30
    title_max_chars: int = 250
    title_look_ahead: int = 6
    title_similarity: float = 0.9
    site_line_min_articles: int = 3
    site_line_max_chars: int = 200

    def __post_init__(self) -> None:
        for name in ("repeat_similarity", "self_repetition_ratio", "title_similarity"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 < value <= 1.0:
                raise ValueError(f"{name} must be a number in (0, 1], got {value!r}")
        for name in (
            "repeat_min_fuzzy_chars", "label_max_words", "label_max_chars", "service_line_max_words",
            "title_max_words", "title_max_chars", "title_look_ahead",
            "site_line_max_chars",
        ):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
        if not isinstance(self.site_line_min_articles, int) or self.site_line_min_articles < 2:
            raise ValueError(f"site_line_min_articles must be an integer of at least 2, got {self.site_line_min_articles!r}")

    def site_lines(self) -> SiteLines:
        """An empty `SiteLines` with these settings."""
        return SiteLines(min_articles=self.site_line_min_articles, max_chars=self.site_line_max_chars)


def clean_article(article: Article, options: CleanOptions | None = None, site_lines: SiteLines | None = None) -> Article:
    """Clean `article.input_text` into `article.text` and metadata, in place; returns the article.

    `site_lines`, when given, holds the lines seen across articles of the same
    site (the caller adds articles to it); lines recurring there are furniture.

    The rules read a paragraph's neighbours, so taking one out can expose
    another (a second dateline under one printed alone, a line that reads as a
    headline once the dateline before it is gone). Cleaning is therefore
    repeated on what it kept until a pass takes nothing more: cleaning a cleaned
    article changes nothing, and every span taken by a later pass is recorded
    at its offset in `input_text` like the others.
    """
    options = options or CleanOptions()
    source = article.input_text or ""
    current = _clean_pass(source, article.title, article.site, options, site_lines)
    removed = list(current.removed)
    positions = current.positions  # offset in `source` of each character of the kept text (-1: a joining blank)
    for _ in range(_MAX_PASSES):
        again = _clean_pass(current.text, current.title, article.site, options, site_lines)
        if not again.removed and again.text == current.text and again.title == current.title:
            break
        removed.extend(_carried_back(again.removed, positions, source))
        positions = [positions[i] if i >= 0 else -1 for i in again.positions]
        current = current.followed_by(again)
    removed.sort(key=lambda r: r.position)

    article.title = current.title
    article.text = current.text
    article.removed = removed
    article.embedded_posts = current.posts
    article.repeat_ratio = current.stats.ratio
    if current.stats.ratio >= options.self_repetition_ratio and current.stats.repeated_chars:
        article.add_signal(SELF_REPETITION)
    _set_metadata(article, current.credits, current.dateline)
    return article


_MAX_PASSES = 8  # each pass that changes anything takes a span out, so few are ever needed


@dataclass
class _Pass:
    """What one pass of the rules made of a text: kept text, title, removals (offsets in that text)."""

    text: str
    title: str | None
    removed: list[Removal]
    positions: list[int]  # for each character of `text`, its offset in the text the pass read (-1: a joining blank)
    posts: list[EmbeddedPost]
    credits: Credits
    dateline: Dateline | None
    stats: RepeatStats

    def followed_by(self, later: "_Pass") -> "_Pass":
        """This pass's findings with a later pass's over its kept text."""
        credits = Credits(
            bylines=list(dict.fromkeys([*self.credits.bylines, *later.credits.bylines])),
            agencies=list(dict.fromkeys([*self.credits.agencies, *later.credits.agencies])),
        )
        for name in ("published", "updated", "published_time", "updated_time"):
            setattr(credits, name, getattr(self.credits, name) or getattr(later.credits, name))
        stats = RepeatStats(self.stats.body_chars, self.stats.repeated_chars + later.stats.repeated_chars)
        return _Pass(later.text, later.title, later.removed, later.positions, [*self.posts, *later.posts], credits,
                     self.dateline or later.dateline, stats)


def _clean_pass(text: str, given_title: str | None, site: str | None, options: CleanOptions,
                site_lines: SiteLines | None) -> _Pass:
    """One pass of every rule over `text`."""
    paragraphs = split_paragraphs(text)
    removed: list[Removal] = []

    posts = mark_embeds(paragraphs)
    mark_service_lines(paragraphs, options.service_line_max_words)
    mark_recurring(paragraphs, site, site_lines)
    credits = mark_credits(paragraphs)
    headline_like = partial(title_like, max_words=options.title_max_words, max_chars=options.title_max_chars)
    hints = mark_breadcrumbs(paragraphs, headline_like)
    mark_edge_navigation(paragraphs, headline_like)

    title = given_title if given_title and given_title.strip(EDGE_BLANKS) else None
    title = title or printed_title(paragraphs, hints, options.title_look_ahead, options.title_max_words, options.title_max_chars)
    if title:  # labels are told from the title by where they stand; without one, wait for it
        title_index = mark_title_copies(paragraphs, title, options.title_similarity)
        _mark_edge_labels(paragraphs, options, title_index)

    dateline, body_start = _take_dateline(paragraphs, options, removed)
    stats = mark_repeats(paragraphs, options.repeat_similarity, options.repeat_min_fuzzy_chars)
    if title is None:
        title = first_line_title(paragraphs, options.title_max_words, options.title_max_chars, body_start)
        if title:
            stats.body_chars -= len(title)
            title_index = mark_title_copies(paragraphs, title, options.title_similarity)
            _mark_edge_labels(paragraphs, options, title_index)
    trailing = trim_trailing_credit(paragraphs, credits)
    if trailing is not None:
        removed.append(Removal("agency", trailing[1], trailing[0]))

    removed.extend(Removal(p.kind, p.raw, p.start) for p in paragraphs if p.kind is not None)
    removed.sort(key=lambda r: r.position)
    kept = [p for p in paragraphs if p.kept and p.text]
    positions: list[int] = []
    for number, paragraph in enumerate(kept):
        if number:
            positions += [-1, -1]  # the blank line between paragraphs
        positions += _paragraph_positions(paragraph)
    return _Pass("\n\n".join(p.text for p in kept), title, removed, positions, posts, credits, dateline, stats)


def _paragraph_positions(paragraph: Paragraph) -> list[int]:
    """Offset in the source of each character of `paragraph.text` (its lines joined by one space)."""
    raw = paragraph.raw
    if paragraph.text == raw:
        return list(range(paragraph.start, paragraph.end))
    positions: list[int] = []
    offset = paragraph.start
    for line in raw.splitlines(keepends=True):
        stripped = line.strip(EDGE_BLANKS)
        if stripped:
            if positions:
                positions.append(-1)  # the space that joins two lines
            first = offset + len(line) - len(line.lstrip(EDGE_BLANKS))
            positions += range(first, first + len(stripped))
        offset += len(line)
    assert len(positions) == len(paragraph.text), "a paragraph's text is its lines joined by one space"
    return positions


def _carried_back(removals: list[Removal], positions: list[int], source: str) -> list[Removal]:
    """Removals made in a kept text, as spans of the source it was kept from.

    A span covers the source from its first to its last character; where only
    blanks of the source lie between two of its characters (a line break the
    kept text had joined) they go with it, anything else splits it.
    """
    out: list[Removal] = []
    for removal in removals:
        offsets = [positions[i] for i in range(removal.position, removal.position + len(removal.text)) if positions[i] >= 0]
        if not offsets:
            continue
        start = previous = offsets[0]
        for offset in [*offsets[1:], None]:
            if offset is not None and (offset == previous + 1 or not source[previous + 1 : offset].strip(EDGE_BLANKS)):
                previous = offset
                continue
            out.append(Removal(removal.kind, source[start : previous + 1], start))
            if offset is not None:
                start = previous = offset
    return out


def _mark_edge_labels(paragraphs: list[Paragraph], options: CleanOptions, title_index: int | None) -> None:
    mark_edge_labels(
        paragraphs, options.label_max_words, options.label_max_chars, title_index,
        protected=lambda text: find_dateline(text) is not None,
    )


def _take_dateline(
    paragraphs: list[Paragraph], options: CleanOptions, removed: list[Removal]
) -> tuple[Dateline | None, Paragraph | None]:
    """Cut the dateline from the start of the body; the paragraph it was cut from is
    returned too, as the start of the body.

    Headline-like lines before the body are passed over (the title of plain text is
    not yet known); the first paragraph of prose ends the search, so a paragraph
    further down that happens to open with a place stays as it is.
    """
    copies = later_copies(paragraphs)
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.kept or index in copies:
            continue
        found = find_dateline(paragraph.raw)
        if found is None:
            if title_like(paragraph.text, options.title_max_words, options.title_max_chars):
                continue
            break
        prefix = paragraph.raw[: found.prefix_end]
        rest = paragraph.raw[found.prefix_end :]
        if not rest.strip(EDGE_BLANKS):
            paragraph.kind = "dateline"  # a dateline on a line of its own
        else:
            removed.append(Removal("dateline", prefix.rstrip(EDGE_BLANKS), paragraph.start))
            paragraph.start += found.prefix_end + (len(rest) - len(rest.lstrip(EDGE_BLANKS)))
        return found, paragraph
    return None, None


# Keys of `Article.meta` this step owns: cleared first, so cleaning twice gives the same meta.
_META_KEYS = ("agencies", "agency_mentions", "dateline_region", "dateline_credit", "published_time", "updated_time")


def _set_metadata(article: Article, credits: Credits, dateline: Dateline | None) -> None:
    for key in _META_KEYS:
        article.meta.pop(key, None)
    every_agency = list(dict.fromkeys([*credits.agencies, *(dateline.agencies if dateline else [])]))
    if credits.bylines:
        article.byline = ", ".join(credits.bylines)
    if not every_agency and not article.agency and article.byline:
        every_agency = agencies.mentions(article.byline)  # a reader's "La rédaction avec AFP"
    if every_agency:
        article.agency = every_agency[0]
        if len(every_agency) > 1:
            article.meta["agencies"] = every_agency
    if dateline and dateline.place:
        article.dateline = dateline.place
    if dateline and dateline.region:
        article.meta["dateline_region"] = dateline.region
    if dateline and dateline.credit:
        article.meta["dateline_credit"] = dateline.credit
    if credits.published and not article.published:
        article.published = credits.published
    if credits.updated and not article.updated:
        article.updated = credits.updated
    if credits.published_time:
        article.meta["published_time"] = credits.published_time
    if credits.updated_time:
        article.meta["updated_time"] = credits.updated_time
    mentioned = agencies.mentions(article.text)
    if mentioned:
        article.meta["agency_mentions"] = mentioned
