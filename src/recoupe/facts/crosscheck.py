"""Cross-checking a story: statements grouped across its articles, the
independent voices behind each, and the places where sources disagree.

A fact is one figure (same kind, unit and value), one dated day, or one quote,
with every article that states it. Two statements are about "the same thing"
when the content words around them coincide (`same_subject`); only then can
different values be a contradiction. A flag is raised only when neither side
also states the other's value: an article that gives both a total and a part,
or two dates of two steps, is not contradicting anyone.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..analyse.dates import DateMention
from ..analyse.figures import Figure
from ..analyse.quotes import Quote
from .entities import CanonicalEntity, clean_name, fold, same_token
from .statements import _STOP, ArticleStatements, Placed, content_stems, stem
from .voices import Voices


@dataclass
class CrossCheckOptions:
    """Thresholds of the cross-check (section [facts]).

    window: content words taken on each side of a statement to know what it is about.
    same_subject_words / same_subject_share: how many of those words, and what share of the
        smaller window, two statements must share to be about the same thing.
    value_tolerance: relative difference under which two figures are the same value.
    about_tolerance: how far "about"/"nearly" lets a value stretch.
    quote_match: share of the shorter quote's words found in the other for two quotes to be one.
    gender_context_words: content words two sentences (with their neighbours) must share for a
        role written "le ministre" in one and "la ministre" in the other to be one person.
    """

    window: int = 8
    same_subject_words: int = 3
    same_subject_share: float = 0.5
    value_tolerance: float = 0.02
    about_tolerance: float = 0.1
    quote_match: float = 0.6
    gender_context_words: int = 3

    def __post_init__(self) -> None:
        for name in ("same_subject_share", "value_tolerance", "about_tolerance", "quote_match"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}")
        for name in ("window", "same_subject_words", "gender_context_words"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"{name} must be a positive integer, got {value!r}")


# ---------------------------------------------------------------- helpers


def figure_key(figure: Figure) -> tuple[str, str, str]:
    return (figure.kind, figure.unit, f"{figure.value:.3g}")


def _format_value(figure: Figure) -> str:
    value = figure.value
    if value >= 1e9:
        number = f"{value / 1e9:g} billion"
    elif value >= 1e6:
        number = f"{value / 1e6:g} million"
    else:
        number = f"{value:,.10g}".replace(",", " ")
    qualifier = f"{figure.qualifier} " if figure.qualifier else ""
    return f"{qualifier}{number} {figure.unit}"


def same_subject(a: Placed, b: Placed, options: CrossCheckOptions) -> bool:
    """The two statements are about the same thing: enough of the words around them coincide, and so
    does at least one of the words right next to them ("perte nette de 948 millions" and "résultat
    positif de 62 millions" share a sentence's words, not a subject)."""
    shared = a.window & b.window
    smaller = min(len(a.window), len(b.window))
    if smaller == 0 or len(shared) < options.same_subject_words or len(shared) / smaller < options.same_subject_share:
        return False
    return bool(a.left & b.left) or bool(a.right & b.right)


def _close(a: float, b: float, tolerance: float) -> bool:
    if a == b:
        return True
    return abs(a - b) <= tolerance * max(abs(a), abs(b))


def _compatible(a: Figure, b: Figure, options: CrossCheckOptions) -> bool:
    """Values that do not contradict once qualifiers are read: "more than 60" and "61"."""
    if _close(a.value, b.value, options.value_tolerance):
        return True

    def allows(f: Figure, v: float) -> bool:
        q = f.qualifier
        if q in ("more than", "at least"):
            return v >= f.value * (1 - options.value_tolerance)
        if q in ("less than", "at most", "up to"):
            return v <= f.value * (1 + options.value_tolerance)
        if q in ("about", "nearly"):
            return _close(f.value, v, options.about_tolerance)
        return False

    return allows(a, b.value) or allows(b, a.value)


def _short(text: str, limit: int = 240) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _add_fragment(kept: list[str], text: str) -> None:
    """Adds one article's quoted span to those kept, unless a kept one holds it; kept ones it holds go.

    Two patterns can catch one quote at different lengths ("selon X, A souhaite que B" gives
    the clause and the wish): joined with "[…]" they would repeat the speaker's words.
    """
    if any(text in other for other in kept):
        return
    kept[:] = [other for other in kept if other not in text] + [text]


def _agree(ids: list[str], singular: str, plural: str) -> str:
    """The verb agreeing with a list of article ids, so explanations read as sentences."""
    return singular if len(ids) == 1 else plural


def _ids(articles) -> list[str]:
    return sorted(set(articles))


# ---------------------------------------------------------------- the cross-check


class CrossCheck:
    """Facts, quotes and contradictions of one story from its articles' statements."""

    def __init__(
        self,
        statements: Sequence[ArticleStatements],
        voices: Voices,
        entities: list[CanonicalEntity],
        entity_index: Mapping[str, CanonicalEntity],
        options: CrossCheckOptions | None = None,
        roles: Mapping[str, str] | None = None,
    ):
        self.statements = {s.id: s for s in statements}
        self.voices = voices
        self.entities = entities
        self.entity_index = entity_index
        self.options = options or CrossCheckOptions()
        self.roles = dict(roles or {})  # article -> provenance role (original | derivative | independent)

    # -------------------------------------------------------- facts

    def _representative(self, placed: Sequence[Placed]) -> Placed:
        """The statement to show: from the article at the root of the largest voice, first mention."""
        def rank(p: Placed) -> tuple:
            s = self.statements[p.article]
            size = len(s.figures) + len(s.dates) + len(s.quotes)
            return (self.roles.get(p.article) != "original", not s.agency, -size, p.article, p.sentence)

        return min(placed, key=rank)

    def figure_facts(self) -> list[dict[str, Any]]:
        groups: dict[tuple[str, str, str], list[Placed]] = defaultdict(list)
        for s in self.statements.values():
            for p in s.figures:
                groups[figure_key(p.item)].append(p)
        facts = []
        for (kind, unit, _), placed in groups.items():
            sources = _ids(p.article for p in placed)
            best = self._representative(placed)
            figure: Figure = best.item
            qualifiers = Counter(p.item.qualifier for p in placed)
            facts.append({
                "text": _short(self.statements[best.article].sentence_text(best.sentence)),
                "kind": kind,
                "value": figure.value,
                "unit": unit,
                "qualifier": qualifiers.most_common(1)[0][0],
                "date": None,
                "surface": figure.text,
                "sources": sources,
                "independent_sources": self.voices.count(sources),
            })
        return facts

    def date_facts(self) -> list[dict[str, Any]]:
        groups: dict[str, list[Placed]] = defaultdict(list)
        for s in self.statements.values():
            for p in s.dates:
                mention: DateMention = p.item
                if mention.precision == "day" and mention.iso:
                    groups[mention.iso].append(p)
        facts = []
        for iso, placed in groups.items():
            sources = _ids(p.article for p in placed)
            best = self._representative(placed)
            tenses = Counter(p.item.tense for p in placed if p.item.tense_explicit)
            facts.append({
                "text": _short(self.statements[best.article].sentence_text(best.sentence)),
                "kind": "date",
                "value": None,
                "unit": None,
                "date": iso,
                "tense": tenses.most_common(1)[0][0] if tenses else best.item.tense,
                "surface": best.item.text,
                "sources": sources,
                "independent_sources": self.voices.count(sources),
            })
        return facts

    def facts(self) -> list[dict[str, Any]]:
        facts = self.figure_facts() + self.date_facts()
        facts.sort(key=lambda f: (-f["independent_sources"], -len(f["sources"]), f["kind"] == "date", f["text"]))
        return facts

    # -------------------------------------------------------- quotes

    def canonical_speaker(self, speaker: str | None) -> tuple[str | None, str | None]:
        """(name, entity type) of a speaker: "Mme Kallas" -> ("Kaja Kallas", "PER")."""
        if not speaker:
            return None, None
        key = fold(clean_name(speaker))
        if not key:
            return None, None
        entity = self.entity_index.get(key)
        if entity is None and len(key.split()) == 1:
            fits = [e for e in self.entities if e.type == "PER" and any(
                len(fold(v).split()) >= 2 and same_token(key, fold(v).split()[-1]) for v in e.variants)]
            entity = fits[0] if len(fits) == 1 else None
        if entity is None:
            return clean_name(speaker) or speaker, None
        return entity.name, entity.type

    def quote_groups(self) -> list[list[Placed]]:
        placed = [p for s in self.statements.values() for p in s.quotes]
        tokens = [_quote_tokens(p.item.text) for p in placed]
        parent = list(range(len(placed)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for i in range(len(placed)):
            for j in range(i + 1, len(placed)):
                if _quotes_match(tokens[i], tokens[j], self.options.quote_match):
                    parent[find(i)] = find(j)
        groups: dict[int, list[Placed]] = defaultdict(list)
        for i, p in enumerate(placed):
            groups[find(i)].append(p)
        return list(groups.values())

    def quotes(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """Quotes of the story, and the contradictions in who said them."""
        out = []
        contradictions = []
        for group in self.quote_groups():
            speakers: dict[str, tuple[str | None, str | None, str | None]] = {}
            spoken: dict[str, str] = {}  # article -> the text its chosen speaker is given
            for p in sorted(group, key=lambda p: (p.article, p.item.start)):
                quote: Quote = p.item
                name, kind = self.canonical_speaker(quote.speaker)
                candidate = (name, kind, quote.speaker_how, len(_quote_tokens(quote.text)))
                current = speakers.get(p.article)
                if current is None or _outranks(candidate, quote.text, current, spoken[p.article]):
                    speakers[p.article], spoken[p.article] = candidate, quote.text
            votes = Counter(name for name, _, how, _ in speakers.values() if name and how in ("named", "credit", "post"))
            if not votes:
                votes = Counter(name for name, _, _, _ in speakers.values() if name)
            speaker = votes.most_common(1)[0][0] if votes else None
            direct = [p for p in group if p.item.kind == "direct"]
            by_article: dict[str, list[str]] = defaultdict(list)
            for p in sorted(direct or group, key=lambda p: (p.article, p.item.start)):
                _add_fragment(by_article[p.article], p.item.text)
            best = max(by_article, key=lambda a: (self.roles.get(a) == "original", bool(self.statements[a].agency),
                                                  sum(len(t) for t in by_article[a])))
            sources = _ids(p.article for p in group)
            entry = {
                "speaker": speaker,
                "text": _short(" […] ".join(by_article[best]), 600),
                "kind": "direct" if direct else "reported",
                "sources": sources,
                "independent_sources": self.voices.count(sources),
            }
            named = {a: v for a, v in speakers.items() if v[0]}
            if len({v[0] for v in named.values()}) > 1:
                entry["speakers"] = {a: v[0] for a, v in sorted(named.items())}
            out.append(entry)
            contradiction = self._attribution(entry, speakers)
            if contradiction:
                contradictions.append(contradiction)
        out.sort(key=lambda q: (-q["independent_sources"], -len(q["sources"]), q["speaker"] is None, q["text"]))
        return out, contradictions

    def _attribution(self, entry: dict[str, Any], speakers: Mapping[str, tuple]) -> dict[str, Any] | None:
        """A quote given to different people: only persons named by the attribution count, never a guess."""
        people: dict[str, list[str]] = defaultdict(list)
        for article, (name, kind, how, length) in speakers.items():
            # a few words in quotes ("autour de 1%") may well be said by two people
            if name and kind == "PER" and how in ("named", "credit", "post") and length >= 6:
                people[name].append(article)
        if len(people) < 2:
            return None
        ranked = sorted(people.items(), key=lambda kv: (-self.voices.count(kv[1]), -len(kv[1]), kv[0]))
        main_name, main_articles = ranked[0]
        other_name, other_articles = ranked[1]
        quote = _short(entry["text"], 80)
        return {
            "kind": "attribution",
            "articles": _ids(other_articles),
            "against": _ids(main_articles),
            "explanation": f"«{quote}» is given to {other_name} by {', '.join(_ids(other_articles))} "
                           f"and to {main_name} by {', '.join(_ids(main_articles))}",
        }

    # -------------------------------------------------------- contradictions

    def _sides(self, groups: Mapping[str, set[str]]) -> list[tuple[str, list[str], str, list[str]]]:
        """(value, articles, main value, against) for each value other than the best supported one."""
        ranked = sorted(groups.items(), key=lambda kv: (
            -self.voices.count(sorted(kv[1])),
            -sum(self.roles.get(a) == "original" for a in kv[1]),
            -sum(bool(self.statements[a].agency) for a in kv[1] if a in self.statements),
            -len(kv[1]), kv[0]))
        main_value, main_articles = ranked[0]
        out = []
        for value, articles in ranked[1:]:
            against = [a for a in main_articles if a not in articles]
            mine = [a for a in articles if a not in main_articles]
            if mine and against:
                out.append((value, _ids(mine), main_value, _ids(against)))
        return out

    def number_contradictions(self) -> list[dict[str, Any]]:
        o = self.options
        by_unit: dict[tuple[str, str], list[Placed]] = defaultdict(list)
        for s in self.statements.values():
            for p in s.figures:
                if p.crowded or re.search(r"\b(?:autres|other)\b", p.item.text, re.I):
                    continue  # a sentence of many amounts, or "14 autres otages" (a remainder): no safe pairing
                if _RANGE_BEFORE.search(s.text, max(0, p.item.start - 25), p.item.start):
                    continue  # "40 à 50 milliards": the end of a range, not a value
                if p.item.kind == "duration" and _OFFSET.match(s.text, p.item.end):
                    continue  # "cinq mois après", "six mois plus tard": measured from different events
                by_unit[(p.item.kind, p.item.unit)].append(p)
        stated: dict[str, list[Figure]] = {s.id: [p.item for p in s.figures] for s in self.statements.values()}

        def states(article: str, figure: Figure) -> bool:
            """The article gives this value itself (a "more than 50" is not a 751)."""
            tolerance = o.about_tolerance if figure.qualifier in ("about", "nearly") else o.value_tolerance
            return any(f.kind == figure.kind and f.unit == figure.unit and _close(f.value, figure.value, tolerance)
                       for f in stated[article])

        out = []
        for (_kind, _unit), placed in by_unit.items():
            edges: list[tuple[int, int]] = []
            for i in range(len(placed)):
                for j in range(i + 1, len(placed)):
                    a, b = placed[i], placed[j]
                    if a.article == b.article or not same_subject(a, b, o):
                        continue
                    if _compatible(a.item, b.item, o):
                        edges.append((i, j))  # agreement: same quantity, same value
                    elif not states(a.article, b.item) and not states(b.article, a.item):
                        edges.append((i, j))
            for component in _components(len(placed), edges):
                values: dict[str, set[str]] = defaultdict(set)
                shown: dict[str, Placed] = {}
                for i in component:
                    key = figure_key(placed[i].item)[2]
                    values[key].add(placed[i].article)
                    shown.setdefault(key, placed[i])
                if len(values) < 2:
                    continue
                for value, articles, main_value, against in self._sides(values):
                    mine, theirs = shown[value], shown[main_value]
                    if _compatible(mine.item, theirs.item, o):
                        continue
                    out.append({
                        "kind": "number",
                        "articles": articles,
                        "against": against,
                        "explanation": (
                            f"{', '.join(articles)} give {_format_value(mine.item)} (\"{mine.item.text}\") where "
                            f"{', '.join(against)} give {_format_value(theirs.item)} (\"{theirs.item.text}\") "
                            f"for the same quantity"),
                        "subject": _short(self.statements[theirs.article].sentence_text(theirs.sentence), 160),
                    })
        return out

    def _day(self, p: Placed) -> str | None:
        """The day a mention names, comparable across articles: full date when the year is trusted."""
        mention: DateMention = p.item
        if mention.precision != "day" or not mention.iso:
            return None
        if mention.relative and re.search(r"\d", mention.text) is None:
            # "mardi", "hier": only as good as the reference date; trust it only when it is the article's own
            return mention.iso if self.statements[p.article].own_date else None
        return mention.iso

    def date_contradictions(self) -> list[dict[str, Any]]:
        o = self.options
        placed = [p for s in self.statements.values() for p in s.dates if self._day(p)]
        days: dict[str, set[str]] = defaultdict(set)
        for p in placed:
            days[p.article].add(self._day(p)[-5:])
        edges = []
        for i in range(len(placed)):
            for j in range(i + 1, len(placed)):
                a, b = placed[i], placed[j]
                if a.article == b.article or not same_subject(a, b, o):
                    continue
                da, db = self._day(a)[-5:], self._day(b)[-5:]
                if da == db or (db not in days[a.article] and da not in days[b.article]):
                    edges.append((i, j))
        out = []
        for component in _components(len(placed), edges):
            values: dict[str, set[str]] = defaultdict(set)
            shown: dict[str, Placed] = {}
            for i in component:
                key = self._day(placed[i])
                values[key[-5:]].add(placed[i].article)
                shown.setdefault(key[-5:], placed[i])
            if len(values) < 2:
                continue
            for value, articles, main_value, against in self._sides(values):
                mine, theirs = shown[value], shown[main_value]
                out.append({
                    "kind": "date",
                    "articles": articles,
                    "against": against,
                    "explanation": (f"{', '.join(articles)} date it {mine.item.iso} (\"{mine.item.text}\") where "
                                    f"{', '.join(against)} date it {theirs.item.iso} (\"{theirs.item.text}\")"),
                    "subject": _short(self.statements[theirs.article].sentence_text(theirs.sentence), 160),
                })
        return out

    def tense_contradictions(self) -> list[dict[str, Any]]:
        """An event told as still to come after its date, while other sources tell it as done."""
        by_day: dict[date, list[Placed]] = defaultdict(list)
        for s in self.statements.values():
            for p in s.dates:
                day = p.item.day
                if day is not None and p.item.tense_explicit and p.item.precision == "day":
                    by_day[day].append(p)
        out = []
        for day, placed in sorted(by_day.items()):
            past = [p for p in placed if p.item.tense == "past"]
            pending = []
            for p in placed:
                statements = self.statements[p.article]
                reference = statements.reference
                if p.item.tense in ("future", "conditional") and reference is not None and day < reference:
                    if not any(q.article == p.article for q in past):
                        pending.append(p)
            if not past or not pending:
                continue
            against = _ids(q.article for q in past if any(q.window & p.window for p in pending))
            if not against:
                continue
            articles = _ids(p.article for p in pending)
            example = pending[0].item
            what = "conditional" if example.tense == "conditional" else "still to come"
            out.append({
                "kind": "tense",
                "articles": articles,
                "against": against,
                "explanation": (f"{', '.join(articles)} {_agree(articles, 'speaks', 'speak')} of {day.isoformat()} as {what} (\"{_short(self._context(pending[0]), 90)}\") "
                                f"although it is past; {', '.join(against)} {_agree(against, 'reports', 'report')} it as done"),
                "date": day.isoformat(),
            })
        return out

    def _context(self, p: Placed) -> str:
        text = self.statements[p.article].text
        start = max(0, p.item.start - 50)
        return text[start : p.item.end]

    def gender_contradictions(self) -> list[dict[str, Any]]:
        """A role written masculine in one source and feminine in another, about the same person.

        The two sentences (one of them with its neighbours) must share enough content words besides
        the role, nationalities must agree, and neither article may use the other form of that role
        itself (then it speaks of two people).
        """
        o = self.options
        mentions = []
        for s in self.statements.values():
            for m in _GENDERED_ROLE.finditer(s.text):
                gender = _role_gender(m)
                if gender is None:
                    continue
                noun = _ROLE_BASE.get(m.group("noun").lower(), m.group("noun").lower())
                nationality = _nationality((m.group("adj") or "").lower())
                index = _sentence_of(s, m.start())
                own = set(content_stems(s.sentence_text(index)))
                near = set(own)
                for k in (index - 1, index + 1):
                    near.update(content_stems(s.sentence_text(k)))
                own.discard(stem(noun))
                near.discard(stem(noun))
                shown = f"{m.group('det')} {m.group('noun')}" + (f" {m.group('adj')}" if nationality else "")
                complement = _COMPLEMENT.match(s.text, m.end("noun"))
                mentions.append(_RoleMention(s.id, noun, gender, nationality, frozenset(own), frozenset(near), shown,
                                             fold(complement.group(1)) if complement else ""))
        used: dict[tuple[str, str], set[str]] = defaultdict(set)
        holders: dict[str, set[str]] = defaultdict(set)
        for m in mentions:
            used[(m.article, m.noun)].add(m.gender)
            if m.complement:
                holders[m.noun].add("c:" + m.complement)
            if m.nationality:
                holders[m.noun].add("n:" + m.nationality)
        edges: list[tuple[int, int]] = []
        for i, a in enumerate(mentions):
            for j, b in enumerate(mentions):
                if j <= i or a.article == b.article or a.noun != b.noun:
                    continue
                if a.nationality and b.nationality and a.nationality != b.nationality:
                    continue  # "la ministre française", "le ministre ukrainien": two people
                if a.complement and b.complement and a.complement != b.complement:
                    continue  # "le ministre de la Défense", "la ministre de l'Intérieur": two people
                several = max(sum(h.startswith(kind) for h in holders[a.noun]) for kind in ("c:", "n:"))
                if several > 1 and not (
                        (a.complement and a.complement == b.complement) or (a.nationality and a.nationality == b.nationality)):
                    continue  # the story names several such people: a bare "le ministre" could be any of them
                if len(a.own & b.near) < o.gender_context_words and len(b.own & a.near) < o.gender_context_words:
                    continue
                if a.gender != b.gender and (b.gender in used[(a.article, a.noun)] or a.gender in used[(b.article, b.noun)]):
                    continue
                edges.append((i, j))
        out = []
        for component in _components(len(mentions), edges):
            sides: dict[str, set[str]] = defaultdict(set)
            shown: dict[str, _RoleMention] = {}
            for i in component:
                sides[mentions[i].gender].add(mentions[i].article)
                shown.setdefault(mentions[i].gender, mentions[i])
            if len(sides) < 2:
                continue
            for value, articles, main, against in self._sides(sides):
                out.append({
                    "kind": "gender",
                    "articles": articles,
                    "against": against,
                    "explanation": (f"{', '.join(articles)} {_agree(articles, 'writes', 'write')} \"{shown[value].shown}\" where {', '.join(against)} "
                                    f"{_agree(against, 'writes', 'write')} \"{shown[main].shown}\" about the same person"),
                })
        return out

    def contradictions(self, attribution: list[dict[str, Any]]) -> list[dict[str, Any]]:
        found = (self.tense_contradictions() + self.number_contradictions() + self.date_contradictions()
                 + attribution + self.gender_contradictions())
        return found


# ---------------------------------------------------------------- module helpers

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_QUOTE_STOP = {"le", "la", "les", "l", "de", "des", "du", "d", "un", "une", "et", "a", "à", "en", "que", "qui", "qu",
               "ce", "il", "elle", "ils", "nous", "vous", "the", "of", "to", "and", "in", "est", "pour", "dans", "sur"}


def _outranks(candidate: tuple, text: str, current: tuple, current_text: str) -> bool:
    """Whether a speaker found for a quote beats the one found so far in the same article.

    A span that holds the other is the outer frame ("selon X, Y souhaite que Z": X says
    that Y wants Z): its speaker wins. Otherwise a named speaker beats a role, then the longer span.
    """
    if text != current_text and candidate[0] and current_text in text:
        return True
    if text != current_text and current[0] and text in current_text:
        return False
    return _speaker_rank(candidate) > _speaker_rank(current)


def _speaker_rank(candidate: tuple) -> tuple:
    name, _kind, how, length = candidate
    return (name is not None, how in ("named", "credit", "post"), length)


def _quote_tokens(text: str) -> list[str]:
    return [fold(w) for w in _WORD.findall(text.replace("’", "'"))]


def _is_content(word: str) -> bool:
    return len(word) > 2 and word not in _QUOTE_STOP and word not in _STOP


def _longest_run(a: list[str], b: list[str]) -> list[str]:
    """The longest run of consecutive words the two quotes share."""
    best: tuple[int, int] = (0, 0)
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            if a[i - 1] == b[j - 1]:
                cur[j] = prev[j - 1] + 1
                if cur[j] > best[0]:
                    best = (cur[j], i)
        prev = cur
    length, end = best
    return a[end - length : end]


def _quotes_match(a: list[str], b: list[str], share: float) -> bool:
    """One quote, told twice: a run of five words with two content words in common, or most of the
    content words of the shorter one; a short quote ("pure invention") only as a whole."""
    if not a or not b:
        return False
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) <= 4:
        if len(short) == 1:
            return a == b
        run = _longest_run(short, long_)
        return len(run) == len(short) and (len(long_) <= 2 * len(short) or len(short) >= 3)
    run = _longest_run(a, b)
    if len(run) >= 5 and sum(_is_content(w) for w in run) >= 2:
        return True
    ca = {w for w in a if _is_content(w)}
    cb = {w for w in b if _is_content(w)}
    smaller = min(len(ca), len(cb))
    shared = ca & cb
    return smaller >= 3 and len(shared) >= 3 and len(shared) / smaller >= max(share, 0.7)


def _components(n: int, edges: list[tuple[int, int]]) -> list[list[int]]:
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, j in edges:
        parent[find(i)] = find(j)
    groups: dict[int, list[int]] = defaultdict(list)
    touched = {i for e in edges for i in e}
    for i in touched:
        groups[find(i)].append(i)
    return [sorted(g) for g in groups.values()]


def _sentence_of(statements: ArticleStatements, offset: int) -> int:
    index = 0
    for i, s in enumerate(statements.sentences):
        if s.start <= offset:
            index = i
        else:
            break
    return index


_ROLE_FORMS = {
    "ministre": None, "secrétaire": None, "porte-parole": None, "juge": None, "diplomate": None, "commissaire": None,
    "président": "m", "présidente": "f", "chancelier": "m", "chancelière": "f", "conseiller": "m",
    "conseillère": "f", "directeur": "m", "directrice": "f", "ambassadeur": "m", "ambassadrice": "f",
    "sénateur": "m", "sénatrice": "f", "député": "m", "députée": "f", "procureur": "m", "procureure": "f",
    "gouverneur": "m", "gouverneure": "f", "dirigeant": "m", "dirigeante": "f", "représentant": "m",
    "représentante": "f",
}
_ROLE_BASE = {"présidente": "président", "chancelière": "chancelier", "conseillère": "conseiller",
              "directrice": "directeur", "ambassadrice": "ambassadeur", "sénatrice": "sénateur", "députée": "député",
              "procureure": "procureur", "gouverneure": "gouverneur", "dirigeante": "dirigeant",
              "représentante": "représentant"}
_GENDERED_ROLE = re.compile(
    r"\b(?P<det>[Ll]e|[Ll]a|[Uu]n|[Uu]ne|[Dd]u|[Aa]u)\s+(?P<noun>" + "|".join(sorted(_ROLE_FORMS, key=len, reverse=True))
    + r")\b(?:\s+(?P<adj>[a-zà-ÿ]+))?"
)
_RANGE_BEFORE = re.compile(r"(?:\d|\b(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|cent|mille))\s*(?:à|a|et|-|–|to|or|ou)\s*$",
                           re.I)
_OFFSET = re.compile(r"\s*(?:plus\s+tard|plus\s+tôt|après|auparavant|avant|later|after|earlier|ago|before)\b", re.I)
_COMPLEMENT = re.compile(
    r"\s+(?:[a-zà-ÿ]+\s+)?(?:de\s+la|de\s+l['’]|du|des|de|d['’])\s*([A-ZÀ-Þ][\w\-]+(?:\s+[a-zà-ÿ]+)?)"
)
_NATIONALITY = re.compile(r"^(?:[a-zà-ÿ]+(?:ien|ienne|ain|aine|ais|aise|ois|oise|and|ande|ol|ole|in|ine|ique|e))$")


@dataclass(frozen=True)
class _RoleMention:
    article: str
    noun: str
    gender: str
    nationality: str
    own: frozenset[str]
    near: frozenset[str]
    shown: str
    complement: str  # "defense" in "le ministre de la Défense"


def _role_gender(m: re.Match[str]) -> str | None:
    noun = m.group("noun").lower()
    det = m.group("det").lower()
    by_det = "m" if det in ("le", "un", "du", "au") else "f"
    by_noun = _ROLE_FORMS.get(noun)
    if by_noun is not None and by_noun != by_det:
        return None  # "le présidente": a typo, not evidence
    if noun == "secrétaire" and m.group("adj") in ("général", "générale"):
        return by_det
    return by_det


def _nationality(adjective: str) -> str:
    """'ukrainienne' -> 'ukrain': the adjective without its gender, when it looks like a nationality."""
    if not adjective or adjective in ("des", "de", "du", "a", "est", "et", "qui", "sortant", "sortante"):
        return ""
    if not _NATIONALITY.match(adjective):
        return ""
    for ending in ("ienne", "ien", "aine", "ain", "aise", "ais", "oise", "ois", "ande", "and", "ole", "ol", "ine", "in", "e"):
        if adjective.endswith(ending):
            return adjective[: -len(ending)]
    return adjective
