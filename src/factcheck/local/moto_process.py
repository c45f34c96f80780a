"""Start a moto server as a child process on 127.0.0.1 and wait until it answers.

Used by the integration tests and by the local stack. A separate process (not the
in-thread ThreadedMotoServer) so a crash or SIGKILL of the app does not take the emulator
down with it, and so the tests exercise the same HTTP path as LocalStack or AWS.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


@dataclass
class MotoProcess:
    endpoint_url: str
    process: subprocess.Popen[bytes]

    def reset(self) -> None:
        """Forget every resource (moto's documented reset endpoint)."""
        req = urllib.request.Request(f"{self.endpoint_url}/moto-api/reset", method="POST")
        with urllib.request.urlopen(req, timeout=10):
            pass

    def stop(self, timeout: float = 60) -> None:
        """SIGTERM (a journalled emulator writes its snapshot first), SIGKILL past `timeout`."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def _wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"moto server exited with status {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/moto-api/", timeout=1):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.05)
    raise TimeoutError(f"moto server at {url} not ready after {timeout:.0f}s")


def start_moto(
    port: int | None = None,
    *,
    serialise: bool = False,
    new_session: bool = False,
    log: Path | None = None,
    timeout: float = 30.0,
    journal: Path | None = None,
    compact_every: int | None = None,
) -> MotoProcess:
    """Start moto's server on 127.0.0.1 (a free port unless one is given).

    `serialise=True` runs it behind `factcheck.local.emulator`'s one-request-at-a-time lock.
    `journal=DIR` (implies `serialise`) makes it durable: it replays DIR on start (the wait
    for readiness includes the replay) and journals every change there before answering.
    `new_session=True` keeps it out of the caller's process group, so a Ctrl-C meant for
    the caller does not kill it before the caller has saved its state.
    """
    port = port or free_port()
    url = f"http://127.0.0.1:{port}"
    out = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115 - owned by the child
    env = {**os.environ, "MOTO_PORT": str(port)}
    if serialise or journal is not None:
        cmd = [sys.executable, "-m", "factcheck.local.emulator", "--port", str(port), "--serialise"]
        if journal is not None:
            cmd += ["--journal", str(journal)]
        if compact_every is not None:
            cmd += ["--compact-every", str(compact_every)]
    else:
        cmd = [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)]
    proc = subprocess.Popen(
        cmd,
        stdout=out,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=new_session,
    )
    try:
        _wait_ready(url, proc, timeout)
    except BaseException:
        proc.kill()
        raise
    return MotoProcess(endpoint_url=url, process=proc)


@contextlib.contextmanager
def running_moto(
    port: int | None = None, *, serialise: bool = False, journal: Path | None = None
) -> Iterator[MotoProcess]:
    server = start_moto(port, serialise=serialise, journal=journal)
    try:
        yield server
    finally:
        server.stop()
