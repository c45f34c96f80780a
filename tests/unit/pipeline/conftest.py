"""Pipeline unit fixtures: in-process moto, the real repository and queues, bound services."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from factcheck.pipeline import services as services_mod
from factcheck.pipeline.queues import Queues, RetryPolicy
from factcheck.pipeline.services import Services
from factcheck.settings import Settings

NO_WAIT = RetryPolicy(attempts=4, base_delay=0.0, max_delay=0.0)


@pytest.fixture
def services(mock_settings: Settings) -> Iterator[Services]:
    """Services on fresh moto resources, bound so the handlers use them."""
    deps = Services.from_settings(mock_settings, queues=Queues(mock_settings, retry=NO_WAIT))
    with services_mod.bind(deps):
        yield deps
