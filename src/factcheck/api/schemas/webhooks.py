"""Webhooks and their delivery attempts."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from factcheck.api.schemas.base import ModelSchema, url_field
from factcheck.domain.models import WebhookEventType


class WebhookCreateSchema(ma.Schema):
    url = url_field(required=True)
    secret = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(min=16, max=256),
        metadata={"description": "Shared secret for the HMAC-SHA256 signature (16+ chars)."},
    )
    events = fields.List(
        fields.Enum(WebhookEventType, by_value=True),
        required=True,
        validate=validate.Length(min=1, max=len(WebhookEventType)),
    )


class WebhookSchema(ModelSchema):
    id = fields.String(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.Enum(WebhookEventType, by_value=True), required=True)
    created_by = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class WebhookListSchema(ModelSchema):
    items = fields.List(fields.Nested(WebhookSchema), required=True)


class DeliverySchema(ModelSchema):
    webhook_id = fields.String(required=True)
    event_id = fields.String(required=True)
    event_type = fields.Enum(WebhookEventType, by_value=True, required=True)
    attempt = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    ok = fields.Boolean(required=True)
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    duration_ms = fields.Integer(required=True)


class DeliveryListSchema(ModelSchema):
    webhook_id = fields.String(required=True)
    items = fields.List(fields.Nested(DeliverySchema), required=True)


class DeliveryQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))
