"""The local emulator's write-ahead journal: framed records on disk, snapshots, compaction.

Knows nothing of moto: a record is a JSON object. `journal_moto.py` decides what to write
and how to apply it. Layout of a journal folder:

    snapshot-<g>.log   the whole state when generation g began (records, ends with `end`)
    journal-<g>.log    every change since, in order

Each record is framed as `length (4 bytes) | CRC-32 (4 bytes) | JSON`, so a record torn
by a crash mid-append (short, or a checksum that does not match) is detected and dropped:
it was never acknowledged, since the emulator answers only after the fsync. A snapshot
becomes the current one by an atomic rename after its own fsync; the older generation's
files are deleted only then, so a crash at any point leaves a usable pair.

Hand-written rather than SQLite or LMDB: the records are replayed in order into moto's
in-memory models and never queried, which is what an append-only log of checksummed
frames does with the fewest moving parts (and no dependency in the emulator).
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import struct
import threading
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = "factcheck-journal"
VERSION = 1
_HEADER = struct.Struct(">II")  # payload length, CRC-32 of the payload
MAX_RECORD = 64 * 1024 * 1024  # a length above this is a torn or damaged frame
_NAME = re.compile(r"^(snapshot|journal)-(\d{8})\.log$")

Record = dict[str, Any]


def frame(record: Record) -> bytes:
    payload = json.dumps(record, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return _HEADER.pack(len(payload), zlib.crc32(payload)) + payload


@dataclass
class ReadResult:
    records: list[Record]
    valid_bytes: int  # where the last whole record ends
    dropped_bytes: int  # a torn tail (or damage) after it


def read_frames(data: bytes) -> ReadResult:
    """Every whole record of `data`, in order, stopping at the first torn or damaged one."""
    records: list[Record] = []
    pos = 0
    end = len(data)
    while pos + _HEADER.size <= end:
        length, crc = _HEADER.unpack_from(data, pos)
        start = pos + _HEADER.size
        if length > MAX_RECORD or start + length > end:
            break
        payload = data[start : start + length]
        if zlib.crc32(payload) != crc:
            break
        try:
            records.append(json.loads(payload))
        except ValueError:
            break
        pos = start + length
    return ReadResult(records, pos, end - pos)


def read_file(path: Path) -> ReadResult:
    return read_frames(path.read_bytes()) if path.exists() else ReadResult([], 0, 0)


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class Journal:
    """Appends records to one file; `sync()` makes every appended record durable.

    Appending and syncing are separate so that threads waiting to answer share one fsync
    (group commit): the second waiter usually finds its record already synced.
    """

    def __init__(self, path: Path, *, fsync: bool = True) -> None:
        self.path = path
        self.fsync = fsync  # False only to build a journal for a benchmark quickly
        self._lock = threading.Lock()  # appends and the file switch
        self._sync_lock = threading.Lock()
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        self._written = 0  # appends so far (a counter, not an offset)
        self._synced = 0
        self.records = 0

    def append(self, record: Record) -> None:
        data = frame(record)
        with self._lock:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view) :]
            self._written += 1
            self.records += 1

    def sync(self) -> None:
        """Return once every record appended before this call is on disk."""
        target = self._written
        if self._synced >= target:
            return
        with self._sync_lock:
            if self._synced >= target:
                return  # another thread's fsync covered it
            with self._lock:
                upto, fd = self._written, self._fd
            if self.fsync:
                os.fsync(fd)
            self._synced = max(self._synced, upto)

    def switch(self, path: Path) -> None:
        """Continue in a new file (compaction); the old one is synced and closed first."""
        with self._sync_lock, self._lock:
            os.fsync(self._fd)
            os.close(self._fd)
            self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
            _fsync_dir(path.parent)
            self._synced = self._written
            self.path = path
            self.records = 0

    def close(self) -> None:
        with self._sync_lock, self._lock:
            os.fsync(self._fd)
            os.close(self._fd)
            self._synced = self._written


@dataclass
class Loaded:
    generation: int
    records: Iterator[Record]


class JournalInUse(RuntimeError):
    """Another emulator still holds the folder (one stopping writes its snapshot first)."""


class Store:
    """A journal folder: finds what to replay, writes snapshots, drops old generations."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)
        self.dropped_bytes = 0
        self.replayed_records = 0
        self._lock_fd: int | None = None

    def lock(self, timeout: float = 60.0) -> None:
        """Hold the folder for this process's lifetime (the kernel releases it at exit,
        SIGKILL included): two emulators on one journal would delete each other's files."""
        import time

        fd = os.open(self.directory / "LOCK", os.O_WRONLY | os.O_CREAT, 0o600)
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                self._lock_fd = fd
                return
            except BlockingIOError:
                if time.monotonic() > deadline:
                    os.close(fd)
                    raise JournalInUse(f"{self.directory} is held by another emulator") from None
                time.sleep(0.1)

    def _files(self, kind: str) -> dict[int, Path]:
        found = {}
        for path in self.directory.iterdir():
            match = _NAME.match(path.name)
            if match and match.group(1) == kind:
                found[int(match.group(2))] = path
        return found

    def path(self, kind: str, generation: int) -> Path:
        return self.directory / f"{kind}-{generation:08d}.log"

    def _complete_snapshot(self) -> tuple[int, list[Record]]:
        """The newest snapshot that ends with its `end` record (generation 0: none)."""
        for generation in sorted(self._files("snapshot"), reverse=True):
            result = read_file(self.path("snapshot", generation))
            if result.records and result.records[-1].get("t") == "end":
                return generation, result.records[:-1]
        return 0, []

    def load(self) -> Loaded:
        """The records to replay: the newest snapshot, then every journal from its
        generation on. A torn tail of the last journal is cut off, so appends go after the
        last whole record."""
        generation, snapshot = self._complete_snapshot()
        journals = sorted(g for g in self._files("journal") if g >= generation)

        def records() -> Iterator[Record]:
            yield from snapshot
            for number in journals:
                path = self.path("journal", number)
                result = read_file(path)
                if result.dropped_bytes:
                    self.dropped_bytes += result.dropped_bytes
                    with path.open("r+b") as handle:
                        handle.truncate(result.valid_bytes)
                        os.fsync(handle.fileno())
                self.replayed_records += len(result.records)
                yield from result.records

        return Loaded(max([generation, *journals]) if journals else generation, records())

    def write_snapshot(self, generation: int, records: Iterable[Record]) -> int:
        """Write snapshot `generation` (tmp file, fsync, rename), then drop older files."""
        tmp = self.directory / f"snapshot-{generation:08d}.tmp"
        count = 0
        with tmp.open("wb") as out:
            for record in records:
                out.write(frame(record))
                count += 1
            out.write(frame({"t": "end", "records": count}))
            out.flush()
            os.fsync(out.fileno())
        tmp.replace(self.path("snapshot", generation))
        _fsync_dir(self.directory)
        for kind in ("snapshot", "journal"):
            for old, path in self._files(kind).items():
                if old < generation:
                    path.unlink(missing_ok=True)
        return count

    def wipe(self) -> None:
        for path in self.directory.iterdir():
            if _NAME.match(path.name) or path.suffix == ".tmp":
                path.unlink()
