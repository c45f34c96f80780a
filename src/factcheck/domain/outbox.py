"""Webhook events as the domain decides them: what a receiver gets, its stable id, and
which transitions cause one. Pure (no I/O), so storage can write the event in the same
transaction as the transition that causes it (the outbox, docs/storage.md)."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from factcheck.domain.models import Claim, Document, WebhookEventType, utcnow

# The lifecycle's event actions that notify webhooks, and the webhook event each causes.
TRANSITION_EVENTS: dict[str, WebhookEventType] = {
    "verdict_given": WebhookEventType.CLAIM_REVIEWED,
    "approved": WebhookEventType.CLAIM_PUBLISHED,
    "corrected": WebhookEventType.CLAIM_CORRECTED,  # a correction's approval published it
    "retracted": WebhookEventType.CLAIM_RETRACTED,
}


class WebhookEvent(BaseModel):
    """The JSON body a receiver gets (signed as sent)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str  # the same event always has the same id: receivers de-duplicate on it
    type: WebhookEventType
    created_at: datetime = Field(default_factory=utcnow)
    data: dict[str, Any]


def event_id(event_type: WebhookEventType, subject: str, version: int | str) -> str:
    digest = hashlib.sha256(f"{event_type.value}\x1f{subject}\x1f{version}".encode()).hexdigest()
    return "e" + digest[:24]


def claim_event(event_type: WebhookEventType, claim: Claim) -> WebhookEvent:
    data: dict[str, Any] = {
        "claim_id": claim.id,
        "document_id": claim.document_id,
        "text": claim.text,
        "status": claim.status.value,
    }
    if claim.verdict:
        data |= {"rating": claim.verdict.rating, "summary": claim.verdict.summary}
    if claim.published_at:
        data["published_at"] = claim.published_at.isoformat()
    if event_type is WebhookEventType.CLAIM_CORRECTED and claim.corrections:
        last = claim.corrections[-1]
        data |= {
            "correction_note": last.note,
            "previous_rating": last.previous_rating,
            "modified_at": last.corrected_at.isoformat(),
        }
    if claim.retraction:
        data |= {
            "retraction_reason": claim.retraction.reason,
            "retracted_at": claim.retraction.retracted_at.isoformat(),
        }
    return WebhookEvent(
        id=event_id(event_type, claim.id, claim.version),
        type=event_type,
        created_at=claim.updated_at,
        data=data,
    )


def transition_event(claim: Claim, action: str) -> WebhookEvent | None:
    """The webhook event a transition with this event action causes, if any."""
    event_type = TRANSITION_EVENTS.get(action)
    return None if event_type is None else claim_event(event_type, claim)


def document_event(document: Document) -> WebhookEvent:
    return WebhookEvent(
        id=event_id(WebhookEventType.DOCUMENT_EXTRACTED, document.id, document.claim_count or 0),
        type=WebhookEventType.DOCUMENT_EXTRACTED,
        created_at=document.updated_at,
        data={
            "document_id": document.id,
            "title": document.title,
            "url": document.url,
            "claim_count": document.claim_count,
        },
    )
