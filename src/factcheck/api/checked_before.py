""" "Checked before": the published checks a claim matched, ours and other publishers',
read live (a verdict sent back since the match is no longer offered)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from factcheck.api.services import Services
from factcheck.domain.corrections import public_version
from factcheck.domain.external import ExternalCheck
from factcheck.domain.models import Claim
from factcheck.publishing.claimreview import claim_review_url, fact_check_url
from factcheck.storage.external import EXTERNAL_DOCUMENT
from factcheck.storage.repository import Repository


def matched_now(
    repo: Repository, matches: Iterable[tuple[str, str]]
) -> tuple[dict[str, Claim], dict[str, ExternalCheck]]:
    """The matched claims and outside checks as they are now, by id, from (claim id,
    document id) pairs: one batch read of each kind."""
    pairs = list(matches)
    ours = [cid for cid, doc in pairs if doc != EXTERNAL_DOCUMENT]
    theirs = [cid for cid, doc in pairs if doc == EXTERNAL_DOCUMENT]
    current = {c.id: c for c in repo.get_claims(ours)} if ours else {}
    external = {c.id: c for c in repo.get_external_checks(theirs)} if theirs else {}
    return current, external


def checked_before(svc: Services, claim: Claim) -> list[dict[str, Any]]:
    """Each matched check that is published now, most similar first."""
    if not claim.matches:
        return []
    pairs = ((m.claim_id, m.document_id) for m in claim.matches)
    current, external = matched_now(svc.repository, pairs)
    out: list[dict[str, Any]] = []
    for match in claim.matches:
        found = current.get(match.claim_id)
        # as readers see it: the kept published version while a correction is reviewed
        earlier = public_version(found) if found is not None else None
        if earlier is not None and earlier.verdict:
            out.append(
                {
                    "claim_id": earlier.id,
                    "text": earlier.text,
                    "similarity": match.similarity,
                    "rating": earlier.verdict.rating,
                    "summary": earlier.verdict.summary,
                    "published_at": earlier.published_at,
                    "publisher": svc.settings.organisation_name,
                    "external": False,
                    "url": fact_check_url(svc.settings, earlier.id),
                    "claim_review_url": claim_review_url(svc.settings, earlier.id),
                }
            )
        elif (check := external.get(match.claim_id)) is not None:
            out.append(
                {
                    "claim_id": check.id,
                    "text": check.claim_reviewed,
                    "similarity": match.similarity,
                    "rating": check.rating,
                    "summary": None,
                    "published_at": check.date_published,
                    "publisher": check.publisher,
                    "external": True,
                    "url": check.url,
                    "claim_review_url": check.url,
                }
            )
    return out
