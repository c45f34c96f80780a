"""API fixtures (the repository, app, client and users are in tests/unit/conftest.py):
helpers to seed claims, and `world`, the chain's fixtures in one object."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from flask import Flask

import factories
from factcheck.domain.models import Claim
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository


def make_seeder(repo: DynamoRepository) -> Callable[..., list[Claim]]:
    """Store a new document (unique text) and its queued claims, scores descending
    (`factories.seed_claims` on this repository)."""
    return functools.partial(factories.seed_claims, repo)


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
