"""The moto speed patches apply only to the moto versions they were tested with."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import tomllib
from pathlib import Path
from typing import Any

import pytest
from packaging.requirements import Requirement
from packaging.version import Version

from factcheck.local import moto_patches

pytestmark = pytest.mark.integration

PYPROJECT = Path(__file__).resolve().parents[3] / "pyproject.toml"
# Run in a child process: applying a patch changes moto for the whole process.
PROBE = """
import json, warnings
from moto.dynamodb.models import DynamoDBBackend
from moto.sqs.models import SQSBackend
from factcheck.local import moto_patches
before = (DynamoDBBackend.transact_write_items, SQSBackend.get_queue_attributes)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    installed = moto_patches.apply({version!r})
    again = moto_patches.apply({version!r})
after = (DynamoDBBackend.transact_write_items, SQSBackend.get_queue_attributes)
print(json.dumps({{
    "installed": installed,
    "again": again,
    "warnings": [(w.category.__name__, str(w.message)) for w in caught],
    "unchanged": [a is b for a, b in zip(before, after)],
}}))
"""


def _probe(version: str | None) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(version=version)],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    )
    result: dict[str, Any] = json.loads(out.stdout)
    return result


@pytest.mark.parametrize("version", ["5.2.4", "5.3.0", "6.0.0"])
def test_an_untested_moto_skips_every_patch_with_a_warning(version: str) -> None:
    result = _probe(version)
    assert result["installed"] == result["again"] == []
    assert result["unchanged"] == [True, True]  # moto's own methods left in place
    assert [category for category, _ in result["warnings"]] == ["UntestedMotoWarning"] * len(
        moto_patches.PATCHES
    )
    for patch, (_, message) in zip(moto_patches.PATCHES, result["warnings"], strict=True):
        assert patch.module in message and version in message


def test_the_installed_moto_gets_every_patch_once_without_a_warning() -> None:
    result = _probe(None)
    assert result["installed"] == [p.module for p in moto_patches.PATCHES]
    assert result["again"] == result["installed"]
    assert result["unchanged"] == [False, False]
    assert result["warnings"] == []


def test_the_dependency_range_is_the_range_the_patches_were_tested_with() -> None:
    extras = tomllib.loads(PYPROJECT.read_text())["project"]["optional-dependencies"]
    (moto,) = [Requirement(r) for r in extras["local"] if Requirement(r).name == "moto"]
    assert moto.specifier == moto_patches.TESTED_MOTO
    assert all(patch.tested == moto_patches.TESTED_MOTO for patch in moto_patches.PATCHES)
    assert Version(importlib.metadata.version("moto")) in moto.specifier
