"""RSS and Atom feeds, parsed by feedparser: each entry one article.

Feeds that declare dangerous XML entities are refused before parsing:
entities built from other entities ("billion laughs", a few kilobytes that
expand to gigabytes), external ones (SYSTEM/PUBLIC: reading local files or
the network) and parameter entities. Old feeds that only name characters
(`<!ENTITY nbsp "&#160;">`) are read.
"""

from __future__ import annotations

import codecs
import re
from datetime import datetime, timezone
from typing import Any, Iterator

import feedparser

from ..article import Article
from ..errors import InputError
from .dates import iso_datetime
from .decode import decode_bytes, normalise_text
from .html import html_to_text
from .inputs import InputSource, describe, short_hash
from .options import IngestOptions

_ROOT = re.compile(r"<(?:[\w.-]+:)?(?:rss|feed|RDF)\b")
_ENTITY_DECLARATION = re.compile(r"<!ENTITY\s+(%?)\s*[^\s>]*\s*(.*?)>", re.IGNORECASE | re.DOTALL)
_CHARACTER_VALUE = re.compile(r"""^(["'])(?:[^&%<"']|&#[0-9]+;|&#x[0-9a-fA-F]+;){0,100}\1\s*$""")
_ENTRY_TAG = re.compile(r"<!\[CDATA\[|<!--|<(/?)((?:[\w.-]+:)?(?:item|entry))(?=[\s/>])")
_SKIPPED = {"<![CDATA[": "]]>", "<!--": "-->"}
_HTML_TYPES = ("text/html", "application/xhtml+xml", "html", "xhtml")
_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
              (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _prolog(data: bytes) -> str:
    """The text before the root element, where a DTD (and so any entity) must be."""
    text = None
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            text = data.decode(encoding, errors="ignore")
            break
    if text is None:
        text = data.decode("latin-1")
    root = _ROOT.search(text)
    return text[: root.start()] if root else text


def declares_unsafe_entities(data: bytes) -> bool:
    """Any entity that is not a short literal of plain characters and character references."""
    prolog = _prolog(data)
    for match in _ENTITY_DECLARATION.finditer(prolog):
        parameter, value = match.groups()
        if parameter or not _CHARACTER_VALUE.match(value):
            return True
    # an <!ENTITY the pattern could not read is not given the benefit of the doubt
    return prolog.upper().count("<!ENTITY") != len(_ENTITY_DECLARATION.findall(prolog))


def _entry_tags(text: str) -> Iterator[tuple[re.Match[str] | None, int]]:
    """Each <item>/<entry> opening or closing tag outside CDATA and comments, with the position
    after its ">"; (None, -1) last when a tag, CDATA section or comment never ends."""
    position = 0
    while (match := _ENTRY_TAG.search(text, position)) is not None:
        token = match.group(0)
        if token in _SKIPPED:
            end = text.find(_SKIPPED[token], match.end())
            if end < 0:
                yield None, -1
                return
            position = end + len(_SKIPPED[token])
            continue
        position = text.find(">", match.end()) + 1
        if position == 0:
            yield None, -1
            return
        yield match, position


def _opening_spans(text: str) -> list[tuple[int, int]] | None:
    """For feeds whose entry tags do not pair (an <item> never closed, which feedparser forgives):
    each entry runs from its opening tag to the next one, the last to the end of the last entry
    tag or of its container. Distinct bytes per entry, so no entry is taken for another's copy."""
    starts: list[int] = []
    last_close = 0
    for match, position in _entry_tags(text):
        if match is None:  # something never ends: keep the entries found before it
            break
        if match.group(1):
            last_close = position
        else:
            starts.append(match.start())
    if not starts:
        return None
    ends = starts[1:] + [max(last_close, starts[-1] + 1)]
    if last_close <= starts[-1]:
        container = re.search(r"</(?:[\w.-]+:)?(?:channel|feed|rss|rdf:RDF)\s*>", text[starts[-1]:])
        ends[-1] = starts[-1] + container.start() if container else len(text)
    return list(zip(starts, ends))


def _element_spans(text: str) -> list[tuple[int, int]] | None:
    """(start, end) of each <item>/<entry> element in one pass, CDATA and comments skipped;
    None when the tags cannot be paired (nesting, a tag that never ends)."""
    spans: list[tuple[int, int]] = []
    start: int | None = None
    name = ""
    for match, position in _entry_tags(text):
        if match is None:
            return None
        closing, tag = match.groups()
        if not closing:
            if start is not None:
                return None
            if text[position - 2] == "/":
                spans.append((match.start(), position))
            else:
                start, name = match.start(), tag
        elif start is not None and tag == name:
            spans.append((start, position))
            start = None
    return spans if start is None else None


def _entry_spans(data: bytes, count: int) -> list[tuple[int, bytes]] | None:
    """(byte offset, bytes) of each entry's element, when there is one per feedparser entry.

    Bytes are read as Latin-1 (one character per byte, so offsets carry over);
    UTF-16/32 feeds are decoded and each element encoded back, which gives the
    same bytes.
    """
    codec, skip = None, 0
    for bom, encoding in _WIDE_BOMS:
        if data.startswith(bom):
            codec, skip = f"{encoding}-{'le' if bom in (codecs.BOM_UTF16_LE, codecs.BOM_UTF32_LE) else 'be'}", len(bom)
            break
    try:
        text = data[skip:].decode(codec) if codec else data.decode("latin-1")
    except UnicodeDecodeError:
        return None
    spans = _element_spans(text)
    if spans is None or len(spans) != count:
        spans = _opening_spans(text)
    if spans is None or len(spans) != count:
        return None
    if codec is None:
        return [(start, data[start:end]) for start, end in spans]
    located, offset, previous = [], skip, 0
    for start, end in spans:
        offset += len(text[previous:start].encode(codec))
        element = text[start:end].encode(codec)
        located.append((offset, element))
        offset += len(element)
        previous = end
    return located


def _content_text(detail: dict[str, Any] | None) -> str:
    if not detail or not detail.get("value"):
        return ""
    value = detail["value"]
    if (detail.get("type") or "").lower() in _HTML_TYPES or "<" in value:
        return html_to_text(value)
    return normalise_text(value)


def _entry_text(entry: Any) -> tuple[str, str]:
    """Full content when the feed carries it (content:encoded, atom:content), else the summary."""
    contents = [c for c in entry.get("content", []) if c.get("value")]
    if contents:
        best = max(contents, key=lambda c: len(c["value"]))
        text = _content_text(best)
        if text:
            return text, "content"
    return _content_text(entry.get("summary_detail") or {"value": entry.get("summary", "")}), "summary"


def _entry_date(entry: Any, key: str) -> str | None:
    # dict.get: feedparser's own get() answers "published" with the updated date when there is none
    iso = iso_datetime(dict.get(entry, key))
    parsed = dict.get(entry, f"{key}_parsed")
    if iso is None and parsed:
        iso = datetime(*parsed[:6], tzinfo=timezone.utc).isoformat(timespec="seconds")
    return iso


def _plain(detail: dict[str, Any] | None, fallback: str | None) -> str | None:
    if detail and detail.get("value"):
        text = _content_text(detail)
    else:
        text = normalise_text(fallback) if fallback else ""
    return " ".join(text.split("\n")) or None


_EMAIL = r"[^\s@()<>]+@[^\s@()<>]+"
_AUTHOR_FORMS = (
    re.compile(rf"^{_EMAIL}\s*\((?P<name>[^()]+)\)$"),  # RSS: "jean@x.fr (Jean Dupont)"
    re.compile(rf"^(?P<name>.+?)\s*\({_EMAIL}\)$"),  # "Jean Dupont (jean@x.fr)"
    re.compile(rf"^(?P<name>.+?)\s*<{_EMAIL}>$"),  # "Jean Dupont <jean@x.fr>"
)


def _author(entry: Any) -> str | None:
    """The author's name; an e-mail address alone is not a byline.

    Read from the author string here because feedparser's own split
    mangles addresses with long top-level domains.
    """
    raw = normalise_text(entry.get("author") or "")
    if not raw:
        return None
    for form in _AUTHOR_FORMS:
        match = form.match(raw)
        if match:
            return match.group("name").strip() or None
    if re.fullmatch(_EMAIL, raw):
        return None
    return raw


_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


# A character reference to no character (a surrogate, past U+10FFFF, NUL): feedparser's loose
# parser turns it into a character before encoding it, and fails.
_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,12})|([0-9]{1,12}));")


