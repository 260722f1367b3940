"""The SQLite store: every byte read and everything derived from it, with small verbs.

One `Store` holds one connection. Writes made inside `with store.transaction():`
are committed together or not at all; a write made outside one is its own
transaction. The engine commits once per article, so a process killed at any
moment leaves a store that a rerun simply continues.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from contextlib import contextmanager
from dataclasses import asdict
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Iterator

from ..article import Analysis, Article, sha256_hex
from ..errors import InputError, RecoupeError
from ..order import NO_DATE, publication_keys, timestamp
from .schema import current_version, latest_version, migrate

BUSY_TIMEOUT_MS = 30_000
EXACT_DUPLICATE = "exact-duplicate"


def to_json(value: Any) -> str:
    """Compact JSON that keeps non-ASCII text readable; numpy scalars and sets are accepted."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=_plain)


def _plain(value: Any) -> Any:
    if hasattr(value, "item") and callable(value.item):  # numpy scalar
        return value.item()
    if hasattr(value, "tolist") and callable(value.tolist):  # numpy array
        return value.tolist()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if hasattr(value, "__dataclass_fields__"):
        return asdict(value)
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def now_utc() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """The SQLite database at `path` (created, with its folder, when missing; migrated on open).

    `readonly` opens an existing store without writing to it (no migration):
    for readers such as the web app while a run writes.
    """

    def __init__(self, path: str | Path, readonly: bool = False):
        self.path = Path(path)
        self.readonly = readonly
        self._depth = 0
        try:
            if readonly:
                if not self.path.is_file():
                    raise InputError(str(path), "no such store")
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self.db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
            else:
                if self.path.parent and not self.path.parent.exists():
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(str(self.path), isolation_level=None, check_same_thread=False)
            self.db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            self.db.execute("PRAGMA foreign_keys = ON")
            if readonly:
                version = current_version(self.db)
                if version != latest_version():
                    raise InputError(str(path), f"store schema is version {version}, expected {latest_version()}: "
                                                "open it once with `recoupe ingest` to upgrade it")
            else:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")  # in WAL: a killed process loses no commit
                migrate(self.db, where=str(path))
        except sqlite3.DatabaseError as exc:
            raise InputError(str(path), f"cannot open store: {exc}") from exc
        except OSError as exc:
            raise InputError(str(path), f"cannot open store: {exc.strerror or exc}") from exc

    # -- lifetime and transactions ------------------------------------------------------------

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """All writes inside are committed together; nested uses join the outer transaction."""
        if self._depth:
            self._depth += 1
            try:
                yield self
            finally:
                self._depth -= 1
            return
        self.db.execute("BEGIN IMMEDIATE")
        self._depth = 1
        try:
            yield self
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        self.db.execute("COMMIT")

    @contextmanager
    def snapshot(self) -> Iterator["Store"]:
        """Reads inside see the store as one commit left it, whatever commits other processes make
        meanwhile (a WAL read transaction): a report built inside never mixes two moments of a run.

        Inside a transaction of this store it simply joins it; a transaction opened inside joins the snapshot.
        """
        if self._depth or self.db.in_transaction:  # already inside one (ours, or one a step opened)
            yield self
            return
        self.db.execute("BEGIN DEFERRED")
        self._depth = 1
        try:
            self.db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()  # the snapshot starts at the first read
            yield self
        except BaseException:
            self._depth = 0
            self.db.execute("ROLLBACK")
            raise
        self._depth = 0
        self.db.execute("COMMIT")

    @property
    def connection(self) -> sqlite3.Connection:
        """The SQLite connection, for steps that keep tables of their own (see schema.py)."""
        return self.db

    @property
    def version(self) -> int:
        return current_version(self.db)

    def _one(self, sql: str, *args: Any) -> Any:
        row = self.db.execute(sql, args).fetchone()
        return None if row is None else row[0]

    # -- raw inputs and articles --------------------------------------------------------------

    def has_raw(self, sha256: str) -> bool:
        return self._one("SELECT 1 FROM raw_inputs WHERE sha256 = ?", sha256) is not None

    def has_article(self, article_id: str) -> bool:
        return self._one("SELECT 1 FROM articles WHERE id = ?", article_id) is not None

    def unique_id(self, wanted: str, raw_sha256: str) -> str:
        """`wanted` when free; else `wanted~<first 8 hex of the raw sha256>` (longer if that is taken too)."""
        if not self.has_article(wanted):
            return wanted
        for length in (8, 16, 64):
            candidate = f"{wanted}~{raw_sha256[:length]}"
            if not self.has_article(candidate):
                return candidate
        number = 2
        while self.has_article(f"{wanted}~{raw_sha256}-{number}"):
            number += 1
        return f"{wanted}~{raw_sha256}-{number}"

    def put_article(self, article: Article) -> str | None:
        """Store a newly read article: raw bytes, article, removals and embedded posts, in one transaction.

        The article id must be free (see `unique_id`). When another article
        already has the same cleaned text, this one is recorded as its exact
        duplicate and gets the "exact-duplicate" signal; returns the id it
        duplicates, or None.
        """
        if not article.raw_sha256:
            article.raw_sha256 = sha256_hex(article.raw)
        text_hash = text_sha256(article.text)
        with self.transaction():
            duplicate_of = None
            if article.text.strip():
                duplicate_of = self._one(
                    "SELECT id FROM articles WHERE text_sha256 = ? ORDER BY seq LIMIT 1", text_hash
                )
            if duplicate_of is not None:
                article.add_signal(EXACT_DUPLICATE)
            self.db.execute(
                "INSERT OR IGNORE INTO raw_inputs (sha256, bytes, source, read_at) VALUES (?, ?, ?, ?)",
                (article.raw_sha256, sqlite3.Binary(article.raw), article.source, article.read_at),
            )
            seq = (self._one("SELECT MAX(seq) FROM articles") or 0) + 1
            try:
                self.db.execute(
                    "INSERT INTO articles (id, seq, raw_sha256, text_sha256, published, state) VALUES (?, ?, ?, ?, ?, ?)",
                    (article.id, seq, article.raw_sha256, text_hash, article.published, to_json(article.to_state())),
                )
            except sqlite3.IntegrityError as exc:
                raise RecoupeError(f"{article.id}: cannot store article: {exc}") from exc
            self._put_parts(article)
            if duplicate_of is not None:
                self.db.execute(
                    "INSERT INTO exact_duplicates (article_id, duplicate_of) VALUES (?, ?)", (article.id, duplicate_of)
                )
        return duplicate_of

    def update_article(self, article: Article) -> None:
        """Store what a step changed in an article already stored (its raw bytes never change)."""
        with self.transaction():
            changed = self.db.execute(
                "UPDATE articles SET state = ?, text_sha256 = ?, published = ? WHERE id = ?",
                (to_json(article.to_state()), text_sha256(article.text), article.published, article.id),
            ).rowcount
            if not changed:
                raise RecoupeError(f"{article.id}: no such article to update")
            self.db.execute("DELETE FROM removals WHERE article_id = ?", (article.id,))
            self.db.execute("DELETE FROM embedded_posts WHERE article_id = ?", (article.id,))
            self._put_parts(article)

    def _put_parts(self, article: Article) -> None:
        self.db.executemany(
            "INSERT INTO removals (article_id, kind, text, position) VALUES (?, ?, ?, ?)",
            [(article.id, r.kind, r.text, r.position) for r in article.removed],
        )
        self.db.executemany(
            "INSERT INTO embedded_posts (article_id, position, author, date, text, state) VALUES (?, ?, ?, ?, ?, ?)",
            [(article.id, i, p.author, p.date, p.text, to_json(asdict(p))) for i, p in enumerate(article.embedded_posts)],
        )

    def _article(self, row: tuple, with_raw: bool, with_analysis: bool) -> Article:
        article_id, state, raw_sha = row[0], row[1], row[2]
        raw = self.raw_by_sha(raw_sha) if with_raw else b""
        article = Article.from_state(json.loads(state), raw=raw)
        article.raw_sha256 = raw_sha
        if with_analysis:
            article.analysis = self.get_analysis(article_id)
        return article

    def get_article(self, article_id: str, with_raw: bool = False, with_analysis: bool = True) -> Article:
        row = self.db.execute("SELECT id, state, raw_sha256 FROM articles WHERE id = ?", (article_id,)).fetchone()
        if row is None:
            raise KeyError(article_id)
        return self._article(row, with_raw, with_analysis)

    def iter_articles(self, with_raw: bool = False, with_analysis: bool = False,
                      ids: Iterable[str] | None = None, as_listed: bool = False) -> Iterator[Article]:
        """Articles in reading order (all, or those of `ids`; in the order of `ids` when `as_listed`)."""
        if ids is None:  # streamed: a large store is not read into memory at once
            rows = self.db.cursor().execute("SELECT id, state, raw_sha256 FROM articles ORDER BY seq")
        else:
            wanted = list(ids)
            rows = []
            for start in range(0, len(wanted), 500):
                chunk = wanted[start:start + 500]
                rows += self.db.execute(
                    f"SELECT id, state, raw_sha256, seq FROM articles WHERE id IN ({','.join('?' * len(chunk))})", chunk
                ).fetchall()
            if as_listed:
                position = {article_id: k for k, article_id in enumerate(wanted)}
                rows.sort(key=lambda r: position[r[0]])
            else:
                rows.sort(key=lambda r: r[3])
        for row in rows:
            yield self._article(row, with_raw, with_analysis)

    def article_ids(self) -> list[str]:
        return [r[0] for r in self.db.execute("SELECT id FROM articles ORDER BY seq")]

    def seq_of(self, article_id: str) -> int | None:
        return self._one("SELECT seq FROM articles WHERE id = ?", article_id)

    def count_articles(self) -> int:
        return self._one("SELECT COUNT(*) FROM articles")

    def raw_by_sha(self, sha256: str) -> bytes:
        data = self._one("SELECT bytes FROM raw_inputs WHERE sha256 = ?", sha256)
        if data is None:
            raise KeyError(sha256)
        return bytes(data)

    def raw(self, article_id: str) -> bytes:
        """The exact bytes the article was read from."""
        sha = self._one("SELECT raw_sha256 FROM articles WHERE id = ?", article_id)
        if sha is None:
            raise KeyError(article_id)
        return self.raw_by_sha(sha)

    def removals(self, article_id: str) -> list[dict[str, Any]]:
        rows = self.db.execute(
            "SELECT kind, text, position FROM removals WHERE article_id = ? ORDER BY position, rowid", (article_id,)
        )
        return [{"kind": k, "text": t, "position": p} for k, t, p in rows]

    def exact_duplicates(self) -> list[tuple[str, str]]:
        """(article, the earlier article with the same cleaned text), in reading order."""
        rows = self.db.execute(
            "SELECT d.article_id, d.duplicate_of FROM exact_duplicates d JOIN articles a ON a.id = d.article_id"
            " ORDER BY a.seq"
        )
        return [(a, b) for a, b in rows]

    # -- analyses ---------------------------------------------------------------------------------

    def put_analysis(self, article_id: str, analysis: Analysis) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO analyses (article_id, state) VALUES (?, ?)",
            (article_id, to_json(analysis.to_state())),
        )

    def get_analysis(self, article_id: str) -> Analysis | None:
        state = self._one("SELECT state FROM analyses WHERE article_id = ?", article_id)
        return None if state is None else Analysis.from_state(json.loads(state))

    # -- online article steps ---------------------------------------------------------------------

    def mark_step(self, step: str, article_id: str, error: str | None = None) -> None:
        """Record that the step processed the article (error: why it failed), next in the step's order."""
        self.db.execute(
            "INSERT OR REPLACE INTO article_steps (step, article_id, error, processed_seq) VALUES (?, ?, ?,"
            " (SELECT COALESCE(MAX(processed_seq), 0) + 1 FROM article_steps WHERE step = ?))",
            (step, article_id, error, step),
        )

    def pending_articles(self, step: str) -> list[str]:
        """Articles the step has not processed yet, in publication order (`recoupe.order`).

        Undated articles look back at the dates of every article read before
        them, processed or not; only the pending ones are returned.
        """
        first = self._one(
            "SELECT MIN(a.seq) FROM articles a WHERE NOT EXISTS"
            " (SELECT 1 FROM article_steps s WHERE s.step = ? AND s.article_id = a.id)",
            step,
        )
        if first is None:
            return []
        carried = self._last_dated_before(first)
        rows = self.db.execute(
            "SELECT a.seq, a.published, a.id, EXISTS (SELECT 1 FROM article_steps s WHERE s.step = ? AND s.article_id = a.id)"
            " FROM articles a WHERE a.seq >= ? ORDER BY a.seq",
            (step, first),
        ).fetchall()
        ids = {seq: article_id for seq, _, article_id, done in rows if not done}
        keys = publication_keys(((seq, published) for seq, published, _, _ in rows), carried)
        return [ids[seq] for _, seq in sorted(key for key in keys if key[1] in ids)]

    def publication_order(self) -> list[str]:
        """Every article in publication order (`recoupe.order`), as one run taking them all would."""
        rows = self.db.execute("SELECT seq, published, id FROM articles ORDER BY seq").fetchall()
        ids = {seq: article_id for seq, _, article_id in rows}
        return [ids[seq] for _, seq in sorted(publication_keys((seq, published) for seq, published, _ in rows))]

    def _last_dated_before(self, seq: int) -> float:
        """The timestamp of the last dated article read before `seq` (NO_DATE when none)."""
        rows = self.db.execute(
            "SELECT published FROM articles WHERE seq < ? AND published IS NOT NULL ORDER BY seq DESC", (seq,))
        for (published,) in rows:
            when = timestamp(published)
            if when is not None:
                return when
        return NO_DATE

    def processed_articles(self, step: str) -> list[str]:
        """Articles the step processed without error, in the order it processed them."""
        rows = self.db.execute(
            "SELECT article_id FROM article_steps WHERE step = ? AND error IS NULL ORDER BY processed_seq",
            (step,),
        )
        return [r[0] for r in rows]

    # -- stories ------------------------------------------------------------------------------------

    def set_story(self, article_id: str, story_id: str, title: str | None = None) -> bool:
        """Put the article in the story (moving it out of any other); True when membership changed.

        Both the story it joins and the one it leaves become dirty; a story left
        empty is removed with its results.
        """
        with self.transaction():
            before = self.story_of(article_id)
            if before == story_id:
                if title and not self._one("SELECT title FROM stories WHERE id = ?", story_id):
                    self.set_story_title(story_id, title)
                return False
            seq = self.seq_of(article_id) or 0
            self.db.execute(
                "INSERT INTO stories (id, title, updated_seq, dirty) VALUES (?, ?, ?, 1)"
                " ON CONFLICT(id) DO UPDATE SET dirty = 1, updated_seq = MAX(updated_seq, excluded.updated_seq),"
                " title = COALESCE(stories.title, excluded.title)",
                (story_id, title, seq),
            )
            if before is not None:
                self.db.execute("DELETE FROM story_members WHERE article_id = ?", (article_id,))
                self._touch_or_drop(before)
            self.db.execute("INSERT INTO story_members (story_id, article_id) VALUES (?, ?)", (story_id, article_id))
        return True

    def merge_stories(self, into: str, other: str) -> None:
        """Move every member of `other` into `into`; `other` and its results are removed."""
        if into == other:
            return
        with self.transaction():
            self.db.execute(
                "INSERT INTO stories (id, updated_seq, dirty) VALUES (?, 0, 1) ON CONFLICT(id) DO UPDATE SET dirty = 1",
                (into,),
            )
            self.db.execute("UPDATE story_members SET story_id = ? WHERE story_id = ?", (into, other))
            other_seq = self._one("SELECT updated_seq FROM stories WHERE id = ?", other) or 0
            self.db.execute("UPDATE stories SET updated_seq = MAX(updated_seq, ?) WHERE id = ?", (other_seq, into))
            self.db.execute("DELETE FROM stories WHERE id = ?", (other,))

    def _touch_or_drop(self, story_id: str) -> None:
        if self._one("SELECT 1 FROM story_members WHERE story_id = ?", story_id) is None:
            self.db.execute("DELETE FROM stories WHERE id = ?", (story_id,))
        else:
            self.db.execute("UPDATE stories SET dirty = 1 WHERE id = ?", (story_id,))

    def set_story_title(self, story_id: str, title: str | None) -> None:
        self.db.execute("UPDATE stories SET title = ? WHERE id = ?", (title, story_id))

    def story_of(self, article_id: str) -> str | None:
        return self._one("SELECT story_id FROM story_members WHERE article_id = ?", article_id)

    def story_members(self, story_id: str) -> list[str]:
        rows = self.db.execute(
            "SELECT m.article_id FROM story_members m JOIN articles a ON a.id = m.article_id"
            " WHERE m.story_id = ? ORDER BY a.seq",
            (story_id,),
        )
        return [r[0] for r in rows]

    def memberships(self) -> dict[str, str]:
        """Article id -> story id, for every article in a story."""
        return dict(self.db.execute("SELECT article_id, story_id FROM story_members"))

    def stories(self) -> list[dict[str, Any]]:
        """Every story with members, ordered by its first member's reading order."""
        rows = self.db.execute(
            "SELECT s.id, s.title, s.updated_seq, s.dirty, MIN(a.seq) AS first FROM stories s"
            " JOIN story_members m ON m.story_id = s.id JOIN articles a ON a.id = m.article_id"
            " GROUP BY s.id ORDER BY first, s.id"
        ).fetchall()
        return [self._story_row(row) for row in rows]

    def story(self, story_id: str) -> dict[str, Any] | None:
        row = self.db.execute(
            "SELECT id, title, updated_seq, dirty FROM stories WHERE id = ?", (story_id,)
        ).fetchone()
        return None if row is None else self._story_row(row)

    def _story_row(self, row: tuple) -> dict[str, Any]:
        return {"id": row[0], "title": row[1], "updated_seq": row[2], "dirty": bool(row[3]),
                "members": self.story_members(row[0])}

    def stories_to_update(self, steps: Iterable[str]) -> list[str]:
        """Stories that are dirty or lack a result of one of `steps`, in first-member order."""
        steps = list(steps)
        out = []
        for story in self.stories():
            if story["dirty"]:
                out.append(story["id"])
                continue
            have = set(self.story_results(story["id"]))
            if any(step not in have for step in steps):
                out.append(story["id"])
        return out

    def set_story_clean(self, story_id: str) -> None:
        self.db.execute("UPDATE stories SET dirty = 0 WHERE id = ?", (story_id,))

    def put_story_result(self, story_id: str, step: str, result: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO story_results (story_id, step, result) VALUES (?, ?, ?)",
            (story_id, step, to_json(result)),
        )

    def clear_story_results(self, story_id: str, steps: Iterable[str] | None = None) -> None:
        """Forget the story's results (only those of `steps` when given)."""
        if steps is None:
            self.db.execute("DELETE FROM story_results WHERE story_id = ?", (story_id,))
            return
        self.db.executemany(
            "DELETE FROM story_results WHERE story_id = ? AND step = ?", [(story_id, step) for step in steps]
        )

    def story_results(self, story_id: str) -> dict[str, dict[str, Any]]:
        """Step name -> its result for the story, by step name (an order that does not depend on history)."""
        rows = self.db.execute(
            "SELECT step, result FROM story_results WHERE story_id = ? ORDER BY step", (story_id,)
        )
        return {step: json.loads(result) for step, result in rows}

    # -- runs -----------------------------------------------------------------------------------------

    def start_run(self, inputs: list[str]) -> int:
        cursor = self.db.execute("INSERT INTO runs (started, inputs) VALUES (?, ?)", (now_utc(), to_json(inputs)))
        return int(cursor.lastrowid)

    def finish_run(self, run_id: int, failures: int) -> None:
        self.db.execute("UPDATE runs SET finished = ?, failures = ? WHERE id = ?", (now_utc(), failures, run_id))

    def add_input_error(self, run_id: int, source: str, problem: str) -> None:
        self.db.execute("INSERT INTO input_errors (run_id, source, problem) VALUES (?, ?, ?)", (run_id, source, problem))

    def add_step_failure(self, run_id: int | None, step: str, problem: str,
                         article_id: str | None = None, story_id: str | None = None) -> None:
        self.db.execute(
            "INSERT INTO step_failures (run_id, step, article_id, story_id, problem) VALUES (?, ?, ?, ?, ?)",
            (run_id, step, article_id, story_id, problem),
        )

    def runs(self) -> list[dict[str, Any]]:
        rows = self.db.execute("SELECT id, started, finished, inputs, failures FROM runs ORDER BY id")
        return [{"id": i, "started": s, "finished": f, "inputs": json.loads(inp), "failures": n}
                for i, s, f, inp, n in rows]

    def input_errors(self, run_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT run_id, source, problem FROM input_errors"
        rows = self.db.execute(sql + " WHERE run_id = ? ORDER BY rowid", (run_id,)) if run_id is not None \
            else self.db.execute(sql + " ORDER BY rowid")
        return [{"run": r, "source": s, "problem": p} for r, s, p in rows]

    def step_failures(self, run_id: int | None = None) -> list[dict[str, Any]]:
        sql = "SELECT run_id, step, article_id, story_id, problem FROM step_failures"
        rows = self.db.execute(sql + " WHERE run_id = ? ORDER BY rowid", (run_id,)) if run_id is not None \
            else self.db.execute(sql + " ORDER BY rowid")
        out = []
        for run, step, article, story, problem in rows:
            entry = {"run": run, "step": step, "problem": problem}
            if article is not None:
                entry["article"] = article
            if story is not None:
                entry["story"] = story
            out.append(entry)
        return out
