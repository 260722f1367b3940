"""The atheris targets of fuzz_targets.py, each run for a bounded number of inputs from a corpus of real documents.

The corpus holds the seeds, the example corpus (plain text, HTML, RSS, JSONL)
and a WARC written by warcio, each prefixed by the byte that sends it to its
reader; libFuzzer mutates them under coverage guidance. Any finding fails
the run, and libFuzzer's own output (with the crashing input) is shown.
"""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from hardening_data import REPO, SEEDS, real_paragraphs

import atheris  # noqa: F401  (dev extra: missing, the test fails rather than skips)

TARGETS = Path(__file__).with_name("fuzz_targets.py")
RUNS = {"readers": 4000, "clean": 2000, "parsers": 2000}
READERS = ["feed", "html", "json", "jsonl", "text", "warc"]  # sorted, as fuzz_targets.py picks them


def _warc() -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    body = "<html><body><article><p>{}</p></article></body></html>".format(real_paragraphs()[3]).encode()
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
    writer.write_record(writer.create_warc_record("https://ex.example/a", "response", payload=io.BytesIO(body),
                                                  http_headers=http))
    return buffer.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("fuzz-corpus")
    examples = REPO / "examples"
    documents = {
        "text": [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))[:2]] + [(examples / "valmorin-wire.txt").read_bytes()],
        "html": [(examples / "valmorin-regional.html").read_bytes()],
        "feed": [(examples / "feed.xml").read_bytes()],
        "jsonl": [(examples / "other-news.jsonl").read_bytes()],
        "json": [b'[{"id": "a", "title": "T", "text": "Un texte."}]'],
        "warc": [_warc()],
    }
    for name, items in documents.items():
        for number, data in enumerate(items):
            (folder / f"{name}-{number}").write_bytes(bytes([READERS.index(name)]) + data)
    return folder


def fuzz(target: str, runs: int, corpus: Path, workdir: Path) -> subprocess.CompletedProcess:
    work = workdir / target
    work.mkdir()
    command = [sys.executable, str(TARGETS), target, f"-runs={runs}", "-seed=7", "-max_len=4096", "-rss_limit_mb=2048",
               f"-artifact_prefix={work}/", str(work), str(corpus)]
    return subprocess.run(command, capture_output=True, text=True, timeout=900, cwd=work)


@pytest.mark.parametrize("target", sorted(RUNS))
def test_fuzz_target_finds_nothing(target, corpus, tmp_path):
    done = fuzz(target, RUNS[target], corpus, tmp_path)
    tail = "\n".join(done.stderr.splitlines()[-40:])
    assert done.returncode == 0, tail
    assert f"Done {RUNS[target]} runs" in done.stderr, tail
