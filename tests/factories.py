"""Claim and document factories shared by every test (Lambda event factories are in
tests/events/factories.py).

`make_claim` builds a claim with content-derived ids (as the pipeline does); `seed_claims`
stores a fresh document and its queued claims through any repository; `drive_to` takes a
stored claim to a status the legal way (reviewer reviews, editor approves).
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from factcheck import ids
from factcheck.domain.models import Claim, ClaimStatus, Document, Verdict
from factcheck.storage.ports import ClaimStore, Repository

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
CLAIM_TEXT = "Russia has a 3–1 manpower advantage."
SENTENCES = (
    "Russia fires two to three times as much ammunition per year as all of NATO combined.",
    "Sanctions are unlikely to change Putin's calculus.",
    "Its economy has fared remarkably well despite the West's collective best efforts.",
)
ARTICLE = " ".join(SENTENCES)

_documents = itertools.count()


def make_claim(
    text: str = CLAIM_TEXT,
    start: int = 0,
    *,
    document: str = "the article",
    score: float = 0.9,
    created_at: datetime = T0 - timedelta(hours=1),
    **fields: Any,
) -> Claim:
    """A queued claim of the document whose text is `document`, ids derived from content."""
    doc_id = ids.document_id(document)
    return Claim(
        id=ids.claim_id(doc_id, start, text),
        document_id=doc_id,
        text=text,
        start=start,
        end=start + len(text),
        score=score,
        created_at=created_at,
        **fields,
    )


def verdict(rating: str = "Mostly true", summary: str = "Roughly right.") -> Verdict:
    return Verdict(rating=rating, summary=summary, reviewer="whoever")


def seed_claims(
    repo: Repository,
    n: int = len(SENTENCES),
    **document: Any,
) -> list[Claim]:
    """Store a new document (unique text) and its first `n` claims, queued, scores
    descending (0.9, 0.8, ...)."""
    text = f"{ARTICLE} (Document {next(_documents)}.)"
    doc = Document(id=ids.document_id(text), text=text, **document)
    repo.put_document(doc)
    stored = []
    for i, sentence in enumerate(SENTENCES[:n]):
        start = text.index(sentence)
        claim = Claim(
            id=ids.claim_id(doc.id, start, sentence),
            document_id=doc.id,
            text=sentence,
            start=start,
            end=start + len(sentence),
            score=round(0.9 - 0.1 * i, 2),
            context_after=text[start + len(sentence) :][:80],
        )
        repo.put_claim(claim)
        stored.append(claim)
    return stored


def drive_to(
    repo: ClaimStore,
    claim_id: str,
    status: ClaimStatus,
    *,
    reviewer: str = "alice",
    editor: str = "ed",
    now: datetime | None = T0,
) -> Claim:
    """Take a stored queued claim to `status` the legal way: `reviewer` leases it and gives
    the verdict (or dismisses it), `editor` approves; at `now` (None: the clock)."""
    if status is ClaimStatus.QUEUED:
        return repo.get_claim(claim_id)
    claim = repo.lease(claim_id, reviewer, now=now)
    if status is ClaimStatus.IN_REVIEW:
        return claim
    if status is ClaimStatus.DISMISSED:
        return repo.dismiss(claim_id, reviewer, "duplicate", now=now)
    claim = repo.give_verdict(claim_id, reviewer, verdict(), now=now)
    if status is ClaimStatus.REVIEWED:
        return claim
    claim = repo.approve(claim_id, editor, now=now)
    if status is ClaimStatus.RETRACTED:
        return repo.retract(claim_id, editor, "The source was forged.", now=now)
    return claim
