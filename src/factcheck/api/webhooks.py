"""Webhooks (admin): register a URL and secret for events, list, delete, see deliveries."""

from __future__ import annotations

import secrets
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from factcheck.api.auth import Permission, current_user, requires
from factcheck.api.common import Blueprint, check_id, error_responses
from factcheck.api.schemas import (
    DeliveryListSchema,
    DeliveryQuerySchema,
    WebhookCreateSchema,
    WebhookListSchema,
    WebhookSchema,
)
from factcheck.api.services import services
from factcheck.domain.models import Webhook
from factcheck.webhooks.targets import check_target

blp = Blueprint(
    "webhooks",
    __name__,
    url_prefix="/webhooks",
    description="Notify other systems of claim.reviewed, claim.published and "
    "document.extracted: signed (X-Factcheck-Signature: sha256=<HMAC-SHA256 of the raw "
    "body>), retried with backoff, dead-lettered. Admin only.",
)


def _webhook_id(webhook_id: str) -> str:
    return check_id(webhook_id, "webhook")


@blp.route("")
class Webhooks(MethodView):
    @requires(Permission.MANAGE_WEBHOOKS)
    @blp.arguments(WebhookCreateSchema)
    @blp.response(201, WebhookSchema, description="Registered (the secret is never shown).")
    @error_responses(blp, 415)
    def post(self, data: dict[str, Any]) -> Webhook:
        """Register a webhook: an http(s) URL on a public address, a secret, the events."""
        svc = services()
        check_target(data["url"], allow_private=svc.settings.webhooks_allow_private)
        webhook = Webhook(
            id="w" + secrets.token_hex(8),
            url=data["url"],
            secret=data["secret"],
            events=list(dict.fromkeys(data["events"])),
            created_by=current_user().name,
        )
        return svc.repository.put_webhook(webhook)

    @requires(Permission.MANAGE_WEBHOOKS)
    @blp.response(200, WebhookListSchema)
    def get(self) -> dict[str, Any]:
        """List the registered webhooks."""
        return {"items": services().repository.list_webhooks()}


@blp.route("/<string:webhook_id>")
class WebhookById(MethodView):
    @requires(Permission.MANAGE_WEBHOOKS)
    @blp.response(204, description="Deleted; queued deliveries to it are dropped.")
    @error_responses(blp, 404)
    def delete(self, webhook_id: str) -> None:
        """Delete a webhook (its delivery records stay)."""
        services().repository.delete_webhook(_webhook_id(webhook_id))


@blp.route("/<string:webhook_id>/deliveries")
class Deliveries(MethodView):
    @requires(Permission.MANAGE_WEBHOOKS)
    @blp.arguments(DeliveryQuerySchema, location="query", as_kwargs=True, unknown=ma.RAISE)
    @blp.response(200, DeliveryListSchema)
    @error_responses(blp, 404)
    def get(self, webhook_id: str, limit: int) -> dict[str, Any]:
        """Every delivery attempt of a webhook, newest first."""
        repo = services().repository
        webhook = repo.get_webhook(_webhook_id(webhook_id))
        return {"webhook_id": webhook.id, "items": repo.deliveries(webhook.id, limit=limit)}
