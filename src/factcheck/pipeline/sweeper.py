"""Re-drive: re-queue documents stuck in received/extracting, queue webhook events left
pending in the outbox, and empty the DLQs.

DynamoDB is the record of truth, so a document whose message was lost (a crash between
the write and the send) or dead-lettered is found by a Query on its status and queued
again. Re-queuing is always safe: extraction and storage are idempotent. That covers the
claims too: a document stays `extracting` until every claim its extraction recorded is
stored, so one whose claim message was lost (deleted by hand, purged from the claims DLQ)
is found the same way; its extraction runs again and re-sends only the missing claims.
Outbox events still `pending` after `outbox_older_than_seconds` (a crash between a commit
and its SendMessage, SQS down at the time) are queued for their webhooks.

A poison document (one whose extraction always fails) would otherwise go round for ever:
queued, dead-lettered, found stuck, queued again. So each re-queue is counted on the
document (a conditional update, which also restarts its stuck clock), and the sweeper
marks a document `failed`, with the reason, once it has been re-queued `max_requeues`
times. Its message waits in the documents DLQ (whose alarm has fired); after a fix,
`factcheck redrive --failed` (or `--dlq`) gives it another go.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from factcheck.domain.errors import IllegalTransition
from factcheck.domain.models import Document, DocumentStatus, utcnow
from factcheck.observability import logger
from factcheck.pipeline.queues import Queues
from factcheck.storage.ports import DocumentStore, EventOutbox
from factcheck.webhooks.events import relay_pending

STUCK_STATUSES = (DocumentStatus.RECEIVED, DocumentStatus.EXTRACTING)
OUTBOX_AFTER_SECONDS = 60.0  # an event not queued a minute after its commit was dropped


class SweptStore(DocumentStore, EventOutbox, Protocol):
    """What the sweeper reads and writes: documents and the webhook outbox."""


@dataclass
class RedriveReport:
    requeued: list[str] = field(default_factory=list)  # document ids
    failed: list[str] = field(default_factory=list)  # given up on: now `failed`
    moved_from_dlq: dict[str, int] = field(default_factory=dict)  # queue name -> messages
    claims_short: list[str] = field(default_factory=list)  # extracted, some claims not stored
    events_queued: list[str] = field(default_factory=list)  # outbox events left pending

    def as_dict(self) -> dict[str, object]:
        return {
            "requeued": self.requeued,
            "failed": self.failed,
            "moved_from_dlq": self.moved_from_dlq,
            "claims_short": self.claims_short,
            "events_queued": self.events_queued,
        }


def _give_up(repo: DocumentStore, doc: Document) -> bool:
    reason = (
        f"extraction did not complete after {doc.requeues} re-queues; the message is in the "
        "documents DLQ (factcheck redrive --failed re-queues it)"
    )
    try:
        repo.set_document_status(
            doc.id, DocumentStatus.FAILED, expected=STUCK_STATUSES, error=reason
        )
    except IllegalTransition:
        return False  # it moved on meanwhile (extracted after all)
    logger.warning("document failed: re-queued too often", extra={"document_id": doc.id})
    return True


def sweep(
    repo: SweptStore,
    queues: Queues,
    *,
    older_than_seconds: float,
    max_requeues: int | None,
    now: datetime | None = None,
    outbox_older_than_seconds: float = OUTBOX_AFTER_SECONDS,
) -> RedriveReport:
    """Queue again every document in received/extracting not updated for that long (one
    whose recorded claims are not all stored among them); with `max_requeues`, fail the
    ones already re-queued that often instead. Then queue the outbox's pending events."""
    report = RedriveReport()
    cutoff = (now or utcnow()) - timedelta(seconds=older_than_seconds)
    for doc in repo.stuck_documents(STUCK_STATUSES, cutoff):
        if max_requeues is not None and doc.requeues >= max_requeues:
            if _give_up(repo, doc):
                report.failed.append(doc.id)
            continue
        if repo.record_requeue(doc.id, STUCK_STATUSES, cutoff) is not None:
            report.requeued.append(doc.id)
            if doc.claim_ids is not None:  # extraction finished; its claims fell short
                report.claims_short.append(doc.id)
    if report.requeued:
        queues.send_documents(report.requeued)
        logger.info(
            "re-queued stuck documents",
            extra={"count": len(report.requeued), "ids": report.requeued[:20]},
        )
    report.events_queued = relay_pending(
        repo, queues, older_than_seconds=outbox_older_than_seconds, now=now
    )
    return report


def requeue_failed(repo: DocumentStore, queues: Queues) -> list[str]:
    """Back to `received` and queued again: every `failed` document (an operator's call)."""
    ids = []
    for doc in repo.stuck_documents([DocumentStatus.FAILED], utcnow() + timedelta(seconds=1)):
        try:
            repo.set_document_status(
                doc.id, DocumentStatus.RECEIVED, expected=[DocumentStatus.FAILED]
            )
        except IllegalTransition:
            continue
        ids.append(doc.id)
    if ids:
        queues.send_documents(ids)
    return ids


def redrive(
    repo: SweptStore,
    queues: Queues,
    *,
    older_than_seconds: float,
    dlq: bool = False,
    failed: bool = False,
    now: datetime | None = None,
) -> RedriveReport:
    """`factcheck redrive [--dlq] [--failed]`: an operator's redrive, which re-queues every
    stuck document however often it was re-queued before (the sweeper function gives up)."""
    # a document both moved back and re-queued is extracted once (idempotent)
    moved = queues.redrive_dlqs() if dlq else {}
    report = sweep(
        repo,
        queues,
        older_than_seconds=older_than_seconds,
        max_requeues=None,
        now=now,
        outbox_older_than_seconds=min(older_than_seconds, OUTBOX_AFTER_SECONDS),
    )
    report.moved_from_dlq = moved
    if failed:
        report.requeued.extend(requeue_failed(repo, queues))
    return report
