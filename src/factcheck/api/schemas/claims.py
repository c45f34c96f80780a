"""Claims as responses: a claim, its detail view (with `allowed_actions`), pages, history."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from factcheck.api.schemas.base import ModelSchema, not_blank
from factcheck.api.schemas.corrections import (
    CorrectionRecordSchema,
    OpenCorrectionSchema,
    RetractionSchema,
)
from factcheck.api.schemas.documents import DocumentRefSchema
from factcheck.api.visibility import visible_claim
from factcheck.domain.lifecycle import ACTIONS
from factcheck.domain.models import ClaimStatus


class QuantitySchema(ModelSchema):
    kind = fields.String(required=True)
    low = fields.Float(required=True)
    high = fields.Float(required=True)
    unit = fields.String(allow_none=True)
    text = fields.String(required=True)


class SourceSchema(ModelSchema):
    id = fields.String(required=True)
    url = fields.String(required=True)
    title = fields.String(allow_none=True)
    quote = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    added_by = fields.String(required=True)
    added_at = fields.DateTime(required=True)


class VerdictSchema(ModelSchema):
    rating = fields.String(required=True)
    summary = fields.String(required=True)
    claim_reviewed = fields.String(allow_none=True)
    reviewer = fields.String(required=True)
    given_at = fields.DateTime(required=True)


class ClaimMatchSchema(ModelSchema):
    claim_id = fields.String(required=True)
    document_id = fields.String(
        required=True, metadata={"description": "'external' for another publisher's check."}
    )
    similarity = fields.Float(required=True, metadata={"description": "0..1 (>= threshold)."})
    status = fields.Enum(
        ClaimStatus, by_value=True, required=True, metadata={"description": "Now, not then."}
    )
    rating = fields.String(
        allow_none=True, metadata={"description": "Its verdict, once published (now)."}
    )


class ClaimSchema(ModelSchema):
    """A claim. Who sees which field is decided in one place (factcheck.api.visibility):
    reviewers, editors and admins see every field; a submitter sees id, document_id, text,
    start, end, status, and verdict and published_at once the claim is published."""

    id = fields.String(required=True)
    document_id = fields.String(required=True)
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    score = fields.Float(metadata={"description": "Check-worthiness, 0..1 (reviewers)."})
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
    correction = fields.Nested(
        OpenCorrectionSchema,
        allow_none=True,
        metadata={"description": "A correction under way (staff only)."},
    )
    corrections = fields.List(
        fields.Nested(CorrectionRecordSchema),
        metadata={"description": "Published corrections, oldest first."},
    )
    modified_at = fields.DateTime(
        allow_none=True, metadata={"description": "When the last correction was published."}
    )
    retraction = fields.Nested(RetractionSchema, allow_none=True)
    version = fields.Integer()
    created_at = fields.DateTime()
    updated_at = fields.DateTime()

    @ma.post_dump
    def _visible(self, data: dict[str, Any], **_: Any) -> dict[str, Any]:
        return visible_claim(data)


class CheckedBeforeSchema(ModelSchema):
    claim_id = fields.String(required=True, metadata={"description": "Ours, or an import's id."})
    text = fields.String(required=True, metadata={"description": "The claim as checked."})
    similarity = fields.Float(required=True)
    rating = fields.String(required=True, metadata={"description": "In the publisher's words."})
    summary = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    publisher = fields.String(required=True, metadata={"description": "Who published the check."})
    external = fields.Boolean(
        required=True, metadata={"description": "Another publisher's check (imported)."}
    )
    url = fields.String(
        required=True, metadata={"format": "uri", "description": "The fact-check page."}
    )
    claim_review_url = fields.String(
        required=True, metadata={"format": "uri", "description": "Its ClaimReview."}
    )


class ClaimDetailSchema(ClaimSchema):
    document = fields.Nested(DocumentRefSchema, allow_none=True)
    allowed_actions = fields.List(
        fields.String(validate=validate.OneOf(ACTIONS)),
        required=True,
        metadata={
            "description": "What the caller may do to the claim now (the lifecycle's answer "
            f"for their role, lease and the server's clock), in review order; of: "
            f"{', '.join(ACTIONS)}."
        },
    )
    checked_before = fields.List(
        fields.Nested(CheckedBeforeSchema),
        required=True,
        metadata={
            "description": "Matched earlier claims that are published: their verdict and "
            "ClaimReview (current state; `matches` holds every match as it was found)."
        },
    )


class ClaimListSchema(ModelSchema):
    items = fields.List(fields.Nested(ClaimSchema), required=True)


class ClaimCountsSchema(ModelSchema):
    counts = fields.Dict(
        keys=fields.String(validate=validate.OneOf([s.value for s in ClaimStatus])),
        values=fields.Integer(),
        required=True,
        metadata={
            "description": "Claims per status, every status present (0 when none): "
            f"{', '.join(s.value for s in ClaimStatus)}. Read from the queue index, so a "
            "claim moved a moment ago may still be counted in its old status.",
            "example": {"queued": 12, "in_review": 3, "reviewed": 5, "published": 40},
        },
    )
    total = fields.Integer(required=True, metadata={"description": "The sum of the counts."})


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


class EventSchema(ModelSchema):
    claim_id = fields.String(required=True)
    seq = fields.Integer(required=True)
    at = fields.DateTime(required=True)
    actor = fields.String(required=True)
    action = fields.String(required=True)
    from_status = fields.Enum(ClaimStatus, by_value=True, allow_none=True, required=True)
    to_status = fields.Enum(ClaimStatus, by_value=True, required=True)
    detail = fields.Dict(keys=fields.String(), values=fields.String())


class HistorySchema(ModelSchema):
    claim_id = fields.String(required=True)
    items = fields.List(fields.Nested(EventSchema), required=True)
