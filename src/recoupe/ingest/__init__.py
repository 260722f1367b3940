"""The ingest step: news articles from files, folders, stdin and feed URLs.

One reader per format (text, html, jsonl, feed, warc), chosen by content and
name (sniff.py). Everything is read with bounds and every failure is an
`InputError` yielded in place of the articles, never raised, so one bad
input does not stop the others:

    for item in read_inputs(["corpus/", "feed.xml", "-"], options.typed("ingest", IngestOptions)):
        if isinstance(item, InputError): print(item)  # "path: problem", one line
        else: store(item)
"""

from __future__ import annotations

from .options import IngestOptions
from .sources import read_inputs, read_source

__all__ = ["IngestOptions", "read_inputs", "read_source"]
