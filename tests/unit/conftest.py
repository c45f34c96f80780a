"""Fixtures shared by the in-process unit tests: a repository on fresh template resources
(`mock_settings`, in moto's `mock_aws`), the API app on it with a Flask test client, and one
user per role with helpers that authenticate as them."""

from __future__ import annotations

from collections.abc import Callable, Iterator

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


@pytest.fixture
def settings(mock_settings: Settings) -> Settings:
    """The settings the repository and app use; a test module overrides it to change one."""
    return mock_settings


@pytest.fixture
def repo(settings: Settings) -> DynamoRepository:
    return DynamoRepository(settings)


@pytest.fixture
def app(settings: Settings, repo: DynamoRepository) -> Iterator[Flask]:
    app = create_app(settings, repository=repo)
    app.config["TESTING"] = True
    yield app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def tokens(repo: DynamoRepository) -> dict[str, str]:
    """name -> bearer token, for every user in USERS."""
    return {name: create_user(repo, name, role)[1] for name, role in USERS.items()}


@pytest.fixture
def as_user(tokens: dict[str, str]) -> Callable[[str], dict[str, str]]:
    """Headers that authenticate as the named user."""

    def headers(name: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {tokens[name]}"}

    return headers
