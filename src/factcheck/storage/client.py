"""The one place that talks to DynamoDB: the lazily created client, the process lock, and
the mapping of ClientError codes to domain errors (`raise ... from e`), so nothing above
storage imports botocore.

`Table` is what every part of the repository shares: one boto3 client on one table, with
the few primitives they build on (get, query, transact, batched writes and reads). A failed
condition and a cancelled transaction come back as `ConditionFailed` / `Cancelled`, which the
parts turn into the domain's answer (NotFound, IllegalTransition, "already there").
"""

from __future__ import annotations

import contextlib
import random
import threading
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import boto3
import botocore.session
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError

from factcheck.domain.errors import DocumentTooLarge, StorageError
from factcheck.settings import Settings, Target
from factcheck.storage.codec import serialise

if TYPE_CHECKING:
    from mypy_boto3_dynamodb import DynamoDBClient

# One lock per process: moto (in-process or server) is not safe for concurrent requests, so
# with `serialise_storage` every DynamoDB call of this process goes through it (see
# docs/storage.md, "moto and concurrency"). Re-entrant so nested helpers cannot deadlock.
_PROCESS_LOCK = threading.RLock()

# botocore's parsed service models, shared by the sessions this module creates: each
# repository gets its own session (thread-safe client creation, private event hooks) without
# re-reading the models from disk every time.
_LOADER_LOCK = threading.Lock()
_LOADER: Any = None

MAX_ATTEMPTS = 8  # optimistic retries when an item moved between read and write
MAX_BATCH_GET = 100  # BatchGetItem keys per request
MAX_BATCH_WRITE = 25  # BatchWriteItem items per request
TRANSIENT_REASONS = {"TransactionConflict", "ThrottlingError", "ProvisionedThroughputExceeded"}
_QUERY_WORKERS = 8
_query_pool_instance: ThreadPoolExecutor | None = None
_query_pool_lock = threading.Lock()


class ConditionFailed(Exception):
    """A single-item write's condition did not hold."""


