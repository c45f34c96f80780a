"""Corrections and retractions of published checks, as pure lifecycle transitions.

A correction reopens a published check: it goes back to the queue with the editor's note
and the published version kept on the claim (`correction.published`), is reviewed and
approved again (four eyes: the new verdict's reviewer never approves it), and its approval
keeps `published_at` (datePublished), sets `modified_at` (dateModified) and appends a
`CorrectionRecord` (note, earlier rating) to the public record. Until then, readers see the
kept version (`public_version`). A retraction withdraws a published check for good.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from factcheck.domain.guards import (
    Actor,
    as_utc,
    check_correct,
    check_retract,
    require_text,
)
from factcheck.domain.models import (
    Claim,
    ClaimStatus,
    CorrectionRecord,
    OpenCorrection,
    PublishedVersion,
    Retraction,
    Verdict,
)
from factcheck.domain.step import Transition, step


def correct(claim: Claim, actor: Actor, now: datetime, note: str) -> Transition:
    """published -> queued, by an editor, with the correction note: the check is reviewed
    and approved again (four eyes included). The published version is kept in
    `correction.published`, so readers see it until the correction is approved."""
    note = require_text(note, "note")
    check_correct(claim, actor, now)
    assert claim.verdict is not None  # a published claim has one
    published = PublishedVersion(
        verdict=claim.verdict, approved_by=claim.approved_by, sources=list(claim.sources)
    )
    opened = OpenCorrection(
        note=note, opened_by=actor.name, opened_at=as_utc(now), published=published
    )
    changes = {
        "correction": opened,
        "verdict": None,
        "approved_by": None,
        "comment": None,
        "assignee": None,
        "lease_holder": None,
        "lease_expires_at": None,
    }
    detail = {"note": note, "previous_rating": claim.verdict.rating}
    return step(claim, actor, now, "correction_opened", ClaimStatus.QUEUED, changes, detail)


def publish_correction(
    claim: Claim, actor: Actor, now: datetime, opened: OpenCorrection, verdict: Verdict
) -> Transition:
    """reviewed -> published for a correction: `published_at` stays (datePublished),
    `modified_at` is now (dateModified) and the correction joins the public record."""
    at = as_utc(now)
    earlier = opened.published.verdict
    record = CorrectionRecord(
        note=opened.note,
        corrected_at=at,
        opened_by=opened.opened_by,
        approved_by=actor.name,
        reviewer=verdict.reviewer,
        previous_rating=earlier.rating,
        previous_summary=earlier.summary,
        rating=verdict.rating,
    )
    changes = {
        "approved_by": actor.name,
        "modified_at": at,
        "correction": None,
        "corrections": [*claim.corrections, record],
    }
    detail = {
        "note": opened.note,
        "rating": verdict.rating,
        "previous_rating": earlier.rating,
        "reviewer": verdict.reviewer,
    }
    return step(claim, actor, now, "corrected", ClaimStatus.PUBLISHED, changes, detail)


def retract(claim: Claim, actor: Actor, now: datetime, reason: str) -> Transition:
    """published (or under correction) -> retracted, by an editor, with the reason. A
    correction under way is abandoned: the claim keeps the version readers last saw."""
    reason = require_text(reason, "reason")
    check_retract(claim, actor, now)
    shown = public_version(claim)
    assert shown is not None and shown.verdict is not None  # check_retract made sure
    changes: dict[str, Any] = {
        "retraction": Retraction(reason=reason, retracted_by=actor.name, retracted_at=as_utc(now)),
        "verdict": shown.verdict,
        "approved_by": shown.approved_by,
        "sources": shown.sources,
        "correction": None,
        "lease_holder": None,
        "lease_expires_at": None,
    }
    detail = {"reason": reason, "rating": shown.verdict.rating}
    return step(claim, actor, now, "retracted", ClaimStatus.RETRACTED, changes, detail)


def public_version(claim: Claim) -> Claim | None:
    """The claim as readers see it: itself when published, the kept published version
    while a correction is under way, None when nothing of it is published (or retracted)."""
    if claim.status is ClaimStatus.PUBLISHED and claim.verdict is not None:
        return claim
    if claim.correction is None or claim.published_at is None:
        return None
    shown = claim.correction.published
    return claim.model_copy(
        update={
            "status": ClaimStatus.PUBLISHED,
            "verdict": shown.verdict,
            "approved_by": shown.approved_by,
            "sources": shown.sources,
            "correction": None,
        }
    )


def approval_action(claim: Claim) -> str:
    """The event action of the approval that published `claim` as it is now: "corrected"
    when it published a correction, else "approved" (the webhook event follows from it)."""
    last = claim.corrections[-1] if claim.corrections else None
    return "corrected" if last is not None and last.corrected_at == claim.updated_at else "approved"
