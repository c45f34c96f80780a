"""API fixtures: in-process moto (table and queues from template.yaml) -> repository ->
app -> Flask test client, plus one user per role and helpers to seed claims."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from factcheck.api import create_app
from factcheck.api.auth import create_user
from factcheck.domain.models import Claim, Document, Role
from factcheck.ids import claim_id, document_id
from factcheck.local.resources import provision
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
def repo(mock_settings: Settings) -> DynamoRepository:
    return DynamoRepository(mock_settings)


@pytest.fixture
def app(mock_settings: Settings, repo: DynamoRepository) -> Iterator[Flask]:
    app = create_app(mock_settings, repository=repo)
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


SENTENCES = (
    "Russia fires two to three times as much ammunition per year as all of NATO combined.",
    "Sanctions are unlikely to change Putin's calculus.",
    "Its economy has fared remarkably well despite the West's collective best efforts.",
)
ARTICLE = " ".join(SENTENCES)


_documents = itertools.count()


def make_seeder(repo: DynamoRepository) -> Callable[..., list[Claim]]:
    """Store a new document (unique text) and its queued claims, scores descending."""

    def seed(n: int = len(SENTENCES), **document: Any) -> list[Claim]:
        text = f"{ARTICLE} (Document {next(_documents)}.)"
        doc = Document(id=document_id(text), text=text, **document)
        repo.put_document(doc)
        claims = []
        for i, sentence in enumerate(SENTENCES[:n]):
            start = text.index(sentence)
            claim = Claim(
                id=claim_id(doc.id, start, sentence),
                document_id=doc.id,
                text=sentence,
                start=start,
                end=start + len(sentence),
                score=round(0.9 - 0.1 * i, 2),
                context_after=text[start + len(sentence) :][:80],
            )
            repo.put_claim(claim)
            claims.append(claim)
        return claims

    return seed


@pytest.fixture
def seed_claims(repo: DynamoRepository) -> Callable[..., list[Claim]]:
    return make_seeder(repo)


class World:
    """One table, queues, app and users shared by a whole test module (moto set-up costs
    ~0.5 s a test; modules with many small tests seed fresh documents instead)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.repo = DynamoRepository(settings)
        self.app = create_app(settings, repository=self.repo)
        self.app.config["TESTING"] = True
        self.tokens = {name: create_user(self.repo, name, role)[1] for name, role in USERS.items()}
        self.seed = make_seeder(self.repo)


@pytest.fixture(scope="module")
def world() -> Iterator[World]:
    from moto import mock_aws

    with mock_aws():
        name = f"w{next(_documents)}"
        base = Settings(table_name=name, cursor_secret="test-cursor-secret-0123456789")  # type: ignore[arg-type]
        yield World(provision(base, prefix=name))
