"""Datelines: the place (and often the agency) printed before the first sentence.

"LIMA - ", "PARIS (AFP) - ", "VILLACOUBLAY, Yvelines (Reuters) - ",
"(Bruxelles) ": the place goes to `Article.dateline` in ordinary case, the
agency to `Article.agency`, and the prefix leaves the paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from . import agencies
from .blocks import EDGE_BLANKS

_UPPER = "A-ZÀ-ÖØ-ÞŒŠŽŸ"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿŒœŠšŽžŸ"
_DASH = r"[-–—]"
_MAX_PLACE_WORDS = 4  # "RIO DE JANEIRO", "SALT LAKE CITY"
_PARTICLES = {"de", "du", "des", "la", "le", "les", "l", "d", "sur", "en", "aux", "of", "the", "am", "an", "der", "die", "del", "di", "da", "do", "dos", "el", "los", "las", "y", "et", "and", "upon"}

# "LIMA -", "RIO DE JANEIRO (Reuters) -", "VILLACOUBLAY, Yvelines (Reuters) -", "PARIS, 13 nov (AFP) -"
_UPPER_DATELINE = re.compile(
    rf"""^(?P<place>[{_UPPER}][{_UPPER}'’.\- ]*[{_UPPER}.])
        (?:\s*,\s*(?P<region>[{_UPPER}][{_LETTER}'’.\- ]{{1,40}}?))?
        (?:\s*,\s*(?P<date>\d{{1,2}}(?:er)?\s+[{_LETTER}]{{3,10}}\.?(?:\s+\d{{4}})?))?
        \s*(?:\((?P<agency>[^()]{{2,40}})\))?
        \s*(?P<dash>{_DASH}+|:)(?=\s|$)""",
    re.VERBOSE,
)

# "Bruxelles (AFP) -", "Paris, 13 novembre (Reuters) –": ordinary case needs the agency to be sure.
_TITLE_DATELINE = re.compile(
    rf"""^(?P<place>[{_UPPER}][{_LETTER}'’.\-]*(?:\s+[{_LETTER}'’.\-]+){{0,3}}?)
        (?:\s*,\s*(?P<region>[{_UPPER}][{_LETTER}'’.\- ]{{1,40}}?))?
        (?:\s*,\s*(?P<date>\d{{1,2}}(?:er)?\s+[{_LETTER}]{{3,10}}\.?(?:\s+\d{{4}})?))?
        \s*\((?P<agency>[^()]{{2,40}})\)
        \s*(?P<dash>{_DASH}+|:)?(?=\s|$)""",
    re.VERBOSE,
)

# "(Bruxelles) ", "(Bruxelles, AFP) ", "(AFP) "
_PAREN_DATELINE = re.compile(
    rf"""^\(\s*(?P<inner>[{_UPPER}][^()\d]{{1,50}}?)\s*\)\s*(?P<dash>{_DASH}+)?(?=\s|$)""",
    re.VERBOSE,
)


@dataclass
class Dateline:
    prefix_end: int  # characters of the paragraph's raw text taken by the dateline
    place: str | None
    agencies: list[str]
    region: str | None = None
    date: str | None = None
    credit: str | None = None  # a source named in the dateline that is no news agency


def normalise_place(place: str) -> str:
    """"LIMA" -> "Lima", "RIO DE JANEIRO" -> "Rio de Janeiro"; ordinary case is kept."""
    place = " ".join(place.split()).strip(" .,")
    if place != place.upper():
        return place
    out: list[str] = []
    for i, word in enumerate(place.split(" ")):
        parts = re.split(r"([-'’])", word.lower())
        cased = []
        for part in parts:
            if part in ("-", "'", "’") or not part:
                cased.append(part)
            elif i > 0 and part in _PARTICLES:
                cased.append(part)
            else:
                cased.append(part[0].upper() + part[1:])
        out.append("".join(cased))
    return " ".join(out)


def _place_like(text: str) -> bool:
    tokens = text.replace("-", " ").split()
    if not 1 <= len(tokens) <= 5:
        return False
    return all(t[0].isupper() or t.lower() in _PARTICLES for t in tokens)


def find_dateline(raw: str) -> Dateline | None:
    """The dateline at the start of a paragraph's raw text, if there is one followed by text."""
    match = _UPPER_DATELINE.match(raw)
    if match:
        found = _upper_dateline(match, raw)
        if found:
            return found
    match = _TITLE_DATELINE.match(raw)
    if match:
        names = agencies.agency_names(match.group("agency"))
        if names and _place_like(match.group("place")):
            return Dateline(match.end(), normalise_place(match.group("place")), names, match.group("region"), match.group("date"))
    match = _PAREN_DATELINE.match(raw)
    if match and raw[match.end() :].strip(EDGE_BLANKS):
        return _paren_dateline(match)
    return None


def _paren_dateline(match: re.Match[str]) -> Dateline | None:
    """"(Bruxelles) ", "(Québec, La Presse canadienne) ", "(AFP) ", "(CNN) —"."""
    place = credit = None
    found: list[str] = []
    for part in (p.strip() for p in match.group("inner").split(",")):
        name = agencies.agency_name(part)
        if name:
            found.append(name)
        elif _credit_like(part) and credit is None:
            credit = part  # an outlet's own credit, "(CNN)", "(MENAFN - The Peninsula)"
        elif _place_like(part) and place is None:
            place = normalise_place(part)
        else:
            return None
    return Dateline(match.end(), place, found, credit=credit)


def _credit_like(text: str) -> bool:
    letters = re.sub(r"[^A-Za-zÀ-ÿ]", "", text.split(" ")[0])
    return (len(letters) >= 2 and letters.isupper()) or bool(re.search(r"\w\s*-\s+\w", text))


def _upper_dateline(match: re.Match[str], raw: str) -> Dateline | None:
    names = agencies.agency_names(match.group("agency")) if match.group("agency") else []
    if match.group("agency") and not names:
        return None  # "PARIS (France) -" is something else
    if len(match.group("place").split()) > _MAX_PLACE_WORDS:
        return None  # a headline in capitals, not a place
    letters = len(re.sub(r"[^A-Za-zÀ-ÿ]", "", match.group("place")))
    if letters < 3 and not names:
        return None  # "UE - ..." is more likely an acronym than a place
    lone = not raw[match.end() :].strip(EDGE_BLANKS)
    if lone and not (names or match.group("region")):
        return None  # "CYCLISME –" alone is a section label, not a place
    if match.group("dash") == ":" and not names:
        return None  # "ATTENTION : ..." is emphasis
    place_agency = agencies.agency_name(match.group("place"))
    if place_agency:  # "AFP - ..." credits the agency alone
        return Dateline(match.end(), None, list(dict.fromkeys([place_agency, *names])))
    return Dateline(match.end(), normalise_place(match.group("place")), names, match.group("region"), match.group("date"))
