"""Claims: the review queue and every step of a claim's review.

Each write is one call to the repository, which makes it one conditional transaction
(claim update + history event); conflicts (someone else's lease, an illegal transition,
four eyes) come back as typed domain errors and leave the error handler as 409s.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from factcheck.api.auth import ROLE_PERMISSIONS, Permission, current_user, requires
from factcheck.api.checked_before import checked_before
from factcheck.api.common import Blueprint, check_id, error_responses
from factcheck.api.schemas import (
    AssignSchema,
    BulkResultSchema,
    BulkSchema,
    ClaimCountsSchema,
    ClaimDetailSchema,
    ClaimListSchema,
    ClaimPageSchema,
    ClaimQuerySchema,
    ClaimSchema,
    DismissSchema,
    DuplicateOfSchema,
    HistorySchema,
    SearchQuerySchema,
    SendBackSchema,
    SourceCreateSchema,
    VerdictCreateSchema,
)
from factcheck.api.services import services
from factcheck.domain.errors import Conflict, Forbidden, InvalidInput, NotFound
from factcheck.domain.lifecycle import Actor, allowed_actions, approval_action
from factcheck.domain.models import Claim, ClaimStatus, Source, Verdict, WebhookEventType
from factcheck.publishing.claimreview import neutrality_problem
from factcheck.webhooks.events import claim_event, emit, transition_event

blp = Blueprint(
    "claims", __name__, url_prefix="/claims", description="The review queue and reviews."
)


def _claim_id(claim_id: str) -> str:
    return check_id(claim_id, "claim")


@blp.route("")
class Claims(MethodView):
    @requires(Permission.READ_CLAIMS)
    @blp.arguments(ClaimQuerySchema, location="query", as_kwargs=True, unknown=ma.RAISE)
    @blp.response(200, ClaimPageSchema)
    @error_responses(blp, 400)
    def get(
        self, status: Any, limit: int, cursor: str | None = None, assigned: str | None = None
    ) -> Any:
        """List claims of one status (or assigned to you: `assigned=me`) in priority order."""
        repo = services().repository
        if assigned is not None:
            name = current_user().name if assigned.strip() == "me" else assigned.strip()
            return repo.assigned_claims(name, limit=limit, cursor=cursor)
        return repo.review_queue(status=status, limit=limit, cursor=cursor)


def _actor() -> Actor:
    """The caller as the lifecycle sees them: name and role."""
    user = current_user()
    return Actor(name=user.name, role=user.role)


def _can(permission: Permission) -> bool:
    return permission in ROLE_PERMISSIONS[current_user().role]


def _reviewer(name: str) -> str:
    """A user of that name who may review (422 otherwise)."""
    name = name.strip()
    try:
        user = services().repository.user_by_name(name)
    except NotFound:
        raise InvalidInput(f"No user is called {name!r}.", field="reviewer") from None
    if Permission.REVIEW not in ROLE_PERMISSIONS[user.role]:
        raise InvalidInput(f"{name!r} is a {user.role.value}, not a reviewer.", field="reviewer")
    return user.name


@blp.route("/search")
class Search(MethodView):
    @requires(Permission.READ_CLAIMS)
    @blp.arguments(SearchQuerySchema, location="query", as_kwargs=True, unknown=ma.RAISE)
    @blp.response(200, ClaimListSchema)
    @error_responses(blp, 400)
    def get(self, q: str, limit: int, status: ClaimStatus | None = None) -> dict[str, Any]:
        """Find claims containing all the words (and numbers) of `q`, optionally of one status."""
        from factcheck.matching.terms import search_terms

        terms = search_terms(q)[:8]
        if not terms:
            raise InvalidInput("The query has no searchable words.", field="q")
        claims = services().repository.search_claims(terms, status=status, limit=limit)
        return {"items": claims}


@blp.route("/counts")
class Counts(MethodView):
    @requires(Permission.READ_CLAIMS)
    @blp.response(200, ClaimCountsSchema)
    def get(self) -> dict[str, Any]:
        """How many claims are in each status (one COUNT query per status, no Scan)."""
        counts = services().repository.claim_counts()
        return {"counts": {s.value: n for s, n in counts.items()}, "total": sum(counts.values())}


@blp.route("/bulk")
class Bulk(MethodView):
    @requires(Permission.DISMISS)
    @blp.arguments(BulkSchema)
    @blp.response(
        200,
        BulkResultSchema,
        description="Per item: ok, not_found, forbidden (a reviewer dismissing a reviewed "
        "claim), conflict (with the message) or invalid. Each item is its own conditional "
        "write, under the same rules as the single-claim endpoints: some may succeed while "
        "others do not.",
    )
    @error_responses(blp, 415)
    def post(self, data: dict[str, Any]) -> dict[str, Any]:
        """Dismiss or assign up to 100 claims in one request."""
        action = data["action"]
        user = current_user()
        actor = _actor()
        repo = services().repository
        reviewer = ""
        if action == "assign":
            if not _can(Permission.EDIT):
                raise Forbidden(f"Role '{user.role.value}' may not assign claims.")
            reviewer = _reviewer(data["reviewer"])
        items = []
        for raw in dict.fromkeys(data["claim_ids"]):
            item: dict[str, Any] = {"claim_id": raw, "code": None, "message": None}
            try:
                claim_id = _claim_id(raw)
                if action == "assign":
                    claim = repo.assign(claim_id, actor, reviewer)
                else:
                    claim = repo.dismiss(claim_id, actor, data["reason"].strip())
                item |= {"result": "ok", "status": claim.status}
            except NotFound as e:
                item |= {"result": "not_found", "code": e.code, "message": e.message}
            except Forbidden as e:  # this item is not the caller's to dismiss
                item |= {"result": "forbidden", "code": e.code, "message": e.message}
            except Conflict as e:
                item |= {"result": "conflict", "code": e.code, "message": e.message}
            except InvalidInput as e:
                item |= {"result": "invalid", "code": e.code, "message": e.message}
            items.append(item)
        counts: dict[str, int] = {}
        for item in items:
            counts[item["result"]] = counts.get(item["result"], 0) + 1
        return {"action": action, "counts": counts, "items": items}


@blp.route("/<string:claim_id>")
class ClaimById(MethodView):
    @requires(Permission.READ_CLAIMS)
    @blp.response(200, ClaimDetailSchema)
    @error_responses(blp, 404)
    def get(self, claim_id: str) -> dict[str, Any]:
        """Get a claim with its context, sources, verdict, document and what you may do now."""
        repo = services().repository
        claim = repo.get_claim(_claim_id(claim_id))
        try:
            document = repo.get_document(claim.document_id)
        except NotFound:
            document = None
        return {
            **claim.model_dump(),
            "document": document,
            "checked_before": checked_before(services(), claim),
            "allowed_actions": allowed_actions(claim, _actor(), datetime.now(UTC)),
        }


@blp.route("/<string:claim_id>/lease")
class Lease(MethodView):
    @requires(Permission.REVIEW)
    @blp.response(200, ClaimSchema, description="Leased to the caller until lease_expires_at.")
    @error_responses(blp, 404, 409)
    def post(self, claim_id: str) -> Claim:
        """Take a claim for review (or renew your own lease); not one assigned to another
        reviewer (editors and admins may)."""
        return services().repository.lease(_claim_id(claim_id), _actor())

    @requires(Permission.REVIEW)
    @blp.response(200, ClaimSchema, description="Released: back in the queue.")
    @error_responses(blp, 404, 409)
    def delete(self, claim_id: str) -> Claim:
        """Release your lease on a claim."""
        return services().repository.release(_claim_id(claim_id), _actor())


@blp.route("/<string:claim_id>/sources")
class Sources(MethodView):
    @requires(Permission.REVIEW)
    @blp.arguments(SourceCreateSchema)
    @blp.response(201, ClaimSchema, description="The claim with the source added.")
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Attach a source to a claim you hold the lease on."""
        claim_id = _claim_id(claim_id)
        # Content-derived id: posting the same URL twice names the same source.
        source_id = "s" + hashlib.sha256(f"{claim_id}\x1f{data['url']}".encode()).hexdigest()[:16]
        user = current_user()
        source = Source(
            id=source_id,
            url=data["url"],
            title=data.get("title"),
            quote=data.get("quote"),
            note=data.get("note"),
            added_by=user.name,
        )
        return services().repository.add_source(claim_id, _actor(), source)


