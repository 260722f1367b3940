"""Paragraphs of an article's input text, each with its span, and text helpers shared by the cleaners.

Every cleaner works on the same list of `Paragraph`s and marks what it takes
out, so removals always know their offset in `Article.input_text`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Characters that behave as blank at the edges of a line: white space, the
# byte-order mark, zero-width marks and the carriage return of CRLF files.
EDGE_BLANKS = " \t\r\n\f\v\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\ufeff\u200b\u200c\u200d\u2060\x1c\x1d\x1e\x85\u2028\u2029"

# Line breaks as str.splitlines knows them: LF, CRLF, a lone CR (old Mac files), U+2028...
_BREAKS = "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"
_LINE = re.compile(rf"[^{_BREAKS}]*(?:\r\n|[{_BREAKS}])?")
_LINE_CLOSERS = ".!?…:;»\"”)]。！？؟।"  # a line ending so is not broken in mid-sentence
_TERMINALS = ".!?…。！？؟।"
_CLOSERS = "'\"”»)]」』"
_QUOTE_FOLD = {"’": "'", "‘": "'", "‛": "'", "`": "'", "´": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‹": '"', "›": '"', "–": "-", "—": "-", "‒": "-", "−": "-"}
_QUOTE_CHARS = re.compile("[" + "".join(_QUOTE_FOLD) + "]")
_NON_WORD = re.compile(r"[\W_]+")
_WORD = re.compile(r"[^\W_]+")


@dataclass
class Paragraph:
    """One paragraph: its span in the input text and, once marked, why it was removed.

    `start`/`end` bound the paragraph's characters in the input (blank edges
    excluded); a cleaner that trims a prefix (a dateline) moves `start`.
    """

    start: int
    end: int
    source: str  # the whole input text, so the paragraph can read its own span
    kind: str | None = None  # removal kind once a cleaner takes the whole paragraph
    _text: tuple[tuple[int, int], str] | None = field(default=None, repr=False, compare=False)
    _key: tuple[tuple[int, int], str] | None = field(default=None, repr=False, compare=False)

    @property
    def raw(self) -> str:
        return self.source[self.start : self.end]

    @property
    def text(self) -> str:
        """The paragraph as it goes into the cleaned body: wrapped lines joined by one space."""
        span = (self.start, self.end)
        if self._text is None or self._text[0] != span:
            raw = self.raw
            text = raw if raw.isprintable() else " ".join(
                line.strip(EDGE_BLANKS) for line in raw.splitlines() if line.strip(EDGE_BLANKS)
            )
            self._text = (span, text)
        return self._text[1]

    @property
    def key(self) -> str:
        """`comparison_key` of the text, computed once per span."""
        span = (self.start, self.end)
        if self._key is None or self._key[0] != span:
            self._key = (span, comparison_key(self.text))
        return self._key[1]

    @property
    def kept(self) -> bool:
        return self.kind is None


def later_copies(paragraphs: list[Paragraph]) -> set[int]:
    """Indices of kept paragraphs that repeat an earlier kept one word for word.

    Rules that look at the edges of the body pass over them: they will go as
    repeats, and the edges must be the same when the cleaned text is read again.
    """
    seen: set[str] = set()
    copies: set[int] = set()
    for index, paragraph in enumerate(paragraphs):
        if not paragraph.kept or not paragraph.key:
            continue
        if paragraph.key in seen:
            copies.add(index)
        seen.add(paragraph.key)
    return copies


def split_paragraphs(text: str) -> list[Paragraph]:
    """Each non-empty line is a paragraph, except that a line broken in mid-sentence
    (no closing punctuation, next line starting in lower case) is joined to the next."""
    lines: list[tuple[int, int]] = []  # (start, end) of the stripped line; (-1, -1) for a blank line
    for match in _LINE.finditer(text):
        if match.start() == match.end():
            break
        line = match.group()
        stripped = line.strip(EDGE_BLANKS)
        if not stripped:
            lines.append((-1, -1))
            continue
        start = match.start() + (len(line) - len(line.lstrip(EDGE_BLANKS)))
        lines.append((start, start + len(stripped)))
    paragraphs: list[Paragraph] = []
    previous_blank = True
    for start, end in lines:
        if start < 0:
            previous_blank = True
            continue
        if paragraphs and not previous_blank and _continues(text[paragraphs[-1].start : paragraphs[-1].end], text[start:end]):
            paragraphs[-1].end = end
        else:
            paragraphs.append(Paragraph(start, end, text))
        previous_blank = False
    return paragraphs


def _continues(previous: str, line: str) -> bool:
    first = line[0]
    return first.isalpha() and first.islower() and previous[-1:] not in _LINE_CLOSERS and len(previous) >= 25


def fold(text: str) -> str:
    """Text folded for comparison: NFKC, typographic quotes to ASCII, case-folded, blanks collapsed."""
    if not text.isascii():
        text = _QUOTE_CHARS.sub(lambda m: _QUOTE_FOLD[m.group()], unicodedata.normalize("NFKC", text))
    text = text.casefold()
    return " ".join(text.split())


def comparison_key(text: str) -> str:
    """Folded text with punctuation dropped: two lines with the same key say the same thing."""
    return " ".join(_NON_WORD.sub(" ", fold(text)).split())


def words(text: str) -> list[str]:
    return comparison_key(text).split()


def word_count(text: str) -> int:
    """Words in the text (runs of letters or digits), counted without folding."""
    return len(_WORD.findall(text))


def ends_sentence(text: str) -> bool:
    """Does the line end like a sentence (period, question or exclamation mark, ellipsis)?"""
    return text.rstrip(EDGE_BLANKS).rstrip(_CLOSERS)[-1:] in _TERMINALS and bool(text.strip(EDGE_BLANKS + _CLOSERS))


def starts_with_quote(text: str) -> bool:
    return text[:1] in "«\"“„‹'‘" or text[:1] in "-–—"


def is_label_like(text: str, max_words: int, max_chars: int) -> bool:
    """A short line without sentence punctuation: a heading, a section label, a kicker."""
    text = text.strip(EDGE_BLANKS)
    if not text or len(text) > max_chars or ends_sentence(text) or starts_with_quote(text):
        return False
    return 0 < word_count(text) <= max_words
