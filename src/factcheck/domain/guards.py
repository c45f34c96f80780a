"""The guards of the claim lifecycle: whether an actor may take an action on a claim now.

Each `check_<action>` raises the typed error that explains why not (Forbidden for a role
that never may, IllegalTransition for the wrong state, LeaseConflict for someone else's
lease or assignment, FourEyesViolation); `allowed_actions` asks all of them, so what the
page offers is exactly what the API would accept at that moment. The transitions
themselves are in `factcheck.domain.lifecycle`.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from pydantic import BaseModel, ConfigDict

from factcheck.domain.errors import (
    FactcheckError,
    Forbidden,
    FourEyesViolation,
    IllegalTransition,
    InvalidInput,
    LeaseConflict,
)
from factcheck.domain.models import Claim, ClaimStatus, Role, Verdict
from factcheck.domain.rating import RatingScale

# The action names the API reports in `allowed_actions` (and the page offers), in the
# order a review goes through them.
ACTIONS = (
    "lease",
    "release",
    "add_source",
    "give_verdict",
    "approve",
    "send_back",
    "dismiss",
    "mark_duplicate",
    "assign",
    "restore",
    "correct",
    "retract",
)
ACTIVE = (ClaimStatus.QUEUED, ClaimStatus.IN_REVIEW, ClaimStatus.REVIEWED)
ASSIGNABLE = (ClaimStatus.QUEUED, ClaimStatus.IN_REVIEW)
MAX_SOURCES = 50  # keeps a claim item far below DynamoDB's 400 KB

REVIEWERS = frozenset({Role.REVIEWER, Role.EDITOR, Role.ADMIN})
EDITORS = frozenset({Role.EDITOR, Role.ADMIN})
# Which roles may take each action at all (the API's permissions say the same: review and
# dismiss for reviewers, edit for editors; tests/unit/domain checks that they agree).
ROLES: dict[str, frozenset[Role]] = {
    "lease": REVIEWERS,
    "release": REVIEWERS,
    "add_source": REVIEWERS,
    "give_verdict": REVIEWERS,
    "approve": EDITORS,
    "send_back": EDITORS,
    "dismiss": REVIEWERS,
    "mark_duplicate": REVIEWERS,
    "assign": EDITORS,
    "restore": EDITORS,
    "correct": EDITORS,
    "retract": EDITORS,
}
_VERBS = {
    "lease": "lease",
    "release": "release",
    "add_source": "add a source to",
    "give_verdict": "give a verdict on",
    "approve": "approve",
    "send_back": "send back",
    "dismiss": "dismiss",
    "mark_duplicate": "dismiss",
    "assign": "assign",
    "restore": "restore",
    "correct": "correct",
    "retract": "retract",
}


class Actor(BaseModel):
    """Who acts: the user's name (what history records) and role (what they may do)."""

    model_config = ConfigDict(frozen=True)

    name: str
    role: Role


# --- arguments ------------------------------------------------------------------------------


def as_utc(now: datetime) -> datetime:
    """A naive time is taken as UTC (the lifecycle compares times with stored, aware ones)."""
    return now if now.tzinfo else now.replace(tzinfo=UTC)


def require_text(value: str, name: str) -> str:
    """The value stripped; InvalidInput naming the field when it is empty or not text."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{name} must not be empty", field=name)
    return value.strip()


def checked_verdict(verdict: Verdict, scale: RatingScale) -> Verdict:
    """The verdict with the scale's spelling of its rating; InvalidInput off the scale."""
    rating = scale.canonical(verdict.rating)
    require_text(verdict.summary, "summary")
    return verdict.model_copy(update={"rating": rating})


# --- guards: each raises the error that explains why the actor may not act now ------------


def lease_live(claim: Claim, at: datetime) -> bool:
    return claim.lease_expires_at is not None and claim.lease_expires_at > at


def require_role(actor: Actor, action: str) -> None:
    require_text(actor.name, "actor")
    if actor.role not in ROLES[action]:
        raise Forbidden(f"Role '{actor.role.value}' may not {_VERBS[action]} claims.")


def require_status(claim: Claim, action: str, allowed: Iterable[ClaimStatus]) -> None:
    allowed = tuple(allowed)
    if claim.status not in allowed:
        raise IllegalTransition(
            f"cannot {_VERBS[action]} claim {claim.id}: it is {claim.status.value}, "
            f"expected {' or '.join(s.value for s in allowed)}",
            claim_id=claim.id,
            status=claim.status.value,
            action=_VERBS[action],
        )


