"""The lifecycle methods of the repository: lease, release, add_source, give_verdict,
approve, send_back, dismiss, restore, assign, mark_duplicate, correct, retract. The rules are in
`factcheck.domain.lifecycle`; each method here validates its arguments, lets the lifecycle
decide on the claim as stored, and persists the decision (`Claims.transition`)."""

from __future__ import annotations

from datetime import datetime, timedelta

from factcheck.domain import lifecycle
from factcheck.domain.errors import InvalidInput, NotFound
from factcheck.domain.guards import ROLES
from factcheck.domain.lifecycle import Actor
from factcheck.domain.models import Claim, ClaimStatus, Role, Source, Verdict
from factcheck.storage import keys
from factcheck.storage.claims import Claims
from factcheck.storage.codec import serialise
from factcheck.storage.expressions import Expr


def as_actor(actor: str | Actor, action: str) -> Actor:
    """The lifecycle's actor. A bare name comes from a caller that has already decided the
    actor may act (the API passes an Actor with the user's role; scripts and tests pass a
    name): it acts with the least role that may take `action`."""
    if isinstance(actor, Actor):
        return actor
    name = lifecycle.require_text(actor, "actor")
    role = Role.REVIEWER if Role.REVIEWER in ROLES[action] else Role.EDITOR
    return Actor(name=name, role=role)


class Transitions(Claims):
    """The lifecycle's public methods: each asks `domain.lifecycle` and persists its answer."""

    # --- lifecycle: the rules are in factcheck.domain.lifecycle; this only persists ------
    def lease(
        self,
        claim_id: str,
        actor: str | Actor,
        *,
        now: datetime | None = None,
        override_assignment: bool | None = None,
    ) -> Claim:
        """queued -> in_review, or take over an expired lease, or renew one's own lease.

        A claim assigned to someone else is theirs: LeaseConflict, unless the actor is an
        editor or admin (or `override_assignment` says otherwise)."""
        who = as_actor(actor, "lease")
        duration = timedelta(seconds=self.settings.lease_seconds)
        return self.transition(
            claim_id,
            now,
            lambda claim, at: lifecycle.lease(
                claim, who, at, lease_for=duration, override_assignment=override_assignment
            ),
        )

    def release(self, claim_id: str, actor: str | Actor, *, now: datetime | None = None) -> Claim:
        """in_review -> queued, by the lease holder (even after the lease ran out)."""
        who = as_actor(actor, "release")
        return self.transition(claim_id, now, lambda c, at: lifecycle.release(c, who, at))

    def add_source(
        self, claim_id: str, actor: str | Actor, source: Source, *, now: datetime | None = None
    ) -> Claim:
        """Attach a source (lease holder, unexpired lease). The same source id twice: no-op."""
        who = as_actor(actor, "add_source")
        lifecycle.require_text(source.url, "url")
        return self.transition(
            claim_id, now, lambda c, at: lifecycle.add_source(c, who, at, source)
        )

    def give_verdict(
        self, claim_id: str, actor: str | Actor, verdict: Verdict, *, now: datetime | None = None
    ) -> Claim:
        """in_review -> reviewed by the holder of an unexpired lease; the lease ends."""
        who = as_actor(actor, "give_verdict")
        checked = lifecycle.checked_verdict(verdict, self.rating_scale)
        return self.transition(
            claim_id,
            now,
            lambda c, at: lifecycle.give_verdict(c, who, at, checked, scale=self.rating_scale),
        )

    def approve(self, claim_id: str, actor: str | Actor, *, now: datetime | None = None) -> Claim:
        """reviewed -> published; raises FourEyesViolation if actor gave the verdict."""
        who = as_actor(actor, "approve")
        return self.transition(claim_id, now, lambda c, at: lifecycle.approve(c, who, at))

    def send_back(
        self, claim_id: str, actor: str | Actor, comment: str, *, now: datetime | None = None
    ) -> Claim:
        """reviewed -> queued with a comment (the verdict is kept in the event)."""
        who = as_actor(actor, "send_back")
        comment = lifecycle.require_text(comment, "comment")
        return self.transition(
            claim_id, now, lambda c, at: lifecycle.send_back(c, who, at, comment)
        )

    def dismiss(
        self,
        claim_id: str,
        actor: str | Actor,
        reason: str,
        *,
        now: datetime | None = None,
        override_lease: bool = False,
    ) -> Claim:
        """queued / in_review / reviewed -> dismissed with a reason.

        A claim someone else holds under a live lease is theirs: LeaseConflict, unless
        `override_lease`."""
        who = as_actor(actor, "dismiss")
        reason = lifecycle.require_text(reason, "reason")
        return self.transition(
            claim_id,
            now,
            lambda c, at: lifecycle.dismiss(c, who, at, reason, override_lease=override_lease),
        )

    def restore(self, claim_id: str, actor: str | Actor, *, now: datetime | None = None) -> Claim:
        """dismissed -> queued, by an editor (the dismissal stays in the event)."""
        who = as_actor(actor, "restore")
        return self.transition(claim_id, now, lambda c, at: lifecycle.restore(c, who, at))

    def correct(
        self, claim_id: str, actor: str | Actor, note: str, *, now: datetime | None = None
    ) -> Claim:
        """published -> queued with the correction note (an editor); readers keep seeing
        the published version until the correction is approved."""
        who = as_actor(actor, "correct")
        note = lifecycle.require_text(note, "note")
        return self.transition(claim_id, now, lambda c, at: lifecycle.correct(c, who, at, note))

    def retract(
        self, claim_id: str, actor: str | Actor, reason: str, *, now: datetime | None = None
    ) -> Claim:
        """published (or under correction) -> retracted with the reason (an editor)."""
        who = as_actor(actor, "retract")
        reason = lifecycle.require_text(reason, "reason")
        return self.transition(claim_id, now, lambda c, at: lifecycle.retract(c, who, at, reason))

    # --- newsroom: assignment, duplicates --------------------------------------------------
    def assign(
        self, claim_id: str, actor: str | Actor, assignee: str, *, now: datetime | None = None
    ) -> Claim:
        """Assign a queued or in-review claim to a reviewer (status unchanged; an event)."""
        who = as_actor(actor, "assign")
        assignee = lifecycle.require_text(assignee, "reviewer")
        return self.transition(claim_id, now, lambda c, at: lifecycle.assign(c, who, at, assignee))

    def mark_duplicate(
        self,
        claim_id: str,
        actor: str | Actor,
        of_claim_id: str,
        *,
        now: datetime | None = None,
        override_lease: bool = False,
    ) -> Claim:
        """Dismiss a claim as a duplicate of a PUBLISHED one, in one transaction that also
        checks (ConditionCheck) that the other claim is still published."""
        who = as_actor(actor, "mark_duplicate")
        if of_claim_id == claim_id:
            raise InvalidInput("a claim cannot be a duplicate of itself", field="claim_id")

        def plan(claim: Claim, at: datetime) -> lifecycle.Transition:
            try:
                original: Claim | None = self.get_claim(of_claim_id)
            except NotFound:
                original = None
            return lifecycle.mark_duplicate(
                claim, who, at, of_claim_id, original, override_lease=override_lease
            )

        expr = Expr()
        still_published = {
            "ConditionCheck": {
                "TableName": self.db.name,
                "Key": serialise(keys.claim_key(of_claim_id)),
                "ConditionExpression": f"{expr.name('status')} = "
                f"{expr.value(ClaimStatus.PUBLISHED.value)}",
                **expr.params(),
            }
        }
        return self.transition(claim_id, now, plan, [still_published])
