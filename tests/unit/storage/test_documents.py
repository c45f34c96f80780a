"""Documents: idempotent writes, the size limit, status changes, finding stuck ones.

The same bodies run against a moto server process (tests/integration/storage).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from factcheck import ids
from factcheck.domain.errors import DocumentTooLarge, IllegalTransition, NotFound
from factcheck.domain.models import Document, DocumentStatus
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

T0 = datetime(2030, 1, 1, 9, 0, tzinfo=UTC)
R, X, E, F = (
    DocumentStatus.RECEIVED,
    DocumentStatus.EXTRACTING,
    DocumentStatus.EXTRACTED,
    DocumentStatus.FAILED,
)


def make_doc(text: str = "Russia has a 3–1 manpower advantage.", **extra: object) -> Document:
    return Document(id=ids.document_id(text), text=text, created_at=T0, updated_at=T0, **extra)  # type: ignore[arg-type]


def snapshot(repo: DynamoRepository) -> list[str]:
    return sorted(json.dumps(item, sort_keys=True) for item in repo.export_items())


def test_a_new_document_is_stored_and_reported_created(repo: DynamoRepository) -> None:
    # GIVEN a document with metadata
    doc = make_doc(title="Op-ed", url="https://example.org/op-ed", author="A. Writer")
    # WHEN it is written
    stored, created = repo.put_document(doc)
    # THEN it is created and reads back equal
    assert created is True
    assert repo.get_document(doc.id) == stored == doc


def test_writing_the_same_document_twice_returns_the_existing_one_and_changes_nothing(
    repo: DynamoRepository,
) -> None:
    # GIVEN a stored document that has moved on to extraction
    doc = make_doc()
    repo.put_document(doc)
    repo.set_document_status(doc.id, X, expected=[R])
    before = snapshot(repo)
    # WHEN the same article is submitted again
    stored, created = repo.put_document(make_doc())
    # THEN the existing document comes back, not created, and nothing changed
    assert created is False
    assert stored.status is X
    assert snapshot(repo) == before


def test_a_document_over_the_size_limit_is_refused_before_anything_is_written(
    repo: DynamoRepository,
) -> None:
    # GIVEN text one byte over the limit (multi-byte characters count as bytes)
    limit = repo.settings.max_document_bytes
    text = "é" * (limit // 2) + "x"
    assert len(text.encode("utf-8")) == limit + 1
    # WHEN it is written
    with pytest.raises(DocumentTooLarge) as raised:
        repo.put_document(make_doc(text))
    # THEN it is a 413 that says the size and the limit, and the table is still empty
    assert raised.value.http_status == 413
    assert raised.value.detail == {"size": limit + 1, "limit": limit}
    assert snapshot(repo) == []


def test_a_document_exactly_at_the_size_limit_is_accepted(repo: DynamoRepository) -> None:
    text = "a" * repo.settings.max_document_bytes
    assert repo.put_document(make_doc(text))[1] is True


def test_an_unknown_document_is_not_found(repo: DynamoRepository) -> None:
    with pytest.raises(NotFound):
        repo.get_document("d-unknown")
    with pytest.raises(NotFound):
        repo.set_document_status("d-unknown", X, expected=[R])
    assert snapshot(repo) == []


def test_a_status_change_from_an_expected_status_is_applied(repo: DynamoRepository) -> None:
    # GIVEN a received document
    doc = make_doc()
    repo.put_document(doc)
    # WHEN extraction starts and then finishes with a claim count
    repo.set_document_status(doc.id, X, expected=[R], now=T0 + timedelta(minutes=1))
    done = repo.set_document_status(
        doc.id, E, expected=[X], claim_count=4, now=T0 + timedelta(minutes=2)
    )
    # THEN the document is extracted with its count and the time of the change
    assert (done.status, done.claim_count) == (E, 4)
    assert done.updated_at == T0 + timedelta(minutes=2)
    assert repo.get_document(doc.id) == done


@pytest.mark.parametrize(("current", "to", "expected"), [(E, X, [R]), (R, E, [X]), (F, X, [R, X])])
def test_a_status_change_from_an_unexpected_status_is_an_illegal_transition(
    repo: DynamoRepository,
    current: DocumentStatus,
    to: DocumentStatus,
    expected: list[DocumentStatus],
) -> None:
    # GIVEN a document in `current`
    doc = make_doc()
    repo.put_document(doc)
    if current is not R:
        repo.set_document_status(doc.id, current)
    before = snapshot(repo)
    # WHEN a change that expects another status is attempted
    with pytest.raises(IllegalTransition) as raised:
        repo.set_document_status(doc.id, to, expected=expected)
    # THEN it is refused with the current status named, and nothing changed
    assert raised.value.detail["status"] == current.value
    assert snapshot(repo) == before


def test_a_failure_keeps_its_error_until_the_document_is_retried(repo: DynamoRepository) -> None:
    doc = make_doc()
    repo.put_document(doc)
    failed = repo.set_document_status(doc.id, F, error="extractor crashed")
    assert failed.error == "extractor crashed"
    retried = repo.set_document_status(doc.id, X, expected=[F])
    assert retried.error is None


def test_stuck_documents_are_those_in_the_statuses_not_updated_since_the_cutoff(
    repo: DynamoRepository,
) -> None:
    # GIVEN documents received or extracting at different times, and one extracted long ago
    def doc_at(n: int, status: DocumentStatus, minutes_ago: int) -> Document:
        doc = make_doc(f"Article number {n}.")
        repo.put_document(doc)
        repo.set_document_status(doc.id, status, now=T0 - timedelta(minutes=minutes_ago))
        return doc

    old_received = doc_at(1, R, 60)
    old_extracting = doc_at(2, X, 30)
    doc_at(3, R, 5)  # recent: not stuck
    doc_at(4, E, 120)  # done: not stuck
    # WHEN documents received or extracting and untouched for 15 minutes are asked for
    stuck = repo.stuck_documents([R, X], older_than=T0 - timedelta(minutes=15))
    # THEN exactly the two old ones come back, oldest first
    assert [d.id for d in stuck] == [old_received.id, old_extracting.id]
    # AND the cut-off is strict: nothing is older than the oldest one
    assert repo.stuck_documents([R], older_than=T0 - timedelta(minutes=60)) == []