@blp.route("/<string:claim_id>/verdict")
class VerdictResource(MethodView):
    @requires(Permission.REVIEW)
    @blp.arguments(VerdictCreateSchema)
    @blp.response(200, ClaimSchema, description="Reviewed: waiting for an editor.")
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Give the verdict on a claim you hold the lease on."""
        claim_id = _claim_id(claim_id)
        svc = services()
        rating = svc.rating_scale.canonical(data["rating"])
        claim_reviewed = data.get("claim_reviewed")
        if claim_reviewed:
            claim_reviewed = " ".join(claim_reviewed.split())
            problem = neutrality_problem(claim_reviewed, svc.rating_scale)
            if problem:
                raise InvalidInput(problem, field="claim_reviewed")
        user = current_user()
        verdict = Verdict(
            rating=rating,
            summary=data["summary"].strip(),
            claim_reviewed=claim_reviewed,
            reviewer=user.name,
        )
        claim = svc.repository.give_verdict(claim_id, _actor(), verdict)
        emit(svc.repository, svc.queues, claim_event(WebhookEventType.CLAIM_REVIEWED, claim))
        return claim


@blp.route("/<string:claim_id>/approve")
class Approve(MethodView):
    @requires(Permission.EDIT)
    @blp.response(200, ClaimSchema, description="Published as a ClaimReview.")
    @error_responses(blp, 404, 409)
    def post(self, claim_id: str) -> Claim:
        """Approve a reviewed verdict and publish it (not your own verdict: four eyes); a
        correction's approval publishes the correction (claim.corrected)."""
        svc = services()
        claim = svc.repository.approve(_claim_id(claim_id), _actor())
        event = transition_event(claim, approval_action(claim))
        if event is not None:
            emit(svc.repository, svc.queues, event)
        return claim


