"""Where inputs come from: files, folders (walked in a fixed order), stdin, feed URLs.

Each input turns into `InputSource`s, each goes to the reader its content
calls for, and anything that goes wrong becomes one InputError for that input
while the others go on.
"""

from __future__ import annotations

import os
import socket
import stat
import sys
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path
from typing import BinaryIO, Callable, Iterable, Iterator

from ..article import Article
from ..errors import InputError
from .dates import now_utc
from .feed import read_feed
from .html import read_html
from .inputs import (
    InputSource, describe, memory_opener, os_reason, read_bounded, short_hash, split_name, url_stem, valid_text, valid_value,
)
from .jsonl import read_json, read_jsonl
from .options import IngestOptions
from .sniff import KNOWN_EXTENSIONS, choose_format
from .text import read_text
from .warc import read_warc

Reader = Callable[[InputSource, IngestOptions], Iterator["Article | InputError"]]
READERS: dict[str, Reader] = {
    "text": read_text,
    "html": read_html,
    "jsonl": read_jsonl,
    "json": read_json,
    "feed": read_feed,
    "warc": read_warc,
}
STDIN_NAME = "<stdin>"
_ACCEPT = "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
_TYPE_EXTENSIONS = {
    "application/rss+xml": ".xml", "application/atom+xml": ".xml", "application/xml": ".xml", "text/xml": ".xml",
    "text/html": ".html", "application/xhtml+xml": ".html", "application/json": ".json",
    "application/x-ndjson": ".jsonl", "application/jsonl": ".jsonl", "text/plain": ".txt",
    "application/warc": ".warc",
}


def read_inputs(
    inputs: Iterable[str], options: IngestOptions, stdin: BinaryIO | None = None
) -> Iterator[Article | InputError]:
    """Articles from every input, in order; an InputError in place of whatever cannot be read.

    Ids are unique within one call: an id met twice (two folders holding
    "a.txt") gets a suffix derived from its source, so it is stable across runs.
    """
    if isinstance(inputs, (str, bytes, os.PathLike)):
        inputs = [os.fsdecode(inputs)]  # one input, not its characters
    seen: set[str] = set()
    for given in inputs:
        for item in _read_input(os.fsdecode(given), options, stdin):
            item = _valid_unicode(item)
            if isinstance(item, Article):
                if item.id in seen:
                    base = f"{item.id}-{short_hash(item.source + str(item.meta.get('locator', '')), 8)}"
                    item.id, number = base, 2
                    while item.id in seen:
                        item.id, number = f"{base}-{number}", number + 1
                seen.add(item.id)
            yield item


_TEXT_FIELDS = ("id", "source", "format", "url", "site", "title", "input_text", "language", "published", "updated",
                "byline", "read_at")


def _valid_unicode(item: Article | InputError) -> Article | InputError:
    """Strings that UTF-8 can hold, whatever the file name or the JSON escapes gave: the store and pages need them."""
    if isinstance(item, InputError):
        source, problem = valid_text(item.source), valid_text(item.problem)
        return item if (source, problem) == (item.source, item.problem) else InputError(source, problem, item.offset)
    for name in _TEXT_FIELDS:
        value = getattr(item, name)
        if isinstance(value, str):
            setattr(item, name, valid_text(value))
    item.meta = valid_value(item.meta)  # type: ignore[assignment]
    return item


def _read_input(given: str, options: IngestOptions, stdin: BinaryIO | None) -> Iterator[Article | InputError]:
    if given == "-":
        try:
            source = _stdin_source(stdin, options)
        except InputError as exc:
            yield exc
            return
        yield from read_source(source, options)
    elif given.lower().startswith(("http://", "https://")):
        try:
            source = fetch_url(given, options)
        except InputError as exc:
            yield exc
            return
        yield from read_source(source, options)
    else:
        yield from _read_path(given, options)


def read_source(source: InputSource, options: IngestOptions) -> Iterator[Article | InputError]:
    """Choose the reader and run it; whatever it raises becomes one InputError for this source."""
    kind = "input"
    try:
        kind = choose_format(source)
        yield from READERS[kind](source, options)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(source.name, f"cannot read: {os_reason(exc)}")
    except Exception as exc:  # a parser choking on hostile bytes must not stop the other inputs
        yield InputError(source.name, f"cannot read as {kind}: {type(exc).__name__}: {describe(exc)}")


# -- files and folders ---------------------------------------------------------------------


def _file_source(name: str, size: int) -> InputSource:
    stem, extension, _ = split_name(name)
    return InputSource(
        name=name, stem=stem, open_raw=lambda: open(name, "rb"), read_at=now_utc(), size=size, extension=extension,
    )


