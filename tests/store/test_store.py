"""The SQLite store: migrations, round trips of every record, ids, duplicates, stories and transactions."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from recoupe.article import Analysis, Article, EmbeddedPost, Entity, Removal, Sentence
from recoupe.errors import InputError, RecoupeError
from recoupe.store import EXACT_DUPLICATE, MIGRATIONS, Migration, Store, latest_version, migrate
from recoupe.store.schema import check_migrations

SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "recoupe.db") as opened:
        yield opened


def article(id: str, raw: bytes, text: str = "Un paragraphe.\n\nUn autre.", **kw) -> Article:
    return Article(id=id, source=f"/in/{id}.txt", raw=raw, input_text=text, text=text, **kw)


def tables(connection: sqlite3.Connection) -> set[str]:
    return {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


# -- migrations ------------------------------------------------------------------------------------


def test_new_store_is_at_latest_version_with_every_table(store):
    assert store.version == latest_version() == len(MIGRATIONS)
    assert {"raw_inputs", "articles", "removals", "embedded_posts", "analyses", "exact_duplicates", "stories",
            "story_members", "story_results", "runs", "input_errors"} <= tables(store.connection)
    assert store.connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_reopening_keeps_data_and_runs_no_migration_twice(tmp_path):
    path = tmp_path / "r.db"
    with Store(path) as first:
        first.put_article(article("a", b"bytes of a"))
    with Store(path) as again:
        assert again.version == latest_version()
        assert again.article_ids() == ["a"]


def test_an_appended_migration_upgrades_an_existing_database(tmp_path):
    connection = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    assert migrate(connection, MIGRATIONS) == latest_version()
    connection.execute("INSERT INTO runs (started, inputs) VALUES ('t', '[]')")
    extra = Migration(latest_version() + 1, "a table for a new stage", """
        -- a comment before the statement
        CREATE TABLE extra_stage (article_id TEXT PRIMARY KEY, value TEXT);
        INSERT INTO extra_stage VALUES ('x', 'y');
    """, run=lambda c: c.execute("INSERT INTO extra_stage VALUES ('from-run', 'z')"))
    assert migrate(connection, [*MIGRATIONS, extra]) == latest_version() + 1
    assert connection.execute("SELECT COUNT(*) FROM extra_stage").fetchone()[0] == 2
    assert connection.execute("SELECT COUNT(*) FROM runs").fetchone()[0] == 1  # earlier data kept
    assert migrate(connection, [*MIGRATIONS, extra]) == latest_version() + 1  # nothing to do twice


def test_a_failing_migration_leaves_the_previous_version(tmp_path):
    connection = sqlite3.connect(tmp_path / "f.db", isolation_level=None)
    migrate(connection, MIGRATIONS)
    broken = Migration(latest_version() + 1, "broken", "CREATE TABLE half (x);\nINSERT INTO missing VALUES (1);")
    with pytest.raises(sqlite3.OperationalError):
        migrate(connection, [*MIGRATIONS, broken])
    assert connection.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    assert "half" not in tables(connection)


def test_migration_numbers_must_follow_each_other():
    with pytest.raises(RuntimeError, match="should be number 2"):
        check_migrations([Migration(1, "a"), Migration(3, "b")])


def test_store_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "new.db"
    Store(path).close()
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {latest_version() + 5}")
    connection.close()
    with pytest.raises(RecoupeError, match="newer recoupe"):
        Store(path)


def test_a_file_that_is_not_a_database_is_an_input_error(tmp_path):
    path = tmp_path / "notes.db"
    path.write_bytes(b"this is not sqlite at all, just some text " * 40)
    with pytest.raises(InputError) as info:
        Store(path)
    assert info.value.source == str(path) and "cannot open store" in info.value.problem


def test_missing_folders_are_created(tmp_path):
    with Store(tmp_path / "deep" / "er" / "r.db") as store:
        assert store.count_articles() == 0


def test_readonly_store_reads_but_cannot_write(tmp_path):
    path = tmp_path / "r.db"
    with Store(path) as writer:
        writer.put_article(article("a", b"raw a"))
    with Store(path, readonly=True) as reader:
        assert reader.raw("a") == b"raw a"
        with pytest.raises(sqlite3.OperationalError):
            reader.put_article(article("b", b"raw b"))
    with pytest.raises(InputError, match="no such store"):
        Store(tmp_path / "absent.db", readonly=True)


# -- articles -----------------------------------------------------------------------------------


def test_article_round_trip_with_removals_posts_and_analysis(store):
    original = article(
        "003", "Titre\n\nCorps du texte.\n\n@Someone: post".encode(), text="Corps du texte.",
        title="Titre", language="fr", published="2024-11-13T21:28:00", byline="Léon Bruneau", agency="AFP",
        dateline="Bruxelles", repeat_ratio=0.25, signals=["self-repetition"], meta={"locator": 3},
        removed=[Removal("title", "Titre", 0), Removal("embed", "@Someone: post", 24)],
        embedded_posts=[EmbeddedPost("post", author="@Someone", date="2024-11-13")],
    )
    analysis = Analysis("fr", [Sentence(0, 0, 0, 15, "Corps du texte.")], [["corps", "texte"]],
                        [Entity("Corps", "MISC", 0, 5, 0)], "agnostic")
    with store.transaction():
        assert store.put_article(original) is None
        store.put_analysis("003", analysis)
    loaded = store.get_article("003")
    assert loaded.to_report() == original.to_report()
    assert loaded.input_text == original.input_text and loaded.meta == {"locator": 3}
    assert loaded.analysis == analysis
    assert store.raw("003") == original.raw
    assert store.removals("003") == [{"kind": "title", "text": "Titre", "position": 0},
                                     {"kind": "embed", "text": "@Someone: post", "position": 24}]
    posts = store.connection.execute("SELECT author, date, text FROM embedded_posts").fetchall()
    assert posts == [("@Someone", "2024-11-13", "post")]


def test_every_seed_keeps_its_exact_bytes(store):
    paths = sorted(SEEDS.glob("*.txt"))
    for path in paths:
        store.put_article(article(path.stem, path.read_bytes()))
    for path in paths:
        assert store.raw(path.stem) == path.read_bytes()
    assert store.article_ids() == [p.stem for p in paths]


def test_update_replaces_state_and_removals(store):
    a = article("a", b"raw", removed=[Removal("furniture", "Menu", 0)])
    store.put_article(a)
    a.removed = [Removal("repeat", "Un autre.", 16)]
    a.add_signal("near-duplicate")
    store.update_article(a)
    assert store.get_article("a").signals == ["near-duplicate"]
    assert [r["kind"] for r in store.removals("a")] == ["repeat"]
    with pytest.raises(RecoupeError):
        store.update_article(article("ghost", b"x"))


def test_ids_collide_first_keeps_its_id_later_get_sha_suffix(store):
    first = article("T01_C1_01", b"first bytes")
    store.put_article(first)
    second = article("T01_C1_01", b"other bytes", text="Autre texte.")
    second.id = store.unique_id(second.id, second.raw_sha256)
    assert second.id == f"T01_C1_01~{second.raw_sha256[:8]}"
    store.put_article(second)
    assert store.unique_id("T01_C1_01", second.raw_sha256) == f"T01_C1_01~{second.raw_sha256[:16]}"
    assert store.unique_id("fresh", "ab" * 32) == "fresh"
    assert store.raw("T01_C1_01") == b"first bytes" and store.raw(second.id) == b"other bytes"


def test_same_text_from_another_source_is_an_exact_duplicate(store):
    store.put_article(article("wire", b"<p>wire bytes</p>", text="Le texte de la d\u00e9p\u00eache."))
    copy = article("reprint", b"other page bytes", text="Le texte de la d\u00e9p\u00eache.")
    assert store.put_article(copy) == "wire"
    assert EXACT_DUPLICATE in copy.signals
    assert EXACT_DUPLICATE in store.get_article("reprint").signals
    assert store.exact_duplicates() == [("reprint", "wire")]
    assert store.count_articles() == 2


def test_empty_texts_are_not_duplicates_of_each_other(store):
    store.put_article(article("e1", b"one", text=""))
    store.put_article(article("e2", b"two", text=""))
    assert store.exact_duplicates() == []


def test_has_raw_and_reading_order(store):
    for name in ("c", "a", "b"):
        store.put_article(article(name, name.encode() * 3, text=f"Texte {name}."))
    assert store.has_raw(article("x", b"aaa").raw_sha256)
    assert not store.has_raw(article("x", b"zzz").raw_sha256)
    assert store.article_ids() == ["c", "a", "b"]
    assert [a.id for a in store.iter_articles(ids=["b", "c"])] == ["c", "b"]


def test_a_failed_transaction_leaves_nothing(store):
    with pytest.raises(RuntimeError):
        with store.transaction():
            store.put_article(article("a", b"raw a"))
            raise RuntimeError("killed half-way")
    assert store.count_articles() == 0
    assert not store.has_raw(article("a", b"raw a").raw_sha256)


# -- stories and steps ------------------------------------------------------------------------------


def test_story_membership_moves_merges_and_dirty_flags(store):
    for name in "abcd":
        store.put_article(article(name, name.encode(), text=f"Texte {name}."))
    assert store.set_story("a", "s1", "Premier titre")
    assert store.set_story("b", "s1")
    assert not store.set_story("b", "s1")  # no change
    store.set_story("c", "s2")
    store.set_story("d", "s3")
    assert store.story_members("s1") == ["a", "b"]
    for story in ("s1", "s2", "s3"):
        store.put_story_result(story, "reuse", {"provenance": [story]})
        store.set_story_clean(story)
    assert store.stories_to_update(["reuse"]) == []
    assert store.stories_to_update(["reuse", "facts"]) == ["s1", "s2", "s3"]

    store.set_story("c", "s1")  # s2 is left empty: removed with its result
    assert store.story("s2") is None and store.story_results("s2") == {}
    store.merge_stories("s1", "s3")
    assert store.story("s3") is None
    assert store.story_members("s1") == ["a", "b", "c", "d"]
    assert store.story("s1")["title"] == "Premier titre"
    assert store.stories_to_update(["reuse"]) == ["s1"]
    assert store.memberships() == {"a": "s1", "b": "s1", "c": "s1", "d": "s1"}


def test_story_results_replace_and_clear_by_step(store):
    store.put_article(article("a", b"a"))
    store.set_story("a", "s1")
    store.put_story_result("s1", "stories", {"topic": "t1"})
    store.put_story_result("s1", "reuse", {"provenance": [{"article": "a", "role": "original"}]})
    store.put_story_result("s1", "reuse", {"provenance": []})
    assert store.story_results("s1") == {"reuse": {"provenance": []}, "stories": {"topic": "t1"}}
    store.clear_story_results("s1", ["reuse", "facts"])
    assert store.story_results("s1") == {"stories": {"topic": "t1"}}


def test_step_marks_give_pending_and_processed_in_reading_order(store):
    for name in "abc":
        store.put_article(article(name, name.encode(), text=f"Texte {name}."))
    store.mark_step("neardup", "b")
    store.mark_step("neardup", "a", "ValueError: broken")
    assert store.pending_articles("neardup") == ["c"]
    assert store.processed_articles("neardup") == ["b"]
    assert store.pending_articles("stories") == ["a", "b", "c"]


def test_runs_and_their_failures(store):
    run = store.start_run(["in/"])
    store.add_input_error(run, "in/empty.txt", "empty file")
    store.add_step_failure(run, "facts", "KeyError: 'x'", story_id="s1")
    store.finish_run(run, 2)
    (recorded,) = store.runs()
    assert recorded["inputs"] == ["in/"] and recorded["failures"] == 2 and recorded["finished"]
    assert store.input_errors(run) == [{"run": run, "source": "in/empty.txt", "problem": "empty file"}]
    assert store.step_failures(run) == [{"run": run, "step": "facts", "problem": "KeyError: 'x'", "story": "s1"}]
