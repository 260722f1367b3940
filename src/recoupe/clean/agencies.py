"""News agency names and how they are printed, normalised to one name per agency.

A wire is credited in many ways ("AFP", "Agence France-Presse", "avec AFP",
"(AFP)"); downstream steps need one name to tell that two articles carry the
same wire.
"""

from __future__ import annotations

import re

from .blocks import fold

# canonical name -> ways it is printed (folded: lower case, ASCII quotes and dashes)
_AGENCIES: dict[str, tuple[str, ...]] = {
    "AFP": ("afp", "agence france-presse", "agence france presse", "agence france-press", "afp-services"),
    "Reuters": ("reuters", "thomson reuters"),
    "AP": ("ap", "associated press", "the associated press"),
    "Belga": ("belga",),
    "ANSA": ("ansa",),
    "dpa": ("dpa", "deutsche presse-agentur"),
    "EFE": ("efe", "agencia efe"),
    "Xinhua": ("xinhua", "chine nouvelle"),
    "Kyodo": ("kyodo", "kyodo news"),
    "Jiji": ("jiji", "jiji press"),
    "Yonhap": ("yonhap",),
    "Antara": ("antara",),
    "Bloomberg": ("bloomberg",),
    "UPI": ("upi", "united press international"),
    "ATS": ("ats", "keystone-ats", "sda", "keystone-sda"),
    "APA": ("apa",),
    "ANP": ("anp",),
    "PA": ("pa", "pa media", "press association"),
    "La Presse canadienne": ("la presse canadienne", "presse canadienne", "the canadian press", "canadian press", "pc", "cp"),
    "QMI": ("agence qmi", "qmi"),
    "Europa Press": ("europa press",),
    "Lusa": ("lusa",),
    "Anadolu": ("anadolu", "anadolu agency", "agence anadolu", "aa"),
    "TASS": ("tass", "itar-tass"),
    "RIA Novosti": ("ria novosti", "ria"),
    "Interfax": ("interfax",),
    "Ukrinform": ("ukrinform",),
    "PAP": ("pap",),
    "ČTK": ("ctk", "čtk"),
    "AAP": ("aap",),
    "PTI": ("pti", "press trust of india"),
    "ANI": ("ani",),
    "Sputnik": ("sputnik",),
    "AGI": ("agi",),
    "Adnkronos": ("adnkronos",),
    "Agerpres": ("agerpres",),
    "BTA": ("bta",),
    "MAP": ("map", "maghreb arabe presse"),
    "APS": ("aps", "algerie presse service"),
    "TAP": ("tap",),
}

_ALIAS_TO_NAME = {alias: name for name, aliases in _AGENCIES.items() for alias in aliases}

# Short acronyms that are also ordinary words or initials: only trusted in upper case.
_UPPER_ONLY = {alias for alias in _ALIAS_TO_NAME if len(alias) <= 3 and alias not in ("dpa",)}

# Agencies named in running prose ("a-t-il déclaré à l'AFP"): unambiguous forms only.
_MENTION = re.compile(
    r"(?<![\w-])(AFP|Agence France[- ]Presse|Reuters|Associated Press|Belga|ANSA|dpa|Deutsche Presse-Agentur|EFE|Xinhua|Kyodo|Yonhap|Antara|Bloomberg|Europa Press|Anadolu|TASS|Interfax|Ukrinform|Sputnik|Adnkronos|Agerpres|RIA Novosti)(?![\w-])"
)


def agency_name(text: str) -> str | None:
    """The canonical agency for a printed credit ("Agence France-Presse" -> "AFP"), else None."""
    raw = text.strip(" \t()[]-–—.,:;/|")
    folded = fold(raw).replace("–", "-")
    name = _ALIAS_TO_NAME.get(folded)
    if name is None:
        return None
    if folded in _UPPER_ONLY and raw != raw.upper():
        return None
    return name


def agency_names(text: str) -> list[str]:
    """Agencies of a credit naming several ("AFP/Reuters", "AFP et Reuters", "AFP, AP"), in order."""
    parts = re.split(r"\s*(?:/|,|&|\+|\bet\b|\band\b|\bund\b|\by\b|\be\b)\s*", text.strip())
    names = [agency_name(part) for part in parts if part.strip()]
    if not names or any(name is None for name in names):
        return []
    return list(dict.fromkeys(n for n in names if n))


def mentions(text: str) -> list[str]:
    """Agencies named anywhere in a text, canonical, in order of first mention."""
    found = [agency_name(match.group(1)) for match in _MENTION.finditer(text)]
    return list(dict.fromkeys(name for name in found if name))
