"""Python values <-> DynamoDB attribute values, in one place.

Floats become Decimal (DynamoDB's number type) on the way in and plain int/float on the way
out; datetimes are stored as fixed-width UTC ISO-8601 strings (`keys.iso`) so stored times
compare correctly as strings in condition and key expressions; enums are stored as values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from datetime import datetime
from decimal import Decimal
from enum import Enum
from typing import Any, TypeVar

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from pydantic import BaseModel

from factcheck.domain.errors import InvalidInput
from factcheck.storage.keys import KEY_ATTRIBUTES, iso

_SERIALIZER = TypeSerializer()
_DESERIALIZER = TypeDeserializer()

M = TypeVar("M", bound=BaseModel)


def to_attr(value: Any) -> Any:
    """A Python value in the shapes TypeSerializer accepts (Decimal, never float)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, str | int | Decimal):
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise InvalidInput(f"cannot store the non-finite number {value!r}")
        return Decimal(repr(value))
    if isinstance(value, datetime):
        return iso(value)
    if isinstance(value, BaseModel):
        return to_attr(value.model_dump())
    if isinstance(value, Mapping):
        return {str(k): to_attr(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_attr(v) for v in value]
    if isinstance(value, set | frozenset):  # a string set (SS): what ADD / DELETE act on
        return {to_attr(v) for v in value}
    raise TypeError(f"cannot store a {type(value).__name__}")


def from_attr(value: Any) -> Any:
    """The inverse of `to_attr` for plain values: Decimal -> int or float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {k: from_attr(v) for k, v in value.items()}
    if isinstance(value, list):
        return [from_attr(v) for v in value]
    return value


def serialise_value(value: Any) -> dict[str, Any]:
    return dict(_SERIALIZER.serialize(to_attr(value)))


def serialise(attrs: Mapping[str, Any]) -> dict[str, Any]:
    """A low-level item ({"name": {"S": ...}}) from plain attributes."""
    return {name: serialise_value(value) for name, value in attrs.items()}


def deserialise(item: Mapping[str, Any]) -> dict[str, Any]:
    return {name: from_attr(_DESERIALIZER.deserialize(value)) for name, value in item.items()}


def to_model(model: type[M], item: Mapping[str, Any]) -> M:
    """A domain model from a low-level item, key and index attributes dropped."""
    attrs = deserialise(item)
    return model.model_validate({k: v for k, v in attrs.items() if k not in KEY_ATTRIBUTES})
