"""The claim lifecycle: who may move a claim where, and when, as pure functions.

Every rule of a claim's review lives here (leases, four eyes, the source limit, assignment,
dismissal). A transition takes the claim as it is stored, the actor (name and role) and the
time, and returns a `Transition` (the new claim and the immutable Event that records it),
None when the request changes nothing, or raises the typed error of `domain.errors`.
Nothing here does I/O: storage persists a Transition as one conditional transaction
(`storage/claims.py`), so the same rules are testable without a database.

`allowed_actions` asks the same guards the transitions ask, so what the page offers is
exactly what the API would accept at that moment.

States: queued -> in_review (leased) -> reviewed (verdict) -> published (approved), or
dismissed from any active state; release and send-back return a claim to queued, and an
editor's restore brings a dismissed one back. An editor's correct reopens a published
check (-> queued with `correction` holding the note and the published version, which the
public page keeps showing) and its next approval publishes the correction; retract
(published, or under correction) -> retracted, for good.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from factcheck.domain.corrections import (
    approval_action,
    correct,
    public_version,
    publish_correction,
    retract,
)
from factcheck.domain.errors import InvalidInput
from factcheck.domain.guards import (
    ACTIONS,
    MAX_SOURCES,
    Actor,
    allowed_actions,
    as_utc,
    check_add_source,
    check_approve,
    check_assign,
    check_dismiss,
    check_give_verdict,
    check_lease,
    check_mark_duplicate,
    check_release,
    check_restore,
    check_send_back,
    checked_verdict,
    require_text,
)
from factcheck.domain.models import Claim, ClaimStatus, Source, Verdict
from factcheck.domain.rating import RatingScale
from factcheck.domain.step import Transition, step

__all__ = [
    "ACTIONS",
    "MAX_SOURCES",
    "Actor",
    "Transition",
    "add_source",
    "allowed_actions",
    "approval_action",
    "approve",
    "as_utc",
    "assign",
    "checked_verdict",
    "correct",
    "dismiss",
    "give_verdict",
    "lease",
    "mark_duplicate",
    "public_version",
    "release",
    "require_text",
    "restore",
    "retract",
    "send_back",
]


def lease(
    claim: Claim,
    actor: Actor,
    now: datetime,
    *,
    lease_for: timedelta,
    override_assignment: bool | None = None,
) -> Transition:
    """queued -> in_review for `lease_for`; the holder again renews; an expired lease is
    taken over (the event names the previous holder)."""
    check_lease(claim, actor, now, override_assignment=override_assignment)
    detail: dict[str, str] = {}
    action = "leased"
    if claim.status is ClaimStatus.IN_REVIEW:
        if claim.lease_holder == actor.name:
            action = "lease_renewed"
        else:
            detail["previous_holder"] = str(claim.lease_holder)
    expires = as_utc(now) + lease_for
    detail["lease_expires_at"] = expires.astimezone(UTC).isoformat(timespec="microseconds")
    return step(
        claim,
        actor,
        now,
        action,
        ClaimStatus.IN_REVIEW,
        {"lease_holder": actor.name, "lease_expires_at": expires},
        detail,
    )


def release(claim: Claim, actor: Actor, now: datetime) -> Transition:
    """in_review -> queued, unheld."""
    check_release(claim, actor, now)
    changes = {"lease_holder": None, "lease_expires_at": None}
    return step(claim, actor, now, "released", ClaimStatus.QUEUED, changes)


def add_source(claim: Claim, actor: Actor, now: datetime, source: Source) -> Transition | None:
    """Attach a source stamped with the actor and time; the same source id again: None."""
    require_text(source.url, "url")
    check_add_source(claim, actor, now)
    if any(s.id == source.id for s in claim.sources):
        return None
    if len(claim.sources) >= MAX_SOURCES:
        raise InvalidInput(f"a claim holds at most {MAX_SOURCES} sources", field="sources")
    added = source.model_copy(update={"added_by": actor.name, "added_at": as_utc(now)})
    return step(
        claim,
        actor,
        now,
        "source_added",
        ClaimStatus.IN_REVIEW,
        {"sources": [*claim.sources, added]},
        {"source_id": source.id, "url": source.url},
    )


def give_verdict(
    claim: Claim, actor: Actor, now: datetime, verdict: Verdict, *, scale: RatingScale
) -> Transition:
    """in_review -> reviewed; the lease ends. The verdict's reviewer is the actor and its
    time the transition's, whatever the caller put there."""
    verdict = checked_verdict(verdict, scale)
    check_give_verdict(claim, actor, now)
    given = verdict.model_copy(update={"reviewer": actor.name, "given_at": as_utc(now)})
    return step(
        claim,
        actor,
        now,
        "verdict_given",
        ClaimStatus.REVIEWED,
        {"verdict": given, "lease_holder": None, "lease_expires_at": None},
        {"rating": given.rating, "summary": verdict.summary},
    )


