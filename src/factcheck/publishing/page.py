"""What a public fact-check page shows, as plain data (the API renders it as HTML).

The page is the article a reader, a crawler or another fact-checker lands on: the claim in
its own words and where it appeared, the verdict and its rating, the summary, the sources,
who reviewed and approved it and when, and every correction (its note and the earlier
rating). Everything here is published already; nothing of the work in progress (leases,
comments, a correction under review) is on it. A retracted check has its own page
(`RetractedPage`): that it was withdrawn, when and why, and no ClaimReview.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from factcheck.domain.models import Claim, CorrectionRecord, Document, Source
from factcheck.publishing.claimreview import iso, shorten_claim


@dataclass(frozen=True)
class Appearance:
    """Where the claim was made: the article, as far as it is known."""

    title: str | None
    url: str | None
    author: str | None
    published: datetime | None


@dataclass(frozen=True)
class FactCheckPage:
    claim_id: str
    claim_text: str
    claim_reviewed: str
    rating: str
    summary: str
    reviewer: str
    reviewed_at: datetime
    approver: str | None
    published_at: datetime | None
    appearance: Appearance
    sources: list[Source] = field(default_factory=list)
    json_ld: str = ""
    modified_at: datetime | None = None
    corrections: list[CorrectionRecord] = field(default_factory=list)


@dataclass(frozen=True)
class RetractedPage:
    """What the URL of a withdrawn check says (HTTP 410): what it was about, when, why."""

    claim_id: str
    claim_text: str
    claim_reviewed: str
    published_at: datetime | None
    retracted_at: datetime
    reason: str


def retracted_page(claim: Claim) -> RetractedPage:
    """The notice of a retracted claim; ValueError if it was not retracted."""
    if claim.retraction is None:
        raise ValueError(f"claim {claim.id} is not retracted")
    shown = claim.verdict.claim_reviewed if claim.verdict else None
    return RetractedPage(
        claim_id=claim.id,
        claim_text=claim.text,
        claim_reviewed=shown or shorten_claim(claim.text),
        published_at=claim.published_at,
        retracted_at=claim.retraction.retracted_at,
        reason=claim.retraction.reason,
    )


def retraction_notice(claim: Claim) -> str:
    """The notice in one sentence, as the JSON error of a retracted ClaimReview says it."""
    page = retracted_page(claim)
    return f"This fact check was withdrawn on {human_date(page.retracted_at)}: {page.reason}"


def embeddable_json(value: dict[str, Any]) -> str:
    """JSON for a `<script type="application/ld+json">` block.

    `<`, `>` and `&` are escaped as JSON unicode escapes so that no string in the claim
    (say "</script>") can end the block early; parsers read the same JSON.
    """
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def fact_check_page(
    claim: Claim, document: Document | None, review: dict[str, Any]
) -> FactCheckPage:
    """The page of one published claim; `review` is its ClaimReview (embedded as JSON-LD)."""
    verdict = claim.verdict
    if verdict is None:
        raise ValueError(f"claim {claim.id} has no verdict")
    appearance = Appearance(
        title=document.title if document else None,
        url=document.url if document else None,
        author=document.author if document else None,
        published=document.published_at if document else None,
    )
    return FactCheckPage(
        claim_id=claim.id,
        claim_text=claim.text,
        claim_reviewed=review["claimReviewed"],
        rating=review["reviewRating"]["alternateName"],
        summary=verdict.summary,
        reviewer=verdict.reviewer,
        reviewed_at=verdict.given_at,
        approver=claim.approved_by,
        published_at=claim.published_at,
        appearance=appearance,
        sources=list(claim.sources),
        json_ld=embeddable_json(review),
        modified_at=claim.modified_at,
        corrections=list(claim.corrections),
    )


def machine_date(moment: datetime | None) -> str:
    """The `datetime` attribute of a <time> element."""
    return iso(moment) if moment else ""


def human_date(moment: datetime | None) -> str:
    """A date a reader can read in any locale without JavaScript: 1 December 2026, 08:35 UTC."""
    if moment is None:
        return ""
    moment = moment.astimezone(UTC)
    return f"{moment.day} {moment:%B %Y, %H:%M} UTC"
