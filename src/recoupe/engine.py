"""The in-process executor: reads inputs into the store and runs the steps over what is new.

Three phases, each resumable because each unit of work is one transaction:

1. read: every input record not stored yet (by the sha256 of its bytes) is
   cleaned and analysed by the prepare steps and stored, one commit each;
2. online: each online article step processes the stored articles it has
   not processed yet (tracked per step in the store), one commit per article
   and step, in publication order (`recoupe.order`). That order holds within
   what one run has pending: the articles of a later run come after, as in a
   stream, whatever their dates;
3. stories: the story steps run on every story whose membership changed (or
   that lacks one of their results), one commit per story.

A run killed at any moment loses only the unit it was in; the next run
replays what the steps had seen into their indexes, in the order they saw it
(the store numbers each step's articles as it marks them), and goes on, so its report
is the one an uninterrupted run writes. A step that raises on one article or
story is recorded against that id and the run goes on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Iterable

from .article import Article, sha256_hex
from .config import Options
from .errors import InputError
from .pipeline import Pipeline, default_steps
from .steps import ArticleStep, RunContext
from .store import Store


@dataclass
class StepFailure:
    step: str
    problem: str
    article: str | None = None
    story: str | None = None

    def line(self) -> str:
        where = self.article if self.article is not None else f"story {self.story}"
        return f"{where}: {self.step} step failed: {self.problem}"


@dataclass
class RunSummary:
    """What one run did; `failures` counts inputs that could not be read and steps that raised."""

    run_id: int
    inputs: list[str]
    stored: int = 0  # new articles
    skipped: int = 0  # records whose bytes were already stored
    duplicates: int = 0  # new articles whose cleaned text an earlier article has
    input_errors: list[InputError] = field(default_factory=list)
    step_failures: list[StepFailure] = field(default_factory=list)
    processed: dict[str, int] = field(default_factory=dict)  # online step -> articles processed
    stories_updated: int = 0

    @property
    def failures(self) -> int:
        return len(self.input_errors) + len(self.step_failures)

    @property
    def ok(self) -> bool:
        return self.failures == 0


class Progress:
    """What the engine tells about its progress; the default tells nobody (the CLI draws a bar)."""

    def phase(self, name: str, total: int | None) -> None:
        """A phase starts; `total` units of work when known."""

    def advance(self, amount: int = 1) -> None:
        """One more unit of the current phase is done."""

    def input_error(self, error: InputError) -> None:
        """An input could not be read."""

    def step_failure(self, failure: StepFailure) -> None:
        """A step raised on one article or story."""

    def done(self) -> None:
        """The run is over."""


def describe(exc: BaseException) -> str:
    """An exception in one line: its type and its message."""
    message = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


class Engine:
    """Runs a pipeline over inputs and a store; the store and the pipeline belong to the caller."""

    def __init__(self, options: Options | None, store: Store, steps: Pipeline | None = None,
                 progress: Progress | None = None):
        self.options = options or Options()
        self.store = store
        self.steps = steps if steps is not None else default_steps(self.options)
        self.progress = progress or Progress()
        self.ctx = RunContext(options=self.options, store=store)
        self._replayed: set[str] = set()

    # -- the whole run ------------------------------------------------------------------------

    def ingest(self, inputs: Iterable[str], stdin: BinaryIO | None = None) -> RunSummary:
        """Read `inputs` into the store, then bring every step up to date."""
        inputs = [str(i) for i in inputs]
        summary = RunSummary(run_id=self.store.start_run(inputs), inputs=inputs)
        try:
            self.read(inputs, summary, stdin)
            self.update(summary)
        finally:
            self.store.finish_run(summary.run_id, summary.failures)
            self.progress.done()
        return summary

    def report(self) -> dict[str, Any]:
        """The report dict of everything in the store (the JSON contract of DESIGN.md)."""
        from .report.json import build_report

        return build_report(self.store)

    def write_report(self, out_dir: str | Path) -> Path:
        from .report.json import write_report

        return write_report(self.report(), out_dir)

    # -- phase 1: reading ---------------------------------------------------------------------

    def read(self, inputs: Iterable[str], summary: RunSummary, stdin: BinaryIO | None = None) -> None:
        from .ingest import IngestOptions, read_inputs

        ingest_options = self.options.typed("ingest", IngestOptions)
        self.progress.phase("reading", None)
        for item in read_inputs(list(inputs), ingest_options, stdin=stdin):
            if isinstance(item, InputError):
                self.store.add_input_error(summary.run_id, item.source, item.problem)
                summary.input_errors.append(item)
                self.progress.input_error(item)
                continue
            self._read_one(item, summary)
            self.progress.advance()

    def _read_one(self, article: Article, summary: RunSummary) -> None:
        if not article.raw_sha256:
            article.raw_sha256 = sha256_hex(article.raw)
        if self.store.has_raw(article.raw_sha256):
            summary.skipped += 1
            return
        for step in self.steps.prepare:
            self._replay_once(step)
        article.id = self.store.unique_id(article.id, article.raw_sha256)
        failures = []
        for step in self.steps.prepare:
            try:
                article = step.process(article, self.ctx) or article
            except Exception as exc:  # one article's failure must not stop the run
                failures.append(StepFailure(step.name, describe(exc), article=article.id))
        with self.store.transaction():
            if self.store.put_article(article) is not None:
                summary.duplicates += 1
            if article.analysis is not None:
                self.store.put_analysis(article.id, article.analysis)
            for failure in failures:
                self.store.add_step_failure(summary.run_id, failure.step, failure.problem, article_id=article.id)
        summary.stored += 1
        for failure in failures:
            summary.step_failures.append(failure)
            self.progress.step_failure(failure)

    # -- phase 2: online article steps ------------------------------------------------------------

    def update(self, summary: RunSummary) -> None:
        """Run the online steps over the articles they have not seen, then the story steps."""
        for step in self.steps.online:
            self._run_online(step, summary)
        self._run_stories(summary)

    def _run_online(self, step: ArticleStep, summary: RunSummary) -> None:
        pending = self.store.pending_articles(step.name)
        if not pending:
            return
        self._replay_once(step)
        self.progress.phase(step.name, len(pending))
        for number, article_id in enumerate(pending, start=1):
            article = self.store.get_article(article_id, with_analysis=True)
            analysis, story = article.analysis, article.story
            try:
                with self.store.transaction():
                    article = step.process(article, self.ctx) or article
                    self.store.update_article(article)
                    if article.analysis is not None and article.analysis is not analysis:
                        self.store.put_analysis(article.id, article.analysis)
                    if article.story is not None and article.story != story:
                        self.store.set_story(article.id, article.story)
                    self.store.mark_step(step.name, article_id)
                    if number == len(pending):
                        self._end_of_run(step)
            except Exception as exc:  # rolled back: the article stays as it was before this step
                failure = StepFailure(step.name, describe(exc), article=article_id)
                with self.store.transaction():
                    self.store.mark_step(step.name, article_id, failure.problem)
                    self.store.add_step_failure(summary.run_id, step.name, failure.problem, article_id=article_id)
                    if number == len(pending):
                        self._end_of_run(step)
                summary.step_failures.append(failure)
                self.progress.step_failure(failure)
            summary.processed[step.name] = summary.processed.get(step.name, 0) + 1
            self.progress.advance()

    def _end_of_run(self, step: ArticleStep) -> None:
        """In the transaction of the step's last article of the run: stored stories brought in line
        with the step's view, and the step's own checkpoint (a snapshot of its index), if it has one."""
        self._reconcile_stories(step)
        checkpoint = getattr(step, "checkpoint", None)
        if callable(checkpoint):
            checkpoint(self.ctx)

    def _reconcile_stories(self, step: ArticleStep) -> None:
        """Bring stored memberships, titles and story details in line with a grouping step's final view.

        A later article can merge two stories, which changes the story of
        articles processed before it; a step that groups articles says where
        each one ended with `story_of(article_id)`, and may list its stories
        (id, title, members and details such as the topic) with `stories()`.
        Runs in the transaction of the step's last article of the run (`_end_of_run`), so a
        run killed before it has that article still to do, and does it then.
        """
        story_of = getattr(step, "story_of", None)
        if not callable(story_of):
            return
        for article_id, story_id in sorted(self.store.memberships().items()):
            wanted = story_of(article_id)
            if wanted is not None and wanted != story_id:
                self.store.set_story(article_id, wanted)
        listing = getattr(step, "stories", None)
        if not callable(listing):
            return
        for entry in listing():
            story_id = entry.get("id")
            stored = self.store.story(story_id) if story_id is not None else None
            if stored is None:
                continue
            if entry.get("title") and entry["title"] != stored["title"]:
                self.store.set_story_title(story_id, entry["title"])
            details = {k: v for k, v in entry.items() if k not in ("id", "title", "members")}
            if details and self.store.story_results(story_id).get(step.name) != details:
                self.store.put_story_result(story_id, step.name, details)

    def _replay_once(self, step: ArticleStep) -> None:
        """Feed the step the articles it processed in earlier runs, in the order it processed them (once per engine)."""
        if step.name in self._replayed:
            return
        self._replayed.add(step.name)
        replay = getattr(step, "replay", None)
        if not callable(replay):
            return
        if step in self.steps.prepare:  # they run before analysis: stored articles are enough
            articles = self.store.iter_articles()
        else:
            processed = self.store.processed_articles(step.name)
            restore = getattr(step, "restore", None)
            if callable(restore):  # a step that keeps its own state in the store says what it still lacks
                processed = restore(self.ctx, processed)
            if not processed:
                return
            articles = self.store.iter_articles(with_analysis=True, ids=processed, as_listed=True)
        self.ctx.replaying = True
        try:
            for article in articles:
                replay(article, self.ctx)
        finally:
            self.ctx.replaying = False

    # -- phase 3: story steps -----------------------------------------------------------------------

    def _run_stories(self, summary: RunSummary) -> None:
        names = [step.name for step in self.steps.story]
        todo = self.store.stories_to_update(names)
        if not todo:
            return
        self.progress.phase("story steps", len(todo))
        for story_id in todo:
            members = self.store.story_members(story_id)
            articles = list(self.store.iter_articles(with_analysis=True, ids=members))
            for article in articles:
                article.story = story_id
            failures = []
            with self.store.transaction():
                self.store.clear_story_results(story_id, names)
                for step in self.steps.story:
                    try:
                        result = step.process(story_id, articles, self.ctx)
                        self.store.put_story_result(story_id, step.name, dict(result or {}))
                    except Exception as exc:  # the other steps and stories go on
                        failure = StepFailure(step.name, describe(exc), story=story_id)
                        self.store.add_step_failure(summary.run_id, step.name, failure.problem, story_id=story_id)
                        failures.append(failure)
                self.store.set_story_clean(story_id)
            summary.stories_updated += 1
            for failure in failures:
                summary.step_failures.append(failure)
                self.progress.step_failure(failure)
            self.progress.advance()
