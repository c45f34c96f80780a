"""Webhook events: what is sent, and queuing it (from the outbox) for every subscribed webhook.

The event model and its ids are the domain's (`factcheck.domain.outbox`, re-exported here),
so storage writes an event in the same transaction as the change that causes it. `emit`
then queues it at once; if that fails (SQS or DynamoDB down, a crash), the outbox item
stays `pending` and `relay_pending` (the sweeper) queues it later: an event is never
dropped. Only infrastructure failures are tolerated: a programming error raises.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from factcheck.domain.errors import FactcheckError
from factcheck.domain.models import utcnow
from factcheck.domain.outbox import (
    WebhookEvent,
    claim_event,
    document_event,
    event_id,
    transition_event,
)
from factcheck.observability import logger
from factcheck.storage.ports import EventOutbox

__all__ = [
    "WebhookEvent",
    "WebhookMessage",
    "claim_event",
    "dispatch",
    "document_event",
    "emit",
    "event_id",
    "relay_pending",
    "transition_event",
]


class WebhookQueues(Protocol):
    def send_webhook_messages(self, bodies: list[str]) -> int: ...


class WebhookMessage(BaseModel):
    """Body of a webhooks-queue message: one event for one webhook."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    webhook_id: str = Field(min_length=1, max_length=64)
    event: WebhookEvent


def dispatch(repo: EventOutbox, queues: WebhookQueues | None, event_id: str) -> int:
    """Queue a pending outbox event for every webhook subscribed to its type, then mark it
    queued; returns how many messages were sent (0 when it was not pending). Sending comes
    first, so a crash in between re-sends (receivers acknowledge once), never loses."""
    entry = repo.get_outbox(event_id)
    if entry is None or entry.state != "pending" or queues is None:
        return 0
    hooks = [h for h in repo.list_webhooks() if entry.event.type in h.events]
    bodies = [WebhookMessage(webhook_id=h.id, event=entry.event).model_dump_json() for h in hooks]
    sent = queues.send_webhook_messages(bodies) if bodies else 0
    repo.mark_outbox_queued(event_id, [h.id for h in hooks])
    return sent


def emit(repo: EventOutbox, queues: WebhookQueues | None, event: WebhookEvent) -> int:
    """Queue `event` for its webhooks from the outbox; returns how many messages were sent.

    The transition that causes `event` has committed it to the outbox already (`put_outbox`
    here is a no-op then; it covers a caller without one). A failure of the service
    (a `FactcheckError`: SQS or DynamoDB unavailable) is logged and leaves the event
    pending for the sweeper; anything else is a bug and raises.
    """
    try:
        repo.put_outbox(event)
        return dispatch(repo, queues, event.id)
    except FactcheckError:
        logger.warning(
            "webhook event not queued yet; the sweeper will queue it from the outbox",
            exc_info=True,
            extra={"event_id": event.id},
        )
        return 0


def relay_pending(
    repo: EventOutbox,
    queues: WebhookQueues,
    *,
    older_than_seconds: float,
    now: datetime | None = None,
) -> list[str]:
    """Queue every outbox event still pending after `older_than_seconds` (a crash between
    a commit and its SendMessage, or SQS down at the time); returns their ids."""
    cutoff = (now or utcnow()) - timedelta(seconds=older_than_seconds)
    relayed = []
    for entry in repo.pending_outbox(cutoff):
        dispatch(repo, queues, entry.event.id)
        relayed.append(entry.event.id)
    if relayed:
        logger.info("queued pending outbox events", extra={"count": len(relayed)})
    return relayed
