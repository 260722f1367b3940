"""Which 8-bit or legacy encoding bytes that are not UTF-8 are in.

charset-normalizer proposes the candidates. On a short article it often
ranks a wrong code page first: French read as Baltic ("secrÄtaire"), Czech
as Nordic. Among the candidates it finds plausible, the one kept is the one
whose accented letters all belong to one language's alphabet (or to one
script), since a wrong code page scatters letters across alphabets or into
symbols ("wezwa³"). Ties go to charset-normalizer's choice when it
recognised a language in it, else to Windows-1252, the Western default that
browsers also fall back to.
"""

from __future__ import annotations

import codecs
import unicodedata

import charset_normalizer

# Encodings a web page may declare that browsers read as windows-1252 (WHATWG).
_READ_AS_CP1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "iso_8859-1", "cp819"}

# Accented letters of the languages written in Latin script that 8-bit code pages serve.
_ALPHABETS = [
    set(letters)
    for letters in (
        "àâæçéèêëîïôœùûüÿ",  # French
        "äöüß",  # German
        "áéíóúñüç",  # Spanish, Catalan
        "áâãàçéêíóôõú",  # Portuguese
        "àèéìíòóù",  # Italian
        "ąćęłńóśźż",  # Polish
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "áéíóöőúüű",  # Hungarian
        "ăâîșțşţ",  # Romanian
        "çğıöşüâîİ",  # Turkish ("İ" stays upper case: its lower case is two characters)
        "æøåéü",  # Danish, Norwegian
        "åäöé",  # Swedish, Finnish
        "áðéíóúýþæö",  # Icelandic, Faroese
        "ąčęėįšųūžāēģīķļņōŗ",  # Baltic
        "čćđšž",  # Croatian, Slovene, Bosnian
        "ëç",  # Albanian
        "ĉĝĥĵŝŭ",  # Esperanto
        "ŵŷ",  # Welsh
        "ÿœ",
    )
]
_PUNCTUATION = set("’‘‚“”„«»‹›–—…€£¥°•·\u00a0\u202f\u2009©®™§¶†‡‰¿¡×")
# Unicode name prefixes of scripts; the East Asian ones mix in one text (kanji, kana, full-width punctuation).
_SCRIPTS = {
    "CYRILLIC": "CYRILLIC", "GREEK": "GREEK", "ARABIC": "ARABIC", "HEBREW": "HEBREW", "THAI": "THAI",
    "DEVANAGARI": "DEVANAGARI", "ARMENIAN": "ARMENIAN", "GEORGIAN": "GEORGIAN",
    "CJK": "EAST ASIAN", "HIRAGANA": "EAST ASIAN", "KATAKANA": "EAST ASIAN", "HANGUL": "EAST ASIAN",
    "IDEOGRAPHIC": "EAST ASIAN", "FULLWIDTH": "EAST ASIAN", "HALFWIDTH": "EAST ASIAN",
}
_SAMPLE = 262144  # bytes the guesser sees
_SCORED = 16384  # bytes each candidate decoding is scored on
_CANDIDATES = 8
_TRUSTED_COHERENCE = 0.3  # charset-normalizer's share of the text that reads as its detected language


def usable_codec(name: str | None) -> str | None:
    """A declared charset as a Python codec name; ISO-8859-1 and ASCII read as windows-1252."""
    if not name:
        return None
    name = name.strip().strip("\"'").lower()
    if name in _READ_AS_CP1252:
        return "cp1252"
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _script(char: str) -> str | None:
    name = unicodedata.name(char, "")
    return next((script for prefix, script in _SCRIPTS.items() if name.startswith(prefix)), None)


def alphabet_consistency(text: str) -> float:
    """Share of the non-ASCII characters that fit the one alphabet or script fitting most of them."""
    unusual = [c for c in text if ord(c) > 127]
    if not unusual:
        return 1.0
    # lower() may give two characters ("İ" -> "i̇"): those keep their case
    lowered = [c.lower() if len(c.lower()) == 1 else c for c in unusual if c not in _PUNCTUATION]
    punctuation = len(unusual) - len(lowered)
    best = max((sum(c in alphabet for c in lowered) for alphabet in _ALPHABETS), default=0)
    scripts: dict[str, int] = {}
    for char in lowered:
        script = _script(char) if char.isalpha() or unicodedata.category(char).startswith("P") else None
        if script:
            scripts[script] = scripts.get(script, 0) + 1
    best = max(best, max(scripts.values(), default=0))
    return (best + punctuation) / len(unusual)


def guess_encoding(data: bytes) -> str | None:
    """The encoding to read non-UTF-8 bytes with, or None when nothing reads them as text."""
    matches = charset_normalizer.from_bytes(data[:_SAMPLE])
    best = matches.best()
    if best is None:
        return None
    # First wins a tie. The guesser's choice comes first when it recognised a language in it
    # (Turkish, not the Icelandic that Windows-1252 would make of it); otherwise the Western
    # defaults do (Latin-9 has "€" and "œ" where Latin-1 has "¤" and "½").
    western = ["cp1252", "iso8859_15"]
    if best.coherence >= _TRUSTED_COHERENCE:
        candidates = [best.encoding] + western
    else:
        candidates = western + [best.encoding]
    candidates += [m.encoding for m in matches][:_CANDIDATES]
    sample = data[:_SCORED]
    best_encoding, best_score = None, -1.0
    for encoding in dict.fromkeys(candidates):  # in order, without repeats
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            if encoding == "cp1252" or len(sample) == len(data):
                continue
            text = sample.decode(encoding, errors="ignore")  # a multi-byte character cut at the sample's end
        score = alphabet_consistency(text)
        if score > best_score + 1e-9:
            best_encoding, best_score = encoding, score
    return best_encoding