def approve(claim: Claim, actor: Actor, now: datetime) -> Transition:
    """reviewed -> published, by an editor who did not give the verdict (a correction's
    approval too: its new verdict's reviewer may not approve it)."""
    check_approve(claim, actor, now)
    assert claim.verdict is not None  # check_approve refuses a claim without one
    if claim.correction is not None:
        return publish_correction(claim, actor, now, claim.correction, claim.verdict)
    return step(
        claim,
        actor,
        now,
        "approved",
        ClaimStatus.PUBLISHED,
        {"approved_by": actor.name, "published_at": as_utc(now)},
        {"rating": claim.verdict.rating, "reviewer": claim.verdict.reviewer},
    )


def send_back(claim: Claim, actor: Actor, now: datetime, comment: str) -> Transition:
    """reviewed -> queued with a comment. The verdict leaves the claim (it is no longer the
    current one) and stays in the event's detail (`previous_*`); sources stay."""
    comment = require_text(comment, "comment")
    check_send_back(claim, actor, now)
    detail = {"comment": comment}
    if claim.verdict is not None:
        detail |= {
            "previous_rating": claim.verdict.rating,
            "previous_summary": claim.verdict.summary,
            "previous_reviewer": claim.verdict.reviewer,
        }
    changes = {"verdict": None, "comment": comment, "approved_by": None}
    return step(claim, actor, now, "sent_back", ClaimStatus.QUEUED, changes, detail)


def dismiss(
    claim: Claim, actor: Actor, now: datetime, reason: str, *, override_lease: bool = False
) -> Transition:
    """queued / in_review / reviewed -> dismissed with a reason; no lease survives."""
    reason = require_text(reason, "reason")
    check_dismiss(claim, actor, now, override_lease=override_lease)
    changes = {"dismiss_reason": reason, "lease_holder": None, "lease_expires_at": None}
    return step(claim, actor, now, "dismissed", ClaimStatus.DISMISSED, changes, {"reason": reason})


def mark_duplicate(
    claim: Claim,
    actor: Actor,
    now: datetime,
    of_claim_id: str,
    original: Claim | None,
    *,
    override_lease: bool = False,
) -> Transition:
    """-> dismissed as a duplicate of the PUBLISHED claim `of_claim_id` (`original`: that
    claim as stored, None when it does not exist); storage re-checks, in the same
    transaction, that the original is still published."""
    if of_claim_id == claim.id:
        raise InvalidInput("a claim cannot be a duplicate of itself", field="claim_id")
    check_mark_duplicate(claim, actor, now, override_lease=override_lease)
    if original is None:
        raise InvalidInput(f"claim {of_claim_id} does not exist", field="claim_id")
    check_mark_duplicate(claim, actor, now, original=original, override_lease=override_lease)
    detail = {"reason": "duplicate", "duplicate_of": original.id}
    if original.verdict:
        detail["rating"] = original.verdict.rating
    changes = {
        "dismiss_reason": "duplicate",
        "duplicate_of": original.id,
        "lease_holder": None,
        "lease_expires_at": None,
    }
    return step(claim, actor, now, "dismissed", ClaimStatus.DISMISSED, changes, detail)


def assign(claim: Claim, actor: Actor, now: datetime, assignee: str) -> Transition | None:
    """Give a queued or in-review claim to a reviewer (status unchanged). The same assignee
    again: None; another one is a logged reassignment."""
    assignee = require_text(assignee, "reviewer")
    check_assign(claim, actor, now)
    if claim.assignee == assignee:
        return None
    detail = {"assignee": assignee}
    action = "assigned"
    if claim.assignee:
        action = "reassigned"
        detail["previous_assignee"] = claim.assignee
    return step(claim, actor, now, action, claim.status, {"assignee": assignee}, detail)


def restore(claim: Claim, actor: Actor, now: datetime) -> Transition:
    """dismissed -> queued, by an editor: the claim is worked again from the start (the
    dismissal, and any verdict it had, stay in the event's detail)."""
    check_restore(claim, actor, now)
    detail = {"previous_reason": claim.dismiss_reason or ""}
    if claim.duplicate_of:
        detail["previous_duplicate_of"] = claim.duplicate_of
    if claim.verdict is not None:
        detail |= {
            "previous_rating": claim.verdict.rating,
            "previous_reviewer": claim.verdict.reviewer,
        }
    changes = {
        "dismiss_reason": None,
        "duplicate_of": None,
        "verdict": None,
        "approved_by": None,
        "lease_holder": None,
        "lease_expires_at": None,
    }
    return step(claim, actor, now, "restored", ClaimStatus.QUEUED, changes, detail)
