"""What a step is: the two protocols every stage implements, and the context it runs in.

Steps do not know where they run. An executor (engine.py in-process; a Spark
executor for large corpora) hands them records and stores what they give
back; the same step code gives the same result under either.

`ArticleStep` is online: it sees one article at a time, in reading order, and
returns it (changed in place or replaced). Its result for an article may
depend on that article, on earlier articles and on earlier steps, never on
later ones, so a run that resumes gives what an uninterrupted one gives.
A step that keeps an index of the articles it has seen (site lines,
near-duplicate signatures, story centroids) may define

    replay(article, ctx) -> None

which brings that index up to date with an article the step processed in an
earlier run, without changing the article or writing to the store: the
engine replays stored articles, in reading order, before it processes new
ones. A step without `replay` is taken to keep no such index, or to reload
it itself from tables of its own (`ctx.store.connection`, tables added by a
migration in store/schema.py); what it writes there while processing an
article is committed with that article.

The step that groups articles into stories says where an article goes by
calling `ctx.assign_story` / `ctx.merge_stories`, or by setting
`article.story` and answering `story_of(article_id)` for every article it
has seen (a later article may merge two stories); `stories()`, when it has
it, lists [{"id", "title", "members", ...details}] and the details (a topic,
say) are kept with the story.

`StoryStep` runs on a whole story whenever its membership changed. Its dict
is stored and merged into the story's entry of the report ("provenance",
"alignments", "facts"...). Steps run in order, so a later one reads what
earlier ones gave with `ctx.story(story_id)`. One key is not copied into
the story's entry: `"article_signals": {article_id: [signal, ...]}` adds
signals to member articles in the report ("uncredited-derivative",
"machine-translation"), and they go away when the story is computed again.

A step class is built by `Step.from_options(options)` when it defines that
class method, else by `Step(options)`, with the whole `Options` object.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Mapping, Protocol, runtime_checkable

from .article import Article
from .config import Options

if TYPE_CHECKING:
    from .store import Store

ARTICLE_SIGNALS = "article_signals"


@runtime_checkable
class ArticleStep(Protocol):
    name: str

    def process(self, article: Article, ctx: "RunContext") -> Article:
        """The article after this step; failures raise and are recorded against the article id."""
        ...


@runtime_checkable
class StoryStep(Protocol):
    name: str

    def process(self, story_id: str, articles: list[Article], ctx: "RunContext") -> dict[str, Any]:
        """This step's part of the story's report entry (JSON-serialisable)."""
        ...


@dataclass
class RunContext:
    """What a step may use besides its record: the options, the store, and shared objects.

    `shared` holds objects one step builds and others read, under the
    building step's name (for example the near-duplicate index under
    "neardup"). The store is there for the story verbs below and for reading;
    steps write to it only through them, so the executor controls commits.
    """

    options: Options
    store: "Store"
    shared: dict[str, Any] = field(default_factory=dict)
    replaying: bool = False  # True while the engine replays stored articles into steps' indexes

    # -- story membership, for the step that groups articles into stories --------------------

    def assign_story(self, article_id: str, story_id: str, title: str | None = None) -> bool:
        """Put an article in a story (moving it out of any other); True when that changed anything.

        Stories whose membership changes are marked for the story steps.
        """
        if self.replaying:
            return False
        return self.store.set_story(article_id, story_id, title)

    def merge_stories(self, into: str, other: str) -> None:
        """Every member of `other` joins `into`; `other` is gone."""
        if not self.replaying:
            self.store.merge_stories(into, other)

    def story_of(self, article_id: str) -> str | None:
        return self.store.story_of(article_id)

    def story_members(self, story_id: str) -> list[str]:
        return self.store.story_members(story_id)

    # -- for story steps -----------------------------------------------------------------------

    def story(self, story_id: str) -> Mapping[str, Any]:
        """The story's id, title and members, merged with what story steps gave it so far."""
        entry: dict[str, Any] = {}
        found = self.store.story(story_id)
        if found is not None:
            entry.update(id=found["id"], title=found["title"], members=found["members"])
        for result in self.store.story_results(story_id).values():
            entry.update({k: v for k, v in result.items() if k != ARTICLE_SIGNALS})
        return entry

    def article(self, article_id: str) -> Article:
        """A stored article with its analysis."""
        return self.store.get_article(article_id, with_analysis=True)


def earlier_results(ctx: Any, story_id: str) -> Mapping[str, Any]:
    """What earlier story steps gave this story: `ctx.story(id)` from a RunContext, or, for a step
    called by hand, a mapping of story ids to entries ({} when the context holds nothing for it)."""
    for getter in (lambda: ctx.story(story_id), lambda: ctx.stories[story_id], lambda: ctx["stories"][story_id],
                   lambda: ctx["story"], lambda: ctx.results[story_id]):
        try:
            found = getter()
        except (AttributeError, KeyError, TypeError, IndexError):
            continue
        if isinstance(found, Mapping):
            return found
    return {}
