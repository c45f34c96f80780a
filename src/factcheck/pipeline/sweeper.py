"""Re-drive: re-queue documents stuck in received/extracting, and empty the DLQs.

DynamoDB is the record of truth, so a document whose message was lost (a crash between
the write and the send) or dead-lettered is found by a Query on its status and queued
again. Re-queuing is always safe: extraction and storage are idempotent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from factcheck.domain.models import DocumentStatus, utcnow
from factcheck.logging import logger
from factcheck.pipeline.queues import Queues
from factcheck.storage.repository import Repository

STUCK_STATUSES = (DocumentStatus.RECEIVED, DocumentStatus.EXTRACTING)


@dataclass
class RedriveReport:
    requeued: list[str] = field(default_factory=list)  # document ids
    moved_from_dlq: dict[str, int] = field(default_factory=dict)  # queue name -> messages

    def as_dict(self) -> dict[str, object]:
        return {"requeued": self.requeued, "moved_from_dlq": self.moved_from_dlq}


def requeue_stuck(
    repo: Repository,
    queues: Queues,
    *,
    older_than_seconds: float,
    now: datetime | None = None,
) -> list[str]:
    """Queue again every document in received/extracting not updated for that long."""
    cutoff = (now or utcnow()) - timedelta(seconds=older_than_seconds)
    stuck = repo.stuck_documents(STUCK_STATUSES, cutoff)
    ids = [doc.id for doc in stuck]
    if ids:
        queues.send_documents(ids)
        logger.info("re-queued stuck documents", extra={"count": len(ids), "ids": ids[:20]})
    return ids


def redrive(
    repo: Repository,
    queues: Queues,
    *,
    older_than_seconds: float,
    dlq: bool = False,
    now: datetime | None = None,
) -> RedriveReport:
    """What the sweeper function and `factcheck redrive [--dlq]` do."""
    report = RedriveReport()
    if dlq:  # a document both moved back and re-queued is extracted once (idempotent)
        report.moved_from_dlq = queues.redrive_dlqs()
    report.requeued = requeue_stuck(repo, queues, older_than_seconds=older_than_seconds, now=now)
    return report
