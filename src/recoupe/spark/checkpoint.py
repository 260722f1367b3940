"""Checkpoints of the driver's story pass, so that a run killed during it resumes there.

The story pass is the one long sequential stage of a Spark run (hours at a
million articles, days at tens of millions: see the README's sizing). Every
stage before it is recomputed on a rerun: they are deterministic and run in
parallel, so they cost a rerun little next to the pass. The pass itself
writes, now and then, the clusterer's whole state with the position it has
reached under OUT/_checkpoint/; a rerun of the same inputs with the same
settings into the same OUT finds it, restores the clusterer and takes the
articles after that position only. The answer is the one an uninterrupted
run gives, since the clusterer's state is all the pass carries from one
article to the next.

When the pass is long enough to be checkpointed, the frames it and the
output need of the stages before it are written there too, as Parquet,
as each of the costly ones ends (`StageCheckpoint`): a rerun reads them
instead of computing them again, which on a big input saves hours of
executor time (and, on one machine, makes a run longer than the machine
stays up possible at all).

A checkpoint is written at most every `seconds`, and never more often than
ten times the time the last one took to write, so writing costs the pass at
most a tenth of its time as the state grows. Each is a new numbered file,
older ones are deleted only once it is complete: a kill while writing
leaves the previous one. The files go through Hadoop's FileSystem, so OUT
can be a local folder, HDFS or S3 alike. The run deletes them when its
output is complete.
"""

from __future__ import annotations

import hashlib
import json
import time
import zlib
from typing import Any

FOLDER = "_checkpoint"
FORMAT = 1
_PREFIX = "stories-"
_SUFFIX = ".json.z"
_MAX_SHARE = 0.1  # of the pass's time spent writing checkpoints, at most
_STAGES = "stages"  # the frames of the stages before the pass, one Parquet folder each; stages-LEVEL.json
# written after a level's frames says they are complete


def fingerprint(*parts: Any) -> str:
    """What a checkpoint must have been made from to be resumed: inputs, settings, steps."""
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode("utf-8")).hexdigest()


class _HadoopFolder:
    """One folder read and written through Hadoop's FileSystem (local, HDFS, S3...), from the driver."""

    def __init__(self, spark: Any, uri: str):
        sc = spark.sparkContext
        self._jvm = sc._jvm
        self._path = self._jvm.org.apache.hadoop.fs.Path(uri)
        self._fs = self._path.getFileSystem(sc._jsc.hadoopConfiguration())

    def _child(self, name: str) -> Any:
        return self._jvm.org.apache.hadoop.fs.Path(self._path, name)

    def names(self) -> list[str]:
        if not self._fs.exists(self._path):
            return []
        return [status.getPath().getName() for status in self._fs.listStatus(self._path)]

    def read(self, name: str) -> bytes:
        stream = self._fs.open(self._child(name))
        try:
            return bytes(self._jvm.org.apache.commons.io.IOUtils.toByteArray(stream))
        finally:
            stream.close()

    def write(self, name: str, data: bytes) -> None:
        stream = self._fs.create(self._child(name), True)
        try:
            stream.write(bytearray(data))
        finally:
            stream.close()

    def delete(self, name: str | None = None) -> None:
        self._fs.delete(self._child(name) if name else self._path, True)


