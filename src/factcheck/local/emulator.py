"""The AWS emulator of the local stack: moto's server app, serialised, journalled, on waitress.

moto documents that its backends are not safe for concurrent use. With `serialise=True`
every DynamoDB request runs under one lock, so a conditional write or transaction is atomic
with respect to every other request, as DynamoDB guarantees; the local stack turns it on.
SQS requests are left concurrent: a long poll (ReceiveMessage with WaitTimeSeconds) waits
inside moto and must not hold up the table.

With `--journal DIR` (what the local stack runs) every state change is appended to a
journal in DIR and fsynced before the response is sent, and the journal is replayed on
start: a 2xx survives SIGKILL of every process and a power cut (`journal_hooks.py`).
A DynamoDB write is journalled under the same lock that serialises it, so the journal's
order is the order in which the writes took effect.

It is served by waitress, not by moto's own werkzeug server: werkzeug's development server
closes the connection after every response, so each boto3 call paid for a new TCP
connection (measured: about a fifth of the local pipeline's time); waitress keeps
connections alive and serves from a fixed pool of threads.
Run as `python -m factcheck.local.emulator --port P [--serialise] [--journal DIR]`.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import signal
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import FrameType
from typing import Any

import waitress
from moto.server import DomainDispatcherApplication, create_backend_app

from factcheck.local import journal_hooks, moto_patches
from factcheck.local.journal_hooks import Recorder

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# Every long poll in flight holds a thread (the local poller runs one per concurrency slot of
# each queue) and the store function issues up to 8 concurrent Queries per invocation.
THREADS = 64
ADMIN = "/_factcheck/"  # the emulator's own endpoints (status, compact, owner)
_READ_PREFIXES = ("Get", "BatchGet", "Query", "Scan", "TransactGet", "Describe", "List")


def _json_response(start_response: Callable[..., Any], status: str, body: Any) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


class SerialisedApp:
    """WSGI middleware: one DynamoDB request at a time (body produced under the lock); with
    a recorder, every change journalled and synced before the response leaves."""

    def __init__(self, app: WSGIApp, recorder: Recorder | None = None) -> None:
        self._app = app
        self._lock = recorder.ddb_lock if recorder else threading.Lock()
        self.recorder = recorder

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        path = str(environ.get("PATH_INFO", ""))
        if path.startswith(ADMIN):
            return self._admin(path[len(ADMIN) :], environ, start_response)
        target = str(environ.get("HTTP_X_AMZ_TARGET", ""))
        recorder = self.recorder
        if target.startswith("DynamoDB"):
            body = self._dynamodb(target.rpartition(".")[2], environ, start_response)
        elif recorder and path == "/moto-api/reset" and environ.get("REQUEST_METHOD") == "POST":
            with self._lock, recorder.sqs_lock:
                body = list(self._app(environ, start_response))
                recorder.reset()
        else:
            body = list(self._app(environ, start_response))  # SQS: journalled by its hooks
        if recorder is not None and recorder.journal is not None:
            recorder.journal.sync()  # this request's records, and any it may have read
        return body

    def _dynamodb(
        self, operation: str, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> list[bytes]:
        with self._lock:
            if operation.startswith(_READ_PREFIXES):
                moto_patches.note_request(operation)
                return list(self._app(environ, start_response))
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(raw)
            moto_patches.note_request(operation, raw)  # the keys it writes
            if self.recorder is None:
                return list(self._app(environ, start_response))
            status: list[str] = []

            def capture(code: str, headers: Any, exc_info: Any = None) -> Any:
                status.append(code)
                return start_response(code, headers, exc_info)

            body = list(self._app(environ, capture))
            if status and status[0].startswith("2"):
                self.recorder.dynamodb_write(operation, raw, journal_hooks.request_headers(environ))
            return body

    def _admin(
        self, name: str, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> list[bytes]:
        recorder = self.recorder
        if name == "status":
            return _json_response(start_response, "200 OK", self.status())
        if environ.get("REQUEST_METHOD") != "POST":
            return _json_response(start_response, "405 Method Not Allowed", {"error": name})
        if name == "compact":
            records = recorder.compact() if recorder else None
            return _json_response(
                start_response, "200 OK", {"snapshot_records": records, **self.status()}
            )
        if name == "owner":
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            try:
                asked = json.loads(raw)
                pid, previous = int(asked["pid"]), asked.get("release")
            except (ValueError, KeyError, TypeError):
                return _json_response(
                    start_response, "400 Bad Request", {"error": 'expected {"pid": N}'}
                )
            journal_hooks.set_owner(pid)
            released = journal_hooks.release(int(previous)) if previous is not None else 0
            return _json_response(start_response, "200 OK", {"released": released})
        return _json_response(start_response, "404 Not Found", {"error": name})

    def status(self) -> dict[str, Any]:
        from factcheck.local.journal_state import counts

        recorder = self.recorder
        out: dict[str, Any] = {"journal": recorder is not None, **counts()}
        if recorder is not None and recorder.journal is not None:
            out.update(
                directory=str(recorder.store.directory),
                generation=recorder.generation,
                journal_records=recorder.journal.records,
                compactions=recorder.compactions,
                last_compaction_pause_s=recorder.last_pause_s,
                replay=recorder.replay,
            )
        return out


def _replayer(app: WSGIApp) -> Callable[[dict[str, str], str], int]:
    """Sends a journalled schema request through moto's own app, in-process."""
    from werkzeug.test import EnvironBuilder

    def replay(headers: dict[str, str], body: str) -> int:
        environ = EnvironBuilder(
            method="POST", path="/", headers=list(headers.items()), data=body.encode("utf-8")
        ).get_environ()
        status: list[str] = []
        for _ in app(environ, lambda code, _headers, _exc=None: status.append(code)):
            pass
        return int(status[0].split()[0]) if status else 500

    return replay


