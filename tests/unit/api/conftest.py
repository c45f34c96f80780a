"""API fixtures (the repository, app, client and users are in tests/unit/conftest.py):
helpers to seed claims."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from factcheck.api import create_app
from factcheck.api.auth import create_user
from factcheck.domain.models import Claim, Document
from factcheck.ids import claim_id, document_id
from factcheck.local.resources import provision
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository
from unit.conftest import USERS

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
