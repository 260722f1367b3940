"""The one record that travels through every step: an `Article`.

Raw bytes are kept as read; everything derived (cleaned text, metadata,
removals, analysis) hangs off the same object so any result can be traced
back to the bytes it came from.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass
class Removal:
    """A span that cleaning took out of the body, kept so nothing is silently dropped.

    `position` is the character offset of the span in `Article.input_text`
    (the decoded, normalised text before cleaning).
    """

    kind: str  # furniture | repeat | byline | dateline | timestamp | agency | embed | title
    text: str
    position: int


@dataclass
class EmbeddedPost:
    """A social-media post quoted inside an article (tweet, etc.), kept out of the prose."""

    text: str
    author: str | None = None  # "@SecBlinken" (the handle when there is one)
    name: str | None = None  # display name: "Secrétaire Antony Blinken"
    date: str | None = None  # ISO date "2024-11-13" when it could be read
    url: str | None = None  # pic.twitter.com/... or status URL
    platform: str | None = None  # twitter | ...


@dataclass
class Sentence:
    """A sentence of the cleaned body; offsets are into `Article.text`."""

    index: int
    paragraph: int
    start: int
    end: int
    text: str


@dataclass
class Article:
    """One news article: raw bytes, cleaned text, metadata and derived annotations."""

    id: str
    source: str  # the path, URL or stream the article came from
    raw: bytes = field(default=b"", repr=False)  # exact bytes of this article as read
    raw_sha256: str = ""
    format: str = "text"  # text | html | jsonl | feed | warc
    url: str | None = None
    site: str | None = None
    title: str | None = None
    input_text: str = field(default="", repr=False)  # decoded + normalised, before cleaning
    text: str = field(default="", repr=False)  # cleaned body, paragraphs separated by blank lines
    language: str | None = None
    published: str | None = None  # ISO 8601
    updated: str | None = None
    byline: str | None = None
    agency: str | None = None
    dateline: str | None = None
    embedded_posts: list[EmbeddedPost] = field(default_factory=list)
    removed: list[Removal] = field(default_factory=list)
    repeat_ratio: float = 0.0
    signals: list[str] = field(default_factory=list)
    story: str | None = None
    read_at: str | None = None  # when the bytes were read (ISO, UTC)
    meta: dict[str, Any] = field(default_factory=dict)  # reader-specific extras (feed id, WARC record id...)
    analysis: "Analysis | None" = field(default=None, repr=False)  # set by the analyse step

    def __post_init__(self) -> None:
        if self.raw and not self.raw_sha256:
            self.raw_sha256 = sha256_hex(self.raw)

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    def add_signal(self, name: str) -> None:
        if name not in self.signals:
            self.signals.append(name)

    def to_report(self) -> dict[str, Any]:
        """The article as the report contract (DESIGN.md) names its fields."""
        return {
            "id": self.id,
            "source": self.source,
            "raw_sha256": self.raw_sha256,
            "format": self.format,
            "url": self.url,
            "site": self.site,
            "title": self.title,
            "text": self.text,
            "language": self.language,
            "published": self.published,
            "updated": self.updated,
            "byline": self.byline,
            "agency": self.agency,
            "dateline": self.dateline,
            "embedded_posts": [asdict(p) for p in self.embedded_posts],
            "removed": [asdict(r) for r in self.removed],
            "repeat_ratio": round(self.repeat_ratio, 4),
            "signals": list(self.signals),
            **({"story": self.story} if self.story is not None else {}),
        }

    def to_state(self) -> dict[str, Any]:
        """Everything but the raw bytes, for the store (raw bytes live in their own table)."""
        state = self.to_report()
        state.update(input_text=self.input_text, read_at=self.read_at, meta=self.meta)
        return state

    @classmethod
    def from_state(cls, state: dict[str, Any], raw: bytes = b"") -> "Article":
        state = dict(state)
        posts = [EmbeddedPost(**p) for p in state.pop("embedded_posts", [])]
        removed = [Removal(**r) for r in state.pop("removed", [])]
        known = {f for f in cls.__dataclass_fields__}
        kwargs = {k: v for k, v in state.items() if k in known}
        return cls(raw=raw, embedded_posts=posts, removed=removed, **kwargs)


@dataclass
class Entity:
    """A named entity mention; offsets are into `Article.text`."""

    text: str
    label: str  # PER | ORG | LOC | MISC
    start: int
    end: int
    sentence: int


@dataclass
class Analysis:
    """What the analyse step derives from an article's cleaned text.

    `lemmas[i]` are the lower-cased lemmas of the content words of sentence i
    (no stop words, no punctuation); for languages without a spaCy pipeline
    they are lower-cased word forms, so every later step works the same way.
    `title_lemmas` and `title_entities` are the same of the headline (entity
    texts only: offsets are into the body), which states the story in the
    fewest words and so counts in story similarity with the body.
    """

    language: str
    sentences: list[Sentence] = field(default_factory=list)
    lemmas: list[list[str]] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    model: str = ""  # the pipeline that produced it: "fr_core_news_md", "agnostic"
    title_lemmas: list[str] = field(default_factory=list)
    title_entities: list[str] = field(default_factory=list)

    def to_state(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> "Analysis":
        return cls(
            language=state["language"],
            sentences=[Sentence(**s) for s in state.get("sentences", [])],
            lemmas=[list(x) for x in state.get("lemmas", [])],
            entities=[Entity(**e) for e in state.get("entities", [])],
            model=state.get("model", ""),
            title_lemmas=list(state.get("title_lemmas", [])),
            title_entities=list(state.get("title_entities", [])),
        )
