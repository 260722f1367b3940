"""The Spark executor: the in-process engine's run, stage by stage, over a cluster.

    read ─► fixes ─► prepare ─► exact copies ─► near-duplicates ─► groups ─► stories ─► story steps ─► output
    (files    (ids,    (clean,     (same          (bands, pairs,      (connected  (ordered    (one story
     by        bytes    analyse,    cleaned        agreement,          compo-      pass on     per task)
     executor) seen,    sign,       text)          ranking)            nents)      the driver)
               site     terms)
               lines)

Every stage but the story clustering pass runs on the executors; see the
package docstring for why that one does not, and what it costs.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Iterable, Iterator

from pyspark import StorageLevel
from pyspark.sql import DataFrame, Window
from pyspark.sql import functions as F

from ..config import Options
from ..engine import Progress, StepFailure
from ..errors import InputError
from ..ingest import IngestOptions
from ..pipeline import CleanStep, Pipeline
from ..store import to_json
from . import layout
from .ordering import near_duplicates_in_order, publication_positions
from .components import connected_components
from .frames import ASSIGNED, ERRORS, FINAL, FINAL_PARQUET, PREPARED, READ, STORY
from .listing import FileEntry, Listing, list_inputs
from .plan import ingest_fixes
from .records import (
    ARTICLE, ERROR, FILE_DONE, ExecutorContext, PipelineSpec, final_article, order_of, prepare_row, read_entry,
)
from .checkpoint import StageCheckpoint, StoryCheckpoint, fingerprint
from .segments import SEGMENT_ROW, SegmentOptions, cluster_segments, segment_count, segments_of, stitch
from .storypass import Clustered, cluster_in_order, story_lines

MAX_LISTED = 1000  # failures kept in the summary and told to the progress; all of them are in OUT/errors
_CHUNK_BYTES = 64 << 20
_ARTICLES_PER_TASK = 2000
_ARTICLES_PER_SHUFFLE_PARTITION = 5000
# Cached frames are built in column batches, each column one buffer outside Spark's memory accounting:
# at Spark's default (10,000 rows) a batch of whole articles, with their raw bytes and output lines, is
# hundreds of MB per column and task. Their compression gathers a dictionary of each batch's values,
# copying every article's text once more for nothing (no two are alike). Set for the run, restored after.
_RUN_SETTINGS = {"spark.sql.inMemoryColumnarStorage.batchSize": lambda now: str(min(int(now), 500)),
                 "spark.sql.inMemoryColumnarStorage.compressed": lambda now: "false"}
# Frames of whole articles (text, state, analysis, output line) are cached on disk: held in memory as
# well, a million of them ran the heap out while being sorted for writing.
_WHOLE_ARTICLES = StorageLevel.DISK_ONLY
_ROWS_TO_DRIVER = 5000  # rows per partition of the ordered pass: what the driver holds at once, twice
_GLOB = re.compile(r"([\[\]{}*?\\])")


@dataclass
class SparkSummary:
    """What one Spark run did; `failures` counts records and files that could not be read and steps that raised."""

    inputs: list[str]
    out: str
    articles: int = 0  # stored articles
    skipped: int = 0  # records whose bytes an earlier record already had
    duplicates: int = 0  # articles whose cleaned text an earlier article has
    renamed: int = 0  # ids met before, given a suffix
    input_errors: list[InputError] = field(default_factory=list)  # the first MAX_LISTED
    input_error_count: int = 0
    step_failures: list[StepFailure] = field(default_factory=list)  # the first MAX_LISTED
    step_failure_count: int = 0
    near_duplicate_pairs: int = 0
    near_duplicate_groups: int = 0
    stories: int = 0
    story_segments: int = 0  # segments the story pass was cut into (`segments`); 0: one ordered pass
    resumed_at: int = 0  # position the story pass resumed at, from a killed run's checkpoint; 0: from the start
    stages_resumed: bool = False  # the stages before the pass were read from a killed run's checkpoint
    seconds: dict[str, float] = field(default_factory=dict)  # per stage
    driver_cpu_seconds: dict[str, float] = field(default_factory=dict)  # per stage, this process only
    steps: list[str] = field(default_factory=list)  # the pipeline's steps, by name
    options: dict[str, Any] = field(default_factory=dict)  # the settings of the run, for `recoupe load`

    @property
    def failures(self) -> int:
        return self.input_error_count + self.step_failure_count

    @property
    def ok(self) -> bool:
        return self.failures == 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "inputs": self.inputs, "out": self.out, "articles": self.articles, "skipped": self.skipped,
            "duplicates": self.duplicates, "renamed": self.renamed, "input_errors": self.input_error_count,
            "step_failures": self.step_failure_count, "failures": self.failures,
            "near_duplicate_pairs": self.near_duplicate_pairs, "near_duplicate_groups": self.near_duplicate_groups,
            "stories": self.stories, "story_segments": self.story_segments, "resumed_at": self.resumed_at,
            "stages_resumed": self.stages_resumed,
            "seconds": {k: round(v, 3) for k, v in self.seconds.items()},
            "driver_cpu_seconds": {k: round(v, 3) for k, v in self.driver_cpu_seconds.items()},
            "steps": self.steps, "options": self.options,
        }


_STAGE_COUNTS = {"prepared": ("articles", "renamed", "skipped"),
                 "matched": ("duplicates", "near_duplicate_pairs", "near_duplicate_groups"),
                 "segments": ("story_segments",)}
_PASS_SECONDS_PER_ARTICLE = 0.01  # the story pass's driver time, about: stages are saved when it is checkpointed


def _counts(summary: "SparkSummary", level: str) -> dict[str, int]:
    return {name: getattr(summary, name) for name in _STAGE_COUNTS[level]}


@dataclass
class _Stages:
    """What the story pass and the output need of the stages before the pass."""

    prepared: DataFrame
    errors: DataFrame  # input errors and prepare failures
    exact: DataFrame
    positions: DataFrame | None
    per_article: DataFrame | None
    kept: DataFrame | None
    groups: DataFrame | None


class SparkEngine:
    """Runs a pipeline's steps over inputs on Spark and writes the result to a folder (see `layout`).

    The session, the options and the pipeline belong to the caller; the
    default pipeline is the in-process engine's (`pipeline.default_steps`).
    """

    def __init__(self, spark: Any, options: Options | None = None, steps: Pipeline | None = None,
                 progress: Progress | None = None, checkpoint_seconds: float = 600.0):
        self.spark = spark
        self.checkpoint_seconds = checkpoint_seconds  # between checkpoints of the story pass (`checkpoint`)
        self.options = options or Options()
        self.spec = PipelineSpec(self.options, steps)
        self.spec.check()
        self.progress = progress or Progress()
        self._story_partitions: int | None = None  # None: Spark's default parallelism

    # -- the whole run ----------------------------------------------------------------------------

    def run(self, inputs: Iterable[str], out: str, stdin: BinaryIO | None = None) -> SparkSummary:
        inputs = [str(i) for i in inputs]
        summary = SparkSummary(inputs=inputs, out=out, steps=self.spec.steps.names, options=self.options.values)
        sc = self.spark.sparkContext
        spec = sc.broadcast(self.spec)
        cached: list[Any] = [spec]
        # The run's settings, and the shuffle partitions `_size_shuffles` may raise, are the caller's after.
        before = {name: self.spark.conf.get(name) for name in ("spark.sql.shuffle.partitions", *_RUN_SETTINGS)}
        for name, value in _RUN_SETTINGS.items():
            self.spark.conf.set(name, value(before[name]))
        self._story_partitions = None
        try:
            self._run(inputs, out, stdin, summary, spec, cached)
        finally:
            for name, value in before.items():
                self.spark.conf.set(name, value)
            for item in cached:
                item.unpersist()
            self.progress.done()
        return summary

    def _run(self, inputs: list[str], out: str, stdin: BinaryIO | None, summary: SparkSummary,
             spec: Any, cached: list[Any]) -> None:
        spark = self.spark
        ingest_options = self.options.typed("ingest", IngestOptions)
        clock = _Clock(summary)

        self.progress.phase("listing", None)
        listing = list_inputs(inputs, ingest_options, spark, stdin)
        run_fingerprint = fingerprint(
            [(e.name, e.location, e.size, hashlib.sha256(e.data).hexdigest() if e.data is not None else None)
             for e in listing.entries], self.options.values, self.spec.steps.names)
        clock.lap("listing")

        stories_step = self.spec.stories
        saved = StageCheckpoint(spark, out, run_fingerprint) if stories_step is not None else None
        stages = self._stages(listing, ingest_options, summary, spec, cached, clock, saved)
        prepared, exact, per_article, kept, groups = (stages.prepared, stages.exact, stages.per_article,
                                                      stages.kept, stages.groups)
        errors = [stages.errors]

        clustered: Clustered | None = None
        assigned = None
        if stories_step is not None:
            rows = prepared.select("order", "id", "terms", "published", "title")
            if per_article is not None:
                rows = rows.join(per_article.select("order", "duplicate_of"), "order", "left")
            else:
                rows = rows.withColumn("duplicate_of", F.lit(None).cast("array<string>"))
            rows = rows.join(stages.positions, "order").select("position", "order", "id", "terms", "published",
                                                               "title", "duplicate_of")
            checkpoint = StoryCheckpoint(spark, out, run_fingerprint, self.checkpoint_seconds)
            segmenting = self.options.typed("spark", SegmentOptions)
            if summary.articles > segmenting.story_segment_articles:
                self.progress.phase("stories", None)
                clustered = self._segmented(rows, summary, segmenting, spec, saved, clock)
            else:
                clustered = self._ordered(rows, summary, checkpoint, stories_step)
            assigned = spark.createDataFrame(list(clustered.story_of.items()), ASSIGNED)
            summary.stories = len(clustered.stories)
            errors.append(spark.createDataFrame(
                [(o, "step", None, None, s, a, None, p) for o, s, a, p in clustered.failures], ERRORS))
            clock.lap("stories")

        self.progress.phase("writing", None)
        final = self._final(prepared, per_article, exact, assigned, groups).persist(_WHOLE_ARTICLES)
        cached.append(final)
        stories = None
        if clustered is not None:
            stories = self._story_steps(final, clustered, spec).persist(StorageLevel.MEMORY_AND_DISK)
            cached.append(stories)
            errors.append(_story_failures(stories))
            clock.lap("story steps")

        failures = errors[0]
        for part in errors[1:]:
            failures = failures.unionByName(part)
        failures = failures.persist()
        cached.append(failures)
        self._collect_failures(failures, summary)
        self._write(out, final, stories, kept, groups, failures, prepared.select("order", "id"))
        clock.lap("writing")
        self._write_summary(out, summary)
        if stories_step is not None:
            checkpoint.clear()  # the output is complete: nothing to resume

    # -- the story pass ----------------------------------------------------------------------------------

    def _ordered(self, rows: DataFrame, summary: SparkSummary, checkpoint: StoryCheckpoint,
                 stories_step: Any) -> Clustered:
        """The online clustering on the driver, in publication order, resumed from a killed run's checkpoint."""
        resumed = checkpoint.load()
        if resumed is not None:
            stories_step.clusterer = type(stories_step.clusterer).from_state(
                resumed["clusterer"], stories_step.clusterer.options)
            summary.resumed_at = int(resumed["position"]) + 1
            rows = rows.where(F.col("position") > int(resumed["position"]))
        self.progress.phase("stories", summary.articles - summary.resumed_at)
        ordered = _advancing(_in_order(rows, summary.articles - summary.resumed_at), self.progress)
        return cluster_in_order(ordered, stories_step, checkpoint, resumed)

    def _segmented(self, rows: DataFrame, summary: SparkSummary, segmenting: SegmentOptions, spec: Any,
                   saved: StageCheckpoint | None, clock: "_Clock") -> Clustered:
        """The clustering of segments of the publication order at once on executors, stitched (`segments`);
        read from a killed run's checkpoint when it got that far."""
        restored = self._restored(saved, "segments", summary) if summary.stages_resumed else None
        if restored is not None:
            frame = restored["segments"]
        else:
            size, warmup = segmenting.story_segment_articles, segmenting.story_warmup_articles
            count = summary.story_segments = segment_count(summary.articles, size)
            keyed = rows.rdd.flatMap(lambda r: [((segment, r[0]), tuple(r[1:]))
                                                for segment, _ in segments_of(r[0], size, warmup, count)])
            parted = keyed.repartitionAndSortWithinPartitions(numPartitions=count, partitionFunc=lambda key: key[0])
            clustered = parted.mapPartitions(lambda part: cluster_segments(part, spec.value.stories, size))
            frame = self.spark.createDataFrame(clustered, SEGMENT_ROW).persist(StorageLevel.MEMORY_AND_DISK)
            frame.count()
            clock.lap("story segments")
            if self._keeps(saved, summary):
                saved.save("segments", {"segments": frame}, _counts(summary, "segments"))
                clock.lap("stage checkpoint")
        try:
            title_df = {r[0]: r[1] for r in frame.where("own").select(F.explode("title_terms").alias("word"))
                        .groupBy("word").count().collect()}
            segment_rows = frame.drop("title_terms").toLocalIterator()
            return stitch((tuple(r) for r in segment_rows), title_df, self.spec.stories.extractor)
        finally:
            frame.unpersist()

    # -- the stages before the story pass ---------------------------------------------------------------

    def _stages(self, listing: Listing, ingest_options: IngestOptions, summary: SparkSummary, spec: Any,
                cached: list[Any], clock: "_Clock", saved: StageCheckpoint | None) -> "_Stages":
        """Read and prepare, then exact copies, publication order, near-duplicates and their groups.

        With `saved` (a run with a story pass), each of the two levels is read from a killed run's
        checkpoint when it is there, and saved as it ends when the pass will be long enough to be
        checkpointed itself."""
        restored = self._restored(saved, "prepared", summary)
        preparing_cached = len(cached)
        if restored is not None:
            prepared, errors = restored["prepared"], restored["errors"]
        else:
            prepared, errors = self._prepared(listing, ingest_options, summary, spec, cached, clock)
        keep = self._keeps(saved, summary)
        if keep and restored is None:
            saved.save("prepared", {"prepared": prepared, "errors": errors}, _counts(summary, "prepared"))
            reread = saved.load("prepared")
            if reread is not None:  # read from the checkpoint from now on: one copy on disk, not two
                for frame in cached[preparing_cached:]:  # the records read and prepared: a run's largest caches
                    frame.unpersist()
                prepared, errors = reread[0]["prepared"], reread[0]["errors"]
            clock.lap("stage checkpoint")
        matched = self._restored(saved, "matched", summary) if restored is not None else None
        if matched is not None:
            return _Stages(prepared, errors, **matched)
        matched = self._matched(prepared, summary, cached, clock)
        if keep:
            saved.save("matched", matched, _counts(summary, "matched"))
            clock.lap("stage checkpoint")
        return _Stages(prepared, errors, **matched)

    def _prepared(self, listing: Listing, ingest_options: IngestOptions, summary: SparkSummary, spec: Any,
                  cached: list[Any], clock: "_Clock") -> tuple[DataFrame, DataFrame]:
        """(prepared articles, input errors and prepare failures)."""
        spark = self.spark
        clean = next((s for s in self.spec.steps.prepare if isinstance(s, CleanStep)), None)
        site_settings = (clean.options.site_line_min_articles, clean.options.site_line_max_chars) if clean else (3, 200)

        self.progress.phase("reading", len(listing.entries))
        records = self._read(listing, ingest_options, site_settings).persist(StorageLevel.MEMORY_AND_DISK)
        cached.append(records)
        kinds = {row["kind"]: row["count"] for row in records.groupBy("kind").count().collect()}
        errors = self._input_errors(records, listing)
        clock.lap("reading")

        self.progress.phase("preparing", None)
        fixes = ingest_fixes(spark, records, site_settings if clean else None)
        summary.renamed, summary.skipped = fixes.renamed, fixes.skipped
        todo = (records.where(F.col("kind") == ARTICLE).select("order", "id", "blob")
                .join(fixes.frame, "order", "left").where(F.col("skip").isNull())
                .select("order", "id", "blob", "new_id", "recurring"))
        # Files are read one task each; preparing is where the work is, spread evenly over many tasks.
        tasks = max(2 * spark.sparkContext.defaultParallelism, -(-kinds.get(ARTICLE, 0) // _ARTICLES_PER_TASK))
        todo = todo.repartition(tasks)
        prepared = spark.createDataFrame(todo.rdd.mapPartitions(lambda rows: _prepare(rows, spec)), PREPARED)
        prepared = prepared.persist(StorageLevel.MEMORY_AND_DISK)
        cached.append(prepared)
        summary.articles = prepared.count()
        self._size_shuffles(summary.articles)
        clock.lap("preparing")
        return prepared, errors.unionByName(_prepare_failures(prepared))

    def _matched(self, prepared: DataFrame, summary: SparkSummary, cached: list[Any],
                 clock: "_Clock") -> dict[str, DataFrame | None]:
        """exact, positions, per_article, kept, groups (the last three None without near-duplicates)."""
        spark = self.spark
        self.progress.phase("near-duplicates", None)
        exact = _exact_copies(prepared).persist()
        cached.append(exact)
        summary.duplicates = exact.count()
        ids = prepared.select("order", "id")
        per_article = kept = groups = positions = None
        neardup = self.spec.neardup
        if neardup is not None or self.spec.stories is not None:  # the online steps take articles in publication order
            positions = publication_positions(prepared, summary.articles)
            cached.append(positions)
        if neardup is not None:
            settings = neardup.index.options
            per_article, kept = near_duplicates_in_order(spark, prepared, ids, positions, settings.threshold,
                                                         settings.max_candidates)
            per_article, kept = per_article.persist(), kept.persist()
            cached += [per_article, kept]
            summary.near_duplicate_pairs = kept.count()
            clock.lap("near-duplicates")
            if summary.near_duplicate_pairs:
                self.progress.phase("groups", None)
                roots = connected_components(kept.select(F.col("later").alias("u"), F.col("earlier").alias("v")))
                groups = (roots.join(ids.withColumnRenamed("order", "root").withColumnRenamed("id", "group"), "root")
                          .select(F.col("node").alias("order"), "group").persist())
                cached.append(groups)
                summary.near_duplicate_groups = groups.select("group").distinct().count()
                clock.lap("groups")
        return {"exact": exact, "positions": positions, "per_article": per_article, "kept": kept, "groups": groups}

    def _keeps(self, saved: StageCheckpoint | None, summary: SparkSummary) -> bool:
        """Whether the stages are saved as they end: when the story pass is long enough to be checkpointed."""
        return saved is not None and summary.articles * _PASS_SECONDS_PER_ARTICLE >= self.checkpoint_seconds

    def _restored(self, saved: StageCheckpoint | None, level: str,
                  summary: SparkSummary) -> dict[str, DataFrame | None] | None:
        """One level's frames as a killed run of the same inputs and settings saved them, or None."""
        found = saved.load(level) if saved is not None else None
        if found is None:
            return None
        frames, counts = found
        for name, value in counts.items():
            setattr(summary, name, value)
        summary.stages_resumed = True
        if level == "prepared":
            self._size_shuffles(summary.articles)  # Parquet, read again by each stage for the columns it needs
        return frames

    def _size_shuffles(self, articles: int) -> None:
        """Shuffles of whole articles (joins, sorts) want partitions of a few thousand articles, not 200 in all."""
        wanted = -(-articles // _ARTICLES_PER_SHUFFLE_PARTITION)
        if wanted > int(self.spark.conf.get("spark.sql.shuffle.partitions")):
            self.spark.conf.set("spark.sql.shuffle.partitions", str(wanted))
            self._story_partitions = wanted  # the story steps' grouping too; below that, Spark's default

    # -- reading --------------------------------------------------------------------------------------

    def _read(self, listing: Listing, options: IngestOptions, site_settings: tuple[int, int]) -> DataFrame:
        sc = self.spark.sparkContext
        parts = []
        if listing.local:
            chunks = _chunks(listing.local, max(sc.defaultParallelism * 4, 1))
            parts.append(sc.parallelize(chunks, len(chunks)).flatMap(
                lambda chunk: itertools.chain.from_iterable(read_entry(e, options, site_settings) for e in chunk)))
        if listing.remote:
            by_location = sc.broadcast({e.location: e for e in listing.remote})
            frame = (self.spark.read.format("binaryFile").option("ignoreCorruptFiles", "true")
                     .option("ignoreMissingFiles", "true").load([_GLOB.sub(r"\\\1", e.location) for e in listing.remote]))
            parts.append(frame.select("path", "content").rdd.flatMap(
                lambda row: read_entry(by_location.value[row[0]], options, site_settings, content=bytes(row[1]))))
        if not parts:
            return self.spark.createDataFrame([], READ)
        rdd = parts[0] if len(parts) == 1 else parts[0].union(parts[1])
        return self.spark.createDataFrame(rdd, READ)

    def _input_errors(self, records: DataFrame, listing: Listing) -> DataFrame:
        """Errors of the readers, of the listing, and files Spark's reader had to skip."""
        rows = [(order_of(n, 0), "input", e.source, e.offset, None, None, None, e.problem) for n, e in listing.errors]
        if listing.remote:
            done = {r[0] for r in records.where(F.col("kind") == FILE_DONE).select("file").collect()}
            rows += [(order_of(e.number, 0), "input", e.name, None, None, None, None,
                      "cannot read: Spark's reader skipped it (unreadable, corrupt or gone; see the executor log)")
                     for e in listing.remote if e.number not in done]
        from_listing = self.spark.createDataFrame(rows, ERRORS)
        from_readers = records.where(F.col("kind") == ERROR).select(
            "order", F.lit("input").alias("kind"), "source", "offset", F.lit(None).cast("string").alias("step"),
            F.lit(None).cast("string").alias("article"), F.lit(None).cast("string").alias("story"), "problem")
        return from_listing.unionByName(from_readers)

    # -- the final articles and the story steps -------------------------------------------------------

    def _final(self, prepared: DataFrame, per_article: DataFrame | None, exact: DataFrame,
               assigned: DataFrame | None, groups: DataFrame | None) -> DataFrame:
        frame = prepared.join(exact, "order", "left")
        extra = (
            (per_article.select("order", "near_duplicates") if per_article is not None else None, "near_duplicates"),
            (assigned, "story"),
            (groups, "group"),
        )
        for part, column in extra:
            if part is not None:
                frame = frame.join(part, "order", "left")
            else:
                frame = frame.withColumn(column, F.lit(None).cast("string"))
        has_neardup = self.spec.neardup is not None
        return self.spark.createDataFrame(frame.rdd.map(lambda row: final_article(row, has_neardup)), FINAL)

    def _story_steps(self, final: DataFrame, clustered: Clustered, spec: Any) -> DataFrame:
        sc = self.spark.sparkContext
        infos = sc.broadcast({entry["id"]: entry for entry in clustered.stories})
        members = (final.where(F.col("story").isNotNull()).select("story", "order", "state", "analysis", "raw_sha256")
                   .rdd.map(lambda r: (r[0], (r[1], r[2], r[3], r[4])))
                   .groupByKey(self._story_partitions))
        lines = members.mapPartitions(lambda grouped: story_lines(grouped, infos.value, spec.value))
        return self.spark.createDataFrame(lines, STORY)

    # -- failures and output ----------------------------------------------------------------------------

    def _collect_failures(self, failures: DataFrame, summary: SparkSummary) -> None:
        counts = {r["kind"]: r["count"] for r in failures.groupBy("kind").count().collect()}
        summary.input_error_count = counts.get("input", 0)
        summary.step_failure_count = counts.get("step", 0)
        for row in failures.orderBy("order").limit(2 * MAX_LISTED).collect():
            if row["kind"] == "input" and len(summary.input_errors) < MAX_LISTED:
                error = InputError(row["source"], row["problem"], row["offset"])
                summary.input_errors.append(error)
                self.progress.input_error(error)
            elif row["kind"] == "step" and len(summary.step_failures) < MAX_LISTED:
                failure = StepFailure(row["step"], row["problem"], article=row["article"], story=row["story"])
                summary.step_failures.append(failure)
                self.progress.step_failure(failure)

    def _write(self, out: str, final: DataFrame, stories: DataFrame | None, kept: DataFrame | None,
               groups: DataFrame | None, failures: DataFrame, ids: DataFrame) -> None:
        def write(frame: DataFrame, table: str, order: list[str], line: Any, parquet: list[str],
                  level: StorageLevel = StorageLevel.MEMORY_AND_DISK) -> None:
            columns = order + [c for c in parquet if c not in order]
            frame = frame.select(*columns, line.alias("value")).orderBy(*order)
            frame = frame.persist(level)  # sorted once, written twice
            try:
                frame.select("value").write.mode("overwrite").text(layout.join(out, table))
                frame.select(*parquet).write.mode("overwrite").parquet(layout.join(out, layout.PARQUET, table))
            finally:
                frame.unpersist()

        write(final, layout.ARTICLES, ["order"], F.col("line"), FINAL_PARQUET, _WHOLE_ARTICLES)
        if stories is None:
            stories = self.spark.createDataFrame([], STORY)
        story_columns = F.from_json("line", "id string, title string, members array<string>, results string")
        story_frame = stories.withColumn("parsed", story_columns).select(
            "first", "line", F.col("parsed.id").alias("id"), F.col("parsed.title").alias("title"),
            F.col("parsed.members").alias("members"), F.col("parsed.results").alias("results"))
        write(story_frame, layout.STORIES, ["first"], F.col("line"), ["id", "title", "members", "results"])
        if kept is None:
            kept = self.spark.createDataFrame([], "later long, rank long, earlier long, jaccard double, exact boolean, a string, b string")
        pair_columns = ["a", "b", "jaccard", "exact"]
        write(kept, layout.NEAR_DUPLICATES, ["later", "rank"], F.to_json(F.struct(*pair_columns)), pair_columns)
        if groups is None:
            groups = self.spark.createDataFrame([], "order long, group string")
        group_frame = groups.join(ids, "order").select("order", F.col("id").alias("article"), "group")
        write(group_frame, layout.GROUPS, ["order"], F.to_json(F.struct("article", "group")), ["article", "group"])
        error_columns = ["kind", "source", "offset", "step", "article", "story", "problem"]
        write(failures, layout.ERRORS, ["order"], F.to_json(F.struct(*error_columns)), error_columns)

    def _write_summary(self, out: str, summary: SparkSummary) -> None:
        line = to_json(summary.to_dict())
        self.spark.createDataFrame([(line,)], "value string").coalesce(1).write.mode("overwrite").text(
            layout.join(out, layout.SUMMARY))


# -- helpers run on executors --------------------------------------------------------------------------


def _prepare(rows: Iterable[Any], spec: Any) -> Iterable[tuple]:
    held: PipelineSpec = spec.value
    ctx = ExecutorContext(options=held.options)
    for row in rows:
        yield prepare_row(tuple(row), held, ctx)


def _prepare_failures(prepared: DataFrame) -> DataFrame:
    def rows(row: Any) -> list[tuple]:
        return [(row["order"], "step", None, None, step, article, None, problem)
                for step, problem, article in json.loads(row["failures"])]

    found = prepared.where(F.col("failures").isNotNull()).select("order", "failures").rdd.flatMap(rows)
    return prepared.sparkSession.createDataFrame(found, ERRORS)


def _story_failures(stories: DataFrame) -> DataFrame:
    def rows(row: Any) -> list[tuple]:
        return [(row["first"], "step", None, None, step, None, row["id"], problem)
                for step, problem in json.loads(row["failures"])]

    found = stories.where(F.col("failures").isNotNull()).select("first", "id", "failures").rdd.flatMap(rows)
    return stories.sparkSession.createDataFrame(found, ERRORS)


def _exact_copies(prepared: DataFrame) -> DataFrame:
    """(order, exact_of): articles whose cleaned text an earlier article has, and that article's id."""
    window = Window.partitionBy("text_sha256").orderBy("order")
    return (prepared.where(F.col("text_sha256").isNotNull())
            .select("order", F.first("id").over(window).alias("exact_of"), F.row_number().over(window).alias("_rank"))
            .where(F.col("_rank") > 1).select("order", "exact_of"))


def _chunks(entries: list[FileEntry], at_least: int) -> list[list[FileEntry]]:
    """Consecutive runs of files of about equal size: a task each."""
    total = sum(e.size or 0 for e in entries)
    count = min(len(entries), max(at_least, total // _CHUNK_BYTES + 1))
    target = max(total / count, 1)
    chunks: list[list[FileEntry]] = [[]]
    size = 0
    for entry in entries:
        if chunks[-1] and size >= target and len(chunks) < count:
            chunks.append([])
            size = 0
        chunks[-1].append(entry)
        size += entry.size or 0
    return chunks


def _in_order(rows: DataFrame, count: int) -> Iterable[tuple]:
    """The rows sorted by their first column (publication position), streamed to the driver one
    small range of positions at a time."""
    parts = max(rows.sparkSession.sparkContext.defaultParallelism, -(-count // _ROWS_TO_DRIVER))
    ordered = rows.rdd.map(tuple).sortBy(lambda row: row[0], numPartitions=parts)
    return ordered.toLocalIterator(prefetchPartitions=True)


def _advancing(rows: Iterable[tuple], progress: Progress) -> Iterator[tuple]:
    """The rows, telling the progress of each: the pass takes hours on big inputs."""
    for row in rows:
        yield row
        progress.advance()


class _Clock:
    """Wall time and this process's CPU time per stage (the ordered story pass is all driver CPU)."""

    def __init__(self, summary: SparkSummary):
        self.summary = summary
        self.last = time.perf_counter()
        self.last_cpu = time.process_time()

    def lap(self, name: str) -> None:
        now, cpu = time.perf_counter(), time.process_time()
        self.summary.seconds[name] = self.summary.seconds.get(name, 0.0) + now - self.last
        self.summary.driver_cpu_seconds[name] = self.summary.driver_cpu_seconds.get(name, 0.0) + cpu - self.last_cpu
        self.last, self.last_cpu = now, cpu
