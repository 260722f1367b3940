"""Hypothesis strategies for reader inputs: documents of each format built from their parts, then damaged.

Each format is generated from its grammar (feeds with channels, entries,
entity declarations and CDATA; WARC records written by warcio with any
headers and payloads; JSON records with the fields readers look for and
values of every type; HTML pages with charset declarations and nesting),
in several encodings, then optionally damaged (bytes flipped, inserted,
deleted, the end cut off) and gzipped, whole or cut short.
"""

from __future__ import annotations

import gzip
import io
import json

from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from hardening_data import real_paragraphs

ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "latin-1", "cp1252", "iso-8859-15", "shift_jis", "koi8-r"]
CHARSETS = ["utf-8", "UTF8", "latin1", "windows-1252", "utf-16", "x-unknown", "", "utf-7", "ebcdic-cp-be", "\x00", "é"]


def prose() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(real_paragraphs()), st.text(max_size=80),
                     st.sampled_from(["<b>gras</b>", "&amp;", "&nbsp;", "&#0;", "&#xD800;", "&bogus;", "]]>", "\x00", "\ufeff"]))


def encode(text: str, encoding: str) -> bytes:
    """Lone surrogates pass into UTF encodings (as broken input has them); other encodings replace what they lack."""
    return text.encode(encoding, errors="surrogatepass" if encoding.startswith("utf") else "replace")


def encoded(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    return st.tuples(text, st.sampled_from(ENCODINGS)).map(lambda pair: encode(*pair))


# -- JSON ------------------------------------------------------------------------------------------

KEYS = ["id", "article_id", "url", "link", "title", "headline", "text", "body", "content", "maintext", "html",
        "content_html", "published", "date", "pubDate", "updated", "site", "source", "author", "authors", "byline",
        "language", "lang", "extra"]
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), prose(),
                    st.sampled_from(["2024-11-13T21:28:00", "Wed, 13 Nov 2024 21:28:00 GMT", "<p>Un <i>texte</i></p>",
                                     "<html><body><article><p>Page entière.</p></article></body></html>", "\ud800"]))
VALUES = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                       st.dictionaries(st.sampled_from(KEYS + ["name"]), inner, max_size=3)),
                      max_leaves=8)
RECORDS = st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8)


def _json_text(value: object, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only, allow_nan=True)


def jsonl_documents() -> st.SearchStrategy[bytes]:
    line = st.one_of(
        st.tuples(RECORDS, st.booleans()).map(lambda pair: _json_text(pair[0], pair[1])),
        VALUES.map(lambda v: _json_text(v, True)),
        st.sampled_from(["", "   ", "{", "[" * 5000 + "]" * 5000, '{"text": "' + "x" * 3000 + '"}', "null", "\x00"]),
    )
    return st.tuples(st.lists(line, max_size=8), st.sampled_from(["\n", "\r\n"]), st.sampled_from(ENCODINGS[:5])).map(
        lambda parts: encode(parts[1].join(parts[0]), parts[2])
    )


def json_documents() -> st.SearchStrategy[bytes]:
    return st.one_of(RECORDS, st.lists(RECORDS, max_size=5), VALUES).map(
        lambda v: encode(_json_text(v, False), "utf-8")
    )


# -- feeds -----------------------------------------------------------------------------------------

ENTITY_DECLARATIONS = [
    "", '<!ENTITY nbsp "&#160;">', '<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">',
    '<!ENTITY xxe SYSTEM "file:///etc/passwd">', '<!ENTITY % p SYSTEM "http://127.0.0.1:9/x.dtd"> %p;',
    '<!ENTITY x PUBLIC "-//X//EN" "http://127.0.0.1:9/x">', "<!ENTITY broken", "<!ELEMENT rss ANY>",
]


def feed_documents() -> st.SearchStrategy[bytes]:
    def build(parts) -> bytes:
        atom, declaration, entries, charset, encoding, use_entity = parts
        doctype = f"<!DOCTYPE {'feed' if atom else 'rss'} [{declaration}]>" if declaration else ""
        reference = "&xxe;&b;&nbsp;" if use_entity else ""
        items = []
        for title, body, date, cdata in entries:
            body = f"<![CDATA[{body}]]>" if cdata else body.replace("&", "&amp;").replace("<", "&lt;")
            if atom:
                items.append(f"<entry><id>{title[:20]}</id><title>{title}</title><updated>{date}</updated>"
                             f"<content type=\"html\">{body}{reference}</content></entry>")
            else:
                items.append(f"<item><title>{title}</title><pubDate>{date}</pubDate><guid>{title[:20]}</guid>"
                             f"<description>{body}{reference}</description></item>")
        head = f'<?xml version="1.0" encoding="{charset}"?>' if charset is not None else ""
        if atom:
            text = f'{head}{doctype}<feed xmlns="http://www.w3.org/2005/Atom"><title>Flux</title>{"".join(items)}</feed>'
        else:
            text = f'{head}{doctype}<rss version="2.0"><channel><title>Flux</title><language>fr</language>' \
                   f'{"".join(items)}</channel></rss>'
        return encode(text, encoding)

    entry = st.tuples(prose(), prose(), st.sampled_from(["Wed, 13 Nov 2024 21:28:00 GMT", "2024-11-13T21:28:00Z", "", "x"]),
                      st.booleans())
    return st.tuples(st.booleans(), st.sampled_from(ENTITY_DECLARATIONS), st.lists(entry, max_size=4),
                     st.one_of(st.none(), st.sampled_from(CHARSETS)), st.sampled_from(ENCODINGS), st.booleans()).map(build)


