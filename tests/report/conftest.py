"""Fixtures of the page tests: the seed report and a report full of hostile text."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from report_hostile import hostile_report  # noqa: E402
from report_seeds import seed_report  # noqa: E402


@pytest.fixture(scope="session")
def seeds_report() -> dict:
    return seed_report()


@pytest.fixture()
def hostile() -> dict:
    return hostile_report()
