"""A pipeline that heals itself (issue 20), on a moto server: a claim message lost on the way
(deleted by hand from the claims queue, or dead-lettered and purged from its DLQ) leaves its
document `extracting`, and the sweeper re-drives it until every claim is stored, once."""

from __future__ import annotations

from typing import Any

import pytest

from events.factories import TEST_VISIBILITY_TIMEOUT as VISIBILITY
from events.faults import InjectedFault
from factcheck.domain.models import Claim, Document, DocumentStatus
from factcheck.ids import document_id
from factcheck.local.poller import drain
from factcheck.pipeline.extract import process_document
from factcheck.pipeline.services import Services
from factcheck.pipeline.submit import submit_document
from factcheck.pipeline.sweeper import sweep
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository
from factcheck.template import load_template, queue_specs

pytestmark = pytest.mark.integration


class FailingStore(DynamoRepository):
    """The store step cannot write the claims in `poison` (until healed)."""

    def __init__(self, settings: Settings, poison: set[str]) -> None:
        super().__init__(settings)
        self.poison = poison

    def put_claim(self, claim: Claim, *, actor: str = "pipeline") -> bool:
        if claim.id in self.poison:
            raise InjectedFault(f"storing claim {claim.id} failed")
        return super().put_claim(claim, actor=actor)


def _drain(services: Services) -> None:
    drain(services.settings, services=services, visibility_timeout=VISIBILITY, timeout=60)


def _extract(services: Services, text: str) -> Document:
    doc, _ = submit_document(
        services.repository, services.queues, Document(id=document_id(text), text=text)
    )
    # the extract step alone (as its function does), so the claims wait on their queue
    url = services.settings.documents_queue_url or ""
    for message in services.queues.client.receive_message(QueueUrl=url).get("Messages", []):
        services.queues.client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    process_document(services.repository, services.queues, services.extractor, doc.id)
    return services.repository.get_document(doc.id)


def _delete_one_claim_message(services: Services) -> str:
    url = services.settings.claims_queue_url or ""
    (message,) = services.queues.client.receive_message(QueueUrl=url, MaxNumberOfMessages=1)[
        "Messages"
    ]
    services.queues.client.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
    return str(message["Body"])


def _assert_healed(services: Services, doc: Document) -> None:
    stored = services.repository.get_document(doc.id)
    claims = services.repository.document_claims(doc.id)
    assert stored.status is DocumentStatus.EXTRACTED
    assert sorted(c.id for c in claims) == sorted(doc.claim_ids or [])
    # each claim exactly once: one item, one `queued` event
    assert all(len(services.repository.history(c.id)) == 1 for c in claims)


def _sweep(services: Services) -> Any:
    return sweep(services.repository, services.queues, older_than_seconds=0, max_requeues=3)


def test_a_claim_message_deleted_by_hand_from_the_claims_queue_is_healed_by_the_sweeper(
    pipeline: Services, seed_text: str
) -> None:
    # GIVEN the seed article extracted: its claims recorded on it, then queued
    doc = _extract(pipeline, seed_text)
    assert doc.status is DocumentStatus.EXTRACTING and len(doc.claim_ids or []) > 1
    # WHEN one claim message is deleted by hand and the store step takes the others
    _delete_one_claim_message(pipeline)
    _drain(pipeline)
    # THEN the document is not `extracted`: one of its claims is missing
    assert pipeline.repository.get_document(doc.id).status is DocumentStatus.EXTRACTING
    assert len(pipeline.repository.document_claims(doc.id)) == len(doc.claim_ids or []) - 1
    # WHEN the sweeper runs
    report = _sweep(pipeline)
    assert report.requeued == [doc.id] and report.claims_short == [doc.id]
    _drain(pipeline)
    # THEN every claim is stored once and the document is extracted
    _assert_healed(pipeline, doc)
    # AND the next sweep finds nothing to do
    assert _sweep(pipeline).requeued == []


def test_a_claim_purged_from_the_claims_dlq_is_healed_by_the_sweeper(
    pipeline: Services, seed_text: str
) -> None:
    # GIVEN a store step that cannot write one of the article's claims
    first = _extract(pipeline, seed_text)
    poison = (first.claim_ids or [])[0]
    failing = FailingStore(pipeline.settings, {poison})
    services = Services.from_settings(pipeline.settings, repository=failing, queues=pipeline.queues)
    # WHEN the queues drain: the poison claim is tried maxReceiveCount times, then dead-lettered
    _drain(services)
    dlq = pipeline.settings.claims_dlq_url or ""
    # in the DLQ in any state: a message moved there on a receive may still count as
    # in flight for a moment (seen once in a fresh-clone run: visible 0)
    depth = pipeline.queues.approximate_depth(dlq)
    assert sum(depth.values()) == 1, depth
    assert queue_specs(load_template())["ClaimsQueue"].max_receive_count
    # AND someone purges the DLQ, and the fault goes away
    pipeline.queues.client.purge_queue(QueueUrl=dlq)
    assert sum(pipeline.queues.approximate_depth(dlq).values()) == 0
    failing.poison.clear()
    assert pipeline.repository.get_document(first.id).status is DocumentStatus.EXTRACTING
    # WHEN the sweeper runs and the queues drain
    report = _sweep(services)
    assert report.claims_short == [first.id]
    _drain(services)
    # THEN the purged claim is stored too, every claim once, and the document is extracted
    _assert_healed(pipeline, first)
