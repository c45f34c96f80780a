"""Publishing: published verdicts as schema.org ClaimReview JSON-LD (see docs/claimreview.md)."""

from factcheck.publishing.claimreview import (
    CLAIM_REVIEWED_MAX,
    claim_review,
    claim_review_feed,
    rating,
    shorten_claim,
)

__all__ = ["CLAIM_REVIEWED_MAX", "claim_review", "claim_review_feed", "rating", "shorten_claim"]
