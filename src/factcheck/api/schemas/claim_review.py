"""ClaimReview JSON-LD (documentation of what the publishing module builds) and its feed."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from factcheck.api.schemas.base import ModelSchema


class _LdSchema(ModelSchema):
    type_ = fields.String(data_key="@type", required=True)


URI = {"format": "uri"}
DATE = {"format": "date-time", "description": "ISO 8601, UTC ('Z')."}


class OrganizationLdSchema(_LdSchema):
    type_ = fields.String(data_key="@type", required=True, validate=validate.Equal("Organization"))
    name = fields.String(required=True)
    url = fields.String(metadata=URI)


class AgentLdSchema(_LdSchema):
    """Who made a claim or wrote an article: a Person, or an Organization."""

    type_ = fields.String(
        data_key="@type", required=True, validate=validate.OneOf(["Person", "Organization"])
    )
    name = fields.String(required=True)


class RatingLdSchema(_LdSchema):
    name = fields.String(required=True, metadata={"description": "The text verdict."})
    ratingValue = fields.Integer()
    bestRating = fields.Integer()
    worstRating = fields.Integer()
    alternateName = fields.String(
        required=True, metadata={"description": "The text verdict: a label of the rating scale."}
    )


class CreativeWorkLdSchema(_LdSchema):
    url = fields.String(metadata=URI)
    headline = fields.String()
    datePublished = fields.String(metadata=DATE)
    author = fields.Nested(AgentLdSchema)


class ClaimLdSchema(_LdSchema):
    author = fields.Nested(
        AgentLdSchema,
        metadata={
            "description": "Who made the claim: the person or body the sentence attributes it "
            "to, else the article's author; omitted when unknown."
        },
    )
    datePublished = fields.String(metadata=DATE)
    appearance = fields.List(fields.Nested(CreativeWorkLdSchema))
    firstAppearance = fields.Nested(CreativeWorkLdSchema)


class ClaimReviewLdSchema(_LdSchema):
    context = fields.String(data_key="@context")
    id_ = fields.String(data_key="@id", required=True, metadata=URI)
    url = fields.String(
        required=True, metadata={**URI, "description": "The public fact-check page."}
    )
    claimReviewed = fields.String(required=True)
    datePublished = fields.String(required=True, metadata=DATE)
    dateModified = fields.String(metadata={**DATE, "description": "Set by a correction."})
    author = fields.Nested(OrganizationLdSchema, required=True)
    reviewRating = fields.Nested(RatingLdSchema, required=True)
    itemReviewed = fields.Nested(ClaimLdSchema, required=True)
    reviewBody = fields.String()


class ClaimReviewFeedLdSchema(_LdSchema):
    context = fields.String(data_key="@context", required=True)
    dateModified = fields.String(allow_none=True, metadata=DATE)
    dataFeedElement = fields.List(fields.Nested(ClaimReviewLdSchema), required=True)


class FeedQuerySchema(ma.Schema):
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=100))
    cursor = fields.String(
        validate=validate.Length(min=1, max=2048),
        metadata={"description": "Opaque cursor from the previous page's Link rel=next."},
    )
