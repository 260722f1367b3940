"""JSON Lines (one article per line, streamed) and JSON (one object or a list of them).

A broken line is reported with its number and the others are still read;
a JSONL file is never loaded whole, only one line at a time, each bounded by
`max_bytes`.
"""

from __future__ import annotations

import gzip
import json
import re
import zlib
from typing import Any, Iterator

from ..article import Article
from ..errors import InputError
from .dates import iso_datetime
from .decode import decode_bytes, normalise_text
from .html import extract_page, html_to_text
from .inputs import InputSource, describe, short_hash
from .options import IngestOptions

_ID_KEYS = ("id", "article_id", "uid", "guid")
_URL_KEYS = ("url", "link", "uri")
_TITLE_KEYS = ("title", "headline")
_TEXT_KEYS = ("text", "body", "content", "maintext")
_HTML_KEYS = ("html", "content_html", "raw_html")
_DATE_KEYS = ("published", "date", "published_at", "date_publish", "pubDate", "datePublished")
_UPDATED_KEYS = ("updated", "modified", "date_modified", "dateModified")
_SITE_KEYS = ("site", "source", "sitename", "site_name", "publisher", "outlet")
_AUTHOR_KEYS = ("author", "authors", "byline")
_LANGUAGE_KEYS = ("language", "lang")
_LOOKS_HTML = re.compile(r"<(?:p|div|br|html|body|article|span|h[1-6])\b[^>]*>", re.IGNORECASE)
_WHOLE_PAGE = re.compile(r"<(?:html|body|head)\b", re.IGNORECASE)
_SKIP_CHUNK = 1 << 20


def _first(record: dict[str, Any], keys: tuple[str, ...]) -> Any:
    for key in keys:
        value = record.get(key)
        if value not in (None, "", [], {}):
            return value
    return None


def _as_text(value: Any) -> str | None:
    """A scalar, a list of names, or an object with a "name" (e.g. {"source": {"name": ...}})."""
    if value is None:
        return None
    if isinstance(value, dict):
        return _as_text(value.get("name") or value.get("title"))
    if isinstance(value, list):
        parts = [p for p in (_as_text(v) for v in value) if p]
        return ", ".join(parts) or None
    text = normalise_text(str(value))
    return text or None


