"""Other publishers' ClaimReviews: the admin import's report."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields


class ClaimReviewImportSchema(ma.Schema):
    imported = fields.Integer(required=True, metadata={"description": "Checks indexed now."})
    ids = fields.List(fields.String(), required=True, metadata={"description": "Their ids."})
    errors = fields.List(
        fields.String(),
        required=True,
        metadata={"description": "One line per item that was refused, with the reason."},
    )
