"""API fixtures (the repository, app, client and users are in tests/unit/conftest.py):
helpers to seed claims, and `world`, the chain's fixtures in one object."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from flask import Flask

from factcheck.domain.models import Claim, Document
from factcheck.ids import claim_id, document_id
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

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


@dataclass(frozen=True)
class World:
    """The chain's fixtures in one object (tests/unit/conftest.py): what a test module that
    shares one table, app and set of users (`share_per_module()`) passes its helpers."""

    settings: Settings
    repo: DynamoRepository
    app: Flask
    tokens: dict[str, str]
    seed: Callable[..., list[Claim]]


@pytest.fixture
def world(
    settings: Settings,
    repo: DynamoRepository,
    app: Flask,
    tokens: dict[str, str],
    seed_claims: Callable[..., list[Claim]],
) -> World:
    return World(settings=settings, repo=repo, app=app, tokens=tokens, seed=seed_claims)