def _no_bad_references(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        point = int(match.group(1), 16) if match.group(1) else int(match.group(2))
        bad = point == 0 or 0xD800 <= point <= 0xDFFF or point > 0x10FFFF
        return "&#xFFFD;" if bad else match.group()

    return _REFERENCE.sub(replace, text)


def _parse(data: bytes, source: InputSource) -> Any:
    """feedparser on the bytes; when their declared encoding is unreadable, or a character
    reference names no character, on our own decoding with such references replaced."""
    headers = {"content-location": source.url} if source.url else None
    try:
        return feedparser.parse(data, response_headers=headers)
    except (UnicodeError, LookupError, ValueError, OverflowError):
        text = _no_bad_references(_XML_DECLARATION.sub("", decode_bytes(data, source.name), count=1))
        utf8 = ('<?xml version="1.0" encoding="utf-8"?>' + text).encode("utf-8")
        try:
            return feedparser.parse(utf8, response_headers=headers)
        except (UnicodeError, LookupError, ValueError, OverflowError) as exc:
            raise InputError(source.name, f"malformed feed: {describe(exc)}") from exc


def read_feed(source: InputSource, options: IngestOptions) -> Iterator[Article | InputError]:
    """Each entry an article; raw is the entry's own element when it can be found in the bytes."""
    data = source.read_all(options.max_bytes)
    if not data.strip():
        raise InputError(source.name, "empty input")
    if declares_unsafe_entities(data):
        raise InputError(source.name, "feed declares unsafe XML entities (nested, external or parameter): refused")
    parsed = _parse(data, source)
    entries = parsed.entries
    if not entries:
        if parsed.bozo:
            raise InputError(source.name, f"malformed feed: {describe(parsed.get('bozo_exception') or 'unreadable')}")
        if not parsed.version:
            raise InputError(source.name, "not an RSS or Atom feed")
        return
    channel = parsed.feed
    site = _plain(channel.get("title_detail"), channel.get("title"))
    language = (channel.get("language") or "").split("-")[0].split("_")[0].lower() or None
    spans = _entry_spans(data, len(entries))
    # RSS 1.0 and many RSS 2.0 feeds date entries with dc:date only, which feedparser files
    # under "updated": there it is the publication date. Atom keeps the two apart.
    updated_is_published = not (parsed.version or "").startswith("atom")
    items = list(_entries(source, entries, spans, data, site, language, updated_is_published))
    if parsed.bozo and not any(isinstance(i, Article) for i in items):
        raise InputError(source.name, f"malformed feed: {describe(parsed.get('bozo_exception') or 'unreadable')}")
    yield from items


def _entries(
    source: InputSource, entries: list[Any], spans: list[tuple[int, bytes]] | None, data: bytes,
    site: str | None, language: str | None, updated_is_published: bool,
) -> Iterator[Article | InputError]:
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"entry {number}"
        text, kind = _entry_text(entry)
        if not text:
            yield InputError(source.name, f"{where}: no content or summary")
            continue
        key = entry.get("id") or entry.get("link") or entry.get("title")
        article_id = f"{source.stem}-{short_hash(key)}" if key else f"{source.stem}-{number}"
        if article_id in seen:
            article_id = f"{article_id}-{number}"
        seen.add(article_id)
        meta: dict[str, Any] = {**source.meta, "entry": number, "locator": f"#entry {number}", "body": kind}
        if entry.get("id"):
            meta["feed_id"] = entry["id"]
        updated = _entry_date(entry, "updated")
        raw = data
        if spans is not None:
            offset, raw = spans[number - 1]
            meta["offset"] = offset
        yield Article(
            id=article_id,
            source=source.name,
            raw=raw,
            format="feed",
            url=entry.get("link") or None,
            site=site,
            title=_plain(entry.get("title_detail"), entry.get("title")),
            input_text=text,
            published=_entry_date(entry, "published") or (updated if updated_is_published else None),
            updated=updated,
            byline=_author(entry),
            language=language,
            read_at=source.read_at,
            meta=meta,
        )
