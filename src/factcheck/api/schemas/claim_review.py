"""ClaimReview JSON-LD (documentation of what the publishing module builds) and its feed."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate


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
