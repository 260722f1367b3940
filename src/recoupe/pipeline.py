"""The default steps, in the order an article flows through them.

    prepare  clean, analyse               each newly read article, before it is stored
    online   neardup, stories             each stored article, in publication order (recoupe.order)
    story    reuse, facts, summary        each story whose membership changed

Each optional stage is imported by name when the pipeline is built, and left
out only while its module (or its step class) does not exist; a module that
exists but fails to import is an error, not a silent gap.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Any

from .article import Article
from .config import Options
from .steps import ArticleStep, RunContext, StoryStep

# (module, class) of the optional steps, in the order they run.
ONLINE_STEPS = [("recoupe.neardup", "NearDupStep"), ("recoupe.stories", "StoryStep")]
STORY_STEPS = [("recoupe.reuse", "ReuseStep"), ("recoupe.facts", "FactsStep"), ("recoupe.summary", "SummaryStep")]


@dataclass
class Pipeline:
    prepare: list[ArticleStep] = field(default_factory=list)
    online: list[ArticleStep] = field(default_factory=list)
    story: list[StoryStep] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        return [s.name for s in (*self.prepare, *self.online, *self.story)]


class CleanStep:
    """Cleaning as an article step; it owns the lines learnt per site, rebuilt by `replay` on a rerun."""

    name = "clean"

    def __init__(self, options: Any = None):
        from .clean import CleanOptions

        if isinstance(options, Options):
            options = options.typed("clean", CleanOptions)
        self.options = options or CleanOptions()
        self.site_lines = self.options.site_lines()

    def process(self, article: Article, ctx: RunContext | None = None) -> Article:
        from .clean import clean_article

        self.site_lines.add(article)
        return clean_article(article, self.options, self.site_lines)

    def replay(self, article: Article, ctx: RunContext | None = None) -> None:
        self.site_lines.add(article)


def analyse_step(options: Options) -> ArticleStep:
    from .analyse import AnalyseOptions, AnalyseStep

    return AnalyseStep(options.typed("analyse", AnalyseOptions))


def build_step(cls: type, options: Options) -> Any:
    """`cls.from_options(options)` when the class has it, else `cls(options)`."""
    factory = getattr(cls, "from_options", None)
    return factory(options) if callable(factory) else cls(options)


def optional(module: str, name: str) -> Any:
    """`module.name` (a step class, a function), or None while the module or the name does not exist yet."""
    try:
        found = importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name is not None and (exc.name == module or module.startswith(exc.name + ".")):
            return None
        raise
    return getattr(found, name, None)


def default_steps(options: Options) -> Pipeline:
    """Clean and analyse always; the other stages that this installation has."""
    pipeline = Pipeline(prepare=[CleanStep(options), analyse_step(options)])
    for module, name in ONLINE_STEPS:
        cls = optional(module, name)
        if cls is not None:
            pipeline.online.append(build_step(cls, options))
    for module, name in STORY_STEPS:
        cls = optional(module, name)
        if cls is not None:
            pipeline.story.append(build_step(cls, options))
    return pipeline
