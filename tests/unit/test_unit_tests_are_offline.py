"""Unit tests run with the network blocked (pytest-socket, switched on in tests/conftest.py
for every test marked `unit`); a test that needs this machine says so with `allow_hosts`."""

from __future__ import annotations

import socket
import threading

import pytest
from pytest_socket import SocketBlockedError, SocketConnectBlockedError

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    "connect",
    [
        lambda: socket.create_connection(("127.0.0.1", 9), timeout=1),
        lambda: socket.getaddrinfo("example.com", 443),
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
    ],
    ids=["connect to this machine", "resolve a name", "open a socket"],
)
def test_a_unit_test_cannot_open_a_socket_or_resolve_a_name(connect: object) -> None:
    with pytest.raises(SocketBlockedError):
        connect()  # type: ignore[operator]


@pytest.mark.allow_hosts(["127.0.0.1"])
def test_a_test_allowed_this_machine_reaches_it_and_nothing_else() -> None:
    # GIVEN a listener on 127.0.0.1
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        accepted = threading.Thread(target=lambda: server.accept()[0].close(), daemon=True)
        accepted.start()

        # WHEN the test connects to it, THEN it may; any other host stays blocked
        socket.create_connection(server.getsockname(), timeout=5).close()
        accepted.join(timeout=5)
        with pytest.raises(SocketConnectBlockedError):
            socket.create_connection(("192.0.2.1", 80), timeout=1)
