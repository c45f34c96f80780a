"""Webhooks: registrations in one partition, and per webhook its delivery attempts (newest
first) and the events its receiver acknowledged (exactly once)."""

from __future__ import annotations

from factcheck.domain.errors import Conflict, NotFound
from factcheck.domain.models import Delivery, Webhook
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.client import ConditionFailed
from factcheck.storage.codec import serialise, to_model
from factcheck.storage.expressions import Expr
from factcheck.storage.paging import check_limit


class Webhooks(Store):
    """Webhooks: registrations in one partition, and per webhook its delivery attempts (newest"""

    def put_webhook(self, webhook: Webhook) -> Webhook:
        attrs = {**keys.webhook_key(webhook.id), keys.TYPE: "webhook", **webhook.model_dump()}
        try:
            self.db.call(
                "put_item",
                TableName=self.db.name,
                Item=serialise(attrs),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ConditionFailed as e:
            raise Conflict(f"webhook {webhook.id} already exists", id=webhook.id) from e
        return webhook

    def get_webhook(self, webhook_id: str) -> Webhook:
        item = self.db.get(keys.webhook_key(webhook_id))
        if item is None:
            raise NotFound(f"webhook {webhook_id} not found", id=webhook_id)
        return to_model(Webhook, item)

    def list_webhooks(self) -> list[Webhook]:
        """Every registered webhook, oldest first (one partition: a newsroom has a few)."""
        expr = Expr()
        items = self.db.query_all(
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
            self.db.call(
                "delete_item",
                TableName=self.db.name,
                Key=serialise(keys.webhook_key(webhook_id)),
                ConditionExpression="attribute_exists(PK)",
            )
        except ConditionFailed as e:
            raise NotFound(f"webhook {webhook_id} not found", id=webhook_id) from e

    def record_delivery(self, delivery: Delivery) -> None:
        key = keys.delivery_key(
            delivery.webhook_id, delivery.at, delivery.event_id, delivery.attempt
        )
        attrs = {**key, keys.TYPE: "delivery", **delivery.model_dump()}
        self.db.call("put_item", TableName=self.db.name, Item=serialise(attrs))

    def deliveries(self, webhook_id: str, limit: int = 100) -> list[Delivery]:
        """The latest delivery attempts of a webhook, newest first."""
        check_limit(limit)
        expr = Expr()
        resp = self.db.call(
            "query",
            TableName=self.db.name,
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
            self.db.call(
                "put_item",
                TableName=self.db.name,
                Item=serialise(attrs),
                ConditionExpression="attribute_not_exists(PK)",
            )
        except ConditionFailed:
            return False
        return True

    def is_delivered(self, webhook_id: str, event_id: str) -> bool:
        return self.db.get(keys.delivered_key(webhook_id, event_id)) is not None
