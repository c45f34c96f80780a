"""The AWS emulator of the local stack: moto's server app, optionally serialised.

moto documents that its backends are not safe for concurrent use. With `serialise=True`
every DynamoDB request runs under one lock, so a conditional write or transaction is atomic
with respect to every other request, as DynamoDB guarantees; the local stack turns it on.
SQS requests are left concurrent: a long poll (ReceiveMessage with WaitTimeSeconds) waits
inside moto and must not hold up the table.
Run as `python -m factcheck.local.emulator --port P [--serialise]`.
"""

from __future__ import annotations

import argparse
import contextlib
import threading
from collections.abc import Callable, Iterable
from typing import Any

from moto.server import DomainDispatcherApplication, create_backend_app
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from factcheck.local import moto_patches

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


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


class _QuietHandler(WSGIRequestHandler):
    """No access log line per request: the local stack's console stays readable."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        pass


def moto_app(*, serialise: bool) -> WSGIApp:
    """moto's app; serialised, it also gets the speed patches that need serialisation."""
    app: WSGIApp = DomainDispatcherApplication(create_backend_app)
    if not serialise:
        return app
    moto_patches.apply()
    return SerialisedApp(app)


class EmbeddedEmulator:
    """The emulator on a background thread of this process (dies with it)."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, serialise: bool = True) -> None:
        self._server: BaseWSGIServer = make_server(
            host, port, moto_app(serialise=serialise), threaded=True, request_handler=_QuietHandler
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="moto-emulator", daemon=True
        )

    @property
    def endpoint_url(self) -> str:
        port = self._server.server_address[1]
        return f"http://127.0.0.1:{port}"

    def start(self) -> EmbeddedEmulator:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--serialise", action="store_true")
    args = parser.parse_args(argv)
    server = make_server(
        args.host,
        args.port,
        moto_app(serialise=args.serialise),
        threaded=True,
        request_handler=_QuietHandler,
    )
    with contextlib.suppress(KeyboardInterrupt):
        server.serve_forever()


if __name__ == "__main__":
    main()
