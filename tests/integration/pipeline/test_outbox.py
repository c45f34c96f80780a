"""The webhook outbox on a moto server: a receiver on 127.0.0.1 that is down for a while
gets every event once it is back, each exactly once, including the event whose
SendMessage never happened (a crash between the commit and the send)."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator

import pytest

from factcheck.domain.models import (
    Claim,
    Document,
    DocumentStatus,
    Verdict,
    Webhook,
    WebhookEventType,
)
from factcheck.domain.outbox import claim_event, document_event
from factcheck.ids import document_id
from factcheck.local.poller import Poller
from factcheck.pipeline.queues import Queues
from factcheck.pipeline.services import Services
from factcheck.pipeline.submit import submit_document
from factcheck.pipeline.sweeper import sweep
from factcheck.settings import Settings
from factcheck.webhooks.events import emit
from webhook_receiver import Receiver

pytestmark = [pytest.mark.integration, pytest.mark.allow_hosts(["127.0.0.1"])]

BOUND = 90.0  # seconds: generous bounds for a loaded machine; each wait names its state


def _wait_for(what: str, done: Callable[[], bool], bound: float = BOUND) -> None:
    deadline = time.monotonic() + bound
    while not done():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {bound:.0f} s for {what}")
        time.sleep(0.2)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.stop()


def test_a_receiver_down_for_a_while_gets_every_event_exactly_once_when_it_is_back(
    server_settings: Settings, receiver: Receiver
) -> None:
    # GIVEN webhooks allowed on this machine, retried after 1 s, then 2 s, 2 s...
    settings = server_settings.model_copy(
        update={
            "webhooks_allow_private": True,
            "webhooks_backoff_seconds": 1,
            "webhooks_backoff_max_seconds": 2,
        }
    )
    deps = Services.from_settings(settings, queues=Queues(settings), extractor=lambda t, d: [])
    repo = deps.repository
    hook = Webhook(
        id="w-down",
        url=receiver.url,
        secret="a-long-shared-secret-0123456789",
        events=list(WebhookEventType),
        created_by="admin",
    )
    repo.put_webhook(hook)
    poller = Poller(settings, services=deps, visibility_timeout=1)
    poller.start()
    try:
        # WHEN, with the receiver down, a document is extracted (no claims), a claim is
        # reviewed and published, and another reviewed whose SendMessage never happened
        text = "Nothing to check here, only an opinion."
        doc, _ = submit_document(repo, deps.queues, Document(id=document_id(text), text=text))
        _wait_for(
            "the document extracted",
            lambda: repo.get_document(doc.id).status is DocumentStatus.EXTRACTED,
        )
        verdict = Verdict(rating="True", summary="Checked.", reviewer="rob")
        claims = []
        for n in (1, 2):
            claim = Claim(
                id=f"c-out{n}",
                document_id="d-out",
                text=f"Claim {n}.",
                start=n,
                end=n + 1,
                score=0.5,
            )
            repo.put_claim(claim)
            repo.lease(claim.id, "rob")
            claims.append(repo.give_verdict(claim.id, "rob", verdict))
        emit(repo, deps.queues, claim_event(WebhookEventType.CLAIM_REVIEWED, claims[0]))
        published = repo.approve(claims[0].id, "eve")
        emit(repo, deps.queues, claim_event(WebhookEventType.CLAIM_PUBLISHED, published))
        lost = claim_event(WebhookEventType.CLAIM_REVIEWED, claims[1])  # never emitted
        assert repo.get_outbox(lost.id).state == "pending"  # type: ignore[union-attr]
        # AND the sweeper queues what the crash left in the outbox
        report = sweep(
            repo,
            deps.queues,
            older_than_seconds=3600,
            max_requeues=3,
            outbox_older_than_seconds=0,
        )
        assert report.events_queued == [lost.id]
        expected = {
            document_event(repo.get_document(doc.id)).id,
            claim_event(WebhookEventType.CLAIM_REVIEWED, claims[0]).id,
            claim_event(WebhookEventType.CLAIM_PUBLISHED, published).id,
            lost.id,
        }

        # THEN every event fails at least twice while the receiver is down
        def failed_twice() -> bool:
            failures = Counter(d.event_id for d in repo.deliveries(hook.id) if not d.ok)
            return all(failures[e] >= 2 for e in expected)

        _wait_for("two failed attempts of every event", failed_twice)
        assert not receiver.acknowledged
        # WHEN the receiver comes back
        receiver.start()
        # THEN it gets every event, each acknowledged exactly once
        _wait_for("every event acknowledged", lambda: set(receiver.acknowledged) == expected)
        _wait_for(
            "every outbox item marked sent",
            lambda: all(repo.get_outbox(e).state == "sent" for e in expected),  # type: ignore[union-attr]
        )
    finally:
        poller.stop()
    assert receiver.acknowledged == Counter({e: 1 for e in expected})
    assert all(repo.is_delivered(hook.id, e) for e in expected)
    assert deps.queues.approximate_depth(settings.webhooks_dlq_url or "")["visible"] == 0
