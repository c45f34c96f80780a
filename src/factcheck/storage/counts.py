"""How many claims are in each state: the queue's "Queued 12 · In review 3 · ..." line.

One Query per status partition of GSI1 (the review queue index, `STATUS#<status>`) with
`Select=COUNT`: DynamoDB counts the partition's index items and returns no items, and no
Scan is sent. A count reads (and is charged for) the partition's index keys, a page of up
to 1 MB at a time, so each status is a few page reads even for tens of thousands of
claims. Index reads are eventually consistent: a claim moved a moment ago may be counted
in its old state for that moment, which a count shown next to a list can afford.
"""

from __future__ import annotations

from typing import Any

from factcheck.domain.models import ClaimStatus
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.expressions import Expr


class ClaimCounts(Store):
    def claim_counts(self) -> dict[ClaimStatus, int]:
        """The number of claims in each status (every status, zeros included)."""
        return {status: self._count(status) for status in ClaimStatus}

    def _count(self, status: ClaimStatus) -> int:
        expr = Expr()
        params: dict[str, Any] = {
            "IndexName": keys.GSI1,
            "KeyConditionExpression": (
                f"{expr.name(keys.GSI1PK)} = {expr.value(keys.queue_pk(status.value))}"
            ),
            "Select": "COUNT",
            **expr.params(),
        }
        if self.db.query_page_size is not None:  # smaller pages (tests of the paging)
            params["Limit"] = self.db.query_page_size
        total = 0
        while True:  # a COUNT Query pages like any other: 1 MB of keys evaluated per page
            resp = self.db.call("query", TableName=self.db.name, **params)
            total += int(resp.get("Count", 0))
            last = resp.get("LastEvaluatedKey")
            if not last:
                return total
            params["ExclusiveStartKey"] = last
