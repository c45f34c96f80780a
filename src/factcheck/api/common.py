"""Pieces every resource module shares: the Blueprint with our JSON parser, id checks,
and the documented error responses.

The parser sanitises at the edge, for every body and query string of every resource:
- a JSON integer of more than 4,300 digits (Python's int-string limit) is a 422, not a 500;
- a control character (NUL, C0/C1; tab and newlines allowed) in any string is a 422 that
  names the field, and so is a string of only invisible (zero-width) characters;
- marshmallow's validation messages are rewritten in plain language (`plain_messages`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any, NoReturn, TypeVar

import flask_smorest
import marshmallow as ma
from flask import Request
from webargs import core
from webargs.flaskparser import FlaskParser, abort, is_json_request

from factcheck.api.plain import plain_messages
from factcheck.domain import limits
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
        except json.JSONDecodeError:
            raise  # webargs answers 400 "Invalid JSON body."
        except ValueError:  # json.loads refuses an integer over sys.get_int_max_str_digits()
            message = (
                f"A number in the body has more than {_INT_DIGITS:,} digits; "
                f"numbers may have at most {_INT_DIGITS:,}."
            )
            abort(422, message=message, messages={"json": [message]})
        if lone_surrogate:
            abort(
                400,
                message="The JSON body contains an unpaired surrogate escape (\\ud800-\\udfff); "
                "text must be valid Unicode.",
            )
        bad = dict(_text_problems(data, ""))
        if bad:
            abort(422, messages={"json": bad})
        return data

    def load_querystring(self, req: Request, schema: ma.Schema) -> Any:
        bad = {
            key: problem
            for key, values in req.args.lists()
            for value in values
            for _, problem in _text_problems(value, key)
        }
        if bad:
            abort(422, messages={"query": bad})
        return super().load_querystring(req, schema)

    def handle_error(
        self,
        error: ma.ValidationError,
        req: Request,
        schema: ma.Schema,
        *,
        error_status_code: int | None,
        error_headers: Mapping[str, str] | None,
    ) -> NoReturn:
        """webargs' 422, with marshmallow's messages said in plain language."""
        abort(
            error_status_code or self.DEFAULT_VALIDATION_STATUS,
            exc=error,
            messages=plain_messages(error.messages, schema, error.data),
            schema=schema,
            headers=error_headers,
        )


_INT_DIGITS = 4300  # CPython's default int-string limit (sys.get_int_max_str_digits())


def _text_problems(value: Any, path: str) -> list[tuple[str, list[str]]]:
    """(field path, messages) for each string that is not text we accept (see the module)."""
    if isinstance(value, str):
        controls = limits.control_characters(value)
        if controls:
            shown = ", ".join(controls[:5]) + (" ..." if len(controls) > 5 else "")
            return [(path or "json", [f"Contains control characters ({shown}); remove them."])]
        if limits.only_invisible(value):
            return [
                (
                    path or "json",
                    ["Contains only invisible characters (zero-width spaces or joiners)."],
                )
            ]
        return []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found += _text_problems(str(key), path)  # a field name is text too
            found += _text_problems(item, f"{path}.{key}" if path else str(key))
        return found
    if isinstance(value, list):
        return [p for i, item in enumerate(value) for p in _text_problems(item, f"{path}.{i}")]
    return []


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
