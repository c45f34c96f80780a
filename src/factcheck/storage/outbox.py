"""The webhook outbox: an event is written in the same transaction as the change that
causes it (a claim transition, a document becoming `extracted`), so a crash between the
commit and the SendMessage loses nothing: the item stays `pending` (GSI2 partition
`OUTBOX#pending`, oldest first) until it is queued for its webhooks, and the sweeper
queues whatever stayed pending too long. `sent_to` collects the webhooks whose receiver
acknowledged it; it is `sent` once every webhook it was queued for has."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from factcheck.domain.models import utcnow
from factcheck.domain.outbox import WebhookEvent
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.client import ConditionFailed, resolve_now
from factcheck.storage.codec import deserialise, serialise
from factcheck.storage.expressions import Expr

PENDING, QUEUED, SENT = "pending", "queued", "sent"


def outbox_item(event: WebhookEvent, *, now: datetime | None = None) -> dict[str, Any]:
    """The outbox item of `event`, pending (in GSI2's `OUTBOX#pending` partition, ordered
    by the time of the change that caused it, as documents are by their last update)."""
    at = resolve_now(now or event.created_at)
    return {
        **keys.outbox_key(event.id),
        keys.TYPE: "outbox",
        keys.GSI2PK: keys.OUTBOX_PENDING_PK,
        keys.GSI2SK: keys.outbox_pending_sk(at, event.id),
        "event_id": event.id,
        "event_type": event.type.value,
        "event": event.model_dump_json(),
        "state": PENDING,
        "created_at": at,
    }


def outbox_put(table: str, event: WebhookEvent) -> dict[str, Any]:
    """A TransactWriteItems Put of the outbox item: the same event id is the same event, so
    a plain Put (no condition) never cancels the transition it rides with."""
    return {"Put": {"TableName": table, "Item": serialise(outbox_item(event))}}


class OutboxEntry:
    """An outbox item as read: the event, its state, the webhooks queued for and sent to."""

    def __init__(self, attrs: dict[str, Any]) -> None:
        self.event = WebhookEvent.model_validate_json(str(attrs["event"]))
        self.state = str(attrs.get("state", PENDING))
        self.targets = sorted(attrs.get("targets") or [])
        self.sent_to = sorted(attrs.get("sent_to") or [])
        self.created_at = str(attrs.get("created_at", ""))


class Outbox(Store):
    """Outbox items: put (with the transition, or alone), listed while pending, marked."""

    def put_outbox(self, event: WebhookEvent) -> bool:
        """Write `event` if it is not in the outbox yet; False when it already was."""
        try:
            self.db.call(
                "put_item",
                TableName=self.db.name,
                Item=serialise(outbox_item(event)),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ConditionFailed:
            return False
        return True

    def get_outbox(self, event_id: str) -> OutboxEntry | None:
        item = self.db.get(keys.outbox_key(event_id))
        return None if item is None else OutboxEntry(deserialise(item))

    def pending_outbox(self, older_than: datetime, limit: int = 500) -> list[OutboxEntry]:
        """Events still pending that were written before `older_than`, oldest first."""
        expr = Expr()
        resp = self.db.call(
            "query",
            TableName=self.db.name,
            IndexName=keys.GSI2,
            KeyConditionExpression=(
                f"{expr.name(keys.GSI2PK)} = {expr.value(keys.OUTBOX_PENDING_PK)} AND "
                f"{expr.name(keys.GSI2SK)} < {expr.value(keys.iso(resolve_now(older_than)))}"
            ),
            Limit=limit,
            **expr.params(),
        )
        return [OutboxEntry(deserialise(i)) for i in resp.get("Items", [])]

    def mark_outbox_queued(self, event_id: str, targets: list[str]) -> bool:
        """pending -> queued for `targets` (it leaves the pending partition); False if it
        was not pending (queued meanwhile by another process, or absent)."""
        expr = Expr()
        # no webhook subscribed: nothing to send, so it is done
        sets = {"state": QUEUED if targets else SENT, "queued_at": utcnow(), "targets": targets}
        update = "SET " + ", ".join(f"{expr.name(k)} = {expr.value(v)}" for k, v in sets.items())
        update += f" REMOVE {expr.name(keys.GSI2PK)}, {expr.name(keys.GSI2SK)}"
        try:
            self.db.call(
                "update_item",
                TableName=self.db.name,
                Key=serialise(keys.outbox_key(event_id)),
                UpdateExpression=update,
                ConditionExpression=f"{expr.name('state')} = {expr.value(PENDING)}",
                **expr.params(),
            )
        except ConditionFailed:
            return False
        return True

    def mark_outbox_sent(self, event_id: str, webhook_id: str) -> None:
        """Record that `webhook_id`'s receiver acknowledged the event; `sent` once all
        the webhooks it was queued for have. An event with no outbox item: nothing."""
        expr = Expr()
        try:
            resp = self.db.call(
                "update_item",
                TableName=self.db.name,
                Key=serialise(keys.outbox_key(event_id)),
                UpdateExpression=f"ADD {expr.name('sent_to')} {expr.value({webhook_id})}",
                ConditionExpression=f"attribute_exists({expr.name(keys.PK)})",
                ReturnValues="ALL_NEW",
                **expr.params(),
            )
        except ConditionFailed:
            return
        entry = OutboxEntry(deserialise(resp["Attributes"]))
        if entry.state == QUEUED and set(entry.targets) <= set(entry.sent_to):
            done = Expr()
            self.db.call(
                "update_item",
                TableName=self.db.name,
                Key=serialise(keys.outbox_key(event_id)),
                UpdateExpression=f"SET {done.name('state')} = {done.value(SENT)}",
                **done.params(),
            )
