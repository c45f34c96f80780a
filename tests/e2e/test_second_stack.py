"""A second `make run` in the same checkout: it says where the running stack is, exits
non-zero, and leaves the running stack exactly as it was (issue 18, item 8)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from .conftest import REPO_ROOT, RunningStack, start_stack

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def _second_stack(home: Path, port: int) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, str(REPO_ROOT / "infra" / "local_stack.py"), "--port", str(port)]
    args += ["--home", str(home), "--no-seeds"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("FACTCHECK_")}
    return subprocess.run(
        args,
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,  # it must refuse at once; the bound only catches a hang
    )


def _emulator_pid(home: Path) -> int:
    return int(json.loads((home / "emulator.json").read_text())["pid"])


def test_a_second_stack_in_the_same_home_says_where_the_first_is_and_leaves_it_running(
    stack: RunningStack, stack_home: Path
) -> None:
    # GIVEN a running stack, its emulator's record and process
    record_before = (stack_home / "emulator.json").read_text()
    emulator_pid = _emulator_pid(stack_home)
    port = urlsplit(stack.api).port
    assert port is not None

    # WHEN a second stack is started in the same home, on the same port (`make run` twice)
    second = _second_stack(stack_home, port)

    # THEN it exits non-zero, saying where the running stack is, without a traceback
    output = second.stdout + second.stderr
    assert second.returncode != 0, output
    assert stack.info["web_url"] in output
    assert "Traceback" not in output

    # AND the first stack still works: its emulator, its record, an authenticated call
    os.kill(emulator_pid, 0)  # raises if the emulator was stopped
    assert (stack_home / "emulator.json").read_text() == record_before
    requests.get(f"{stack.info['endpoint_url']}/moto-api/", timeout=5).raise_for_status()
    claims = requests.get(f"{stack.api}/claims", headers=stack.headers("reviewer"), timeout=10)
    assert claims.status_code == 200, claims.text
    assert stack.process.poll() is None


def test_the_emulator_keeps_its_port_across_restarts_of_the_stack(
    stack: RunningStack, stack_home: Path
) -> None:
    # GIVEN the emulator's endpoint of a first run
    first_endpoint = stack.info["endpoint_url"]

    # WHEN the stack is stopped (Ctrl-C) and started again in the same home
    stack.stop()
    again = start_stack(stack_home)
    try:
        # THEN the emulator answers on the same endpoint, and stack.json says so
        assert again.info["endpoint_url"] == first_endpoint
        assert again.info["resources"]["endpoint_url"] == first_endpoint
        requests.get(f"{first_endpoint}/moto-api/", timeout=5).raise_for_status()
    finally:
        again.stop()
