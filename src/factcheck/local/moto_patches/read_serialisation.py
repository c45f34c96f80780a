"""Query, GetItem and BatchGetItem results are `json.dumps`ed directly.

The results of these reads are already DynamoDB JSON; moto walks botocore's output shape to
serialise them (about 0.5 ms for a one-item Query). Here they are dumped directly when they
hold only JSON values and no None (anything else, e.g. binary attributes, takes moto's
serializer); `tests/integration/local/test_moto_patches.py` checks the bodies are equal.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

FAST_SERIALISED = frozenset({"Query", "GetItem", "BatchGetItem"})
JSON_CONTENT_TYPE = "application/x-amz-json-1.0"  # DynamoDB's protocol: json 1.0


def plain_json(value: Any) -> bool:
    """Only dicts with str keys, lists, str, bool, int and float, and no None anywhere:
    what moto's serializer passes through unchanged for DynamoDB's JSON protocol."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and plain_json(v) for k, v in value.items())
    if isinstance(value, list):
        return all(plain_json(v) for v in value)
    return isinstance(value, str | bool | int | float)


def fast_response(operation: str, result: Any) -> tuple[int, dict[str, str], str] | None:
    """The response moto would serialise for a read's `result`, or None to let moto do it."""
    if operation not in FAST_SERIALISED or not plain_json(result):
        return None
    return 200, {"Content-Type": JSON_CONTENT_TYPE}, json.dumps(result, separators=(",", ":"))


def install() -> None:
    from moto.dynamodb.responses import DynamoResult

    original: Callable[..., Any] = DynamoResult.execute_result

    def execute_result(self: Any, context: Any) -> Any:
        fast = fast_response(str(context.operation_model.name), self.result)
        return fast if fast is not None else original(self, context)

    DynamoResult.execute_result = execute_result  # type: ignore[method-assign]
