"""Dates: absolute ("13 novembre 2024") and relative ("mardi", "hier") mentions,
resolved against a reference date, with the tense the text gives the event.

The tense matters as much as the day: a source that writes "le 5 novembre
prochain" in a story told after 5 November speaks of a done event as still to
come. Tense is read from what governs the date (its own "prochain"/"dernier",
"en cas de", "depuis", the nearest verb), and `tense_explicit` says whether
the text said it or it was only inferred from the calendar.

Hand-written rules: dateparser reads a date string well but neither finds
date phrases in running French prose nor tells which way a bare weekday
points ("rencontre mercredi" vs "a soulevé dimanche").
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, timedelta

_SP = "[ \u00a0\u202f\u2009]"

MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "sept": 9,
    "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "décembre": 12, "decembre": 12, "déc": 12, "dec": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "april": 4, "apr": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "aug": 8, "september": 9, "sep": 9, "october": 10, "november": 11, "december": 12,
}
WEEKDAYS = {
    "lundi": 0, "mardi": 1, "mercredi": 2, "jeudi": 3, "vendredi": 4, "samedi": 5, "dimanche": 6,
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_RE = "|".join(WEEKDAYS)


@dataclass(frozen=True)
class DateMention:
    """A date in a text. `iso` is "2024-11-05" when the day is known, "--11-05" when the year is not,
    "2022-02" for a month; None when it could not be resolved (a weekday with no reference date)."""

    text: str
    start: int
    end: int
    iso: str | None
    precision: str  # day | month | year | weekend | week
    relative: bool  # resolved against the reference date ("mardi", "hier", "20 janvier" without a year)
    tense: str  # past | future | conditional | present
    tense_explicit: bool  # the text says it (marker, verb); False when inferred from the calendar

    @property
    def day(self) -> date | None:
        if self.iso and self.precision in ("day", "weekend") and not self.iso.startswith("--"):
            return date.fromisoformat(self.iso)
        return None

    @property
    def month_day(self) -> str | None:
        """"11-05": the day without its year, for comparing mentions whose year was guessed."""
        if self.iso and self.precision in ("day", "weekend"):
            return self.iso[-5:]
        return None


_ABSOLUTE_FR = re.compile(
    rf"(?:(?P<wd>{_WEEKDAY_RE}){_SP}+)?(?P<d>1er|premier|\d{{1,2}}){_SP}*(?P<m>{_MONTH_RE})\.?(?![\w])"
    rf"(?:{_SP}+(?P<y>\d{{4}})(?!\d))?",
    re.I,
)
_RANGE_FR = re.compile(
    rf"\b(?:du|entre\s+le)\s+(?P<d1>1er|premier|\d{{1,2}}){_SP}+(?:au|et\s+le){_SP}+(?:\d{{1,2}}){_SP}*"
    rf"(?P<m>{_MONTH_RE})\.?(?![\w])(?:{_SP}+(?P<y>\d{{4}})(?!\d))?",
    re.I,
)
_ABSOLUTE_EN = re.compile(
    rf"(?P<m>{_MONTH_RE})\.?{_SP}+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?![\d\w])(?:,?{_SP}+(?P<y>\d{{4}})(?!\d))?",
    re.I,
)
_MONTH_YEAR = re.compile(rf"(?P<m>{_MONTH_RE}){_SP}+(?P<y>\d{{4}})(?!\d)", re.I)
_NUMERIC = re.compile(r"\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b|\b(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2})\b")
_WEEKDAY = re.compile(
    rf"(?:\b(?P<this>ce|cette|this|last|next|on){_SP}+)?\b(?P<wd>{_WEEKDAY_RE})\b"
    rf"(?:{_SP}+(?P<dir>dernier|prochain|passé|matin|soir|après-midi|midi))?",
    re.I,
)
_DEICTIC = {
    "avant-hier": -2, "hier": -1, "aujourd'hui": 0, "aujourd’hui": 0, "demain": 1, "après-demain": 2,
    "ce matin": 0, "ce soir": 0, "cette nuit": 0, "cet après-midi": 0, "yesterday": -1, "today": 0, "tomorrow": 1,
    "tonight": 0, "this morning": 0,
}
_DEICTIC_RE = re.compile(
    r"(?<![\w-])(" + "|".join(re.escape(k) for k in sorted(_DEICTIC, key=len, reverse=True)) + r")(?![\w-])", re.I
)
_WEEKEND = re.compile(
    rf"\b(?:le|ce|du|au|this|last|next){_SP}+week-?end(?:{_SP}+(?P<dir>dernier|prochain|passé))?\b", re.I
)

# ---------------------------------------------------------------- tense

_CONDITIONAL_FRAME = re.compile(
    r"\b(?:en\s+cas\s+d[e'’]|au\s+cas\s+où|si|s['’]il|s['’]ils|dans\s+l['’]hypothèse\s+d[e'’]|"
    r"éventuelle|éventuel|possible|potentielle?|if|in\s+case\s+of)\b",
    re.I,
)
_PAST_PREPOSITION = re.compile(
    r"\b(?:depuis|après|suite\s+à|à\s+la\s+suite\s+d[e'’]|lors\s+d[e'’]|since|after|following)\b", re.I
)
_FUTURE_PREPOSITION = re.compile(r"\b(?:avant|d['’]ici|jusqu['’]à|en\s+attendant|before|until|ahead\s+of)\b", re.I)
_AUXILIARY = r"(?:a|ont|avait|avaient|est|sont|était|étaient|ai|as|avons|avez|aura|auront|a-t-il|a-t-elle|ont-ils|s['’]est|se\s+sont|l['’]a|l['’]ont|has|have|had|was|were)"
_PAST_VERB = re.compile(
    rf"\b{_AUXILIARY}(?:\s+(?:été|déjà|pas|plus|jamais|bien|aussi|également|toujours|notamment|été|ainsi|encore|tous|toutes|alors))*\s+"
    r"[a-zà-ÿ]+(?:é|ée|és|ées|i|ie|is|ies|it|ite|u|ue|us|ues|ert|erte|ort|orte|uit|uite|int|ed)\b"
    r"|\b[a-zà-ÿ]{2,}(?:ait|aient)\b|\b[a-zà-ÿ]{2,}(?:èrent|irent)\b"
    r"|\b(?:était|étaient|fut|furent|avait|avaient|eut|was|were|did|had)\b"
    r"|(?:^|(?<=[.!?\n]\s))[A-ZÀ-Þ][a-zà-ÿ]+(?:é|ée|és|ées|u|ue|us|is|ise|it|ite)(?=[\s,])",  # "Arrivé tard mardi soir, ..."
    re.M,
)
_FUTURE_VERB = re.compile(
    r"\b(?:va|vont|allons|allez|doit|doivent|devra|devront)\s+(?:[a-zà-ÿ]+\s+)?[a-zà-ÿ]+(?:er|ir|re|oir)\b"
    r"|\b[a-zà-ÿ]{2,}(?:era|eront|erons|erez|erai|ira|iront|dra|dront|vra|vront|rra|rront)\b"
    r"|\b(?:sera|seront|aura|auront|fera|feront|ira|iront|pourra|pourront|viendra|viendront)\b"
    r"|\bprévue?s?\b|\bprogrammée?s?\b|\bwill\b|\bshall\b|\bgoing\s+to\b|\bscheduled\b|\bdue\s+to\b",
    re.I,
)
_NOT_FUTURE = {"opéra", "caméra", "extra", "ultra", "cobra", "mantra", "sahara", "front", "affront", "avant-garde",
               "chambre", "era", "aura"}
_CONDITIONAL_VERB = re.compile(
    r"\b[a-zà-ÿ]+(?:e|i)(?:rait|raient)\b|\b(?:serait|seraient|aurait|auraient|pourrait|pourraient|devrait|"
    r"devraient|voudrait|faudrait|viendrait|ferait|feraient|irait|would|could|might)\b",
    re.I,
)


_PARTICIPLE_BEFORE = re.compile(
    r"\b([a-zà-ÿ]{3,}(?:é|ée|és|ées))\s+(?:le|en|au|du|dès\s+le|ce|cette|dans\s+la\s+nuit\s+de)?\s*$", re.I
)
_NOUNS_LIKE_PARTICIPLES = set(
    """année journée soirée matinée entrée arrivée armée idée durée rentrée portée montée poussée société sécurité
    comité marché côté été député liberté unité traité activité communauté majorité priorité réalité volonté santé
    électricité université vérité identité qualité quantité clé""".split()
)


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a mention, cut at ; and : so a verb of the next clause does not count."""
    left = max(text.rfind(ch, 0, start) for ch in (".", "!", "?", "\n", ";", ":", "–", "—"))
    rights = [i for i in (text.find(ch, end) for ch in (".", "!", "?", "\n", ";", ":", "–", "—")) if i != -1]
    return left + 1, min(rights) if rights else len(text)


