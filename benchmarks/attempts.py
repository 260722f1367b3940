"""A benchmark run longer than one process lives: each attempt's progress is kept on disk, so that a
run killed part-way and taken up again from the engine's checkpoint is still measured whole.

Each attempt writes, every `every` seconds and at the end, its wall and CPU seconds so far and those at
the start of each phase the engine told (`recoupe.engine.Progress`), with the units done in the phase.
A later attempt in the same folder reads the earlier ones: what they did before being killed is added
to its own figures (`as_one_run`), phase by phase: a phase a later attempt did not run again (the engine
read it from its stage checkpoint) counts, one it ran again from the start does not, and the story pass,
which resumes where its checkpoint left it, always counts.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import Any, Callable

from recoupe.engine import Progress

RESUMED_PHASE = "stories"  # the phase a killed run resumes part-way in: every attempt's share of it counts


class AttemptLog(Progress):
    """One attempt's record in `folder`, and the unfinished attempts before it."""

    def __init__(self, folder: Path, cpu: Callable[[], float], every: float = 30.0):
        folder.mkdir(parents=True, exist_ok=True)
        found = sorted(folder.glob("attempt-*.json"))
        earlier = [json.loads(p.read_text()) for p in found]
        if earlier and earlier[-1]["finished"]:  # that run is over: this one starts anew
            for path in found:
                path.unlink()
            earlier = []
        self.earlier = earlier
        self.path = folder / f"attempt-{len(earlier) + 1:03d}.json"
        self.cpu = cpu
        self.every = every
        self._wall0, self._cpu0 = time.perf_counter(), cpu()
        self.record: dict[str, Any] = {"started": time.time(), "wall": 0.0, "cpu": 0.0, "phases": [],
                                       "finished": False}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._keep, daemon=True)
        self._thread.start()

    # -- what the engine tells -------------------------------------------------------------------------

    def phase(self, name: str, total: int | None) -> None:
        wall, cpu = self._now()
        with self._lock:
            self.record["phases"].append({"name": name, "wall": wall, "cpu": cpu, "total": total, "done": 0})
        self._write()

    def advance(self, amount: int = 1) -> None:
        phases = self.record["phases"]
        if phases:
            phases[-1]["done"] += amount

    # -- on disk ----------------------------------------------------------------------------------------

    def _now(self) -> tuple[float, float]:
        return time.perf_counter() - self._wall0, self.cpu() - self._cpu0

    def _write(self) -> None:
        wall, cpu = self._now()
        with self._lock:
            self.record["wall"], self.record["cpu"] = wall, cpu
            text = json.dumps(self.record)
        partial = self.path.with_suffix(".part")
        partial.write_text(text)
        partial.replace(self.path)  # a kill mid-write leaves the previous record

    def _keep(self) -> None:
        while not self._stop.wait(self.every):
            self._write()

    def finish(self) -> None:
        self._stop.set()
        self._thread.join()
        self.record["finished"] = True
        self._write()

    # -- the figures --------------------------------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        """This attempt's and the earlier ones' wall and CPU seconds, and the run as if it had been one:
        this attempt whole, plus each earlier attempt's phases that no later attempt ran again, and its
        share of the resumed story pass (work done after its last checkpoint is then counted twice)."""
        attempts = [*self.earlier, self.record]
        as_one = {"seconds": self.record["wall"], "cpu_seconds": self.record["cpu"]}
        for k, attempt in enumerate(self.earlier):
            run_again = {p["name"] for later in attempts[k + 1:] for p in later["phases"]}
            for name, wall, cpu in _spans(attempt):
                if name == RESUMED_PHASE or name not in run_again:
                    as_one["seconds"] += wall
                    as_one["cpu_seconds"] += cpu
        return {
            "attempts": [{"seconds": round(a["wall"], 1), "cpu_seconds": round(a["cpu"], 1),
                          "phases": [{"name": p["name"], "at_seconds": round(p["wall"], 1), "done": p["done"]}
                                     for p in a["phases"]]} for a in attempts],
            "as_one_run": {k: round(v, 1) for k, v in as_one.items()},
        }


def _spans(attempt: dict[str, Any]) -> list[tuple[str, float, float]]:
    """(phase, wall seconds, CPU seconds) of each phase of an attempt, the last one up to its last record."""
    phases = attempt["phases"]
    ends = [(p["wall"], p["cpu"]) for p in phases[1:]] + [(attempt["wall"], attempt["cpu"])]
    return [(p["name"], end[0] - p["wall"], end[1] - p["cpu"]) for p, end in zip(phases, ends)]
