"""Bylines, agency credits and time stamps printed as lines of their own.

"Publié à 21h28", "Mis à jour le 13/11/2024 à 10h00", "Par Jean Dupont",
"Agence France-Presse", "(AFP)", "avec AFP", a lone "Jean DUPONT" next to
an agency line: moved to metadata. Only whole short lines are taken; a
sentence of the body that names an agency ("a-t-il déclaré à l'AFP") stays,
and the mention is noted apart.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import agencies
from .blocks import EDGE_BLANKS, Paragraph, word_count
from .dates import find_date, find_time

_STAMP_WORDS = (
    r"publi[ée]e?|mis\s+[àa]\s+jour|mise\s+[àa]\s+jour|modifi[ée]e?|actualis[ée]e?|post[ée]e?|"
    r"first\s+published|published|posted|last\s+updated|updated|last\s+modified|modified|"
    r"ver[öo]ffentlicht|aktualisiert|zuletzt\s+aktualisiert|publicado|actualizado|pubblicato|aggiornato|gepubliceerd|bijgewerkt"
)
_DIGIT = re.compile(r"\d")
_STAMP = re.compile(rf"(?P<word>{_STAMP_WORDS})\b", re.IGNORECASE)
_UPDATE_WORD = re.compile(r"jour|modifi|actualis|updated|modified|aktualisiert|actualizado|aggiornato|bijgewerkt", re.IGNORECASE)
_WEEKDAYS = r"lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lunes|martes|miércoles|jueves|viernes|sábado|domingo"
# What may surround a date and time in a stamp line, and nothing else.
_STAMP_FILLER = re.compile(
    rf"\b(?:{_STAMP_WORDS}|le|la|l|à|a|at|on|am|um|el|a\s+las|il|alle|op|om|du|of|h|heure|heures|utc|gmt|cet|cest|edt|est|pst|hne|hae|{_WEEKDAYS})\b",
    re.IGNORECASE,
)

_NAME_TOKEN = r"[A-ZÀ-ÖØ-ÞŒŠŽ][\wÀ-ÖØ-öø-ÿ'’.\-]*"
_PARTICLE = r"(?:de|du|des|da|di|van|von|der|den|le|la|el|al|bin|ibn|y|d'|dos|del)"
_NAME = rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{0,3}}"
_NAMES = rf"{_NAME}(?:\s*(?:,|\bet\b|\band\b|\bund\b|\by\b|\be\b|&)\s*{_NAME})*"
_BY = re.compile(
    rf"^(?i:par|by|von|por|di|door)\s*:?\s+(?P<names>{_NAMES})(?:\s*(?:,|-|–|—|/|\|)?\s*(?i:\(|avec\s+|with\s+|mit\s+|con\s+)?(?P<agency>[^()]{{2,40}}?)\)?)?\.?$"
)
_EDITED = re.compile(
    rf"^(?i:(?:reporting|reportage|avec|with|texte)\s*(?:by|par|de)?\s*:?\s*)?(?P<names>{_NAMES})\s*[,;]\s*(?i:[ée]dit[ée]\s+par|edited\s+by|editing\s+by|version\s+fran[çc]aise|r[ée]daction|traduit\s+par|translated\s+by)\b.*$"
)
_ROLE = re.compile(
    rf"^(?P<names>{_NAMES})\s*[,/–—-]\s*(?i:(?:notre\s+|our\s+)?(?:correspondante?s?|envoy[ée]e?s?\s+sp[ée]ciale?s?|journaliste|reporter|correspondent|staff\s+writer|special\s+correspondent|chef\s+de\s+service|r[ée]dact(?:eur|rice)|korrespondent(?:in)?|corresponsal|inviato))\b[^.!?]{{0,60}}$"
)
_RELATIVE_TIME = re.compile(r"\b(?:il\s+y\s+a|ago|vor|hace|fa)\b|\b(?:à\s+l'instant|just\s+now|gerade\s+eben)\b", re.IGNORECASE)
_RELATIVE_UNIT = re.compile(
    r"\b\d*\s*(?:secondes?|minutes?|min|heures?|h|jours?|semaines?|mois|seconds?|hours?|hrs?|days?|weeks?|months?|sekunden|minuten|stunden|tagen|wochen|segundos|minutos|horas|d[ií]as|secondi|minuti|ore|giorni)\b",
    re.IGNORECASE,
)
_REPORTING = re.compile(rf"^(?i:reporting|additional\s+reporting|writing)\s+by\s+(?P<names>{_NAMES})\b.*$")
_CREDIT_PREFIX = re.compile(r"^(?:avec|with|mit|con|source\s*:|sources\s*:|par|by|©|\(c\)|copyright)\s*(?:l'|l’|la\s+|le\s+|les\s+)?", re.IGNORECASE)
_LONE_NAME = re.compile(rf"^{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN}){{1,3}}$")


# Function words that start or fill titles and phrases but never a person's name.
_NOT_IN_NAMES = set(
    """the a an of for and or in on at to with from by new how why what when who this that our your my
    le la les un une des du au aux pour avec sans sur sous dans par et ou en est son sa ses nos vos
    der die das ein eine und oder mit für von zum zur im am auf
    el los las una unos con para por sin del al y
    il lo gli uno per con su nel della""".split()
) - {"de", "da", "di", "van", "von", "del", "la", "le", "el", "al", "y", "du", "des", "der", "den", "dos", "bin", "ibn"}


@dataclass
class Credits:
    """What the credit lines of one article say."""

    bylines: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    published: str | None = None
    updated: str | None = None
    published_time: str | None = None
    updated_time: str | None = None


def person_name(text: str) -> str:
    """Ordinary case for names printed in capitals: "Jean DUPONT" -> "Jean Dupont"."""
    out = []
    for word in text.split():
        if len(word) > 1 and word.upper() == word and any(c.isalpha() for c in word):
            word = re.sub(r"[^\W\d_]+", lambda m: m.group(0)[0] + m.group(0)[1:].lower(), word)
        out.append(word)
    return " ".join(out).strip(" ,.;")


def _split_names(names: str) -> list[str]:
    parts = re.split(r"\s*(?:,|\bet\b|\band\b|\bund\b|\by\b|\be\b|&)\s*", names)
    return [person_name(p) for p in parts if p.strip()]


def _stamp_line(line: str, credits: Credits) -> bool:
    """A line made only of time stamps ("Publié à 21h28 Mis à jour à 21h56") or of a date and time."""
    if len(line) > 120 or word_count(line) > 18:
        return False
    if not _DIGIT.search(line):
        # "Publié il y a 2 heures" has digits; "Mis à jour à l'instant" has none
        return bool(_STAMP.match(line)) and bool(_RELATIVE_TIME.search(line)) and word_count(line) <= 8
    starts = [m for m in _STAMP.finditer(line)]
    if starts and starts[0].start() > 2:
        return False
    bounds = [m.start() for m in starts] or [0]
    segments = [line[a:b] for a, b in zip(bounds, bounds[1:] + [len(line)])]
    parsed = []
    for segment in segments:
        found_date = find_date(segment)
        time = find_time(segment)
        rest = segment
        relative = bool(starts) and bool(_RELATIVE_TIME.search(segment))
        if relative:  # "il y a 2h": no clock time, no date to keep
            found_date = time = None
            rest = _RELATIVE_UNIT.sub(" ", _RELATIVE_TIME.sub(" ", rest))
        if found_date:
            rest = rest[: found_date[1]] + " " + rest[found_date[2] :]
        rest = re.sub(r"\d{1,2}\s*(?:h|:|H)\s*\d{0,2}(?:\s*[ap]\.?m\.?)?", " ", rest)
        rest = _STAMP_FILLER.sub(" ", rest)
        if re.search(r"[^\W\d_]{2,}", rest):
            return False  # words other than stamp words: a sentence, not a stamp
        if not found_date and not time and not relative:
            return False
        is_update = bool(starts) and bool(_UPDATE_WORD.search(segment[:30]))
        parsed.append((is_update, found_date[0] if found_date else None, time))
    for is_update, iso_date, time in parsed:
        value = f"{iso_date}T{time}:00" if iso_date and time else iso_date
        if is_update:
            credits.updated = credits.updated or value
            if time and not iso_date:
                credits.updated_time = credits.updated_time or time
        else:
            credits.published = credits.published or value
            if time and not iso_date:
                credits.published_time = credits.published_time or time
    return True


def _agency_line(line: str) -> list[str]:
    if len(line) > 80:
        return []
    core = line.strip(EDGE_BLANKS + "()[]-–—.,;:|")
    core = _CREDIT_PREFIX.sub("", core).strip(" ()[]-–—.,;:")
    core = re.sub(r"\s+\d{4}$", "", core)  # "© AFP 2024"
    return agencies.agency_names(core) if core else []


def classify(line: str) -> tuple[str, dict] | None:
    """("timestamp"|"agency"|"byline", details) for a credit line, else None."""
    line = line.strip(EDGE_BLANKS)
    if not line or len(line) > 160:
        return None
    scratch = Credits()
    if _stamp_line(line, scratch):
        return "timestamp", {"credits": scratch}
    names = _agency_line(line)
    if names:
        return "agency", {"agencies": names}
    match = _BY.match(line)
    if match:
        agency = match.group("agency")
        agency_names = agencies.agency_names(agency) if agency else []
        if agency and not agency_names:
            # "Par Jean Dupont, correspondant" keeps the whole tail out of the name
            if word_count(agency) > 6:
                return None
        by_names = _split_names(match.group("names"))
        if by_names and all(agencies.agency_name(n) for n in by_names):
            return "agency", {"agencies": [agencies.agency_name(n) for n in by_names]}
        return "byline", {"names": by_names, "agencies": agency_names}
    for pattern in (_EDITED, _REPORTING, _ROLE):
        match = pattern.match(line)
        if match:
            return "byline", {"names": _split_names(match.group("names")), "agencies": []}
    return None


def lone_name(line: str) -> str | None:
    """A line that is only a person's name ("Jean DUPONT"): a byline when next to a credit."""
    line = line.strip(EDGE_BLANKS)
    if len(line) > 50 or not _LONE_NAME.match(line) or agencies.agency_name(line):
        return None
    if any(token.lower() in _NOT_IN_NAMES for token in line.split()):
        return None  # "For Auld Lang Syne", "Les Echos": words no name is made of
    return person_name(line)