# verbs of saying tell when something was said, not when the dated event happens
_SAYING = re.compile(r"\b(?:annonc|déclar|indiqu|précis|affirm|expliqu|assur|confirm|ajout|rappel|dit\b|said|announc)",
                     re.I)


def _nearest(pattern: re.Pattern[str], text: str, lo: int, hi: int, start: int, end: int) -> tuple[int, str] | None:
    best: tuple[int, str] | None = None
    for m in pattern.finditer(text, lo, hi):
        if m.start() < end and m.end() > start:
            continue
        word = m.group(0).lower()
        if word in _NOT_FUTURE or _SAYING.search(word):
            continue
        distance = start - m.end() if m.end() <= start else m.start() - end
        if best is None or distance < best[0]:
            best = (distance, word)
    return best


def tense_at(text: str, start: int, end: int, marker: str | None = None) -> tuple[str, bool]:
    """(tense, explicit) of the event dated at text[start:end]."""
    if marker in ("prochain", "prochaine", "next"):
        lo, _hi = _clause_bounds(text, start, end)
        if _CONDITIONAL_FRAME.search(text, max(lo, start - 80), start):
            return "conditional", True
        return "future", True
    if marker in ("dernier", "dernière", "passé", "passée", "last"):
        return "past", True
    lo, hi = _clause_bounds(text, start, end)
    before = text[lo:start]
    # a preposition that governs the date's noun phrase, with no verb in between
    chain_start = max(lo, start - 90)
    chain = text[chain_start:start]
    cut = max(chain.rfind(","), chain.rfind("("))
    chain = chain[cut + 1 :] if cut >= 0 else chain
    last_verb = None
    for pattern in (_PAST_VERB, _FUTURE_VERB, _CONDITIONAL_VERB):
        for m in pattern.finditer(chain):
            if m.group(0).lower() not in _NOT_FUTURE:
                last_verb = max(last_verb or 0, m.end())
    governed = chain[last_verb:] if last_verb is not None else chain
    participle = _PARTICIPLE_BEFORE.search(text, max(lo, start - 40), start)
    if participle and participle.group(1).lower() not in _NOUNS_LIKE_PARTICIPLES:
        if re.match(r"(?:prévu|programmé|attendu)", participle.group(1), re.I):
            return "future", True
        return "past", True  # "le traité signé le 13 novembre", "l'enveloppe votée au printemps"
    conditional = list(_CONDITIONAL_FRAME.finditer(governed))
    if conditional and re.match(r"en\s+cas|au\s+cas|dans\s+l|in\s+case", conditional[-1].group(0), re.I):
        return "conditional", True
    past_prep = list(_PAST_PREPOSITION.finditer(governed))
    future_prep = list(_FUTURE_PREPOSITION.finditer(governed))
    if past_prep or future_prep:
        last_past = past_prep[-1].start() if past_prep else -1
        last_future = future_prep[-1].start() if future_prep else -1
        return ("past", True) if last_past > last_future else ("future", True)
    # the nearest verb of the date's own comma-delimited segment, else a close one in the clause
    seg_lo = max(lo, max(text.rfind(ch, lo, start) for ch in (",", "(", ")")) + 1)
    seg_his = [i for i in (text.find(ch, end, hi) for ch in (",", "(", ")")) if i != -1]
    seg_hi = min(seg_his) if seg_his else hi
    for window_lo, window_hi, reach in ((seg_lo, seg_hi, 10_000), (lo, hi, 20)):
        candidates = []
        for tense, pattern in (("conditional", _CONDITIONAL_VERB), ("future", _FUTURE_VERB), ("past", _PAST_VERB)):
            found = _nearest(pattern, text, window_lo, window_hi, start, end)
            if found is not None and found[0] <= reach:
                candidates.append((found[0], tense))
        if candidates:
            candidates.sort()
            return candidates[0][1], True
    if re.search(r"\b(?:si|if)\b", before, re.I):
        return "conditional", True
    return "present", False


