"""The storage contract the pipeline, API and CLI depend on.

`factcheck.storage.dynamo.DynamoRepository` implements it on one DynamoDB table. Every
method maps ClientError codes to `factcheck.domain.errors` (callers never import botocore);
every lifecycle method is ONE conditional transaction that updates the claim and appends an
immutable Event. `now` is injectable so lease expiry is testable without sleeping.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from factcheck.domain.models import (
    Claim,
    ClaimStatus,
    Delivery,
    Document,
    DocumentStatus,
    Event,
    MatchCandidate,
    Page,
    Source,
    User,
    Verdict,
    Webhook,
)


class Repository(Protocol):
    # documents -----------------------------------------------------------------
    def put_document(self, doc: Document) -> tuple[Document, bool]:
        """Write if absent. Returns (stored document, created). Raises DocumentTooLarge."""

    def get_document(self, doc_id: str) -> Document:
        """Raises NotFound."""

    def set_document_status(
        self,
        doc_id: str,
        to: DocumentStatus,
        *,
        expected: Iterable[DocumentStatus] | None = None,
        claim_count: int | None = None,
        error: str | None = None,
    ) -> Document:
        """Conditional status change; raises IllegalTransition when not in `expected`."""

    def stuck_documents(
        self, statuses: Iterable[DocumentStatus], older_than: datetime
    ) -> list[Document]:
        """Documents in `statuses` not updated since `older_than` (Query on a GSI)."""

    def record_requeue(
        self, doc_id: str, statuses: Iterable[DocumentStatus], older_than: datetime
    ) -> Document | None:
        """Count one re-queue of a document still in `statuses` and not updated since
        `older_than` (and touch it); None when it has moved on meanwhile."""

    # claims ---------------------------------------------------------------------
    def put_claim(self, claim: Claim) -> bool:
        """Idempotent: writes the claim (status queued) and its first Event; False if present."""

    def get_claim(self, claim_id: str) -> Claim:
        """Raises NotFound."""

    def document_claims(self, doc_id: str) -> list[Claim]:
        """Claims of one document in text order."""

    def review_queue(
        self, status: ClaimStatus = ClaimStatus.QUEUED, limit: int = 20, cursor: str | None = None
    ) -> Page[Claim]:
        """Priority order (score desc, then oldest first). Raises InvalidCursor."""

    def history(self, claim_id: str) -> list[Event]:
        """Events in the order they happened. Raises NotFound for an unknown claim."""

    # lifecycle (each: one transaction = claim update + event) ---------------------
    def lease(
        self,
        claim_id: str,
        actor: str,
        *,
        now: datetime | None = None,
        override_assignment: bool = False,
    ) -> Claim:
        """A claim assigned to someone else: LeaseConflict unless override_assignment."""

    def release(self, claim_id: str, actor: str, *, now: datetime | None = None) -> Claim: ...

    def add_source(
        self, claim_id: str, actor: str, source: Source, *, now: datetime | None = None
    ) -> Claim: ...

    def give_verdict(
        self, claim_id: str, actor: str, verdict: Verdict, *, now: datetime | None = None
    ) -> Claim: ...

    def approve(self, claim_id: str, actor: str, *, now: datetime | None = None) -> Claim:
        """reviewed -> published; raises FourEyesViolation if actor gave the verdict."""

    def send_back(
        self, claim_id: str, actor: str, comment: str, *, now: datetime | None = None
    ) -> Claim: ...

    def dismiss(
        self, claim_id: str, actor: str, reason: str, *, now: datetime | None = None
    ) -> Claim: ...

    def published(self, limit: int = 50, cursor: str | None = None) -> Page[Claim]:
        """Published claims, newest first (public ClaimReview feed)."""

    # newsroom: assignment, duplicates, listings -----------------------------------
    def assign(
        self, claim_id: str, actor: str, assignee: str, *, now: datetime | None = None
    ) -> Claim:
        """queued/in_review, status unchanged; event `assigned` / `reassigned`."""

    def mark_duplicate(
        self, claim_id: str, actor: str, of_claim_id: str, *, now: datetime | None = None
    ) -> Claim:
        """-> dismissed (reason "duplicate", duplicate_of); the other claim must be published
        (a ConditionCheck in the same transaction)."""

    def assigned_claims(
        self, assignee: str, limit: int = 20, cursor: str | None = None
    ) -> Page[Claim]:
        """Active claims assigned to `assignee`, priority order. Raises InvalidCursor."""

    def iter_claims(
        self,
        statuses: Iterable[ClaimStatus],
        *,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
    ) -> Iterator[Claim]:
        """Claims of these statuses created in [from, to), streamed page by page."""

    def get_claims(self, claim_ids: Sequence[str]) -> list[Claim]:
        """The existing claims among the ids, in the order asked."""

    # newsroom: matching and search indexes ------------------------------------------
    def index_claim(
        self,
        claim: Claim,
        *,
        buckets: Sequence[str],
        candidate: MatchCandidate,
        terms: Iterable[str],
    ) -> int:
        """Idempotent: the claim's LSH bucket items and search term items."""

    def lsh_candidates(
        self, buckets: Sequence[str], *, per_bucket: int = 200
    ) -> list[MatchCandidate]:
        """Claims sharing at least one LSH bucket."""

    def search_claims(
        self, terms: Sequence[str], *, status: ClaimStatus | None = None, limit: int = 20
    ) -> list[Claim]:
        """Claims holding every term, optionally of one status, most check-worthy first."""

    # webhooks ---------------------------------------------------------------------
    def put_webhook(self, webhook: Webhook) -> Webhook: ...

    def get_webhook(self, webhook_id: str) -> Webhook:
        """Raises NotFound."""

    def list_webhooks(self) -> list[Webhook]: ...

    def delete_webhook(self, webhook_id: str) -> None:
        """Raises NotFound."""

    def record_delivery(self, delivery: Delivery) -> None: ...

    def deliveries(self, webhook_id: str, limit: int = 100) -> list[Delivery]:
        """Newest first."""

    def mark_delivered(self, webhook_id: str, event_id: str) -> bool:
        """False when the event was already acknowledged (exactly-once acknowledgement)."""

    def is_delivered(self, webhook_id: str, event_id: str) -> bool: ...

    # users ----------------------------------------------------------------------
    def put_user(self, user: User) -> None: ...

    def user_by_name(self, name: str) -> User:
        """Raises NotFound."""

    def user_by_token_hash(self, token_hash: str) -> User:
        """Raises NotFound."""

    # admin ----------------------------------------------------------------------
    def export_items(self) -> Iterator[dict[str, object]]:
        """Every raw item (the ONLY Scan; admin export/backup)."""

    def import_items(self, items: Iterable[dict[str, object]]) -> int:
        """Idempotent restore of exported items; returns how many were written."""
