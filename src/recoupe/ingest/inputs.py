"""One input as the readers see it: a name, a way to open its bytes, and bounds.

Files, stdin and fetched URLs all become an `InputSource`, so a reader does
not care where the bytes came from. Reading is always bounded: nothing is
pulled into memory past `max_bytes`, compressed or not.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import os
import re
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import BinaryIO, Callable
from urllib.parse import urlsplit

from ..errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
_CHUNK = 1 << 20


@dataclass
class InputSource:
    """`open_raw` gives the bytes as stored; `open` the same bytes decompressed
    when the input is gzip. `stem` is the base of article ids."""

    name: str
    stem: str
    open_raw: Callable[[], BinaryIO]
    read_at: str
    size: int | None = None  # stored size, when known without reading
    extension: str = ""  # lower-case, of the name less any ".gz": ".txt", ".warc"...
    compressed: bool = False
    declared_charset: str | None = None  # from an HTTP Content-Type
    url: str | None = None  # when the bytes were fetched from a URL
    meta: dict = field(default_factory=dict)  # copied into each article's meta (HTTP content type...)

    def open(self) -> BinaryIO:
        stream = self.open_raw()
        if self.compressed:
            return gzip.GzipFile(fileobj=stream, mode="rb")  # type: ignore[return-value]
        return stream

    def read_all(self, max_bytes: int) -> bytes:
        """All the (decompressed) bytes, or InputError when they pass `max_bytes`."""
        if not self.compressed and self.size is not None and self.size > max_bytes:
            raise InputError(self.name, f"larger than max_bytes ({self.size} > {max_bytes} bytes)")
        with self.open_raw() as raw:
            stream = gzip.GzipFile(fileobj=raw, mode="rb") if self.compressed else raw
            data = read_bounded(stream, max_bytes, self.name)
        return data


def read_bounded(stream: BinaryIO, max_bytes: int, name: str) -> bytes:
    """Read to the end, refusing (InputError) past max_bytes; gzip damage is an InputError too."""
    buffer = io.BytesIO()
    total = 0
    try:
        while True:
            chunk = stream.read(min(_CHUNK, max_bytes + 1 - total))
            if not chunk:
                break
            total += len(chunk)
            if total > max_bytes:
                raise InputError(name, f"larger than max_bytes ({max_bytes} bytes)")
            buffer.write(chunk)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise InputError(name, f"truncated or corrupt gzip data: {describe(exc)}") from exc
    except OSError as exc:
        raise InputError(name, f"cannot read: {os_reason(exc)}") from exc
    return buffer.getvalue()


_UNPRINTABLE = re.compile(r"[^\S ]+|[\x00-\x1f\x7f-\x9f]")


def describe(exc: object, limit: int = 160) -> str:
    """An exception as a short one-line phrase, safe to print whatever bytes it quotes."""
    text = _UNPRINTABLE.sub(" ", str(exc)).strip()
    if not text.isprintable():
        text = text.encode("ascii", "backslashreplace").decode("ascii")
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text or type(exc).__name__


def os_reason(exc: OSError) -> str:
    """An OS error in a few lower-case words: "no such file or directory", "permission denied"."""
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return (exc.strerror or str(exc)).lower()


def memory_opener(data: bytes) -> Callable[[], BinaryIO]:
    return lambda: io.BytesIO(data)


_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}$")


def split_name(name: str) -> tuple[str, str, bool]:
    """(stem, extension, gzipped) of a file name: "a.warc.gz" -> ("a", ".warc", True).

    Only a short alphanumeric suffix counts as an extension, so "Dr. Who" keeps its name.
    Folders are split off by this system's separators only: on POSIX a backslash is
    a character of the name ("back\\slash.txt" is the id "back\\slash").
    """
    base = os.path.basename(name)
    gzipped = base.lower().endswith(".gz")
    if gzipped:
        base = base[:-3]
    match = _EXTENSION.search(base)
    if match and match.start() > 0:
        return base[: match.start()], match.group(0).lower(), gzipped
    return base or "input", "", gzipped


def url_stem(url: str) -> str:
    """A readable, stable id base for a URL: host and last path segment."""
    parts = urlsplit(url)
    last = PurePosixPath(parts.path).name
    stem, _, _ = split_name(last) if last else ("", "", False)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.hostname or ''}-{stem}").strip("-")
    return slug[:80] or short_hash(url)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _escape_surrogate(match: re.Match[str]) -> str:
    point = ord(match.group())
    if 0xDC80 <= point <= 0xDCFF:  # a byte of a file name that is not UTF-8 (os.fsdecode's surrogateescape)
        return f"\\x{point - 0xDC00:02x}"
    return f"\\u{point:04x}"  # a lone surrogate, as JSON's "\ud800" gives


def valid_text(text: str) -> str:
    """`text` with every lone surrogate written out as an escape: what UTF-8 (the store, a page) can hold.

    File names that are not UTF-8 and JSON escapes of half a character give
    such strings; "caf\\xe9.txt" keeps the name readable and stable.
    """
    return _SURROGATE.sub(_escape_surrogate, text) if _SURROGATE.search(text) else text


def valid_value(value: object) -> object:
    """`valid_text` through the strings, lists and dicts of a metadata value."""
    if isinstance(value, str):
        return valid_text(value)
    if isinstance(value, dict):
        return {valid_value(k): valid_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [valid_value(v) for v in value]
    return value


def short_hash(text: str, length: int = 12) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]