# -- HTML ------------------------------------------------------------------------------------------

TAGS = ["p", "div", "article", "main", "nav", "footer", "script", "style", "br", "table", "td", "li", "ul", "h1", "span",
        "svg", "iframe", "template", "noscript", "math"]


def html_documents() -> st.SearchStrategy[bytes]:
    node = st.recursive(
        prose().map(lambda t: t.replace("<", "&lt;")),
        lambda inner: st.tuples(st.sampled_from(TAGS), st.lists(inner, max_size=4), st.sampled_from(
            ["", ' class="x"', ' onload="alert(1)"', ' style="x:expression(1)"', " =>"])).map(
            lambda t: f"<{t[0]}{t[2]}>{''.join(t[1])}</{t[0]}>"),
        max_leaves=20,
    )

    def page(parts) -> bytes:
        body, charset, title, encoding, doctype = parts
        meta = f'<meta charset="{charset}">' if charset is not None else ""
        head = "<!DOCTYPE html>" if doctype else ""
        return encode(f"{head}<html><head>{meta}<title>{title}</title></head><body>{body}</body></html>", encoding)

    return st.tuples(node, st.one_of(st.none(), st.sampled_from(CHARSETS)), prose(), st.sampled_from(ENCODINGS),
                     st.booleans()).map(page)


# -- WARC ------------------------------------------------------------------------------------------


def warc_documents() -> st.SearchStrategy[bytes]:
    def build(parts) -> bytes:
        records, compressed = parts
        buffer = io.BytesIO()
        writer = WARCWriter(buffer, gzip=compressed)
        for number, (uri, kind, status, content_type, payload, encoding) in enumerate(records):
            headers = [("Content-Type", content_type)]
            if encoding:
                headers.append(("Content-Encoding", encoding))
            http = StatusAndHeaders(status, headers, protocol="HTTP/1.1") if kind == "response" else None
            # fixed record ids: the same draw gives the same bytes (and the same compressed length)
            warc_headers = {"WARC-Date": "2024-11-13T21:28:00Z", "WARC-Record-ID": f"<urn:uuid:00000000-0000-0000-0000-{number:012d}>"}
            if kind == "resource":
                warc_headers["Content-Type"] = content_type
            record = writer.create_warc_record(uri, kind, payload=io.BytesIO(payload), http_headers=http,
                                               warc_headers_dict=warc_headers)
            writer.write_record(record)
        return buffer.getvalue()

    record = st.tuples(
        st.sampled_from(["https://ex.example/a", "https://ex.example/b?x=<script>", "", "urn:x"]),
        st.sampled_from(["response", "resource", "metadata"]),
        st.sampled_from(["200 OK", "404 Not Found", "200 X", "999 Y"]),
        st.sampled_from(["text/html", "text/html; charset=latin-1", "text/html; charset=bogus", "application/xhtml+xml",
                         "text/plain", ""]),
        st.one_of(html_documents(), st.binary(max_size=200), st.just(gzip.compress(b"<html><body><p>zip</p></body></html>", mtime=0))),
        st.sampled_from(["", "gzip", "br", "identity"]),
    )
    return st.tuples(st.lists(record, max_size=4), st.booleans()).map(build)


# -- all of them, damaged or not -------------------------------------------------------------------

FORMATS = {
    "text": lambda: encoded(st.lists(prose(), max_size=6).map("\n".join)),
    "html": html_documents,
    "jsonl": jsonl_documents,
    "json": json_documents,
    "feed": feed_documents,
    "warc": warc_documents,
}


@st.composite
def damaged(draw, documents: st.SearchStrategy[bytes]) -> bytes:
    data = bytearray(draw(documents))
    for _ in range(draw(st.integers(0, 4))):
        position = draw(st.integers(0, max(0, len(data) - 1)))
        action = draw(st.sampled_from(["flip", "insert", "delete", "cut"]))
        if action == "flip" and data:
            data[position] = draw(st.integers(0, 255))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[position:position + draw(st.integers(1, 40))]
        else:
            del data[position:]
    return bytes(data)


@st.composite
def any_input(draw, kind: str | None = None) -> bytes:
    """Bytes of a document of `kind` (any format when None, or plain random bytes), maybe damaged, maybe gzipped."""
    kinds = sorted(FORMATS) if kind is None else [kind]
    chosen = draw(st.sampled_from(kinds))
    documents = st.one_of(FORMATS[chosen](), st.binary(max_size=600)) if kind is None else FORMATS[chosen]()
    data = draw(st.one_of(documents, damaged(documents)))
    if draw(st.integers(0, 5)) == 0:
        packed = gzip.compress(data, mtime=0)
        data = packed[: draw(st.integers(1, len(packed)))] if draw(st.booleans()) else packed
    return data