@blp.route("/<string:claim_id>/send-back")
class SendBack(MethodView):
    @requires(Permission.EDIT)
    @blp.arguments(SendBackSchema)
    @blp.response(200, ClaimSchema, description="Back in the queue with the comment.")
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Send a reviewed claim back to the queue with a comment."""
        return services().repository.send_back(
            _claim_id(claim_id), _actor(), data["comment"].strip()
        )


@blp.route("/<string:claim_id>/dismiss")
class Dismiss(MethodView):
    @requires(Permission.DISMISS)
    @blp.arguments(DismissSchema)
    @blp.response(200, ClaimSchema, description="Dismissed with the reason.")
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Dismiss a claim with a reason (reviewers: not a reviewed claim, nor one another
        reviewer holds or is assigned)."""
        return services().repository.dismiss(_claim_id(claim_id), _actor(), data["reason"].strip())


@blp.route("/<string:claim_id>/restore")
class Restore(MethodView):
    @requires(Permission.EDIT)
    @blp.response(
        200, ClaimSchema, description="Back in the queue; the dismissal is in the history."
    )
    @error_responses(blp, 404, 409)
    def post(self, claim_id: str) -> Claim:
        """Restore a dismissed claim to the queue."""
        return services().repository.restore(_claim_id(claim_id), _actor())


@blp.route("/<string:claim_id>/duplicate-of")
class DuplicateOf(MethodView):
    @requires(Permission.DISMISS)
    @blp.arguments(DuplicateOfSchema)
    @blp.response(200, ClaimSchema, description="Dismissed as a duplicate, linked to the original.")
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Mark a claim as a duplicate of a published claim (dismissed, with the link)."""
        return services().repository.mark_duplicate(_claim_id(claim_id), _actor(), data["claim_id"])


@blp.route("/<string:claim_id>/assign")
class Assign(MethodView):
    @requires(Permission.EDIT)
    @blp.arguments(AssignSchema)
    @blp.response(200, ClaimSchema, description="Assigned: first in the reviewer's queue.")
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Assign a queued or in-review claim to a reviewer (a reassignment is logged)."""
        claim_id = _claim_id(claim_id)
        reviewer = _reviewer(data["reviewer"])
        return services().repository.assign(claim_id, _actor(), reviewer)


@blp.route("/<string:claim_id>/history")
class History(MethodView):
    @requires(Permission.READ_CLAIMS)
    @blp.response(200, HistorySchema)
    @error_responses(blp, 404)
    def get(self, claim_id: str) -> dict[str, Any]:
        """Every transition of a claim: who, when, from, to, what."""
        claim_id = _claim_id(claim_id)
        return {"claim_id": claim_id, "items": services().repository.history(claim_id)}
