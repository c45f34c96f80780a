"""A webhook receiver on 127.0.0.1 for tests: answers 204 once started and records every
delivery by its `X-Factcheck-Delivery` id (the event id receivers de-duplicate on).

It runs in the test's own process, so it outlives any stack the test kills."""

from __future__ import annotations

import socket
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


class Receiver:
    """Acknowledges (204) every POST once started; records each X-Factcheck-Delivery."""

    def __init__(self) -> None:
        with socket.socket() as probe:  # a free port, nobody listening yet: "down"
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.acknowledged: Counter[str] = Counter()
        self.types: dict[str, str] = {}  # event id -> X-Factcheck-Event
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def received(self) -> Counter[str]:
        with self._lock:
            return Counter(self.acknowledged)

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                self.rfile.read(int(self.headers["Content-Length"]))
                with receiver._lock:
                    delivery = self.headers["X-Factcheck-Delivery"]
                    receiver.acknowledged[delivery] += 1
                    receiver.types[delivery] = self.headers["X-Factcheck-Event"]
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
