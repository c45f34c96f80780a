"""Review inputs: sources, verdicts, send-back, dismissal, duplicates, assignment, bulk
actions, search and export queries."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from factcheck.api.schemas.base import ModelSchema, not_blank, text_field, url_field
from factcheck.domain.models import ClaimStatus


class SourceCreateSchema(ma.Schema):
    url = url_field(required=True)
    title = text_field(500)
    quote = text_field(
        2000,
        metadata={"description": "The passage of the source that supports the verdict."},
    )
    note = text_field(2000, metadata={"description": "A remark on the source (a page...)."})


class VerdictCreateSchema(ma.Schema):
    rating = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=100), not_blank],
        metadata={"description": "A label of the configured rating scale (see /claim-reviews)."},
    )
    summary = text_field(5000, required=True)
    claim_reviewed = fields.String(
        validate=[validate.Length(min=1, max=74), not_blank],
        metadata={
            "description": "Short neutral restatement of the claim for ClaimReview "
            "(under 75 characters, no verdict). Default: the claim sentence, shortened."
        },
    )


class SendBackSchema(ma.Schema):
    comment = text_field(2000, required=True)


class DismissSchema(ma.Schema):
    reason = text_field(2000, required=True)


ID_PATTERN = r"^c[0-9a-f]{16}$"


MAX_BULK = 100


class DuplicateOfSchema(ma.Schema):
    claim_id = fields.String(
        required=True,
        validate=validate.Regexp(ID_PATTERN, error="Not a claim id."),
        metadata={"description": "The published claim this one repeats."},
    )


class AssignSchema(ma.Schema):
    reviewer = text_field(100, required=True, metadata={"description": "A reviewer's user name."})


class BulkSchema(ma.Schema):
    action = fields.String(required=True, validate=validate.OneOf(["dismiss", "assign"]))
    claim_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        required=True,
        validate=validate.Length(min=1, max=MAX_BULK),
    )
    reason = text_field(2000, metadata={"description": "dismiss: the reason (required)."})
    reviewer = text_field(100, metadata={"description": "assign: the reviewer (required)."})

    @ma.validates_schema
    def needs_its_argument(self, data: dict[str, Any], **_: Any) -> None:
        needed = {"dismiss": "reason", "assign": "reviewer"}.get(data.get("action", ""))
        if needed and needed not in data:
            raise ma.ValidationError({needed: [f"Required for action {data['action']!r}."]})


class BulkItemSchema(ModelSchema):
    claim_id = fields.String(required=True)
    result = fields.String(
        required=True, metadata={"description": "ok, not_found, forbidden, conflict or invalid"}
    )
    code = fields.String(allow_none=True, metadata={"description": "The error code, if any."})
    message = fields.String(allow_none=True)
    status = fields.Enum(ClaimStatus, by_value=True, allow_none=True)


class BulkResultSchema(ModelSchema):
    action = fields.String(required=True)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)
    items = fields.List(fields.Nested(BulkItemSchema), required=True)


class SearchQuerySchema(ma.Schema):
    q = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=300), not_blank],
        metadata={"description": "Words (and numbers) the claim must all contain."},
    )
    status = fields.Enum(ClaimStatus, by_value=True)
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))


class ExportQuerySchema(ma.Schema):
    status = fields.List(
        fields.Enum(ClaimStatus, by_value=True),
        metadata={"description": "Repeat for several; default: every status."},
    )
    created_from = fields.AwareDateTime(
        default_timezone=UTC, metadata={"description": "created_at >= this (ISO 8601)."}
    )
    created_to = fields.AwareDateTime(
        default_timezone=UTC, metadata={"description": "created_at < this (ISO 8601)."}
    )

    @ma.validates_schema
    def ordered(self, data: dict[str, Any], **_: Any) -> None:
        start, end = data.get("created_from"), data.get("created_to")
        if start and end and start >= end:
            raise ma.ValidationError({"created_to": ["Must be after created_from."]})
