"""Web archives (.warc, .warc.gz) read with warcio: each HTML page captured is an article.

warcio stops quietly at a cut-off file, so truncation is detected here: a
record whose body ends before its Content-Length, or bytes left after the
last record that warcio could read. What was read before the damage is kept,
then one InputError names the offset where it starts.
"""

from __future__ import annotations

import zlib
from typing import Any, Iterator

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from ..article import Article
from ..errors import InputError
from .dates import iso_datetime
from .decode import decode_bytes
from .html import declared_charset, extract_page
from .inputs import InputSource, describe, short_hash
from .options import IngestOptions

_HTML_TYPES = ("text/html", "application/xhtml+xml")


class _QuietArchiveIterator(ArchiveIterator):
    """warcio writes a warning to stderr when a record is not followed by its blank lines;
    a damaged record is reported here as an InputError instead, or read if it is whole."""

    INC_RECORD = ""
_READ_ERRORS = (ArchiveLoadFailed, EOFError, zlib.error, ValueError, OSError, AttributeError, IndexError)


def _media_type(content_type: str | None) -> tuple[str, str | None]:
    if not content_type:
        return "", None
    parts = [p.strip() for p in content_type.split(";")]
    charset = next((p.split("=", 1)[1].strip("\"' ") for p in parts[1:] if p.lower().startswith("charset=")), None)
    return parts[0].lower(), charset


def _html_capture(record: Any) -> tuple[bool, str | None]:
    """Is this record a successfully fetched HTML page, and with which declared charset."""
    if record.rec_type == "response" and record.http_headers is not None:
        if record.http_headers.get_statuscode() != "200":
            return False, None
        media, charset = _media_type(record.http_headers.get_header("Content-Type"))
    elif record.rec_type == "resource":
        media, charset = _media_type(record.rec_headers.get_header("Content-Type"))
    else:
        return False, None
    return media in _HTML_TYPES, charset


def _read_payload(stream: Any, limit: int) -> bytes:
    """Up to `limit` bytes (warcio's reads may return less than asked before the end)."""
    chunks: list[bytes] = []
    total = 0
    while total < limit:
        chunk = stream.read(min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _damaged_after(source: InputSource, offset: int) -> bool:
    """Are there bytes past `offset` (where warcio stopped) that are not just padding."""
    if source.size is not None and source.size <= offset:
        return False
    with source.open_raw() as stream:
        stream.seek(offset)
        tail = stream.read(4096)
    return bool(tail.strip(b"\r\n\t \x00"))


def _cut_short(record: Any) -> bool:
    """warcio drains each record before the next; bytes still owed mean the file ended first."""
    return getattr(record.raw_stream, "limit", 0) > 0


def _member_complete(source: InputSource, offset: int) -> bool:
    """Does the gzip member at `offset` end with its trailer? warcio reads a member whose
    last bytes are missing without a word; inflating it again (discarding the output) tells."""
    inflater = zlib.decompressobj(wbits=31)
    with source.open_raw() as stream:
        stream.seek(offset)
        while not inflater.eof:
            chunk = inflater.unconsumed_tail or stream.read(1 << 16)
            if not chunk:
                return False
            try:
                inflater.decompress(chunk, 1 << 20)
            except zlib.error:
                return False
    return True


def read_warc(source: InputSource, options: IngestOptions) -> Iterator[Article | InputError]:
    """HTML responses (status 200) become articles; other records are skipped.

    raw is the HTTP payload (de-chunked, decompressed), bounded by max_bytes.
    The id is "<stem>-<hash of the target URI>", the record offset is kept in meta.
    """
    seen: set[str] = set()
    previous: tuple[Any, int] | None = None
    with source.open_raw() as stream:
        iterator = _QuietArchiveIterator(stream)
        try:
            for record in iterator:
                if previous is not None and _cut_short(previous[0]):
                    yield InputError(source.name, "truncated WARC record", offset=previous[1])
                    return
                offset = iterator.offset
                length = record.rec_headers.get_header("Content-Length") or ""
                if not record.rec_type or not length.strip().isdigit():
                    yield InputError(source.name, "truncated or corrupt WARC record header", offset=offset)
                    return
                previous = (record, offset)
                is_html, charset = _html_capture(record)
                if not is_html:
                    continue
                payload = _read_payload(record.content_stream(), options.max_bytes + 1)
                if len(payload) > options.max_bytes:
                    yield InputError(source.name, f"WARC payload larger than max_bytes ({options.max_bytes} bytes)",
                                     offset=offset)
                    continue
                if _cut_short(record):
                    yield InputError(source.name, "truncated WARC record", offset=offset)
                    return
                yield _article(source, record, payload, charset, offset, seen)
            end = iterator.offset
        except _READ_ERRORS as exc:
            yield InputError(source.name, f"truncated or corrupt WARC ({describe(exc)})", offset=iterator.offset)
            return
    if previous is not None and _cut_short(previous[0]):
        yield InputError(source.name, "truncated WARC record", offset=previous[1])
    elif previous is not None and source.compressed and not _member_complete(source, previous[1]):
        yield InputError(source.name, "truncated gzip member (the record was read, its end is missing)",
                         offset=previous[1])
    elif _damaged_after(source, end):
        yield InputError(source.name, "truncated or corrupt WARC record", offset=end)


def _article(
    source: InputSource, record: Any, payload: bytes, charset: str | None, offset: int, seen: set[str]
) -> Article | InputError:
    headers = record.rec_headers
    uri = headers.get_header("WARC-Target-URI")
    warc_date = headers.get_header("WARC-Date")
    where = f"{source.name}#offset {offset}"
    try:
        html = decode_bytes(payload, where, declared=charset or declared_charset(payload))
    except InputError as exc:
        return InputError(source.name, exc.problem, offset=offset)
    page = extract_page(html, url=uri)
    if not page.text:
        return InputError(source.name, "no article text found in the HTML page", offset=offset)
    article_id = f"{source.stem}-{short_hash(uri)}" if uri else f"{source.stem}-{offset}"
    if article_id in seen:
        article_id = f"{article_id}-{offset}"
    seen.add(article_id)
    meta: dict[str, Any] = {**source.meta, "offset": offset, "locator": f"#offset {offset}"}
    if warc_date:
        meta["warc_date"] = warc_date
    if headers.get_header("WARC-Record-ID"):
        meta["warc_record_id"] = headers.get_header("WARC-Record-ID")
    return Article(
        id=article_id,
        source=source.name,
        raw=payload,
        format="warc",
        url=uri or page.url,
        site=page.site,
        title=page.title,
        input_text=page.text,
        published=page.published or iso_datetime(warc_date),
        byline=page.author,
        read_at=source.read_at,
        meta=meta,
    )
