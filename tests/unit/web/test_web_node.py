"""The page's code that needs no DOM (format.js, store.js, dom.js's guard, document-parts.js)
under Node's own test runner (no packages needed)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

pytestmark = pytest.mark.unit

HERE = Path(__file__).parent


@pytest.mark.parametrize(
    "suite", ["format.test.mjs", "store.test.mjs", "dom.test.mjs", "document.test.mjs"]
)
def test_the_module_passes_its_node_tests(suite: str) -> None:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed (the Makefile's lint needs it too)")
    result = subprocess.run(
        [node, "--test", str(HERE / suite)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
