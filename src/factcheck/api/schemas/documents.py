"""Documents: the submission input and the document responses."""

from __future__ import annotations

from datetime import UTC
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from factcheck.api.schemas.base import text_field, url_field
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


class DocumentSchema(ma.Schema):
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


class DocumentRefSchema(ma.Schema):
    id = fields.String(required=True)
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    author = fields.String(allow_none=True)
    published_at = fields.DateTime(allow_none=True)
    site_name = fields.String(allow_none=True)
