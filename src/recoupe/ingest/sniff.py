"""Which reader an input needs: by what its bytes start with, then by its name.

Content wins over the name when the content is unambiguous: a .txt that is
an HTML page, a .gz that holds a WARC, an .html that is an RSS feed. The
name decides between formats the first bytes cannot tell apart.
"""

from __future__ import annotations

import json
import re
import zlib

from ..errors import InputError
from .decode import looks_binary
from .inputs import GZIP_MAGIC, InputSource, describe, os_reason

_HEAD = 65536
TEXT_EXTENSIONS = {".txt", ".text"}
HTML_EXTENSIONS = {".html", ".htm", ".xhtml", ".shtml"}
FEED_EXTENSIONS = {".xml", ".rss", ".atom", ".rdf"}
JSONL_EXTENSIONS = {".jsonl", ".ndjson"}
JSON_EXTENSIONS = {".json"}
WARC_EXTENSIONS = {".warc"}
KNOWN_EXTENSIONS = TEXT_EXTENSIONS | HTML_EXTENSIONS | FEED_EXTENSIONS | JSONL_EXTENSIONS | JSON_EXTENSIONS | WARC_EXTENSIONS

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_FEED_ROOT = re.compile(r"<(?:[\w.-]+:)?(?:rss|feed|RDF)\b", re.IGNORECASE)
_HTML_START = re.compile(r"<(?:!doctype\s+html|html|head|body|meta|title|div|p|article|section|h[1-6]|table|span)\b",
                         re.IGNORECASE)
_XML_START = re.compile(r"<\?xml\b", re.IGNORECASE)
_LEADING_MARKUP = re.compile(r"(?:\s+|<\?xml[^>]*>|<!--.*?-->|<!DOCTYPE[^>\[]*(?:\[.*?\])?\s*>)*", re.DOTALL | re.IGNORECASE)


def _head(source: InputSource) -> bytes:
    """The first bytes of the (decompressed) input; marks the source compressed when it is gzip."""
    try:
        with source.open_raw() as stream:
            head = stream.read(_HEAD)
    except OSError as exc:
        raise InputError(source.name, f"cannot read: {os_reason(exc)}") from exc
    if not head.startswith(GZIP_MAGIC):
        return head
    source.compressed = True
    # Only the start of the first gzip member: a file cut short further on must
    # still reach its reader, which keeps what comes before the damage.
    inflater = zlib.decompressobj(wbits=31)
    try:
        inner = inflater.decompress(head, _HEAD)
    except zlib.error as exc:
        raise InputError(source.name, f"corrupt gzip data: {describe(exc)}") from exc
    if not inner and not inflater.eof:
        raise InputError(source.name, "truncated gzip data: nothing could be decompressed")
    return inner


def _text_head(head: bytes) -> str:
    for bom, encoding in ((b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if head.startswith(bom):
            return head[2:].decode(encoding, errors="ignore")
    return head.removeprefix(b"\xef\xbb\xbf").decode("utf-8", errors="ignore")


def _first_line_is_object(text: str) -> bool:
    line = text.split("\n", 1)[0].strip()
    try:
        return isinstance(json.loads(line), dict)
    except ValueError:
        return False


def choose_format(source: InputSource) -> str:
    """One of text, html, jsonl, json, feed, warc; InputError for empty or binary input."""
    head = _head(source)
    if head.startswith(b"WARC/"):
        return "warc"
    if not head.strip():
        raise InputError(source.name, "empty input")
    if not head.startswith(_BOMS) and looks_binary(head):
        raise InputError(source.name, "binary file, not text")
    text = _text_head(head)
    start = _LEADING_MARKUP.match(text)
    body = text[start.end() if start else 0:]
    extension = source.extension
    if body.startswith("<") or _XML_START.match(text.lstrip()):
        if _FEED_ROOT.match(body):
            return "feed"
        if _HTML_START.match(body) or re.match(r"\s*<!doctype\s+html", text, re.IGNORECASE):
            return "html"
        if extension in FEED_EXTENSIONS:
            return "feed"
        if extension in TEXT_EXTENSIONS:
            return "text"  # "<<URGENT>>" and the like: prose that starts with a bracket
        if extension in HTML_EXTENSIONS or not extension:
            return "html"
    stripped = body.lstrip()
    if stripped.startswith(("{", "[")):
        if extension in JSONL_EXTENSIONS:
            return "jsonl"
        if extension in JSON_EXTENSIONS:
            lines = [line for line in stripped.split("\n", 2)[:2] if line.strip()]
            one_per_line = len(lines) == 2 and lines[1].lstrip().startswith("{")
            return "jsonl" if one_per_line and _first_line_is_object(stripped) else "json"
        if extension not in HTML_EXTENSIONS | FEED_EXTENSIONS:
            if stripped.startswith("{") and _first_line_is_object(stripped):
                return "jsonl"
            if extension not in TEXT_EXTENSIONS:
                return "json"
    if extension in HTML_EXTENSIONS:
        return "html"
    if extension in FEED_EXTENSIONS:
        return "feed"
    if extension in JSONL_EXTENSIONS:
        return "jsonl"
    if extension in JSON_EXTENSIONS:
        return "json"
    if extension in WARC_EXTENSIONS:
        return "warc"
    return "text"
