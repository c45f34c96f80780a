"""Claim-matching and search indexes: one item per LSH band bucket and one per search term,
written idempotently beside the claim; a Query per bucket or term reads them back."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from factcheck.domain.errors import InvalidInput
from factcheck.domain.models import Claim, ClaimStatus, MatchCandidate
from factcheck.storage import keys
from factcheck.storage.claims import Claims
from factcheck.storage.client import query_pool
from factcheck.storage.codec import to_model
from factcheck.storage.expressions import Expr
from factcheck.storage.paging import check_limit

MAX_TERM_HITS = 5_000  # search: claim ids read per term at most


class Indexes(Claims):
    """Claim-matching and search indexes: one item per LSH band bucket and one per search term,"""

    def index_claim(
        self,
        claim: Claim,
        *,
        buckets: Sequence[str],
        candidate: MatchCandidate,
        terms: Iterable[str],
    ) -> int:
        """Write the claim's LSH items (one per band) and search items (one per term).

        Plain puts of items derived from the claim: writing them again changes nothing, so
        a redelivered claim repairs an index write that a crash cut short.
        """
        fingerprint = candidate.model_dump()
        items: list[dict[str, Any]] = [
            {**keys.lsh_key(b, claim.id), keys.TYPE: "lsh", **fingerprint} for b in buckets
        ]
        items += [
            {**keys.word_key(t, claim.id), keys.TYPE: "word", "claim_id": claim.id}
            for t in dict.fromkeys(terms)
        ]
        self.db.batch_put(items)
        return len(items)

    def lsh_candidates(
        self, buckets: Sequence[str], *, per_bucket: int = 200
    ) -> list[MatchCandidate]:
        """Claims sharing at least one LSH bucket, each once: one Query per bucket (a Query
        cannot be batched), issued concurrently unless this process serialises its calls."""

        def query(bucket: str) -> dict[str, Any]:
            expr = Expr()
            return self.db.call(
                "query",
                TableName=self.db.name,
                KeyConditionExpression=f"{expr.name(keys.PK)} = {expr.value(keys.lsh_pk(bucket))}",
                Limit=per_bucket,
                **expr.params(),
            )

        unique = list(dict.fromkeys(buckets))
        if self.serialised or len(unique) < 2:
            responses = [query(b) for b in unique]
        else:
            responses = list(query_pool().map(query, unique))
        found: dict[str, MatchCandidate] = {}
        for resp in responses:
            for item in resp.get("Items", []):
                candidate = to_model(MatchCandidate, item)
                found.setdefault(candidate.claim_id, candidate)
        return list(found.values())

    def search_claims(
        self, terms: Sequence[str], *, status: ClaimStatus | None = None, limit: int = 20
    ) -> list[Claim]:
        """Claims whose text has every term (one Query per term, ids intersected, then
        BatchGetItem), optionally of one status, highest check-worthiness first."""
        terms = list(dict.fromkeys(t for t in terms if t))
        if not terms:
            raise InvalidInput("give at least one word to search for", field="q")
        check_limit(limit)
        ids: set[str] | None = None
        for term in terms:
            expr = Expr()
            hits: set[str] = set()
            partition = f"{expr.name(keys.PK)} = {expr.value(keys.word_pk(term))}"
            params: dict[str, Any] = {
                "KeyConditionExpression": partition,
                "ProjectionExpression": expr.name(keys.SK),
                **expr.params(),
            }
            while len(hits) < MAX_TERM_HITS:
                resp = self.db.call("query", TableName=self.db.name, **params)
                hits.update(str(i[keys.SK]["S"]) for i in resp.get("Items", []))
                last = resp.get("LastEvaluatedKey")
                if not last:
                    break
                params["ExclusiveStartKey"] = last
            ids = hits if ids is None else ids & hits
            if not ids:
                return []
        claims = self.get_claims(sorted(ids or ()))
        if status is not None:
            claims = [c for c in claims if c.status is ClaimStatus(status)]
        claims.sort(key=lambda c: (-c.score, c.created_at, c.id))
        return claims[:limit]
