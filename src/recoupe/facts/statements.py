"""What one article states: its figures, dates and quotes, each placed in its
sentence with the content words around it, so that statements of different
articles can be compared ("the same quantity of the same object").
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date

from ..analyse.dates import DateMention, extract_dates, parse_published
from ..analyse.figures import Figure, extract_figures
from ..analyse.quotes import Quote, extract_quotes
from ..analyse.sentences import split_sentences
from ..article import Article, Sentence

_STOP = set(
    """alors au aucun aussi autre aux avant avec avoir bon car ce cela celle celles celui ces cet cette ceux chaque ci
    comme comment dans des donc dont du elle elles en encore entre est et etaient etait etre eu fait faire fois font hors
    ici il ils je juste la le les leur leurs lui mais meme mes moins mon ne ni nos notre nous on ont ou par parce pas peu
    peut plus pour pourquoi quand que quel quelle quelles quels qui sa sans se selon ses seulement si sien son sont sous
    soit sur ta tandis tellement tels tes ton tous tout toute toutes tres trop tu un une vos votre vous vu ca a d l n s t
    qu c j m y the of and to in on at for by with from is are was were has have had it its this that be as an or not
    but also which who would will said says more than about after de depuis lors sera seront avait aurait ete deja
    environ pres jusqu dont afin ainsi apres""".split()
)
_NUMBER_WORDS = set(
    """un une deux trois quatre cinq six sept huit neuf dix onze douze treize quatorze quinze seize vingt trente quarante
    cinquante soixante cent cents mille million millions milliard milliards billion billions dollars dollar euros euro
    lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin juillet aout septembre octobre
    novembre decembre hier demain aujourd prochain derniere dernier annee annees ans jours heures mois semaines""".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch)).lower()


def stem(word: str) -> str:
    """A crude French/English stem: folded, plural and feminine endings off, six letters at most."""
    word = _fold(word)
    for ending in ("ements", "ement", "ations", "ation", "euses", "euse", "ives", "ive", "ees", "ee", "es", "s", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            word = word[: -len(ending)]
            break
    return word[:6]


def content_stems(text: str) -> list[str]:
    """Stems of the content words of `text`, in order (no stop words, numbers, months or units)."""
    out = []
    for word in _WORD.findall(text):
        folded = _fold(word)
        if len(folded) < 3 or folded in _STOP or folded in _NUMBER_WORDS:
            continue
        out.append(stem(folded))
    return out


@dataclass
class Placed:
    """A statement of one article in its sentence, with the content stems around it."""

    article: str
    sentence: int
    item: Figure | DateMention | Quote
    window: frozenset[str]  # stems near the statement
    sentence_stems: frozenset[str]
    left: frozenset[str] = frozenset()  # the few content stems just before it ("perte nette" de 948 millions)
    right: frozenset[str] = frozenset()  # ... and just after it
    crowded: bool = False  # its sentence holds several statements of the same kind and unit


@dataclass
class ArticleStatements:
    id: str
    text: str
    sentences: list[Sentence]
    reference: date | None
    own_date: bool  # the reference is the article's own publication date
    agency: str | None
    figures: list[Placed] = field(default_factory=list)
    dates: list[Placed] = field(default_factory=list)
    quotes: list[Placed] = field(default_factory=list)

    def sentence_text(self, index: int) -> str:
        if 0 <= index < len(self.sentences):
            return self.sentences[index].text
        return ""


def article_text(article: Article) -> str:
    """The cleaned body when there is one, else what was read."""
    if article.text and article.text.strip():
        return article.text
    if article.input_text:
        return article.input_text
    return article.raw.decode("utf-8", errors="replace") if article.raw else ""


def _sentences(article: Article, text: str) -> list[Sentence]:
    analysis = article.analysis
    if analysis is not None and analysis.sentences and text is article.text:
        return analysis.sentences
    return split_sentences(text)


class _SentenceWords:
    """One sentence's content-word stems with their offsets, indexed once: an article whose sentence runs
    to thousands of words holds as many figures and dates, each placed by a binary search."""

    def __init__(self, stems_with_pos: list[tuple[int, str, bool]]):
        self.positions = [p for p, _, _ in stems_with_pos]
        self.stems = [s for _, s, _ in stems_with_pos]
        common = [(p, s) for p, s, capital in stems_with_pos if not capital]  # names say who, not what
        self.common_positions = [p for p, _ in common]
        self.common = [s for _, s in common]
        self.all = frozenset(self.stems)

    def window(self, start: int, end: int, size: int) -> frozenset[str]:
        left = bisect.bisect_left(self.positions, start)
        right = bisect.bisect_left(self.positions, end)
        return frozenset(self.stems[max(0, left - size) : left] + self.stems[right : right + size])

    def sides(self, start: int, end: int, size: int = 3) -> tuple[frozenset, frozenset]:
        """The common words just before and after a statement."""
        left = bisect.bisect_left(self.common_positions, start)
        right = bisect.bisect_left(self.common_positions, end)
        return (frozenset(self.common[max(0, left - size) : left]), frozenset(self.common[right : right + size]))


def read_statements(article: Article, story_date: date | None, window: int = 8) -> ArticleStatements:
    """Figures, dates and quotes of one article, placed in their sentences."""
    text = article_text(article)
    sentences = _sentences(article, text)
    published = parse_published(article.published)
    reference = published or story_date
    language = article.language or "fr"
    statements = ArticleStatements(article.id, text, sentences, reference, published is not None, article.agency)

    starts = [s.start for s in sentences]
    words_by_sentence = [
        _SentenceWords([(s.start + m.start(), stem(m.group(0)), m.group(0)[0].isupper())
                        for m in _WORD.finditer(s.text)
                        if len(m.group(0)) >= 3 and _fold(m.group(0)) not in _STOP
                        and _fold(m.group(0)) not in _NUMBER_WORDS])
        for s in sentences]
    no_words = _SentenceWords([])

    def place(item, start: int, end: int) -> Placed:
        index = max(0, bisect.bisect_right(starts, start) - 1) if sentences else 0
        words = words_by_sentence[index] if sentences else no_words
        left, right = words.sides(start, end)
        return Placed(article.id, index, item, words.window(start, end, window), words.all, left, right)

    statements.figures = [place(f, f.start, f.end) for f in extract_figures(text, language)]
    per_sentence: dict[tuple[int, str, str], int] = {}
    for p in statements.figures:
        key = (p.sentence, p.item.kind, p.item.unit)
        per_sentence[key] = per_sentence.get(key, 0) + 1
    for p in statements.figures:
        p.crowded = per_sentence[(p.sentence, p.item.kind, p.item.unit)] >= 3
    statements.dates = [place(d, d.start, d.end) for d in extract_dates(text, reference, language)]
    entities = article.analysis.entities if article.analysis is not None and text is article.text else None
    quotes = extract_quotes(text, entities, article.embedded_posts, [(s.start, s.end) for s in sentences])
    statements.quotes = [
        place(q, q.start, q.end) if q.start >= 0 else Placed(article.id, -1, q, frozenset(), frozenset())
        for q in quotes
    ]
    return statements


def story_date(articles: list[Article]) -> date | None:
    """The date a story is told from: the median publication date of its articles, else the latest
    embedded post. Dates a text merely states are not used: an article about 2008 may cite 2005 last."""
    published = sorted(d for d in (parse_published(a.published) for a in articles) if d)
    if published:
        return published[len(published) // 2]
    posts = [parse_published(p.date) for a in articles for p in a.embedded_posts if p.date]
    posts = [d for d in posts if d]
    return max(posts) if posts else None
