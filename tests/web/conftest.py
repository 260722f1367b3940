"""Fixtures of the web tests: the seed report and a hostile one, served in process."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "report"))

from report_hostile import hostile_report  # noqa: E402
from report_seeds import seed_report  # noqa: E402


@pytest.fixture(scope="session")
def seeds_report() -> dict:
    return seed_report()


@pytest.fixture(scope="session")
def hostile() -> dict:
    return hostile_report()


SEEDS = Path(__file__).resolve().parents[2].parent / "shared" / "seeds"


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """`recoupe run` on the five seed articles: (output folder, store path, report dict, id of their story)."""
    import json

    from recoupe.cli import main

    out = tmp_path_factory.mktemp("seed-run")
    db = out / "recoupe.db"
    status = main(["run", *map(str, sorted(SEEDS.glob("*.txt"))), "--out", str(out), "--db", str(db), "--quiet"])
    assert status == 0
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    wire = next(a["id"] for a in report["articles"] if a["id"].startswith("003"))
    story = next(s for s in report["stories"] if wire in s["members"])
    return out, db, report, story["id"]
