"""Journal records <-> moto's in-memory state: apply a record, write the state as records.

DynamoDB is journalled physically: after a write succeeds, the after-image of every item
it touched (`["p", table, item]`, or `["d", table, key]` when the item is gone), so replay
re-applies results and never re-evaluates a condition or a transaction. Schema requests
(CreateTable, UpdateTable, ...) are kept as the HTTP request and replayed through moto.

SQS is journalled by effect: a message put into a queue (a send or a move to the DLQ,
with its whole state), a receive (the receive count, which decides when a message goes to
its DLQ), a delete, a purge, and queue creation and attributes. Replay makes every message
visible: whoever had received one is gone (this is a restart), so waiting out its
visibility timeout would only delay the work. A visibility change is therefore not
journalled: replay would discard it anyway.
"""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from typing import Any

from moto.dynamodb.models import dynamodb_backends
from moto.dynamodb.models.dynamo_type import DynamoType, Item, LimitedSizeDict
from moto.sqs.models import Message, sqs_backends

from factcheck.local.journal import Record

ITEMS_PER_SNAPSHOT_RECORD = 500
# Replays a schema request (headers, body) through moto's app; returns the HTTP status.
RequestReplayer = Callable[[dict[str, str], str], int]


def dynamo_value(value: dict[str, Any]) -> Any:
    """`DynamoType(value)` without its generic dispatch (the same fields, nested the same)."""
    ((kind, inner),) = value.items()
    made = DynamoType.__new__(DynamoType)
    made.type = kind
    if kind == "L":
        inner = [dynamo_value(v) for v in inner]
    elif kind == "M":
        inner = {k: dynamo_value(v) for k, v in inner.items()}
    made.value = inner
    return made


def table_key(table: Any, item_or_key: dict[str, Any]) -> tuple[Any, Any]:
    hash_value = dynamo_value(item_or_key[table.hash_key_attr])
    if table.range_key_attr is None:
        return hash_value, None
    return hash_value, dynamo_value(item_or_key[table.range_key_attr])


def restore_item(table: Any, attrs: dict[str, Any], keys: dict[tuple[str, Any], Any]) -> None:
    """Put an item that moto already accepted once, without validating it again.

    moto's `put_item` re-checks types and sizes, and its `LimitedSizeDict` re-sums the
    whole item on every attribute set (quadratic in the attributes): most of a replay's
    time. moto's own `Item.__deepcopy__` skips the same checks for the same reason. The
    key values are the item's own (moto never changes a key attribute in place), and one
    object stands for each partition key (`keys`): a dict lookup that finds the very same
    object skips DynamoType's Python `__eq__` (measured: 2.6 times faster)."""
    values = LimitedSizeDict.__new__(LimitedSizeDict)
    dict.update(values, {name: dynamo_value(value) for name, value in attrs.items()})
    ((kind, raw),) = attrs[table.hash_key_attr].items()
    hash_value = keys.get((kind, raw))
    if hash_value is None:
        hash_value = keys[(kind, raw)] = values[table.hash_key_attr]
    item: Any = Item.__new__(Item)
    item.hash_key = hash_value
    item.attrs = values
    if table.range_key_attr is None:
        item.range_key = None
        table.items[hash_value] = item
    else:
        item.range_key = range_value = values[table.range_key_attr]
        table.items[hash_value][range_value] = item


def after_image(backend: Any, table_name: str, key: dict[str, Any]) -> list[Any] | None:
    """`["p", table, item]` or `["d", table, key]` for one touched key (None: no table)."""
    table = backend.tables.get(table_name)
    if table is None:
        return None
    hash_value, range_value = table_key(table, key)
    item = table.get_item(hash_value, range_value)
    if item is None:
        return ["d", table_name, key]
    return ["p", table_name, item.to_json()["Attributes"]]


