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

from factcheck.domain.external import ExternalCheck
from factcheck.domain.lifecycle import Actor
from factcheck.domain.models import (
    Claim,
    ClaimStatus,
    Delivery,
    Document,
    DocumentStatus,
    Event,
    MatchCandidate,
    Page,
    Role,
    Source,
    User,
    Verdict,
    Webhook,
)
from factcheck.domain.outbox import WebhookEvent
from factcheck.storage.outbox import OutboxEntry
from factcheck.storage.sentences import SentenceStore


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


class ExternalCheckStore(Protocol):
    """Other publishers' ClaimReviews, in the matching index beside our claims."""

    def put_external_check(
        self, check: ExternalCheck, *, buckets: Sequence[str], candidate: MatchCandidate
    ) -> None:
        """The check and its LSH items, in one transaction (idempotent on the review's url)."""

    def get_external_checks(self, check_ids: Sequence[str]) -> list[ExternalCheck]:
        """The checks that exist among the ids."""


class WebhookStore(Protocol):
    """Registered webhooks, their delivery attempts and acknowledgements."""

    def put_webhook(self, webhook: Webhook) -> Webhook:
        """Raises Conflict when the id exists."""

    def get_webhook(self, webhook_id: str) -> Webhook:
        """Raises NotFound."""

    def list_webhooks(self) -> list[Webhook]:
        """Oldest first."""

    def delete_webhook(self, webhook_id: str) -> None:
        """Raises NotFound."""

    def record_delivery(self, delivery: Delivery) -> None:
        """Append one delivery attempt."""

    def deliveries(self, webhook_id: str, limit: int = 100) -> list[Delivery]:
        """Newest first."""

    def mark_delivered(self, webhook_id: str, event_id: str) -> bool:
        """False when the event was already acknowledged (exactly-once acknowledgement)."""

    def is_delivered(self, webhook_id: str, event_id: str) -> bool:
        """Whether the receiver acknowledged the event."""


class OutboxStore(Protocol):
    """Webhook events written with the change that causes them, until queued and sent."""

    def put_outbox(self, event: WebhookEvent) -> bool:
        """Write the event if absent; False when it was already there."""

    def get_outbox(self, event_id: str) -> OutboxEntry | None:
        """The outbox item of an event, None if there is none."""

    def pending_outbox(self, older_than: datetime, limit: int = 500) -> list[OutboxEntry]:
        """Events not yet queued, written before `older_than`, oldest first (Query on GSI2)."""

    def mark_outbox_queued(self, event_id: str, targets: list[str]) -> bool:
        """pending -> queued for these webhooks; False when it was not pending."""

    def mark_outbox_sent(self, event_id: str, webhook_id: str) -> None:
        """The webhook's receiver acknowledged the event (sent once all have)."""


class EventOutbox(WebhookStore, OutboxStore, Protocol):
    """What queuing and delivering webhook events needs."""


class IntegrityRepair(Protocol):
    """The repairs `factcheck verify --repair` makes (admin; each conditioned on the read)."""

    def repair_claim_keys(self, claim: Claim) -> bool:
        """The claim's GSI keys from its state; False when it changed meanwhile."""

    def repair_document_keys(self, doc: Document) -> bool:
        """The document's GSI2 keys from its status; False when it changed meanwhile."""

    def delete_index_item(self, pk: str, sk: str) -> bool:
        """Delete an orphaned matching or search item; False when it was not there."""


class UserStore(Protocol):
    """Users behind bearer token hashes."""

    def put_user(self, user: User) -> None:
        """Write a user as given (import, tests); `add_user` is the checked way in."""

    def add_user(self, user: User) -> None:
        """Create a user; UserExists if the name is taken."""

    def rotate_token(self, name: str, token_hash: str) -> User:
        """A new live token for the user (restores a revoked one); the old one dies."""

    def set_role(self, name: str, role: Role) -> User:
        """Change what the user may do, effective on their next request."""

    def revoke_user(self, name: str, *, now: datetime | None = None) -> User:
        """Refuse the user's token from now on."""

    def list_users(self) -> list[User]:
        """Every user, by name."""

    def user_by_name(self, name: str) -> User:
        """Raises NotFound."""

    def user_by_token_hash(self, token_hash: str) -> User:
        """The user of a live token. Raises NotFound."""


class Backup(Protocol):
    """Admin export and import of every item."""

    def export_items(self) -> Iterator[dict[str, object]]:
        """Every raw item (the ONLY Scan; admin export/backup)."""

    def import_items(self, items: Iterable[dict[str, object]]) -> int:
        """Idempotent restore of exported items; returns how many were written."""


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
