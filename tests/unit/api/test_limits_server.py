"""Errors outside the views: the HTTP server's own refusals come in the API's envelope, and
an API error's log carries no context of a Lambda handler run in another thread."""

from __future__ import annotations

from typing import Any

import pytest

from factcheck.api import create_app

pytestmark = pytest.mark.unit


class ExplodingRepository:
    """A repository whose every call fails in a way nobody planned for."""

    def __getattr__(self, name: str) -> Any:
        def fail(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("secret internal detail")

        return fail


def test_an_api_error_is_not_logged_with_the_context_of_a_function_run_in_another_thread(
    mock_settings: Any,
) -> None:
    # GIVEN a Lambda handler that ran in another thread of the same process (the local stack)
    import io
    import json
    import threading
    from types import SimpleNamespace

    from factcheck.observability import logger

    @logger.inject_lambda_context
    def handler(event: dict[str, Any], context: Any) -> None:
        logger.info("extracting")

    context = SimpleNamespace(
        function_name="ExtractFunction",
        memory_limit_in_mb=512,
        invoked_function_arn="arn:aws:lambda:eu-west-1:000000000000:function:ExtractFunction",
        aws_request_id="req-1",
    )
    # this thread starts clean: earlier tests in the session invoke handlers in it (as a
    # Lambda invocation would, one per process), and their keys are this thread's
    logger.clear_state()
    stream = io.StringIO()
    previous = logger.registered_handler.setStream(stream)  # type: ignore[attr-defined]
    try:
        worker = threading.Thread(target=handler, args=({}, context))
        worker.start()
        worker.join(timeout=30)
        assert not worker.is_alive(), "the handler thread did not finish in 30 s"
        # WHEN the API, in this thread, fails unexpectedly
        app = create_app(mock_settings, repository=ExplodingRepository())
        assert app.test_client().get("/claim-reviews").status_code == 500
    finally:
        logger.registered_handler.setStream(previous)  # type: ignore[attr-defined]
    records = [json.loads(line) for line in stream.getvalue().splitlines() if line.strip()]
    # THEN the function's log carries its context and the API's error log does not
    by_message = {r["message"]: r for r in records}
    assert by_message["extracting"]["function_name"] == "ExtractFunction"
    api_error = by_message["unhandled error in the API"]
    assert "function_name" not in api_error and "function_request_id" not in api_error


RAW_REQUESTS = [
    ("nul in a header", b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n", 400),
    ("malformed header line", b"GET /healthz HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n", 400),
    (
        "bad content-length",
        b"POST /documents HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        400,
    ),
    ("bare lf", b"GET /healthz HTTP/1.1\nHost: x\r\n\r\n", 400),
    (
        "unknown transfer-encoding",
        b"POST /documents HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        501,
    ),
]


@pytest.mark.allow_hosts(["127.0.0.1"])  # the server runs on this machine
@pytest.mark.parametrize(
    ("raw", "status"), [r[1:] for r in RAW_REQUESTS], ids=[r[0] for r in RAW_REQUESTS]
)
def test_a_request_the_http_server_itself_refuses_gets_the_error_envelope(
    raw: bytes, status: int, mock_settings: Any
) -> None:
    # GIVEN the API served as the local stack serves it
    import json
    import socket
    import threading

    from factcheck.local.http_server import create_http_server

    server = create_http_server(create_app(mock_settings), host="127.0.0.1", port=0, threads=2)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        # WHEN a request waitress cannot parse arrives
        with socket.create_connection(server.socket.getsockname()[:2], timeout=30) as conn:
            conn.sendall(raw)
            reply = b""
            while chunk := conn.recv(65536):
                reply += chunk
    finally:
        server.close()
        thread.join(timeout=30)
    # THEN the answer is the API's JSON error envelope, not waitress's text/plain page
    head, _, body = reply.partition(b"\r\n\r\n")
    assert head.split(b" ", 2)[1] == str(status).encode(), reply[:300]
    assert b"content-type: application/json" in head.lower(), head
    envelope = json.loads(body)
    assert envelope["status"] == status
    assert set(envelope) == {"status", "code", "message", "errors"}
    assert envelope["code"] in ("bad_request", "not_implemented")
    assert "waitress" not in envelope["message"]
