"""Run the real local stack (`factcheck stack`) as a subprocess, as a user would."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class RunningStack:
    home: Path
    process: subprocess.Popen[str]
    info: dict[str, Any]

    @property
    def api(self) -> str:
        return str(self.info["api_url"])

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.info['tokens'][role]}"}

    def stop(self) -> str:
        """Ctrl-C, as a user stops it; returns what it printed."""
        self.process.send_signal(signal.SIGINT)
        out, _ = self.process.communicate(timeout=60)
        assert self.process.returncode == 0, out
        return out


def start_stack(
    home: Path,
    *,
    seeds: Path | None = None,
    timeout: float = 90,
    env: dict[str, str] | None = None,
) -> RunningStack:
    """The stack as a subprocess; `env`: FACTCHECK_* settings for it (none are inherited)."""
    stack_file = home / "stack.json"
    stack_file.unlink(missing_ok=True)
    args = [sys.executable, str(REPO_ROOT / "infra" / "local_stack.py"), "--port", "0"]
    args += ["--home", str(home), "--sweep-interval", "2"]
    args += ["--seeds", str(seeds)] if seeds else ["--no-seeds"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")} | (env or {})
    proc = subprocess.Popen(
        args, cwd=REPO_ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"stack exited early:\n{proc.stdout.read() if proc.stdout else ''}")
        if stack_file.exists():
            try:
                info = json.loads(stack_file.read_text())
                requests.get(f"{info['api_url']}/health", timeout=2).raise_for_status()
                return RunningStack(home=home, process=proc, info=info)
            except (ValueError, requests.RequestException):
                pass
        time.sleep(0.2)
    proc.kill()
    raise TimeoutError("the local stack did not become ready")


def wait_for_seeds_extracted(stack: RunningStack, timeout: float = 180) -> None:
    """Wait until every document the stack seeded is extracted (its claims all stored), as
    its status in the API says; the claims of a document still extracting keep arriving."""
    pending = list(stack.info["seeded"])
    deadline = time.monotonic() + timeout
    while pending:
        doc_id = pending[0]
        got = requests.get(
            f"{stack.api}/documents/{doc_id}", headers=stack.headers("editor"), timeout=5
        )
        status = got.json().get("status") if got.ok else None
        if status == "extracted":
            pending.pop(0)
            continue
        if status in ("failed", "no_text", "unsupported_language"):
            raise AssertionError(f"seed document {doc_id} ended {status}, not extracted")
        if time.monotonic() > deadline:
            raise TimeoutError(f"seed document {doc_id} still {status!r} after {timeout:.0f}s")
        time.sleep(0.2)


@pytest.fixture
def stack_home(tmp_path: Path) -> Path:
    return tmp_path / "factcheck-home"


@pytest.fixture
def stack(stack_home: Path) -> Iterator[RunningStack]:
    running = start_stack(stack_home)
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.stop()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    """Keep each phase's report on the item (`item.rep_call`...) so fixtures can see a
    failure in their teardown (the browser tests save screenshots then)."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report
