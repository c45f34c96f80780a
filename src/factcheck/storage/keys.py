"""Key prefixes and builders of the single table. The access patterns are in docs/storage.md.

Every key is built here and nowhere else, so the layout can be read (and changed) in one
place. Sort keys that carry numbers are zero-padded, and times are fixed-width ISO-8601 in
UTC (`iso`), so that DynamoDB's byte-wise ordering of strings is the order we mean.
"""

from __future__ import annotations

from datetime import UTC, datetime

from factcheck.domain.models import Claim, ClaimStatus

# Attribute names of the table and its indexes (template.yaml, resource `Table`).
PK, SK = "PK", "SK"
GSI1, GSI1PK, GSI1SK = "GSI1", "GSI1PK", "GSI1SK"  # review queue by status, priority order
GSI2, GSI2PK, GSI2SK = "GSI2", "GSI2PK", "GSI2SK"  # documents by status+time; published feed
GSI3, GSI3PK, GSI3SK = "GSI3", "GSI3PK", "GSI3SK"  # claims of a document in text order
TYPE = "type"  # item type: document, claim, event, user
KEY_ATTRIBUTES = (PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, GSI3PK, GSI3SK, TYPE)

DOCUMENT_SK = "DOCUMENT"
CLAIM_SK = "CLAIM"
USER_SK = "USER"
EVENT_PREFIX = "EVENT#"
PUBLISHED_PK = "PUBLISHED"
WEBHOOKS_PK = "WEBHOOKS"
WEBHOOK_PREFIX = "WEBHOOK#"
DELIVERY_PREFIX = "DELIVERY#"
DONE_PREFIX = "DONE#"
OUTBOX_PREFIX = "OUTBOX#"
OUTBOX_SK = "OUTBOX"
OUTBOX_PENDING_PK = "OUTBOX#pending"  # GSI2 partition of events not yet queued

SCORE_SCALE = 1_000_000  # score resolution in the queue's sort key (6 decimal places)
SEQ_WIDTH = 8
OFFSET_WIDTH = 10


def iso(at: datetime) -> str:
    """Fixed-width UTC ISO-8601 with microseconds; a naive datetime is taken as UTC."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def document_key(doc_id: str) -> dict[str, str]:
    return {PK: f"DOC#{doc_id}", SK: DOCUMENT_SK}


def document_status_pk(status: str) -> str:
    return f"DOCSTATUS#{status}"


def claim_pk(claim_id: str) -> str:
    return f"CLAIM#{claim_id}"


def claim_key(claim_id: str) -> dict[str, str]:
    return {PK: claim_pk(claim_id), SK: CLAIM_SK}


def event_key(claim_id: str, seq: int) -> dict[str, str]:
    return {PK: claim_pk(claim_id), SK: f"{EVENT_PREFIX}{seq:0{SEQ_WIDTH}d}"}


def user_key(token_hash: str) -> dict[str, str]:
    return {PK: f"TOKEN#{token_hash}", SK: USER_SK}


def queue_pk(status: str) -> str:
    return f"QUEUE#{status}"


LOGIT_BOUND = 100.0  # the model's logits sit well inside this; beyond it they clip


def queue_sk(score: float, created_at: datetime, claim_id: str, logit: float = 0.0) -> str:
    """Ascending order of this key = priority order: score descending, then the model's
    logit descending (scores that tie at six decimals are still ordered by the model, not
    by time), then oldest first."""
    inverted = SCORE_SCALE - round(min(max(score, 0.0), 1.0) * SCORE_SCALE)
    clipped = min(max(logit, -LOGIT_BOUND), LOGIT_BOUND)
    by_logit = round((LOGIT_BOUND - clipped) * SCORE_SCALE)
    return f"{inverted:07d}#{by_logit:09d}#{iso(created_at)}#{claim_id}"


def published_sk(published_at: datetime, claim_id: str) -> str:
    return f"{iso(published_at)}#{claim_id}"


def document_claims_pk(doc_id: str) -> str:
    return f"DOC#{doc_id}"


def document_claims_sk(start: int, claim_id: str) -> str:
    return f"{start:0{OFFSET_WIDTH}d}#{claim_id}"


def assigned_pk(assignee: str) -> str:
    """GSI2 partition of the active claims assigned to one reviewer ("my queue")."""
    return f"ASSIGNED#{assignee}"


def user_name_key(name: str) -> dict[str, str]:
    return {PK: f"USERNAME#{name}", SK: USER_SK}


def external_check_key(check_id: str) -> dict[str, str]:
    """Another publisher's ClaimReview (factcheck.domain.external)."""
    return {PK: f"EXT#{check_id}", SK: "EXT"}


