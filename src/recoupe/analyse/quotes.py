"""Quotes and who said them: « », “ ”, " " quotes, reported speech
("X a martelé que ...", "selon X, ..."), credit lines under a pulled quote and
embedded posts.

Quote marks in scraped news are often mangled (”Ils essaieront ...”, a « closed
by ”), so marks are read by what flanks them rather than by their shape. A
pronoun speaker ("a-t-il déclaré", "cette dernière") is resolved to the last
person named before the quote whose known gender (M., Mme, le/la + role) does
not rule them out, preferring the speaker of the quote just before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True)
class Quote:
    """A quoted or reported statement; offsets into the text (-1 for an embedded post)."""

    text: str
    speaker: str | None
    start: int
    end: int
    kind: str  # direct | reported
    speaker_how: str | None = None  # named | role | pronoun | credit | post | None when unknown


class EntityLike(Protocol):
    text: str
    label: str
    start: int
    end: int


class PostLike(Protocol):
    text: str
    author: str | None
    name: str | None


# ---------------------------------------------------------------- speech verbs

_ER_VERBS = (
    "déclar affirm annonc assur estim expliqu soulign ajout précis martel martèl insist lanc rappel rappell "
    "confi témoign indiqu raconte racont comment not observ plaid jug déplor regrett dénonc accus confirm "
    "avou répliqu rétorqu tranch résum lâch prévien souhait conclu poursuiv mentionn évoqu signal avanc "
    "déplor prôn réclam exig demand réitér interrog menac promett clam proclam tweet écri résum alert "
    "reconn admet précis exhort appel nuanc relativis tempér martel ironis gliss concéd concèd "
    "réaffirm répét fustig qualifi critiqu salu détaill reproch interpell soulign"
).split()
_IRREGULAR_FORMS = (
    "dit dite dits disent disait disaient dira déclare "
    "répondu répond répondait reconnu reconnaît reconnait reconnaissait "
    "prévenu prévient prévenait averti avertit avertissait démenti dément démentait "
    "promis promet promettait admis admet admettait poursuivi poursuit poursuivait "
    "écrit écrivait écrivent conclu conclut concluait réagi réagit réagissait "
    "soutenu soutient soutenait maintenu maintient maintenait nié nie niait "
    "lancé lance lançait mis en garde met en garde mettait en garde "
    "said says told added stated warned explained insisted noted wrote tweeted announced claimed argued"
).split(" ")
_SPEECH_FORMS: set[str] = set()
for _stem in _ER_VERBS:
    for _ending in ("é", "ée", "és", "ées", "e", "ent", "ait", "aient", "a", "èrent", "ant"):
        _SPEECH_FORMS.add(_stem + _ending)
_SPEECH_FORMS.update(
    form.strip() for form in " ".join(_IRREGULAR_FORMS).split() if form.strip() not in ("en", "garde", "mis", "met")
)
# plain words that the stems above generate by accident
_SPEECH_VERB = r"(?:" + "|".join(sorted((re.escape(f) for f in _SPEECH_FORMS), key=len, reverse=True)) + r")"

_AUX = r"(?:a|ont|avait|avaient|aurait|auraient|avaient|had|has|have)"
_PRONOUNS = {"il", "elle", "ils", "elles", "on", "he", "she", "they"}
_ANAPHORS = {"cette dernière": "f", "ce dernier": "m", "celle-ci": "f", "celui-ci": "m", "elle": "f", "il": "m",
             "ils": "m", "elles": "f", "on": None, "he": "m", "she": "f", "they": None}
_ADVERBS = r"(?:encore|également|aussi|ensuite|alors|notamment|simplement|déjà|ainsi|plus\s+tard|pour\s+sa\s+part|quant\s+à\s+lui|quant\s+à\s+elle|of\s+course|later|also)"
_TIME_WORDS = re.compile(
    r"^(?:(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|hier|aujourd['’]hui|ce\s+matin|ce\s+soir|"
    r"dans\s+la\s+foulée|mardi\s+soir|ensuite|encore|également|aussi|yesterday|today|on\s+\w+day)"
    r"(?:\s+(?:soir|matin|midi|après-midi|dernier))?[\s,]*)+",
    re.I,
)

_AFTER_ATTRIBUTION = re.compile(
    rf"^(?:\s+[^,.;:!?«»“”\"\n]{{1,40}})?[\s,.]*(?:"
    rf"{_AUX}(?:(?:-t)?-(?P<pron1>il|elle|ils|elles|on))?\s+(?:{_ADVERBS}\s+)?(?P<v1>{_SPEECH_VERB})"
    rf"|(?P<v2>{_SPEECH_VERB})-(?:t-)?(?P<pron2>il|elle|ils|elles|on)"
    rf"|(?:selon|d['’]après|according\s+to)"
    rf"|(?P<v3>{_SPEECH_VERB})"
    rf")\b",
    re.I,
)
_TITLES = re.compile(
    r"^(?:(?:M\.|MM\.|Mme|Mmes|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?|Me|Mgr|Monsieur|Madame|Sir|"
    r"Secrétaire|Président|Présidente|Ministre|Sénateur|Sénatrice|Général|Secretary|President|Senator|"
    r"Minister|General|Prime\s+Minister|Premier\s+ministre)\s+)+"
)
_NAME_TOKEN = r"[A-ZÀ-ÖØ-ÞŒ](?:[\w’'\-]+|\.)"
_PARTICLE = r"(?:de|du|des|d['’]|van|von|der|den|al|el|bin|ben|da|di|la|le|y)"
_NAME = rf"{_NAME_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_TOKEN})*"
_STOP_LOWER = set(
    """à au aux dans lors devant sur pendant en après avant par pour avec sans chez selon lundi mardi mercredi jeudi
    vendredi samedi dimanche hier et mais qui que qu dont où lui leur devant auprès face mardi to at in on during
    after before with for who that which""".split()
)


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()


# ---------------------------------------------------------------- quote marks

_OPENERS = "«„‹“"
_CLOSERS = "»›”"
_MARKS = _OPENERS + _CLOSERS + '"'


def _is_word_char(ch: str) -> bool:
    return ch.isalnum()


def _role(text: str, i: int, depth: int) -> str:
    ch = text[i]
    prev = text[i - 1] if i > 0 else " "
    nxt = text[i + 1] if i + 1 < len(text) else " "
    prev_space = prev.isspace() or prev in "([{—–-/'’" or i == 0
    next_space = nxt.isspace() or nxt in ".,;:!?)]}…" or i + 1 == len(text)
    if ch in "«„‹":
        return "close" if (not prev_space and next_space and depth > 0) else "open"
    if ch in "»›":
        return "open" if (prev_space and not next_space and depth == 0) else "close"
    if ch == "“":
        return "close" if (not prev_space and next_space and depth > 0) else "open"
    if ch == "”":
        if _is_word_char(nxt) and not _is_word_char(prev):
            return "open"  # "[sortante]”Ils essaieront": a mangled opener
        if prev_space and not next_space and depth == 0:
            return "open"
        return "close"
    # straight quote
    if prev_space and not next_space:
        return "open"
    if next_space and not prev_space:
        return "close"
    return "close" if depth > 0 else "open"


def quote_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each outermost pair of quote marks; no pair crosses a paragraph."""
    pairs: list[tuple[int, int, int]] = []  # open index, close index, depth
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch == "\n":
            stack.clear()
            continue
        if ch not in _MARKS:
            continue
        if _role(text, i, len(stack)) == "open":
            stack.append(i)
        elif stack:
            opened = stack.pop()
            pairs.append((opened, i, len(stack)))
    pairs.sort()
    kept: list[tuple[int, int]] = []
    for o, c, _depth in pairs:
        if any(ko <= o and c <= kc for ko, kc in kept):
            continue  # a quote inside a quote
        kept = [(ko, kc) for ko, kc in kept if not (o <= ko and kc <= c)]
        kept.append((o, c))
    kept.sort()
    return [(o + 1, c) for o, c in kept]


