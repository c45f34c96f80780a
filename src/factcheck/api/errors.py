"""One error envelope for every error the API returns: `{status, code, message, errors}`.

- `status`: the HTTP status (an integer, repeated in the body for clients that lose it);
- `code`: a stable machine-readable name (`not_found`, `validation_error`, `four_eyes`...);
  every 422 is `validation_error`, whether the schema or the domain refused the input;
- `message`: one sentence for a human;
- `errors`: field -> messages; always present, empty when no one field is at fault.

Three handlers produce it: HTTP errors (404 of an unknown route, 405, malformed JSON,
webargs' 422, 413 from MAX_CONTENT_LENGTH...), domain errors (mapped by their type's
`code` and `http_status`, never by message text) and anything unexpected (a generic 500,
logged with its traceback; the client never sees internals).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException

from factcheck.domain.errors import FactcheckError
from factcheck.observability import logger

# Stable codes for the HTTP errors that do not come from the domain.
_HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    501: "not_implemented",
    503: "service_unavailable",
}

_HTTP_MESSAGES: dict[int, str] = {
    404: "No such resource.",
    405: "This method is not allowed on this resource.",
    413: "The request body is too large.",
    422: "The request is not valid; see `errors` for each field.",
}


class ErrorSchema(ma.Schema):
    """The error envelope (documentation of every non-2xx response)."""

    status = ma.fields.Integer(required=True, metadata={"description": "HTTP status code"})
    code = ma.fields.String(
        required=True, metadata={"description": "Stable machine-readable error code"}
    )
    message = ma.fields.String(required=True, metadata={"description": "What went wrong"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        required=True,
        metadata={"description": "Field -> list of messages (empty unless input errors)"},
    )


def code_for_status(status: int) -> str:
    """The stable code of an HTTP error that does not come from the domain."""
    return _HTTP_CODES.get(status, "http_error")


def envelope_body(
    status: int, code: str, message: str, errors: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """The envelope as data (also for servers that answer before Flask sees the request)."""
    return {"status": status, "code": code, "message": message, "errors": dict(errors or {})}


def envelope(
    status: int,
    code: str,
    message: str,
    errors: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    response = jsonify(envelope_body(status, code, message, errors))
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="factcheck"'
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _flatten_webargs(messages: Mapping[str, Any]) -> dict[str, Any]:
    """webargs groups messages by location ({"json": {...}, "query": {...}}): merge them.

    A location-wide message (e.g. `{"json": ["Invalid JSON body."]}`) stays under its
    location name so nothing is lost.
    """
    merged: dict[str, Any] = {}
    for location, value in messages.items():
        if isinstance(value, Mapping):
            for field, field_messages in value.items():
                merged[str(field)] = field_messages
        else:
            merged[str(location)] = value
    return merged


def _first_message(errors: Mapping[str, Any]) -> str | None:
    for field, value in errors.items():
        while isinstance(value, Mapping) and value:
            value = next(iter(value.values()))
        if isinstance(value, list) and value:
            value = value[0]
        if isinstance(value, str):
            return value if field in ("_schema", "json", "query") else f"{field}: {value}"
    return None


def handle_http_exception(error: HTTPException) -> Response:
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors: dict[str, Any] = {}
    if "errors" in data:
        errors = dict(data["errors"])
    elif "messages" in data:
        errors = _flatten_webargs(data["messages"])
    message = data.get("message")
    if not message and status == 400 and errors.get("json"):
        message = "The request body is not valid JSON."
    if not message and status == 422 and errors:
        message = f"Invalid input: {_first_message(errors) or 'see errors'}"
    if not message:
        message = _HTTP_MESSAGES.get(status) or error.description or error.name
    return envelope(status, code_for_status(status), message, errors, data.get("headers"))


def handle_domain_error(error: FactcheckError) -> Response:
    status = error.http_status  # every domain error names a 4xx or 5xx of its own
    # one code for every input error, the schema's (webargs) and the domain's alike
    code = _HTTP_CODES[422] if status == 422 else error.code
    message = error.message
    allowed = error.detail.get("allowed")
    if isinstance(allowed, list | tuple) and allowed:
        message = f"{message} (allowed: {', '.join(map(str, allowed))})"
    errors: dict[str, Any] = {}
    field = error.detail.get("field")
    if isinstance(field, str):
        errors[field] = [message]
    if status >= 500:
        logger.warning("domain error %s: %s", error.code, error.message)
    return envelope(status, code, message, errors)


def handle_unexpected(error: Exception) -> Response:
    logger.exception("unhandled error in the API")
    return envelope(500, "internal_error", "Internal server error.")


def register_error_handlers(app: Flask) -> None:
    """Install the three handlers (after flask-smorest's, so these win)."""
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(FactcheckError, handle_domain_error)
    app.register_error_handler(Exception, handle_unexpected)
