"""Figures: numbers with what they count, normalised so sources can be compared.

"9,2 milliards de dollars", "$9.2bn" and "9.2 billion dollars" are one value
(9.2e9 USD); "plus de 60 milliards" keeps its qualifier ("more than") because
"more than 60" and "61" do not contradict each other. Number words are read by
text2num; the rest (scales, units, qualifiers, what is not a quantity at all)
is rules, because no library tells a year, a clock time, a phone number or a
score from a quantity in French news.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from text_to_num import text2num

SPACES = " \u00a0\u202f\u2009\u2007"
_SP = f"[{SPACES}]"


@dataclass(frozen=True)
class Figure:
    """One quantity in a text; offsets are into the text it was read from."""

    value: float
    unit: str
    kind: str  # amount | count | age | duration | distance | percent | mass | area | volume | temperature
    qualifier: str | None  # about | nearly | more than | at least | less than | at most | up to
    start: int
    end: int
    text: str


# ---------------------------------------------------------------- spans that are not quantities

_NOT_QUANTITY = [
    re.compile(r"(?:https?://|www\.)\S+", re.I),
    re.compile(r"\b[\w.-]+\.(?:com|fr|org|net|be|ch|ca|info|io|co|uk|de|eu|ly|gl)\b(?:/\S*)?", re.I),
    re.compile(r"\S+@\S+\.\w+"),  # e-mail
    re.compile(r"@\w+"),  # handles
    re.compile(r"#\w+"),  # hashtags
    # phone numbers: +33 1 23 45 67 89, 01 23 45 67 89, 06.12.34.56.78, (555) 123-4567, 555-123-4567
    re.compile(rf"\+\d{{1,3}}(?:[{SPACES}.\-]?\(?\d{{1,4}}\)?){{2,}}"),
    re.compile(rf"\b0\d(?:[{SPACES}.\-]?\d{{2}}){{4}}\b"),
    re.compile(rf"(?:\(\d{{3}}\)[{SPACES}]?|\b\d{{3}}[.\-])\d{{3}}[.\-]\d{{4}}\b"),
    # clock times: 21h28, 21 h 28, 9h, 21:28, 8 a.m.
    re.compile(rf"\b\d{{1,2}}{_SP}?[hH]{_SP}?\d{{2}}\b"),
    re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?\b"),
    re.compile(rf"\b\d{{1,2}}{_SP}?(?:a\.m\.|p\.m\.|am|pm)\b", re.I),
    re.compile(
        rf"\b(?:à|vers|dès|jusqu['’]à|avant|après|depuis|at|by|from|until){_SP}+\d{{1,2}}{_SP}?(?:h|heures?)\b(?!{_SP}*(?:de|d['’]|plus|après|sur))",
        re.I,
    ),
    # numeric dates and ISO dates
    re.compile(r"\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b"),
    re.compile(r"\b\d{4}-\d{2}-\d{2}(?:T[\d:.+Z-]+)?\b"),
    # ranges and scores: 2017-2021, 3-1, 2–0, (10-15)
    re.compile(rf"\b\d+{_SP}?[-–—/]{_SP}?\d+\b"),
    # codes glued to letters: F-16, COVID-19, A320, G7, M23
    re.compile(r"\b[A-Za-z]+-?\d+\w*"),
    re.compile(r"\b\d{8,}\b"),  # identifiers, long numbers without grouping
]


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    spans = [(m.start(), m.end()) for pattern in _NOT_QUANTITY for m in pattern.finditer(text)]
    spans.sort()
    return spans


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e in spans)


# ---------------------------------------------------------------- vocabularies

_NUMBER_WORDS_FR = (
    "zéro un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize "
    "vingt vingts trente quarante cinquante soixante cent cents mille"
).split()
_NUMBER_WORDS_EN = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
    "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand"
).split()

# scale words after a number; value, and whether they need a currency next to them to be read as a scale
_SCALES = {
    "milliards": 1e9, "milliard": 1e9, "mds": 1e9, "md": 1e9, "mrd": 1e9, "mrds": 1e9,
    "millions": 1e6, "million": 1e6, "mio": 1e6,
    "billions": 1e9, "billion": 1e9, "bn": 1e9, "bln": 1e9,
    "trillions": 1e12, "trillion": 1e12,
    "mille": 1e3, "thousand": 1e3,
}
_SCALES_FR_OVERRIDE = {"billion": 1e12, "billions": 1e12, "trillion": 1e18, "trillions": 1e18}
_CURRENCY_SCALES = {"m": 1e6, "mn": 1e6, "k": 1e3, "b": 1e9}  # "$3m", "5 k€": only next to a currency

_CURRENCY_SYMBOLS = {
    "us$": "USD", "$us": "USD", "$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₽": "RUB", "₴": "UAH",
    "c$": "CAD", "ca$": "CAD", "a$": "AUD", "chf": "CHF", "usd": "USD", "eur": "EUR", "gbp": "GBP",
    "jpy": "JPY", "cny": "CNY", "rub": "RUB", "uah": "UAH", "cad": "CAD", "aud": "AUD", "fcfa": "XOF",
}
_CURRENCY_WORDS = [
    (r"dollars?\s+(?:américains?|us)", "USD"), (r"dollars?\s+canadiens?", "CAD"), (r"dollars?\s+australiens?", "AUD"),
    (r"dollars?\s+de\s+hong\s+kong", "HKD"), (r"(?:us\s+)?dollars?", "USD"), (r"euros?", "EUR"),
    (r"livres?\s+sterling", "GBP"), (r"livres?", "GBP"), (r"pounds?(?:\s+sterling)?", "GBP"),
    (r"francs?\s+suisses?", "CHF"), (r"francs?\s+cfa", "XOF"), (r"yens?", "JPY"), (r"yuans?", "CNY"),
    (r"roubles?", "RUB"), (r"rubles?", "RUB"), (r"hryvnias?", "UAH"), (r"roupies?", "INR"), (r"rupees?", "INR"),
    (r"dirhams?", "MAD"), (r"dinars?", "DZD"), (r"francs?", "FRF"),
]

# measurement units: pattern, unit, kind, factor to the unit
_MEASURES = [
    (r"kilom[èe]tres?\s+carr[ée]s|km²|km2|square\s+kilomet(?:er|re)s", "km2", "area", 1.0),
    (r"hectares?|ha", "ha", "area", 1.0),
    (r"kilom[èe]tres?|kilomet(?:er|re)s|kms?", "km", "distance", 1.0),
    (r"miles", "miles", "distance", 1.0),
    (r"m[èe]tres?|met(?:er|re)s", "m", "distance", 1.0),
    (r"centim[èe]tres?|cm", "cm", "distance", 1.0),
    (r"kilos?|kilogrammes?|kilograms?|kg", "kg", "mass", 1.0),
    (r"tonnes?|tons?", "t", "mass", 1.0),
    (r"grammes?|grams?", "g", "mass", 1.0),
    (r"litres?|liters?", "l", "volume", 1.0),
    (r"barils|barrels", "barrels", "volume", 1.0),
    (r"°\s?C|degrés?(?:\s+celsius)?|degrees?", "°C", "temperature", 1.0),
    (r"pour\s?cent|per\s?cent|%", "%", "percent", 1.0),
    (r"points?\s+de\s+pourcentage|percentage\s+points?", "pp", "percent", 1.0),
    (r"heures|heure|hours?|hrs?|h", "hours", "duration", 1.0),
    (r"minutes?|mins?|mn", "minutes", "duration", 1.0),
    (r"secondes?|seconds?", "seconds", "duration", 1.0),
    (r"jours|jour|days?", "days", "duration", 1.0),
    (r"semaines?|weeks?", "weeks", "duration", 1.0),
    (r"mois|months?", "months", "duration", 1.0),
    (r"ans|an|années|année|years?|yrs?", "years", "duration", 1.0),
    (r"décennies|décennie|decades?", "decades", "duration", 1.0),
    (r"siècles?|centuries|century", "centuries", "duration", 1.0),
]
_MEASURE_PATTERNS = [(re.compile(rf"(?:{p})(?![\w²])", re.I), u, k, f) for p, u, k, f in _MEASURES]

# count nouns folded to one name (French and English); other nouns keep their singular form
_COUNT_NOUNS = {
    "soldiers": "soldat soldats militaire militaires troupe troupes combattant combattants soldier soldiers troops "
    "troop fighters fighter",
    "persons": "personne personnes individu individus gens habitant habitants people persons person "
    "inhabitants résident résidents residents",
    "deaths": "mort morts tué tués décès victime victimes dead deaths killed victims",
    "injured": "blessé blessés blessée blessées injured wounded",
    "hostages": "otage otages hostage hostages",
    "children": "enfant enfants child children",
    "migrants": "migrant migrants réfugié réfugiés refugees refugee",
    "prisoners": "prisonnier prisonniers détenu détenus prisoners prisoner",
    "missiles": "missile missiles",
    "drones": "drone drones",
    "countries": "pays country countries",
    "employees": "salarié salariés employé employés emplois employees jobs",
}
_COUNT_NOUN_INDEX = {word: unit for unit, words in _COUNT_NOUNS.items() for word in words.split()}

_MONTHS = set(
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre "
    "janv févr avr juil sept oct nov déc january february march april may june july august september october "
    "november december jan feb mar apr jun jul aug sep dec".split()
)
# words after a number that are not what it counts
_NOT_A_NOUN = set(
    """de des du d à au aux et ou en le la les l un une qui que qu quand pour par sur sous dans avec sans ce cet cette
    ces se sa son ses leur leurs est sont a ont était fut être avoir il elle ils elles on y ne pas plus moins fois
    reprises fois-ci heures selon contre entre vers chez dont où mais donc car comme ainsi aussi même tous toutes
    the of and or to in on at for by with from is are was were has have had it its this that these those as than
    times per cent ans an janvier""".split()
) | _MONTHS
# adjectives allowed between a number and its noun ("14 autres otages", "quatre dernières années")
_BETWEEN = set(
    """autres nouveaux nouvelles premiers premières derniers dernières principaux principales petits petites grands
    grandes jeunes anciens anciennes précédentes précédents prochains prochaines seuls seules other more new last first
    additional""".split()
)

_QUALIFIERS = [
    (r"environ|quelque|approximativement|autour\s+d[eu]|aux\s+alentours\s+d[eu]|about|around|roughly|some|approximately|circa|ca\.", "about"),
    (r"près\s+d[e'’]|presque|quasi(?:ment)?|pratiquement|nearly|almost|close\s+to", "nearly"),
    (r"plus\s+d[e'’]|au-delà\s+d[e'’]|more\s+than|over|upwards\s+of|supérieure?s?\s+à", "more than"),
    (r"au\s+moins|pas\s+moins\s+d[e'’]|au\s+minimum|at\s+least|no\s+fewer\s+than|no\s+less\s+than", "at least"),
    (r"moins\s+d[e'’]|less\s+than|fewer\s+than|under|inférieure?s?\s+à", "less than"),
    (r"au\s+plus|au\s+maximum|pas\s+plus\s+d[e'’]|at\s+most|no\s+more\s+than", "at most"),
    (r"jusqu['’]à|up\s+to", "up to"),
]
_QUALIFIER_BEFORE = re.compile(
    r"(?:^|[\s(«“\"'’])(" + "|".join(f"(?:{p})" for p, _ in _QUALIFIERS) + rf")\s*(?:{_SP}*)$", re.I
)

# approximate nouns: "une dizaine de", "des centaines de" is vague and not kept
_APPROXIMATE = {
    "dizaine": 10, "douzaine": 12, "quinzaine": 15, "vingtaine": 20, "trentaine": 30, "cinquantaine": 50,
    "soixantaine": 60, "centaine": 100, "millier": 1000,
}

_DIGITS = re.compile(
    rf"(?<![\w.,/])(?<!\w-)(?P<int>\d{{1,3}}(?:{_SP}\d{{3}})+(?!\d)|\d{{1,3}}(?:\.\d{{3}})+(?![\d,])|\d{{1,3}}(?:,\d{{3}})+(?![\d.])|\d+)(?:[.,](?P<frac>\d+))?"
)


def _word_number_pattern(words: list[str]) -> re.Pattern[str]:
    alternation = "|".join(sorted(words, key=len, reverse=True))
    word = rf"(?:{alternation})"
    return re.compile(rf"(?<![\w-]){word}(?:(?:[\s-]+|\s+et\s+|-et-){word})*(?![\w-])", re.I)


_WORDS_FR = _word_number_pattern(_NUMBER_WORDS_FR)
_WORDS_EN = _word_number_pattern(_NUMBER_WORDS_EN)
_APPROX_PATTERN = re.compile(r"\b(?:une?)\s+(" + "|".join(_APPROXIMATE) + r")s?(?=\s+(?:de\s+|d['’]))", re.I)


def _parse_digits(match: re.Match[str], language: str) -> float | None:
    integer = match.group("int")
    frac = match.group("frac")
    sep_after_int = match.string[match.end("int")] if frac is not None else ""
    groups = re.split(rf"[{SPACES}]", integer)
    if len(groups) > 1:
        digits = "".join(groups)
    elif "." in integer and language != "en":  # 1.000.000 (thousands) in French
        digits = integer.replace(".", "")
    elif "," in integer and language == "en":
        digits = integer.replace(",", "")
    elif "," in integer or "." in integer:
        # "1,000" in French prose or "1.000" in English: read the separator as a decimal mark
        whole, _, decimals = integer.replace(",", ".").partition(".")
        return float(f"{whole}.{decimals}")
    else:
        digits = integer
    if frac is not None:
        if language == "en" and sep_after_int == ",":
            return None  # "3,5" in English prose is a list, not a number
        return float(f"{digits}.{frac}")
    return float(digits)


# ---------------------------------------------------------------- the extractor


def _skip_spaces(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in SPACES + "\t":
        pos += 1
    return pos


def _match_scale(text: str, pos: int, language: str, currency_near: bool) -> tuple[float, int]:
    """A scale word after a number ("milliards", "bn", "m" next to a currency): (factor, end)."""
    p = _skip_spaces(text, pos)
    m = re.match(r"([A-Za-zéè]+)\.?(?![\w])", text[p:])
    if not m:
        return 1.0, pos
    word = m.group(1).lower()
    scales = dict(_SCALES)
    if language == "fr":
        scales.update(_SCALES_FR_OVERRIDE)
    if word in scales:
        if word in ("mille", "thousand"):
            return scales[word], p + m.end()
        return scales[word], p + m.end()
    if word in _CURRENCY_SCALES and (currency_near or _currency_at(text, p + m.end(), glued=True)[0]):
        if m.group(1) == "M" or word != "m" or currency_near:
            return _CURRENCY_SCALES[word], p + m.end()
    return 1.0, pos


def _currency_at(text: str, pos: int, glued: bool = False) -> tuple[str | None, int]:
    """A currency right after `pos` ("de dollars", "€", "USD"): (code, end)."""
    p = pos if glued else _skip_spaces(text, pos)
    rest = text[p : p + 40]
    for symbol, code in sorted(_CURRENCY_SYMBOLS.items(), key=lambda kv: -len(kv[0])):
        if rest.lower().startswith(symbol) and (not symbol.isalpha() or not rest[len(symbol) : len(symbol) + 1].isalpha()):
            return code, p + len(symbol)
    m = re.match(r"(?:de\s+|d['’])?(" + "|".join(p for p, _ in _CURRENCY_WORDS) + r")(?![\w])", rest, re.I)
    if m:
        word = m.group(1).lower()
        for pattern, code in _CURRENCY_WORDS:
            if re.fullmatch(pattern, word, re.I):
                return code, p + m.end()
    return None, pos


def _currency_before(text: str, start: int) -> tuple[str | None, int]:
    """A currency symbol just before the number ("$9.2bn", "US$ 5", "€5")."""
    before = text[max(0, start - 5) : start]
    m = re.search(r"(US\$|\$US|C\$|CA\$|A\$|[$€£¥₽₴])[{}]?$".format(SPACES), before)
    if m:
        return _CURRENCY_SYMBOLS[m.group(1).lower()], start - (len(before) - m.start())
    return None, start


def _qualifier_before(text: str, start: int) -> tuple[str | None, int]:
    window = text[max(0, start - 40) : start]
    m = _QUALIFIER_BEFORE.search(window)
    if not m:
        return None, start
    phrase = m.group(1)
    for pattern, name in _QUALIFIERS:
        if re.fullmatch(pattern, phrase.strip(), re.I):
            return name, start - (len(window) - m.start(1))
    return None, start


def _noun_after(text: str, pos: int, after_scale: bool = False) -> tuple[str | None, int]:
    """The noun a bare number counts ("50 000 soldats", "14 autres otages"): (unit, end).

    After a scale word the noun needs "de": "3 millions d'habitants", not "7,1 milliards issus".
    """
    p = _skip_spaces(text, pos)
    if after_scale:
        m = re.match(r"(?:de\s+|d['’])", text[p:], re.I)
        if not m:
            return None, pos
        p += m.end()
    words = list(re.finditer(r"[A-Za-zÀ-ÖØ-öø-ÿœŒ]+(?:-[A-Za-zÀ-ÖØ-öø-ÿœŒ]+)*", text[p : p + 60]))
    for i, m in enumerate(words[:2]):
        gap = text[p + (words[i - 1].end() if i else 0) : p + m.start()]
        if gap.strip(SPACES + "\t"):
            return None, pos
        word = m.group(0)
        lower = word.lower()
        if i == 0 and lower in _BETWEEN:
            continue
        if word[0].isupper() or lower in _NOT_A_NOUN or len(lower) < 3:
            return None, pos
        if lower not in _COUNT_NOUN_INDEX and _VERB_LIKE.search(lower):
            return None, pos
        unit = _COUNT_NOUN_INDEX.get(lower) or _singular(lower)
        return unit, p + m.end()
    return None, pos


_VERB_LIKE = re.compile(r"(?:ent|ont|ait|aient|era|eront|erait|é|ée|és|ées)$")
_NUMBERING_BEFORE = re.compile(
    r"(?:\b(?:article|n°|no|num[ée]ro|page|p\.|chapitre|alin[ée]a|rue|avenue|boulevard|bd|route|autoroute|ligne|"
    r"section|vol\.?|tome|saison|[ée]pisode|[ée]dition|version|niveau|phase|cat[ée]gorie|classe|groupe|zone|"
    r"secteur|lot|code|table|salle|porte|quai|terminal|vol|flight|number|no\.|pp?\.|art\.|§|n°)|#|n°)\s*$",
    re.I,
)


def _singular(word: str) -> str:
    if word.endswith("aux") and len(word) > 4:
        return word[:-3] + "al"
    if word.endswith("eux") and len(word) > 4:
        return word[:-1]
    if word.endswith("s") and len(word) > 3 and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _measure_at(text: str, pos: int, glued: bool) -> tuple[tuple[str, str, float] | None, int]:
    p = pos if glued else _skip_spaces(text, pos)
    rest = text[p : p + 40]
    between = re.match(r"([a-zà-ÿ]+)[ \u00a0\u202f]+", rest)
    if not glued and between and between.group(1) in _BETWEEN:
        rest = rest[between.end() :]  # "quatre dernières années"
        p += between.end()
    for pattern, unit, kind, factor in _MEASURE_PATTERNS:
        m = pattern.match(rest)
        if m:
            if unit == "hours" and m.group(0).lower() == "h" and re.match(r"h\s*\d", rest, re.I):
                return None, pos  # "21h28" is a time
            if unit == "m" and m.group(0) == "m" and not glued and re.match(r"m\s+[a-zà-ÿ]", rest):
                return None, pos
            return (unit, kind, factor), p + m.end()
    return None, pos


_RANGE_START = re.compile(
    rf"(?:\d|\b(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|vingt|trente|quarante|cinquante|cent|mille))"
    rf"(?:[.,]\d+)?{_SP}*(?:%{_SP}*)?(?:à|et|ou|-|–|to|or|and){_SP}+$",
    re.I,
)
_AGE_BEFORE = re.compile(
    r"(?:âgée?s?\s+de|à|aged|(?<!\by\s)(?:a|ont|avait|avaient|aura|auront|avoir|ayant|fête|fêtera|fêté|is|was|turns)"
    r"(?:\s+(?:bientôt|déjà|presque|tout\s+juste))?)\s*$",
    re.I,
)
_DURATION_BEFORE_DE = re.compile(
    r"(?:plus|moins|près|environ|peine|durée|période|délai|mandat|bout|cours|programme|plan|contrat|bail|"
    r"prison|réclusion|emprisonnement|détention|condamnée?s?|âge|espace|fin|intervalle)\s+de\s*$",
    re.I,
)
_DURATION_AFTER = re.compile(r"\s*(?:de\s+|d['’])(?:prison|réclusion|emprisonnement|détention|travaux|guerre|mandat|"
                             r"conflit|service|carrière|règne|occupation|exil|captivité|retard|vie|existence)", re.I)


def _age_or_duration(text: str, start: int, end: int, qualifier: str | None) -> str:
    """'78 ans' is an age after 'de'/'âgé de'/a name in apposition; a duration otherwise."""
    before = text[max(0, start - 40) : start]
    after = text[end : end + 30]
    if re.search(r"-year-old", text[end : end + 12]) or _AGE_BEFORE.search(before):
        return "age"
    if re.search(r"[,(]\s*$", before) and re.match(r"\s*[,)]", after):
        return "age"  # "Donald Trump, 78 ans," / "(78 ans)"
    if qualifier is None and re.search(r"\bde\s*$", before) and not _DURATION_BEFORE_DE.search(before):
        if not _DURATION_AFTER.match(after):
            return "age"
    return "duration"


def extract_figures(text: str, language: str = "fr") -> list[Figure]:
    """Every quantity in `text` with its unit, in text order.

    Numbers that are not quantities (years, clock times, dates, phone numbers,
    scores and ranges, codes such as F-16, anything inside a URL) are left out,
    and so are bare numbers that count nothing this module can name.
    """
    blocked = _blocked_spans(text)
    candidates: list[tuple[int, int, float, bool]] = []  # start, end, value, written in digits
    for m in _DIGITS.finditer(text):
        if _overlaps(blocked, m.start(), m.end()):
            continue
        value = _parse_digits(m, language)
        if value is not None:
            candidates.append((m.start(), m.end(), value, True))
    for pattern, lang in ((_WORDS_FR, "fr"), (_WORDS_EN, "en")):
        if lang == "en" and language != "en":
            continue
        for m in pattern.finditer(text):
            value = _words_value(m.group(0), lang)
            if value is not None and not _overlaps(blocked, m.start(), m.end()):
                candidates.append((m.start(), m.end(), value, False))
    for m in _APPROX_PATTERN.finditer(text):
        end = m.end(1) + (1 if text[m.end(1) : m.end(1) + 1] == "s" else 0)
        candidates.append((m.start(), end, float(_APPROXIMATE[m.group(1).lower()]), False))
    candidates.sort()

    figures: list[Figure] = []
    last_currency: tuple[str, int] | None = None  # currency of the last amount, for "dont 7,1 milliards"
    for start, end, value, digits in candidates:
        if figures and start < figures[-1].end:
            continue
        approximate = not digits and re.match(r"une?\s", text[start:end], re.I) is not None
        figure = _read_figure(text, start, end, value, digits, language, last_currency, approximate)
        if figure is None:
            continue
        figures.append(figure)
        if figure.kind == "amount":
            last_currency = (figure.unit, figure.end)
    return figures


def _words_value(words: str, language: str) -> float | None:
    tokens = re.split(r"(\s+|-)", words)
    while tokens:
        phrase = "".join(tokens).strip(" -")
        try:
            return float(text2num(phrase, language))
        except ValueError:
            tokens = tokens[:-2] if len(tokens) > 2 else []
    return None


def _read_figure(
    text: str,
    start: int,
    end: int,
    value: float,
    digits: bool,
    language: str,
    last_currency: tuple[str, int] | None,
    approximate: bool,
) -> Figure | None:
    surface_start = start
    currency, cur_start = _currency_before(text, start) if digits else (None, start)
    if currency:
        surface_start = cur_start
    if not digits and not approximate and value < 2 and not _next_is_scale(text, end, language):
        return None  # "un", "une" are articles unless a scale follows ("un million")
    scale, pos = _match_scale(text, end, language, currency is not None)
    if approximate:
        pos = end
    value *= scale
    if currency is None:
        currency, after = _currency_at(text, pos, glued=text[pos : pos + 1] not in SPACES)
        if currency:
            pos = after
    qualifier, q_start = _qualifier_before(text, surface_start)
    if qualifier is None and _RANGE_START.search(text[max(0, surface_start - 30) : surface_start]):
        qualifier = "up to"  # "entre 50 et 100 salariés", "de 95 à 99 %", "40 à 50 milliards": the top of a range
    if approximate and qualifier is None:
        qualifier = "about"
    unit: str | None = None
    kind = ""
    if currency:
        unit, kind = currency, "amount"
    else:
        measure, after = _measure_at(text, pos, glued=pos < len(text) and text[pos] not in SPACES)
        if measure is not None and scale == 1.0:
            unit, kind, factor = measure
            value *= factor
            pos = after
            half = re.match(r"\s+et\s+demie?\b|\s+and\s+a\s+half\b", text[pos:])
            if half:  # "deux ans et demi"
                value += 0.5
                pos += half.end()
            months = re.match(r"\s+et\s+(\d{1,2}|un|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze)\s+mois\b",
                              text[pos:], re.I)
            if unit == "years" and months:  # "six ans et quatre mois"
                count = months.group(1)
                value += (int(count) if count.isdigit() else text2num(count.lower(), "fr")) / 12
                pos += months.end()
            if unit == "years":
                kind = _age_or_duration(text, start, pos, qualifier)
        else:
            if pos < len(text) and text[pos].isalpha():
                return None  # glued letters: "1er", "3e", "10x"
            noun, after = _noun_after(text, pos, after_scale=scale > 1.0 or approximate)
            if noun is not None:
                unit, kind, pos = noun, "count", after
            elif scale > 1.0 and last_currency and _same_sentence(text, last_currency[1], start):
                unit, kind = last_currency[0], "amount"  # "9,2 milliards de dollars, dont 7,1 milliards"
            else:
                return None
        if _NUMBERING_BEFORE.search(text[max(0, surface_start - 20) : surface_start]):
            return None  # "article 49", "n° 5", "page 12"
    if digits and scale == 1.0 and kind not in ("amount", "distance", "area", "mass", "volume", "percent"):
        if _looks_like_year(text, start, end, value):
            return None
    if kind == "count" and not digits and value < 10 and scale == 1.0 and unit not in _COUNT_NOUNS:
        return None  # "les deux hommes": too common to be a checkable figure
    surface_start = min(surface_start, q_start)
    return Figure(value, unit, kind, qualifier, surface_start, pos, text[surface_start:pos])


def _next_is_scale(text: str, end: int, language: str) -> bool:
    scale, _ = _match_scale(text, end, language, currency_near=False)
    return scale > 1.0


def _same_sentence(text: str, a: int, b: int) -> bool:
    between = text[a:b]
    return re.search(r"[.!?]\s|\n", between) is None and len(between) < 200


def _looks_like_year(text: str, start: int, end: int, value: float) -> bool:
    raw = text[start:end]
    return raw.isdigit() and len(raw) == 4 and 1500 <= value <= 2100
