"""Reading the dates and times that bylines, time stamps and embedded posts print.

Only complete dates become ISO dates; a time alone stays a time ("21:28"), since
the day it belongs to is not printed.
"""

from __future__ import annotations

import re
from datetime import date

MONTHS: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "janvier janv jan january ene enero januar gennaio",
        "février fevrier févr fevr fév fev feb february febrero februar febbraio",
        "mars mar march marzo märz maerz",
        "avril avr apr april abril aprile",
        "mai may mayo maggio",
        "juin jun june junio juni giugno",
        "juillet juil jul july julio juli luglio",
        "août aout aoû aug august agosto",
        "septembre sept sep september septiembre settembre",
        "octobre oct october octubre oktober ottobre",
        "novembre nov november noviembre",
        "décembre decembre déc dec december diciembre dezember dicembre",
    ],
    start=1,
):
    for _name in _names.split():
        MONTHS[_name] = _number

_MONTH = r"(?P<month>[A-Za-zÀ-ÿ]{3,10})\.?"
_DAY = r"(?P<day>\d{1,2})(?:er|st|nd|rd|th|\.)?"
_YEAR = r"(?P<year>\d{4})"
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+(?:de\s+)?{_MONTH}\s+(?:de\s+)?{_YEAR}\b", re.IGNORECASE)
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE)
_NUMERIC = re.compile(r"\b(?P<a>\d{1,4})[/.-](?P<b>\d{1,2})[/.-](?P<c>\d{2,4})\b")
_TIME = re.compile(r"\b(?P<hour>[01]?\d|2[0-3])\s*(?:h|:|H)\s*(?P<minute>[0-5]\d)?(?:\s*(?P<ampm>[ap]\.?m\.?))?(?![\w])", re.IGNORECASE)
_ISO_DATETIME = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?")


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


def find_date(text: str) -> tuple[str, int, int] | None:
    """The first complete date in the text, as (ISO date, start, end)."""
    found: list[tuple[int, int, str]] = []
    for match in _ISO_DATETIME.finditer(text):
        iso = _iso(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if iso:
            found.append((match.start(), match.end(), iso))
            break
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            month = MONTHS.get(match.group("month").lower())
            if month:
                iso = _iso(int(match.group("year")), month, int(match.group("day")))
                if iso:
                    found.append((match.start(), match.end(), iso))
                    break
    for match in _NUMERIC.finditer(text):
        a, b, c = match.group("a"), match.group("b"), match.group("c")
        if len(a) == 4:
            iso = _iso(int(a), int(b), int(c))
        else:
            year = int(c) + (2000 if len(c) == 2 else 0)
            iso = _iso(year, int(b), int(a))  # day first, as printed in Europe
        if iso:
            found.append((match.start(), match.end(), iso))
            break
    if not found:
        return None
    start, end, iso = min(found)
    return iso, start, end


def find_time(text: str) -> str | None:
    """The first clock time in the text as "HH:MM" ("21h28", "9:05 pm", "10 h")."""
    for match in _TIME.finditer(text):
        token = match.group(0)
        if match.group("minute") is None and not re.search(r"h", token, re.IGNORECASE):
            continue  # "10:" alone is not a time
        hour = int(match.group("hour"))
        minute = int(match.group("minute") or 0)
        ampm = (match.group("ampm") or "").lower().replace(".", "")
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        return f"{hour:02d}:{minute:02d}"
    return None