def _body(record: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The article text and what an HTML body says about itself (title, date...)."""
    text = _first(record, _TEXT_KEYS)
    if isinstance(text, list):
        text = "\n\n".join(str(part) for part in text if part)
    if isinstance(text, str) and text.strip():
        if _LOOKS_HTML.search(text[:4000]):
            return html_to_text(text), {}
        return normalise_text(text), {}
    html = _first(record, _HTML_KEYS)
    if isinstance(html, str) and html.strip():
        if _WHOLE_PAGE.search(html[:4000]):
            page = extract_page(html, url=_as_text(_first(record, _URL_KEYS)))
            found = {"title": page.title, "published": page.published, "author": page.author,
                     "site": page.site, "url": page.url}
            return page.text, found
        return html_to_text(html), {}
    return "", {}


def article_from_record(
    record: Any, source: InputSource, raw: bytes, fallback_id: str, where: str, meta: dict[str, Any]
) -> Article | InputError:
    """One JSON object as an article; `where` names it in errors ("line 3", "item 2")."""
    if not isinstance(record, dict):
        return InputError(source.name, f"{where}: not a JSON object")
    text, page = _body(record)
    if not text:
        return InputError(source.name, f"{where}: no text or html field with content")
    given_id = _first(record, _ID_KEYS)
    url = _as_text(_first(record, _URL_KEYS)) or page.get("url")
    if isinstance(given_id, (str, int)) and not isinstance(given_id, bool) and str(given_id).strip():
        article_id = str(given_id).strip()
    elif url:
        article_id = f"{source.stem}-{short_hash(url)}"
    else:
        article_id = fallback_id
    language = _as_text(_first(record, _LANGUAGE_KEYS))
    return Article(
        id=article_id,
        source=source.name,
        raw=raw,
        format="jsonl",
        url=url,
        site=_as_text(_first(record, _SITE_KEYS)) or page.get("site"),
        title=_as_text(_first(record, _TITLE_KEYS)) or page.get("title"),
        input_text=text,
        published=iso_datetime(_first(record, _DATE_KEYS)) or page.get("published"),
        updated=iso_datetime(_first(record, _UPDATED_KEYS)),
        byline=_as_text(_first(record, _AUTHOR_KEYS)) or page.get("author"),
        language=language.split("-")[0].split("_")[0].lower() if language else None,
        read_at=source.read_at,
        meta={**source.meta, **meta},
    )


def _loads(data: bytes, source: InputSource, where: str) -> Any:
    try:
        return json.loads(data)
    except UnicodeDecodeError:
        return json.loads(decode_bytes(data, f"{source.name} {where}"))


def _unique(article_id: str, seen: set[str], suffix: str) -> str:
    if article_id in seen:
        article_id = f"{article_id}-{suffix}"
    seen.add(article_id)
    return article_id


def read_jsonl(source: InputSource, options: IngestOptions) -> Iterator[Article | InputError]:
    """One article per non-blank line; id from the "id" field, else from the URL, else "<stem>-<line>"."""
    limit = options.max_bytes
    seen: set[str] = set()
    line_number = 0
    with source.open() as stream:
        while True:
            try:
                line = stream.readline(limit + 1)
            except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
                yield InputError(source.name, f"line {line_number + 1}: truncated or corrupt gzip data ({describe(exc)})")
                return
            if not line:
                return
            line_number += 1
            where = f"line {line_number}"
            if len(line) > limit and not line.endswith(b"\n"):
                yield InputError(source.name, f"{where}: longer than max_bytes ({limit} bytes)")
                while line and not line.endswith(b"\n"):
                    line = stream.readline(_SKIP_CHUNK)
                continue
            content = line.rstrip(b"\r\n")
            if not content.strip():
                continue
            try:
                record = _loads(content, source, where)
            except InputError as exc:
                yield InputError(source.name, f"{where}: {exc.problem}")
                continue
            except (ValueError, RecursionError) as exc:
                yield InputError(source.name, f"{where}: broken JSON ({describe(exc)})")
                continue
            item = article_from_record(
                record, source, content, f"{source.stem}-{line_number}", where,
                {"line": line_number, "locator": f"#line {line_number}"},
            )
            if isinstance(item, Article):
                item.id = _unique(item.id, seen, str(line_number))
            yield item


_WHITESPACE = re.compile(r"\s*")


def read_json(source: InputSource, options: IngestOptions) -> Iterator[Article | InputError]:
    """One object (id = file stem unless it names its own) or a list of objects, read item by item."""
    data = source.read_all(options.max_bytes)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = decode_bytes(data, source.name)
    if not text.strip():
        raise InputError(source.name, "empty input")
    decoder = json.JSONDecoder()
    start = _WHITESPACE.match(text, 0).end()
    if not text.startswith("[", start):
        try:
            record, end = decoder.raw_decode(text, start)
        except (ValueError, RecursionError) as exc:
            raise InputError(source.name, f"broken JSON ({describe(exc)})") from exc
        if text[_WHITESPACE.match(text, end).end():]:
            raise InputError(source.name, f"broken JSON (extra data at character {end})")
        yield article_from_record(record, source, data, source.stem, "object", {})
        return
    seen: set[str] = set()
    position = _WHITESPACE.match(text, start + 1).end()
    index = 0
    if text.startswith("]", position):
        return
    while True:
        index += 1
        where = f"item {index}"
        try:
            record, end = decoder.raw_decode(text, position)
        except (ValueError, RecursionError) as exc:
            yield InputError(source.name, f"{where}: broken JSON ({describe(exc)})")
            return
        raw = text[position:end].encode("utf-8")
        item = article_from_record(
            record, source, raw, f"{source.stem}-{index}", where, {"item": index, "locator": f"#item {index}"}
        )
        if isinstance(item, Article):
            item.id = _unique(item.id, seen, str(index))
        yield item
        position = _WHITESPACE.match(text, end).end()
        if text.startswith("]", position):
            return
        if not text.startswith(",", position):
            yield InputError(source.name, f"{where}: broken JSON (expected ',' or ']' at character {position})")
            return
        position = _WHITESPACE.match(text, position + 1).end()
