"""The analyse step: language, sentences, content lemmas and entities of a cleaned article.

Figures, dates and quotes have their own modules here (figures.py, dates.py,
quotes.py) because the cross-check reads them story by story.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..article import Analysis, Article
from .language import LanguageDetector
from .lexical import AgnosticLexer, SpacyLexer
from .sentences import split_sentences


@dataclass
class AnalyseOptions:
    """`spacy_model` is the French pipeline (md is better at names, sm is faster; "" for none: French
    then takes the language-agnostic path, many times faster, with character n-grams for stories);
    `pipelines` maps other languages to installed spaCy pipelines, when there are any."""

    spacy_model: str = "fr_core_news_md"
    pipelines: dict[str, str] = field(default_factory=dict)


class Analyser:
    """Holds the language model and one spaCy pipeline per language, loaded on first use."""

    def __init__(self, options: AnalyseOptions | None = None):
        self.options = options or AnalyseOptions()
        self._languages = LanguageDetector()
        self._lexers: dict[str, SpacyLexer | AgnosticLexer] = {}
        self._agnostic = AgnosticLexer()

    def pipeline_for(self, language: str | None) -> str | None:
        if language == "fr":
            return self.options.spacy_model
        return self.options.pipelines.get(language or "")

    def _lexer(self, language: str | None) -> SpacyLexer | AgnosticLexer:
        model = self.pipeline_for(language)
        if not model:  # no pipeline for the language, or spaCy turned off with spacy_model = ""
            return self._agnostic
        if model not in self._lexers:
            self._lexers[model] = SpacyLexer(model)
        return self._lexers[model]

    def analyse(self, article: Article) -> Analysis:
        """Sets `article.language` (unless a reader already knew it) and `article.analysis`."""
        language = article.language or self._languages.detect(article.text) or "und"
        article.language = language
        sentences = split_sentences(article.text)
        lexer = self._lexer(language)
        lemmas, entities, title_lemmas, title_entities = lexer.lexical_with_headline(
            article.text, sentences, article.title or "")
        article.analysis = Analysis(language, sentences, lemmas, entities, lexer.model,
                                    title_lemmas=title_lemmas, title_entities=title_entities)
        return article.analysis


class AnalyseStep:
    """Article step wrapper so the engine can run analysis like any other step."""

    name = "analyse"

    def __init__(self, options: AnalyseOptions | None = None):
        self.analyser = Analyser(options)

    def process(self, article: Article, ctx: object = None) -> Article:
        self.analyser.analyse(article)
        return article
