"""Shared fixtures: fake credentials -> an AWS backend (in-process moto or a moto server
process) -> table and queues created from template.yaml -> settings pointing at them.

The backend for integration tests is a moto server process by default; set
FACTCHECK_TEST_BACKEND=localstack (and FACTCHECK_TEST_LOCALSTACK_URL) to aim the queue tests
at a running LocalStack instead.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

# Fake credentials before anything creates a boto3 client: nothing may reach real AWS.
for _key, _value in {
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_SECURITY_TOKEN": "testing",
    "AWS_SESSION_TOKEN": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}.items():
    os.environ[_key] = _value
for _key in list(os.environ):
    if _key.startswith("FACTCHECK_") and not _key.startswith("FACTCHECK_TEST_"):
        del os.environ[_key]

from factcheck.local.moto_process import MotoProcess, start_moto  # noqa: E402
from factcheck.local.resources import provision  # noqa: E402
from factcheck.settings import Settings  # noqa: E402

REPO_ROOT = Path(__file__).resolve().parents[1]
SHARED_EVAL = REPO_ROOT.parent / "shared" / "eval"
SEED_ARTICLE = next((REPO_ROOT / "seeds").glob("*.txt"))
_names = itertools.count()


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED_ARTICLE.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoProcess]:
    """One moto server process for the session; each test gets its own table and queues."""
    server = start_moto()
    try:
        yield server
    finally:
        server.stop()


def _fresh_settings(endpoint_url: str | None, **overrides: object) -> Settings:
    name = f"t{os.getpid()}-{next(_names)}"
    base = Settings(
        endpoint_url=endpoint_url,
        table_name=name,
        cursor_secret="test-cursor-secret-0123456789",  # type: ignore[arg-type]
        **overrides,  # type: ignore[arg-type]
    )
    return provision(base, prefix=name)


@pytest.fixture(scope="session")
def fresh_settings() -> Callable[..., Settings]:
    """`fresh_settings(endpoint_url, **overrides)`: settings for a new, uniquely named table
    and queues; for a fixture that overrides `mock_settings` at another scope."""
    return _fresh_settings


@pytest.fixture
def server_settings(moto_server: MotoProcess) -> Settings:
    """Settings for fresh resources on the moto server process (integration tests)."""
    return _fresh_settings(moto_server.endpoint_url)


@pytest.fixture
def aws() -> Iterator[None]:
    """In-process moto for unit tests; boto3 clients must be created inside it."""
    from moto import mock_aws

    with mock_aws():
        yield


@pytest.fixture
def mock_settings(aws: None) -> Settings:
    """Settings for fresh resources inside `mock_aws` (unit tests)."""
    return _fresh_settings(None)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Unit tests run with the network blocked (pytest-socket): a test that needs a socket
    says so with `@pytest.mark.allow_hosts(["127.0.0.1"])` (or `enable_socket`)."""
    for item in items:
        if item.get_closest_marker("unit") is None:
            continue
        if item.get_closest_marker("allow_hosts") or item.get_closest_marker("enable_socket"):
            continue
        item.add_marker(pytest.mark.disable_socket)
