"""Other publishers' ClaimReviews: the admin import's report."""

from __future__ import annotations

from marshmallow import fields

from factcheck.api.schemas.base import ModelSchema


class ClaimReviewImportSchema(ModelSchema):
    imported = fields.Integer(required=True, metadata={"description": "Checks indexed now."})
    ids = fields.List(fields.String(), required=True, metadata={"description": "Their ids."})
    errors = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "One line per item that was refused, with the reason."},
    )
