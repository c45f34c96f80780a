"""OpenAPI details that client generators need and apispec leaves out by default.

- A nullable nested schema is written `allOf: [$ref], nullable: true`. apispec writes
  `anyOf: [{type: object, nullable: true}, $ref]` for OpenAPI 3.0, and generators
  (openapi-python-client among them) then take the catch-all object branch, so a typed
  model such as `Verdict` is never used. apispec has no option for this (6.10), hence the
  converter subclass.
- `fields.Url` is format `uri` (JSON Schema's name), not apispec's non-standard `url`.
- The rating labels are an `enum` wherever a verdict's rating is read or written, from the
  configured scale (`rating_enum`), so a client knows the labels without a request.
- Every operation has an `operationId` (`<method>_<blueprint>_<view>` in snake case, the
  view left out where it repeats the blueprint), so generated clients get stable function
  names.
"""

from __future__ import annotations

import re
from typing import Any

import marshmallow as ma
from apispec import BasePlugin
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter

__all__ = ["GeneratorFriendlyConverter", "GeneratorFriendlyPlugin", "OperationIds", "rating_enum"]

# (schema, property) pairs that hold a rating label of the configured scale
RATING_PROPERTIES = (
    ("VerdictCreate", "rating"),
    ("Verdict", "rating"),
    ("RatingLd", "alternateName"),
)


class GeneratorFriendlyConverter(OpenAPIConverter):
    """apispec's converter, with nullable references that generators read as typed."""

    def field2nullable(self, field: ma.fields.Field, ret: dict[str, Any]) -> dict[str, Any]:
        if field.allow_none and self.openapi_version.major == 3 and self.openapi_version.minor == 0:
            if "$ref" in ret:
                return {"allOf": [{"$ref": ret.pop("$ref")}], "nullable": True}
            if "allOf" in ret:
                return {"nullable": True}
        return dict(super().field2nullable(field, ret))


class GeneratorFriendlyPlugin(MarshmallowPlugin):
    Converter = GeneratorFriendlyConverter

    def init_spec(self, spec: Any) -> None:
        super().init_spec(spec)
        self.map_to_openapi_type(ma.fields.Url, "string", "uri")


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).replace("-", "_").lower()


class OperationIds(BasePlugin):
    """`operationId` for every operation from its Flask endpoint (`blueprint.View`)."""

    def operation_helper(
        self, path: str | None = None, operations: dict[str, Any] | None = None, **kwargs: Any
    ) -> None:
        rule = kwargs.get("rule")
        if rule is None or not operations:
            return
        blueprint, _, view = (_snake(part) for part in rule.endpoint.partition("."))
        name = blueprint if view == blueprint else f"{blueprint}_{view}"
        for method, operation in operations.items():
            if isinstance(operation, dict):
                operation.setdefault("operationId", f"{method}_{name}")


def rating_enum(spec: Any, labels: list[str]) -> None:
    """Give every rating property the scale's labels as its enum (after registration)."""
    schemas = spec.components.schemas
    for schema, prop in RATING_PROPERTIES:
        properties = schemas.get(schema, {}).get("properties", {})
        if prop in properties:
            properties[prop]["enum"] = list(labels)
