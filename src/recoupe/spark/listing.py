"""What to read, in reading order: the inputs of a run as a numbered list of files.

The in-process engine reads inputs in the order given, each folder walked
with its entries sorted by name at every level; each file here gets its
number in that same order, so records read in parallel can be put back in
the order the in-process engine reads them.

Local paths are walked on the driver with the in-process rules (hidden
names skipped, symbolic links followed only when `follow_symlinks`, files of
known formats only). Paths with a scheme (hdfs://, s3a://, file:/...) are
listed by Spark through the cluster's Hadoop configuration; Spark's listing
also leaves out names starting with "_". Standard input and feed URLs are
read on the driver and shipped as bytes.
"""

from __future__ import annotations

import os
import re
import stat
import sys
from dataclasses import dataclass, field, fields
from typing import Any, BinaryIO

from ..errors import InputError
from ..ingest import IngestOptions
from ..ingest.dates import now_utc
from ..ingest.inputs import InputSource, os_reason, read_bounded
from ..ingest.sources import STDIN_NAME, fetch_url, no_known_file, walk_folder, wanted

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


@dataclass(frozen=True)
class FileEntry:
    """One file to read. `name` is what articles and errors call it (as the in-process engine
    does); `location` is where an executor opens it: a local path, or a URI for Spark's reader."""

    number: int
    name: str
    location: str
    size: int | None
    remote: bool = False
    data: bytes | None = None  # bytes read on the driver (standard input, a fetched URL)
    source: dict[str, Any] | None = None  # InputSource fields of a fetched URL


@dataclass
class Listing:
    entries: list[FileEntry] = field(default_factory=list)
    errors: list[tuple[int, InputError]] = field(default_factory=list)  # (number, error): in reading order

    def _next(self) -> int:
        return len(self.entries) + len(self.errors)

    def add_file(self, name: str, location: str, size: int | None, **extra: Any) -> None:
        self.entries.append(FileEntry(self._next(), name, location, size, **extra))

    def add_error(self, error: InputError) -> None:
        self.errors.append((self._next(), error))

    @property
    def remote(self) -> list[FileEntry]:
        return [e for e in self.entries if e.remote]

    @property
    def local(self) -> list[FileEntry]:
        return [e for e in self.entries if not e.remote]


def is_uri(given: str) -> bool:
    """A path Spark must read (hdfs://..., s3a://..., file:/...), not a local path or a web URL."""
    lowered = given.lower()
    if lowered.startswith(("http://", "https://")):
        return False
    return bool(_SCHEME.match(given)) and not re.match(r"^[A-Za-z]:[\\/]", given)  # C:\ is a path


def list_inputs(inputs: list[str], options: IngestOptions, spark: Any = None,
                stdin: BinaryIO | None = None) -> Listing:
    """Every file of every input, numbered in reading order; an InputError where an input cannot be listed."""
    listing = Listing()
    for given in inputs:
        given = str(given)
        if given == "-":
            _add_stdin(listing, options, stdin)
        elif given.lower().startswith(("http://", "https://")):
            _add_url(listing, given, options)
        elif is_uri(given):
            if spark is None:
                listing.add_error(InputError(given, "a path with a scheme needs a Spark session to list it"))
            else:
                _add_remote(listing, given, spark)
        else:
            _add_local(listing, given, options)
    return listing


# -- local paths: the in-process walk ------------------------------------------------------------


def _add_local(listing: Listing, given: str, options: IngestOptions) -> None:
    try:
        info = os.stat(given)
    except OSError as exc:
        listing.add_error(InputError(given, os_reason(exc)))
        return
    if stat.S_ISDIR(info.st_mode):
        found = False
        for item in walk_folder(given, options.follow_symlinks):
            found = True
            if isinstance(item, InputError):
                listing.add_error(item)
            else:
                listing.add_file(item[0], item[0], item[1])
        if not found:
            listing.add_error(no_known_file(given))
    elif stat.S_ISREG(info.st_mode):
        listing.add_file(given, given, info.st_size)
    else:
        listing.add_error(InputError(given, "not a regular file or folder"))


# -- standard input and feed URLs: read on the driver ----------------------------------------------


def _add_stdin(listing: Listing, options: IngestOptions, stdin: BinaryIO | None) -> None:
    stream = stdin if stdin is not None else sys.stdin.buffer
    try:
        data = read_bounded(stream, options.max_bytes, STDIN_NAME)
    except InputError as exc:
        listing.add_error(exc)
        return
    listing.add_file(STDIN_NAME, STDIN_NAME, len(data), data=data, source={"stem": "stdin", "read_at": now_utc()})


def _add_url(listing: Listing, url: str, options: IngestOptions) -> None:
    try:
        source = fetch_url(url, options)
    except InputError as exc:
        listing.add_error(exc)
        return
    with source.open_raw() as stream:
        data = stream.read()
    kept = {f.name: getattr(source, f.name) for f in fields(InputSource) if f.name not in ("open_raw", "name")}
    listing.add_file(source.name, url, len(data), data=data, source=kept)


# -- URIs: listed by Spark ---------------------------------------------------------------------------


def _add_remote(listing: Listing, given: str, spark: Any) -> None:
    """Files under a URI, through Spark's (parallel) listing, in the order of a sorted walk."""
    from pyspark.errors import AnalysisException

    try:
        rows = (spark.read.format("binaryFile").option("recursiveFileLookup", "true")
                .load(given).select("path", "length").collect())
    except AnalysisException as exc:
        problem = "no such file or directory" if "PATH_NOT_FOUND" in str(exc) or "does not exist" in str(exc) \
            else f"cannot list: {str(exc).splitlines()[0][:160]}"
        listing.add_error(InputError(given, problem))
        return
    root = given.rstrip("/")
    found = []
    for path, length in rows:
        relative = _relative(path, root)
        if relative is None:  # the input is this file itself: read whatever its name
            found.append(((), path, length))
            continue
        parts = relative.split("/")
        if any(part.startswith(".") for part in parts) or not wanted(parts[-1]):
            continue
        found.append((tuple(parts), path, length))
    if not found:
        listing.add_error(no_known_file(given))
        return
    for _, path, length in sorted(found):
        listing.add_file(path, path, int(length), remote=True)


def _bare(uri: str) -> str:
    return re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*:(//[^/]*)?", "", uri).rstrip("/")


def _relative(path: str, root: str) -> str | None:
    """`path` below `root` (None when it is `root`), whatever form of the scheme each uses (file:/x, file:///x)."""
    inner, base = _bare(path), _bare(root)
    if inner == base:
        return None
    if inner.startswith(base + "/"):
        return inner[len(base) + 1:]
    return inner.lstrip("/")
