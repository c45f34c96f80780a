"""Shared field builders of the HTTP schemas, and the health response."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

HTTP_SCHEMES = {"http", "https"}


MAX_URL = 2048


def not_blank(value: str) -> None:
    if not value.strip():
        raise ma.ValidationError("Must not be blank.")


def text_field(max_len: int, **kwargs: Any) -> fields.String:
    return fields.String(validate=[validate.Length(min=1, max=max_len), not_blank], **kwargs)


def url_field(**kwargs: Any) -> fields.Url:
    return fields.Url(
        schemes=HTTP_SCHEMES,
        validate=validate.Length(max=MAX_URL),
        metadata={"description": "An absolute http(s) URL."},
        **kwargs,
    )


class HealthSchema(ma.Schema):
    status = fields.String(required=True)
    version = fields.String(required=True)
