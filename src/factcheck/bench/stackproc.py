"""The local stack as a subprocess (what `make run` starts), for the benchmarks and the
reliability suite: start, stop cleanly (Ctrl-C), kill (SIGKILL), and make sure its
emulator (a separate process in its own session) is gone afterwards."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests

from factcheck.template import REPO_ROOT

STACK_SCRIPT = REPO_ROOT / "infra" / "local_stack.py"
TABLE_NAME = "factcheck-local"


@dataclass
class StackProcess:
    home: Path
    process: subprocess.Popen[bytes]
    info: dict[str, Any]
    log: Path

    @property
    def api(self) -> str:
        return str(self.info["api_url"])

    @property
    def endpoint_url(self) -> str:
        return str(self.info["endpoint_url"])

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.info['tokens'][role]}"}

    def settings(self) -> Any:
        """Settings that reach this stack's table and queues directly (checks, users)."""
        from factcheck.local.resources import provision
        from factcheck.settings import Settings, Target

        base = Settings(
            target=Target.LOCAL,
            endpoint_url=self.endpoint_url,
            table_name=TABLE_NAME,
            cursor_secret=(self.home / "cursor_secret").read_text().strip(),  # type: ignore[arg-type]
        )
        return provision(base, prefix=TABLE_NAME)  # idempotent: returns the queue URLs

    def stop(self, timeout: float = 90) -> int:
        """Ctrl-C, as a user stops it (state exported, emulator stopped)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        return int(self.process.returncode or 0)

    def kill(self) -> None:
        """SIGKILL: no clean-up at all; the emulator keeps running in its own session."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait(timeout=10)

    def kill_everything(self) -> None:
        """SIGKILL the emulator and the stack's process group at once (a power cut, as far
        as processes go); needs a stack started with `new_session=True`."""
        pid = emulator_pid(self.home)
        if pid is not None and pid_alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        deadline = time.monotonic() + 10
        while pid is not None and pid_alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)  # the emulator is not our child: wait until the kernel ends it

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


def start_stack(
    home: Path,
    *,
    sweep_interval: float = 2.0,
    env_extra: dict[str, str] | None = None,
    timeout: float = 120,
    fresh: bool = False,
    journal: bool = True,
    new_session: bool = False,
) -> StackProcess:
    """Start `infra/local_stack.py` on a free port with `home` as its state folder.

    `journal=False` runs the emulator without its durable journal (`--no-journal`: what it
    costs is measured so); `new_session=True` gives the stack its own process group, so a
    test can SIGKILL the whole group (`kill_everything`)."""
    home.mkdir(parents=True, exist_ok=True)
    stack_file = home / "stack.json"
    stack_file.unlink(missing_ok=True)
    args = [sys.executable, str(STACK_SCRIPT), "--port", "0", "--home", str(home), "--no-seeds"]
    args += ["--sweep-interval", str(sweep_interval)]
    if fresh:
        args.append("--fresh")
    if not journal:
        args.append("--no-journal")
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    env.update(env_extra or {})
    log = home / f"stack-{int(time.time() * 1000)}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            args,
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=new_session,
        )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the stack exited early:\n{log.read_text(errors='replace')}")
        if stack_file.exists():
            with contextlib.suppress(ValueError, KeyError, requests.RequestException):
                info = json.loads(stack_file.read_text())
                requests.get(f"{info['api_url']}/health", timeout=2).raise_for_status()
                return StackProcess(home=home, process=proc, info=info, log=log)
        time.sleep(0.2)
    proc.kill()
    kill_emulator(home)
    raise TimeoutError(f"the local stack did not become ready:\n{log.read_text(errors='replace')}")


def emulator_pid(home: Path) -> int | None:
    record = home / "emulator.json"
    try:
        return int(json.loads(record.read_text())["pid"])
    except (OSError, ValueError, KeyError):
        return None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child still answers kill(0); it is dead for our purposes
    with contextlib.suppress(OSError):
        stat = Path(f"/proc/{pid}/stat").read_text()
        return stat.rsplit(")", 1)[1].split()[0] != "Z"
    return True


def kill_emulator(home: Path, pid: int | None = None, timeout: float = 10) -> bool:
    """Stop the emulator recorded in `home/emulator.json` (or `pid`); True if one was running."""
    pid = pid or emulator_pid(home)
    if pid is None or not pid_alive(pid):
        return False
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and pid_alive(pid):
        time.sleep(0.1)
    if pid_alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    (home / "emulator.json").unlink(missing_ok=True)
    return True


def reviewer_tokens(stack: StackProcess, count: int, prefix: str = "bench-reviewer") -> list[str]:
    """`count` distinct reviewer users on the stack's table; their bearer tokens."""
    from factcheck.api.auth import create_user
    from factcheck.domain.models import Role
    from factcheck.storage.dynamo import DynamoRepository

    repo = DynamoRepository(stack.settings())
    return [create_user(repo, f"{prefix}-{i:02d}", Role.REVIEWER)[1] for i in range(count)]


def claim_ids(stack: StackProcess, status: str = "queued", limit: int = 2000) -> list[str]:
    """Ids of claims in `status`, in queue order, through the API's paginated listing."""
    ids: list[str] = []
    cursor: str | None = None
    while len(ids) < limit:
        params: dict[str, Any] = {"status": status, "limit": 100}
        if cursor:
            params["cursor"] = cursor
        resp = requests.get(
            f"{stack.api}/claims", params=params, headers=stack.headers("admin"), timeout=30
        )
        resp.raise_for_status()
        page = resp.json()
        ids.extend(item["id"] for item in page["items"])
        cursor = page.get("next_cursor")
        if not cursor:
            break
    return ids[:limit]


def cpu_seconds(pid: int | None) -> float | None:
    """User + system CPU seconds of a process so far (Linux /proc); None where unknown."""
    if pid is None:
        return None
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU the stack's process and its emulator spend over a span (with `with`): the
    local-stack phases are bound by these two on a small machine, so a change in their
    CPU per operation explains a change in throughput that wall-clock alone cannot."""

    def __init__(self, stack: StackProcess) -> None:
        self.pids = {"stack": stack.process.pid, "emulator": emulator_pid(stack.home)}
        self.spent: dict[str, float] = {}

    def __enter__(self) -> CpuMeter:
        self._start = {name: cpu_seconds(pid) for name, pid in self.pids.items()}
        return self

    def __exit__(self, *_: object) -> None:
        for name, pid in self.pids.items():
            before, after = self._start[name], cpu_seconds(pid)
            if before is not None and after is not None:
                self.spent[name] = after - before

    def per(self, operations: int) -> dict[str, float]:
        """Milliseconds of CPU a process spent per operation."""
        if operations <= 0:
            return {}
        return {name: round(s * 1000 / operations, 1) for name, s in self.spent.items()}