def moto_app(
    *,
    serialise: bool,
    journal: Path | None = None,
    compact_every: int = journal_hooks.DEFAULT_COMPACT_EVERY,
    fsync: bool = True,
) -> WSGIApp:
    """moto's app; serialised, it also gets the speed patches that need serialisation;
    with a journal folder, its state is replayed from there and every change journalled.
    `fsync=False` is for building a benchmark's journal only: the same records, not durable."""
    app: WSGIApp = DomainDispatcherApplication(create_backend_app)
    if not serialise and journal is None:
        return app
    moto_patches.apply()
    journal_hooks.install_owner_tagging()
    if journal is None:
        return SerialisedApp(app)
    recorder = Recorder(journal, threading.Lock(), compact_every=compact_every, fsync=fsync)
    recorder.install_sqs_hooks()
    recorder.open(_replayer(app))
    moto_patches.note_request("PutItem")  # replayed writes: no cached index partition
    return SerialisedApp(app, recorder)


def _raise_interrupt(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--serialise", action="store_true")
    parser.add_argument("--journal", type=Path, help="folder of the durable journal")
    parser.add_argument(
        "--compact-every",
        type=int,
        default=journal_hooks.DEFAULT_COMPACT_EVERY,
        help="journal records between snapshots",
    )
    args = parser.parse_args(argv)
    app = moto_app(serialise=args.serialise, journal=args.journal, compact_every=args.compact_every)
    server = waitress.create_server(
        app,
        host=args.host,
        port=args.port,
        threads=THREADS,
        # a long poll may wait 20 s inside moto: do not drop a quiet connection before that
        channel_timeout=120,
        connection_limit=1000,
        ident="factcheck-emulator",
    )
    signal.signal(signal.SIGTERM, _raise_interrupt)  # a clean stop, as Ctrl-C
    try:
        with contextlib.suppress(KeyboardInterrupt):
            server.run()
    finally:
        recorder = app.recorder if isinstance(app, SerialisedApp) else None
        if recorder is not None:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)  # let the snapshot finish
            recorder.compact(fork=False)  # the next start reads one snapshot, no journal
            recorder.close()


if __name__ == "__main__":
    main()
