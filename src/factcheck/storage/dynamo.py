"""`DynamoRepository`: the Repository contract on one DynamoDB table (docs/storage.md).

The one module that talks to DynamoDB. It turns ClientError codes into domain errors
(`raise ... from e`), so callers never import botocore.

Lifecycle writes are optimistic and exact: read the claim (strongly consistent), decide in
Python whether the transition is legal for that state and this actor, then write ONE
TransactWriteItems = an Update of the claim conditioned on the version (and status) that was
read, with `version` incremented and the GSI keys recomputed, plus a Put of the immutable
Event `EVENT#<new version>` (attribute_not_exists). If the condition fails, someone else
moved the claim: read it again and classify against the state actually stored (the loser
of a lease race gets LeaseConflict naming the holder; a claim that was meanwhile reviewed
gives IllegalTransition). Nothing is guessed and nothing is half-written.
"""

from __future__ import annotations

import contextlib
import json
import random
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from factcheck.domain import lifecycle
from factcheck.domain.errors import (
    Conflict,
    DocumentTooLarge,
    IllegalTransition,
    InvalidCursor,
    InvalidInput,
    NotFound,
    StorageError,
)
from factcheck.domain.guards import ROLES
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
from factcheck.domain.rating import RatingScale
from factcheck.settings import Settings, Target
from factcheck.storage import cursor as cursors
from factcheck.storage import keys
from factcheck.storage.codec import serialise, serialise_value, to_attr, to_model

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# One lock per process: moto (in-process or server) is not safe for concurrent requests, so
# with `serialise_storage` every DynamoDB call of this process goes through it (see
# docs/storage.md, "moto and concurrency"). Re-entrant so nested helpers cannot deadlock.
_PROCESS_LOCK = threading.RLock()

# botocore's parsed service models, shared by the sessions this module creates: each
# repository gets its own session (thread-safe client creation, private event hooks) without
# re-reading the models from disk every time.
_LOADER_LOCK = threading.Lock()
_LOADER: Any = None

MAX_ATTEMPTS = 8  # optimistic retries when the claim moved between read and write
MAX_PAGE = 500
MAX_ITEM_BYTES = 380_000  # DynamoDB's hard limit is 400 KB per item
TRANSIENT_REASONS = {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}

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
    "version",
    "updated_at",
)
MAX_BATCH_GET = 100  # BatchGetItem keys per request
MAX_BATCH_WRITE = 25  # BatchWriteItem items per request
MAX_TERM_HITS = 5_000  # search: claim ids read per term at most


class _ConditionFailed(Exception):
    """A single-item write's condition did not hold (internal)."""