class StoryCheckpoint:
    """The story pass's checkpoints in OUT/_checkpoint for one fingerprint."""

    def __init__(self, spark: Any, out: str, fingerprint: str, seconds: float = 600.0):
        from .layout import join

        self.folder = _HadoopFolder(spark, join(out, FOLDER))
        self.fingerprint = fingerprint
        self.seconds = seconds
        self._next = time.monotonic() + seconds
        self._written = 0

    def _numbered(self) -> list[tuple[int, str]]:
        found = []
        for name in self.folder.names():
            number = name[len(_PREFIX) : -len(_SUFFIX)]
            if name.startswith(_PREFIX) and name.endswith(_SUFFIX) and number.isdigit():
                found.append((int(number), name))
        return sorted(found)

    def load(self) -> dict[str, Any] | None:
        """The newest complete checkpoint of this fingerprint: position, clusterer, clustered, failures."""
        numbered = self._numbered()
        self._written = numbered[-1][0] if numbered else 0  # this run's come after: saving deletes these
        for _, name in reversed(numbered):
            try:
                state = json.loads(zlib.decompress(self.folder.read(name)))
            except (ValueError, zlib.error):
                continue  # cut short by a kill: an older one may do
            if state.get("format") == FORMAT and state.get("fingerprint") == self.fingerprint:
                return state
            return None  # another run's (other inputs or settings): not resumed
        return None

    def due(self) -> bool:
        return time.monotonic() >= self._next

    def save(self, position: int, clusterer: Any, clustered: list, failures: list) -> None:
        started = time.monotonic()
        state = {"format": FORMAT, "fingerprint": self.fingerprint, "position": position,
                 "clusterer": clusterer.to_state(), "clustered": clustered, "failures": failures}
        data = zlib.compress(json.dumps(state, separators=(",", ":")).encode("utf-8"), 1)
        self._written += 1
        self.folder.write(f"{_PREFIX}{self._written:09d}{_SUFFIX}", data)
        for number, name in self._numbered():
            if number < self._written:
                self.folder.delete(name)
        took = time.monotonic() - started
        self._next = time.monotonic() + max(self.seconds, took / _MAX_SHARE)

    def clear(self) -> None:
        self.folder.delete()


class StageCheckpoint:
    """The frames of the stages before the story pass in OUT/_checkpoint/stages/, with the run's counts.

    Saved level by level as each is done (`LEVELS`: the prepared articles, the
    most costly, then the near-duplicate matches, then, when the story pass
    is cut in segments, the segments' stories), so a kill in a later stage
    keeps the earlier ones. `save` writes each frame as Parquet, then a small
    JSON file naming them: a kill while writing leaves no such file, and the
    next run computes that level again. `load` gives a level back only for
    the same fingerprint.
    """

    LEVELS = ("prepared", "matched", "segments")

    def __init__(self, spark: Any, out: str, fingerprint: str):
        from .layout import join

        self.spark = spark
        self.uri = join(out, FOLDER, _STAGES)
        self.folder = _HadoopFolder(spark, join(out, FOLDER))
        self.fingerprint = fingerprint

    @staticmethod
    def _marker(level: str) -> str:
        return f"{_STAGES}-{level}.json"

    def save(self, level: str, frames: dict[str, Any], counts: dict[str, int]) -> None:
        """`frames` by name (None: the stage did not run), `counts` (the summary's, of this level)."""
        from .layout import join

        present = self.folder.names()
        for later in self.LEVELS[self.LEVELS.index(level):]:  # built on what is about to be overwritten
            if self._marker(later) in present:
                self.folder.delete(self._marker(later))
        for name, frame in frames.items():
            if frame is not None:
                frame.write.mode("overwrite").parquet(join(self.uri, name))
        marker = {"format": FORMAT, "fingerprint": self.fingerprint, "counts": counts,
                  "frames": {name: frame is not None for name, frame in frames.items()}}
        self.folder.write(self._marker(level), json.dumps(marker).encode("utf-8"))

    def load(self, level: str) -> tuple[dict[str, Any], dict[str, int]] | None:
        """(frames by name, counts) of `level` saved by a run of this fingerprint, or None."""
        from .layout import join

        if self._marker(level) not in self.folder.names():
            return None
        try:
            marker = json.loads(self.folder.read(self._marker(level)))
        except ValueError:
            return None
        if marker.get("format") != FORMAT or marker.get("fingerprint") != self.fingerprint:
            return None
        frames = {name: self.spark.read.parquet(join(self.uri, name)) if present else None
                  for name, present in marker["frames"].items()}
        return frames, marker["counts"]
