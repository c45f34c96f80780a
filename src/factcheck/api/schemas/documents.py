"""Documents: the submission input and the document responses."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from factcheck.api.schemas.base import ModelSchema, text_field, url_field
from factcheck.domain.models import DocumentStatus


class DocumentCreateSchema(ma.Schema):
    title = text_field(500)
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
    url = url_field()
    author = text_field(200)
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


class DocumentSchema(ModelSchema):
    id = fields.String(required=True)
    title = fields.String(allow_none=True)
    text = fields.String(required=True)
    url = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    site_name = fields.String(allow_none=True, metadata={"description": "From the page."})
    canonical_url = fields.String(
        allow_none=True, metadata={"description": "The page's own canonical link."}
    )
    language = fields.String(
        allow_none=True,
        metadata={"description": "Detected at extraction (ISO 639-1); null before."},
    )
    status = fields.Enum(
        DocumentStatus,
        by_value=True,
        required=True,
        metadata={
            "description": "`no_text` (nothing readable) and `unsupported_language` (see "
            "`language`) end extraction with no claims; `error` says why."
        },
    )
    claim_count = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class DocumentRefSchema(ModelSchema):
    id = fields.String(required=True)
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    site_name = fields.String(allow_none=True)


class SentenceSchema(ModelSchema):
    text = fields.String(required=True)
    start = fields.Integer(required=True)
    end = fields.Integer(required=True)
    score = fields.Float(required=True, metadata={"description": "Calibrated probability."})
    logit = fields.Float(required=True, metadata={"description": "Breaks ties in score."})
    selected = fields.Boolean(required=True, metadata={"description": "Became a claim."})
    gate = fields.String(
        allow_none=True, metadata={"description": "Why a rule kept it out, in plain words."}
    )
    explanation = fields.List(
        fields.String(), required=True, metadata={"description": "What the score rests on."}
    )


class SentenceListSchema(ModelSchema):
    document_id = fields.String(required=True)
    status = fields.Enum(DocumentStatus, by_value=True, required=True)
    language = fields.String(allow_none=True)
    recorded = fields.Boolean(
        required=True,
        metadata={
            "description": "False until extraction has scored the document (and for one "
            "extracted before sentences were kept, or with no claims to look for)."
        },
    )
    truncated = fields.Boolean(
        required=True,
        metadata={"description": "Some were left out to fit the store's item limit."},
    )
    items = fields.List(fields.Nested(SentenceSchema), required=True)
