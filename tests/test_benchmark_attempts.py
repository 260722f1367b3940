"""A benchmark run killed part-way and taken up again is measured whole, without counting twice the
stages its second attempt computes again."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import pytest

BENCHMARKS = Path(__file__).resolve().parents[1] / "benchmarks"


@pytest.fixture
def AttemptLog(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    return importlib.import_module("attempts").AttemptLog


class Clock:
    """CPU seconds that only move when told: the figures are then exact."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_killed_attempt_adds_only_its_story_pass_to_the_next_one(tmp_path, AttemptLog):
    cpu = Clock()
    first = AttemptLog(tmp_path, cpu, every=3600)
    first.phase("preparing", None)
    cpu.now = 100.0
    first.phase("stories", 1000)
    first.advance(600)
    cpu.now = 160.0
    first._write()  # what the periodic writer leaves behind when the process is killed
    record = json.loads((tmp_path / "attempt-001.json").read_text())
    assert record["phases"][-1]["done"] == 600 and not record["finished"]

    cpu.now = 1000.0  # a new process: its own start
    second = AttemptLog(tmp_path, cpu, every=3600)
    assert second.path.name == "attempt-002.json" and len(second.earlier) == 1
    second.phase("preparing", None)
    cpu.now = 1100.0
    second.phase("stories", 400)
    cpu.now = 1140.0
    second.finish()
    report = second.report()
    assert [a["cpu_seconds"] for a in report["attempts"]] == [160.0, 140.0]
    assert report["as_one_run"]["cpu_seconds"] == pytest.approx(140.0 + 60.0), \
        "the first attempt's preparing, done again by the second, is not counted"


def test_a_new_run_after_a_finished_one_starts_anew(tmp_path, AttemptLog):
    cpu = Clock()
    done = AttemptLog(tmp_path, cpu, every=3600)
    done.finish()
    again = AttemptLog(tmp_path, cpu, every=3600)
    assert again.earlier == [] and again.path.name == "attempt-001.json"
    again.finish()
    assert len(list(tmp_path.glob("attempt-*.json"))) == 1


def test_stages_read_from_the_checkpoint_count_once_and_a_stage_run_again_does_not(tmp_path, AttemptLog):
    cpu = Clock()
    first = AttemptLog(tmp_path, cpu, every=3600)
    for name, at in (("listing", 0.0), ("preparing", 1.0), ("near-duplicates", 50.0), ("stories", 70.0),
                     ("writing", 170.0)):
        cpu.now = at
        first.phase(name, None)
    cpu.now = 200.0
    first._write()  # killed while writing: every stage before it was saved

    cpu.now = 1000.0
    second = AttemptLog(tmp_path, cpu, every=3600)
    second.phase("listing", None)
    cpu.now = 1001.0
    second.phase("stories", None)  # the saved stages are read, not run: no phase for them
    cpu.now = 1005.0
    second.phase("writing", None)
    cpu.now = 1045.0
    second.finish()
    report = second.report()
    assert report["as_one_run"]["cpu_seconds"] == pytest.approx(45.0 + 49.0 + 20.0 + 100.0), \
        "preparing, near-duplicates and the story pass of the first attempt count; its listing and writing do not"


class _Times:
    def __init__(self, cpu: float):
        self.user, self.system = cpu, 0.0


class _Process:
    """A process as psutil shows it: its creation time is the kernel's boot time now plus its start."""

    def __init__(self, pid: int, created: float, cpu: float, children=()):
        self.pid, self.created, self.cpu, self.kids = pid, created, cpu, list(children)

    def oneshot(self):
        import contextlib
        return contextlib.nullcontext()

    def create_time(self) -> float:
        return self.created

    def cpu_times(self) -> _Times:
        return _Times(self.cpu)

    def children(self, recursive: bool = False):
        return self.kids


def test_a_process_whose_creation_time_moves_with_the_clock_is_counted_once(monkeypatch):
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    TreeCpu = importlib.import_module("spark_bench").TreeCpu
    jvm = _Process(2, 1000.0, 10.0)
    driver = _Process(1, 999.0, 1.0, [jvm])
    tally = TreeCpu.__new__(TreeCpu)  # sampled by hand, without its thread
    import threading
    tally.me, tally.seen, tally.gone, tally._lock = driver, {}, 0.0, threading.Lock()
    tally._sample()
    jvm.cpu, jvm.created = 500.0, 1001.0  # the kernel's boot time moved by a second
    tally._sample()
    assert tally.gone + sum(cpu for _, cpu in tally.seen.values()) == pytest.approx(501.0)
    driver.kids = [_Process(2, 5000.0, 3.0)]  # the pid taken by a new process: the old one's CPU stays
    tally._sample()
    assert tally.gone + sum(cpu for _, cpu in tally.seen.values()) == pytest.approx(504.0)
