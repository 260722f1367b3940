"""The `recoupe` command, run in process through `main([...])`: exit status, stderr lines, files written."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from recoupe.cli import main
from recoupe.store import Store

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = sorted((SHARED / "seeds").glob("*.txt"))
CONTRACT_FIELDS = ("id", "source", "raw_sha256", "title", "text", "language", "published", "byline", "agency",
                   "dateline", "embedded_posts", "removed", "repeat_ratio", "signals")


@pytest.fixture(scope="module")
def seeds_run(tmp_path_factory):
    """`recoupe run` on the five seed files with the packaged defaults, once for the module."""
    folder = tmp_path_factory.mktemp("seeds-run")
    db, out = folder / "recoupe.db", folder / "out"
    status = main(["run", *map(str, SEEDS), "--out", str(out), "--db", str(db), "--quiet"])
    return status, db, out


@pytest.fixture
def small_config(tmp_path) -> Path:
    """The faster French pipeline: these tests are about the command, not the analysis."""
    path = tmp_path / "fast.toml"
    path.write_text('[analyse]\nspacy_model = "fr_core_news_sm"\n', encoding="utf-8")
    return path


def test_run_on_the_seeds_writes_a_report_with_the_contract_fields(seeds_run):
    status, _, out = seeds_run
    assert status == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in report["articles"]] == [p.stem for p in SEEDS]
    for article, path in zip(report["articles"], SEEDS):
        for field in CONTRACT_FIELDS:
            assert field in article, field
        assert article["raw_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert article["source"] == str(path)
        assert article["language"] == "fr"
        assert article["text"] and "\n\n" in article["text"]
    assert report["run"]["failures"] == 0 and report["run"]["articles"] == 5
    for story in report["stories"]:
        assert {"id", "title", "members"} <= set(story)
        assert all(m in {a["id"] for a in report["articles"]} for m in story["members"])
        for member in story["members"]:
            assert next(a for a in report["articles"] if a["id"] == member)["story"] == story["id"]
    assert (out / "index.html").is_file()


def test_raw_returns_the_exact_bytes_of_every_seed(seeds_run, capsysbinary):
    _, db, _ = seeds_run
    for path in SEEDS:
        assert main(["raw", path.stem, "--db", str(db)]) == 0
        captured = capsysbinary.readouterr()
        assert hashlib.sha256(captured.out).hexdigest() == hashlib.sha256(path.read_bytes()).hexdigest()
        assert captured.err == b""


def test_raw_of_an_unknown_id_is_one_error_line(seeds_run, capsys):
    _, db, _ = seeds_run
    assert main(["raw", "no-such-article", "--db", str(db)]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == f"recoupe: error: no-such-article: no such article in {db}\n"


def test_articles_lists_every_stored_article(seeds_run, capsys):
    _, db, _ = seeds_run
    assert main(["articles", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    for header in ("id", "format", "language", "title", "story", "signals"):
        assert header in out
    for path in SEEDS:
        assert path.stem[:12] in out  # the table may fold long ids over two lines


def test_report_rewrites_the_same_report_from_the_store(seeds_run, tmp_path, capsys):
    _, db, out = seeds_run
    assert main(["report", "--out", str(tmp_path / "again"), "--db", str(db), "--quiet"]) == 0
    assert (tmp_path / "again" / "report.json").read_bytes() == (out / "report.json").read_bytes()


def test_bad_inputs_each_give_one_line_and_the_others_are_stored(tmp_path, small_config, capsys):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    missing = tmp_path / "missing.txt"
    db = tmp_path / "r.db"
    status = main(["run", str(missing), str(empty), str(SEEDS[2]), str(binary), "--out", str(tmp_path / "out"),
                   "--db", str(db), "--config", str(small_config), "--quiet"])
    assert status == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 3
    for line, source in zip(lines, (missing, empty, binary)):
        assert line.startswith(f"recoupe: error: {source}: ")
        assert len(line) > len(f"recoupe: error: {source}: ")
    with Store(db) as store:
        assert store.article_ids() == [SEEDS[2].stem]
        assert store.raw(SEEDS[2].stem) == SEEDS[2].read_bytes()
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert [e["source"] for e in report["run"]["input_errors"]] == [str(missing), str(empty), str(binary)]


def test_ingest_then_rerun_reads_nothing_twice(tmp_path, small_config, capsys):
    db = tmp_path / "r.db"
    args = ["ingest", str(SEEDS[0]), str(SEEDS[1]), "--db", str(db), "--config", str(small_config)]
    assert main(args) == 0
    assert "2 new articles" in capsys.readouterr().err
    assert main(args) == 0
    assert "0 new articles, 2 already stored, 2 in store" in capsys.readouterr().err


def test_usage_errors_exit_2(tmp_path, capsys):
    assert main([]) == 2
    assert main(["run", str(SEEDS[0])]) == 2  # --out is required
    assert main(["frobnicate"]) == 2
    assert "usage:" in capsys.readouterr().err


def test_configuration_errors_exit_2_with_one_line(tmp_path, capsys):
    unknown = tmp_path / "unknown.toml"
    unknown.write_text("[clean]\nno_such_setting = 3\n", encoding="utf-8")
    broken = tmp_path / "broken.toml"
    broken.write_text("[clean\n", encoding="utf-8")
    for config, says in ((unknown, "no_such_setting"), (broken, str(broken)), (tmp_path / "absent.toml", "absent")):
        status = main(["run", str(SEEDS[0]), "--out", str(tmp_path / "out"), "--db", str(tmp_path / "r.db"),
                       "--config", str(config)])
        assert status == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and err.startswith("recoupe: error: ") and says in err


def test_commands_on_a_missing_store_say_so(tmp_path, capsys):
    db = tmp_path / "nowhere.db"
    for args in (["articles"], ["raw", "x"], ["report", "--out", str(tmp_path / "o")]):
        assert main([*args, "--db", str(db)]) == 1
        assert capsys.readouterr().err == f"recoupe: error: {db}: no such store (run `recoupe run` first, or pass --db)\n"
    assert not db.exists()


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    for command in ("run", "ingest", "raw", "articles", "report"):
        assert command in out