# ---------------------------------------------------------------- resolution


def _closest_year(month: int, day: int, reference: date) -> date | None:
    best = None
    for year in (reference.year - 1, reference.year, reference.year + 1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if best is None or abs((candidate - reference).days) < abs((best - reference).days):
            best = candidate
    return best


def _year_of_weekday(month: int, day: int, weekday: int, reference: date) -> date | None:
    """The date nearest the reference, within three years, on which that day of that month is that weekday."""
    best = None
    for year in range(reference.year - 3, reference.year + 4):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue
        if candidate.weekday() == weekday and (best is None or abs((candidate - reference).days) < abs((best - reference).days)):
            best = candidate
    return best


def _weekday_date(weekday: int, reference: date, direction: str) -> date:
    """The weekday nearest the reference in the direction the text points."""
    if direction == "past":
        offsets = range(0, -7, -1)
    elif direction == "future":
        offsets = range(0, 7)
    elif direction == "last":
        offsets = range(-1, -8, -1)
    elif direction == "next":
        offsets = range(1, 8)
    else:
        offsets = range(-3, 4)
    for offset in offsets:
        candidate = reference + timedelta(days=offset)
        if candidate.weekday() == weekday:
            return candidate
    raise AssertionError("a week has seven days")


def _iso_day(year: int | None, month: int, day: int) -> str | None:
    try:
        date(year or 2000, month, day)  # 2000 is a leap year: 29 February is a valid day without a year
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}" if year else f"--{month:02d}-{day:02d}"


