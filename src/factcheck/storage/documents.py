"""Documents: written if absent (content-hash ids make re-submission idempotent), then moved
through received -> extracting -> extracted/failed by conditional updates; a GSI2 partition
per status, ordered by last update, finds the stuck ones for the sweeper."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from factcheck.domain.errors import (
    Conflict,
    DocumentTooLarge,
    IllegalTransition,
    InvalidInput,
    NotFound,
    StorageError,
)
from factcheck.domain.models import Document, DocumentStatus
from factcheck.domain.outbox import document_event
from factcheck.observability import logger
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.client import (
    MAX_ATTEMPTS,
    Cancelled,
    ConditionFailed,
    backoff,
    resolve_now,
)
from factcheck.storage.codec import deserialise, serialise, to_attr, to_model
from factcheck.storage.expressions import Expr
from factcheck.storage.outbox import outbox_put

STORED = "stored_claims"  # string set: the ids of this document's claims the store step saw

_WITHOUT_CLAIMS = (DocumentStatus.NO_TEXT, DocumentStatus.UNSUPPORTED_LANGUAGE)

MAX_ITEM_BYTES = 380_000  # DynamoDB's hard limit is 400 KB per item (layout included)


def document_item(doc: Document) -> dict[str, Any]:
    return {
        **keys.document_key(doc.id),
        keys.TYPE: "document",
        keys.GSI2PK: keys.document_status_pk(doc.status.value),
        keys.GSI2SK: keys.iso(doc.updated_at),
        **doc.model_dump(),
    }


class Documents(Store):
    """Documents: written once, then a conditional status machine the pipeline drives."""

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
        attrs = document_item(doc)
        encoded = json.dumps(to_attr(attrs), default=str).encode("utf-8")
        if len(encoded) > MAX_ITEM_BYTES and doc.layout is not None:
            # The layout is an aid, the text is the document: above the item limit the
            # document is stored without it and extracts from its text alone (as before
            # layouts were kept: paragraphs from blank lines, no block kinds).
            logger.warning(
                "document stored without its layout (over the item limit)",
                extra={"document_id": doc.id, "bytes": len(encoded), "blocks": len(doc.layout)},
            )
            doc = doc.model_copy(update={"layout": None})
            attrs = document_item(doc)
            encoded = json.dumps(to_attr(attrs), default=str).encode("utf-8")
        if len(encoded) > MAX_ITEM_BYTES:
            raise DocumentTooLarge(
                f"the document with its metadata is {len(encoded)} bytes; the limit is "
                f"{MAX_ITEM_BYTES}",
                size=len(encoded),
                limit=MAX_ITEM_BYTES,
            )
        try:
            self.db.call(
                "put_item",
                TableName=self.db.name,
                Item=serialise(attrs),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ConditionFailed:
            return self.get_document(doc.id), False
        return doc, True

    def get_document(self, doc_id: str) -> Document:
        item = self.db.get(keys.document_key(doc_id))
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
        at = resolve_now(now)
        expr = Expr()
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
            sets["claims_queued_at"] = None  # and its claims are to be sent again
        update = "SET " + ", ".join(f"{expr.name(k)} = {expr.value(v)}" for k, v in sets.items())
        condition = f"attribute_exists({expr.name(keys.PK)})"
        if allowed is not None:
            options = ", ".join(expr.value(s.value) for s in allowed)
            condition += f" AND {expr.name('status')} IN ({options})"
        for _ in range(MAX_ATTEMPTS):
            try:
                return self._update_document(doc_id, update, condition, expr)
            except ConditionFailed as e:
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
            expr = Expr()
            pk = expr.name(keys.GSI2PK)
            sk = expr.name(keys.GSI2SK)
            items = self.db.query_all(
                IndexName=keys.GSI2,
                KeyConditionExpression=(
                    f"{pk} = {expr.value(keys.document_status_pk(status.value))} "
                    f"AND {sk} < {expr.value(keys.iso(resolve_now(older_than)))}"
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
        at = resolve_now(now)
        expr = Expr()
        options = ", ".join(expr.value(DocumentStatus(s).value) for s in statuses)
        condition = (
            f"{expr.name('status')} IN ({options}) "
            f"AND {expr.name(keys.GSI2SK)} < {expr.value(keys.iso(resolve_now(older_than)))}"
        )
        requeues = expr.name("requeues")
        update = (
            f"SET {requeues} = if_not_exists({requeues}, {expr.value(0)}) + {expr.value(1)}, "
            f"{expr.name('updated_at')} = {expr.value(at)}, "
            f"{expr.name(keys.GSI2SK)} = {expr.value(keys.iso(at))} "
            f"REMOVE {expr.name('claims_queued_at')}"  # the re-drive sends what is missing
        )
        try:
            return self._update_document(doc_id, update, condition, expr)
        except ConditionFailed:
            return None

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
        """Record what extraction produced, BEFORE its claims are queued (the document stays
        `extracting`). Returns (document, completed): completed when every claim was already
        stored (or there are none), so this call made it `extracted` (with its outbox event).
        `final` (`no_text` / `unsupported_language`) instead ends it in that status, with no
        claims and no event: (document, False). `language` is recorded either way.
        Raises IllegalTransition when the document is not `extracting`."""
        if final is not None and (final not in _WITHOUT_CLAIMS or claim_ids):
            raise InvalidInput(f"{final} is not a status that ends with no claims", field="final")
        at = resolve_now(now)
        expr = Expr()
        sets: dict[str, Any] = {
            "claim_ids": list(claim_ids),
            "claim_count": len(claim_ids),
            "error": error,
            "language": language,
            "updated_at": at,
            keys.GSI2SK: keys.iso(at),
        }
        if final is not None:
            sets["status"] = final.value
            sets[keys.GSI2PK] = keys.document_status_pk(final.value)
        update = "SET " + ", ".join(f"{expr.name(k)} = {expr.value(v)}" for k, v in sets.items())
        condition = f"{expr.name('status')} = {expr.value(DocumentStatus.EXTRACTING.value)}"
        try:
            resp = self.db.call(
                "update_item",
                TableName=self.db.name,
                Key=serialise(keys.document_key(doc_id)),
                UpdateExpression=update,
                ConditionExpression=condition,
                ReturnValues="ALL_NEW",
                **expr.params(),
            )
        except ConditionFailed as e:
            current = self.get_document(doc_id)
            raise IllegalTransition(
                f"document {doc_id} is {current.status.value}, expected extracting",
                id=doc_id,
                status=current.status.value,
            ) from e
        doc = to_model(Document, resp["Attributes"])
        if final is not None:
            return doc, False
        done = self._complete_if_stored(resp["Attributes"], now=at)
        return (done or doc), done is not None

    def mark_claims_queued(self, doc_id: str, *, now: datetime | None = None) -> None:
        """Every recorded claim was sent: a redelivery of the document message is then a
        no-op (a claim lost after this is the sweeper's to heal). Only while `extracting`."""
        expr = Expr()
        with contextlib.suppress(ConditionFailed):  # completed meanwhile: nothing to mark
            self.db.call(
                "update_item",
                TableName=self.db.name,
                Key=serialise(keys.document_key(doc_id)),
                UpdateExpression=(
                    f"SET {expr.name('claims_queued_at')} = {expr.value(resolve_now(now))}"
                ),
                ConditionExpression=(
                    f"{expr.name('status')} = {expr.value(DocumentStatus.EXTRACTING.value)}"
                ),
                **expr.params(),
            )

    def claim_stored(
        self, doc_id: str, claim_id: str, *, now: datetime | None = None
    ) -> Document | None:
        """The store step saw `claim_id` stored: add it to the document's stored set (ADD is
        idempotent). Returns the document when this call made it `extracted` (the last of
        its claims), else None (more to come, already extracted, or no such document)."""
        expr = Expr()
        try:
            resp = self.db.call(
                "update_item",
                TableName=self.db.name,
                Key=serialise(keys.document_key(doc_id)),
                UpdateExpression=f"ADD {expr.name(STORED)} {expr.value({claim_id})}",
                ConditionExpression=f"attribute_exists({expr.name(keys.PK)})",
                ReturnValues="ALL_NEW",
                **expr.params(),
            )
        except ConditionFailed:
            return None
        return self._complete_if_stored(resp["Attributes"], now=now)

    def stored_claim_ids(self, doc_id: str) -> set[str]:
        """The ids the store step recorded for a document (empty for an unknown one)."""
        item = self.db.get(keys.document_key(doc_id))
        return set(deserialise(item).get(STORED) or ()) if item else set()

    def _complete_if_stored(
        self, item: dict[str, Any], *, now: datetime | None = None
    ) -> Document | None:
        """`extracting` -> `extracted` with its document.extracted event in the outbox (one
        transaction), when the recorded claims are all stored; else None."""
        attrs = deserialise(item)
        expected = attrs.get("claim_ids")
        if attrs.get("status") != DocumentStatus.EXTRACTING.value or expected is None:
            return None
        if not set(expected) <= set(attrs.get(STORED) or ()):
            return None
        at = resolve_now(now)
        doc = to_model(Document, item).model_copy(
            update={"status": DocumentStatus.EXTRACTED, "updated_at": at}
        )
        expr = Expr()
        sets = {
            "status": doc.status.value,
            "updated_at": at,
            keys.GSI2PK: keys.document_status_pk(doc.status.value),
            keys.GSI2SK: keys.iso(at),
        }
        update = "SET " + ", ".join(f"{expr.name(k)} = {expr.value(v)}" for k, v in sets.items())
        condition = (
            f"{expr.name('status')} = {expr.value(DocumentStatus.EXTRACTING.value)} AND "
            f"{expr.name('claim_count')} = {expr.value(len(expected))}"
        )
        status_write = {
            "Update": {
                "TableName": self.db.name,
                "Key": serialise(keys.document_key(doc.id)),
                "UpdateExpression": update,
                "ConditionExpression": condition,
                **expr.params(),
            }
        }
        for attempt in range(MAX_ATTEMPTS):
            try:
                self.db.transact([status_write, outbox_put(self.db.name, document_event(doc))])
            except Cancelled as e:
                if e.condition_failed:
                    return None  # completed (or re-extracted) by someone else meanwhile
                if not e.transient:
                    raise StorageError(f"completing document {doc.id} failed: {e}") from e
                backoff(attempt)
                continue
            return doc
        return None

    def _update_document(self, doc_id: str, update: str, condition: str, expr: Expr) -> Document:
        """One conditional UpdateItem of a document; the document after it (or ConditionFailed)."""
        resp = self.db.call(
            "update_item",
            TableName=self.db.name,
            Key=serialise(keys.document_key(doc_id)),
            UpdateExpression=update,
            ConditionExpression=condition,
            ReturnValues="ALL_NEW",
            **expr.params(),
        )
        return to_model(Document, resp["Attributes"])
