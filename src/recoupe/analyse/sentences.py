"""Sentence splitting by rule, for any language.

spaCy's parser splits on names it does not know ("Andriï | Sybiga") and costs
most of the pipeline's time; news prose is regular enough for rules: a
sentence ends at . ! ? … (and a closing quote after them) followed by a space
and a capital, a digit or an opening quote, except after abbreviations and
initials.
"""

from __future__ import annotations

import re

from ..article import Sentence

# Abbreviations after which a full stop does not end a sentence (fr, en, de, es, it).
_ABBREVIATIONS = {
    "m", "mm", "mme", "mmes", "mlle", "dr", "pr", "me", "mgr", "st", "ste", "mr", "mrs", "ms", "prof",
    "gen", "gén", "col", "lt", "sgt", "capt", "gov", "sen", "rep", "jr", "sr", "inc", "ltd", "co", "corp",
    "av", "bd", "etc", "cf", "vs", "env", "no", "nº", "art", "vol", "p", "pp", "ex", "fig", "hr", "herr",
    "frau", "sra", "sr", "dña", "sig", "u.s", "n.y", "ap", "janv", "févr", "avr", "juil", "sept", "oct",
    "nov", "déc", "jan", "feb", "mar", "apr", "aug", "sep", "dec",
}

_END = re.compile(r"""[.!?…]+(?:[\s\u00a0\u202f]?[»"”’)\]])*\s+""")
_NEXT_STARTS_SENTENCE = re.compile(r"""[«"“‘(\[¿¡–—-]?\s*[A-ZÀ-ÖØ-Þ0-9ĀĂĄĆČĎĐĒĖĘĚĞĢĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŘŚŞŠŢŤŪŮŰŲŸŹŻŽ]""")
_WORD_BEFORE = re.compile(r"""(\S+)$""")


def _is_abbreviation(before: str) -> bool:
    match = _WORD_BEFORE.search(before)
    if not match:
        return False
    word = match.group(1).lstrip("«\"“(‘[").lower()
    if len(word) == 1 and word.isalpha():  # an initial: "J. Biden"
        return True
    return word.rstrip(".") in _ABBREVIATIONS


def split_paragraph(paragraph: str) -> list[tuple[int, int]]:
    """(start, end) spans of the sentences of one paragraph, stripped of surrounding spaces."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in _END.finditer(paragraph):
        end_punct = match.start()
        nxt = match.end()
        if nxt >= len(paragraph) or not _NEXT_STARTS_SENTENCE.match(paragraph, nxt):
            continue
        if paragraph[end_punct] == "." and _is_abbreviation(paragraph[start:end_punct]):
            continue
        spans.append((start, match.end()))
        start = nxt
    spans.append((start, len(paragraph)))
    out = []
    for s, e in spans:
        while s < e and paragraph[s].isspace():
            s += 1
        while e > s and paragraph[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a cleaned body whose paragraphs are separated by blank lines; offsets into `text`."""
    sentences: list[Sentence] = []
    paragraph_index = 0
    for match in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text):
        block = match.group(0)
        if not block.strip():
            continue
        for s, e in split_paragraph(block):
            start = match.start() + s
            end = match.start() + e
            sentences.append(Sentence(len(sentences), paragraph_index, start, end, text[start:end]))
        paragraph_index += 1
    return sentences
