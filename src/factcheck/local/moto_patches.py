"""Speed fixes for moto's server, applied only inside the serialised local emulator.

moto (5.2) does two things in time proportional to the whole table, which made the local
stack crawl once it held a few thousand items (measured: a 2-item TransactWriteItems took
120 ms at 2,000 items and 784 ms at 20,000; a Query on the table's partition key 28 ms and
300 ms):

1. `transact_write_items` deep-copies the entire table once per transaction item, to roll
   back if a condition fails. Here the copy is skipped and only the items the transaction
   touches are snapshotted and restored: the same all-or-nothing outcome.
2. `Table.query` walks every item of the table to find one partition, of the table or of
   an index. Here it is given that partition's items instead: the table's own bucket, or,
   for an index, a partition map built on the first index Query after a write and dropped
   by the next write. moto's own code still does the rest (range conditions, filters,
   paging, sorting), so results are unchanged.

3. Every request lists moto's package folder (`os.listdir` and a `stat` per entry, about
   0.45 ms) to route by host; the listing never changes while the process runs, so it is
   read once.
4. The results of the read operations (Query, GetItem, BatchGetItem) are already DynamoDB
   JSON; moto walks botocore's output shape to serialise them (about 0.5 ms for a one-item
   Query). Here they are `json.dumps`ed directly when they hold only JSON values and no
   None (anything else, e.g. binary attributes, takes moto's serializer);
   `test_moto_patches.py` checks the bodies are equal.

5. SQS: for every message a ReceiveMessage hands out, moto checks the retention period by
   building the queue's whole attribute map several times, and each map counts the queue's
   messages (visible, delayed, in flight) one by one: a receive cost grew with the square
   of the backlog (measured: with ~700 claims waiting, 60% of the emulator's time). Here
   the retention period is read from the queue directly, and GetQueueAttributes builds the
   map once per call instead of three times per attribute asked for.

1 and 2 rely on the emulator serialising DynamoDB requests (`SerialisedApp`): no other
request runs while a patched call is in progress, and every request that is not a read
calls `note_request`, which drops the index partition maps.
These are patches to a test double's internals, written by hand because moto offers no
switch for either; `tests/integration/local/test_moto_patches.py` pins the behaviour.
"""

from __future__ import annotations

import copy
import functools
import inspect
import json
from collections.abc import Callable, Iterator
from typing import Any

from moto import backends as moto_backends
from moto.dynamodb.models import DynamoDBBackend
from moto.dynamodb.models import table as table_module
from moto.dynamodb.models.dynamo_type import DynamoType, Item

Table = table_module.Table
_applied = False
# (table id, attribute) -> attribute value -> items holding it; dropped by every write.
_index_partitions: dict[tuple[int, str], dict[Any, list[Any]]] = {}
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


def note_request(operation: str) -> None:
    """Called for each DynamoDB request (under the lock): a write drops the partition maps."""
    if operation not in READ_OPERATIONS:
        _index_partitions.clear()


class _NoTableCopy:
    """Stands in for the `copy` module inside moto's DynamoDB backend: tables are not copied."""

    @staticmethod
    def deepcopy(value: Any, memo: dict[int, Any] | None = None) -> Any:
        if isinstance(value, Table):
            return value
        return copy.deepcopy(value, memo)


def _item_key(table: Any, op_type: str, op: dict[str, Any]) -> tuple[Any, Any]:
    key = op["Item"] if op_type == "Put" else op["Key"]
    hash_value = DynamoType(key[table.hash_key_attr])
    range_value = DynamoType(key[table.range_key_attr]) if table.range_key_attr else None
    return hash_value, range_value


