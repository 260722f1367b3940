"""Facts of a story: what its sources state, by how many independent voices,
and where they disagree.

`FactsStep` is a story step: from the story's articles (cleaned and analysed
when those steps ran; raw text works too) and the provenance an earlier step
put in the story's results, it returns {"facts", "quotes", "entities",
"contradictions"} as the report contract names them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from typing import Any

from ..article import Article
from ..config import Options, section_as
from ..steps import earlier_results
from .crosscheck import CrossCheck, CrossCheckOptions, figure_key
from .entities import CanonicalEntity, Mention, canonical_entities, role_mentions
from .statements import ArticleStatements, article_text, read_statements, story_date
from .voices import Voices, from_provenance, from_statements

__all__ = ["FactsOptions", "FactsStep", "check_story"]

_VOICE_MODES = ("provenance+statements", "provenance", "statements")


@dataclass
class FactsOptions(CrossCheckOptions):
    """Section [facts]. Besides the cross-check thresholds (see `CrossCheckOptions`):

    voices: how independent voices are found: "provenance" (derived_from links of the reuse
        step only), "statements" (articles sharing most of their figures and quotes, in order),
        or both ("provenance+statements").
    voice_min_shared / voice_min_share / voice_min_order: how many checkable statements two
        articles must share, what share of the smaller article's they must be, and how much of
        their order must agree, to be one voice.
    """

    voices: str = "provenance+statements"
    voice_min_shared: int = 3
    voice_min_share: float = 0.6
    voice_min_order: float = 0.7

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.voices not in _VOICE_MODES:
            raise ValueError(f"voices must be one of {', '.join(_VOICE_MODES)}, got {self.voices!r}")
        if not isinstance(self.voice_min_shared, int) or self.voice_min_shared < 1:
            raise ValueError(f"voice_min_shared must be a positive integer, got {self.voice_min_shared!r}")
        for name in ("voice_min_share", "voice_min_order"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}")

    def crosscheck(self) -> CrossCheckOptions:
        names = {f.name for f in fields(CrossCheckOptions)}
        return CrossCheckOptions(**{n: getattr(self, n) for n in names})


def _mentions(article: Article, text: str) -> list[Mention]:
    """Entity mentions of one article: spaCy's when the analysis ran on this text, else capitalised names."""
    analysis = article.analysis
    if analysis is not None and text is article.text:
        found = [Mention(article.id, e.text, e.label, e.start) for e in analysis.entities]
    else:
        from ..analyse.lexical import AgnosticLexer
        from ..analyse.sentences import split_sentences

        _, entities = AgnosticLexer().lexical(text, split_sentences(text))
        found = [Mention(article.id, e.text, e.label, e.start) for e in entities]
    _, bare_roles = role_mentions(article.id, text)
    return found + bare_roles


def _statement_sequence(statements: ArticleStatements, quote_cluster: Mapping[int, int]) -> list[str]:
    """An article's checkable statements in text order: figures by value and unit, quotes by their group."""
    items: list[tuple[int, str]] = []
    for p in statements.figures:
        items.append((p.item.start, "F:" + ":".join(figure_key(p.item))))
    for p in statements.quotes:
        cluster = quote_cluster.get(id(p))
        if cluster is not None:
            items.append((p.item.start, f"Q:{cluster}"))
    items.sort()
    return [key for _, key in items]


def check_story(
    articles: Sequence[Article],
    provenance: Sequence[Mapping[str, Any]] | None = None,
    options: FactsOptions | None = None,
) -> dict[str, Any]:
    """{"facts", "quotes", "entities", "contradictions"} of one story."""
    options = options or FactsOptions()
    when = story_date(list(articles))
    statements = [read_statements(a, when, options.window) for a in articles]
    texts = {s.id: s.text for s in statements}

    mentions = [m for a, s in zip(articles, statements) for m in _mentions(a, s.text)]
    entities, index = canonical_entities(mentions, texts)

    voices = Voices([a.id for a in articles], {a.id: a.agency for a in articles})
    if options.voices in ("provenance", "provenance+statements"):
        from_provenance(voices, provenance)
    roles = {p.get("article"): p.get("role") for p in provenance or [] if p.get("article")}
    check = CrossCheck(statements, voices, entities, index, options.crosscheck(), roles)
    if options.voices in ("statements", "provenance+statements"):
        clusters = {id(p): n for n, group in enumerate(check.quote_groups()) if len({q.article for q in group}) > 1
                    for p in group}
        sequences = {s.id: _statement_sequence(s, clusters) for s in statements}
        from_statements(voices, sequences, options.voice_min_shared, options.voice_min_share, options.voice_min_order)

    quotes, attribution = check.quotes()
    return {
        "facts": check.facts(),
        "quotes": quotes,
        "entities": [e.to_report() for e in entities],
        "contradictions": check.contradictions(attribution),
        "voices": voices.groups(),
    }


def options_from(source: Options | Mapping[str, Any] | None) -> FactsOptions:
    """FactsOptions from the options object (its [facts] section) or from a plain mapping."""
    if source is None:
        return FactsOptions()
    if isinstance(source, Options):
        return source.typed("facts", FactsOptions)
    return section_as("facts", source, FactsOptions)


class FactsStep:
    """Story step: facts, quotes, canonical entities and contradictions of one story."""

    name = "facts"

    def __init__(self, options: FactsOptions | Options | Mapping[str, Any] | None = None):
        self.options = options if isinstance(options, FactsOptions) else options_from(options)

    def process(self, story_id: str, articles: Sequence[Article], ctx: Any = None) -> dict[str, Any]:
        story = earlier_results(ctx, story_id)
        return check_story(articles, story.get("provenance"), self.options)


__all__ += ["CanonicalEntity", "article_text", "options_from"]
