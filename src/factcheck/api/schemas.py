"""marshmallow schemas of the HTTP layer (the domain itself is pydantic).

Input schemas refuse unknown fields (marshmallow's default), so a typo is a 422 that names
the field rather than a silently ignored value. Output schemas mirror the domain models;
nullable fields say so, so the OpenAPI document describes exactly what is sent.
"""

from __future__ import annotations

from datetime import UTC
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from factcheck.domain.models import ClaimStatus, DocumentStatus, WebhookEventType

HTTP_SCHEMES = {"http", "https"}
MAX_URL = 2048


def not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def _text(max_len: int, **kwargs: Any) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=max_len), not_blank], **kwargs)


def _url(**kwargs: Any) -> fields.Url:
    return fields.Url(
        schemes=HTTP_SCHEMES,
        validate=validate.Length(max=MAX_URL),
        metadata={"description": "An absolute http(s) URL."},
        **kwargs,
    )


# -- documents ---------------------------------------------------------------------------


class DocumentCreateSchema(ma.Schema):
    title = _text(500)
    text = fields.String(
        validate=validate.Length(min=1),
        metadata={"description": "The article as plain text (exactly one of text, html)."},
    )
    html = fields.String(
        validate=validate.Length(min=1),
        metadata={
            "description": "The article page as HTML; its main text is extracted "
            "(exactly one of text, html)."
        },
    )
    url = _url()
    author = _text(200)
    published_at = fields.AwareDateTime(
        default_timezone=UTC,
        metadata={"description": "When the article was published (ISO 8601; UTC if naive)."},
    )

    @ma.validates_schema
    def exactly_one_body(self, data: dict[str, Any], **_: Any) -> None:
        given = [key for key in ("text", "html") if key in data]
        if len(given) != 1:
            message = "Give exactly one of 'text' or 'html'."
            raise ma.ValidationError({"text": [message], "html": [message]})


class DocumentSchema(ma.Schema):
    id = fields.String(required=True)
    title = fields.String(allow_none=True)
    text = fields.String(required=True)
    url = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    status = fields.Enum(DocumentStatus, by_value=True, required=True)
    claim_count = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class DocumentRefSchema(ma.Schema):
    id = fields.String(required=True)
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)


# -- claims ------------------------------------------------------------------------------


class QuantitySchema(ma.Schema):
    kind = fields.String(required=True)
    low = fields.Float(required=True)
    high = fields.Float(required=True)
    unit = fields.String(allow_none=True)
    text = fields.String(required=True)


class SourceSchema(ma.Schema):
    id = fields.String(required=True)
    url = fields.String(required=True)
    title = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    added_by = fields.String(required=True)
    added_at = fields.DateTime(required=True)


class VerdictSchema(ma.Schema):
    rating = fields.String(required=True)
    summary = fields.String(required=True)
    claim_reviewed = fields.String(allow_none=True)
    reviewer = fields.String(required=True)
    given_at = fields.DateTime(required=True)


class ClaimMatchSchema(ma.Schema):
    claim_id = fields.String(required=True)
    document_id = fields.String(required=True)
    similarity = fields.Float(required=True, metadata={"description": "0..1 (>= threshold)."})
    status = fields.Enum(ClaimStatus, by_value=True, required=True)
    rating = fields.String(allow_none=True)


