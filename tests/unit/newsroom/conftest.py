"""Newsroom fixtures: in-process moto (table and queues from template.yaml) -> repository ->
app -> client, one user per role (tests/unit/conftest.py), and a store helper that
runs claims through the pipeline's real store step (matching and indexes included)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import datetime

import pytest

from factcheck.domain.models import Claim, Document, Verdict
from factcheck.ids import claim_id, document_id
from factcheck.pipeline.messages import ClaimMessage
from factcheck.pipeline.store import store_claim
from factcheck.storage.dynamo import DynamoRepository

_docs = itertools.count()

StoreFn = Callable[..., list[Claim]]


@pytest.fixture
def store(repo: DynamoRepository) -> StoreFn:
    """Store a new document made of `sentences`, each a claim through `store_claim`."""

    def run(*sentences: str, created_at: datetime | None = None, score: float = 0.8) -> list[Claim]:
        text = " ".join(sentences) + f" (Article {next(_docs)}.)"
        doc = Document(id=document_id(text), text=text, title="An article")
        repo.put_document(doc)
        stored = []
        for sentence in sentences:
            start = text.index(sentence)
            message = ClaimMessage(
                id=claim_id(doc.id, start, sentence),
                document_id=doc.id,
                text=sentence,
                start=start,
                end=start + len(sentence),
                score=score,
            )
            claim = message.to_claim()
            if created_at is not None:
                claim = claim.model_copy(update={"created_at": created_at})
                repo.put_claim(claim)  # the pipeline's clock is "now": write it directly
            store_claim(repo, message)
            stored.append(repo.get_claim(message.id))
        return stored

    return run


@pytest.fixture
def publish(repo: DynamoRepository) -> Callable[[str], Claim]:
    """Take a claim through review (rob) and approval (eve) to published."""

    def run(cid: str, rating: str = "False") -> Claim:
        repo.lease(cid, "rob-reviewer")
        repo.give_verdict(
            cid, "rob-reviewer", Verdict(rating=rating, summary="Checked.", reviewer="x")
        )
        return repo.approve(cid, "eve-editor")

    return run
