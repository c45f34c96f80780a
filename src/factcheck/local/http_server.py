"""The local stack's HTTP server: waitress, answering its own errors in the API's envelope.

waitress refuses some requests before the WSGI app sees them (a NUL or a bare LF in a
header, a malformed header line, a bad Content-Length, an unknown Transfer-Encoding) and
answers them with a text/plain page. Clients of the API expect one JSON error shape
everywhere, so the channel's error task writes the envelope instead. This reaches into
waitress's `HTTPChannel.error_task_class` and `ErrorTask` (waitress>=3.0, as pinned; a
unit test in tests/unit/api/test_errors.py fails if they move). On Lambda, API Gateway
parses HTTP and these requests never reach the function.
"""

from __future__ import annotations

import json
from typing import Any

import waitress
from waitress.channel import HTTPChannel
from waitress.task import ErrorTask

from factcheck.api.errors import code_for_status, envelope_body


class JsonErrorTask(ErrorTask):
    """waitress's error response, as the API's JSON error envelope."""

    def execute(self) -> None:
        error = self.request.error
        status = int(error.code)
        detail = str(error.body).strip().rstrip(".")
        message = f"The HTTP request could not be read: {detail}." if detail else error.reason
        body = json.dumps(envelope_body(status, code_for_status(status), message)).encode()
        self.status = f"{status} {error.reason}"
        self.response_headers.append(("Content-Type", "application/json"))
        self.set_close_on_finish()
        self.content_length = len(body)
        self.write(body)


class JsonErrorChannel(HTTPChannel):
    error_task_class = JsonErrorTask


def create_http_server(app: Any, *, host: str, port: int, threads: int) -> Any:
    """A waitress server for `app` (not started) whose own errors are JSON envelopes."""
    server = waitress.create_server(app, host=host, port=port, threads=threads)
    server.channel_class = JsonErrorChannel
    return server
