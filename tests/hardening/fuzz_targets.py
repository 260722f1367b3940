"""Coverage-guided fuzzing with atheris (libFuzzer): readers, cleaning, figures and dates.

    python tests/hardening/fuzz_targets.py readers -runs=100000 [corpus folder...]
    python tests/hardening/fuzz_targets.py clean -max_total_time=600

Targets (the first byte of an input chooses the reader or the language):
  readers  every reader on the bytes, as is and gzipped: articles or InputError, nothing else
  clean    cleaning the bytes as text: lossless and idempotent
  parsers  figures and dates of the bytes as text, with a reference day read from them: never raise

A finding stops the run with the input written to crash-<sha1> (libFuzzer's
usual way); test_fuzzing.py runs each target for a bounded number of inputs.
"""

from __future__ import annotations

import gzip
import re
import sys
from datetime import date, timedelta

import atheris

with atheris.instrument_imports(include=["recoupe"]):
    from recoupe.article import Article
    from recoupe.analyse.dates import extract_dates
    from recoupe.analyse.figures import extract_figures
    from recoupe.clean import CleanOptions, clean_article
    from recoupe.clean.blocks import EDGE_BLANKS
    from recoupe.errors import InputError
    from recoupe.ingest import IngestOptions
    from recoupe.ingest.inputs import GZIP_MAGIC, InputSource, memory_opener
    from recoupe.ingest.sources import READERS

READER_NAMES = sorted(READERS)
EXTENSIONS = {"text": ".txt", "html": ".html", "jsonl": ".jsonl", "json": ".json", "feed": ".xml", "warc": ".warc"}
OPTIONS = IngestOptions(max_bytes=1_000_000)
CLEAN_OPTIONS = CleanOptions()
_BLANKS = re.compile("[" + re.escape(EDGE_BLANKS) + "]+")


def _read(name: str, data: bytes) -> None:
    source = InputSource(name="fuzz" + EXTENSIONS[name], stem="fuzz", open_raw=memory_opener(data), read_at="now",
                         size=len(data), extension=EXTENSIONS[name], compressed=data.startswith(GZIP_MAGIC))
    try:
        for item in READERS[name](source, OPTIONS):
            if not isinstance(item, (Article, InputError)):
                raise AssertionError(f"{name} yielded a {type(item).__name__}")
    except InputError:
        pass


def readers(data: bytes) -> None:
    if not data:
        return
    name = READER_NAMES[data[0] % len(READER_NAMES)]
    body = data[1:]
    _read(name, body)
    if data[0] & 0x80:
        _read(name, gzip.compress(body, mtime=0))


def _tokens(text: str) -> list[str]:
    return [t for t in _BLANKS.split(text) if t]


def clean(data: bytes) -> None:
    text = data.decode("utf-8", errors="replace")
    article = clean_article(Article(id="f", source="fuzz", input_text=text), CLEAN_OPTIONS)
    left = list(text)
    for removal in article.removed:
        end = removal.position + len(removal.text)
        if text[removal.position:end] != removal.text or any(c is None for c in left[removal.position:end]):
            raise AssertionError(f"removal not at its offset, or overlapping: {removal}")
        left[removal.position:end] = [None] * (end - removal.position)
    if _tokens("".join(" " if c is None else c for c in left)) != _tokens(article.text):
        raise AssertionError("kept text and removals do not give back the input")
    again = clean_article(Article(id="f", source="fuzz", input_text=article.text, title=article.title), CLEAN_OPTIONS)
    if again.removed or again.text != article.text or again.title != article.title:
        raise AssertionError("cleaning a cleaned text changed it")


def parsers(data: bytes) -> None:
    if len(data) < 3:
        return
    language = ("fr", "en", "de", "")[data[0] % 4]
    days = int.from_bytes(data[1:3], "big") * 56  # 0 .. about 3.67 million days: the whole calendar
    reference = date.min + timedelta(days=min(days, (date.max - date.min).days))
    text = data[3:].decode("utf-8", errors="replace")
    extract_figures(text, language)
    extract_dates(text, reference, language)
    extract_dates(text, None, language)


TARGETS = {"readers": readers, "clean": clean, "parsers": parsers}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    main()
