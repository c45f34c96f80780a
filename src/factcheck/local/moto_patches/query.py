"""Query reads one partition instead of walking the whole table.

moto (5.2) `Table.query` walks every item of the table to find one partition, of the table
or of an index (measured: a Query on the table's partition key took 28 ms at 2,000 items
and 300 ms at 20,000). Here it is given that partition's items instead: the table's own
bucket, or, for an index, a partition map built on the first Query of that index and kept
up to date from the keys each write names (`note_request` with the request's body). A
write whose keys are not known (a table operation, a replay) drops every map. Rebuilding
the map on every write, as this patch first did, cost a walk of the table per index Query
between writes: at 1,200 claims (about 40,000 items) the store step's LSH Queries kept the
emulator busy for minutes (`py-spy`: 85 % of its time in the rebuild). moto's own code
still does the rest (range conditions, filters, paging, sorting), so results are unchanged.

Relies on the emulator serialising DynamoDB requests and calling `note_request` for each.
"""

from __future__ import annotations

import inspect
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from moto.dynamodb.models import table as table_module
from moto.dynamodb.models.dynamo_type import DynamoType

from factcheck.local.journal_state import touched_keys

Table = table_module.Table
READ_OPERATIONS = frozenset(
    {
        "GetItem",
        "BatchGetItem",
        "Query",
        "Scan",
        "TransactGetItems",
        "DescribeTable",
        "ListTables",
        "DescribeTimeToLive",
        "DescribeContinuousBackups",
    }
)


@dataclass
class _IndexMap:
    """One index attribute's partitions of one table, and the writes not yet applied."""

    table_name: str
    hash_attr: str
    range_attr: str | None
    members: dict[Any, dict[Any, Any]] = field(default_factory=dict)  # value -> key -> item
    where: dict[Any, Any] = field(default_factory=dict)  # item key -> its value
    pending: list[tuple[Any, Any]] = field(default_factory=list)  # keys written since
    stale: bool = False  # a write named a key it could not read: rebuild on the next Query


# An index not queried for this many writes is rebuilt when next queried (the walk is then
# cheaper than the backlog, and the backlog's memory stays bounded).
MAX_PENDING = 5_000
# (table id, attribute) -> its map; every map is dropped by a write whose keys are unknown
_index_maps: dict[tuple[int, str], _IndexMap] = {}


def _written(operation: str, body: bytes | None) -> list[tuple[str, dict[str, Any]]] | None:
    """(table, key or item) of each item the write may change; None when not known."""
    if body is None:
        return None
    try:
        return touched_keys(operation, json.loads(body))
    except (ValueError, KeyError, TypeError, AttributeError):
        return None  # not an item write (CreateTable...), or a body moto will refuse


def note_request(operation: str, body: bytes | None = None) -> None:
    """Called for each DynamoDB request (under the lock), before moto runs it: a write's
    keys are queued on the maps of its table, an unknown write drops every map."""
    if operation in READ_OPERATIONS or not _index_maps:
        return  # nothing to keep up to date: the body need not be parsed
    written = _written(operation, body)
    if written is None:
        _index_maps.clear()
        return
    for index_map in _index_maps.values():
        for name, wire in written:
            if name != index_map.table_name or index_map.stale:
                continue
            key = _item_key(index_map, wire)
            if key is None or len(index_map.pending) >= MAX_PENDING:
                index_map.stale, index_map.pending = True, []
            else:
                index_map.pending.append(key)


def _partition(table: Any, hash_key: Any) -> list[Any]:
    bucket = table.items.get(hash_key)
    if bucket is None:
        return []
    if not isinstance(bucket, dict):
        return [bucket]
    return sorted(bucket.values(), key=lambda item: item.range_key)  # as all_items() orders


def _item_key(index_map: _IndexMap, wire: dict[str, Any]) -> tuple[Any, Any] | None:
    """The table's (hash, range) key of a written key or item in wire JSON; None if absent."""
    try:
        hash_key = DynamoType(wire[index_map.hash_attr])
        range_key = DynamoType(wire[index_map.range_attr]) if index_map.range_attr else None
    except (KeyError, TypeError):
        return None
    return hash_key, range_key


def _current(table: Any, key: tuple[Any, Any]) -> Any:
    bucket = table.items.get(key[0])
    if bucket is None or not isinstance(bucket, dict):
        return bucket
    return bucket.get(key[1])


def _place(index_map: _IndexMap, attribute: str, key: tuple[Any, Any], item: Any) -> None:
    old = index_map.where.pop(key, None)
    if old is not None:
        members = index_map.members[old]
        members.pop(key, None)
        if not members:
            del index_map.members[old]
    held = item.attrs.get(attribute) if item is not None else None
    if held is not None:
        index_map.members.setdefault(held, {})[key] = item
        index_map.where[key] = held


def _built(table: Any, attribute: str) -> _IndexMap:
    index_map = _IndexMap(table.name, table.hash_key_attr, table.range_key_attr)
    for item in table.all_items():
        _place(index_map, attribute, (item.hash_key, item.range_key), item)
    return index_map


def _brought_up_to_date(table: Any, attribute: str) -> _IndexMap:
    cache_key = (id(table), attribute)
    index_map = _index_maps.get(cache_key)
    if index_map is None or index_map.stale or index_map.table_name != table.name:
        index_map = _index_maps[cache_key] = _built(table, attribute)
        return index_map
    pending, index_map.pending = index_map.pending, []
    for key in pending:
        _place(index_map, attribute, key, _current(table, key))
    return index_map


def _all_items_order(item: Any) -> Any:
    return (item.hash_key, item.range_key) if item.range_key else item.hash_key


def _index_partition(table: Any, conditions: list[tuple[str, Any]]) -> list[Any] | None:
    """Items whose index hash attribute equals the Query's, or None to let moto walk."""
    if len(conditions) != 1:
        return None
    attribute, value = conditions[0]
    members = _brought_up_to_date(table, attribute).members.get(value)
    # all_items() order, which moto's sort of the results starts from
    return sorted(members.values(), key=_all_items_order) if members else []


def install() -> None:
    original: Callable[..., Any] = Table.query
    signature = inspect.signature(original)
    for name in ("index_name", "hash_key", "hash_key_conditions"):
        if name not in signature.parameters:  # moto changed what the patch reads
            raise TypeError(f"Table.query has no parameter {name!r}")

    def query(self: Any, *args: Any, **kwargs: Any) -> Any:
        bound = signature.bind(self, *args, **kwargs)
        if bound.arguments.get("index_name"):
            conditions = bound.arguments.get("hash_key_conditions") or []
            found = _index_partition(self, list(conditions))
            if found is None:
                return original(self, *args, **kwargs)
            items = found
        elif bound.arguments.get("hash_key") is not None:
            items = _partition(self, bound.arguments["hash_key"])
        else:
            return original(self, *args, **kwargs)

        def one_partition() -> Iterator[Any]:
            return iter(items)

        self.all_items = one_partition  # an instance attribute shadows the method
        try:
            return original(self, *args, **kwargs)
        finally:
            del self.all_items

    Table.query = query  # type: ignore[method-assign]
