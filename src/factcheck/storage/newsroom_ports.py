"""The storage ports of the newsroom around the review: other publishers' checks, webhooks
and their outbox, integrity repair, users, backup (`factcheck.storage.ports` re-exports them
beside the document and claim ports)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Protocol

from factcheck.domain.external import ExternalCheck
from factcheck.domain.models import (
    Claim,
    Delivery,
    Document,
    MatchCandidate,
    Role,
    User,
    Webhook,
)
from factcheck.domain.outbox import WebhookEvent
from factcheck.storage.outbox import OutboxEntry


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
