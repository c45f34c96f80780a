"""Claims: the pipeline's first write, the reads and listings, and the persistence of what
the lifecycle (`factcheck.domain.lifecycle`) decided.

A transition is optimistic and exact: read the claim (strongly consistent), let the
lifecycle decide for that state and this actor, then write ONE TransactWriteItems = an
Update of the claim conditioned on the version (and status) that was read, with `version`
incremented and the GSI keys recomputed, plus a Put of the immutable Event `EVENT#<new
version>` (attribute_not_exists). If the condition fails, someone else moved the claim: read
it again and decide again against the state actually stored (the loser of a lease race gets
LeaseConflict naming the holder; a claim reviewed meanwhile gives IllegalTransition).
Nothing is guessed and nothing is half-written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from factcheck.domain import lifecycle
from factcheck.domain.errors import Conflict, NotFound, StorageError
from factcheck.domain.guards import require_text
from factcheck.domain.models import Claim, ClaimStatus, Event, Page
from factcheck.domain.outbox import transition_event
from factcheck.storage import keys, paging
from factcheck.storage.base import Store
from factcheck.storage.client import MAX_ATTEMPTS, Cancelled, backoff, resolve_now
from factcheck.storage.codec import serialise, to_model
from factcheck.storage.expressions import Expr
from factcheck.storage.outbox import outbox_put

# Claim attributes a lifecycle transition may change (the rest is fixed at put_claim).
MUTABLE_CLAIM_FIELDS = (
    "status",
    "lease_holder",
    "lease_expires_at",
    "sources",
    "verdict",
    "approved_by",
    "published_at",
    "dismiss_reason",
    "comment",
    "duplicate_of",
    "assignee",
    "correction",
    "corrections",
    "modified_at",
    "retraction",
    "version",
    "updated_at",
)


def claim_item(claim: Claim) -> dict[str, Any]:
    index = {k: v for k, v in keys.claim_index_keys(claim).items() if v is not None}
    return {**keys.claim_key(claim.id), keys.TYPE: "claim", **index, **claim.model_dump()}


def event_item(event: Event) -> dict[str, Any]:
    return {**keys.event_key(event.claim_id, event.seq), keys.TYPE: "event", **event.model_dump()}


class Claims(Store):
    """Claim items: written once by the pipeline, read by everyone, moved by transitions."""

    def get_claim(self, claim_id: str) -> Claim:
        item = self.db.get(keys.claim_key(claim_id))
        if item is None:
            raise NotFound(f"claim {claim_id} not found", id=claim_id)
        return to_model(Claim, item)

    def document_claims(self, doc_id: str) -> list[Claim]:
        """Claims of one document in text order (Query on GSI3)."""
        expr = Expr()
        items = self.db.query_all(
            IndexName=keys.GSI3,
            KeyConditionExpression=(
                f"{expr.name(keys.GSI3PK)} = {expr.value(keys.document_claims_pk(doc_id))}"
            ),
            **expr.params(),
        )
        return [to_model(Claim, i) for i in items]

    def review_queue(
        self, status: ClaimStatus = ClaimStatus.QUEUED, limit: int = 20, cursor: str | None = None
    ) -> Page[Claim]:
        """Priority order (score desc, then oldest first). Raises InvalidCursor."""
        status = ClaimStatus(status)
        return paging.page(
            self.db,
            index=keys.GSI1,
            pk_attr=keys.GSI1PK,
            sk_attr=keys.GSI1SK,
            pk=keys.queue_pk(status.value),
            forward=True,
            limit=limit,
            cursor=cursor,
        )

    def history(self, claim_id: str) -> list[Event]:
        """Events in the order they happened. Raises NotFound for an unknown claim."""
        expr = Expr()
        items = self.db.query_all(
            KeyConditionExpression=f"{expr.name(keys.PK)} = {expr.value(keys.claim_pk(claim_id))}",
            ConsistentRead=True,
            **expr.params(),
        )
        if not any(i[keys.SK]["S"] == keys.CLAIM_SK for i in items):
            raise NotFound(f"claim {claim_id} not found", id=claim_id)
        return [to_model(Event, i) for i in items if i[keys.SK]["S"].startswith(keys.EVENT_PREFIX)]

    def published(self, limit: int = 50, cursor: str | None = None) -> Page[Claim]:
        """Published claims, newest first (public ClaimReview feed; Query on GSI2)."""
        return paging.page(
            self.db,
            index=keys.GSI2,
            pk_attr=keys.GSI2PK,
            sk_attr=keys.GSI2SK,
            pk=keys.PUBLISHED_PK,
            forward=False,
            limit=limit,
            cursor=cursor,
        )

    def assigned_claims(
        self, assignee: str, limit: int = 20, cursor: str | None = None
    ) -> Page[Claim]:
        """Queued and in-review claims assigned to `assignee`, priority order (Query on GSI2)."""
        return paging.page(
            self.db,
            index=keys.GSI2,
            pk_attr=keys.GSI2PK,
            sk_attr=keys.GSI2SK,
            pk=keys.assigned_pk(require_text(assignee, "assignee")),
            forward=True,
            limit=limit,
            cursor=cursor,
        )

    def iter_claims(
        self,
        statuses: Iterable[ClaimStatus],
        *,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
    ) -> Iterator[Claim]:
        """Claims of the given statuses created in [from, to), a page of DynamoDB at a time
        (Query per status on GSI1, created_at filtered; for streamed exports)."""
        for status in dict.fromkeys(ClaimStatus(s) for s in statuses):
            expr = Expr()
            params: dict[str, Any] = {
                "IndexName": keys.GSI1,
                "KeyConditionExpression": (
                    f"{expr.name(keys.GSI1PK)} = {expr.value(keys.queue_pk(status.value))}"
                ),
            }
            filters = []
            if created_from is not None:
                since = expr.value(resolve_now(created_from))
                filters.append(f"{expr.name('created_at')} >= {since}")
            if created_to is not None:
                until = expr.value(resolve_now(created_to))
                filters.append(f"{expr.name('created_at')} < {until}")
            if filters:
                params["FilterExpression"] = " AND ".join(filters)
            params.update(expr.params())
            while True:
                resp = self.db.call("query", TableName=self.db.name, **params)
                for item in resp.get("Items", []):
                    yield to_model(Claim, item)
                last = resp.get("LastEvaluatedKey")
                if not last:
                    break
                params["ExclusiveStartKey"] = last

    def get_claims(self, claim_ids: Sequence[str]) -> list[Claim]:
        """The claims that exist among `claim_ids`, in the order asked (BatchGetItem)."""
        wanted = list(dict.fromkeys(claim_ids))
        found = {
            claim.id: claim
            for claim in (
                to_model(Claim, i) for i in self.db.batch_get([keys.claim_key(c) for c in wanted])
            )
        }
        return [found[c] for c in wanted if c in found]

    def put_claim(self, claim: Claim, *, actor: str = "pipeline") -> bool:
        """Idempotent: writes the claim (status queued) and its first Event; False if present."""
        stored = claim.model_copy(
            update={
                "status": ClaimStatus.QUEUED,
                "version": 0,
                "lease_holder": None,
                "lease_expires_at": None,
                "verdict": None,
                "approved_by": None,
                "published_at": None,
                "dismiss_reason": None,
                "comment": None,
                "duplicate_of": None,
                "assignee": None,
                "correction": None,
                "corrections": [],
                "modified_at": None,
                "retraction": None,
                "updated_at": claim.created_at,
            }
        )
        event = Event(
            claim_id=claim.id,
            seq=0,
            at=claim.created_at,
            actor=actor,
            action="queued",
            from_status=None,
            to_status=ClaimStatus.QUEUED,
            detail={"document_id": claim.document_id},
        )
        for attempt in range(MAX_ATTEMPTS):
            try:
                self.db.transact(
                    [self.db.put_new(claim_item(stored)), self.db.put_new(event_item(event))]
                )
                return True
            except Cancelled as e:
                if e.condition_failed:
                    return False  # already there: a duplicate delivery changes nothing
                if not e.transient:
                    raise StorageError(f"storing claim {claim.id} failed: {e}") from e
                backoff(attempt)
        raise Conflict(f"claim {claim.id}: too many concurrent writes; try again", id=claim.id)

    def transition(
        self,
        claim_id: str,
        now: datetime | None,
        decide: Callable[[Claim, datetime], lifecycle.Transition | None],
        checks: Sequence[dict[str, Any]] = (),
    ) -> Claim:
        """Read the claim, let the lifecycle decide, write its decision in ONE conditional
        transaction (claim update on the version read + the new event + `checks`); when the
        claim moved meanwhile, read it again and decide again."""
        at = resolve_now(now)
        for attempt in range(MAX_ATTEMPTS):
            current = self.get_claim(claim_id)  # NotFound for an unknown id
            decided = decide(current, at)  # raises the precise domain error for this state
            if decided is None:
                return current
            # the webhook event the transition causes, if any, commits with it (the outbox)
            webhook_event = transition_event(decided.claim, decided.event.action)
            outbox = [outbox_put(self.db.name, webhook_event)] if webhook_event else []
            try:
                self.db.transact(
                    [
                        self._update_claim(current, decided.claim),
                        self.db.put_new(event_item(decided.event)),
                        *checks,
                        *outbox,
                    ]
                )
            except Cancelled as e:
                if not (e.condition_failed or e.transient):
                    raise StorageError(f"updating claim {claim_id} failed: {e}") from e
                backoff(attempt)  # someone moved the claim: read it again and re-decide
                continue
            return decided.claim
        raise Conflict(f"claim {claim_id} kept changing; try again", claim_id=claim_id)

    def _update_claim(self, current: Claim, new: Claim) -> dict[str, Any]:
        """The conditional Update of a transition: exactly the version and status read.

        It sets only the attributes the decision changed, the version always among
        them (the version condition guarantees the rest is still as read), and every
        index key (a drifted key heals on the next transition). A lease then parses 11
        clauses, not 23: the emulator's update cost grows with each clause, and it bounds
        the local stack's lease throughput."""
        expr = Expr()
        sets = {
            name: getattr(new, name)
            for name in MUTABLE_CLAIM_FIELDS
            if getattr(new, name) != getattr(current, name)
        }
        removes: list[str] = []
        for name, value in keys.claim_index_keys(new).items():
            if value is None:
                removes.append(name)
            else:
                sets[name] = value
        update = "SET " + ", ".join(f"{expr.name(k)} = {expr.value(v)}" for k, v in sets.items())
        if removes:
            update += " REMOVE " + ", ".join(expr.name(k) for k in removes)
        condition = (
            f"{expr.name('version')} = {expr.value(current.version)} "
            f"AND {expr.name('status')} = {expr.value(current.status.value)}"
        )
        return {
            "Update": {
                "TableName": self.db.name,
                "Key": serialise(keys.claim_key(current.id)),
                "UpdateExpression": update,
                "ConditionExpression": condition,
                **expr.params(),
            }
        }
