"""Whatever the bytes, reading yields articles or one-line errors, never an exception."""

from __future__ import annotations

import gzip
import io

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recoupe.article import Article
from recoupe.errors import InputError
from recoupe.ingest import IngestOptions
from recoupe.ingest.inputs import InputSource, memory_opener
from recoupe.ingest.sources import read_source


def _warc(compressed: bool) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=compressed)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    body = b"<html><body><p>" + "Un paragraphe de texte assez long, vraiment. ".encode() * 5 + b"</p></body></html>"
    writer.write_record(writer.create_warc_record("https://ex.example/p", "response", payload=io.BytesIO(body),
                                                  http_headers=http))
    return buffer.getvalue()


VALID = [
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title><item><title>A</title>'
    b"<description>&lt;p&gt;Texte &#233;t&#233;&lt;/p&gt;</description></item></channel></rss>",
    b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>B</title><content type="html">x</content></entry></feed>',
    b"<!DOCTYPE html><html><head><title>T</title></head><body><article><p>Un texte.</p></article></body></html>",
    b'{"id": "a", "text": "Un texte."}\n{"id": "b", "html": "<p>Deux</p>"}\n',
    b'[{"text": "un"}, {"text": "deux"}]',
    "Titre\r\n\r\nUn été à Noël, 14\u00a0000 euros.".encode("utf-8"),
    _warc(False),
    _warc(True),
]


@st.composite
def damaged(draw) -> bytes:
    data = bytearray(draw(st.sampled_from(VALID)))
    for _ in range(draw(st.integers(0, 6))):
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
    if draw(st.booleans()) and draw(st.booleans()):
        packed = gzip.compress(bytes(data))
        data = bytearray(packed[: draw(st.integers(1, len(packed)))])
    return bytes(data)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=damaged(), extension=st.sampled_from(["", ".txt", ".html", ".xml", ".jsonl", ".json", ".warc"]))
def test_damaged_input_never_raises(data, extension):
    source = InputSource(name=f"input{extension}", stem="input", open_raw=memory_opener(data), read_at="now",
                         size=len(data), extension=extension)
    items = list(read_source(source, IngestOptions(max_bytes=1_000_000)))
    for item in items:
        assert isinstance(item, (Article, InputError))
        if isinstance(item, InputError):
            assert item.source == source.name
            assert str(item).isprintable()  # one line, nothing that garbles a terminal
            assert "cannot read as" not in str(item), str(item)  # no parser crash left unnamed
        else:
            assert item.raw and item.input_text.strip()
