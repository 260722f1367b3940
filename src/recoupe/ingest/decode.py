"""Bytes to clean Unicode text, whatever the encoding the bytes came in.

Every reader goes through here so that later steps see one normal form:
LF line ends, NFC, no control characters, mojibake repaired. No-break and
thin spaces are kept as they are: French figures ("14 000") are written with
them and the figure reader relies on it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

import ftfy
import ftfy.fixes

from ..errors import InputError
from .encoding import guess_encoding, usable_codec

# Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_SAMPLE = 65536
# Bytes that never occur in text in any 8-bit or UTF-8 encoding: C0 controls but TAB, LF, VT, FF, CR, ESC.
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13, 27)) + b"\x7f"
_BINARY_RATIO = 0.02

# A UTF-8 lead byte read as Latin-1/cp1252, followed by a continuation byte read the same way:
# the signature of mojibake. Cheap to search; ftfy only runs on lines where it hits.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_FTFY = ftfy.TextFixerConfig(
    unescape_html=False,
    uncurl_quotes=False,  # typographic quotes are the text's own, not damage
    fix_character_width=False,
    normalization="NFC",
    explain=False,
)
_TERMINAL_ESCAPES = re.compile("\x1b\\[[0-9;?]*[A-Za-z]")
# Controls (C0 but TAB/LF, DEL, C1), BOMs inside the text, lone surrogates, noncharacters.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ufeff\ufffe\uffff\ud800-\udfff]")
_LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c\u2028]")
_C1 = re.compile("[\x80-\x9f]")


def looks_binary(data: bytes) -> bool:
    """NUL bytes, or more than a few bytes that no text encoding uses."""
    sample = data[:_SAMPLE]
    if b"\x00" in sample:
        return True
    if not sample:
        return False
    odd = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return odd / len(sample) > _BINARY_RATIO


def _bom_encoding(data: bytes) -> str | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return encoding
    return None


def decode_bytes(data: bytes, source: str, declared: str | None = None) -> str:
    """Decode and normalise; raises InputError for empty or binary input.

    Order of trust: a byte-order mark, then strict UTF-8, then the charset the
    container declared (HTTP header, <meta charset>), then a guess.
    """
    if not data.strip():
        raise InputError(source, "empty input")
    encoding = _bom_encoding(data)
    if encoding is None:
        if looks_binary(data):
            raise InputError(source, "binary file, not text")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
        if text is None:
            encoding = usable_codec(declared)
            if encoding is not None and encoding.replace("_", "-") in ("utf-8", "utf8"):
                encoding = None  # declared UTF-8 but is not: guess instead
            if encoding is None:
                encoding = guess_encoding(data)
            if encoding is None:
                raise InputError(source, "binary file, not text")
            text = data.decode(encoding, errors="replace")
    else:
        text = data.decode(encoding, errors="replace")
    text = normalise_text(text)
    if not text.strip():
        raise InputError(source, "empty input")
    if _unreadable_ratio(text) > _BINARY_RATIO:
        raise InputError(source, "binary file, not text")
    return text


def _unreadable_ratio(text: str) -> float:
    sample = text[:_SAMPLE]
    return sample.count("\ufffd") / max(1, len(sample))


def normalise_text(text: str) -> str:
    """LF line ends, mojibake repaired, controls and spaces at line ends removed, NFC;
    no-break and thin spaces inside lines kept as they are."""
    text = _LINE_BREAKS.sub("\n", text).replace("\u2029", "\n\n")
    text = _TERMINAL_ESCAPES.sub("", text)
    if _C1.search(text):
        # C1 controls in decoded text are Windows-1252 punctuation read as Latin-1 ("l\x92été")
        text = ftfy.fixes.fix_c1_controls(text)
    if not text.isascii() and _MOJIBAKE_HINT.search(text):
        text = "\n".join(
            ftfy.fix_text(line, _FTFY) if _MOJIBAKE_HINT.search(line) else line for line in text.split("\n")
        )
    text = _CONTROLS.sub("", text)
    # spaces at a line's end, no-break ones too, carry nothing (str.rstrip: linear, unlike a lookahead)
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    if not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    return text.strip()
