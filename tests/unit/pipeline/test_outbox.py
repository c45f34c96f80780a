"""The webhook outbox (in-process moto): an event commits with the transition that causes
it, `emit` queues it and marks it, a failing service leaves it pending for the sweeper, and
a programming error is not swallowed."""

from __future__ import annotations

import json
from typing import Any

import pytest

from factcheck.domain.errors import StorageError
from factcheck.domain.models import Claim, Verdict, Webhook, WebhookEventType
from factcheck.domain.outbox import claim_event
from factcheck.pipeline.queues import QueueSendError
from factcheck.pipeline.services import Services
from factcheck.pipeline.sweeper import sweep
from factcheck.webhooks.events import emit

pytestmark = pytest.mark.unit

VERDICT = Verdict(rating="True", summary="Checked.", reviewer="rob")


class BrokenQueues:
    def __init__(self, error: Exception) -> None:
        self.error = error

    def send_webhook_messages(self, bodies: list[str]) -> int:
        raise self.error


def _reviewed(services: Services, webhook: bool = True) -> Claim:
    repo = services.repository
    if webhook:
        repo.put_webhook(
            Webhook(
                id="w1",
                url="https://example.org/hook",
                secret="s" * 16,
                events=[WebhookEventType.CLAIM_REVIEWED],
                created_by="admin",
            )
        )
    repo.put_claim(Claim(id="c1", document_id="d1", text="A claim.", start=0, end=8, score=0.5))
    repo.lease("c1", "rob")
    return repo.give_verdict("c1", "rob", VERDICT)


def _webhook_messages(services: Services) -> list[dict[str, Any]]:
    url = services.settings.webhooks_queue_url or ""
    got = services.queues.client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    return [json.loads(m["Body"]) for m in got.get("Messages", [])]


def test_a_verdict_commits_its_webhook_event_to_the_outbox_in_the_same_transaction(
    services: Services,
) -> None:
    claim = _reviewed(services)
    entry = services.repository.get_outbox(claim_event(WebhookEventType.CLAIM_REVIEWED, claim).id)
    assert entry is not None and entry.state == "pending"
    assert entry.event.data["rating"] == "True"
    # a lease causes no webhook event: nothing else is in the outbox
    assert len(services.repository.pending_outbox(claim.updated_at.replace(year=2100))) == 1


def test_emit_queues_the_event_once_and_marks_it_queued(services: Services) -> None:
    claim = _reviewed(services)
    event = claim_event(WebhookEventType.CLAIM_REVIEWED, claim)
    assert emit(services.repository, services.queues, event) == 1
    assert emit(services.repository, services.queues, event) == 0  # already queued
    assert [m["event"]["id"] for m in _webhook_messages(services)] == [event.id]
    entry = services.repository.get_outbox(event.id)
    assert entry is not None and entry.state == "queued" and entry.targets == ["w1"]


@pytest.mark.parametrize(
    "error", [QueueSendError("SQS is down"), StorageError("DynamoDB unreachable")]
)
def test_a_failing_queue_leaves_the_event_pending_and_the_sweeper_queues_it(
    services: Services, error: Exception
) -> None:
    claim = _reviewed(services)
    event = claim_event(WebhookEventType.CLAIM_REVIEWED, claim)
    assert emit(services.repository, BrokenQueues(error), event) == 0
    assert services.repository.get_outbox(event.id).state == "pending"  # type: ignore[union-attr]
    report = sweep(
        services.repository,
        services.queues,
        older_than_seconds=3600,
        max_requeues=3,
        outbox_older_than_seconds=0,
    )
    assert report.events_queued == [event.id]
    assert [m["event"]["id"] for m in _webhook_messages(services)] == [event.id]


@pytest.mark.parametrize("error", [TypeError("a bug"), KeyError("webhook_id")])
def test_emit_does_not_swallow_a_programming_error(services: Services, error: Exception) -> None:
    claim = _reviewed(services)
    event = claim_event(WebhookEventType.CLAIM_REVIEWED, claim)
    with pytest.raises(type(error)):
        emit(services.repository, BrokenQueues(error), event)


def test_an_event_no_webhook_subscribes_to_is_done_at_once(services: Services) -> None:
    claim = _reviewed(services, webhook=False)
    event = claim_event(WebhookEventType.CLAIM_REVIEWED, claim)
    assert emit(services.repository, services.queues, event) == 0
    assert services.repository.get_outbox(event.id).state == "sent"  # type: ignore[union-attr]
