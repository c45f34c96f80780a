"""Pieces every resource module shares: the Blueprint with our JSON parser, id checks,
and the documented error responses."""

from __future__ import annotations

import re
from collections.abc import Callable
from http import HTTPStatus
from typing import Any, TypeVar

import flask_smorest
from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request

from factcheck.domain.errors import NotFound

F = TypeVar("F", bound=Callable[..., Any])

_SURROGATE = re.compile("[\ud800-\udfff]")
_ID_SHAPES = {
    "document": re.compile(r"^d[0-9a-f]{16}$"),
    "claim": re.compile(r"^c[0-9a-f]{16}$"),
    "webhook": re.compile(r"^w[0-9a-f]{16}$"),
}


class JsonOnlyParser(FlaskParser):
    """webargs' parser, except that a body which is not JSON is a 415, not a 422.

    (Plain webargs treats a form or text body as "no JSON" and then reports every
    required field as missing, which sends the client looking in the wrong place.)
    """

    def _raw_load_json(self, req: Request) -> Any:
        if not is_json_request(req):
            if req.get_data(cache=True):  # reading enforces MAX_CONTENT_LENGTH (413)
                abort(
                    415,
                    message=f"Send the body as application/json, not "
                    f"{req.mimetype or 'an unnamed type'}.",
                )
            return core.missing
        try:
            data = super()._raw_load_json(req)
            lone_surrogate = _has_lone_surrogate(data)
        except RecursionError:  # a body nested thousands deep
            abort(400, message="The JSON body is nested too deeply.")
        if lone_surrogate:
            abort(
                400,
                message="The JSON body contains an unpaired surrogate escape (\\ud800-\\udfff); "
                "text must be valid Unicode.",
            )
        return data


def _has_lone_surrogate(value: Any) -> bool:
    """JSON may escape a lone surrogate ("\\ud800"): valid JSON, but not text we can store."""
    if isinstance(value, str):
        return _SURROGATE.search(value) is not None
    if isinstance(value, dict):
        return any(_has_lone_surrogate(k) or _has_lone_surrogate(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_lone_surrogate(v) for v in value)
    return False


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = JsonOnlyParser()


def check_id(value: str, kind: str) -> str:
    """Ids are content hashes of a fixed shape: anything else cannot exist (404, no lookup)."""
    if not _ID_SHAPES[kind].match(value):
        raise NotFound(f"No {kind} with id {value[:40]!r}.")
    return value


def error_responses(blp: flask_smorest.Blueprint, *codes: int) -> Callable[[F], F]:
    """Document error statuses (each with the error envelope) on one operation."""

    def decorator(func: F) -> F:
        for code in codes:
            func = blp.alt_response(code, response=HTTPStatus(code).name)(func)
        return func

    return decorator