def _read_path(given: str, options: IngestOptions) -> Iterator[Article | InputError]:
    try:
        info = os.stat(given)
    except OSError as exc:
        yield InputError(given, os_reason(exc))
        return
    if stat.S_ISDIR(info.st_mode):
        found = False
        for item in walk_folder(given, options.follow_symlinks):
            found = True
            if isinstance(item, InputError):
                yield item
                continue
            yield from read_source(_file_source(*item), options)
        if not found:
            yield no_known_file(given)
    elif stat.S_ISREG(info.st_mode):
        yield from read_source(_file_source(given, info.st_size), options)
    else:
        yield InputError(given, "not a regular file or folder")


def wanted(name: str) -> bool:
    """Whether a file name in a folder is of a format read (the others are skipped)."""
    return split_name(name)[1] in KNOWN_EXTENSIONS


def no_known_file(given: str) -> InputError:
    known = " ".join(sorted(KNOWN_EXTENSIONS))
    return InputError(given, f"folder holds no file of a known format ({known}, or these .gz)")


def walk_folder(folder: str, follow_symlinks: bool, visiting: set[str] | None = None) -> Iterator[tuple[str, int] | InputError]:
    """(path, size) of the files of known formats under `folder`, sorted by name at each level; hidden
    names skipped. Both engines list folders with it, so they read the same files in the same order.

    Symbolic links are skipped unless `follow_symlinks`; folders are tracked by
    their real path, so a link back up the tree (or a second link to a folder
    already read) is not walked again.
    """
    visiting = set() if visiting is None else visiting
    real = os.path.realpath(folder)
    if real in visiting:
        return
    visiting.add(real)
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: e.name)
    except OSError as exc:
        yield InputError(folder, f"cannot list folder: {os_reason(exc)}")
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        path = os.path.join(folder, entry.name)
        try:
            if entry.is_symlink() and not follow_symlinks:
                continue
            if entry.is_dir(follow_symlinks=True):
                yield from walk_folder(path, follow_symlinks, visiting)
            elif entry.is_file(follow_symlinks=True) and wanted(entry.name):
                yield path, entry.stat(follow_symlinks=True).st_size
            elif entry.is_symlink() and wanted(entry.name) and not os.path.exists(path):
                yield InputError(path, "broken symbolic link")
        except OSError as exc:
            yield InputError(path, os_reason(exc))


# -- stdin and URLs --------------------------------------------------------------------------


def _stdin_source(stdin: BinaryIO | None, options: IngestOptions) -> InputSource:
    stream = stdin if stdin is not None else getattr(sys.stdin, "buffer", None)
    if stream is None:
        raise InputError(STDIN_NAME, "no standard input to read")
    data = read_bounded(stream, options.max_bytes, STDIN_NAME)
    return InputSource(
        name=STDIN_NAME, stem="stdin", open_raw=memory_opener(data), read_at=now_utc(), size=len(data)
    )


def fetch_url(url: str, options: IngestOptions) -> InputSource:
    """The bytes at `url`, fetched once with a timeout and a size bound."""
    request = urllib.request.Request(url, headers={"User-Agent": options.user_agent, "Accept": _ACCEPT})
    read_at = now_utc()
    try:
        with urllib.request.urlopen(request, timeout=options.timeout_seconds) as response:
            length = response.headers.get("Content-Length")
            if length and length.isdigit() and int(length) > options.max_bytes:
                raise InputError(url, f"larger than max_bytes ({length} > {options.max_bytes} bytes)")
            data = read_bounded(response, options.max_bytes, url)
            final_url = response.geturl()
            content_type = response.headers.get_content_type()
            charset = response.headers.get_content_charset()
    except urllib.error.HTTPError as exc:
        raise InputError(url, f"HTTP error {exc.code} {describe(exc.reason)}") from exc
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, (socket.timeout, TimeoutError)):
            raise InputError(url, f"timed out after {options.timeout_seconds} s") from exc
        raise InputError(url, f"cannot fetch: {describe(reason) if isinstance(reason, BaseException) else reason}") from exc
    except (socket.timeout, TimeoutError) as exc:
        raise InputError(url, f"timed out after {options.timeout_seconds} s") from exc
    except (OSError, ValueError) as exc:
        raise InputError(url, f"cannot fetch: {describe(exc)}") from exc
    _, extension, _ = split_name(Path(urllib.parse.urlsplit(final_url).path).name or "")
    if extension not in KNOWN_EXTENSIONS:
        extension = _TYPE_EXTENSIONS.get(content_type, "")
    return InputSource(
        name=url, stem=url_stem(url), open_raw=memory_opener(data), read_at=read_at, size=len(data),
        extension=extension, declared_charset=charset, url=final_url,
        meta={"content_type": content_type, **({"fetched_from": final_url} if final_url != url else {})},
    )
