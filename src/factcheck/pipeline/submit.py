"""Submission: the document is written to DynamoDB first, then its id is queued.

If the process dies between the two steps the document is still there, `received`, and
the sweeper (or `factcheck redrive`) queues it later: nothing is lost.
"""

from __future__ import annotations

from factcheck.domain.models import Document, DocumentStatus
from factcheck.observability import logger
from factcheck.pipeline.queues import Queues
from factcheck.storage.ports import DocumentStore


def submit_document(
    repo: DocumentStore, queues: Queues, document: Document
) -> tuple[Document, bool]:
    """Store `document` (idempotent on its content id) and queue it for extraction.

    Returns (stored document, created). A re-submission of an article that is still
    `received` queues it again (harmless: extraction is idempotent); one that is already
    extracting or extracted is only returned.
    """
    stored, created = repo.put_document(document)
    if created or stored.status is DocumentStatus.RECEIVED:
        queues.send_document(stored.id)
        logger.info("document queued", extra={"document_id": stored.id, "newly_created": created})
    return stored, created
