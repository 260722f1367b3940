"""Killed and rerun: `recoupe run` SIGKILLed at several moments, then rerun, reports what an uninterrupted run does.

Forty real French articles (rpm2-dev, two topics of two stories each) are
processed once without interruption, and once by a sequence of processes
each killed with SIGKILL at a later point (while reading, in the online
steps, in the story steps) and a last one left to finish. The reports must
be equal apart from the "run" block, with every article stored exactly once.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

RPM2 = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "rpm2-dev"
TOPICS = ("T01", "T02")
POLL_SECONDS = 0.02
PROCESS_LIMIT_SECONDS = 600


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for path in sorted(RPM2.glob("T0[12]_C*_*.txt")):
        shutil.copyfile(path, folder / path.name)
    assert len(list(folder.iterdir())) == 40
    return folder


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("config") / "fast.toml"
    path.write_text('[analyse]\nspacy_model = "fr_core_news_sm"\n', encoding="utf-8")
    return path


def command(corpus: Path, out: Path, db: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "recoupe", "run", str(corpus), "--out", str(out), "--db", str(db),
            "--config", str(config), "--quiet"]


def count(db: Path, sql: str) -> int:
    """A count read from the store while another process writes it (0 while it does not exist yet)."""
    if not db.exists():
        return 0
    try:
        connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return int(connection.execute(sql).fetchone()[0])
        finally:
            connection.close()
    except sqlite3.OperationalError:  # tables not created yet, or the file is being set up
        return 0


def run_and_kill(args: list[str], db: Path, sql: str, at_least: int) -> bool:
    """Start the run, SIGKILL it once `sql` counts `at_least`; True when it was still running then."""
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + PROCESS_LIMIT_SECONDS
    try:
        while process.poll() is None and time.monotonic() < deadline:
            if count(db, sql) >= at_least:
                break
            time.sleep(POLL_SECONDS)
        running = process.poll() is None
        if running:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        if not running:
            assert process.returncode == 0, process.stderr.read().decode()
        return running
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()


def without_run(report: dict) -> dict:
    return {key: value for key, value in report.items() if key != "run"}


def test_killed_then_rerun_gives_the_uninterrupted_report(corpus, config, tmp_path):
    reference_out, reference_db = tmp_path / "reference", tmp_path / "reference.db"
    done = subprocess.run(command(corpus, reference_out, reference_db, config), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=PROCESS_LIMIT_SECONDS)
    assert done.returncode == 0, done.stderr.decode()
    reference = json.loads((reference_out / "report.json").read_text(encoding="utf-8"))
    assert len(reference["articles"]) == 40

    out, db = tmp_path / "crashed", tmp_path / "crashed.db"
    args = command(corpus, out, db, config)
    kills = [
        ("SELECT COUNT(*) FROM articles", 3),  # reading
        ("SELECT COUNT(*) FROM articles", 20),  # reading, again, from where it stopped
        ("SELECT COUNT(*) FROM article_steps", 50),  # online steps
        ("SELECT COUNT(*) FROM stories WHERE dirty = 0", 2),  # story steps, two stories done
    ]
    running = [run_and_kill(args, db, sql, at_least) for sql, at_least in kills]
    assert running[0] and running[1], "the first kills must land while articles are being read"
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT COUNT(*), COUNT(DISTINCT raw_sha256) FROM articles").fetchone()
        assert stored[0] == stored[1] >= 20

    final = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, timeout=PROCESS_LIMIT_SECONDS)
    assert final.returncode == 0, final.stderr.decode()
    resumed = json.loads((out / "report.json").read_text(encoding="utf-8"))

    ids = [a["id"] for a in resumed["articles"]]
    assert sorted(ids) == sorted(p.stem for p in corpus.iterdir())  # none lost, none doubled, no renamed copy
    assert resumed["run"]["runs"] == len(kills) + 1 and resumed["run"]["failures"] == 0
    assert json.dumps(without_run(resumed), ensure_ascii=False, indent=1) == \
        json.dumps(without_run(reference), ensure_ascii=False, indent=1)
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM stories WHERE dirty = 1").fetchone()[0] == 0
        assert connection.execute("SELECT COUNT(*) FROM runs WHERE finished IS NULL").fetchone()[0] >= 2
