"""Store step: one claim message in, one `queued` claim (and its first event) in DynamoDB.

Idempotent on the claim id (a content hash): a duplicate delivery finds the claim there
and succeeds without writing anything.
"""

from __future__ import annotations

from factcheck.domain.errors import AlreadyExists
from factcheck.logging import logger
from factcheck.pipeline.messages import ClaimMessage
from factcheck.storage.repository import Repository


def store_claim(repo: Repository, message: ClaimMessage) -> bool:
    """Write the claim if absent; True when written now, False when it was already there."""
    try:
        created = repo.put_claim(message.to_claim())
    except AlreadyExists:
        created = False
    if not created:
        logger.info("claim already stored", extra={"claim_id": message.id})
    return created
