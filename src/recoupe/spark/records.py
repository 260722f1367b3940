"""What an executor does to each file and each article: the steps' own code, called per partition.

Nothing here imports pyspark: these functions take and give plain Python
values (tuples in the column order of the schemas in `frames.py`), so they
can be tested alone and are the same code Spark runs.

An article travels between stages as its pickle (before cleaning) and then
as the JSON the store would keep (`Article.to_state`, `Analysis.to_state`):
the in-process engine hands online and story steps articles read back from
that JSON, so the Spark engine does too, and both see the very same values.
"""

from __future__ import annotations

import json
import pickle
import zlib
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

import numpy as np

from ..article import Analysis, Article
from ..config import Options
from ..errors import ConfigError, InputError
from ..ingest import IngestOptions, read_source
from ..ingest.dates import now_utc
from ..ingest.inputs import InputSource, memory_opener, split_name
from ..pipeline import CleanStep, Pipeline, default_steps
from ..store import text_sha256, to_json
from .listing import FileEntry

ARTICLE, ERROR, FILE_DONE = "article", "error", "file"
RECORD_BITS = 32  # order = file number << 32 | record number within the file


def order_of(file_number: int, record: int) -> int:
    return (file_number << RECORD_BITS) | record


def file_of(order: int) -> int:
    return order >> RECORD_BITS


def signed64(value: int) -> int:
    """A 64-bit unsigned hash as Spark's signed long."""
    return value - (1 << 64) if value >= 1 << 63 else value


def pack(value: Any) -> bytes:
    """JSON, deflated: term counts of character n-grams are large and repetitive."""
    return zlib.compress(to_json(value).encode("utf-8"), 1)


def unpack(data: bytes) -> Any:
    return json.loads(zlib.decompress(data))


def describe(exc: BaseException) -> str:
    from ..engine import describe as engine_describe

    return engine_describe(exc)


# -- the steps, as executors hold them ----------------------------------------------------------------


class PipelineSpec:
    """The steps a run uses, shipped to executors once (as a broadcast) and built there on first use.

    Built from the options on each worker (small to ship; models load where
    they run and stay loaded for the worker's next tasks), or the caller's
    own `Pipeline`, pickled as it is.
    """

    def __init__(self, options: Options, steps: Pipeline | None = None):
        self.options = options
        self._given = steps
        self._built: Pipeline | None = steps

    def __getstate__(self) -> dict[str, Any]:
        return {"options": self.options, "given": self._given}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.options, self._given = state["options"], state["given"]
        self._built = self._given

    @property
    def steps(self) -> Pipeline:
        if self._built is None:
            self._built = default_steps(self.options)
        return self._built

    def online(self, name: str) -> Any:
        return next((s for s in self.steps.online if s.name == name), None)

    @property
    def neardup(self) -> Any:
        return self.online("neardup")

    @property
    def stories(self) -> Any:
        return self.online("stories")

    def check(self) -> None:
        """Refuse steps whose result depends on other articles in a way this engine does not reproduce."""
        for step in self.steps.prepare:
            if not isinstance(step, CleanStep) and callable(getattr(step, "replay", None)):
                raise ConfigError(f"the Spark engine cannot run the prepare step {step.name!r}: it keeps an index "
                                  "of the articles it has seen")
        for step in self.steps.online:
            if step.name == "neardup" and hasattr(step, "index"):
                continue
            if step.name == "stories" and hasattr(step, "clusterer") and hasattr(step, "extractor"):
                continue
            raise ConfigError(f"the Spark engine has no batch form of the online step {step.name!r}")


@dataclass
class ExecutorContext:
    """The context prepare and story steps get on an executor: options, no store."""

    options: Options
    store: Any = None
    shared: dict[str, Any] = field(default_factory=dict)
    replaying: bool = False
    stories: dict[str, dict[str, Any]] = field(default_factory=dict)

    def story(self, story_id: str) -> dict[str, Any]:
        return self.stories.get(story_id, {})


# -- reading ------------------------------------------------------------------------------------------


def input_source(entry: FileEntry, content: bytes | None = None) -> InputSource:
    """The InputSource the in-process engine would build for this file (bytes given or opened here)."""
    stem, extension, _ = split_name(entry.name)
    if entry.data is not None or content is not None:
        data = entry.data if entry.data is not None else content
        extra = dict(entry.source or {})
        extra.setdefault("stem", stem)
        extra.setdefault("extension", extension)
        extra.setdefault("read_at", now_utc())
        extra["size"] = len(data)
        return InputSource(name=entry.name, open_raw=memory_opener(data), **extra)
    location = entry.location
    return InputSource(name=entry.name, stem=stem, open_raw=lambda: open(location, "rb"), read_at=now_utc(),
                       size=entry.size, extension=extension)


