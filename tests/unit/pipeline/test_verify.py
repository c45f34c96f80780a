"""`verify` on documents (in-process moto): an `extracted` document missing a claim is
re-driven, an `extracting` one whose claims are all stored is completed, a pending outbox
event is queued; each reported first, repaired only with `repair`."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from factcheck.domain.models import Claim, Document, DocumentStatus, MatchCandidate, utcnow
from factcheck.ids import claim_id, document_id
from factcheck.matching import fingerprint
from factcheck.pipeline.services import Services
from factcheck.pipeline.store import match_candidate
from factcheck.pipeline.verify import verify
from factcheck.storage import keys

pytestmark = pytest.mark.unit

TEXT = "Exports rose 40% in 2023. Imports fell by half."


def _document_with_claims(services: Services, stored: int) -> tuple[Document, list[Claim]]:
    repo = services.repository
    doc, _ = repo.put_document(Document(id=document_id(TEXT), text=TEXT))
    repo.set_document_status(doc.id, DocumentStatus.EXTRACTING)
    claims = [
        Claim(
            id=claim_id(doc.id, start, text),
            document_id=doc.id,
            text=text,
            start=start,
            end=start + len(text),
            score=0.7,
        )
        for start, text in ((0, "Exports rose 40% in 2023."), (26, "Imports fell by half."))
    ]
    repo.record_extraction(doc.id, [c.id for c in claims])
    for claim in claims[:stored]:
        repo.put_claim(claim)
        repo.index_claim(claim, buckets=[], candidate=_candidate(claim), terms=[])
    return repo.get_document(doc.id), claims


def _candidate(claim: Claim) -> MatchCandidate:
    return match_candidate(claim, fingerprint(claim.text, claim.quantities))


def _documents(report_json: dict[str, object]) -> list[str]:
    return [f["problem"] for f in report_json["findings"] if f["kind"] == "document"]  # type: ignore[union-attr, index]


def test_an_extracting_document_whose_claims_are_all_stored_is_completed_by_repair(
    services: Services,
) -> None:
    # GIVEN both claims stored, but the completion never happened (its count was lost)
    doc, _ = _document_with_claims(services, stored=2)
    assert doc.status is DocumentStatus.EXTRACTING
    # WHEN verify runs THEN it says so; with repair the document is extracted
    found = verify(services.repository, services.queues).as_dict()
    assert _documents(found) == ["extracting, but every claim it recorded is stored"]
    fixed = verify(services.repository, services.queues, repair=True)
    assert fixed.ok
    assert services.repository.get_document(doc.id).status is DocumentStatus.EXTRACTED


def test_an_extracted_document_missing_a_claim_is_re_driven_by_repair(services: Services) -> None:
    # GIVEN an extracted document one of whose claims is not in the table
    doc, claims = _document_with_claims(services, stored=2)
    for claim in claims:
        services.repository.claim_stored(doc.id, claim.id)
    services.repository.client.delete_item(
        TableName=services.repository.table_name,
        Key={"PK": {"S": keys.claim_pk(claims[1].id)}, "SK": {"S": keys.CLAIM_SK}},
    )
    assert services.repository.get_document(doc.id).status is DocumentStatus.EXTRACTED
    # WHEN verify --repair runs
    report = verify(services.repository, services.queues, repair=True)
    assert "extracted, but 1 of its 2 claims are not stored" in _documents(report.as_dict())
    # THEN the document is back at the start and queued for extraction again
    assert services.repository.get_document(doc.id).status is DocumentStatus.RECEIVED
    url = services.settings.documents_queue_url or ""
    bodies = services.queues.client.receive_message(QueueUrl=url, MaxNumberOfMessages=10)
    assert [json.loads(m["Body"])["document_id"] for m in bodies["Messages"]] == [doc.id]


def test_a_pending_outbox_event_is_reported_then_queued(services: Services) -> None:
    doc, _ = _document_with_claims(services, stored=0)
    services.repository.record_extraction(doc.id, [])  # no claims: extracted, event pending
    later = utcnow() + timedelta(minutes=5)
    found = verify(services.repository, services.queues, now=later)
    assert [f.problem for f in found.findings] == [
        "document.extracted event never queued for its webhooks"
    ]
    fixed = verify(services.repository, services.queues, repair=True, now=later)
    assert fixed.ok and fixed.findings[0].repaired
    assert verify(services.repository, services.queues, now=later).findings == []
