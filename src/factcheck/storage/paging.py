"""Pages of an index partition behind signed cursors (docs/storage.md, "cursors"): the
review queue, the published feed, an assignee's queue."""

from __future__ import annotations

from typing import Any

from factcheck.domain.errors import InvalidCursor, InvalidInput
from factcheck.domain.models import Claim, Page
from factcheck.storage import cursor as cursors
from factcheck.storage import keys
from factcheck.storage.client import Table
from factcheck.storage.codec import serialise, to_model
from factcheck.storage.expressions import Expr

MAX_PAGE = 500


def check_limit(limit: int) -> None:
    if not isinstance(limit, int) or not 1 <= limit <= MAX_PAGE:
        raise InvalidInput(f"limit must be between 1 and {MAX_PAGE}", field="limit")


def page(
    db: Table,
    *,
    index: str,
    pk_attr: str,
    sk_attr: str,
    pk: str,
    forward: bool,
    limit: int,
    cursor: str | None,
) -> Page[Claim]:
    """One page of an index partition; the cursor is signed and bound to (index, pk)."""
    check_limit(limit)
    binding = f"{index}|{pk}"
    fields = (keys.PK, keys.SK, pk_attr, sk_attr)
    expr = Expr()
    params: dict[str, Any] = {
        "IndexName": index,
        "KeyConditionExpression": f"{expr.name(pk_attr)} = {expr.value(pk)}",
        "ScanIndexForward": forward,
        "Limit": limit + 1,  # one more than asked: is there a next page at all?
        **expr.params(),
    }
    if cursor is not None:
        start = cursors.decode(db.secret, binding, cursor, fields)
        if start[pk_attr] != pk:
            raise InvalidCursor("the cursor belongs to another listing")
        params["ExclusiveStartKey"] = serialise(start)
    items: list[dict[str, Any]] = []
    while True:
        resp = db.call("query", TableName=db.name, **params)
        items.extend(resp.get("Items", []))
        last = resp.get("LastEvaluatedKey")
        if len(items) > limit or not last:
            break
        params["ExclusiveStartKey"] = last
        params["Limit"] = limit + 1 - len(items)
    shown, more = items[:limit], len(items) > limit
    next_cursor = None
    if more:
        tail = shown[-1]
        next_cursor = cursors.encode(db.secret, binding, {f: str(tail[f]["S"]) for f in fields})
    return Page[Claim](items=[to_model(Claim, i) for i in shown], next_cursor=next_cursor)
