"""Marks a machine translation leaves in a text, each with the evidence it rests on.

No single mark proves a machine translated the text, so the signal needs
several kinds at once (`ReuseOptions.mt_min_cues`). The marks, read from the
text alone:

- dateline-elsewhere: the article is datelined from a place its own text never
  names, the way an outlet abroad datelines what it relays ("JAKARTA -" over a
  story set in Brussels);
- english-transliteration: a name spelt the English way in a text that is not
  English ("Zelenskiy": "-iy" renders a Slavic ending only in English);
- calque: a reporting formula translated word for word from English
  ("parlant sous condition d'anonymat" for "speaking on condition of
  anonymity", where French says "sous couvert d'anonymat");
- broken-boundary: a full stop followed by a lower-case word inside a
  paragraph ("a déclaré un responsable américain. officiellement, parlant"),
  which translation engines leave where the source had an abbreviation or a
  line break.

The lists behind the calques are short and French-only: the project reads
French press first; other languages get the language-independent marks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..article import Article
from .align import fold

# French renderings of English agency formulas, folded (no accents, ASCII apostrophes).
_CALQUES_FR = [
    (re.compile(r"\bparlant sous (?:la |les |une )?conditions? d'anonymat"), "speaking on condition of anonymity"),
    (re.compile(r"\bsur (?:la |une )?condition d'anonymat"), "on condition of anonymity"),
    (re.compile(r"\ba declare (?:a|aux) (?:des )?journalistes? sous condition"), "told reporters on condition"),
    (re.compile(r"\bplus tot (?:ce|cette) (?:semaine|mois|annee)\b"), "earlier this week/month/year"),
    (re.compile(r"\ben charge de la (?:diplomatie|defense)\b.{0,40}\bsecretaire"), "in charge of ... secretary"),
]
_ENGLISH_ENDING = re.compile(r"\b[A-Z][a-z]{3,}iy\b")
_BROKEN_BOUNDARY = re.compile(r"\b([a-zà-öø-ÿ]{4,})\. ([a-zà-öø-ÿ]{4,})\b")
_NOT_SENTENCE_END = {"etc", "env", "cf", "resp", "vol", "chap"}


@dataclass(frozen=True)
class Cue:
    kind: str
    evidence: str


def machine_translation_cues(article: Article) -> list[Cue]:
    """Every mark of machine translation found in the article's text, one per kind."""
    text = article.text or ""
    language = article.language or ""
    cues: list[Cue] = []
    dateline = (article.dateline or "").strip()
    if dateline and len(dateline) > 2:
        place = fold(dateline)
        if place not in fold(text) and place not in fold(article.title or ""):
            cues.append(Cue("dateline-elsewhere", f"datelined {dateline}, a place its text never names"))
    if language and language != "en":
        found = sorted(set(_ENGLISH_ENDING.findall(text)))
        if found:
            cues.append(Cue("english-transliteration", f"names spelt the English way: {', '.join(found[:3])}"))
    if language == "fr":
        folded = fold(text)
        for pattern, english in _CALQUES_FR:
            match = pattern.search(folded)
            if match:
                cues.append(Cue("calque", f"\"{match.group(0)}\" renders \"{english}\" word for word"))
                break
    for paragraph in text.split("\n\n"):
        match = next((m for m in _BROKEN_BOUNDARY.finditer(paragraph) if m.group(1) not in _NOT_SENTENCE_END), None)
        if match:
            cues.append(Cue("broken-boundary", f"full stop then lower case inside a paragraph: \"{match.group(0)}\""))
            break
    return cues


def is_machine_translation(cues: list[Cue], min_cues: int = 2) -> bool:
    return len({c.kind for c in cues}) >= min_cues
