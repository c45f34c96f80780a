"""The emulator's durable store: journals every state change moto makes, replays on start.

`Recorder` is created once in the emulator process. DynamoDB writes are recorded by the
emulator's WSGI layer (`dynamodb_write`, under the lock that serialises DynamoDB) after
they succeed; SQS changes are recorded by hooks on moto's SQS model (`journal_sqs`, installed
by `install_sqs_hooks`). The emulator answers a request only after `journal.sync()`.

Also here, journal or not: every message a receive hands out is tagged with the process
that owns the emulator (`set_owner`), so a restarted stack can make the messages of its
dead predecessor visible at once (`release`) instead of after the visibility timeout.
"""

from __future__ import annotations

import gc
import importlib.metadata
import json
import os
import threading
import time
import warnings
from pathlib import Path
from typing import Any

from moto.dynamodb.responses import DynamoHandler
from moto.sqs.models import Message, sqs_backends
from packaging.specifiers import SpecifierSet
from packaging.version import Version

from factcheck.local import journal_sqs, journal_state
from factcheck.local.journal import Journal, Record, Store
from factcheck.observability import logger

# The hooks and the replay read moto's models (queues' message lists, tables' item maps):
# only on the moto versions they were tested with (pyproject.toml pins the same range).
TESTED_MOTO = SpecifierSet(">=5.2.5,<5.3")
ITEM_WRITES = frozenset(
    {"PutItem", "UpdateItem", "DeleteItem", "BatchWriteItem", "TransactWriteItems"}
)
DEFAULT_COMPACT_EVERY = 20_000  # records; measured in `factcheck.bench.journal`
REPLAY_HEADERS = ("Host", "X-Amz-Target", "Content-Type", "Authorization", "User-Agent")

_current = threading.local()  # the DynamoDB backend the request being served used
_owner: list[int | None] = [None]
_installed: set[str] = set()


def install_owner_tagging() -> None:
    """Tag each received message with the owner, and note each request's DynamoDB backend."""
    if "owner" in _installed:
        return
    mark_received = Message.mark_received

    def tagged(self: Any, visibility_timeout: int | None = None) -> None:
        mark_received(self, visibility_timeout)
        self.factcheck_owner = _owner[0]

    Message.mark_received = tagged  # type: ignore[method-assign]
    backend_property = DynamoHandler.dynamodb_backend

    def backend(self: Any) -> Any:
        found = backend_property.fget(self)  # type: ignore[attr-defined]
        _current.backend = found
        return found

    DynamoHandler.dynamodb_backend = property(backend)  # type: ignore[method-assign,assignment]
    _installed.add("owner")


def set_owner(pid: int) -> None:
    _owner[0] = pid


def release(owner: int) -> int:
    """Make visible now every in-flight message received while `owner` owned the emulator."""
    released = 0
    for regions in sqs_backends.values():
        for backend in regions.values():
            for queue in backend.queues.values():
                for message in list(queue._messages):
                    if not message.visible and getattr(message, "factcheck_owner", 0) == owner:
                        message.visible_at = 0.0
                        queue._pending_messages.discard(message)
                        released += 1
                with queue._messages_lock:
                    queue._messages_lock.notify_all()  # wake long polls waiting for them
    return released