def _require_lease(claim: Claim, actor: Actor, at: datetime, action: str) -> None:
    """The actor holds an unexpired lease on the claim."""
    verb = _VERBS[action]
    if claim.lease_holder != actor.name:
        raise LeaseConflict(
            f"cannot {verb} claim {claim.id}: it is leased to {claim.lease_holder}, "
            f"not {actor.name}",
            claim_id=claim.id,
            holder=claim.lease_holder,
        )
    if not lease_live(claim, at):
        expired = claim.lease_expires_at.isoformat() if claim.lease_expires_at else "unknown"
        raise LeaseConflict(
            f"cannot {verb} claim {claim.id}: your lease expired at {expired}; lease it again",
            claim_id=claim.id,
            holder=claim.lease_holder,
        )


def _require_not_leased_to_another(claim: Claim, actor: Actor, at: datetime) -> None:
    """A claim someone else holds under a live lease is theirs: LeaseConflict."""
    if (
        claim.status is ClaimStatus.IN_REVIEW
        and claim.lease_holder != actor.name
        and lease_live(claim, at)
    ):
        raise LeaseConflict(
            f"cannot dismiss claim {claim.id}: it is leased to {claim.lease_holder}",
            claim_id=claim.id,
            holder=claim.lease_holder,
        )


def check_lease(
    claim: Claim, actor: Actor, now: datetime, *, override_assignment: bool | None = None
) -> None:
    """queued, or in review under one's own or an expired lease; not assigned to another
    (editors and admins may take an assigned claim, or whoever `override_assignment` says)."""
    require_role(actor, "lease")
    at = as_utc(now)
    override = actor.role in EDITORS if override_assignment is None else override_assignment
    if claim.assignee and claim.assignee != actor.name and not override:
        raise LeaseConflict(
            f"claim {claim.id} is assigned to {claim.assignee}; only they may take it",
            claim_id=claim.id,
            holder=claim.assignee,
        )
    if claim.status is ClaimStatus.IN_REVIEW:
        if claim.lease_holder != actor.name and lease_live(claim, at):
            until = claim.lease_expires_at.isoformat() if claim.lease_expires_at else ""
            raise LeaseConflict(
                f"claim {claim.id} is leased to {claim.lease_holder} until {until}",
                claim_id=claim.id,
                holder=claim.lease_holder,
            )
        return
    require_status(claim, "lease", (ClaimStatus.QUEUED,))


def check_release(claim: Claim, actor: Actor, now: datetime) -> None:
    """in review, by the lease holder (even after the lease ran out)."""
    require_role(actor, "release")
    require_status(claim, "release", (ClaimStatus.IN_REVIEW,))
    if claim.lease_holder != actor.name:
        raise LeaseConflict(
            f"cannot release claim {claim.id}: it is leased to {claim.lease_holder}",
            claim_id=claim.id,
            holder=claim.lease_holder,
        )


def check_add_source(claim: Claim, actor: Actor, now: datetime) -> None:
    """in review, by the holder of an unexpired lease."""
    require_role(actor, "add_source")
    require_status(claim, "add_source", (ClaimStatus.IN_REVIEW,))
    _require_lease(claim, actor, as_utc(now), "add_source")


def check_give_verdict(claim: Claim, actor: Actor, now: datetime) -> None:
    """in review, by the holder of an unexpired lease."""
    require_role(actor, "give_verdict")
    require_status(claim, "give_verdict", (ClaimStatus.IN_REVIEW,))
    _require_lease(claim, actor, as_utc(now), "give_verdict")


def check_approve(claim: Claim, actor: Actor, now: datetime) -> None:
    """reviewed, by an editor who did not give the verdict (four eyes)."""
    require_role(actor, "approve")
    require_status(claim, "approve", (ClaimStatus.REVIEWED,))
    if claim.verdict is None:  # cannot happen through the lifecycle
        raise IllegalTransition(f"claim {claim.id} has no verdict", claim_id=claim.id)
    if claim.verdict.reviewer == actor.name:
        raise FourEyesViolation(
            f"{actor.name} gave the verdict on claim {claim.id}; another editor must approve",
            claim_id=claim.id,
        )


def check_send_back(claim: Claim, actor: Actor, now: datetime) -> None:
    """reviewed, by an editor."""
    require_role(actor, "send_back")
    require_status(claim, "send_back", (ClaimStatus.REVIEWED,))


