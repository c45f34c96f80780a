"""The storage contract, as the ports its callers need (one Protocol per job).

`factcheck.storage.dynamo.DynamoRepository` implements all of them on one DynamoDB table
(mypy checks that it does: `_implements` at the bottom). A caller names the port it uses
(the sweeper a `DocumentStore`, token checks a `UserStore`...), so a fake for a test needs
only that part. Every method maps ClientError codes to `factcheck.domain.errors` (callers
never import botocore); every lifecycle method is ONE conditional transaction that updates
the claim and appends an immutable Event, as `factcheck.domain.lifecycle` decided. `now` is
injectable so lease expiry and staleness are testable without sleeping.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Protocol

from factcheck.domain.lifecycle import Actor
from factcheck.domain.models import (
    Claim,
    ClaimStatus,
    Document,
    DocumentStatus,
    Event,
    MatchCandidate,
    Page,
    Source,
    Verdict,
)
from factcheck.storage.newsroom_ports import (
    Backup,
    EventOutbox,
    ExternalCheckStore,
    IntegrityRepair,
    OutboxStore,
    UserStore,
    WebhookStore,
)
from factcheck.storage.sentences import SentenceStore

# every port, the newsroom's re-exported from newsroom_ports
__all__ = [
    "PORTS",
    "Backup",
    "ClaimIndex",
    "ClaimIntake",
    "ClaimReader",
    "ClaimStore",
    "DocumentStore",
    "EventOutbox",
    "ExternalCheckStore",
    "ExtractionStore",
    "IntegrityRepair",
    "OutboxStore",
    "Repository",
    "UserStore",
    "WebhookStore",
]


class DocumentStore(Protocol):
    """Documents and their extraction status (API submit, pipeline, sweeper)."""

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
        now: datetime | None = None,
    ) -> Document:
        """Conditional status change; raises IllegalTransition when not in `expected`."""

    def stuck_documents(
        self, statuses: Iterable[DocumentStatus], older_than: datetime
    ) -> list[Document]:
        """Documents in `statuses` not updated since `older_than` (Query on a GSI)."""

    def record_requeue(
        self,
        doc_id: str,
        statuses: Iterable[DocumentStatus],
        older_than: datetime,
        *,
        now: datetime | None = None,
    ) -> Document | None:
        """Count one re-queue of a document still in `statuses` and not updated since
        `older_than` (and touch it); None when it has moved on meanwhile."""

    def record_extraction(
        self,
        doc_id: str,
        claim_ids: list[str],
        *,
        error: str | None = None,
        language: str | None = None,
        final: DocumentStatus | None = None,
        now: datetime | None = None,
    ) -> tuple[Document, bool]:
        """Record the claims extraction produced, before they are queued (the document stays
        `extracting`); (document, True) when that already completes it (none, or all stored).
        `language` is the detected one; `final` (`no_text`, `unsupported_language`) ends it
        there with no claims. Raises IllegalTransition when the document is not `extracting`."""

    def mark_claims_queued(self, doc_id: str, *, now: datetime | None = None) -> None:
        """Every recorded claim of the `extracting` document was sent."""

    def claim_stored(
        self, doc_id: str, claim_id: str, *, now: datetime | None = None
    ) -> Document | None:
        """Count a stored claim of the document (idempotent); the document when this made it
        `extracted` (its last claim: the status and its outbox event in one transaction)."""

    def stored_claim_ids(self, doc_id: str) -> set[str]:
        """The ids of the document's claims the store step recorded."""


class ClaimReader(Protocol):
    """Reading claims: one, several, a document's, the queues, the feed, the history."""

    def get_claim(self, claim_id: str) -> Claim:
        """Raises NotFound."""

    def get_claims(self, claim_ids: Sequence[str]) -> list[Claim]:
        """The existing claims among the ids, in the order asked."""

    def document_claims(self, doc_id: str) -> list[Claim]:
        """Claims of one document in text order."""

    def review_queue(
        self, status: ClaimStatus = ClaimStatus.QUEUED, limit: int = 20, cursor: str | None = None
    ) -> Page[Claim]:
        """Priority order (score desc, then oldest first). Raises InvalidCursor."""

    def assigned_claims(
        self, assignee: str, limit: int = 20, cursor: str | None = None
    ) -> Page[Claim]:
        """Active claims assigned to `assignee`, priority order. Raises InvalidCursor."""

    def published(self, limit: int = 50, cursor: str | None = None) -> Page[Claim]:
        """Published claims, newest first (public ClaimReview feed)."""

    def iter_claims(
        self,
        statuses: Iterable[ClaimStatus],
        *,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
    ) -> Iterator[Claim]:
        """Claims of these statuses created in [from, to), streamed page by page."""

    def history(self, claim_id: str) -> list[Event]:
        """Events in the order they happened. Raises NotFound for an unknown claim."""

    def claim_counts(self) -> dict[ClaimStatus, int]:
        """How many claims are in each status, every status included (no Scan)."""