class Recorder:
    """Owns the journal folder: replays it, appends to it, compacts it."""

    def __init__(
        self,
        directory: Path,
        ddb_lock: threading.Lock,
        *,
        compact_every: int = DEFAULT_COMPACT_EVERY,
        fsync: bool = True,
    ) -> None:
        installed = Version(importlib.metadata.version("moto"))
        if installed not in TESTED_MOTO:  # a durable store must not half-work: refuse
            raise RuntimeError(
                f"the journal was tested with moto {TESTED_MOTO}, not {installed}: "
                "install a tested moto or run the emulator without --journal"
            )
        self.store = Store(directory)
        self.ddb_lock = ddb_lock
        self.sqs_lock = threading.RLock()
        self.compact_every = compact_every
        self.fsync = fsync
        self.schema: dict[tuple[str, ...], list[Record]] = {}
        self.journal: Journal | None = None
        self.generation = 1
        self.replaying = False
        self.replay: dict[str, Any] = {}
        self._compacting = threading.Lock()
        self.compactions = 0
        self.last_pause_s: float | None = None

    # --- start-up ------------------------------------------------------------------------
    def open(self, replay_request: journal_state.RequestReplayer) -> dict[str, Any]:
        """Replay the folder into moto, then continue its journal. Returns what it did."""
        t0 = time.perf_counter()
        self.store.lock()
        loaded = self.store.load()
        replayer = journal_state.Replayer(replay_request)
        self.replaying = True
        gc.disable()  # millions of new objects, no cycles: collections would be most of it
        try:
            for record in loaded.records:
                replayer.apply(record)
                self._track_schema(record)
            replayer.finish()
        finally:
            self.replaying = False
            gc.enable()
        gc.freeze()  # the replayed state is long-lived: later collections skip it
        self.generation = max(1, loaded.generation)
        self.journal = Journal(self.store.path("journal", self.generation), fsync=self.fsync)
        self.replay = {
            "records": replayer.applied,
            "journal_records": self.store.replayed_records,
            "failed_requests": replayer.failed_requests,
            "torn_bytes_dropped": self.store.dropped_bytes,
            "seconds": round(time.perf_counter() - t0, 3),
            "generation": self.generation,
        }
        self.journal.records = self.store.replayed_records
        if self.journal.records >= self.compact_every:
            threading.Thread(target=self.compact, name="journal-compact", daemon=True).start()
        return self.replay

    def _track_schema(self, record: Record) -> None:
        """What a snapshot must replay before the items: live tables and queues."""
        kind = record["t"]
        key: tuple[str, ...]
        if kind == "reset":
            self.schema.clear()
        elif kind == "req":
            body = json.loads(record["b"] or "{}")
            name = body.get("TableName") or str(body.get("ResourceArn", "")).rpartition("/")[2]
            key = ("table", record.get("k", ""), name)
            operation = record["h"].get("X-Amz-Target", "").rpartition(".")[2]
            if operation == "DeleteTable":
                self.schema.pop(key, None)
            elif operation == "CreateTable":
                self.schema.pop(key, None)
                self.schema[key] = [record]
            elif key in self.schema:
                self.schema[key].append(record)
        elif kind.startswith("q_") and kind != "q_purge":
            key = ("queue", record["a"], record["r"], record["n"])
            if kind == "q_create":
                self.schema.pop(key, None)
                self.schema[key] = [record]
            elif kind == "q_delete":
                self.schema.pop(key, None)
            elif key in self.schema:
                self.schema[key].append(record)

    # --- appending -----------------------------------------------------------------------
    def append(self, record: Record) -> None:
        if self.replaying or self.journal is None:
            return
        self.journal.append(record)
        self._track_schema(record)
        if self.journal.records >= self.compact_every and not self._compacting.locked():
            threading.Thread(target=self.compact, name="journal-compact", daemon=True).start()

    def dynamodb_write(self, operation: str, raw: bytes, headers: dict[str, str]) -> None:
        """Journal a DynamoDB write that succeeded (called under the DynamoDB lock)."""
        backend = getattr(_current, "backend", None)
        if operation in ITEM_WRITES:
            if backend is None:
                raise RuntimeError(f"{operation} succeeded without a DynamoDB backend")
            writes: list[Any] = []
            seen: set[str] = set()
            for table_name, key in journal_state.touched_keys(operation, json.loads(raw)):
                marker = json.dumps([table_name, key], sort_keys=True)
                image = journal_state.after_image(backend, table_name, key)
                if image is not None and marker not in seen:
                    seen.add(marker)
                    writes.append(image)
            record = {"t": "ddb", "a": backend.account_id, "r": backend.region_name, "w": writes}
        else:
            where = f"{backend.account_id}/{backend.region_name}" if backend else ""
            record = {"t": "req", "h": headers, "b": raw.decode("utf-8"), "k": where}
        self.append(record)
        _current.backend = None

    def reset(self) -> None:
        self.append({"t": "reset"})

    # --- compaction ----------------------------------------------------------------------
    def compact(self, *, fork: bool = True) -> int | None:
        """Snapshot the state, start the next generation's journal, delete the old files.

        Under both locks (a moment with no change half-made) the journal moves to the next
        generation and the process forks: the child holds a copy-on-write image of that
        moment and writes it out while the emulator goes on serving (Redis's BGSAVE does
        the same), so the pause is the fork, not the writing (measured by
        `factcheck.bench.journal`). Until the snapshot's rename, the old snapshot and both
        journals still describe the state. Without fork (or `fork=False`, at shutdown) the
        state is copied under the locks and written after them."""
        if not self._compacting.acquire(blocking=False):
            return None
        try:
            assert self.journal is not None
            t0 = time.perf_counter()
            child, records = None, None
            with self.ddb_lock, self.sqs_lock:
                self.generation += 1
                generation = self.generation
                self.journal.switch(self.store.path("journal", generation))
                schema = self.snapshot_schema()
                if fork and hasattr(os, "fork"):
                    child = self._fork_snapshot(generation, schema)
                else:
                    records = list(journal_state.state_records(schema))
            self.last_pause_s = round(time.perf_counter() - t0, 4)
            if child is None:
                count: int | None = self.store.write_snapshot(generation, records or [])
            else:
                count = self._wait_snapshot(*child)
            if count is not None:
                self.compactions += 1
            logger.info(
                "journal compacted",
                extra={
                    "records": count,
                    "paused_s": self.last_pause_s,
                    "seconds": round(time.perf_counter() - t0, 3),
                },
            )
            return count
        finally:
            self._compacting.release()

    def _fork_snapshot(self, generation: int, schema: list[Record]) -> tuple[int, int]:
        """(child pid, read end of a pipe that receives its record count)."""
        read_end, write_end = os.pipe()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)  # 3.12: fork with threads
            pid = os.fork()
        if pid == 0:  # the child: only plain file and JSON work, no lock of the parent's
            code = 1
            try:
                gc.disable()  # a collection would touch (copy) every page of the image
                os.close(read_end)
                records = journal_state.state_records(schema)
                count = self.store.write_snapshot(generation, records)
                os.write(write_end, str(count).encode())
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        return pid, read_end

    def _wait_snapshot(self, pid: int, read_end: int) -> int | None:
        with os.fdopen(read_end, "rb") as pipe:
            written = pipe.read()
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not written:
            logger.error("journal snapshot failed", extra={"status": status})
            return None
        return int(written)

    def snapshot_schema(self) -> list[Record]:
        return [record for records in self.schema.values() for record in records]

    def close(self) -> None:
        if self.journal is not None:
            self.journal.close()

    def install_sqs_hooks(self) -> None:
        journal_sqs.install(self)


def request_headers(environ: dict[str, Any]) -> dict[str, str]:
    """The headers moto needs to route a request again (service, region, account)."""
    out = {}
    for name in REPLAY_HEADERS:
        key = "CONTENT_TYPE" if name == "Content-Type" else "HTTP_" + name.upper().replace("-", "_")
        if environ.get(key):
            out[name] = str(environ[key])
    if environ.get("HTTP_X_MOTO_ACCOUNT_ID"):
        out["x-moto-account-id"] = str(environ["HTTP_X_MOTO_ACCOUNT_ID"])
    return out