def _require_may_dismiss(claim: Claim, actor: Actor, now: datetime) -> None:
    """Editors and admins may dismiss any active claim; a reviewer only one that is not
    reviewed and that nobody else holds (live lease) or is assigned to: a colleague's work
    is theirs, and a verdict waits for an editor."""
    if actor.role in EDITORS:
        return
    if claim.status is ClaimStatus.REVIEWED:
        raise Forbidden(
            f"Only an editor can dismiss claim {claim.id}: it is reviewed and waits for approval."
        )
    if claim.assignee and claim.assignee != actor.name:
        raise LeaseConflict(
            f"cannot dismiss claim {claim.id}: it is assigned to {claim.assignee}",
            claim_id=claim.id,
            holder=claim.assignee,
        )
    _require_not_leased_to_another(claim, actor, as_utc(now))


def check_dismiss(
    claim: Claim, actor: Actor, now: datetime, *, override_lease: bool = False
) -> None:
    """any active state; a reviewer only as `_require_may_dismiss` says; not a claim
    someone else holds under a live lease (unless `override_lease`, for editors)."""
    require_role(actor, "dismiss")
    require_status(claim, "dismiss", ACTIVE)
    _require_not_correcting(claim, "dismiss")
    _require_may_dismiss(claim, actor, now)
    if not override_lease:
        _require_not_leased_to_another(claim, actor, as_utc(now))


def check_mark_duplicate(
    claim: Claim,
    actor: Actor,
    now: datetime,
    *,
    original: Claim | None = None,
    override_lease: bool = False,
) -> None:
    """As dismiss; the original (when known) must be published."""
    require_role(actor, "mark_duplicate")
    require_status(claim, "mark_duplicate", ACTIVE)
    _require_not_correcting(claim, "mark_duplicate")
    _require_may_dismiss(claim, actor, now)
    if original is not None and original.status is not ClaimStatus.PUBLISHED:
        raise IllegalTransition(
            f"claim {original.id} is {original.status.value}; a claim can only be "
            "marked as a duplicate of a published one",
            claim_id=original.id,
            status=original.status.value,
        )
    if not override_lease:
        _require_not_leased_to_another(claim, actor, as_utc(now))


def check_restore(claim: Claim, actor: Actor, now: datetime) -> None:
    """dismissed, by an editor."""
    require_role(actor, "restore")
    require_status(claim, "restore", (ClaimStatus.DISMISSED,))


def _require_not_correcting(claim: Claim, action: str) -> None:
    """A check under correction is still published: it can be corrected or retracted,
    never dismissed (that would take the published version off the record)."""
    if claim.correction is not None:
        raise IllegalTransition(
            f"cannot {_VERBS[action]} claim {claim.id}: it is a published check under "
            "correction; finish the correction or retract it",
            claim_id=claim.id,
            status=claim.status.value,
            action=_VERBS[action],
        )


def check_correct(claim: Claim, actor: Actor, now: datetime) -> None:
    """published (and not under correction already), by an editor."""
    require_role(actor, "correct")
    require_status(claim, "correct", (ClaimStatus.PUBLISHED,))


def check_retract(claim: Claim, actor: Actor, now: datetime) -> None:
    """published, or under correction (readers still see the published version), by an
    editor: even while a reviewer holds the correction's lease."""
    require_role(actor, "retract")
    if claim.correction is not None and claim.status in ACTIVE:
        return
    require_status(claim, "retract", (ClaimStatus.PUBLISHED,))


def check_assign(claim: Claim, actor: Actor, now: datetime) -> None:
    """queued or in review, by an editor."""
    require_role(actor, "assign")
    require_status(claim, "assign", ASSIGNABLE)


_CHECKS = {
    "lease": check_lease,
    "release": check_release,
    "add_source": check_add_source,
    "give_verdict": check_give_verdict,
    "approve": check_approve,
    "send_back": check_send_back,
    "dismiss": check_dismiss,
    "mark_duplicate": check_mark_duplicate,
    "assign": check_assign,
    "restore": check_restore,
    "correct": check_correct,
    "retract": check_retract,
}


def allowed_actions(claim: Claim, actor: Actor, now: datetime) -> list[str]:
    """The actions (names of `ACTIONS`) this actor may take on this claim at `now`."""
    allowed = []
    for action in ACTIONS:
        try:
            _CHECKS[action](claim, actor, now)
        except FactcheckError:
            continue
        if action == "add_source" and len(claim.sources) >= MAX_SOURCES:
            continue
        allowed.append(action)
    return allowed
