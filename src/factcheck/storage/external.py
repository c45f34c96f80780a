"""Other publishers' checks: one item per imported ClaimReview, and its LSH band items in
the same matching index as our own claims, written in ONE transaction so a check is either
findable whole or not there at all (never half-indexed)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from factcheck.domain.external import ExternalCheck
from factcheck.domain.models import MatchCandidate
from factcheck.storage import keys
from factcheck.storage.base import Store
from factcheck.storage.codec import serialise, to_model

# The `document_id` of an external check's LSH items: what tells matching it is not ours.
EXTERNAL_DOCUMENT = "external"


class ExternalChecks(Store):
    """Imported ClaimReviews, matched like claims, never in the review queue."""

    def put_external_check(
        self, check: ExternalCheck, *, buckets: Sequence[str], candidate: MatchCandidate
    ) -> None:
        """Write (or rewrite: the id is the review's url) the check and its LSH items."""
        item = {**keys.external_check_key(check.id), keys.TYPE: "external", **check.model_dump()}
        fingerprint = candidate.model_dump()
        lsh = [
            {**keys.lsh_key(b, check.id), keys.TYPE: "lsh", **fingerprint}
            for b in dict.fromkeys(buckets)
        ]
        puts: list[dict[str, Any]] = [
            {"Put": {"TableName": self.db.name, "Item": serialise(attrs)}} for attrs in [item, *lsh]
        ]
        self.db.transact(puts)

    def get_external_checks(self, check_ids: Sequence[str]) -> list[ExternalCheck]:
        """The checks that exist among the ids (BatchGetItem), in the order asked."""
        unique = list(dict.fromkeys(check_ids))
        items = self.db.batch_get([keys.external_check_key(i) for i in unique])
        found = {c.id: c for c in (to_model(ExternalCheck, item) for item in items)}
        return [found[i] for i in unique if i in found]
