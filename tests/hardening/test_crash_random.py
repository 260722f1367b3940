"""SIGKILL at twenty random moments of `recoupe run`, each followed by a rerun: the final report is the uninterrupted one.

Twelve real French articles (rpm2-dev: two topics, two stories each) are
processed once without interruption; that run's store says how many units
of work a run does (articles stored, online steps done per article, stories
whose steps are done). Twenty distinct moments are drawn at random among
them, so they fall in reading and analysis, in the online steps (near
duplicates, stories) and in the story steps. A process is started for each
moment and killed with SIGKILL as soon as the store shows that much work
done, that is while it does the next unit; a last run finishes. The report
must equal the uninterrupted one (bar the "run" block), with every article
stored exactly once.

RECOUPE_CRASH_SEED chooses other moments (the seed is in the failure message).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hardening_data import RPM2

KILLS = 20
SEED = int(os.environ.get("RECOUPE_CRASH_SEED", "20241113"))
POLL_SECONDS = 0.01
PROCESS_LIMIT_SECONDS = 300
PROGRESS = ("SELECT (SELECT COUNT(*) FROM articles) + (SELECT COUNT(*) FROM article_steps)"
            " + (SELECT COUNT(*) FROM stories WHERE dirty = 0)")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    for pattern in ("T01_C1_0[1-3]", "T01_C2_0[1-3]", "T02_C1_0[1-3]", "T02_C2_0[1-3]"):
        for path in sorted(RPM2.glob(f"{pattern}.txt")):
            shutil.copyfile(path, folder / path.name)
    assert len(list(folder.iterdir())) == 12
    return folder


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("config") / "fast.toml"
    path.write_text('[analyse]\nspacy_model = "fr_core_news_sm"\n', encoding="utf-8")
    return path


def command(corpus: Path, out: Path, db: Path, config: Path) -> list[str]:
    return [sys.executable, "-m", "recoupe", "run", str(corpus), "--out", str(out), "--db", str(db),
            "--config", str(config), "--quiet"]


def progress(db: Path) -> int:
    """Units of work the store shows done, read while another process writes it (0 before it exists)."""
    if not db.exists():
        return 0
    try:
        connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=5)
        try:
            return int(connection.execute(PROGRESS).fetchone()[0])
        finally:
            connection.close()
    except sqlite3.OperationalError:  # tables not created yet
        return 0


def run_until(args: list[str], db: Path, moment: int) -> tuple[bool, int]:
    """Start a run and SIGKILL it once `moment` units are done; (killed, units done when it was killed)."""
    process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + PROCESS_LIMIT_SECONDS
    try:
        while process.poll() is None and time.monotonic() < deadline and progress(db) < moment:
            time.sleep(POLL_SECONDS)
        killed = process.poll() is None
        if killed:
            os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=60)
        if not killed:
            assert process.returncode == 0, process.stderr.read().decode()
        return killed, progress(db)
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()


def last_run_finished(db: Path) -> bool:
    """Whether the newest run in the store recorded its end."""
    connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True, timeout=5)
    try:
        row = connection.execute("SELECT finished FROM runs ORDER BY id DESC LIMIT 1").fetchone()
    finally:
        connection.close()
    return row is not None and row[0] is not None


def without_run(report: dict) -> str:
    return json.dumps({k: v for k, v in report.items() if k != "run"}, ensure_ascii=False, indent=1)


def test_twenty_random_kills_then_rerun_give_the_uninterrupted_report(corpus, config, tmp_path):
    reference_out, reference_db = tmp_path / "reference", tmp_path / "reference.db"
    done = subprocess.run(command(corpus, reference_out, reference_db, config), stdin=subprocess.DEVNULL,
                          capture_output=True, timeout=PROCESS_LIMIT_SECONDS)
    assert done.returncode == 0, done.stderr.decode()
    reference = json.loads((reference_out / "report.json").read_text(encoding="utf-8"))
    total = progress(reference_db)
    stories = len(reference["stories"])
    assert total == 12 * 3 + stories and stories >= 4, (total, stories)

    moments = sorted(random.Random(SEED).sample(range(1, total), KILLS))
    out, db = tmp_path / "crashed", tmp_path / "crashed.db"
    args = command(corpus, out, db, config)
    landed, finished = [], []
    for moment in moments:
        if progress(db) >= moment:  # the previous kill landed later than this moment: kill at the next unit
            moment = progress(db) + 1
        killed, at = run_until(args, db, moment)
        assert killed, f"seed {SEED}: the run ended before moment {moment} of {total} (moments {moments})"
        landed.append(at)
        finished.append(last_run_finished(db))
    # A kill sent once the last unit is done can land after the run recorded its end (a loaded machine
    # lets it finish between the poll and the signal); one sent before must find the run unfinished.
    late = [at for at, done in zip(landed, finished) if done]
    assert all(at == total for at in late), f"seed {SEED}: a run killed mid-work is marked finished ({landed}, {finished})"
    phases = {"reading": sum(at <= 12 for at in landed), "online": sum(12 < at <= 36 for at in landed),
              "stories": sum(at > 36 for at in landed)}
    print(f"seed {SEED}: {len(landed)} kills at units {landed} of {total}: {phases}")
    assert all(phases.values()), f"seed {SEED}: kills landed in {phases} ({landed})"
    with sqlite3.connect(db) as connection:
        stored = connection.execute("SELECT COUNT(*), COUNT(DISTINCT raw_sha256) FROM articles").fetchone()
        assert stored[0] == stored[1], "an article stored twice"

    final = subprocess.run(args, stdin=subprocess.DEVNULL, capture_output=True, timeout=PROCESS_LIMIT_SECONDS)
    assert final.returncode == 0, final.stderr.decode()
    resumed = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert sorted(a["id"] for a in resumed["articles"]) == sorted(p.stem for p in corpus.iterdir()), \
        "none lost, none doubled, no renamed copy"
    assert resumed["run"]["runs"] == KILLS + 1 and resumed["run"]["failures"] == 0
    assert without_run(resumed) == without_run(reference), f"seed {SEED}, kills at {landed}"
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT COUNT(*) FROM stories WHERE dirty = 1").fetchone()[0] == 0
        assert connection.execute("SELECT COUNT(*) FROM runs WHERE finished IS NULL").fetchone()[0] == KILLS - len(late)