class _Cancelled(Exception):
    """A transaction was cancelled; `reasons` holds one code per item, "None" if it was fine."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons

    @property
    def condition_failed(self) -> bool:
        return "ConditionalCheckFailed" in self.reasons

    @property
    def transient(self) -> bool:
        return any(r in TRANSIENT_REASONS for r in self.reasons)


def _now(now: datetime | None) -> datetime:
    return datetime.now(UTC) if now is None else lifecycle.as_utc(now)


def _actor(actor: str | Actor, action: str) -> Actor:
    """The lifecycle's actor. A bare name comes from a caller that has already decided the
    actor may act (the API passes an Actor with the user's role; scripts and tests pass a
    name): it acts with the least role that may take `action`."""
    if isinstance(actor, Actor):
        return actor
    name = lifecycle.require_text(actor, "actor")
    role = Role.REVIEWER if Role.REVIEWER in ROLES[action] else Role.EDITOR
    return Actor(name=name, role=role)


def _require_text(value: str, name: str) -> str:
    return lifecycle.require_text(value, name)


# --- items -------------------------------------------------------------------------------


def _document_item(doc: Document) -> dict[str, Any]:
    return {
        **keys.document_key(doc.id),
        keys.TYPE: "document",
        keys.GSI2PK: keys.document_status_pk(doc.status.value),
        keys.GSI2SK: keys.iso(doc.updated_at),
        **doc.model_dump(),
    }


def _claim_index_keys(claim: Claim) -> dict[str, str | None]:
    """GSI keys of a claim in its current state (None = not in that index)."""
    published = claim.status is ClaimStatus.PUBLISHED and claim.published_at is not None
    # GSI2 is overloaded: the published feed, or (never both) the assignee's active claims.
    assigned = claim.assignee is not None and claim.status in (
        ClaimStatus.QUEUED,
        ClaimStatus.IN_REVIEW,
    )
    gsi2pk: str | None = None
    gsi2sk: str | None = None
    if published and claim.published_at:
        gsi2pk, gsi2sk = keys.PUBLISHED_PK, keys.published_sk(claim.published_at, claim.id)
    elif assigned and claim.assignee:
        gsi2pk = keys.assigned_pk(claim.assignee)
        gsi2sk = keys.queue_sk(claim.score, claim.created_at, claim.id)
    return {
        keys.GSI1PK: keys.queue_pk(claim.status.value),
        keys.GSI1SK: keys.queue_sk(claim.score, claim.created_at, claim.id),
        keys.GSI2PK: gsi2pk,
        keys.GSI2SK: gsi2sk,
        keys.GSI3PK: keys.document_claims_pk(claim.document_id),
        keys.GSI3SK: keys.document_claims_sk(claim.start, claim.id),
    }


def _claim_item(claim: Claim) -> dict[str, Any]:
    index = {k: v for k, v in _claim_index_keys(claim).items() if v is not None}
    return {**keys.claim_key(claim.id), keys.TYPE: "claim", **index, **claim.model_dump()}


def _event_item(event: Event) -> dict[str, Any]:
    return {**keys.event_key(event.claim_id, event.seq), keys.TYPE: "event", **event.model_dump()}


class _Expr:
    """Placeholders for expression attribute names and values."""

    def __init__(self) -> None:
        self.names: dict[str, str] = {}
        self.values: dict[str, Any] = {}

    def name(self, attr: str) -> str:
        for placeholder, existing in self.names.items():
            if existing == attr:
                return placeholder
        placeholder = f"#n{len(self.names)}"
        self.names[placeholder] = attr
        return placeholder

    def value(self, value: Any) -> str:
        placeholder = f":v{len(self.values)}"
        self.values[placeholder] = serialise_value(value)
        return placeholder

    def params(self) -> dict[str, Any]:
        out: dict[str, Any] = {"ExpressionAttributeNames": self.names}
        if self.values:
            out["ExpressionAttributeValues"] = self.values
        return out


# --- the repository ----------------------------------------------------------------------
_QUERY_WORKERS = 8
_query_pool_instance: ThreadPoolExecutor | None = None
_query_pool_lock = threading.Lock()


def _query_pool() -> ThreadPoolExecutor:
    """Threads shared by every repository of the process for independent reads (boto3
    clients are thread-safe); created on first use so a Lambda that never needs it pays
    nothing."""
    global _query_pool_instance
    with _query_pool_lock:
        if _query_pool_instance is None:
            _query_pool_instance = ThreadPoolExecutor(_QUERY_WORKERS, "dynamo-query")
        return _query_pool_instance


class DynamoRepository:
    """The storage contract (`factcheck.storage.repository.Repository`) on DynamoDB."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.table_name = settings.table_name
        self.rating_scale = RatingScale(settings.rating_scale)
        serialise_calls = settings.serialise_storage
        if serialise_calls is None:
            serialise_calls = settings.target is Target.LOCAL
        self.serialised = serialise_calls
        self._lock: contextlib.AbstractContextManager[Any] = (
            _PROCESS_LOCK if serialise_calls else contextlib.nullcontext()
        )
        self._secret = settings.cursor_secret.get_secret_value().encode("utf-8")
        self._client: DynamoDBClient | None = None
        self._client_lock = threading.Lock()

    # --- plumbing ----------------------------------------------------------------------
    @property
    def client(self) -> DynamoDBClient:
        """The boto3 client, created on first use (so a mock or endpoint is in place first)."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    config = Config(
                        retries={"max_attempts": 4, "mode": "standard"},
                        max_pool_connections=32,
                        connect_timeout=5,
                        read_timeout=30,
                    )
                    session = _new_session()
                    self._client = session.client(
                        "dynamodb",
                        config=config,
                        **self.settings.boto_kwargs(),
                    )
        return self._client

    def _call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """One DynamoDB call; ClientError codes become internal signals or StorageError."""
        method = getattr(self.client, operation)
        try:
            with self._lock:
                return dict(method(**kwargs))
        except ClientError as e:
            code = e.response.get("Error", {}).get("Code", "")
            if code == "ConditionalCheckFailedException":
                raise _ConditionFailed(str(e)) from e
            if code == "TransactionCanceledException":
                reasons = [
                    str(r.get("Code", "None")) for r in e.response.get("CancellationReasons", [])
                ]
                raise _Cancelled(reasons) from e
            if code == "ValidationException" and "size" in str(e).lower():
                raise DocumentTooLarge(f"the item is too large to store: {e}") from e
            raise StorageError(f"DynamoDB {operation} failed: {code}", code=code) from e
        except BotoCoreError as e:
            raise StorageError(f"DynamoDB {operation} failed: {e}") from e

    def _get(self, key: Mapping[str, str]) -> dict[str, Any] | None:
        resp = self._call(
            "get_item", TableName=self.table_name, Key=serialise(key), ConsistentRead=True
        )
        item = resp.get("Item")
        return dict(item) if item else None

    def _query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            resp = self._call("query", TableName=self.table_name, **kwargs)
            items.extend(resp.get("Items", []))
            last = resp.get("LastEvaluatedKey")
            if not last:
                return items
            kwargs["ExclusiveStartKey"] = last

    def _page(
        self,
        *,
        index: str,
        pk_attr: str,
        sk_attr: str,
        pk: str,
        forward: bool,
        limit: int,
        cursor: str | None,
    ) -> Page[Claim]:
        """One page of an index partition; the cursor is signed and bound to (index, pk)."""
        if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", field="limit")
        binding = f"{index}|{pk}"
        fields = (keys.PK, keys.SK, pk_attr, sk_attr)
        expr = _Expr()
        params: dict[str, Any] = {
            "IndexName": index,
            "KeyConditionExpression": f"{expr.name(pk_attr)} = {expr.value(pk)}",
            "ScanIndexForward": forward,
            "Limit": limit + 1,  # one more than asked: is there a next page at all?
            **expr.params(),
        }
        if cursor is not None:
            start = cursors.decode(self._secret, binding, cursor, fields)
            if start[pk_attr] != pk:
                raise InvalidCursor("the cursor belongs to another listing")
            params["ExclusiveStartKey"] = serialise(start)
        items: list[dict[str, Any]] = []
        while True:
            resp = self._call("query", TableName=self.table_name, **params)
            items.extend(resp.get("Items", []))
            last = resp.get("LastEvaluatedKey")
            if len(items) > limit or not last:
                break
            params["ExclusiveStartKey"] = last
            params["Limit"] = limit + 1 - len(items)
        page, more = items[:limit], len(items) > limit
        next_cursor = None
        if more:
            tail = page[-1]
            next_cursor = cursors.encode(
                self._secret, binding, {f: str(tail[f]["S"]) for f in fields}
            )
        return Page[Claim](items=[to_model(Claim, i) for i in page], next_cursor=next_cursor)

    # --- documents -----------------------------------------------------------------------
    def put_document(self, doc: Document) -> tuple[Document, bool]:
        """Write if absent. Returns (stored document, created). Raises DocumentTooLarge."""
        size = len(doc.text.encode("utf-8"))
        limit = self.settings.max_document_bytes
        if size > limit:
            raise DocumentTooLarge(
                f"the document has {size} bytes of text; the limit is {limit}",
                size=size,
                limit=limit,
            )
        attrs = _document_item(doc)
        encoded = json.dumps(to_attr(attrs), default=str).encode("utf-8")
        if len(encoded) > MAX_ITEM_BYTES:
            raise DocumentTooLarge(
                f"the document with its metadata is {len(encoded)} bytes; the limit is "
                f"{MAX_ITEM_BYTES}",
                size=len(encoded),
                limit=MAX_ITEM_BYTES,
            )
        try:
            self._call(
                "put_item",
                TableName=self.table_name,
                Item=serialise(attrs),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except _ConditionFailed:
            return self.get_document(doc.id), False
        return doc, True

    def get_document(self, doc_id: str) -> Document:
        item = self._get(keys.document_key(doc_id))
        if item is None:
            raise NotFound(f"document {doc_id} not found", id=doc_id)
        return to_model(Document, item)

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
        """Conditional status change; raises IllegalTransition when not in `expected`.

        `error` is kept when moving to `failed` and cleared on any other status.
        """
        allowed = None if expected is None else [DocumentStatus(s) for s in expected]
        if allowed is not None and not allowed:
            raise InvalidInput("expected must name at least one status", field="expected")
        at = _now(now)
        expr = _Expr()
        sets: dict[str, Any] = {
            "status": to.value,
            "updated_at": at,
            keys.GSI2PK: keys.document_status_pk(to.value),
            keys.GSI2SK: keys.iso(at),
        }
        if claim_count is not None:
            sets["claim_count"] = claim_count
        if error is not None:
            sets["error"] = error
        elif to is not DocumentStatus.FAILED:
            sets["error"] = None
        if to is DocumentStatus.RECEIVED:
            sets["requeues"] = 0  # back to the start: the sweeper's count starts again
        update = "SET " + ", ".join(f"{expr.name(k)} = {expr.value(v)}" for k, v in sets.items())
        condition = f"attribute_exists({expr.name(keys.PK)})"
        if allowed is not None:
            options = ", ".join(expr.value(s.value) for s in allowed)
            condition += f" AND {expr.name('status')} IN ({options})"
        for _ in range(MAX_ATTEMPTS):
            try:
                return self._update_document(doc_id, update, condition, expr)
            except _ConditionFailed as e:
                current = self.get_document(doc_id)  # NotFound when it does not exist
                if allowed is not None and current.status not in allowed:
                    raise IllegalTransition(
                        f"document {doc_id} is {current.status.value}, expected "
                        f"{' or '.join(s.value for s in allowed)}",
                        id=doc_id,
                        status=current.status.value,
                    ) from e
                # it was meanwhile moved into an expected status: try again
        raise Conflict(f"document {doc_id} kept changing; try again", id=doc_id)

    def stuck_documents(
        self, statuses: Iterable[DocumentStatus], older_than: datetime
    ) -> list[Document]:
        """Documents in `statuses` not updated since `older_than` (Query on GSI2), oldest first."""
        found: list[Document] = []
        for status in dict.fromkeys(DocumentStatus(s) for s in statuses):
            expr = _Expr()
            pk = expr.name(keys.GSI2PK)
            sk = expr.name(keys.GSI2SK)
            items = self._query_all(
                IndexName=keys.GSI2,
                KeyConditionExpression=(
                    f"{pk} = {expr.value(keys.document_status_pk(status.value))} "
                    f"AND {sk} < {expr.value(keys.iso(_now(older_than)))}"
                ),
                **expr.params(),
            )
            found.extend(to_model(Document, i) for i in items)
        return sorted(found, key=lambda d: (d.updated_at, d.id))

    def record_requeue(
        self,
        doc_id: str,
        statuses: Iterable[DocumentStatus],
        older_than: datetime,
        *,
        now: datetime | None = None,
    ) -> Document | None:
        """One conditional UpdateItem: two sweepers never both count (and queue) one document."""
        at = _now(now)
        expr = _Expr()
        options = ", ".join(expr.value(DocumentStatus(s).value) for s in statuses)
        condition = (
            f"{expr.name('status')} IN ({options}) "
            f"AND {expr.name(keys.GSI2SK)} < {expr.value(keys.iso(_now(older_than)))}"
        )
        requeues = expr.name("requeues")
        update = (
            f"SET {requeues} = if_not_exists({requeues}, {expr.value(0)}) + {expr.value(1)}, "
            f"{expr.name('updated_at')} = {expr.value(at)}, "
            f"{expr.name(keys.GSI2SK)} = {expr.value(keys.iso(at))}"
        )
        try:
            return self._update_document(doc_id, update, condition, expr)
        except _ConditionFailed:
            return None

    def _update_document(self, doc_id: str, update: str, condition: str, expr: _Expr) -> Document:
        """One conditional UpdateItem of a document; the document after it (or _ConditionFailed)."""
        resp = self._call(
            "update_item",
            TableName=self.table_name,
            Key=serialise(keys.document_key(doc_id)),
            UpdateExpression=update,
            ConditionExpression=condition,
            ReturnValues="ALL_NEW",
            **expr.params(),
        )
        return to_model(Document, resp["Attributes"])

    # --- claims ----------------------------------------------------------------------------
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
                self._transact(
                    [self._put_new(_claim_item(stored)), self._put_new(_event_item(event))]
                )
                return True
            except _Cancelled as e:
                if e.condition_failed:
                    return False  # already there: a duplicate delivery changes nothing
                if not e.transient:
                    raise StorageError(f"storing claim {claim.id} failed: {e}") from e
                _backoff(attempt)
        raise Conflict(f"claim {claim.id}: too many concurrent writes; try again", id=claim.id)

    def get_claim(self, claim_id: str) -> Claim:
        item = self._get(keys.claim_key(claim_id))
        if item is None:
            raise NotFound(f"claim {claim_id} not found", id=claim_id)
        return to_model(Claim, item)

    def document_claims(self, doc_id: str) -> list[Claim]:
        """Claims of one document in text order (Query on GSI3)."""
        expr = _Expr()
        items = self._query_all(
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
        return self._page(
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
        expr = _Expr()
        items = self._query_all(
            KeyConditionExpression=f"{expr.name(keys.PK)} = {expr.value(keys.claim_pk(claim_id))}",
            ConsistentRead=True,
            **expr.params(),
        )
        if not any(i[keys.SK]["S"] == keys.CLAIM_SK for i in items):
            raise NotFound(f"claim {claim_id} not found", id=claim_id)
        return [to_model(Event, i) for i in items if i[keys.SK]["S"].startswith(keys.EVENT_PREFIX)]

    def published(self, limit: int = 50, cursor: str | None = None) -> Page[Claim]:
        """Published claims, newest first (public ClaimReview feed; Query on GSI2)."""
        return self._page(
            index=keys.GSI2,
            pk_attr=keys.GSI2PK,
            sk_attr=keys.GSI2SK,
            pk=keys.PUBLISHED_PK,
            forward=False,
            limit=limit,
            cursor=cursor,
        )

    # --- lifecycle: the rules are in factcheck.domain.lifecycle; this only persists ------
    def lease(
        self,
        claim_id: str,
        actor: str | Actor,
        *,
        now: datetime | None = None,
        override_assignment: bool | None = None,
    ) -> Claim:
        """queued -> in_review, or take over an expired lease, or renew one's own lease.

        A claim assigned to someone else is theirs: LeaseConflict, unless the actor is an
        editor or admin (or `override_assignment` says otherwise)."""
        who = _actor(actor, "lease")
        duration = timedelta(seconds=self.settings.lease_seconds)
        return self._transition(
            claim_id,
            now,
            lambda claim, at: lifecycle.lease(
                claim, who, at, lease_for=duration, override_assignment=override_assignment
            ),
        )

    def release(self, claim_id: str, actor: str | Actor, *, now: datetime | None = None) -> Claim:
        """in_review -> queued, by the lease holder (even after the lease ran out)."""
        who = _actor(actor, "release")
        return self._transition(claim_id, now, lambda c, at: lifecycle.release(c, who, at))

    def add_source(
        self, claim_id: str, actor: str | Actor, source: Source, *, now: datetime | None = None
    ) -> Claim:
        """Attach a source (lease holder, unexpired lease). The same source id twice: no-op."""
        who = _actor(actor, "add_source")
        lifecycle.require_text(source.url, "url")
        return self._transition(
            claim_id, now, lambda c, at: lifecycle.add_source(c, who, at, source)
        )

    def give_verdict(
        self, claim_id: str, actor: str | Actor, verdict: Verdict, *, now: datetime | None = None
    ) -> Claim:
        """in_review -> reviewed by the holder of an unexpired lease; the lease ends."""
        who = _actor(actor, "give_verdict")
        checked = lifecycle.checked_verdict(verdict, self.rating_scale)
        return self._transition(
            claim_id,
            now,
            lambda c, at: lifecycle.give_verdict(c, who, at, checked, scale=self.rating_scale),
        )

    def approve(self, claim_id: str, actor: str | Actor, *, now: datetime | None = None) -> Claim:
        """reviewed -> published; raises FourEyesViolation if actor gave the verdict."""
        who = _actor(actor, "approve")
        return self._transition(claim_id, now, lambda c, at: lifecycle.approve(c, who, at))

    def send_back(
        self, claim_id: str, actor: str | Actor, comment: str, *, now: datetime | None = None
    ) -> Claim:
        """reviewed -> queued with a comment (the verdict is kept in the event)."""
        who = _actor(actor, "send_back")
        comment = lifecycle.require_text(comment, "comment")
        return self._transition(
            claim_id, now, lambda c, at: lifecycle.send_back(c, who, at, comment)
        )

    def dismiss(
        self,
        claim_id: str,
        actor: str | Actor,
        reason: str,
        *,
        now: datetime | None = None,
        override_lease: bool = False,
    ) -> Claim:
        """queued / in_review / reviewed -> dismissed with a reason.

        A claim someone else holds under a live lease is theirs: LeaseConflict, unless
        `override_lease`."""
        who = _actor(actor, "dismiss")
        reason = lifecycle.require_text(reason, "reason")
        return self._transition(
            claim_id,
            now,
            lambda c, at: lifecycle.dismiss(c, who, at, reason, override_lease=override_lease),
        )

    # --- newsroom: assignment, duplicates --------------------------------------------------
    def assign(
        self, claim_id: str, actor: str | Actor, assignee: str, *, now: datetime | None = None
    ) -> Claim:
        """Assign a queued or in-review claim to a reviewer (status unchanged; an event)."""
        who = _actor(actor, "assign")
        assignee = lifecycle.require_text(assignee, "reviewer")
        return self._transition(claim_id, now, lambda c, at: lifecycle.assign(c, who, at, assignee))

    def mark_duplicate(
        self,
        claim_id: str,
        actor: str | Actor,
        of_claim_id: str,
        *,
        now: datetime | None = None,
        override_lease: bool = False,
    ) -> Claim:
        """Dismiss a claim as a duplicate of a PUBLISHED one, in one transaction that also
        checks (ConditionCheck) that the other claim is still published."""
        who = _actor(actor, "mark_duplicate")
        if of_claim_id == claim_id:
            raise InvalidInput("a claim cannot be a duplicate of itself", field="claim_id")

        def plan(claim: Claim, at: datetime) -> lifecycle.Transition:
            try:
                original: Claim | None = self.get_claim(of_claim_id)
            except NotFound:
                original = None
            return lifecycle.mark_duplicate(
                claim, who, at, of_claim_id, original, override_lease=override_lease
            )

        expr = _Expr()
        still_published = {
            "ConditionCheck": {
                "TableName": self.table_name,
                "Key": serialise(keys.claim_key(of_claim_id)),
                "ConditionExpression": f"{expr.name('status')} = "
                f"{expr.value(ClaimStatus.PUBLISHED.value)}",
                **expr.params(),
            }
        }
        return self._transition(claim_id, now, plan, [still_published])

    # --- newsroom: listings ----------------------------------------------------------------
    def assigned_claims(
        self, assignee: str, limit: int = 20, cursor: str | None = None
    ) -> Page[Claim]:
        """Queued and in-review claims assigned to `assignee`, priority order (Query on GSI2)."""
        return self._page(
            index=keys.GSI2,
            pk_attr=keys.GSI2PK,
            sk_attr=keys.GSI2SK,
            pk=keys.assigned_pk(_require_text(assignee, "assignee")),
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
            expr = _Expr()
            params: dict[str, Any] = {
                "IndexName": keys.GSI1,
                "KeyConditionExpression": (
                    f"{expr.name(keys.GSI1PK)} = {expr.value(keys.queue_pk(status.value))}"
                ),
            }
            filters = []
            if created_from is not None:
                filters.append(f"{expr.name('created_at')} >= {expr.value(_now(created_from))}")
            if created_to is not None:
                filters.append(f"{expr.name('created_at')} < {expr.value(_now(created_to))}")
            if filters:
                params["FilterExpression"] = " AND ".join(filters)
            params.update(expr.params())
            while True:
                resp = self._call("query", TableName=self.table_name, **params)
                for item in resp.get("Items", []):
                    yield to_model(Claim, item)
                last = resp.get("LastEvaluatedKey")
                if not last:
                    break
                params["ExclusiveStartKey"] = last

    def get_claims(self, claim_ids: Sequence[str]) -> list[Claim]:
        """The claims that exist among `claim_ids`, in the order asked (BatchGetItem)."""
        wanted = list(dict.fromkeys(claim_ids))
        found: dict[str, Claim] = {}
        for i in range(0, len(wanted), MAX_BATCH_GET):
            pending: dict[str, Any] = {
                self.table_name: {
                    "Keys": [serialise(keys.claim_key(c)) for c in wanted[i : i + MAX_BATCH_GET]],
                    "ConsistentRead": True,
                }
            }
            for attempt in range(MAX_ATTEMPTS):
                resp = self._call("batch_get_item", RequestItems=pending)
                for item in resp.get("Responses", {}).get(self.table_name, []):
                    claim = to_model(Claim, item)
                    found[claim.id] = claim
                pending = resp.get("UnprocessedKeys") or {}
                if not pending:
                    break
                _backoff(attempt + 1)
            else:
                raise StorageError("DynamoDB kept leaving keys unprocessed")
        return [found[c] for c in wanted if c in found]

    # --- newsroom: claim matching and search indexes -----------------------------------------
    def index_claim(
        self,
        claim: Claim,
        *,
        buckets: Sequence[str],
        candidate: MatchCandidate,
        terms: Iterable[str],
    ) -> int:
        """Write the claim's LSH items (one per band) and search items (one per term).

        Plain puts of items derived from the claim: writing them again changes nothing, so
        a redelivered claim repairs an index write that a crash cut short.
        """
        fingerprint = candidate.model_dump()
        items: list[dict[str, Any]] = [
            {**keys.lsh_key(b, claim.id), keys.TYPE: "lsh", **fingerprint} for b in buckets
        ]
        items += [
            {**keys.word_key(t, claim.id), keys.TYPE: "word", "claim_id": claim.id}
            for t in dict.fromkeys(terms)
        ]
        self._batch_put(items)
        return len(items)

    def _batch_put(self, items: Sequence[Mapping[str, Any]]) -> None:
        for i in range(0, len(items), MAX_BATCH_WRITE):
            pending: dict[str, Any] = {
                self.table_name: [
                    {"PutRequest": {"Item": serialise(item)}}
                    for item in items[i : i + MAX_BATCH_WRITE]
                ]
            }
            for attempt in range(MAX_ATTEMPTS):
                resp = self._call("batch_write_item", RequestItems=pending)
                pending = resp.get("UnprocessedItems") or {}
                if not pending:
                    break
                _backoff(attempt + 1)
            else:
                raise StorageError("DynamoDB kept leaving index items unprocessed")

    def lsh_candidates(
        self, buckets: Sequence[str], *, per_bucket: int = 200
    ) -> list[MatchCandidate]:
        """Claims sharing at least one LSH bucket, each once: one Query per bucket (a Query
        cannot be batched), issued concurrently unless this process serialises its calls."""

        def query(bucket: str) -> dict[str, Any]:
            expr = _Expr()
            return self._call(
                "query",
                TableName=self.table_name,
                KeyConditionExpression=f"{expr.name(keys.PK)} = {expr.value(keys.lsh_pk(bucket))}",
                Limit=per_bucket,
                **expr.params(),
            )

        unique = list(dict.fromkeys(buckets))
        if self.serialised or len(unique) < 2:
            responses = [query(b) for b in unique]
        else:
            responses = list(_query_pool().map(query, unique))
        found: dict[str, MatchCandidate] = {}
        for resp in responses:
            for item in resp.get("Items", []):
                candidate = to_model(MatchCandidate, item)
                found.setdefault(candidate.claim_id, candidate)
        return list(found.values())

    def search_claims(
        self, terms: Sequence[str], *, status: ClaimStatus | None = None, limit: int = 20
    ) -> list[Claim]:
        """Claims whose text has every term (one Query per term, ids intersected, then
        BatchGetItem), optionally of one status, highest check-worthiness first."""
        terms = list(dict.fromkeys(t for t in terms if t))
        if not terms:
            raise InvalidInput("give at least one word to search for", field="q")
        if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", field="limit")
        ids: set[str] | None = None
        for term in terms:
            expr = _Expr()
            hits: set[str] = set()
            partition = f"{expr.name(keys.PK)} = {expr.value(keys.word_pk(term))}"
            params: dict[str, Any] = {
                "KeyConditionExpression": partition,
                "ProjectionExpression": expr.name(keys.SK),
                **expr.params(),
            }
            while len(hits) < MAX_TERM_HITS:
                resp = self._call("query", TableName=self.table_name, **params)
                hits.update(str(i[keys.SK]["S"]) for i in resp.get("Items", []))
                last = resp.get("LastEvaluatedKey")
                if not last:
                    break
                params["ExclusiveStartKey"] = last
            ids = hits if ids is None else ids & hits
            if not ids:
                return []
        claims = self.get_claims(sorted(ids or ()))
        if status is not None:
            claims = [c for c in claims if c.status is ClaimStatus(status)]
        claims.sort(key=lambda c: (-c.score, c.created_at, c.id))
        return claims[:limit]

    # --- webhooks ----------------------------------------------------------------------------
    def put_webhook(self, webhook: Webhook) -> Webhook:
        attrs = {**keys.webhook_key(webhook.id), keys.TYPE: "webhook", **webhook.model_dump()}
        try:
            self._call(
                "put_item",
                TableName=self.table_name,
                Item=serialise(attrs),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except _ConditionFailed as e:
            raise Conflict(f"webhook {webhook.id} already exists", id=webhook.id) from e
        return webhook

    def get_webhook(self, webhook_id: str) -> Webhook:
        item = self._get(keys.webhook_key(webhook_id))
        if item is None:
            raise NotFound(f"webhook {webhook_id} not found", id=webhook_id)
        return to_model(Webhook, item)

    def list_webhooks(self) -> list[Webhook]:
        """Every registered webhook, oldest first (one partition: a newsroom has a few)."""
        expr = _Expr()
        items = self._query_all(
            KeyConditionExpression=(
                f"{expr.name(keys.PK)} = {expr.value(keys.WEBHOOKS_PK)} AND "
                f"begins_with({expr.name(keys.SK)}, {expr.value(keys.WEBHOOK_PREFIX)})"
            ),
            ConsistentRead=True,
            **expr.params(),
        )
        hooks = [to_model(Webhook, i) for i in items]
        return sorted(hooks, key=lambda w: (w.created_at, w.id))

    def delete_webhook(self, webhook_id: str) -> None:
        """Raises NotFound. Its delivery records stay (they are the audit trail)."""
        try:
            self._call(
                "delete_item",
                TableName=self.table_name,
                Key=serialise(keys.webhook_key(webhook_id)),
                ConditionExpression="attribute_exists(PK)",
            )
        except _ConditionFailed as e:
            raise NotFound(f"webhook {webhook_id} not found", id=webhook_id) from e

    def record_delivery(self, delivery: Delivery) -> None:
        key = keys.delivery_key(
            delivery.webhook_id, delivery.at, delivery.event_id, delivery.attempt
        )
        attrs = {**key, keys.TYPE: "delivery", **delivery.model_dump()}
        self._call("put_item", TableName=self.table_name, Item=serialise(attrs))

    def deliveries(self, webhook_id: str, limit: int = 100) -> list[Delivery]:
        """The latest delivery attempts of a webhook, newest first."""
        if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
            raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", field="limit")
        expr = _Expr()
        resp = self._call(
            "query",
            TableName=self.table_name,
            KeyConditionExpression=(
                f"{expr.name(keys.PK)} = {expr.value(keys.webhook_pk(webhook_id))} AND "
                f"begins_with({expr.name(keys.SK)}, {expr.value(keys.DELIVERY_PREFIX)})"
            ),
            ScanIndexForward=False,
            Limit=limit,
            ConsistentRead=True,
            **expr.params(),
        )
        return [to_model(Delivery, i) for i in resp.get("Items", [])]

    def mark_delivered(self, webhook_id: str, event_id: str) -> bool:
        """Record that the receiver acknowledged the event; False if it already had."""
        attrs = {
            **keys.delivered_key(webhook_id, event_id),
            keys.TYPE: "delivered",
            "webhook_id": webhook_id,
            "event_id": event_id,
        }
        try:
            self._call(
                "put_item",
                TableName=self.table_name,
                Item=serialise(attrs),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except _ConditionFailed:
            return False
        return True

    def is_delivered(self, webhook_id: str, event_id: str) -> bool:
        return self._get(keys.delivered_key(webhook_id, event_id)) is not None

    def _transition(
        self,
        claim_id: str,
        now: datetime | None,
        decide: Callable[[Claim, datetime], lifecycle.Transition | None],
        checks: Sequence[dict[str, Any]] = (),
    ) -> Claim:
        """Read the claim, let the lifecycle decide, write its decision in ONE conditional
        transaction (claim update on the version read + the new event + `checks`); when the
        claim moved meanwhile, read it again and decide again."""
        at = _now(now)
        for attempt in range(MAX_ATTEMPTS):
            current = self.get_claim(claim_id)  # NotFound for an unknown id
            decided = decide(current, at)  # raises the precise domain error for this state
            if decided is None:
                return current
            try:
                self._transact(
                    [
                        self._update_claim(current, decided.claim),
                        self._put_new(_event_item(decided.event)),
                        *checks,
                    ]
                )
            except _Cancelled as e:
                if not (e.condition_failed or e.transient):
                    raise StorageError(f"updating claim {claim_id} failed: {e}") from e
                _backoff(attempt)  # someone moved the claim: read it again and re-decide
                continue
            return decided.claim
        raise Conflict(f"claim {claim_id} kept changing; try again", claim_id=claim_id)

    def _update_claim(self, current: Claim, new: Claim) -> dict[str, Any]:
        """The conditional Update of a transition: exactly the version and status read."""
        expr = _Expr()
        sets = {name: getattr(new, name) for name in MUTABLE_CLAIM_FIELDS}
        removes: list[str] = []
        for name, value in _claim_index_keys(new).items():
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
                "TableName": self.table_name,
                "Key": serialise(keys.claim_key(current.id)),
                "UpdateExpression": update,
                "ConditionExpression": condition,
                **expr.params(),
            }
        }

    def _put_new(self, attrs: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": serialise(attrs),
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        }

    def _transact(self, items: list[dict[str, Any]]) -> None:
        self._call("transact_write_items", TransactItems=items)

    # --- users -------------------------------------------------------------------------
    def put_user(self, user: User) -> None:
        """Create or replace the user behind a token hash (and the name's latest role)."""
        attrs = {**keys.user_key(user.token_hash), keys.TYPE: "user", **user.model_dump()}
        self._call("put_item", TableName=self.table_name, Item=serialise(attrs))
        by_name = {**keys.user_name_key(user.name), keys.TYPE: "username", **user.model_dump()}
        self._call("put_item", TableName=self.table_name, Item=serialise(by_name))

    def user_by_name(self, name: str) -> User:
        """The user of that name (as last written by put_user). Raises NotFound."""
        item = self._get(keys.user_name_key(name))
        if item is None:
            raise NotFound(f"no user is called {name!r}", name=name)
        return to_model(User, item)

    def user_by_token_hash(self, token_hash: str) -> User:
        """Raises NotFound."""
        item = self._get(keys.user_key(token_hash))
        if item is None:
            raise NotFound("no user has this token")
        return to_model(User, item)

    # --- admin ---------------------------------------------------------------------------
    def export_items(self) -> Iterator[dict[str, object]]:
        """Every raw item in DynamoDB JSON ({"PK": {"S": ...}}), lossless and JSON-safe.

        The ONLY Scan of the repository (admin export/backup; never on a user's path).
        """
        params: dict[str, Any] = {"TableName": self.table_name, "ConsistentRead": True}
        while True:
            resp = self._call("scan", **params)
            for item in resp.get("Items", []):
                yield dict(item)
            last = resp.get("LastEvaluatedKey")
            if not last:
                return
            params["ExclusiveStartKey"] = last

    def import_items(self, items: Iterable[dict[str, object]]) -> int:
        """Idempotent restore of exported items; returns how many were written.

        An item whose key is already in the table is left as it is (never clobbered), so
        importing the same export twice writes nothing the second time.
        """
        written = 0
        for number, item in enumerate(items):
            if not isinstance(item, dict) or not all(
                isinstance(item.get(k), dict) and "S" in item[k]  # type: ignore[operator]
                for k in (keys.PK, keys.SK)
            ):
                raise InvalidInput(f"item {number} is not an exported item (DynamoDB JSON)")
            try:
                self._call(
                    "put_item",
                    TableName=self.table_name,
                    Item=item,
                    ConditionExpression="attribute_not_exists(PK)",
                )
            except _ConditionFailed:
                continue
            written += 1
        return written


def _new_session() -> boto3.session.Session:
    """A fresh boto3 session that reuses the process's parsed service models."""
    global _LOADER
    core = botocore.session.get_session()
    with _LOADER_LOCK:
        if _LOADER is None:
            _LOADER = core.get_component("data_loader")
        else:
            core.register_component("data_loader", _LOADER)
    return boto3.session.Session(botocore_session=core)


def _backoff(attempt: int) -> None:
    """Short jittered pause before an optimistic retry (none before the first)."""
    if attempt:
        time.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 6)))