# ---------------------------------------------------------------- sentences and names


def _sentence_bounds(text: str, pos: int, quotes: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The sentence around `pos`; quoted text does not end a sentence."""
    def inside(i: int) -> bool:
        return any(s <= i < e for s, e in quotes)

    left = pos
    while left > 0:
        ch = text[left - 1]
        if ch == "\n" or (ch in ".!?" and not inside(left - 1) and left < len(text) and text[left].isspace()
                          and not re.search(r"\b(?:M|Mme|Dr|St|Mr|[A-Z])\.$", text[max(0, left - 5) : left])):
            break
        left -= 1
    right = pos
    while right < len(text):
        ch = text[right]
        if ch == "\n":
            break
        if ch in ".!?" and not inside(right) and (right + 1 == len(text) or text[right + 1].isspace()):
            if not re.search(r"\b(?:M|Mme|Dr|St|Mr|[A-Z])$", text[max(0, right - 4) : right]):
                right += 1
                break
        right += 1
    return left, right


def _clean_speaker(raw: str) -> str | None:
    speaker = raw.strip(" ,.;:()«»“”\"'’")
    speaker = re.sub(r"^(?:le|la|les|l['’]|un|une|des|the|a|an)\s+", "", speaker, flags=re.I)
    speaker = _TITLES.sub("", speaker).strip()
    return speaker or None


def _noun_phrase_after(text: str) -> tuple[str | None, str | None]:
    """The speaker named after an attribution verb: (speaker, how)."""
    text = _TIME_WORDS.sub("", text.lstrip(" ,"))
    lower = text.lower()
    for anaphor in sorted(_ANAPHORS, key=len, reverse=True):
        if re.match(rf"{re.escape(anaphor)}\b", lower):
            return anaphor, "pronoun"
    m = re.match(rf"(?:(?:M\.|Mme|Mlle|Dr|Pr|Me)\s+)?{_NAME}(?:\s+(?:et|and)\s+(?:(?:M\.|Mme|Mlle|Dr|Pr|Me)\s+)?{_NAME})?", text)
    if m and m.group(0)[0].isupper():  # "selon Kiev et Washington": both speak
        return _clean_speaker(m.group(0)), "named"
    # "le ministre", "un responsable américain", "le secrétaire d'Etat américain Antony Blinken", "le Kremlin"
    m = re.match(r"(?:(?:les|le|la|une|un|des|the|an|a)\s+|l['’]\s*)", text, re.I)
    if not m:
        return None, None
    words: list[str] = []
    rest = text[m.end() :]
    for token in re.finditer(r"[\w’'\-]+\.?|[,.;:()«»\"]", rest):
        word = token.group(0)
        if not re.match(r"\w", word):
            break
        if word.endswith(".") and word[0].islower():
            if word[:-1].lower() not in _STOP_LOWER:
                words.append(word[:-1])
            break
        if word[0].isupper():
            name = re.match(_NAME, rest[token.start() :])
            if name:
                if words and not re.search(r"[A-ZÀ-Þ]", " ".join(words)):
                    # role words then a name: the name is the speaker
                    return _clean_speaker(name.group(0)), "named"
                return _clean_speaker(name.group(0)), "named"
        if word.lower() in _STOP_LOWER or len(words) >= 5:
            break
        words.append(word)
    if not words:
        return None, None
    return " ".join(words), "role"


# a speech verb not used as a noun ("la demande", "l'estime")
_BEFORE_VERB = re.compile(rf"(?<!\bla\s)(?<!\ble\s)(?<!\bune\s)(?<!\bun\s)(?<!\bl['’])(?<!\bsa\s)(?<!\bson\s)\b(?P<v>{_SPEECH_VERB})\b", re.I)


def _subject_before(text: str, verb_start: int, lo: int) -> tuple[str | None, str | None]:
    """The subject just before a speech verb: "Mme Kallas a martelé", "Jake Sullivan, conseiller ..., a évoqué"."""
    head = text[lo:verb_start]
    head = re.sub(rf"\s*(?:{_AUX}|n['’]a|ne|n['’]ont|en)\s*$", "", head, flags=re.I)
    head = re.sub(rf"(?:\s+{_ADVERBS})+\s*$", "", head, flags=re.I).rstrip()
    relative = re.search(r"\bqui\s+(?:l['’]|les\s+|lui\s+|leur\s+|en\s+)?$", head, flags=re.I)
    if relative:  # "démentie par le Kremlin, qui l'a qualifiée de": the antecedent speaks
        return _trailing_name(head[: relative.start()].rstrip(" ,"), after_preposition=True)
    if head.endswith(","):  # apposition: "Jake Sullivan, conseiller à la sécurité nationale, a évoqué"
        before = head[:-1]
        comma = before.rfind(",")
        if comma != -1:
            candidate = _trailing_name(before[:comma])
            if candidate[0]:
                return candidate
        head = before
    return _trailing_name(head)


_PREPOSITION_BEFORE = re.compile(
    r"\b(?:par|pour|avec|à|au|aux|de|du|des|d['’]|chez|contre|sur|entre|vers|devant|derrière|sans|sous|envers|"
    r"auprès\s+de|face\s+à|by|with|for|to|from)\s+(?:(?:le|la|les|l['’])\s*)?(?:[a-zà-ÿ\-]+\s+){0,3}$",
    re.I,
)


def _trailing_name(head: str, after_preposition: bool = False) -> tuple[str | None, str | None]:
    head = head.rstrip()
    m = re.search(rf"(?:(?:M\.|Mme|Mlle|Dr|Pr|Me)\s+)?{_NAME}$", head)
    if m and not after_preposition and _PREPOSITION_BEFORE.search(head[: m.start()]) and not re.search(
        r"(?:\b(?:les|le|la|une|un|des)\s+|\bl['’]\s*)[a-zà-ÿ\-]+(?:\s+[a-zà-ÿ\-]+)?\s+(?:de|du|des|d['’])\s*$",
        head[: m.start()],
        re.I,
    ):
        return None, None  # "reçus par le président Nicolas Sarkozy ont jugé": not the subject
    if m and not re.fullmatch(r"(?:Il|Elle|Ils|Elles|On|Le|La|Les|Selon|Et|Mais)", m.group(0)):
        name = m.group(0)
        # drop a sentence-initial function word caught by the capital ("Le Kremlin" keeps "Kremlin")
        name = re.sub(r"^(?:Le|La|Les|L['’]|Un|Une|Selon|Et|Mais|Lors|Dans|Pour)\s+", "", name)
        role = re.search(
            r"(?:\b(?:les|le|la|une|un|des)\s+|\bl['’]\s*)([a-zà-ÿ\-]+(?:\s+[a-zà-ÿ\-]+)?\s+(?:de|du|des|d['’])\s*)$",
            head[: m.start()],
            re.I,
        )
        if role and " " not in name.strip() and not any(w in _STOP_LOWER for w in role.group(1).split()[:1]):
            return role.group(1) + name, "role"  # "les responsables de Biden"
        return _clean_speaker(name), "named"
    m = re.search(r"\b(il|elle|ils|elles|on|cette\s+dernière|ce\s+dernier)$", head, re.I)
    if m:
        return m.group(1).lower(), "pronoun"
    m = re.search(r"\b(?:le|la|les|l['’]|un|une)\s+([a-zà-ÿ\-]+(?:\s+[a-zà-ÿ\-]+){0,2})$", head, re.I)
    if m and not any(w in _STOP_LOWER for w in m.group(1).split()):
        return m.group(1), "role"
    return None, None


def _speaker_for(text: str, start: int, end: int, quotes: Sequence[tuple[int, int]]) -> tuple[str | None, str | None, int]:
    """(speaker, how, end of the attribution) for the quote text[start:end]."""
    s_lo, s_hi = _sentence_bounds(text, end, quotes)
    # after the quote, skipping over the quotes that follow in the same sentence
    cursor = end + 1
    while cursor < s_hi:
        tail = text[cursor:s_hi]
        m = _AFTER_ATTRIBUTION.match(tail)
        if m:
            pronoun = m.group("pron1") or m.group("pron2")
            if pronoun:
                return pronoun.lower(), "pronoun", cursor + m.end()
            speaker, how = _noun_phrase_after(tail[m.end() :])
            if speaker:
                return speaker, how, cursor + m.end()
        following = [(qs, qe) for qs, qe in quotes if qs > cursor and qs < s_hi]
        if not following:
            break
        gap = text[cursor : following[0][0] - 1]
        if re.search(r"[.!?]\s", gap):
            break
        cursor = following[0][1] + 1
    # before the quote, in its own sentence: the last speech verb and its subject
    b_lo, _ = _sentence_bounds(text, start, quotes)
    head = text[b_lo : max(b_lo, start - 1)]
    masked = _mask(head, [(qs - b_lo, qe - b_lo) for qs, qe in quotes if b_lo <= qs and qe <= start])
    selon = list(_REPORTED_SELON.finditer(masked))
    if selon and re.search(r"[,:]", masked[selon[-1].end() :]):
        rest = masked[selon[-1].end() :]
        pronoun = re.match(r"(lui|elle|eux|elles)\b", rest, re.I)
        if pronoun:  # "Selon lui, ... : « ... »"
            return {"lui": "il", "eux": "ils"}.get(pronoun.group(1).lower(), pronoun.group(1).lower()), "pronoun", start
        speaker, how = _noun_phrase_after(rest)
        if speaker and how != "pronoun":
            return speaker, how, start
    verbs = list(_BEFORE_VERB.finditer(masked))
    if verbs:
        verb = verbs[-1]
        speaker, how = _subject_before(masked, verb.start(), 0)
        if speaker:
            return speaker, how, start
    m = re.search(rf"({_NAME})\s*:\s*$", masked)
    if m:
        return _clean_speaker(m.group(1)), "named", start
    return None, None, end


def _mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    chars = list(text)
    for s, e in spans:
        for i in range(max(0, s), min(len(chars), e)):
            chars[i] = "x"
    return "".join(chars)


# ---------------------------------------------------------------- gender and antecedents

_ROLE_WORDS = r"(?:(?!(?:de|du|des|d)\b)[a-zà-ÿ\-]+\s+){1,3}"
_MASC = re.compile(rf"(?:\bM\.|\bMonsieur|\bMr\.?|\ble\s+{_ROLE_WORDS})\s*({_NAME_TOKEN}(?:\s+{_NAME_TOKEN})?)")
_FEM = re.compile(rf"\b(?:Mme|Madame|Mlle|Mrs\.?|Ms\.?|la\s+{_ROLE_WORDS})\s*({_NAME_TOKEN}(?:\s+{_NAME_TOKEN})?)")


def _gender_evidence(text: str) -> dict[str, str]:
    """surname -> "m" | "f" from titles and articled roles before a name ("M. Borrell", "la ministre Kallas")."""
    evidence: dict[str, set[str]] = {}
    for pattern, gender in ((_MASC, "m"), (_FEM, "f")):
        for m in pattern.finditer(text):
            surname = _fold(m.group(1).split()[-1])
            evidence.setdefault(surname, set()).add(gender)
    return {k: next(iter(v)) for k, v in evidence.items() if len(v) == 1}


def _person_mentions(text: str, entities: Sequence[EntityLike] | None) -> list[tuple[int, str]]:
    if entities:
        return [(e.start, e.text) for e in entities if e.label in ("PER", "PERSON")]
    mentions = []
    for m in re.finditer(rf"(?:(?:M\.|Mme|Mlle|Dr|Pr)\s+{_NAME_TOKEN}|{_NAME_TOKEN}\s+{_NAME_TOKEN})", text):
        first = m.group(0).split()[0]
        if first in ("Le", "La", "Les", "Un", "Une", "Selon", "Il", "Elle", "Mais", "Et", "En", "Au", "Dans"):
            continue
        mentions.append((m.start(), m.group(0)))
    return mentions


_CREDIT_LINE = re.compile(
    rf"^\s*(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{1,3}})\s*,\s+(?P<rest>[^\n]{{3,160}})$", re.M
)
_VERB_LIKE = re.compile(
    r"\b(?:est|sont|a|ont|était|étaient|fut|sera|dit|fait|peut|doit|va|vont|avait|avaient|is|are|was|were|has|have|"
    r"said|says)\b|\b\w{3,}(?:ait|aient|èrent)\b",
    re.I,
)


def _credit_name(line: str) -> str | None:
    """"Mark Cancian, du Centre d'études ..." -> "Mark Cancian": a verbless name-and-affiliation line."""
    m = _CREDIT_LINE.match(line)
    if not m or _VERB_LIKE.search(m.group("rest")) or re.search(r"\d", m.group("rest")):
        return None  # a verb makes it a sentence; a date makes it a photo caption
    if len(m.group("rest").split()) > 16:
        return None
    return _clean_speaker(m.group("name"))


def _resolve(anaphor: str, at: int, text: str, persons: list[tuple[int, str]], previous: list[tuple[int, str]],
             gender: dict[str, str]) -> str | None:
    wanted = _ANAPHORS.get(anaphor)
    if anaphor in ("ils", "elles", "on", "they"):
        return None

    def fits(name: str) -> bool:
        known = gender.get(_fold(name.split()[-1]))
        return wanted is None or known is None or known == wanted

    person_names = {_fold(name.split()[-1]) for _, name in persons}
    recent_speakers = [
        (pos, name) for pos, name in previous
        if at - pos < 800 and fits(name) and _fold(name.split()[-1]) in person_names
    ]
    if recent_speakers and anaphor in ("il", "elle", "he", "she"):
        return recent_speakers[-1][1]
    for pos, name in reversed(persons):
        if pos < at and fits(name):
            return _clean_speaker(name)
    return None


# ---------------------------------------------------------------- reported speech

_REPORTED_QUE = re.compile(rf"(?P<verb>{_SPEECH_VERB})\s+(?:{_ADVERBS}\s+)?(?:que|qu['’])\s*(?P<clause>[^.!?\n]{{12,}})", re.I)
_REPORTED_SELON = re.compile(r"(?:^|(?<=[\s(,]))(?:selon|d['’]après|according\s+to)\s+", re.I)
_REPORTED_COMME = re.compile(rf"\bcomme\s+(?:l['’]a|l['’]ont|le\s+dit|l['’]avait)\s+(?P<verb>{_SPEECH_VERB})\s+", re.I)


def _reported(text: str, sentences: Sequence[tuple[int, int]], quotes: Sequence[tuple[int, int]]) -> list[Quote]:
    found: list[Quote] = []
    for s_lo, s_hi in sentences:
        sentence = text[s_lo:s_hi]
        if any(s_lo <= qs < s_hi for qs, _ in quotes):
            continue  # direct quotes carry that sentence
        for m in _REPORTED_QUE.finditer(sentence):
            speaker, how = _subject_before(sentence, m.start(), 0)
            if not speaker:
                continue
            clause = m.group("clause").strip(" ,;:")
            found.append(Quote(clause, speaker, s_lo + m.start("clause"), s_lo + m.start("clause") + len(clause),
                               "reported", how))
        for m in _REPORTED_COMME.finditer(sentence):
            speaker, how = _noun_phrase_after(sentence[m.end() :])
            clause = sentence[: m.start()].strip(" ,;:")
            if speaker and len(clause) >= 12:
                found.append(Quote(clause, speaker, s_lo, s_lo + len(clause), "reported", how))
        for m in _REPORTED_SELON.finditer(sentence):
            who, how = _noun_phrase_after(sentence[m.end() :])
            if not who or how == "pronoun" or who.lower() in ("moi", "lui", "eux", "nous"):
                continue
            if m.start() < 3:  # "Selon X, clause."
                rest = sentence[m.end() :]
                comma = rest.find(",")
                clause = rest[comma + 1 :].strip(" .") if comma != -1 else ""
                offset = s_lo + m.end() + comma + 1 + (len(rest[comma + 1 :]) - len(rest[comma + 1 :].lstrip()))
            else:  # "clause, selon X."
                clause = sentence[: m.start()].strip(" ,.;:")
                offset = s_lo + (len(sentence) - len(sentence.lstrip()))
            if len(clause) >= 12:
                found.append(Quote(clause, who, offset, offset + len(clause), "reported", how))
    return found


def _own_sentences(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in re.finditer(r"[^\n]+", text):
        start = m.start()
        for end in re.finditer(r"[.!?…](?=\s+[«\"“A-ZÀ-Þ0-9]|\s*$)", m.group(0)):
            if re.search(r"\b(?:M|Mme|Dr|St|Mr|[A-Z])$", m.group(0)[: end.start()]):
                continue
            spans.append((start, m.start() + end.end()))
            start = m.start() + end.end()
        if start < m.end():
            spans.append((start, m.end()))
    return [(s, e) for s, e in spans if text[s:e].strip()]


# ---------------------------------------------------------------- the extractor


def extract_quotes(
    text: str,
    entities: Sequence[EntityLike] | None = None,
    embedded_posts: Iterable[PostLike] = (),
    sentences: Sequence[tuple[int, int]] | None = None,
) -> list[Quote]:
    """Direct quotes, reported speech and embedded posts of one article, with their speakers.

    `entities` (spaCy PER mentions, offsets into `text`) help resolve pronouns; without them
    capitalised names are used. `sentences` are (start, end) spans; without them the text is
    split by rule.
    """
    spans = quote_spans(text)
    gender = _gender_evidence(text)
    persons = _person_mentions(text, entities)
    quotes: list[Quote] = []
    named_before: list[tuple[int, str]] = []
    for start, end in spans:
        body = text[start:end].strip()
        if not body or not re.search(r"\w", body):
            continue
        speaker, how, attribution_end = _speaker_for(text, start, end, spans)
        if how == "pronoun" and speaker:
            credited = _credit_after(text, attribution_end)
            if credited:
                speaker, how = credited, "credit"
            else:
                speaker = _resolve(speaker, start, text, persons, named_before, gender)
                how = "pronoun" if speaker else None
        if speaker and how in ("named", "credit"):
            named_before.append((start, speaker))
        quotes.append(Quote(body, speaker, start, end, "direct", how))

    # a paragraph followed by a credit line ("Mark Cancian, Center for ...") is a pulled quote
    lines = list(re.finditer(r"[^\n]+", text))
    for previous, line in zip(lines, lines[1:]):
        name = _credit_name(line.group(0))
        body = previous.group(0).strip()
        if name and len(body) >= 40 and not any(previous.start() <= s < previous.end() for s, _ in spans):
            if _credit_name(body) is None:
                quotes.append(Quote(body, name, previous.start(), previous.end(), "direct", "credit"))

    covered = [(q.start, q.end) for q in quotes]
    sentence_spans = list(sentences) if sentences is not None else _own_sentences(text)
    for q in _reported(text, sentence_spans, spans):
        if not any(s < q.end and q.start < e for s, e in covered):
            quotes.append(q)

    for post in embedded_posts:
        speaker = _clean_speaker(post.name) if post.name else None
        speaker = speaker or (post.author or None)
        if post.text and post.text.strip():
            quotes.append(Quote(post.text.strip(), speaker, -1, -1, "direct", "post" if speaker else None))
    quotes.sort(key=lambda q: (q.start, q.end))
    return quotes


def _credit_after(text: str, pos: int) -> str | None:
    """"..., a-t-il déclaré à l'AFP. Mark Cancian, du Centre ...": the name right after the attribution."""
    rest = text[pos : pos + 300]
    m = re.match(r"[^.!?\n]{0,60}[.!?]\s+", rest)
    if not m:
        return None
    line_end = rest.find("\n", m.end())
    candidate = rest[m.end() : line_end if line_end != -1 else len(rest)]
    sentence = re.match(r"[^.!?]*(?:\([^)]*\)[^.!?]*)*[.!?]?", candidate)
    return _credit_name(sentence.group(0).rstrip(".")) if sentence else None
