"""HTML pages: main text and metadata by trafilatura; a light converter for fragments.

trafilatura finds the article in a page (dropping navigation, footers, share
bars) and reads its title, date, author and site. Two things are done around
it, not to it:

- its whitespace trimming splits on every Unicode space, which would turn the
  no-break and thin spaces of French figures ("14 000") into plain spaces, so
  those are swapped for private-use stand-ins before and restored after;
- its paragraphs come out one per line, so the text is rebuilt from its
  document tree with a blank line between paragraphs.

Fragments (feed entries, JSON "html" fields that are not whole pages) go
through `html_to_text`, which keeps every paragraph: there is no page
furniture to remove in them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import set_date_params

from ..article import Article
from ..errors import InputError
from .dates import iso_datetime
from .decode import decode_bytes, normalise_text
from .inputs import InputSource
from .options import IngestOptions

# Spaces that carry meaning in figures and French punctuation, and their stand-ins.
_KEPT_SPACES = {"\u00a0": "\U000f00a0", "\u202f": "\U000f202f", "\u2009": "\U000f2009", "\u2007": "\U000f2007"}
_RESTORE = str.maketrans({v: k for k, v in _KEPT_SPACES.items()})
_PROTECT = str.maketrans(_KEPT_SPACES)
_SPACE_ENTITY = re.compile(
    r"&(?:(nbsp|NonBreakingSpace)|(thinsp|ThinSpace)|(numsp)"
    r"|#0*(160|8239|8201|8199)|#[xX]0*([aA]0|202[fF]|2009|2007));?"
)
_ENTITY_CHAR = {"160": "\u00a0", "8239": "\u202f", "8201": "\u2009", "8199": "\u2007",
                "a0": "\u00a0", "202f": "\u202f", "2009": "\u2009", "2007": "\u2007"}
_META_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)

_BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "h1", "h2", "h3", "h4",
    "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre", "table", "thead", "tbody",
    "tfoot", "tr", "figure", "figcaption", "hr", "address", "details", "summary", "center", "body", "html",
}
_DROPPED_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "object", "embed", "head",
                 "button", "select", "textarea", "input", "math", "canvas", "video", "audio"}
_CELL_TAGS = {"td", "th"}
_INLINE_SPACES = re.compile(r"[ \t\r\n\f\v]+")
_BREAK = "\u2028"  # a <br>/<lb/>, kept apart from the source's own newlines, which are just spaces


@dataclass
class PageExtraction:
    """What a page says about itself and its main text (paragraphs separated by blank lines)."""

    text: str
    title: str | None = None
    published: str | None = None
    author: str | None = None
    site: str | None = None
    url: str | None = None


def _protect_spaces(html: str) -> str:
    def entity(match: re.Match[str]) -> str:
        if match.group(1):
            char = "\u00a0"
        elif match.group(2):
            char = "\u2009"
        elif match.group(3):
            char = "\u2007"
        else:
            char = _ENTITY_CHAR[(match.group(4) or match.group(5)).lower()]
        return _KEPT_SPACES[char]

    return _SPACE_ENTITY.sub(entity, html).translate(_PROTECT)


def _restore_spaces(text: str) -> str:
    return text.translate(_RESTORE)


def _clean_paragraph(text: str) -> str:
    lines = (_INLINE_SPACES.sub(" ", line).strip(" ") for line in text.split(_BREAK))
    return "\n".join(line for line in lines if line.strip())


def _join_paragraphs(paragraphs: list[str]) -> str:
    cleaned = (_clean_paragraph(_restore_spaces(p)) for p in paragraphs)
    return normalise_text("\n\n".join(p for p in cleaned if p.strip()))


def _node_text(element: lxml.etree._Element) -> str:
    """Text of a trafilatura output element, <lb/> as a line break."""
    parts = [element.text or ""]
    for child in element:
        if child.tag == "lb":
            parts.append(_BREAK)
        elif child.tag in ("list", "table"):
            parts.append(_BREAK + _BREAK.join(_blocks(child)) + _BREAK)
        else:
            parts.append(_node_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _blocks(element: lxml.etree._Element) -> list[str]:
    """Paragraphs of a trafilatura body: one per p/head/quote, list item, table row."""
    out: list[str] = []
    for child in element:
        if not isinstance(child.tag, str):
            continue
        if child.tag == "list":
            out.extend(_blocks(child))
        elif child.tag == "item":
            nested = [c for c in child if c.tag == "list"]
            for c in nested:
                child.remove(c)  # our own parsed copy, not the caller's
            out.append(_node_text(child))
            for c in nested:
                out.extend(_blocks(c))
        elif child.tag == "table":
            for row in child.iter("row"):
                cells = [_node_text(cell).strip() for cell in row if cell.tag == "cell"]
                out.append(" | ".join(c for c in cells if c))
        elif child.tag == "quote" and len(child) and all(c.tag in ("p", "list", "quote") for c in child):
            out.extend(_blocks(child))
        else:
            out.append(_node_text(child))
    return out


def _iso_date(value: str | None) -> str | None:
    if not value:
        return None
    iso = iso_datetime(value)
    if iso and iso.endswith("T00:00:00"):
        return iso[:10]  # the page gave a day, not a time
    return iso


def extract_page(html: str, url: str | None = None) -> PageExtraction:
    """Main text and metadata of a whole page; falls back to `html_to_text` when
    trafilatura finds no main text (very short pages, odd markup)."""
    protected = _protect_spaces(html)
    dates = set_date_params(extensive=False)
    dates["outputformat"] = "%Y-%m-%dT%H:%M:%S%z"
    try:
        document = trafilatura.bare_extraction(
            protected, url=url, with_metadata=True, include_comments=False, include_tables=True,
            date_extraction_params=dates,
        )
    except (ValueError, TypeError, lxml.etree.LxmlError):
        document = None
    text = ""
    if document is not None and document.body is not None:
        text = _join_paragraphs(_blocks(document.body))
    if not text:
        text = html_to_text(html)
    if document is None:
        return PageExtraction(text=text)

    def meta(value: str | None) -> str | None:
        value = _restore_spaces(value).strip() if value else None
        return normalise_text(value) if value else None

    return PageExtraction(
        text=text,
        title=meta(document.title),
        published=_iso_date(document.date),
        author=meta(document.author),
        site=meta(document.sitename) or meta(document.hostname),
        url=document.url or url,
    )


def html_to_text(fragment: str) -> str:
    """Every paragraph of an HTML fragment, blank lines between them; scripts and styles dropped."""
    if not fragment.strip():
        return ""
    try:
        root = lxml.html.document_fromstring(fragment)
    except (lxml.etree.ParserError, ValueError):
        return normalise_text(fragment)
    paragraphs: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            paragraphs.append("".join(current))
            current.clear()

    def walk(element: lxml.etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else None
        if tag is None or tag in _DROPPED_TAGS:
            return
        if tag == "br":
            current.append(_BREAK)
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
        elif tag in _CELL_TAGS and "".join(current).strip():
            current.append(" | ")
        current.append(element.text or "")
        for child in element:
            walk(child)
            current.append(child.tail or "")
        if block:
            flush()

    walk(root)
    flush()
    cleaned = (_clean_paragraph(p) for p in paragraphs)
    return normalise_text("\n\n".join(p for p in cleaned if p.strip()))


def declared_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def read_html(source: InputSource, options: IngestOptions) -> Iterator[Article | InputError]:
    """A page is one article; its id is the file stem."""
    data = source.read_all(options.max_bytes)
    html = decode_bytes(data, source.name, declared=source.declared_charset or declared_charset(data))
    page = extract_page(html, url=source.url)
    if not page.text:
        raise InputError(source.name, "no article text found in the HTML page")
    yield Article(
        id=source.stem,
        source=source.name,
        raw=data,
        format="html",
        url=page.url or source.url,
        site=page.site,
        title=page.title,
        input_text=page.text,
        published=page.published,
        byline=page.author,
        read_at=source.read_at,
        meta=dict(source.meta),
    )
