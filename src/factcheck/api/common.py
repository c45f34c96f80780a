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
        return super()._raw_load_json(req)


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
