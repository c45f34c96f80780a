"""Fixtures shared by the in-process unit tests: a repository on fresh template resources
(`mock_settings`, in moto's `mock_aws`), the API app on it with a Flask test client, and one
user per role with helpers that authenticate as them.

One chain: aws -> mock_settings -> settings -> repo -> app -> tokens (-> client, as_user).
By default every test gets its own. A module whose many small tests can share one table,
app and set of users (each seeding fresh documents) overrides the base of the chain at
module scope, as tests/unit/storage/conftest.py overrides `aws`:

    aws, mock_settings, settings, repo, app, tokens = share_per_module()
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from factcheck.api import create_app
from factcheck.api.auth import create_user
from factcheck.domain.models import Role
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

# Users the tests act as: name -> role. Two reviewers and two editors, so that "someone
# else's lease" and "another editor approves" can be written.
USERS: dict[str, Role] = {
    "sam-submitter": Role.SUBMITTER,
    "rita-reviewer": Role.REVIEWER,
    "rob-reviewer": Role.REVIEWER,
    "eve-editor": Role.EDITOR,
    "ed-editor": Role.EDITOR,
    "ada-admin": Role.ADMIN,
}


def _chain(scope: Any) -> tuple[Any, ...]:
    """settings -> repo -> app -> tokens at `scope`: one definition for every scope."""

    @pytest.fixture(scope=scope, name="settings")
    def settings(mock_settings: Settings) -> Settings:
        """The settings the repository and app use; a test module overrides it to change one."""
        return mock_settings

    @pytest.fixture(scope=scope, name="repo")
    def repo(settings: Settings) -> DynamoRepository:
        return DynamoRepository(settings)

    @pytest.fixture(scope=scope, name="app")
    def app(settings: Settings, repo: DynamoRepository) -> Flask:
        app = create_app(settings, repository=repo)
        app.config["TESTING"] = True
        return app

    @pytest.fixture(scope=scope, name="tokens")
    def tokens(repo: DynamoRepository) -> dict[str, str]:
        """name -> bearer token, for every user in USERS."""
        return {name: create_user(repo, name, role)[1] for name, role in USERS.items()}

    return settings, repo, app, tokens


settings, repo, app, tokens = _chain("function")


def share_per_module() -> tuple[Any, ...]:
    """The chain from `aws` to `tokens` at module scope, for a test module to override the
    function-scoped one with (see the module docstring). `mock_aws`, provisioning, the app
    and the users are set up once per module (about 0.6 s a test otherwise)."""

    @pytest.fixture(scope="module", name="aws")
    def aws() -> Iterator[None]:
        from moto import mock_aws

        with mock_aws():
            yield

    @pytest.fixture(scope="module", name="mock_settings")
    def mock_settings(aws: None, fresh_settings: Callable[..., Settings]) -> Settings:
        return fresh_settings(None)

    return (aws, mock_settings, *_chain("module"))


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def as_user(tokens: dict[str, str]) -> Callable[[str], dict[str, str]]:
    """Headers that authenticate as the named user."""

    def headers(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}"}

    return headers
