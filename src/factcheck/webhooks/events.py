"""Webhook events: what is sent, and queuing it for every subscribed webhook."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from factcheck.domain.models import Claim, Document, WebhookEventType, utcnow
from factcheck.observability import logger
from factcheck.storage.ports import WebhookStore


class WebhookQueues(Protocol):
    def send_webhook_messages(self, bodies: list[str]) -> int: ...


class WebhookEvent(BaseModel):
    """The JSON body a receiver gets (signed as sent)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str  # the same event always has the same id: receivers de-duplicate on it
    type: WebhookEventType
    created_at: datetime = Field(default_factory=utcnow)
    data: dict[str, Any]


class WebhookMessage(BaseModel):
    """Body of a webhooks-queue message: one event for one webhook."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    webhook_id: str = Field(min_length=1, max_length=64)
    event: WebhookEvent


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
    return WebhookEvent(
        id=event_id(event_type, claim.id, claim.version),
        type=event_type,
        created_at=claim.updated_at,
        data=data,
    )


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


def emit(repo: WebhookStore, queues: WebhookQueues | None, event: WebhookEvent) -> int:
    """Queue `event` for every webhook subscribed to its type; returns how many.

    Runs after the transition it reports has committed and never undoes it: a failure to
    queue is logged (with the event id) rather than turned into a failed request.
    """
    try:
        hooks = [h for h in repo.list_webhooks() if event.type in h.events]
        if not hooks or queues is None:
            return 0
        bodies = [WebhookMessage(webhook_id=h.id, event=event).model_dump_json() for h in hooks]
        return queues.send_webhook_messages(bodies)
    except Exception:
        logger.exception("webhook event not queued", extra={"event_id": event.id})
        return 0
