"""Canonical entities of a story: one entry per person, place or organisation,
whatever the spelling, transliteration, case, title or role a source used.

"Andriï Sybiga" and "Andrii Sybiha", "Kiev" and "Kyiv", "Otan" and "OTAN",
"Mme Kallas" and "Kaja Kallas", "M. Blinken" and "le secrétaire d'Etat" are one
entity each. Names are compared token by token after folding accents and case:
equal, close by edit ratio, or with the same consonant skeleton (transliterations
mostly change vowels, y/i/j and g/h). A lone surname or first name joins the one
full name it fits; a bare role ("le secrétaire d'Etat") joins the one person the
story names with that role.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rapidfuzz.distance import Indel

_TITLES = re.compile(
    r"^(?:(?:M\.|MM\.|Mme|Mmes|Mlle|Mr\.?|Mrs\.?|Ms\.?|Dr\.?|Pr\.?|Me|Mgr|Monsieur|Madame|Sir)\s+)+", re.I
)
_ARTICLES = re.compile(r"^(?:le|la|les|l['’]|d['’]|du|des|de\s+la|de\s+l['’]|de|the)\s*", re.I)
_GENERIC = {"etat", "état", "gouvernement", "président", "ministre", "chambre", "sénat", "senat", "parlement"}


def fold(text: str) -> str:
    """Lower case, no accents, hyphens and apostrophes as spaces: the form names are compared in."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    text = re.sub(r"[’'`\-‐–.]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def clean_name(surface: str) -> str:
    """The mention without articles, titles and surrounding punctuation: "l’OTAN" -> "OTAN", "M. Blinken" -> "Blinken"."""
    name = surface.strip(" \t\n,.;:()«»“”\"'’")
    for _ in range(2):
        name = _ARTICLES.sub("", name)
        name = _TITLES.sub("", name)
    return name.strip(" ,.;:()«»“”\"'’")


def _without_article(surface: str) -> str:
    name = surface.strip(" \t\n,.;:()«»“”\"'’")
    name = _ARTICLES.sub("", name) if not _TITLES.match(name) else name
    return name.strip(" ,;:()«»“”\"'’") or clean_name(surface)


def _skeleton(token: str) -> str:
    """Consonants after the first letter, with g/h and k/c/q merged: "kiev", "kyiv" -> "kv"; "sybiga", "sybiha" -> "sbg"."""
    token = token.replace("h", "g").replace("c", "k").replace("q", "k").replace("w", "v")
    token = re.sub(r"(.)\1+", r"\1", token)
    return token[0] + re.sub(r"[aeiouyj]", "", token[1:]) if token else ""


def same_token(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) < 3 or len(b) < 3 or a[0] != b[0]:
        return False
    if abs(len(a) - len(b)) > 2:
        return False  # "Europe" and "Européens" are two words, not two spellings
    short, long_ = sorted((a, b), key=len)
    if long_.startswith(short) and long_[len(short):] not in ("s", "e", "es"):
        return False  # "Alger" and "Algérie", "Australie" and "Australien": a word and its derivative
    if min(len(a), len(b)) <= 4 and len(a) != len(b):
        return False  # short names and acronyms: "AFP" is not "AFEP"
    ratio = Indel.normalized_similarity(a, b)
    if ratio >= 0.85 and min(len(a), len(b)) >= 5:
        return True
    return ratio >= 0.7 and _skeleton(a) == _skeleton(b) and len(_skeleton(a)) >= 2


def same_name(a: str, b: str) -> bool:
    """Folded names with the same number of tokens, each the same or a variant."""
    ta, tb = a.split(), b.split()
    return len(ta) == len(tb) and all(same_token(x, y) for x, y in zip(ta, tb))


@dataclass
class Mention:
    article: str
    text: str
    label: str  # PER | LOC | ORG | MISC | ROLE
    start: int = -1


@dataclass
class CanonicalEntity:
    name: str
    type: str
    variants: list[str]
    sources: list[str]
    roles: list[str] = field(default_factory=list)
    count: int = 0

    def to_report(self) -> dict:
        return {"name": self.name, "variants": self.variants, "type": self.type, "sources": self.sources,
                **({"roles": self.roles} if self.roles else {})}


class _Group:
    def __init__(self) -> None:
        self.mentions: list[Mention] = []
        self.keys: set[str] = set()
        self.labels: Counter[str] = Counter()
        self.roles: set[str] = set()

    def add(self, mention: Mention, key: str) -> None:
        self.mentions.append(mention)
        self.keys.add(key)
        if mention.label != "ROLE":
            self.labels[mention.label] += 1

    @property
    def label(self) -> str:
        if not self.labels:
            return "MISC"
        return self.labels.most_common(1)[0][0]

    @property
    def longest_tokens(self) -> int:
        return max(len(k.split()) for k in self.keys)


def _usable(mention: Mention, text: str | None) -> bool:
    name = clean_name(mention.text)
    if len(name) < 2 or not name[0].isupper() or not re.search(r"[A-Za-zÀ-ÿ]", name):
        return False
    if fold(name) in _GENERIC:
        return False
    if text is not None and mention.start >= 0:
        before = text[max(0, mention.start - 14) : mention.start].lower()
        if re.search(r"(?:secrétaire|chef|coup|homme|femme|affaires|conseil)\s+d['’]\s*$", before):
            return False  # "secrétaire d'État", "chef d'Etat"
    return True


def _split_glued(mentions: list[Mention]) -> list[Mention]:
    """'Otan Mark Rutte' (one ORG span) -> 'Otan' + 'Mark Rutte' when the story knows the person."""
    people = {fold(clean_name(m.text)) for m in mentions if m.label == "PER" and len(clean_name(m.text).split()) >= 2}
    out: list[Mention] = []
    for m in mentions:
        name = clean_name(m.text)
        tokens = name.split()
        split = False
        if m.label != "PER" and len(tokens) >= 3:
            for cut in range(1, len(tokens) - 1):
                tail = " ".join(tokens[cut:])
                if fold(tail) in people:
                    head = " ".join(tokens[:cut])
                    offset = m.start + m.text.find(tail) if m.start >= 0 else -1
                    out.append(Mention(m.article, head, m.label, m.start))
                    out.append(Mention(m.article, tail, "PER", offset))
                    split = True
                    break
        if not split:
            out.append(m)
    return out


def canonical_entities(
    mentions: Iterable[Mention], texts: dict[str, str] | None = None
) -> tuple[list[CanonicalEntity], dict[str, CanonicalEntity]]:
    """Entities of a story, most cited first, and an index from folded variant to entity."""
    texts = texts or {}
    usable = [m for m in mentions if m.label == "ROLE" or _usable(m, texts.get(m.article))]
    usable = _split_glued([m for m in usable if m.label != "ROLE"]) + [m for m in usable if m.label == "ROLE"]
    named = [m for m in usable if m.label != "ROLE"]

    # 1. exact folded names, then variants of the same length (fuzzy, transliteration)
    groups: list[_Group] = []
    by_key: dict[str, _Group] = {}
    for mention in sorted(named, key=lambda m: -len(clean_name(m.text).split())):
        key = fold(clean_name(mention.text))
        if not key:
            continue
        group = by_key.get(key)
        if group is None:
            for candidate in groups:
                if any(same_name(key, k) for k in candidate.keys) and _compatible(candidate.label, mention.label):
                    group = candidate
                    break
        if group is None:
            group = _Group()
            groups.append(group)
        group.add(mention, key)
        by_key[key] = group

    # 2. a lone surname or first name joins the one person it fits
    people = [g for g in groups if g.label == "PER" and g.longest_tokens >= 2]
    merged: dict[int, _Group] = {}
    for group in groups:
        if group.longest_tokens != 1 or group.labels.get("PER", 0) == 0:
            continue
        token = next(iter(group.keys))
        fits = [p for p in people if p is not group and any(
            same_token(token, k.split()[-1]) or same_token(token, k.split()[0]) for k in p.keys if len(k.split()) >= 2)]
        surname_fits = [p for p in fits if any(same_token(token, k.split()[-1]) for k in p.keys)]
        target = surname_fits[0] if len(surname_fits) == 1 else fits[0] if len(fits) == 1 else None
        if target is not None:
            for m in group.mentions:
                target.add(m, fold(clean_name(m.text)))
            merged[id(group)] = target
    groups = [g for g in groups if id(g) not in merged]

    # 3. bare roles join the one person named with that role
    _attach_roles(groups, [m for m in usable if m.label == "ROLE"], texts)

    entities: list[CanonicalEntity] = []
    index: dict[str, CanonicalEntity] = {}
    for group in groups:
        entity = _entity(group)
        entities.append(entity)
        for key in group.keys:
            index.setdefault(key, entity)
    entities.sort(key=lambda e: (-len(e.sources), -e.count, e.name))
    return entities, index


def _compatible(a: str, b: str) -> bool:
    return a == b or "MISC" in (a, b)


def _entity(group: _Group) -> CanonicalEntity:
    named = [m for m in group.mentions if m.label != "ROLE"]
    # the name: the longest form, most sources first (a full name over a lone surname)
    forms: dict[str, set[str]] = defaultdict(set)
    for m in named:
        forms[clean_name(m.text)].add(m.article)
    best_len = max(len(f.split()) for f in forms)
    full = [f for f in forms if len(f.split()) == best_len]
    name = max(full, key=lambda f: (len(forms[f]), sum(1 for m in named if clean_name(m.text) == f),
                                    f != f.upper() or len(f) <= 5, f))
    variants: list[str] = []
    seen: set[str] = set()
    for m in group.mentions:
        if m.label == "ROLE":
            surface = m.text.strip()
            surface = surface[:1].lower() + surface[1:]
        else:
            surface = _without_article(m.text)  # titles stay: "M. Blinken" is how that source wrote it
        if surface not in seen:
            seen.add(surface)
            variants.append(surface)
    sources = sorted({m.article for m in group.mentions})
    return CanonicalEntity(name, group.label, variants, sources, sorted(group.roles), len(group.mentions))


# ---------------------------------------------------------------- roles

ROLE_NOUNS = (
    "président présidente ministre secrétaire chef cheffe conseiller conseillère porte-parole premier première "
    "chancelier chancelière sénateur sénatrice député députée ambassadeur ambassadrice représentant représentante "
    "directeur directrice commissaire général générale gouverneur gouverneure maire roi reine pape patron patronne "
    "dirigeant dirigeante procureur procureure juge avocat avocate diplomate émissaire envoyé envoyée vice-président "
    "vice-présidente candidat candidate magnat"
).split()
_ROLE_NOUN = "|".join(sorted((re.escape(n) for n in ROLE_NOUNS), key=len, reverse=True))
_NAME_TOKEN = r"[A-ZÀ-ÖØ-ÞŒ][\w’'\-]+"
_ROLE_WITH_NAME = re.compile(
    rf"\b(?:[Ll]e|[Ll]a|[Ll]['’])\s*(?:haut\s+|haute\s+|nouveau\s+|nouvelle\s+|futur\s+|future\s+|ancien\s+|ancienne\s+)?"
    rf"(?P<role>(?:{_ROLE_NOUN})(?:\s+(?!(?:et|qui|que|a|est)\b)[\w’'\-]+){{0,6}}?)\s*,?\s+"
    rf"(?P<name>{_NAME_TOKEN}(?:\s+{_NAME_TOKEN}){{0,2}})"
)
_BARE_ROLE = re.compile(
    rf"\b(?P<det>[Ll]e|[Ll]a|[Ll]['’])\s*(?P<role>(?:{_ROLE_NOUN})(?:\s+(?:d['’]\s*[ÉEée]tat|général|générale|des\s+Affaires\s+"
    rf"étrangères|de\s+la\s+diplomatie\s+américaine))?)\b(?!\s*[,]?\s*{_NAME_TOKEN})"
)


def role_key(role: str) -> str:
    """"secrétaire d’État américain" -> "secretaire d etat": the head of a role, for matching a bare role."""
    words = fold(role).split()
    head = words[:1]
    if len(words) >= 3 and words[1] == "d" and words[2] == "etat":
        head = words[:3]
    elif len(words) >= 2 and words[1] in ("general", "generale"):
        head = words[:2]
    return " ".join(head)


def role_mentions(article: str, text: str) -> tuple[list[tuple[str, str]], list[Mention]]:
    """(role, name) appositions and bare role mentions of one article."""
    pairs = []
    for m in _ROLE_WITH_NAME.finditer(text):
        name = m.group("name")
        role = m.group("role")
        # the role may swallow a capitalised complement: "secrétaire général de l'Otan Mark Rutte"
        pairs.append((role.strip(), name))
    bare = [Mention(article, m.group(0), "ROLE", m.start()) for m in _BARE_ROLE.finditer(text)]
    return pairs, bare


def _attach_roles(groups: list[_Group], bare: list[Mention], texts: dict[str, str]) -> None:
    person_by_key: dict[str, _Group] = {}
    for group in groups:
        if group.label == "PER":
            for key in group.keys:
                person_by_key[key] = group
    holders: dict[str, set[int]] = defaultdict(set)
    by_id = {id(g): g for g in groups}
    for article, text in texts.items():
        pairs, _ = role_mentions(article, text)
        for role, name in pairs:
            tokens = fold(clean_name(name)).split()
            group = None
            for size in range(len(tokens), 0, -1):
                group = person_by_key.get(" ".join(tokens[-size:])) or person_by_key.get(" ".join(tokens[:size]))
                if group:
                    break
            if group is None:
                continue
            group.roles.add(role)
            holders[role_key(role)].add(id(group))
    for mention in bare:
        key = role_key(re.sub(r"^(?:le|la|l['’])\s*", "", mention.text, flags=re.I))
        owners = holders.get(key, set())
        if len(owners) == 1 and len(key.split()) > 1:
            by_id[next(iter(owners))].add(mention, "role:" + key)
