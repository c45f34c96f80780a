"""Storage integration tests: a DynamoRepository on fresh template resources of a moto
server process (the same HTTP path as LocalStack or AWS)."""

from __future__ import annotations

import pytest

from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository


@pytest.fixture
def repo(server_settings: Settings) -> DynamoRepository:
    return DynamoRepository(server_settings)