class ClaimStore(ClaimReader, Protocol):
    """Writing claims: the pipeline's first write, then every lifecycle transition (a bare
    actor name acts with the least role that may take the action; the API passes an Actor)."""

    def put_claim(self, claim: Claim, *, actor: str = "pipeline") -> bool:
        """Idempotent: writes the claim (status queued) and its first Event; False if present."""

    def lease(
        self,
        claim_id: str,
        actor: str | Actor,
        *,
        now: datetime | None = None,
        override_assignment: bool | None = None,
    ) -> Claim:
        """A claim assigned to someone else: LeaseConflict unless the actor is an editor
        (or `override_assignment` says otherwise)."""

    def release(self, claim_id: str, actor: str | Actor, *, now: datetime | None = None) -> Claim:
        """in_review -> queued, by the lease holder."""

    def add_source(
        self, claim_id: str, actor: str | Actor, source: Source, *, now: datetime | None = None
    ) -> Claim:
        """By the holder of a live lease; the same source id again is a no-op."""

    def give_verdict(
        self, claim_id: str, actor: str | Actor, verdict: Verdict, *, now: datetime | None = None
    ) -> Claim:
        """in_review -> reviewed, by the holder of a live lease."""

    def approve(self, claim_id: str, actor: str | Actor, *, now: datetime | None = None) -> Claim:
        """reviewed -> published; raises FourEyesViolation if actor gave the verdict."""

    def send_back(
        self, claim_id: str, actor: str | Actor, comment: str, *, now: datetime | None = None
    ) -> Claim:
        """reviewed -> queued with a comment."""

    def dismiss(
        self,
        claim_id: str,
        actor: str | Actor,
        reason: str,
        *,
        now: datetime | None = None,
        override_lease: bool = False,
    ) -> Claim:
        """An active claim -> dismissed with a reason (a reviewer: not a reviewed claim, nor
        one someone else holds or is assigned)."""

    def correct(
        self, claim_id: str, actor: str | Actor, note: str, *, now: datetime | None = None
    ) -> Claim:
        """published -> queued with the note; the published version stays readable."""

    def retract(
        self, claim_id: str, actor: str | Actor, reason: str, *, now: datetime | None = None
    ) -> Claim:
        """published (or under correction) -> retracted with the reason."""

    def restore(self, claim_id: str, actor: str | Actor, *, now: datetime | None = None) -> Claim:
        """dismissed -> queued, by an editor."""

    def assign(
        self, claim_id: str, actor: str | Actor, assignee: str, *, now: datetime | None = None
    ) -> Claim:
        """queued/in_review, status unchanged; event `assigned` / `reassigned`."""

    def mark_duplicate(
        self,
        claim_id: str,
        actor: str | Actor,
        of_claim_id: str,
        *,
        now: datetime | None = None,
        override_lease: bool = False,
    ) -> Claim:
        """-> dismissed (reason "duplicate", duplicate_of); the other claim must be published
        (a ConditionCheck in the same transaction)."""


class ClaimIndex(Protocol):
    """The claim-matching (LSH) and search (term) indexes."""

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


class ExtractionStore(DocumentStore, SentenceStore, WebhookStore, OutboxStore, Protocol):
    """What the extract step needs: the document, its sentences, the webhooks it notifies."""


class ClaimIntake(
    ClaimStore, ClaimIndex, ExternalCheckStore, DocumentStore, WebhookStore, OutboxStore, Protocol
):
    """What the pipeline's store step needs: write a claim, match and index it, count it
    on its document (whose last claim makes it `extracted` and notifies webhooks)."""


class Repository(
    DocumentStore,
    SentenceStore,
    ClaimStore,
    ClaimIndex,
    ExternalCheckStore,
    WebhookStore,
    OutboxStore,
    IntegrityRepair,
    UserStore,
    Backup,
    Protocol,
):
    """Every port at once: what the API's and the pipeline's services hold."""


PORTS: tuple[type, ...] = (
    ExtractionStore,
    SentenceStore,
    ClaimIntake,
    DocumentStore,
    ClaimReader,
    ClaimStore,
    ClaimIndex,
    ExternalCheckStore,
    WebhookStore,
    OutboxStore,
    IntegrityRepair,
    UserStore,
    Backup,
)

if TYPE_CHECKING:
    from factcheck.storage.dynamo import DynamoRepository

    def _implements(repo: DynamoRepository) -> Repository:
        return repo  # mypy fails here when the implementation drifts from a port
