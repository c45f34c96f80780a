"""What a starting local stack checks before it touches anything of its home folder.

A second `make run` in the same checkout must not break the first: it would adopt the
first one's emulator, fail to bind the API port, and on its way out stop that emulator and
delete its `emulator.json`. So, before the emulator is started or adopted:

- a stack whose `stack.json` URLs answer (API and emulator) is running: refuse, say where;
- an emulator whose owner (the stack process recorded in `emulator.json`) is alive is in
  use, even before that stack's API answers (it may be replaying its journal): refuse;
- the API port must be free, else the start would fail half-way: refuse, say which port.

The emulator's port is chosen once per home folder (`emulator_port`) and reused while it
is free, so scripts that saved the endpoint keep working across restarts.
"""

from __future__ import annotations

import contextlib
import errno
import json
import socket
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

from factcheck.local import journal_client
from factcheck.local.moto_process import free_port

PORT_FILE = "emulator_port"


class StackStartRefused(RuntimeError):
    """Starting would break something already running; nothing was touched."""


class StackAlreadyRunning(StackStartRefused):
    def __init__(self, home: Path, info: dict[str, Any]) -> None:
        self.home = home
        self.info = info
        where = info.get("web_url") or info.get("api_url") or info.get("endpoint_url", "?")
        owner = f" (process {info['owner']})" if info.get("owner") else ""
        super().__init__(
            f"a local stack is already running from {home}/{owner}: {where}\n"
            f"  URLs and tokens: {home}/stack.json. Stop it (Ctrl-C in its terminal) "
            "before starting another, or use --home DIR for a second, separate stack."
        )


def _get(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=3):
            return True
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        return False


def running_stack(home: Path) -> dict[str, Any] | None:
    """`stack.json` of the stack serving from `home` now (its API and emulator answer)."""
    try:
        info = json.loads((home / "stack.json").read_text(encoding="utf-8"))
        api_url, endpoint_url = str(info["api_url"]), str(info["endpoint_url"])
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if not (_get(f"{api_url}/health") and _get(f"{endpoint_url}/moto-api/")):
        return None
    with contextlib.suppress(OSError, ValueError, KeyError, TypeError):  # only for the message
        info["owner"] = json.loads((home / "emulator.json").read_text())["owner"]
    return dict(info)


def _is_stack_process(pid: int) -> bool:
    """Alive and (where /proc says) a Python process: a reused pid of a crashed stack's
    owner is some other program, and must not block a restart."""
    if not journal_client.alive(pid):
        return False
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return True  # no /proc: trust the pid
    return b"python" in cmdline.lower() or b"factcheck" in cmdline


def owner_running(owner: object, me: int) -> bool:
    """The emulator's recorded owner is another stack process that is still running."""
    try:
        pid = int(str(owner))
    except ValueError:
        return False
    return pid != me and _is_stack_process(pid)


def port_free(host: str, port: int) -> bool:
    """Whether a server could listen on host:port now (SO_REUSEADDR, as waitress and the
    emulator's werkzeug bind: a port in TIME_WAIT counts as free)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            if exc.errno in (errno.EADDRINUSE, errno.EACCES):
                return False
            raise
    return True


def refuse_to_start(home: Path, host: str, port: int) -> None:
    """Raise StackStartRefused if starting a stack from `home` on host:port would fail or
    break another; touches nothing."""
    info = running_stack(home)
    if info is not None:
        raise StackAlreadyRunning(home, info)
    if port and not port_free(host, port):
        raise StackStartRefused(
            f"port {port} on {host} is in use by another program: stop it, or start the "
            "stack on another port (make run PORT=8001, or --port 0 for any free port)"
        )


def emulator_port(home: Path) -> int:
    """The emulator's port for this home folder: the one chosen before while it is free,
    else a new free one (remembered for the next start)."""
    path = home / PORT_FILE
    with contextlib.suppress(OSError, ValueError):
        port = int(path.read_text().strip())
        if 0 < port < 65536 and port_free("127.0.0.1", port):
            return port
    port = free_port()
    home.mkdir(parents=True, exist_ok=True)
    path.write_text(f"{port}\n")
    return port
