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
