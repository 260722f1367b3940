"""The title of an article, and its copies in the body.

Readers of HTML or feeds know the title; a plain text file prints it as its
first line. A heading printed twice near the top, or ending a breadcrumb, is
the title even when a section label comes before it. A first line that reads
as prose (long, ending with a period, opening with a dateline) is not a title:
the article then has none.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from .blocks import Paragraph, comparison_key, ends_sentence, word_count
from .dateline import find_dateline

_SITE_SUFFIX = re.compile(r"\s+[|\-–—]\s+[^|\-–—]{2,40}$")  # "Title | Site", "Title - Site"


def title_like(text: str, max_words: int, max_chars: int) -> bool:
    """Reads as a headline: short, not opening with a dateline, one sentence at most."""
    n_words = word_count(text)
    if not text or len(text) > max_chars or n_words == 0 or n_words > max_words:
        return False
    if find_dateline(text) is not None:
        return False
    if ends_sentence(text) and text.rstrip()[-1:] in ".…" and n_words > 15:
        return False
    return True


def title_variants(title: str) -> set[str]:
    """The title and the title without a site name appended ("Title | Site", "Title - Site")."""
    variants = {comparison_key(title)}
    stripped = _SITE_SUFFIX.sub("", title)
    if stripped != title and word_count(stripped) >= 3:
        variants.add(comparison_key(stripped))
    return {v for v in variants if v}


def is_title_copy(key: str, variants: set[str], threshold: float) -> bool:
    """Is a line (by its `comparison_key`) the title again, exactly or nearly?"""
    if not key:
        return False
    if key in variants:
        return True
    return any(
        abs(len(key) - len(v)) <= max(3, len(v) * (1 - threshold)) and fuzz.ratio(key, v, score_cutoff=threshold * 100) > 0
        for v in variants
    )


def printed_title(paragraphs: list[Paragraph], hints: list[str], look_ahead: int, max_words: int, max_chars: int) -> str | None:
    """A heading printed twice among the first lines, or ending a breadcrumb (`hints`):
    the title, whatever comes before it."""
    top = [p for p in paragraphs if p.kept][:look_ahead]
    keys = [p.key for p in top]
    hint_keys = {comparison_key(h) for h in hints if comparison_key(h)}
    for paragraph, key in zip(top, keys):
        if not key or not title_like(paragraph.text, max_words, max_chars) or ends_sentence(paragraph.text):
            continue
        if key in hint_keys or keys.count(key) == 2:
            return paragraph.text
    return None


def first_line_title(paragraphs: list[Paragraph], max_words: int, max_chars: int, body_start: Paragraph | None) -> str | None:
    """The first kept line when it reads as a headline and something else follows it.

    Run once the body is otherwise clean (copies and dateline gone), so that
    cleaning the cleaned text again finds the same title. `body_start` is the
    paragraph a dateline was cut from: the body starts there, it is no title.
    """
    kept = [p for p in paragraphs if p.kept]
    if len(kept) < 2 or kept[0] is body_start:
        return None
    first = kept[0].text
    if not title_like(first, max_words, max_chars):
        return None
    first_key = kept[0].key
    if any(p.key == first_key for p in kept[1:]):
        return None  # a line printed again and again is content, not a title
    return first


def mark_title_copies(paragraphs: list[Paragraph], title: str, threshold: float) -> int | None:
    """Mark every line of the body that repeats the title, wherever it is; returns the
    index of the first one (the title's own line when the text prints it)."""
    variants = title_variants(title)
    first = None
    for index, paragraph in enumerate(paragraphs):
        if paragraph.kept and is_title_copy(paragraph.key, variants, threshold):
            paragraph.kind = "title"
            first = index if first is None else first
    return first
