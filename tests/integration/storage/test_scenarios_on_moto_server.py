"""The storage unit scenarios, run unchanged against a moto server process.

One test body, two backends: the unit modules in tests/unit/storage are loaded here and
their tests collected again; `repo` (tests/integration/storage/conftest.py) now talks HTTP to
a real moto server, the path LocalStack and AWS take.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

UNIT = Path(__file__).resolve().parents[2] / "unit" / "storage"
SCENARIOS = ("test_claim_lifecycle.py", "test_review_queue.py", "test_documents.py")


def _load(filename: str) -> dict[str, object]:
    spec = importlib.util.spec_from_file_location(f"_server_{filename[:-3]}", UNIT / filename)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return {k: v for k, v in vars(module).items() if k.startswith("test_")}


for _filename in SCENARIOS:
    globals().update(_load(_filename))
