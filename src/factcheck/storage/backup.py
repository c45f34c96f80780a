"""Admin export and import of every item, losslessly in DynamoDB JSON."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from factcheck.domain.errors import InvalidInput
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.client import ConditionFailed


class Backup(Store):
    """Admin export and import of every item, losslessly in DynamoDB JSON."""

    def export_items(self) -> Iterator[dict[str, object]]:
        """Every raw item in DynamoDB JSON ({"PK": {"S": ...}}), lossless and JSON-safe.

        The ONLY Scan of the repository (admin export/backup; never on a user's path).
        """
        params: dict[str, Any] = {"TableName": self.db.name, "ConsistentRead": True}
        while True:
            resp = self.db.call("scan", **params)
            for item in resp.get("Items", []):
                yield dict(item)
            last = resp.get("LastEvaluatedKey")
            if not last:
                return
            params["ExclusiveStartKey"] = last

    def import_items(self, items: Iterable[dict[str, object]]) -> int:
        """Idempotent restore of exported items; returns how many were written.

        An item whose key is already in the table is left as it is (never clobbered), so
        importing the same export twice writes nothing the second time.
        """
        written = 0
        for number, item in enumerate(items):
            if not isinstance(item, dict) or not all(
                isinstance(item.get(k), dict) and "S" in item[k]  # type: ignore[operator]
                for k in (keys.PK, keys.SK)
            ):
                raise InvalidInput(f"item {number} is not an exported item (DynamoDB JSON)")
            try:
                self.db.call(
                    "put_item",
                    TableName=self.db.name,
                    Item=item,
                    ConditionExpression="attribute_not_exists(PK)",
                )
            except ConditionFailed:
                continue
            written += 1
        return written