class ClaimSchema(ma.Schema):
    id = fields.String(required=True)
    document_id = fields.String(required=True)
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    score = fields.Float(required=True, metadata={"description": "Check-worthiness, 0..1."})
    reasons = fields.Dict(keys=fields.String(), values=fields.Float())
    categories = fields.List(fields.String())
    quantities = fields.List(fields.Nested(QuantitySchema))
    context_before = fields.String()
    context_after = fields.String()
    status = fields.Enum(ClaimStatus, by_value=True, required=True)
    lease_holder = fields.String(allow_none=True)
    lease_expires_at = fields.DateTime(allow_none=True)
    sources = fields.List(fields.Nested(SourceSchema))
    verdict = fields.Nested(VerdictSchema, allow_none=True)
    approved_by = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    dismiss_reason = fields.String(allow_none=True)
    comment = fields.String(allow_none=True)
    matches = fields.List(
        fields.Nested(ClaimMatchSchema),
        metadata={"description": "Earlier claims (other documents) that say the same thing."},
    )
    duplicate_of = fields.String(allow_none=True)
    assignee = fields.String(allow_none=True)
    version = fields.Integer(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class CheckedBeforeSchema(ma.Schema):
    claim_id = fields.String(required=True)
    text = fields.String(required=True)
    similarity = fields.Float(required=True)
    rating = fields.String(required=True)
    summary = fields.String(required=True)
    published_at = fields.DateTime(allow_none=True)
    claim_review_url = fields.String(required=True)


class ClaimDetailSchema(ClaimSchema):
    document = fields.Nested(DocumentRefSchema, allow_none=True)
    checked_before = fields.List(
        fields.Nested(CheckedBeforeSchema),
        required=True,
        metadata={
            "description": "Matched earlier claims that are published: their verdict and "
            "ClaimReview (current state; `matches` holds every match as it was found)."
        },
    )


class ClaimListSchema(ma.Schema):
    items = fields.List(fields.Nested(ClaimSchema), required=True)


class ClaimPageSchema(ClaimListSchema):
    next_cursor = fields.String(
        allow_none=True,
        required=True,
        metadata={"description": "Pass as `cursor` for the next page; null on the last page."},
    )


class ClaimQuerySchema(ma.Schema):
    status = fields.Enum(ClaimStatus, by_value=True, load_default=ClaimStatus.QUEUED)
    limit = fields.Integer(load_default=20, validate=validate.Range(min=1, max=100))
    cursor = fields.String(
        validate=validate.Length(min=1, max=2048),
        metadata={"description": "Opaque cursor from the previous page's `next_cursor`."},
    )
    assigned = fields.String(
        validate=[validate.Length(min=1, max=100), not_blank],
        metadata={
            "description": "`me` (or a reviewer's name): the queued and in-review claims "
            "assigned to that reviewer, priority order; `status` is then ignored."
        },
    )


class SourceCreateSchema(ma.Schema):
    url = _url(required=True)
    title = _text(500)
    note = _text(2000)


class VerdictCreateSchema(ma.Schema):
    rating = fields.String(
        required=True,
        validate=[validate.Length(min=1, max=100), not_blank],
        metadata={"description": "A label of the configured rating scale (see /claim-reviews)."},
    )
    summary = _text(5000, required=True)
    claim_reviewed = fields.String(
        validate=[validate.Length(min=1, max=74), not_blank],
        metadata={
            "description": "Short neutral restatement of the claim for ClaimReview "
            "(under 75 characters, no verdict). Default: the claim sentence, shortened."
        },
    )


class SendBackSchema(ma.Schema):
    comment = _text(2000, required=True)


class DismissSchema(ma.Schema):
    reason = _text(2000, required=True)


ID_PATTERN = r"^c[0-9a-f]{16}$"
MAX_BULK = 100


class DuplicateOfSchema(ma.Schema):
    claim_id = fields.String(
        required=True,
        validate=validate.Regexp(ID_PATTERN, error="Not a claim id."),
        metadata={"description": "The published claim this one repeats."},
    )


class AssignSchema(ma.Schema):
    reviewer = _text(100, required=True, metadata={"description": "A reviewer's user name."})


class BulkSchema(ma.Schema):
    action = fields.String(required=True, validate=validate.OneOf(["dismiss", "assign"]))
    claim_ids = fields.List(
        fields.String(validate=validate.Length(min=1, max=64)),
        required=True,
        validate=validate.Length(min=1, max=MAX_BULK),
    )
    reason = _text(2000, metadata={"description": "dismiss: the reason (required)."})
    reviewer = _text(100, metadata={"description": "assign: the reviewer (required)."})

    @ma.validates_schema
    def needs_its_argument(self, data: dict[str, Any], **_: Any) -> None:
        needed = {"dismiss": "reason", "assign": "reviewer"}.get(data.get("action", ""))
        if needed and needed not in data:
            raise ma.ValidationError({needed: [f"Required for action {data['action']!r}."]})


class BulkItemSchema(ma.Schema):
    claim_id = fields.String(required=True)
    result = fields.String(
        required=True, metadata={"description": "ok, not_found, conflict or invalid"}
    )
    code = fields.String(allow_none=True, metadata={"description": "The error code, if any."})
    message = fields.String(allow_none=True)
    status = fields.Enum(ClaimStatus, by_value=True, allow_none=True)


class BulkResultSchema(ma.Schema):
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


class WebhookCreateSchema(ma.Schema):
    url = _url(required=True)
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


class WebhookSchema(ma.Schema):
    id = fields.String(required=True)
    url = fields.String(required=True)
    events = fields.List(fields.Enum(WebhookEventType, by_value=True), required=True)
    created_by = fields.String(required=True)
    created_at = fields.DateTime(required=True)


class WebhookListSchema(ma.Schema):
    items = fields.List(fields.Nested(WebhookSchema), required=True)


class DeliverySchema(ma.Schema):
    webhook_id = fields.String(required=True)
    event_id = fields.String(required=True)
    event_type = fields.Enum(WebhookEventType, by_value=True, required=True)
    attempt = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    ok = fields.Boolean(required=True)
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    duration_ms = fields.Integer(required=True)


class DeliveryListSchema(ma.Schema):
    webhook_id = fields.String(required=True)
    items = fields.List(fields.Nested(DeliverySchema), required=True)


class DeliveryQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=500))


