"""Validation messages in plain language, for the people who read them next to a field.

marshmallow says "Length must be between 1 and 100." or "Not a valid URL."; a newsroom
user should read "Use at most 100 characters (this one has 143)." The message is rebuilt
from what failed (the field's type, the validator and the value), never by matching
marshmallow's text; a message a schema wrote itself (a custom validator, `error=`) is kept.
Hand-written because marshmallow has no message catalogue to swap in (its messages are
per-class templates that cannot count the characters of the value).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

_TYPE_MESSAGES: tuple[tuple[type[fields.Field], str], ...] = (
    (fields.Url, "Give a full web address, starting with http:// or https://."),
    (fields.AwareDateTime, "Give a date and time with its time zone, e.g. 2024-05-01T09:00:00Z."),
    (fields.DateTime, "Give a date and time, e.g. 2024-05-01T09:00:00Z."),
    (fields.Integer, "Give a whole number."),
    (fields.Number, "Give a number."),
    (fields.Boolean, "Give true or false."),
    (fields.String, "Give text (a JSON string)."),
    (fields.List, "Give a list."),
    (fields.Dict, "Give an object."),
)


def _length(v: validate.Length, value: Any) -> str:
    kind = "characters" if isinstance(value, str) else "items"
    n = len(value)
    if v.equal is not None:
        return f"Give exactly {v.equal:,} {kind} (this one has {n:,})."
    if v.min is not None and n < v.min:
        if v.min == 1:
            return "Must not be empty." if kind == "characters" else "Give at least 1 item."
        return f"Give at least {v.min:,} {kind} (this one has {n:,})."
    return f"Use at most {v.max:,} {kind} (this one has {n:,})."


def _range(v: validate.Range) -> str:
    low = None if v.min is None else ("from" if v.min_inclusive else "above", v.min)
    high = None if v.max is None else ("to" if v.max_inclusive else "below", v.max)
    if low and high:
        return f"Give a number {low[0]} {low[1]} {high[0]} {high[1]}."
    if low:
        return f"Give a number {'of at least' if v.min_inclusive else 'above'} {v.min}."
    return f"Give a number {'of at most' if v.max_inclusive else 'below'} {v.max}."


def _validator_message(v: Any, value: Any) -> str | None:
    if isinstance(v, validate.URL):  # fields.Url passes its own (terse) message as `error`
        return _TYPE_MESSAGES[0][1]
    if getattr(v, "error", None):  # the schema wrote its own message
        return None
    if isinstance(v, validate.Length):
        return _length(v, value)
    if isinstance(v, validate.Range):
        return _range(v)
    if isinstance(v, validate.OneOf):
        return f"Choose one of: {v.choices_text}."
    return None  # a custom validator's own message is already ours


def _type_message(field: fields.Field) -> str | None:
    if isinstance(field, fields.Enum):
        return f"Choose one of: {field.choices_text}."
    for kind, message in _TYPE_MESSAGES:
        if isinstance(field, kind):
            return message
    return None


def plain_message(field: fields.Field, value: Any) -> str | None:
    """What `field` needs, said plainly, given the `value` it refused (None: keep the original)."""
    if value is ma.missing or value is None:
        return "This field is required." if field.required else None
    try:
        loaded = field._deserialize(value, None, None)  # the type, without the validators
    except ma.ValidationError:
        return _type_message(field)
    except Exception:  # a value a field cannot even look at: keep marshmallow's
        return None
    for v in field.validators:
        try:
            outcome = v(loaded)
        except ma.ValidationError:
            return _validator_message(v, loaded)
        if outcome is False:
            return None
    return None


def _value(data: Any, key: str) -> Any:
    if isinstance(data, Mapping) or hasattr(data, "get"):
        try:
            return data.get(key, ma.missing)
        except Exception:  # a proxy that cannot read the key
            return ma.missing
    return ma.missing


def plain_messages(messages: Any, schema: ma.Schema, data: Any) -> Any:
    """webargs' `{location: {field: [messages]}}` with each field's messages made plain."""
    if not isinstance(messages, Mapping):
        return messages
    by_key = {f.data_key or name: f for name, f in schema.load_fields.items()}
    result: dict[str, Any] = {}
    for location, errors in messages.items():
        if not isinstance(errors, Mapping):
            result[location] = errors
            continue
        rewritten: dict[Any, Any] = {}
        for key, field_messages in errors.items():
            field = by_key.get(key)
            if field is None:
                if key == "_schema":
                    rewritten[key] = field_messages
                else:
                    names = ", ".join(sorted(by_key))
                    rewritten[key] = [
                        f"This is not a field of this request; the fields are: {names}."
                    ]
                continue
            plain = (
                plain_message(field, _value(data, key))
                if isinstance(field_messages, list)
                else None
            )
            rewritten[key] = [plain] if plain else field_messages
        result[location] = rewritten
    return result
