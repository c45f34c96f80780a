"""The sweeper re-queues stuck documents, counts it, and gives up on a poison document
instead of sending it round for ever; an operator's redrive brings failed ones back."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from factcheck.domain.models import Document, DocumentStatus, utcnow
from factcheck.ids import document_id
from factcheck.pipeline.services import Services
from factcheck.pipeline.sweeper import STUCK_STATUSES, redrive, sweep

pytestmark = pytest.mark.unit

TEXT = "Unemployment fell to 3.9% in March, the lowest rate in two years."


def _stuck(services: Services, status: DocumentStatus = DocumentStatus.EXTRACTING) -> Document:
    doc, _ = services.repository.put_document(Document(id=document_id(TEXT), text=TEXT))
    long_ago = utcnow() - timedelta(hours=2)
    return services.repository.set_document_status(doc.id, status, now=long_ago)


def _queued_ids(services: Services) -> list[str]:
    url = services.settings.documents_queue_url or ""
    client = services.queues.client
    ids = []
    while msgs := client.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
        for m in msgs:
            ids.append(m["Body"])
            client.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return ids


def _later(services: Services, sweeps: int) -> datetime:
    """A clock far enough ahead that a document touched by `sweeps` sweeps is stuck again."""
    return utcnow() + timedelta(seconds=(services.settings.stuck_after_seconds + 5) * sweeps)


def _sweep(services: Services, now: datetime | None = None) -> tuple[list[str], list[str]]:
    report = sweep(
        services.repository,
        services.queues,
        older_than_seconds=services.settings.stuck_after_seconds,
        max_requeues=services.settings.max_requeues,
        now=now,
    )
    return report.requeued, report.failed


def _sweep_until(services: Services, sweeps: int) -> None:
    """Run the sweeper `sweeps` times, each when the document is stuck again."""
    for n in range(1, sweeps + 1):
        _sweep(services, _later(services, n))


def test_a_poison_document_is_requeued_max_requeues_times_then_marked_failed(
    services: Services,
) -> None:
    doc = _stuck(services)
    limit = services.settings.max_requeues
    for n in range(1, limit + 1):
        assert _sweep(services, _later(services, n)) == ([doc.id], [])
        assert services.repository.get_document(doc.id).requeues == n
    assert len(_queued_ids(services)) == limit

    assert _sweep(services, _later(services, limit + 1)) == ([], [doc.id])
    failed = services.repository.get_document(doc.id)
    assert failed.status is DocumentStatus.FAILED
    assert failed.error is not None and "re-queues" in failed.error
    assert _queued_ids(services) == []  # not sent round again
    assert _sweep(services, _later(services, limit + 2)) == ([], [])


def test_a_requeue_restarts_the_stuck_clock(services: Services) -> None:
    doc = _stuck(services, DocumentStatus.RECEIVED)
    assert _sweep(services) == ([doc.id], [])
    assert _sweep(services) == ([], [])  # the next run, minutes later: it is in the queue


def test_two_sweepers_racing_count_and_queue_a_document_once(services: Services) -> None:
    doc = _stuck(services)
    cutoff = utcnow() - timedelta(minutes=30)
    first = services.repository.record_requeue(doc.id, STUCK_STATUSES, cutoff)
    second = services.repository.record_requeue(doc.id, STUCK_STATUSES, cutoff)
    assert first is not None and first.requeues == 1
    assert second is None


def test_an_operators_redrive_requeues_however_often_it_was_requeued(
    services: Services,
) -> None:
    doc = _stuck(services)
    _sweep_until(services, services.settings.max_requeues)
    _queued_ids(services)
    report = redrive(
        services.repository,
        services.queues,
        older_than_seconds=0,
        now=_later(services, services.settings.max_requeues + 1),
    )
    assert report.requeued == [doc.id]
    assert report.failed == []
    assert len(_queued_ids(services)) == 1


def test_redrive_failed_sends_a_failed_document_back_to_received_with_its_count_reset(
    services: Services,
) -> None:
    doc = _stuck(services)
    _sweep_until(services, services.settings.max_requeues + 1)
    assert services.repository.get_document(doc.id).status is DocumentStatus.FAILED
    _queued_ids(services)

    report = redrive(services.repository, services.queues, older_than_seconds=3600, failed=True)
    assert report.requeued == [doc.id]
    again = services.repository.get_document(doc.id)
    assert again.status is DocumentStatus.RECEIVED
    assert again.requeues == 0
    assert again.error is None
    assert len(_queued_ids(services)) == 1