def mark_credits(paragraphs: list[Paragraph]) -> Credits:
    """Mark credit lines as removed ("byline", "agency", "timestamp") and gather what they say."""
    credits = Credits()
    for paragraph in paragraphs:
        if not paragraph.kept:
            continue
        found = classify(paragraph.text)
        if found is None:
            continue
        kind, details = found
        paragraph.kind = kind
        if kind == "timestamp":
            _merge_stamps(credits, details["credits"])
        else:
            credits.agencies.extend(details.get("agencies", []))
            credits.bylines.extend(details.get("names", []))
    changed = True
    while changed:  # a name next to a credit line is the author's
        changed = False
        for index, paragraph in enumerate(paragraphs):
            if not paragraph.kept:
                continue
            name = lone_name(paragraph.text)
            if not name:
                continue
            neighbours = [paragraphs[i] for i in (index - 1, index + 1) if 0 <= i < len(paragraphs)]
            if any(n.kind in ("agency", "timestamp", "byline") for n in neighbours):
                paragraph.kind = "byline"
                credits.bylines.append(name)
                changed = True
    credits.agencies = list(dict.fromkeys(credits.agencies))
    credits.bylines = list(dict.fromkeys(credits.bylines))
    return credits


# "... a-t-il ajouté. (AFP)", "... (avec Reuters)", "... — AFP": a credit closing the last paragraph.
_TRAILING_CREDIT = re.compile(
    r"(?:(?<=[.!?…»\"”])|(?<=[.!?…»\"”]\s))\s*(?:[(\[]\s*(?P<inner>[^()\[\]]{2,60})\s*[)\]]|[-–—]\s*(?P<dashed>[^-–—()]{2,40}))\s*$"
)


def trim_trailing_credit(paragraphs: list[Paragraph], credits: Credits) -> tuple[int, str] | None:
    """Cut an agency credit printed at the end of the last kept paragraph; returns its
    offset in the input and its text, or None."""
    kept = [p for p in paragraphs if p.kept]
    if not kept:
        return None
    last = kept[-1]
    raw = last.raw
    window = max(0, len(raw) - 80)
    match = _TRAILING_CREDIT.search(raw, window)
    if not match:
        return None
    names = _agency_line(match.group("inner") or match.group("dashed") or "")
    if not names:
        return None
    cut = match.start()
    credit = raw[cut:].strip(EDGE_BLANKS)
    credit_start = last.start + cut + (len(raw[cut:]) - len(raw[cut:].lstrip(EDGE_BLANKS)))
    last.end = last.start + len(raw[:cut].rstrip(EDGE_BLANKS))
    credits.agencies.extend(n for n in names if n not in credits.agencies)
    return credit_start, credit


def _merge_stamps(into: Credits, found: Credits) -> None:
    for name in ("published", "updated", "published_time", "updated_time"):
        if getattr(into, name) is None:
            setattr(into, name, getattr(found, name))
