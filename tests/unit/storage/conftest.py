"""Storage unit tests: a DynamoRepository on fresh template resources inside `mock_aws`."""

from __future__ import annotations

from collections.abc import Iterator

import pytest


@pytest.fixture(scope="module")
def aws() -> Iterator[None]:
    """One `mock_aws` per module instead of per test: starting it costs more than most of
    these tests. Isolation is kept: every test still gets its own fresh table and queues
    (`mock_settings` names them uniquely)."""
    from moto import mock_aws

    with mock_aws():
        yield
