"""moto's server app, serialised like the local emulator, with or without the speed patches.

`python tests/integration/local/serve_moto.py --port P [--patched]` prints the patches it
installed (a JSON list) on its first line, then serves. Both sides of the differential test
run this same file, so the patches are the only thing that differs between them.
"""

from __future__ import annotations

import argparse
import io
import json
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any

import waitress
from moto.server import DomainDispatcherApplication, create_backend_app

from factcheck.local import moto_patches

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def serialised(app: WSGIApp) -> WSGIApp:
    """One DynamoDB request at a time, each noted for the patches (as `SerialisedApp`)."""
    lock = threading.Lock()

    def serve(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        target = environ.get("HTTP_X_AMZ_TARGET", "")
        if not target.startswith("DynamoDB"):
            return list(app(environ, start_response))
        with lock:
            raw = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
            environ["wsgi.input"] = io.BytesIO(raw)
            moto_patches.note_request(target.rpartition(".")[2], raw)
            return list(app(environ, start_response))

    return serve


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--patched", action="store_true")
    args = parser.parse_args()
    installed = moto_patches.apply() if args.patched else []
    print(json.dumps(installed), flush=True)
    app = serialised(DomainDispatcherApplication(create_backend_app))
    waitress.serve(app, host="127.0.0.1", port=args.port, threads=8, _quiet=True)


if __name__ == "__main__":
    sys.exit(main())
