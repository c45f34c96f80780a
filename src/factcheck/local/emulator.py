"""The AWS emulator of the local stack: moto's server app, serialised, on waitress.

moto documents that its backends are not safe for concurrent use. With `serialise=True`
every DynamoDB request runs under one lock, so a conditional write or transaction is atomic
with respect to every other request, as DynamoDB guarantees; the local stack turns it on.
SQS requests are left concurrent: a long poll (ReceiveMessage with WaitTimeSeconds) waits
inside moto and must not hold up the table.

It is served by waitress, not by moto's own werkzeug server: werkzeug's development server
closes the connection after every response, so each boto3 call paid for a new TCP
connection (measured: about a fifth of the local pipeline's time); waitress keeps
connections alive and serves from a fixed pool of threads.
Run as `python -m factcheck.local.emulator --port P [--serialise]`.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import Any

import waitress
from moto.server import DomainDispatcherApplication, create_backend_app

from factcheck.local import moto_patches

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
# Every long poll in flight holds a thread (the local poller runs one per concurrency slot of
# each queue) and the store function issues up to 8 concurrent Queries per invocation.
THREADS = 64


class SerialisedApp:
    """WSGI middleware: one DynamoDB request at a time (body produced under the lock)."""

    def __init__(self, app: WSGIApp) -> None:
        self._app = app
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith("DynamoDB"):
            return list(self._app(environ, start_response))
        with self._lock:
            moto_patches.note_request(target.rpartition(".")[2])
            return list(self._app(environ, start_response))


def moto_app(*, serialise: bool) -> WSGIApp:
    """moto's app; serialised, it also gets the speed patches that need serialisation."""
    app: WSGIApp = DomainDispatcherApplication(create_backend_app)
    if not serialise:
        return app
    moto_patches.apply()
    return SerialisedApp(app)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--serialise", action="store_true")
    args = parser.parse_args(argv)
    server = waitress.create_server(
        moto_app(serialise=args.serialise),
        host=args.host,
        port=args.port,
        threads=THREADS,
        # a long poll may wait 20 s inside moto: do not drop a quiet connection before that
        channel_timeout=120,
        connection_limit=1000,
        ident="factcheck-emulator",
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.run()


if __name__ == "__main__":
    main()
