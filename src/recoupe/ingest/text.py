"""Plain-text files: one file, one article, its own line structure kept."""

from __future__ import annotations

from typing import Iterator

from ..article import Article
from ..errors import InputError
from .decode import decode_bytes
from .inputs import InputSource
from .options import IngestOptions


def read_text(source: InputSource, options: IngestOptions) -> Iterator[Article | InputError]:
    """The title is left to the cleaning step, which knows furniture from headlines."""
    data = source.read_all(options.max_bytes)
    yield Article(
        id=source.stem,
        source=source.name,
        raw=data,
        format="text",
        url=source.url,
        input_text=decode_bytes(data, source.name, declared=source.declared_charset),
        read_at=source.read_at,
        meta=dict(source.meta),
    )
