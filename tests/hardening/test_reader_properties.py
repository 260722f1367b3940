"""Every reader, for any bytes: articles, or the project's own InputError, and nothing else.

Each reader is called directly (not through `read_source`, whose catch-all
would hide a crash) on documents of its own format built from their parts,
damaged and gzipped at random, and on documents of the other formats. What
comes out must be storable: text UTF-8 can hold, the sha256 of the raw bytes.
Then the same bytes go through the whole ingest path from a file on disk and
into a store, so the engine takes whatever a reader gives.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reader_inputs import FORMATS, any_input
from recoupe.article import Article
from recoupe.engine import Engine
from recoupe.errors import InputError
from recoupe.ingest import IngestOptions
from recoupe.ingest.inputs import GZIP_MAGIC, InputSource, memory_opener
from recoupe.ingest.sources import READERS, read_source
from recoupe.pipeline import CleanStep, Pipeline
from recoupe.store import Store

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")  # large generated inputs

EXAMPLES_PER_READER = 400
OPTIONS = IngestOptions(max_bytes=200_000)
EXTENSIONS = {"text": ".txt", "html": ".html", "jsonl": ".jsonl", "json": ".json", "feed": ".xml", "warc": ".warc"}


def source_of(data: bytes, extension: str) -> InputSource:
    return InputSource(name=f"input{extension}", stem="input", open_raw=memory_opener(data), read_at="2024-11-13T00:00:00",
                       size=len(data), extension=extension, compressed=data.startswith(GZIP_MAGIC))


def assert_storable(article: Article) -> None:
    assert article.id and isinstance(article.id, str)
    assert article.raw_sha256 == hashlib.sha256(article.raw).hexdigest()
    assert article.input_text.strip()
    for value in (article.id, article.source, article.title or "", article.input_text, article.byline or "",
                  article.site or "", article.url or ""):
        value.encode("utf-8")  # no lone surrogate: the store and the pages hold UTF-8


@pytest.mark.parametrize("reader", sorted(READERS))
def test_each_reader_yields_articles_or_raises_only_input_error(reader):
    @settings(max_examples=EXAMPLES_PER_READER, deadline=None, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(data=st.one_of(any_input(reader), any_input(None)))
    def check(data):
        try:
            for item in READERS[reader](source_of(data, EXTENSIONS[reader]), OPTIONS):
                assert isinstance(item, (Article, InputError)), type(item)
                if isinstance(item, InputError):
                    assert str(item).isprintable()
        except InputError as exc:
            assert exc.source == f"input{EXTENSIONS[reader]}" and str(exc).isprintable()

    check()


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=any_input(None), extension=st.sampled_from(["", *EXTENSIONS.values(), ".gz"]))
def test_reading_by_content_names_every_failure(data, extension):
    """Through the format choice: no failure is left to the catch-all ("cannot read as ...")."""
    for item in read_source(source_of(data, extension), OPTIONS):
        if isinstance(item, InputError):
            assert "cannot read as" not in str(item), str(item)
            assert str(item).isprintable()
        else:
            assert_storable(item)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                    HealthCheck.function_scoped_fixture])
@given(documents=st.lists(st.tuples(st.sampled_from(sorted(FORMATS)), st.data()), min_size=1, max_size=4))
def test_whatever_readers_give_goes_into_the_store(tmp_path_factory, documents):
    """Files on disk (odd names too), read and cleaned by the engine into a store: every article stored once."""
    folder = tmp_path_factory.mktemp("inputs")
    names = ["a", "é è", "caf\udce9", "-dash", "<b>", "line\nbreak"]  # "caf\udce9": the byte 0xE9, not UTF-8
    for number, (kind, data) in enumerate(documents):
        payload = data.draw(any_input(kind))
        name = f"{names[number % len(names)]}-{number}{EXTENSIONS[kind]}"
        (folder / name).write_bytes(payload)
    with Store(tmp_path_factory.mktemp("store") / "r.db") as store:
        summary = Engine(None, store, steps=Pipeline(prepare=[CleanStep()])).ingest([str(folder)])
        ids = store.article_ids()
        assert len(ids) == len(set(ids)) == summary.stored
        for article in store.iter_articles(with_raw=True):
            assert_storable(article)
        errors = store.input_errors(summary.run_id)
        assert len(errors) == len(summary.input_errors)