_REFERENCE_MIN = date.min + timedelta(days=8)
_REFERENCE_MAX = date.max - timedelta(days=8)


class _Spans:
    """Character spans already taken by a mention, kept sorted: they never overlap, so the only one that
    can overlap a new span is the last to start before its end (a text of thousands of dates stays linear)."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlaps(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.starts, end)
        return i > 0 and self.ends[i - 1] > start

    def add(self, start: int, end: int) -> None:
        i = bisect.bisect_left(self.starts, start)
        self.starts.insert(i, start)
        self.ends.insert(i, end)


def extract_dates(text: str, reference: date | None = None, language: str = "fr") -> list[DateMention]:
    """Every date in `text`, in text order; relative ones resolved against `reference` when given.

    A reference within a week of the calendar's ends (a broken or hostile
    publication date such as 9999-12-31) resolves nothing: "demain" has no day there.
    """
    if reference is not None and not _REFERENCE_MIN <= reference <= _REFERENCE_MAX:
        reference = None
    found: list[DateMention] = []
    taken = _Spans()

    def add(start: int, end: int, iso: str | None, precision: str, relative: bool, marker: str | None = None,
            resolved: date | None = None) -> None:
        if taken.overlaps(start, end):
            return
        tense, explicit = tense_at(text, start, end, marker)
        if not explicit and resolved is not None and reference is not None:
            tense = "past" if resolved < reference else "future" if resolved > reference else "present"
        found.append(DateMention(text[start:end], start, end, iso, precision, relative, tense, explicit))
        taken.add(start, end)

    for m in _NUMERIC.finditer(text):
        if m.group("iy"):
            y, mo, d = int(m.group("iy")), int(m.group("im")), int(m.group("id"))
        else:
            y, mo, d = int(m.group("y")), int(m.group("m")), int(m.group("d"))
            if language == "en" and mo > 12 >= d:
                mo, d = d, mo
        iso = _iso_day(y, mo, d) if 1 <= mo <= 12 else None
        if iso:
            add(m.start(), m.end(), iso, "day", False, resolved=date.fromisoformat(iso))

    for m in _RANGE_FR.finditer(text):
        first = m.group("d1").lower()
        day = 1 if first in ("1er", "premier") else int(first)
        month = MONTHS[m.group("m").lower()]
        year = int(m.group("y")) if m.group("y") else None
        if year:
            iso = _iso_day(year, month, day)
            resolved = date.fromisoformat(iso) if iso else None
        else:
            resolved = _closest_year(month, day, reference) if reference else None
            iso = resolved.isoformat() if resolved else _iso_day(None, month, day)
        if iso:
            add(m.start("d1"), m.end("d1"), iso, "day", year is None, None, resolved)

    for pattern in (_ABSOLUTE_FR, _ABSOLUTE_EN):
        for m in pattern.finditer(text):
            day_text = m.group("d").lower()
            day = 1 if day_text in ("1er", "premier") else int(day_text)
            month = MONTHS[m.group("m").lower()]
            if not 1 <= day <= 31:
                continue
            start, end = m.start(), m.end()
            marker_m = re.match(rf"{_SP}+(prochaine?|derni[eè]re?|passée?)\b", text[end:], re.I)
            marker = marker_m.group(1).lower() if marker_m else None
            if marker_m:
                end += marker_m.end()
            if m.group("y"):
                iso = _iso_day(int(m.group("y")), month, day)
                resolved = date.fromisoformat(iso) if iso else None
                relative = False
            else:
                resolved = _closest_year(month, day, reference) if reference else None
                weekday = m.groupdict().get("wd")  # only the French form names one
                if resolved and weekday:  # "mardi 2 septembre": the year in which it is a Tuesday
                    resolved = _year_of_weekday(month, day, WEEKDAYS[weekday.lower()], reference) or resolved
                iso = resolved.isoformat() if resolved else _iso_day(None, month, day)
                relative = True
            if iso:
                add(start, end, iso, "day", relative, marker, resolved)

    for m in _MONTH_YEAR.finditer(text):
        add(m.start(), m.end(), f"{int(m.group('y')):04d}-{MONTHS[m.group('m').lower()]:02d}", "month", False)

    for m in _WEEKEND.finditer(text):
        direction = (m.group("dir") or "").lower()
        tense_marker = {"dernier": "dernier", "passé": "dernier", "prochain": "prochain"}.get(direction)
        if not tense_marker and m.group(0).lower().startswith(("last",)):
            tense_marker = "last"
        iso = None
        resolved = None
        if reference:
            tense, _ = tense_at(text, m.start(), m.end(), tense_marker)
            saturday = _weekday_date(5, reference, "last" if tense == "past" else "next" if tense == "future" else "near")
            resolved = saturday
            iso = saturday.isoformat()
        add(m.start(), m.end(), iso, "weekend", True, tense_marker, resolved)

    for m in _WEEKDAY.finditer(text):
        if taken.overlaps(m.start(), m.end()):
            continue
        weekday = WEEKDAYS[m.group("wd").lower()]
        direction_word = (m.group("dir") or "").lower()
        this = (m.group("this") or "").lower()
        marker = None
        if direction_word in ("dernier", "passé") or this == "last":
            marker, direction = "dernier", "last"
        elif direction_word == "prochain" or this == "next":
            marker, direction = "prochain", "next"
        else:
            direction = "near"
        resolved = None
        iso = None
        if reference:
            if direction == "near" and this not in ("ce", "cette", "this"):
                tense, explicit = tense_at(text, m.start(), m.end(), None)
                direction = tense if explicit and tense in ("past", "future") else "near"
            resolved = _weekday_date(weekday, reference, direction)
            iso = resolved.isoformat()
        add(m.start(), m.end(), iso, "day", True, marker, resolved)

    for m in _DEICTIC_RE.finditer(text):
        offset = _DEICTIC[m.group(1).lower()]
        resolved = reference + timedelta(days=offset) if reference else None
        marker = "dernier" if offset < 0 else "prochain" if offset > 0 else None
        add(m.start(), m.end(), resolved.isoformat() if resolved else None, "day", True, marker, resolved)

    found.sort(key=lambda d: d.start)
    return found


def parse_published(value: str | None) -> date | None:
    """The day of an ISO 8601 timestamp ("2024-11-13T21:28:00"), or None."""
    if not value:
        return None
    m = re.match(r"(\d{4})-(\d{2})-(\d{2})", value)
    if not m:
        return None
    try:
        return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None
