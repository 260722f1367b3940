"""The command line: run --engine spark, load, report; and what it says without pyspark."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import recoupe.spark.submit as submit
from recoupe.cli import main
from recoupe.spark import layout
from recoupe.spark.session import local_settings

from spark_helpers import SEEDS


def test_run_on_spark_then_load_then_report(spark, tmp_path, capsys):
    seeds = [str(p) for p in sorted(SEEDS.glob("*.txt"))]
    out, db, pages = tmp_path / "out", tmp_path / "store.db", tmp_path / "pages"
    assert main(["run", *seeds, "--engine", "spark", "--out", str(out), "--db", str(db)]) == 0
    err = capsys.readouterr().err
    assert "recoupe: 5 articles, 0 near-duplicate groups, 1 story" in err
    assert f"recoupe load {out} --db {db}" in err
    assert (out / "parquet" / "articles").is_dir() and not db.exists()

    assert main(["load", str(out), "--db", str(db)]) == 0
    assert "loaded 5 articles and 1 story" in capsys.readouterr().err
    assert main(["report", "--db", str(db), "--out", str(pages)]) == 0
    report = json.loads((pages / "report.json").read_text(encoding="utf-8"))
    assert len(report["stories"]) == 1 and len(report["stories"][0]["members"]) == 5
    roles = {p["article"]: p["role"] for p in report["stories"][0]["provenance"]}
    assert roles["003_396718b1c9902876"] == "original"
    assert (pages / "index.html").is_file()
    # a second load into the same store would mix two runs: refused
    assert main(["load", str(out), "--db", str(db)]) == 1
    assert "already holds 5 articles" in capsys.readouterr().err


def test_load_refuses_a_folder_that_is_not_a_finished_run(tmp_path, capsys):
    (tmp_path / "half").mkdir()
    assert main(["load", str(tmp_path / "half"), "--db", str(tmp_path / "x.db")]) == 1
    assert "not the finished output of a Spark run" in capsys.readouterr().err
    assert not (tmp_path / "x.db").exists()


def test_without_pyspark_the_spark_engine_says_how_to_install_it(tmp_path, capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "pyspark", None)  # import pyspark now raises ImportError
    status = main(["run", str(SEEDS / "003_396718b1c9902876.txt"), "--engine", "spark", "--out", str(tmp_path)])
    assert status == 1
    assert capsys.readouterr().err.strip() == (
        "recoupe: error: the Spark engine needs extra packages: pip install 'recoupe[spark]'")


def test_master_without_the_spark_engine_is_a_usage_error(tmp_path, capsys):
    assert main(["run", str(SEEDS), "--master", "local[2]", "--out", str(tmp_path)]) == 2
    assert "--engine spark" in capsys.readouterr().err


def test_the_job_runs_under_spark_submit_with_its_master(tmp_path):
    """What a cluster runs: spark-submit with recoupe.spark.submit, the master and settings spark-submit's own."""
    spark_submit = os.path.join(os.path.dirname(sys.executable), "spark-submit")
    out = tmp_path / "out"
    env = {**os.environ, "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    settings = {**local_settings("local[1]"), "spark.sql.shuffle.partitions": "2"}
    command = [spark_submit, "--master", "local[1]", *[a for k, v in settings.items() for a in ("--conf", f"{k}={v}")],
               submit.__file__, *[str(p) for p in sorted(SEEDS.glob("*.txt"))], "--out", str(out)]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=900)
    told = done.stdout  # spark-submit's Python runner sends the script's stderr there
    assert done.returncode == 0, [line for line in told.splitlines() if "recoupe" in line]
    assert "recoupe: 5 articles, 0 near-duplicate groups, 1 story\n" in told
    summary = layout.read_summary(out)
    assert summary["articles"] == 5 and summary["stories"] == 1
