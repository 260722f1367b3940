"""Shapes of the JSON API, so the OpenAPI schema documents the report contract (DESIGN.md).

Every model allows extra fields: the contract may grow, and the API passes on
whatever the report holds.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")


class Problem(BaseModel):
    detail: str


class StoryCard(BaseModel):
    id: str
    title: str
    url: str = Field(description="the story's page in this app")
    sources: int = Field(description="articles in the story")
    voices: int | None = Field(description="articles that do not derive from one another; null before provenance")
    dates: str = Field(description="first and last publication day")
    languages: list[str]
    signals: list[str]
    contradiction_count: int
    lead: str = Field(description="the summary's first sentence")


class SummarySentence(_Open):
    sentence: str = Field(description="a sentence quoted verbatim from one article")
    sources: list[str] = Field(description="every article that says it")


class ProvenanceEntry(_Open):
    article: str
    role: str = Field(description="original | derivative | independent")
    derived_from: str | None = None
    relation: str | None = Field(None, description="copy | light-edit | paraphrase | translation")
    shared: float | None = None


class Alignment(_Open):
    a: str
    b: str
    pairs: list[list[Any]] = Field(default_factory=list, description="[sentence of a, sentence of b, score]")


class Fact(_Open):
    text: str = ""
    kind: str | None = None
    value: Any = None
    unit: str | None = None
    date: str | None = None
    sources: list[str] = Field(default_factory=list)
    independent_sources: int | None = Field(None, description="sources that do not derive from one another")


class Entity(_Open):
    name: str
    variants: list[str] = Field(default_factory=list)
    type: str | None = None
    sources: list[str] = Field(default_factory=list)


class Quote(_Open):
    speaker: str | None = None
    text: str
    kind: str | None = None  # "direct" (the speaker's words) or "reported" ("selon X, ...": the writer's)
    sources: list[str] = Field(default_factory=list)


class Contradiction(_Open):
    kind: str | None = None
    articles: list[str] = Field(default_factory=list)
    against: list[str] = Field(default_factory=list)
    explanation: str | None = None


class Story(_Open):
    id: str
    title: str | None = None
    members: list[str] = Field(default_factory=list)
    provenance: list[ProvenanceEntry] = Field(default_factory=list)
    alignments: list[Alignment] = Field(default_factory=list)
    facts: list[Fact] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    contradictions: list[Contradiction] = Field(default_factory=list)
    summary: list[SummarySentence] = Field(default_factory=list)
    pending: bool = Field(False, description="members changed since the story's results were computed (a run is under way)")


class ArticleOut(_Open):
    id: str
    source: str | None = None
    raw_sha256: str | None = None
    title: str | None = None
    text: str = Field("", description="cleaned body, paragraphs separated by blank lines")
    language: str | None = None
    published: str | None = None
    byline: str | None = None
    agency: str | None = None
    dateline: str | None = None
    embedded_posts: list[dict[str, Any]] = Field(default_factory=list)
    removed: list[dict[str, Any]] = Field(default_factory=list, description="what cleaning took out: kind, text")
    repeat_ratio: float | None = None
    signals: list[str] = Field(default_factory=list)
    story: str | None = None
