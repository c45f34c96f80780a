"""Corrections and retractions: the inputs (note, reason) and how they appear on a claim."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields

from factcheck.api.schemas.base import ModelSchema, text_field


class CorrectSchema(ma.Schema):
    note = text_field(
        2000,
        required=True,
        metadata={"description": "What is being corrected and why (shown on the public page)."},
    )


class RetractSchema(ma.Schema):
    reason = text_field(
        2000,
        required=True,
        metadata={"description": "Why the check is withdrawn (shown on the public page)."},
    )


class CorrectionRecordSchema(ModelSchema):
    note = fields.String(required=True)
    corrected_at = fields.DateTime(
        required=True, metadata={"description": "When the correction was published."}
    )
    opened_by = fields.String(required=True)
    approved_by = fields.String(required=True)
    reviewer = fields.String(required=True)
    previous_rating = fields.String(required=True, metadata={"description": "The earlier rating."})
    previous_summary = fields.String(required=True)
    rating = fields.String(required=True, metadata={"description": "The rating it was given."})


class PublishedVersionSchema(ModelSchema):
    rating = fields.String(attribute="verdict.rating", required=True)
    summary = fields.String(attribute="verdict.summary", required=True)
    reviewer = fields.String(attribute="verdict.reviewer", required=True)
    approved_by = fields.String(allow_none=True)


class OpenCorrectionSchema(ModelSchema):
    note = fields.String(required=True)
    opened_by = fields.String(required=True)
    opened_at = fields.DateTime(required=True)
    published = fields.Nested(
        PublishedVersionSchema,
        required=True,
        metadata={"description": "What readers see until the correction is approved."},
    )


class RetractionSchema(ModelSchema):
    reason = fields.String(required=True)
    retracted_by = fields.String(required=True)
    retracted_at = fields.DateTime(required=True)
