"""Content lemmas and named entities: spaCy where a pipeline is installed, rules elsewhere.

Only the French pipelines install from the package registry; for any other
language the agnostic path gives lower-cased word forms and capitalised
names, so clustering and alignment still have something to work with.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..article import Entity, Sentence
from .sentences import split_sentences

_CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "NUM", "X"}
_WORD = re.compile(r"\w+(?:[-’']\w+)*", re.UNICODE)
_CAPITALISED_RUN = re.compile(
    r"\b[A-ZÀ-ÖØ-Þ][\w’'-]+(?:\s+(?:(?:de|du|des|von|van|der|al|el|la|di|da)\s+)?[A-ZÀ-ÖØ-Þ][\w’'-]+)*"
)
# Words that are capitalised only because they open a sentence; a small multilingual list is enough
# because a run that starts a sentence is kept only when it has two or more words.
_MIN_AGNOSTIC_WORD = 3
MAX_BLOCK_CHARS = 10_000  # longest text given to spaCy in one doc (its own limit is 1,000,000)
PIPE_BATCH = 16  # docs spaCy holds at once: with MAX_BLOCK_CHARS, bounds its memory on a run-on text


def _sentence_of(sentences: list[Sentence]) -> Callable[[int], int]:
    starts = [s.start for s in sentences]

    def find(offset: int) -> int:
        lo, hi = 0, len(starts)
        while lo < hi:
            mid = (lo + hi) // 2
            if starts[mid] <= offset:
                lo = mid + 1
            else:
                hi = mid
        return max(lo - 1, 0)

    return find


class SpacyLexer:
    """Lemmas and entities from a spaCy pipeline; the parser is not needed (sentences are ours)."""

    def __init__(self, model: str):
        import spacy

        self.model = model
        self._nlp = spacy.load(model, exclude=["parser", "senter"])

    def lexical(self, text: str, sentences: list[Sentence]) -> tuple[list[list[str]], list[Entity]]:
        lemmas, entities, _, _ = self.lexical_with_headline(text, sentences, "")
        return lemmas, entities

    def lexical_with_headline(self, text: str, sentences: list[Sentence],
                              headline: str) -> tuple[list[list[str]], list[Entity], list[str], list[str]]:
        """Lemmas per sentence and entities of the text, then the headline's lemmas and entity texts.

        The headline goes through the same `pipe` call as the text's paragraphs: a pipeline call of
        its own would cost as much again as a paragraph."""
        lemmas: list[list[str]] = [[] for _ in sentences]
        entities: list[Entity] = []
        headline = _bounded_blocks(0, headline.strip())[0][1] if headline.strip() else ""
        # One doc per paragraph (or piece of a long one): entities never run across a paragraph break.
        blocks = [piece for m in re.finditer(r"[^\n]+(?:\n(?!\s*\n)[^\n]+)*", text) if sentences
                  for piece in _bounded_blocks(m.start(), m.group(0))]
        docs = self._nlp.pipe(([headline] if headline else []) + [block for _, block in blocks], batch_size=PIPE_BATCH)
        headline_doc = next(docs) if headline else None
        find = _sentence_of(sentences)
        for (offset, _block), doc in zip(blocks, docs):
            for token in doc:
                lemma = _content_lemma(token)
                if lemma:
                    lemmas[find(offset + token.idx)].append(lemma)
            for ent in doc.ents:
                start = offset + ent.start_char
                entities.append(Entity(ent.text, ent.label_, start, offset + ent.end_char, find(start)))
        if headline_doc is None:
            return lemmas, entities, [], []
        headline_lemmas = [lemma for lemma in map(_content_lemma, headline_doc) if lemma]
        return lemmas, entities, headline_lemmas, [ent.text for ent in headline_doc.ents]


def _bounded_blocks(offset: int, block: str) -> list[tuple[int, str]]:
    """`block` (at `offset` in the text) cut into pieces of at most MAX_BLOCK_CHARS characters, each ending
    after a sentence end or else a space where there is one: spaCy refuses a text over its `max_length`
    and its memory grows with the docs it holds."""
    pieces, limit = [], MAX_BLOCK_CHARS
    while len(block) > limit:
        window = block[:limit]
        cut = max(window.rfind(". "), window.rfind("! "), window.rfind("? "))
        cut = cut + 2 if cut > limit // 2 else (window.rfind(" ") + 1 or limit)
        pieces.append((offset, block[:cut]))
        offset, block = offset + cut, block[cut:]
    pieces.append((offset, block))
    return pieces


def _content_lemma(token) -> str:
    """The lower-cased lemma of a content word; "" for a stop word, punctuation or a lone letter."""
    if token.is_stop or token.is_punct or token.is_space or token.pos_ not in _CONTENT_POS:
        return ""
    lemma = (token.lemma_ or token.text).lower().strip()
    return lemma if lemma and (len(lemma) > 1 or lemma.isdigit()) else ""


class AgnosticLexer:
    """Word forms and capitalised names by rule, for languages without an installed pipeline."""

    model = "agnostic"

    def lexical(self, text: str, sentences: list[Sentence]) -> tuple[list[list[str]], list[Entity]]:
        lemmas: list[list[str]] = []
        entities: list[Entity] = []
        for sentence in sentences:
            words = [w.lower() for w in _WORD.findall(sentence.text)]
            lemmas.append([w for w in words if len(w) >= _MIN_AGNOSTIC_WORD or w.isdigit()])
            for match in _CAPITALISED_RUN.finditer(sentence.text):
                at_start = match.start() == 0 or not sentence.text[: match.start()].strip(" «\"“‘(")
                if at_start and " " not in match.group(0):
                    continue
                start = sentence.start + match.start()
                entities.append(Entity(match.group(0), "MISC", start, start + len(match.group(0)), sentence.index))
        return lemmas, entities

    def lexical_with_headline(self, text: str, sentences: list[Sentence],
                              headline: str) -> tuple[list[list[str]], list[Entity], list[str], list[str]]:
        """As SpacyLexer's: the text's lemmas and entities, then the headline's."""
        lemmas, entities = self.lexical(text, sentences)
        headline = headline.strip()
        if not headline:
            return lemmas, entities, [], []
        headline_lemmas, headline_entities = self.lexical(headline, split_sentences(headline))
        return (lemmas, entities, [lemma for sentence in headline_lemmas for lemma in sentence],
                [entity.text for entity in headline_entities])
