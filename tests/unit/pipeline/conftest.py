"""Pipeline unit fixtures: in-process moto, the real repository and queues, bound services."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[2]
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))  # tests/events: sample events, factories, fault injectors

from factcheck.pipeline import services as services_mod  # noqa: E402
from factcheck.pipeline.queues import Queues, RetryPolicy  # noqa: E402
from factcheck.pipeline.services import Services  # noqa: E402
from factcheck.settings import Settings  # noqa: E402

NO_WAIT = RetryPolicy(attempts=4, base_delay=0.0, max_delay=0.0)


@pytest.fixture
def services(mock_settings: Settings) -> Iterator[Services]:
    """Services on fresh moto resources, bound so the handlers use them."""
    deps = Services.from_settings(mock_settings, queues=Queues(mock_settings, retry=NO_WAIT))
    with services_mod.bind(deps):
        yield deps
