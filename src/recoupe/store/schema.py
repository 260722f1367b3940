"""The store's tables, as a list of numbered migrations.

A database records the number of the last migration applied in
`PRAGMA user_version`; opening it applies the later ones, each in its own
transaction, so an old store is brought up to date and a new one is built
by the same path.

To add tables or columns, append a `Migration` with the next number to
`MIGRATIONS` (never edit one that has shipped: stores in use already ran
it). Its `sql` is a script of statements; a migration that must move data
can give a `run(connection)` function instead of, or after, the script:

    MIGRATIONS.append(Migration(3, "what the quote index keeps of each article", '''
        CREATE TABLE quote_index (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            quotes     TEXT NOT NULL
        );
    '''))

Steps reach the tables through `store.connection`; what they write while
processing an article is committed with that article.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Callable

from ..errors import RecoupeError


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    sql: str = ""
    run: Callable[[sqlite3.Connection], None] | None = None


MIGRATIONS: list[Migration] = [
    Migration(1, "raw inputs, articles and what cleaning took out, analyses, stories and their results, runs", """
        -- The exact bytes of every input record read, by content: reading them again adds nothing.
        CREATE TABLE raw_inputs (
            sha256  TEXT PRIMARY KEY,
            bytes   BLOB NOT NULL,
            source  TEXT NOT NULL,
            read_at TEXT
        );

        -- One row per article; `state` is Article.to_state() as JSON, `seq` the order of reading.
        CREATE TABLE articles (
            id          TEXT PRIMARY KEY,
            seq         INTEGER NOT NULL UNIQUE,
            raw_sha256  TEXT NOT NULL UNIQUE REFERENCES raw_inputs(sha256),
            text_sha256 TEXT NOT NULL,
            published   TEXT,
            state       TEXT NOT NULL
        );
        CREATE INDEX articles_text_sha256 ON articles(text_sha256);

        -- What cleaning took out, one row per span (also inside `state`, here for queries).
        CREATE TABLE removals (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            kind       TEXT NOT NULL,
            text       TEXT NOT NULL,
            position   INTEGER NOT NULL
        );
        CREATE INDEX removals_article ON removals(article_id);

        CREATE TABLE embedded_posts (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            position   INTEGER NOT NULL,
            author     TEXT,
            date       TEXT,
            text       TEXT NOT NULL,
            state      TEXT NOT NULL
        );
        CREATE INDEX embedded_posts_article ON embedded_posts(article_id);

        CREATE TABLE analyses (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            state      TEXT NOT NULL
        );

        -- An article whose cleaned text is the same as that of an earlier article.
        CREATE TABLE exact_duplicates (
            article_id   TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
            duplicate_of TEXT NOT NULL REFERENCES articles(id)
        );

        -- Which online article step has processed which article (error: why it failed, or NULL).
        CREATE TABLE article_steps (
            step       TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            error      TEXT,
            PRIMARY KEY (step, article_id)
        );

        -- Stories: `dirty` is set when membership changes and cleared once the story steps ran.
        CREATE TABLE stories (
            id          TEXT PRIMARY KEY,
            title       TEXT,
            updated_seq INTEGER NOT NULL DEFAULT 0,
            dirty       INTEGER NOT NULL DEFAULT 1
        );
        CREATE TABLE story_members (
            story_id   TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL UNIQUE REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (story_id, article_id)
        );
        CREATE TABLE story_results (
            story_id TEXT NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            step     TEXT NOT NULL,
            result   TEXT NOT NULL,
            PRIMARY KEY (story_id, step)
        );

        CREATE TABLE runs (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            started  TEXT NOT NULL,
            finished TEXT,
            inputs   TEXT NOT NULL,
            failures INTEGER NOT NULL DEFAULT 0
        );
        CREATE TABLE input_errors (
            run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
            source  TEXT NOT NULL,
            problem TEXT NOT NULL
        );
        -- A step that raised on one article or story; the run went on.
        CREATE TABLE step_failures (
            run_id     INTEGER REFERENCES runs(id) ON DELETE CASCADE,
            step       TEXT NOT NULL,
            article_id TEXT,
            story_id   TEXT,
            problem    TEXT NOT NULL
        );
    """),
]


def latest_version() -> int:
    return MIGRATIONS[-1].version if MIGRATIONS else 0


def check_migrations(migrations: list[Migration] = MIGRATIONS) -> None:
    """Numbers must run 1, 2, 3...: a gap or a repeat would skip or re-run a migration."""
    for expected, migration in enumerate(migrations, start=1):
        if migration.version != expected:
            raise RuntimeError(f"migration {migration.version} ({migration.description}) should be number {expected}")


def current_version(connection: sqlite3.Connection) -> int:
    return int(connection.execute("PRAGMA user_version").fetchone()[0])


def migrate(connection: sqlite3.Connection, migrations: list[Migration] = MIGRATIONS, where: str = "store") -> int:
    """Apply the migrations the database has not seen; returns the version it is at.

    The connection must be in autocommit mode (isolation_level=None): each
    migration runs in its own explicit transaction with its version bump, so
    a crash leaves the store at the last complete version.
    """
    check_migrations(migrations)
    version = current_version(connection)
    newest = migrations[-1].version if migrations else 0
    if version > newest:
        raise RecoupeError(
            f"{where}: written by a newer recoupe (schema version {version}, this one knows up to {newest})"
        )
    for migration in migrations[version:]:
        connection.execute("BEGIN IMMEDIATE")
        try:
            if current_version(connection) >= migration.version:  # another process got there first
                connection.execute("ROLLBACK")
                continue
            for statement in _statements(migration.sql):
                connection.execute(statement)
            if migration.run is not None:
                migration.run(connection)
            connection.execute(f"PRAGMA user_version = {int(migration.version)}")
            connection.execute("COMMIT")
        except BaseException:
            connection.execute("ROLLBACK")
            raise
    return current_version(connection)


def _statements(script: str) -> list[str]:
    """Split a script into complete statements (executescript would commit the open transaction)."""
    statements, pending = [], ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if pending.strip():
                statements.append(pending.strip())
            pending = ""
    if pending.strip() and not pending.strip().startswith("--"):
        statements.append(pending.strip())
    return statements


MIGRATIONS.append(Migration(2, "near-duplicate signatures and pairs; the story index's articles", """
    -- Each article in the near-duplicate index, in the order it was indexed: a new run reloads
    -- the index from here instead of signing every text again.
    CREATE TABLE neardup_signatures (
        seq        INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL UNIQUE,
        digest     INTEGER NOT NULL,          -- 64-bit digest of the normalised text, as signed
        minhash    BLOB NOT NULL,             -- uint32 little-endian, num_perm values
        removed    INTEGER NOT NULL DEFAULT 0
    );
    -- Near-duplicate pairs: `a` arrived after `b`.
    CREATE TABLE neardup_pairs (
        a       TEXT NOT NULL,
        b       TEXT NOT NULL,
        jaccard REAL NOT NULL,
        exact   INTEGER NOT NULL,
        PRIMARY KEY (a, b)
    );
    -- What story clustering kept of each article, in the order it was clustered: replaying these
    -- rows rebuilds the story index exactly, without analysing the texts again.
    CREATE TABLE story_index_articles (
        seq          INTEGER PRIMARY KEY,
        article_id   TEXT NOT NULL UNIQUE,
        published    TEXT,
        title        TEXT,
        terms        TEXT NOT NULL,           -- features.TermCounts as JSON
        duplicate_of TEXT                     -- JSON list of earlier near-copies, or NULL
    );
    -- Settings the stored rows depend on (signature parameters, feature settings), as JSON.
    CREATE TABLE index_settings (
        name  TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
"""))


MIGRATIONS.append(Migration(3, "the order in which each online step processed the articles", """
    -- Online steps take articles in publication order, not reading order: a rerun replays them in
    -- the order they were processed. Stores written before processed in reading order: `seq` it is.
    ALTER TABLE article_steps ADD COLUMN processed_seq INTEGER;
    UPDATE article_steps SET processed_seq = (SELECT seq FROM articles WHERE articles.id = article_steps.article_id);
    CREATE INDEX article_steps_processed ON article_steps(step, processed_seq);
"""))


MIGRATIONS.append(Migration(4, "a snapshot of the story index", """
    -- The story clusterer's whole state after the rows it covers (`covered`: the last seq of
    -- story_index_articles it includes), written at the end of each run's story step: a new run
    -- restores it and replays only the rows after it, instead of every row ever clustered.
    CREATE TABLE story_index_snapshot (
        id       INTEGER PRIMARY KEY CHECK (id = 1),
        covered  INTEGER NOT NULL,
        settings TEXT NOT NULL,               -- the [stories] settings it was built with, as JSON
        state    BLOB NOT NULL                -- StoryClusterer.to_state() as deflated JSON
    );
"""))