def touched_keys(operation: str, body: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """(table, key or item) of every item a successful item write may have changed."""
    if operation == "PutItem":
        return [(body["TableName"], body["Item"])]
    if operation in ("UpdateItem", "DeleteItem"):
        return [(body["TableName"], body["Key"])]
    if operation == "BatchWriteItem":
        out = []
        for table, requests in body.get("RequestItems", {}).items():
            for request in requests:
                if "PutRequest" in request:
                    out.append((table, request["PutRequest"]["Item"]))
                elif "DeleteRequest" in request:
                    out.append((table, request["DeleteRequest"]["Key"]))
        return out
    if operation == "TransactWriteItems":
        out = []
        for entry in body.get("TransactItems", []):
            for kind, op in entry.items():
                if kind == "Put":
                    out.append((op["TableName"], op["Item"]))
                elif kind in ("Update", "Delete"):
                    out.append((op["TableName"], op["Key"]))
        return out
    raise ValueError(f"not an item write: {operation}")


# --- SQS messages --------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    """Message attributes may hold bytes (BinaryValue): JSON-safe, reversibly."""
    if isinstance(value, bytes | bytearray):
        return {"$b": base64.b64encode(value).decode("ascii")}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _unplain(value: Any) -> Any:
    if isinstance(value, dict):
        if value.keys() == {"$b"}:
            return base64.b64decode(value["$b"])
        return {k: _unplain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unplain(v) for v in value]
    return value


def message_state(message: Any) -> dict[str, Any]:
    return {
        "id": message.id,
        "body": message.body,
        "ma": _plain(message.message_attributes),
        "sa": _plain(message.system_attributes),
        "sent": message.sent_timestamp,
        "rc": message.approximate_receive_count,
        "frt": message.approximate_first_receive_timestamp,
        "du": message.delayed_until,
        "g": message.group_id,
        "dd": message.deduplication_id,
        "sq": message.sequence_number,
        "sid": message.sender_id,
    }


def message_from_state(state: dict[str, Any]) -> Any:
    message = Message(state["id"], state["body"], _unplain(state["sa"]) or None)
    message.message_attributes = _unplain(state["ma"])
    message.sent_timestamp = state["sent"]
    message.approximate_receive_count = state["rc"]
    message.approximate_first_receive_timestamp = state["frt"]
    message.delayed_until = state["du"]
    message.group_id = state["g"]
    message.deduplication_id = state["dd"]
    message.sequence_number = state["sq"]
    message.sender_id = state["sid"]
    return message  # visible_at 0: visible


class Replayer:
    """Applies records in order to moto's backends (hooks must not journal meanwhile).

    Messages are kept in one ordered dict per queue while replaying, so a delete or a move
    is O(1); `finish()` writes them back as the queues' message lists.
    """

    def __init__(self, replay_request: RequestReplayer) -> None:
        self._replay_request = replay_request
        self._queues: dict[tuple[str, str, str], dict[str, Any]] = {}
        self._where: dict[str, tuple[str, str, str]] = {}
        self._keys: dict[tuple[str, Any], Any] = {}  # one object per partition key
        self.failed_requests = 0
        self.applied = 0

    def _messages(self, key: tuple[str, str, str]) -> dict[str, Any] | None:
        if key not in self._queues:
            queue = sqs_backends[key[0]][key[1]].queues.get(key[2])
            if queue is None:
                return None
            self._queues[key] = {m.id: m for m in queue._messages}
            for message_id in self._queues[key]:
                self._where[message_id] = key
        return self._queues[key]

    def apply(self, record: Record) -> None:
        kind = record["t"]
        self.applied += 1
        if kind == "ddb":
            backend = dynamodb_backends[record["a"]][record["r"]]
            for op, table_name, data in record["w"]:
                table = backend.tables.get(table_name)
                if table is None:
                    continue
                if op == "p":
                    restore_item(table, data, self._keys)
                else:
                    table.delete_item(*table_key(table, data))
        elif kind == "req":
            if self._replay_request(record["h"], record["b"]) >= 300:
                self.failed_requests += 1
        elif kind == "reset":
            self.finish()
            from moto.core.base_backend import BackendDict

            BackendDict.reset()
        elif kind.startswith("m_"):
            self._apply_message(record)
        else:
            self._apply_queue(record)

    def _apply_message(self, record: Record) -> None:
        key = (record["a"], record["r"], record["n"])
        messages = self._messages(key)
        if messages is None:
            return
        kind = record["t"]
        if kind == "m_put":
            message = message_from_state(record["m"])
            previous = self._where.get(message.id)
            if previous is not None and previous != key:  # a move (to or from a DLQ)
                self._queues.get(previous, {}).pop(message.id, None)
            messages[message.id] = message
            self._where[message.id] = key
        elif kind == "m_recv":
            for message_id, count, first in record["m"]:
                message = messages.get(message_id)
                if message is not None:
                    message.approximate_receive_count = max(
                        message.approximate_receive_count, count
                    )
                    message.approximate_first_receive_timestamp = (
                        message.approximate_first_receive_timestamp or first
                    )
        elif kind == "m_del":
            messages.pop(record["id"], None)
            self._where.pop(record["id"], None)

    def _apply_queue(self, record: Record) -> None:
        backend = sqs_backends[record["a"]][record["r"]]
        key = (record["a"], record["r"], record["n"])
        kind = record["t"]
        if kind == "q_create":
            backend.create_queue(record["n"], record.get("tags"), **record["kw"])
        elif kind == "q_attrs":
            backend.set_queue_attributes(record["n"], record["attrs"])
        elif kind == "q_delete":
            self._queues.pop(key, None)
            backend.queues.pop(record["n"], None)
        elif kind == "q_purge":
            messages = self._messages(key)
            if messages is not None:
                messages.clear()
        else:
            raise ValueError(f"unknown journal record {kind!r}")

    def finish(self) -> None:
        """Write the replayed messages back, every one of them visible."""
        for (account, region, name), messages in self._queues.items():
            queue = sqs_backends[account][region].queues.get(name)
            if queue is None:
                continue
            queue._messages = list(messages.values())
            queue._pending_messages = set()
        self._queues.clear()
        self._where.clear()
        self._keys.clear()


def state_records(schema: list[Record]) -> Iterator[Record]:
    """The whole current state as records (a snapshot): schema, items, messages."""
    yield from schema
    for account, regions in dynamodb_backends.items():
        for region, backend in regions.items():
            for table_name, table in backend.tables.items():
                batch: list[Any] = []
                for item in table.all_items():
                    batch.append(["p", table_name, item.to_json()["Attributes"]])
                    if len(batch) >= ITEMS_PER_SNAPSHOT_RECORD:
                        yield {"t": "ddb", "a": account, "r": region, "w": batch}
                        batch = []
                if batch:
                    yield {"t": "ddb", "a": account, "r": region, "w": batch}
    for account, sqs_regions in sqs_backends.items():
        for region, sqs in sqs_regions.items():
            for name, queue in sqs.queues.items():
                for message in list(queue._messages):
                    yield {
                        "t": "m_put",
                        "a": account,
                        "r": region,
                        "n": name,
                        "m": message_state(message),
                    }


def counts() -> dict[str, Any]:
    """Items per table and messages per queue (visible or not), for the status endpoint."""
    items = {
        name: sum(len(v) if table.has_range_key else 1 for v in table.items.values())
        for regions in dynamodb_backends.values()
        for backend in regions.values()
        for name, table in backend.tables.items()
    }
    messages = {
        name: len(queue._messages)
        for regions in sqs_backends.values()
        for backend in regions.values()
        for name, queue in backend.queues.items()
    }
    return {"items": items, "messages": messages}