def read_entry(entry: FileEntry, options: IngestOptions, clean_settings: tuple[int, int],
               content: bytes | None = None) -> Iterator[tuple]:
    """Rows of READ_SCHEMA for one file: its articles and errors in reading order, then a marker."""
    count = 0
    for count, item in enumerate(read_source(input_source(entry, content), options)):
        yield read_row(order_of(entry.number, count), entry.number, item, clean_settings)
    yield (order_of(entry.number, (1 << RECORD_BITS) - 1), FILE_DONE, entry.number,
           None, None, None, None, None, None, None, None, None)


def read_row(order: int, file_number: int, item: Article | InputError, clean_settings: tuple[int, int]) -> tuple:
    if isinstance(item, InputError):
        return (order, ERROR, file_number, None, None, item.source, None, None, None,
                item.offset, item.problem, None)
    locator = str(item.meta.get("locator", ""))
    return (order, ARTICLE, file_number, item.id, item.raw_sha256, item.source, locator, item.site,
            site_line_hashes(item, *clean_settings), None, None, pickle.dumps(item, protocol=5))


def site_line_hashes(article: Article, min_articles: int, max_chars: int) -> list[str] | None:
    """The keys under which the cleaning step counts this article's short lines for its site."""
    if not article.site:
        return None
    from ..clean import SiteLines

    lines = SiteLines(min_articles=min_articles, max_chars=max_chars)
    lines.add(article)
    return sorted(lines.to_state()["sites"].get(article.site, {}).get("lines", {}))


# -- preparing: the prepare steps, then what the online steps derive from one article ------------------


def prepare_row(row: tuple, spec: PipelineSpec, ctx: ExecutorContext) -> tuple:
    """READ row joined with its fixes (new id, recurring lines) -> a row of PREPARED_SCHEMA."""
    order, article_id, blob, new_id, recurring = row
    article: Article = pickle.loads(blob)
    if new_id:
        article.id = new_id
    failures: list[list[str]] = []
    for step in spec.steps.prepare:
        try:
            if isinstance(step, CleanStep):
                from ..clean import clean_article

                article = clean_article(article, step.options, site_lines_with(article, recurring, step.options))
            else:
                article = step.process(article, ctx) or article
        except Exception as exc:  # the article is kept as it is, as the in-process engine keeps it
            failures.append([step.name, describe(exc), article.id])
    state = to_json(article.to_state())
    analysis = to_json(article.analysis.to_state()) if article.analysis is not None else None
    stored = stored_article(state, analysis, article.raw_sha256)
    text_hash = text_sha256(stored.text) if stored.text.strip() else None

    digest = minhash = bands = None
    neardup = spec.neardup
    if neardup is not None:
        try:
            signature = neardup.index.sign(stored.text or "")
            if signature is not None:
                digest = signed64(int(signature.digest))
                minhash = signature.minhash.astype("<u4").tobytes()
                bands = neardup.index.band_keys(signature.minhash).view(np.int64).tolist()
        except Exception as exc:
            failures.append([neardup.name, describe(exc), stored.id])
    terms = None
    stories = spec.stories
    if stories is not None:
        try:
            terms = pack(stories.extractor.terms(stored).to_state())
        except Exception as exc:
            failures.append([stories.name, describe(exc), stored.id])
    return (order, stored.id, article.raw_sha256, text_hash, state, analysis, article.raw,
            digest, minhash, bands, terms, stored.published, stored.title, to_json(failures) if failures else None)


def site_lines_with(article: Article, recurring: Iterable[str] | None, options: Any) -> Any:
    """The site lines as the in-process cleaning step sees them when this article arrives:
    the article's lines that this and earlier articles of its site print often enough."""
    lines = options.site_lines()
    if article.site and recurring:
        state = lines.to_state()
        state["sites"] = {article.site: {"articles": [], "lines": {h: lines.min_articles for h in recurring}}}
        from ..clean import SiteLines

        lines = SiteLines.from_state(state)
    return lines


def stored_article(state: str, analysis: str | None, raw_sha256: str) -> Article:
    """The article as a step gets it back from the store: from its JSON, without raw bytes."""
    article = Article.from_state(json.loads(state))
    article.raw_sha256 = raw_sha256
    article.analysis = Analysis.from_state(json.loads(analysis)) if analysis else None
    return article


