"""Web archives: HTML captures become articles, other records are skipped, damage is located."""

from __future__ import annotations

import gzip
import io

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recoupe.article import Article
from recoupe.errors import InputError


@pytest.fixture
def records(page_html):
    return [
        ("https://gazette-val.example/region/belcourt-lavoir", "text/html; charset=utf-8",
         page_html().encode("utf-8"), "200 OK"),
        ("https://gazette-val.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "200 OK"),
        ("https://gazette-val.example/moved", "text/html", b"<html><body><p>Moved</p></body></html>", "301 Moved"),
        ("https://gazette-val.example/region/col", "text/html",
         page_html(title="Le col de la Bergerie rouvert", slug="col").replace(
             '<meta property="article:published_time" content="2025-06-02T08:15:00+02:00">', ""
         ).encode("utf-8"), "200 OK"),
    ]


@pytest.mark.parametrize("compressed", [False, True], ids=["warc", "warc.gz"])
def test_html_responses_become_articles(ingest, tmp_path, build_warc, records, compressed):
    data = build_warc(records, gzip=compressed)
    path = tmp_path / ("crawl.warc.gz" if compressed else "crawl.warc")
    path.write_bytes(data)
    items = ingest(path)
    assert all(isinstance(i, Article) for i in items), items
    lavoir, col = items  # the PNG and the redirect are skipped
    assert lavoir.format == "warc" and lavoir.source == str(path)
    assert lavoir.url == records[0][0]
    assert lavoir.raw == records[0][2]  # the HTTP payload, not the record
    assert lavoir.title == "Belcourt : le lavoir sera rénové"
    assert lavoir.published == "2025-06-02T08:15:00+02:00"  # the page's own date wins
    assert lavoir.meta["warc_date"] == "2025-06-02T10:00:00Z"
    assert col.published == "2025-06-02T10:00:00+00:00"  # no date in the page: the capture date
    assert col.title == "Le col de la Bergerie rouvert"
    offsets = [lavoir.meta["offset"], col.meta["offset"]]
    assert offsets[0] == 0 and 0 < offsets[1] < len(data)
    assert col.meta["locator"] == f"#offset {offsets[1]}"
    assert lavoir.id.startswith("crawl-") and lavoir.id != col.id
    assert [a.id for a in ingest(path)] == [lavoir.id, col.id]
    # records are whole gzip members: the one at the offset starts a record by itself
    if compressed:
        assert gzip.decompress(data[offsets[1]:]).startswith(b"WARC/1")
    else:
        assert data[offsets[1]:].startswith(b"WARC/1")


@pytest.mark.parametrize("compressed", [False, True], ids=["warc", "warc.gz"])
def test_truncated_archive_keeps_the_records_before_the_cut(ingest, tmp_path, build_warc, records, compressed):
    data = build_warc(records, gzip=compressed)
    whole = tmp_path / "whole.warc"
    whole.write_bytes(data)
    last_offset = ingest(whole)[-1].meta["offset"]
    path = tmp_path / ("cut.warc.gz" if compressed else "cut.warc")
    path.write_bytes(data[: last_offset + (len(data) - last_offset) // 2])
    items = ingest(path)
    assert [type(i).__name__ for i in items] == ["Article", "InputError"]
    error = items[1]
    assert error.source == str(path) and error.offset == last_offset
    assert str(error).startswith(f"{path} (at {last_offset}): truncated")


@pytest.mark.parametrize("cut", [10, 200], ids=["in the first header", "in the first body"])
def test_archive_cut_before_any_record_is_one_error(ingest, tmp_path, build_warc, records, cut):
    path = tmp_path / "stub.warc"
    path.write_bytes(build_warc(records, gzip=False)[:cut])
    [error] = ingest(path)
    assert isinstance(error, InputError) and error.source == str(path)


def test_gzip_bomb_payload_is_bounded(ingest, tmp_path):
    """A response whose gzip Content-Encoding inflates far past max_bytes is refused, not inflated."""
    bomb = gzip.compress(b"<html><body><p>" + b"a" * 50_000_000 + b"</p></body></html>", compresslevel=9)
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html"), ("Content-Encoding", "gzip")],
                            protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://bomb.example/", "response",
                                                  payload=io.BytesIO(bomb), http_headers=http))
    path = tmp_path / "bomb.warc.gz"
    path.write_bytes(buffer.getvalue())
    assert path.stat().st_size < 200_000
    [error] = ingest(path, max_bytes=1_000_000)
    assert str(error) == f"{path} (at 0): WARC payload larger than max_bytes (1000000 bytes)"


def test_gzip_that_is_a_warc_whatever_its_name(ingest, tmp_path, build_warc, records):
    path = tmp_path / "download.gz"
    path.write_bytes(build_warc(records[:1], gzip=True))
    [article] = ingest(path)
    assert article.format == "warc"


def test_any_cut_gives_the_records_before_it_and_at_most_one_error(ingest, tmp_path, build_warc, records):
    data = build_warc(records, gzip=True)
    whole = tmp_path / "whole.warc.gz"
    whole.write_bytes(data)
    complete = [a.url for a in ingest(whole)]
    iterator = ArchiveIterator(io.BytesIO(data))
    members = {0, len(data)} | {iterator.get_record_offset() for _ in iterator}
    path = tmp_path / "cut.warc.gz"
    for cut in range(1, len(data), 37):
        path.write_bytes(data[:cut])
        items = ingest(path)
        read = [i.url for i in items if isinstance(i, Article)]
        failed = [i for i in items if isinstance(i, InputError)]
        assert read == complete[: len(read)], cut
        assert len(failed) == (0 if cut in members else 1), (cut, failed)
        assert all(i is items[-1] for i in failed)  # the error comes after what could be read
