"""Bad records in a large input: each is named with its path (and offset), skipped and counted; the job finishes."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from recoupe.cli import main
from recoupe.config import Options
from recoupe.ingest import IngestOptions, read_inputs
from recoupe.spark import SparkEngine

from spark_helpers import RPM2, lines


def _reading_steps(options: Options):
    """Cleaning, near-duplicates and stories: what bad input can break, without the analysis's models."""
    from recoupe.pipeline import Pipeline, default_steps

    steps = default_steps(options)
    return Pipeline(prepare=[s for s in steps.prepare if s.name != "analyse"],
                    online=[s for s in steps.online if s.name in ("neardup", "stories")])


def _page(path: Path) -> bytes:
    title, *body = [line for line in path.read_text(encoding="utf-8-sig").splitlines() if line.strip()]
    paragraphs = "".join(f"<p>{line}</p>" for line in body)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><article><h1>{title}</h1>{paragraphs}</article></body></html>").encode("utf-8")


def _damaged_warc(pages: list[Path]) -> tuple[bytes, list[int]]:
    """A .warc.gz of real articles whose second record has 40 bytes scrambled; and the record offsets."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    for number, page in enumerate(pages):
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(
            f"https://presse.example/article-{number}", "response", payload=io.BytesIO(_page(page)),
            http_headers=http, warc_headers_dict={"WARC-Date": "2008-05-02T10:00:00Z"}))
    data = bytearray(buffer.getvalue())
    iterator = ArchiveIterator(io.BytesIO(bytes(data)))
    offsets = [iterator.get_record_offset() for _ in iterator]
    middle = (offsets[1] + offsets[2]) // 2
    for at in range(middle, middle + 40):
        data[at] ^= 0x5A
    return bytes(data), offsets


@pytest.fixture(scope="module")
def damaged_folder(tmp_path_factory) -> tuple[Path, int]:
    """Twenty good articles among a damaged archive, a binary file, a broken JSON line and a cut gzip."""
    folder = tmp_path_factory.mktemp("damaged")
    texts = sorted(RPM2.glob("*.txt"))
    for path in texts[:20]:
        (folder / path.name).write_bytes(path.read_bytes())
    archive, offsets = _damaged_warc(texts[20:23])
    (folder / "crawl.warc.gz").write_bytes(archive)
    (folder / "photo.txt").write_bytes(bytes(range(256)) * 8)
    records = [{"id": f"flux-{n}", "title": p.stem, "text": p.read_text(encoding="utf-8-sig")} for n, p in
               enumerate(texts[23:25])]
    (folder / "flux.jsonl").write_text(json.dumps(records[0], ensure_ascii=False) + "\n{\"id\": \"cut\", \"text\": \"\n"
                                       + json.dumps(records[1], ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "archive.txt.gz").write_bytes(gzip.compress(texts[25].read_bytes())[:-30])
    return folder, offsets[1]


def test_bad_records_are_named_skipped_and_counted(spark, damaged_folder, tmp_path):
    folder, damaged_offset = damaged_folder
    out = tmp_path / "out"
    options = Options()
    summary = SparkEngine(spark, options, steps=_reading_steps(options)).run([str(folder)], str(out))

    expected = list(read_inputs([str(folder)], IngestOptions()))
    expected_errors = [(e.source, e.offset, e.problem) for e in expected if not hasattr(e, "raw")]
    assert summary.input_error_count == len(expected_errors) == 4
    assert [(e.source, e.offset, e.problem) for e in summary.input_errors] == expected_errors
    warc = next(e for e in summary.input_errors if e.source.endswith("crawl.warc.gz"))
    assert warc.offset == damaged_offset and str(warc).startswith(f"{folder / 'crawl.warc.gz'} (at {damaged_offset}): ")
    # the articles around the bad records are all there, in reading order
    assert summary.articles == 20 + 1 + 2
    assert [row["state"]["id"] for row in lines(out, "articles")] == [a.id for a in expected if hasattr(a, "raw")]
    written = lines(out, "errors")
    assert len(written) == 4 and {e["source"] for e in written} == {e[0] for e in expected_errors}
    assert {e["offset"] for e in written if e["source"].endswith(".warc.gz")} == {damaged_offset}


def test_spark_reader_of_uris_names_and_skips_the_same_records(spark, damaged_folder, tmp_path):
    """Through Spark's own file reader (any Hadoop path): the same articles and failures."""
    folder, damaged_offset = damaged_folder
    options = Options()
    summary = SparkEngine(spark, options, steps=_reading_steps(options)).run([folder.as_uri()], str(tmp_path / "out"))
    assert summary.articles == 23 and summary.input_error_count == 4
    problems = sorted((Path(e.source.split(":", 1)[1]).name, e.offset) for e in summary.input_errors)
    assert problems == sorted([("archive.txt.gz", None), ("crawl.warc.gz", damaged_offset), ("flux.jsonl", None),
                               ("photo.txt", None)])


def test_missing_inputs_are_failures_not_crashes(spark, tmp_path):
    options = Options()
    summary = SparkEngine(spark, options, steps=_reading_steps(options)).run(
        [str(tmp_path / "nowhere"), (tmp_path / "nowhere-uri").as_uri()], str(tmp_path / "out"))
    assert summary.articles == 0 and summary.input_error_count == 2
    assert [e.problem for e in summary.input_errors] == ["no such file or directory"] * 2


def test_cli_reports_each_failure_and_exits_1(spark, damaged_folder, tmp_path, capsys):
    folder, damaged_offset = damaged_folder
    status = main(["run", str(folder), "--engine", "spark", "--out", str(tmp_path / "out"), "--db",
                   str(tmp_path / "x.db")])
    err = capsys.readouterr().err
    assert status == 1
    assert f"recoupe: error: {folder / 'crawl.warc.gz'} (at {damaged_offset}): " in err
    assert f"recoupe: error: {folder / 'photo.txt'}: binary file, not text" in err
    assert "recoupe: 23 articles" in err and "4 failed records or steps" in err


def test_a_run_gives_the_session_back_with_its_settings(spark, tmp_path):
    """The engine caches in small uncompressed batches for its run only: the session is the caller's."""
    names = ("spark.sql.inMemoryColumnarStorage.batchSize", "spark.sql.inMemoryColumnarStorage.compressed")
    before = {name: spark.conf.get(name) for name in names}
    spark.conf.set(names[0], "10000")
    spark.conf.set(names[1], "true")
    try:
        options = Options()
        summary = SparkEngine(spark, options, steps=_reading_steps(options)).run(
            [str(tmp_path / "nowhere")], str(tmp_path / "out"))
        assert summary.input_error_count == 1
        assert [spark.conf.get(name) for name in names] == ["10000", "true"]
    finally:
        for name, value in before.items():
            spark.conf.set(name, value)