# -- near-duplicates: pairs in buckets, agreement, matches -----------------------------------------------


def bucket_pairs(members: list[int], limit: int) -> Iterator[tuple[int, int]]:
    """(later, earlier) for each member of one LSH bucket and the `limit` members just before it:
    what the online index reads of a bucket (its newest entries) when the later one arrives."""
    members = sorted(members)
    for i, later in enumerate(members):
        for earlier in members[max(0, i - limit):i]:
            yield later, earlier


def agreement(a: bytes, b: bytes) -> float:
    """Share of equal MinHash bins, computed as the online index computes it."""
    x = np.frombuffer(a, dtype="<u4")
    y = np.frombuffer(b, dtype="<u4")
    return float((x[None, :] == y).mean(axis=1)[0])


def expand_edge(a_members: list[int], b_members: list[int], jaccard: float, limit: int) -> Iterator[tuple]:
    """Article pairs (later, earlier, jaccard, exact) of two groups of exact copies whose first
    articles are near-duplicates: each article matches the copies of the other group before it."""
    b_sorted, a_sorted = sorted(b_members), sorted(a_members)
    for later_group, earlier_group in ((a_sorted, b_sorted), (b_sorted, a_sorted)):
        for later in later_group:
            before = _before(earlier_group, later)
            for earlier in before[-limit:]:
                yield later, earlier, jaccard, False


def exact_pairs(members: list[int], limit: int) -> Iterator[tuple]:
    """(later, earlier, 1.0, True) for each copy and the `limit` copies of the same text before it."""
    members = sorted(members)
    for i, later in enumerate(members):
        for earlier in members[max(0, i - limit):i]:
            yield later, earlier, 1.0, True


def _before(sorted_values: list[int], value: int) -> list[int]:
    import bisect

    return sorted_values[: bisect.bisect_left(sorted_values, value)]


def ranked_matches(pairs: Iterable[tuple[int, float, bool]], limit: int) -> list[tuple[int, float, bool]]:
    """An article's matches in the online index's order: exact copies oldest first, then by
    estimated Jaccard (best first) and age; at most `limit`."""
    pairs = list(pairs)
    exact = sorted({earlier for earlier, _, is_exact in pairs if is_exact})
    copies = set(exact)
    near: dict[int, float] = {}
    for earlier, jaccard, is_exact in pairs:
        if not is_exact and earlier not in copies:
            near[earlier] = jaccard
    scored = sorted(((j, e) for e, j in near.items()), key=lambda je: (-je[0], je[1]))
    out = [(e, 1.0, True) for e in exact] + [(e, j, False) for j, e in scored]
    return out[:limit]


# -- the final article ----------------------------------------------------------------------------------

EXACT_DUPLICATE = "exact-duplicate"


def final_article(row: Any, neardup: bool) -> tuple:
    """A row of FINAL: the article as the in-process engine leaves it in the store, and its JSON line.

    Adds what needed the whole corpus: the near-duplicates the online step
    stores in `meta`, the exact-duplicate signal the store adds, the story.
    """
    import base64

    state = json.loads(row["state"])
    failed = {f[0] for f in json.loads(row["failures"])} if row["failures"] else set()
    if neardup and "neardup" not in failed:
        state.setdefault("meta", {})["near_duplicates"] = json.loads(row["near_duplicates"]) if row["near_duplicates"] else []
    if row["exact_of"] is not None and EXACT_DUPLICATE not in state.get("signals", []):
        state.setdefault("signals", []).append(EXACT_DUPLICATE)
    if row["story"] is not None:
        state["story"] = row["story"]
    else:
        state.pop("story", None)
    signature = None
    if row["minhash"] is not None:
        signature = {"digest": row["digest"], "minhash": base64.b64encode(row["minhash"]).decode("ascii")}
    line = {
        "order": row["order"], "state": state, "analysis": json.loads(row["analysis"]) if row["analysis"] else None,
        "raw_sha256": row["raw_sha256"], "raw": base64.b64encode(row["raw"] or b"").decode("ascii"),
        "signature": signature,
        "duplicate_of": row["exact_of"], "group": row["group"],
    }
    return (
        row["order"], row["id"], row["story"], row["group"], row["exact_of"], state.get("source"), state.get("format"),
        state.get("url"), state.get("site"), state.get("title"), state.get("published"), state.get("language"),
        state.get("byline"), state.get("agency"), state.get("dateline"), state.get("text"),
        list(state.get("signals", [])), float(state.get("repeat_ratio") or 0.0), row["raw_sha256"],
        to_json(state), row["analysis"], to_json(line),
    )