class Cancelled(Exception):
    """A transaction was cancelled; `reasons` holds one code per item, "None" if it was fine."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(", ".join(reasons))
        self.reasons = reasons

    @property
    def condition_failed(self) -> bool:
        return "ConditionalCheckFailed" in self.reasons

    @property
    def transient(self) -> bool:
        return any(r in TRANSIENT_REASONS for r in self.reasons)


def resolve_now(now: datetime | None) -> datetime:
    """The time a write stamps: `now` if given (a naive one is UTC), else the clock."""
    if now is None:
        return datetime.now(UTC)
    return now if now.tzinfo else now.replace(tzinfo=UTC)


class Table:
    """One DynamoDB table through one lazily created client."""

    def __init__(self, settings: Settings, *, query_page_size: int | None = None) -> None:
        self.settings = settings
        self.name = settings.table_name
        # Items per Query page when reading a whole partition (None: DynamoDB's 1 MB pages);
        # small only to prove that the paging works.
        self.query_page_size = query_page_size
        serialise_calls = settings.serialise_storage
        if serialise_calls is None:
            serialise_calls = settings.target is Target.LOCAL
        self.serialised = serialise_calls
        self._lock: contextlib.AbstractContextManager[Any] = (
            _PROCESS_LOCK if serialise_calls else contextlib.nullcontext()
        )
        self.secret = settings.cursor_secret.get_secret_value().encode("utf-8")
        self._client: DynamoDBClient | None = None
        self._client_lock = threading.Lock()

    @property
    def client(self) -> DynamoDBClient:
        """The boto3 client, created on first use (so a mock or endpoint is in place first)."""
        if self._client is None:
            with self._client_lock:
                if self._client is None:
                    config = Config(
                        retries={"max_attempts": 4, "mode": "standard"},
                        max_pool_connections=32,
                        connect_timeout=5,
                        read_timeout=30,
                    )
                    session = _new_session()
                    self._client = session.client(
                        "dynamodb",
                        config=config,
                        **self.settings.boto_kwargs(),
                    )
        return self._client

    def call(self, operation: str, **kwargs: Any) -> dict[str, Any]:
        """One DynamoDB call; ClientError codes become internal signals or StorageError."""
        method = getattr(self.client, operation)
        try:
            with self._lock:
                return dict(method(**kwargs))
        except ClientError as e:
            code = e.response.get("Error", {}).get("Code", "")
            if code == "ConditionalCheckFailedException":
                raise ConditionFailed(str(e)) from e
            if code == "TransactionCanceledException":
                reasons = [
                    str(r.get("Code", "None")) for r in e.response.get("CancellationReasons", [])
                ]
                raise Cancelled(reasons) from e
            if code == "ValidationException" and "size" in str(e).lower():
                raise DocumentTooLarge(f"the item is too large to store: {e}") from e
            raise StorageError(f"DynamoDB {operation} failed: {code}", code=code) from e
        except BotoCoreError as e:
            raise StorageError(f"DynamoDB {operation} failed: {e}") from e

    def get(self, key: Mapping[str, str]) -> dict[str, Any] | None:
        resp = self.call("get_item", TableName=self.name, Key=serialise(key), ConsistentRead=True)
        item = resp.get("Item")
        return dict(item) if item else None

    def query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        """Every item the Query matches, following LastEvaluatedKey page after page."""
        if self.query_page_size is not None:
            kwargs.setdefault("Limit", self.query_page_size)
        items: list[dict[str, Any]] = []
        while True:
            resp = self.call("query", TableName=self.name, **kwargs)
            items.extend(resp.get("Items", []))
            last = resp.get("LastEvaluatedKey")
            if not last:
                return items
            kwargs["ExclusiveStartKey"] = last

    def transact(self, items: list[dict[str, Any]]) -> None:
        self.call("transact_write_items", TransactItems=items)

    def put_new(self, attrs: Mapping[str, Any]) -> dict[str, Any]:
        """A transaction item that writes `attrs` only if no item has its key yet."""
        return {
            "Put": {
                "TableName": self.name,
                "Item": serialise(attrs),
                "ConditionExpression": "attribute_not_exists(PK)",
            }
        }

    def batch_put(self, items: Sequence[Mapping[str, Any]]) -> None:
        """Plain puts, 25 a request, retrying what DynamoDB leaves unprocessed."""
        for i in range(0, len(items), MAX_BATCH_WRITE):
            pending: dict[str, Any] = {
                self.name: [
                    {"PutRequest": {"Item": serialise(item)}}
                    for item in items[i : i + MAX_BATCH_WRITE]
                ]
            }
            for attempt in range(MAX_ATTEMPTS):
                resp = self.call("batch_write_item", RequestItems=pending)
                pending = resp.get("UnprocessedItems") or {}
                if not pending:
                    break
                backoff(attempt + 1)
            else:
                raise StorageError("DynamoDB kept leaving index items unprocessed")

    def batch_get(self, item_keys: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]:
        """The items that exist among the keys (strongly consistent), in no set order."""
        found: list[dict[str, Any]] = []
        for i in range(0, len(item_keys), MAX_BATCH_GET):
            pending: dict[str, Any] = {
                self.name: {
                    "Keys": [serialise(k) for k in item_keys[i : i + MAX_BATCH_GET]],
                    "ConsistentRead": True,
                }
            }
            for attempt in range(MAX_ATTEMPTS):
                resp = self.call("batch_get_item", RequestItems=pending)
                found.extend(resp.get("Responses", {}).get(self.name, []))
                pending = resp.get("UnprocessedKeys") or {}
                if not pending:
                    break
                backoff(attempt + 1)
            else:
                raise StorageError("DynamoDB kept leaving keys unprocessed")
        return found


def query_pool() -> ThreadPoolExecutor:
    """Threads shared by every repository of the process for independent reads (boto3
    clients are thread-safe); created on first use so a Lambda that never needs it pays
    nothing."""
    global _query_pool_instance
    with _query_pool_lock:
        if _query_pool_instance is None:
            _query_pool_instance = ThreadPoolExecutor(_QUERY_WORKERS, "dynamo-query")
        return _query_pool_instance


def _new_session() -> boto3.session.Session:
    """A fresh boto3 session that reuses the process's parsed service models."""
    global _LOADER
    core = botocore.session.get_session()
    with _LOADER_LOCK:
        if _LOADER is None:
            _LOADER = core.get_component("data_loader")
        else:
            core.register_component("data_loader", _LOADER)
    return boto3.session.Session(botocore_session=core)


def backoff(attempt: int) -> None:
    """Short jittered pause before an optimistic retry (none before the first)."""
    if attempt:
        time.sleep(random.uniform(0, 0.005 * 2 ** min(attempt, 6)))
