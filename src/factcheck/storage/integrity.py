"""Repairs for `factcheck verify --repair` (admin only): put an item's index keys back to
what its own attributes say, or delete an index item whose claim does not exist. Each write
is conditioned on what verify read, so a repair never overwrites a change made meanwhile."""

from __future__ import annotations

from typing import Any

from factcheck.domain.models import Claim, Document
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.client import ConditionFailed
from factcheck.storage.codec import serialise
from factcheck.storage.expressions import Expr

INDEX_PREFIXES = ("LSH#", "WORD#")


class Integrity(Store):
    """Index-key repairs of claims and documents, and removal of orphaned index items."""

    def repair_claim_keys(self, claim: Claim) -> bool:
        """Set the claim's GSI keys from its state (version unchanged); False if it moved."""
        return self._set_keys(
            keys.claim_key(claim.id),
            keys.claim_index_keys(claim),
            "version",
            claim.version,
        )

    def repair_document_keys(self, doc: Document) -> bool:
        """Set the document's GSI2 keys from its status and last update; False if it moved."""
        wanted: dict[str, str | None] = {
            keys.GSI2PK: keys.document_status_pk(doc.status.value),
            keys.GSI2SK: keys.iso(doc.updated_at),
        }
        return self._set_keys(keys.document_key(doc.id), wanted, "status", doc.status.value)

    def delete_index_item(self, pk: str, sk: str) -> bool:
        """Delete one matching or search item (LSH#..., WORD#... only); False if absent."""
        if not pk.startswith(INDEX_PREFIXES):
            raise ValueError(f"{pk} is not an index item")
        try:
            self.db.call(
                "delete_item",
                TableName=self.db.name,
                Key=serialise({keys.PK: pk, keys.SK: sk}),
                ConditionExpression="attribute_exists(PK)",
            )
        except ConditionFailed:
            return False
        return True

    def _set_keys(
        self, key: dict[str, str], wanted: dict[str, str | None], guard: str, seen: Any
    ) -> bool:
        expr = Expr()
        sets = {k: v for k, v in wanted.items() if v is not None}
        removes = [k for k, v in wanted.items() if v is None]
        update = "SET " + ", ".join(f"{expr.name(k)} = {expr.value(v)}" for k, v in sets.items())
        if removes:
            update += " REMOVE " + ", ".join(expr.name(k) for k in removes)
        try:
            self.db.call(
                "update_item",
                TableName=self.db.name,
                Key=serialise(key),
                UpdateExpression=update,
                ConditionExpression=f"{expr.name(guard)} = {expr.value(seen)}",
                **expr.params(),
            )
        except ConditionFailed:
            return False
        return True