def _snapshot(backend: Any, transact_items: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    saved = []
    for entry in transact_items:
        op_type, op = next(iter(entry.items()))
        table = backend.tables.get(op.get("TableName"))
        if table is None:
            continue
        try:
            hash_value, range_value = _item_key(table, op_type, op)
        except (KeyError, TypeError):
            continue  # moto rejects the malformed item itself; nothing to restore
        current = table.get_item(hash_value, range_value)
        saved.append((table, hash_value, range_value, copy.deepcopy(current)))
    return saved


def _restore(saved: list[tuple[Any, ...]]) -> None:
    for table, hash_value, range_value, original in reversed(saved):
        table.delete_item(hash_value, range_value)
        if isinstance(original, Item):
            if range_value is not None:
                table.items[hash_value][range_value] = original
            else:
                table.items[hash_value] = original


def _patch_transactions() -> None:
    original = DynamoDBBackend.transact_write_items
    models = inspect.getmodule(DynamoDBBackend)
    assert models is not None

    def transact_write_items(self: Any, transact_items: list[dict[str, Any]]) -> None:
        saved = _snapshot(self, transact_items)
        real_copy = models.copy
        models.copy = _NoTableCopy  # type: ignore[attr-defined]
        try:
            original(self, transact_items)
        except Exception:
            _restore(saved)
            raise
        finally:
            models.copy = real_copy  # type: ignore[attr-defined]

    DynamoDBBackend.transact_write_items = transact_write_items  # type: ignore[method-assign]


def _partition(table: Any, hash_key: Any) -> list[Any]:
    bucket = table.items.get(hash_key)
    if bucket is None:
        return []
    if not isinstance(bucket, dict):
        return [bucket]
    return sorted(bucket.values(), key=lambda item: item.range_key)  # as all_items() orders


def _index_partition(table: Any, conditions: list[tuple[str, Any]]) -> list[Any] | None:
    """Items whose index hash attribute equals the Query's, or None to let moto walk."""
    if len(conditions) != 1:
        return None
    attribute, value = conditions[0]
    cache_key = (id(table), attribute)
    partitions = _index_partitions.get(cache_key)
    if partitions is None:
        partitions = {}
        for item in table.all_items():  # already in all_items() order
            held = item.attrs.get(attribute)
            if held is not None:
                partitions.setdefault(held, []).append(item)
        _index_partitions[cache_key] = partitions
    return list(partitions.get(value, ()))


def _patch_query() -> None:
    original: Callable[..., Any] = Table.query
    signature = inspect.signature(original)

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


def _patch_module_listing() -> None:
    listing = tuple(moto_backends.list_of_moto_modules())
    moto_backends.list_of_moto_modules = functools.cache(lambda: listing)


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


def _patch_read_serialisation() -> None:
    from moto.dynamodb.responses import DynamoResult

    original: Callable[..., Any] = DynamoResult.execute_result

    def execute_result(self: Any, context: Any) -> Any:
        fast = fast_response(str(context.operation_model.name), self.result)
        return fast if fast is not None else original(self, context)

    DynamoResult.execute_result = execute_result  # type: ignore[method-assign]


def _patch_sqs_attributes() -> None:
    from moto.core.utils import unix_time
    from moto.sqs.exceptions import InvalidAttributeName
    from moto.sqs.models import SQSBackend

    def get_queue_attributes(
        self: Any, queue_name: str, attribute_names: list[str]
    ) -> dict[str, Any]:
        queue = self.get_queue(queue_name)
        if not attribute_names:
            return {}
        valid = ["All", *queue.BASE_ATTRIBUTES, *queue.FIFO_ATTRIBUTES, *queue.KMS_ATTRIBUTES]
        invalid = next((name for name in attribute_names if name not in valid), None)
        if invalid is not None:  # "" included
            raise InvalidAttributeName(invalid)
        attributes: dict[str, Any] = queue.attributes  # built once
        if "All" in attribute_names:
            return attributes
        return {n: attributes[n] for n in attribute_names if attributes.get(n) is not None}

    def is_message_valid_based_on_retention_period(
        self: Any, queue_name: str, message: Any
    ) -> bool:
        retention = int(self.get_queue(queue_name).message_retention_period)
        return bool(retention + message.sent_timestamp / 1000 > unix_time())

    SQSBackend.get_queue_attributes = get_queue_attributes  # type: ignore[method-assign]
    SQSBackend.is_message_valid_based_on_retention_period = (  # type: ignore[method-assign]
        is_message_valid_based_on_retention_period
    )


def apply() -> None:
    """Install the patches once per process (the emulator's)."""
    global _applied
    if _applied:
        return
    _patch_transactions()
    _patch_query()
    _patch_module_listing()
    _patch_read_serialisation()
    _patch_sqs_attributes()
    _applied = True
