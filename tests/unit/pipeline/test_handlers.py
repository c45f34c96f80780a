"""The Lambda handlers, called with sample events: Powertools reports partial batch failures."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from events.factories import (
    claims_event,
    document_event,
    lambda_context,
    raw_event,
    sample_claim_message,
    scheduled_event,
)
from factcheck.domain.models import ClaimStatus, Document, DocumentStatus, utcnow
from factcheck.ids import claim_id, document_id
from factcheck.local.lambda_runtime import load_function_module
from factcheck.pipeline.messages import ClaimMessage
from factcheck.pipeline.services import Services

pytestmark = pytest.mark.unit

ARTICLE = "Russia has a 3–1 manpower advantage. It fires three times as many shells."


@dataclass(frozen=True)
class StubClaim:
    id: str
    text: str
    start: int
    end: int
    score: float


def stub_extractor(text: str, doc_id: str) -> Sequence[StubClaim]:
    """Every sentence is a claim: predictable counts without the model."""
    claims, start = [], 0
    for sentence in text.split(". "):
        s = sentence.rstrip(".") + "."
        begin = text.index(sentence, start)
        claims.append(StubClaim(claim_id(doc_id, begin, s), s, begin, begin + len(s), 0.9))
        start = begin + len(sentence)
    return claims


def _handler(name: str) -> Any:
    return load_function_module(f"functions/{name}/app").lambda_handler


def _stored_document(services: Services, text: str = ARTICLE) -> Document:
    doc, _ = services.repository.put_document(Document(id=document_id(text), text=text))
    return doc


def _claim_messages(services: Services) -> list[ClaimMessage]:
    url = services.settings.claims_queue_url
    msgs = services.queues.client.receive_message(QueueUrl=url or "", MaxNumberOfMessages=10)
    return [ClaimMessage.model_validate_json(m["Body"]) for m in msgs.get("Messages", [])]


@pytest.fixture
def stubbed(services: Services) -> Services:
    services.extractor = stub_extractor
    return services


def test_the_extract_handler_records_and_queues_the_claims_and_the_last_one_stored_completes_it(
    stubbed: Services,
) -> None:
    # GIVEN a stored document  WHEN its id arrives on the documents queue
    doc = _stored_document(stubbed)
    response = _handler("extract")(document_event(doc.id), lambda_context())
    # THEN no failures, two claims queued, and the document records them, still extracting
    assert response == {"batchItemFailures": []}
    messages = _claim_messages(stubbed)
    assert {m.text for m in messages} == {
        "Russia has a 3–1 manpower advantage.",
        "It fires three times as many shells.",
    }
    stored = stubbed.repository.get_document(doc.id)
    assert stored.status is DocumentStatus.EXTRACTING and stored.claim_count == 2
    assert sorted(stored.claim_ids or []) == sorted(m.id for m in messages)
    # WHEN the store step stores the first claim THEN the document still waits for the other
    store = _handler("store")
    store(claims_event(messages[0]), lambda_context("StoreFunction"))
    assert stubbed.repository.get_document(doc.id).status is DocumentStatus.EXTRACTING
    # WHEN it stores the last one (twice: a duplicate delivery) THEN the document is extracted
    store(claims_event(messages[1], messages[1]), lambda_context("StoreFunction"))
    done = stubbed.repository.get_document(doc.id)
    assert done.status is DocumentStatus.EXTRACTED and done.claim_count == 2


def test_the_extract_handler_reports_only_the_failed_record(stubbed: Services) -> None:
    # GIVEN one stored document and one id that does not exist
    doc = _stored_document(stubbed)
    event = document_event(doc.id, "dmissing0000000")
    # WHEN both arrive in one batch
    response = _handler("extract")(event, lambda_context())
    # THEN only the missing one is reported, in Powertools' response shape
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][1]["messageId"]}]}
    assert stubbed.repository.get_document(doc.id).claim_count == 2  # recorded and queued


@pytest.mark.parametrize(
    "body",
    ["not json", "{}", '{"document_id": ""}', '{"document_id": "d1", "text": "article"}'],
    ids=["not-json", "no-id", "empty-id", "extra-field"],
)
def test_a_malformed_document_message_fails_only_its_own_record(
    stubbed: Services, body: str
) -> None:
    doc = _stored_document(stubbed)
    event = raw_event(document_event(doc.id)["Records"][0]["body"], body)
    response = _handler("extract")(event, lambda_context())
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][1]["messageId"]}]}


def test_a_batch_whose_every_record_fails_fails_the_invocation(stubbed: Services) -> None:
    with pytest.raises(BatchProcessingError):
        _handler("extract")(document_event("dmissing0000001"), lambda_context())


def test_an_already_extracted_document_is_a_successful_no_op(stubbed: Services) -> None:
    doc = _stored_document(stubbed)
    _handler("extract")(document_event(doc.id), lambda_context())
    claims = _claim_messages(stubbed)  # the first delivery's claims, now stored
    _handler("store")(claims_event(*claims), lambda_context("StoreFunction"))
    assert stubbed.repository.get_document(doc.id).status is DocumentStatus.EXTRACTED
    response = _handler("extract")(document_event(doc.id), lambda_context())
    assert response == {"batchItemFailures": []}
    assert _claim_messages(stubbed) == []


def test_a_document_left_extracting_by_a_crash_is_extracted_on_redelivery(
    stubbed: Services,
) -> None:
    doc = _stored_document(stubbed)
    stubbed.repository.set_document_status(doc.id, DocumentStatus.EXTRACTING)
    response = _handler("extract")(document_event(doc.id), lambda_context())
    assert response == {"batchItemFailures": []}
    _handler("store")(claims_event(*_claim_messages(stubbed)), lambda_context("StoreFunction"))
    assert stubbed.repository.get_document(doc.id).status is DocumentStatus.EXTRACTED


def test_the_store_handler_stores_a_queued_claim_with_its_first_event(services: Services) -> None:
    message = sample_claim_message()
    response = _handler("store")(claims_event(message), lambda_context("StoreFunction"))
    assert response == {"batchItemFailures": []}
    claim = services.repository.get_claim(message.id)
    assert claim.status is ClaimStatus.QUEUED and claim.text == message.text
    assert [e.to_status for e in services.repository.history(message.id)] == [ClaimStatus.QUEUED]


def test_a_claim_delivered_twice_in_one_batch_is_stored_once(services: Services) -> None:
    message = sample_claim_message()
    response = _handler("store")(claims_event(message, message), lambda_context("StoreFunction"))
    assert response == {"batchItemFailures": []}
    assert len(services.repository.document_claims(message.document_id)) == 1
    assert len(services.repository.history(message.id)) == 1


def test_a_malformed_claim_message_fails_only_its_own_record(services: Services) -> None:
    good = sample_claim_message()
    event = claims_event(good)
    event["Records"].append(raw_event('{"id": "c1"}', sample="sqs_claims.json")["Records"][0])
    response = _handler("store")(event, lambda_context("StoreFunction"))
    assert response == {"batchItemFailures": [{"itemIdentifier": event["Records"][1]["messageId"]}]}
    assert services.repository.get_claim(good.id).status is ClaimStatus.QUEUED


def test_the_sweeper_requeues_a_document_stuck_in_received(services: Services) -> None:
    # GIVEN a document written long enough ago and never queued
    doc = _stored_document(services)
    old = utcnow() - timedelta(seconds=services.settings.stuck_after_seconds + 60)
    services.repository.set_document_status(doc.id, DocumentStatus.RECEIVED, now=old)
    # WHEN the scheduled sweeper runs  THEN it is on the documents queue
    response = _handler("sweeper")(scheduled_event(), lambda_context("SweeperFunction"))
    assert response == {"requeued": 1, "failed": 0}
    url = services.settings.documents_queue_url or ""
    body = services.queues.client.receive_message(QueueUrl=url)["Messages"][0]["Body"]
    assert body == f'{{"document_id":"{doc.id}"}}'


def test_the_sweeper_leaves_recent_documents_alone(services: Services) -> None:
    _stored_document(services)
    response = _handler("sweeper")(scheduled_event(), lambda_context("SweeperFunction"))
    assert response == {"requeued": 0, "failed": 0}