def lsh_key(bucket: str, claim_id: str) -> dict[str, str]:
    """Claim-matching index: `bucket` is `<band>#<bucket hash>` (factcheck.matching)."""
    return {PK: lsh_pk(bucket), SK: claim_id}


def lsh_pk(bucket: str) -> str:
    return f"LSH#{bucket}"


def word_pk(term: str) -> str:
    return f"WORD#{term}"


def word_key(term: str, claim_id: str) -> dict[str, str]:
    """Search index: one item per (normalised term, claim)."""
    return {PK: word_pk(term), SK: claim_id}


def webhook_key(webhook_id: str) -> dict[str, str]:
    return {PK: WEBHOOKS_PK, SK: f"{WEBHOOK_PREFIX}{webhook_id}"}


def webhook_pk(webhook_id: str) -> str:
    return f"{WEBHOOK_PREFIX}{webhook_id}"


def delivery_key(webhook_id: str, at: datetime, event_id: str, attempt: int) -> dict[str, str]:
    return {
        PK: webhook_pk(webhook_id),
        SK: f"{DELIVERY_PREFIX}{iso(at)}#{event_id}#{attempt:04d}",
    }


def delivered_key(webhook_id: str, event_id: str) -> dict[str, str]:
    return {PK: webhook_pk(webhook_id), SK: f"{DONE_PREFIX}{event_id}"}


def outbox_key(event_id: str) -> dict[str, str]:
    """One webhook event waiting to be (or already) queued for its webhooks."""
    return {PK: f"{OUTBOX_PREFIX}{event_id}", SK: OUTBOX_SK}


def outbox_pending_sk(created_at: datetime, event_id: str) -> str:
    return f"{iso(created_at)}#{event_id}"


def claim_index_keys(claim: Claim) -> dict[str, str | None]:
    """GSI keys of a claim in its current state (None = not in that index)."""
    # A check under correction stays in the published feed (readers see the published
    # version until the correction is approved); a retracted one leaves it.
    published = (
        claim.status is ClaimStatus.PUBLISHED or claim.correction is not None
    ) and claim.published_at is not None
    # GSI2 is overloaded: the published feed, or (never both) the assignee's active claims.
    assigned = claim.assignee is not None and claim.status in (
        ClaimStatus.QUEUED,
        ClaimStatus.IN_REVIEW,
    )
    gsi2pk: str | None = None
    gsi2sk: str | None = None
    if published and claim.published_at:
        gsi2pk, gsi2sk = PUBLISHED_PK, published_sk(claim.published_at, claim.id)
    elif assigned and claim.assignee:
        gsi2pk = assigned_pk(claim.assignee)
        gsi2sk = queue_sk(claim.score, claim.created_at, claim.id, claim.logit)
    return {
        GSI1PK: queue_pk(claim.status.value),
        GSI1SK: queue_sk(claim.score, claim.created_at, claim.id, claim.logit),
        GSI2PK: gsi2pk,
        GSI2SK: gsi2sk,
        GSI3PK: document_claims_pk(claim.document_id),
        GSI3SK: document_claims_sk(claim.start, claim.id),
    }