class EventSchema(ma.Schema):
    claim_id = fields.String(required=True)
    seq = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    actor = fields.String(required=True)
    action = fields.String(required=True)
    from_status = fields.Enum(ClaimStatus, by_value=True, allow_none=True, required=True)
    to_status = fields.Enum(ClaimStatus, by_value=True, required=True)
    detail = fields.Dict(keys=fields.String(), values=fields.String())


class HistorySchema(ma.Schema):
    claim_id = fields.String(required=True)
    items = fields.List(fields.Nested(EventSchema), required=True)


class HealthSchema(ma.Schema):
    status = fields.String(required=True)
    version = fields.String(required=True)


# -- ClaimReview (documentation of the JSON-LD the publishing module builds) -------------


class _LdSchema(ma.Schema):
    type_ = fields.String(data_key="@type", required=True)


class OrganizationLdSchema(_LdSchema):
    name = fields.String(required=True)
    url = fields.String()


class RatingLdSchema(_LdSchema):
    name = fields.String(required=True, metadata={"description": "The text verdict."})
    ratingValue = fields.Integer()
    bestRating = fields.Integer()
    worstRating = fields.Integer()
    alternateName = fields.String(required=True)


class CreativeWorkLdSchema(_LdSchema):
    url = fields.String()
    headline = fields.String()
    datePublished = fields.String()
    author = fields.Nested(OrganizationLdSchema)


class ClaimLdSchema(_LdSchema):
    author = fields.Nested(OrganizationLdSchema)
    datePublished = fields.String()
    appearance = fields.List(fields.Nested(CreativeWorkLdSchema))
    firstAppearance = fields.Nested(CreativeWorkLdSchema)


class ClaimReviewLdSchema(_LdSchema):
    context = fields.String(data_key="@context")
    id_ = fields.String(data_key="@id", required=True)
    url = fields.String(required=True)
    claimReviewed = fields.String(required=True)
    datePublished = fields.String(required=True)
    author = fields.Nested(OrganizationLdSchema, required=True)
    reviewRating = fields.Nested(RatingLdSchema, required=True)
    itemReviewed = fields.Nested(ClaimLdSchema, required=True)
    reviewBody = fields.String()


class ClaimReviewFeedLdSchema(_LdSchema):
    context = fields.String(data_key="@context", required=True)
    dateModified = fields.String(allow_none=True)
    dataFeedElement = fields.List(fields.Nested(ClaimReviewLdSchema), required=True)


class FeedQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    cursor = fields.String(
        validate=validate.Length(min=1, max=2048),
        metadata={"description": "Opaque cursor from the previous page's Link rel=next."},
    )
