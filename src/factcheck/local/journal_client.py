"""What the local stack asks of its emulator's own endpoints (`emulator.py`, `/_factcheck/`).

- `claim`: this process now owns the emulator; with `release=<pid of the previous owner>`,
  every message that owner had received and not deleted becomes visible at once. The
  stack calls it when it adopts an emulator whose previous owner is gone: that process
  will never delete them, so waiting out the visibility timeout (minutes) would only
  delay the work. Redelivery is safe: every handler is idempotent.
- `status`: item and message counts, and what the journal replayed at start.
"""

from __future__ import annotations

import json
import urllib.request
from typing import Any


def _call(url: str, *, body: dict[str, Any] | None = None, timeout: float = 30) -> Any:
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(url, data=data, method="POST" if data else "GET")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())


def status(endpoint_url: str) -> dict[str, Any]:
    return dict(_call(f"{endpoint_url}/_factcheck/status"))


def claim(endpoint_url: str, pid: int, *, release: int | None = None) -> int:
    """Become the owner; returns how many of `release`'s in-flight messages were freed."""
    got = _call(f"{endpoint_url}/_factcheck/owner", body={"pid": pid, "release": release})
    return int(got["released"])


def empty(info: dict[str, Any]) -> bool:
    """Nothing was replayed and nothing is stored: a first start (or after --fresh)."""
    replay = info.get("replay") or {}
    return not replay.get("records") and not any(info.get("items", {}).values())


def alive(pid: int) -> bool:
    """The process exists and is not a zombie (a killed child not yet reaped is gone)."""
    import os
    from pathlib import Path

    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return True
