"""Claims: the review queue and every step of a claim's review.

Each write is one call to the repository, which makes it one conditional transaction
(claim update + history event); conflicts (someone else's lease, an illegal transition,
four eyes) come back as typed domain errors and leave the error handler as 409s.
"""

from __future__ import annotations

import hashlib
from typing import Any

import marshmallow as ma
from flask.views import MethodView

from factcheck.api.auth import Permission, current_user, requires
from factcheck.api.common import Blueprint, check_id, error_responses
from factcheck.api.schemas import (
    ClaimDetailSchema,
    ClaimPageSchema,
    ClaimQuerySchema,
    ClaimSchema,
    DismissSchema,
    HistorySchema,
    SendBackSchema,
    SourceCreateSchema,
    VerdictCreateSchema,
)
from factcheck.api.services import services
from factcheck.domain.errors import InvalidInput, NotFound
from factcheck.domain.models import Claim, Source, Verdict
from factcheck.publishing.claimreview import neutrality_problem

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
    def get(self, status: Any, limit: int, cursor: str | None = None) -> Any:
        """List claims of one status in priority order (score, then age), a page at a time."""
        return services().repository.review_queue(status=status, limit=limit, cursor=cursor)


@blp.route("/<string:claim_id>")
class ClaimById(MethodView):
    @requires(Permission.READ_CLAIMS)
    @blp.response(200, ClaimDetailSchema)
    @error_responses(blp, 404)
    def get(self, claim_id: str) -> dict[str, Any]:
        """Get a claim with its context, sources, verdict and document."""
        repo = services().repository
        claim = repo.get_claim(_claim_id(claim_id))
        try:
            document = repo.get_document(claim.document_id)
        except NotFound:
            document = None
        return {**claim.model_dump(), "document": document}


@blp.route("/<string:claim_id>/lease")
class Lease(MethodView):
    @requires(Permission.REVIEW)
    @blp.response(200, ClaimSchema, description="Leased to the caller until lease_expires_at.")
    @error_responses(blp, 404, 409)
    def post(self, claim_id: str) -> Claim:
        """Take a claim for review (or renew your own lease)."""
        return services().repository.lease(_claim_id(claim_id), current_user().name)

    @requires(Permission.REVIEW)
    @blp.response(200, ClaimSchema, description="Released: back in the queue.")
    @error_responses(blp, 404, 409)
    def delete(self, claim_id: str) -> Claim:
        """Release your lease on a claim."""
        return services().repository.release(_claim_id(claim_id), current_user().name)


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
            note=data.get("note"),
            added_by=user.name,
        )
        return services().repository.add_source(claim_id, user.name, source)


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
        return svc.repository.give_verdict(claim_id, user.name, verdict)


@blp.route("/<string:claim_id>/approve")
class Approve(MethodView):
    @requires(Permission.EDIT)
    @blp.response(200, ClaimSchema, description="Published as a ClaimReview.")
    @error_responses(blp, 404, 409)
    def post(self, claim_id: str) -> Claim:
        """Approve a reviewed verdict and publish it (not your own verdict: four eyes)."""
        return services().repository.approve(_claim_id(claim_id), current_user().name)


@blp.route("/<string:claim_id>/send-back")
class SendBack(MethodView):
    @requires(Permission.EDIT)
    @blp.arguments(SendBackSchema)
    @blp.response(200, ClaimSchema, description="Back in the queue with the comment.")
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Send a reviewed claim back to the queue with a comment."""
        return services().repository.send_back(
            _claim_id(claim_id), current_user().name, data["comment"].strip()
        )


@blp.route("/<string:claim_id>/dismiss")
class Dismiss(MethodView):
    @requires(Permission.DISMISS)
    @blp.arguments(DismissSchema)
    @blp.response(200, ClaimSchema, description="Dismissed with the reason.")
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Dismiss a claim (not check-worthy, duplicate...) with a reason."""
        return services().repository.dismiss(
            _claim_id(claim_id), current_user().name, data["reason"].strip()
        )


@blp.route("/<string:claim_id>/history")
class History(MethodView):
    @requires(Permission.READ_CLAIMS)
    @blp.response(200, HistorySchema)
    @error_responses(blp, 404)
    def get(self, claim_id: str) -> dict[str, Any]:
        """Every transition of a claim: who, when, from, to, what."""
        claim_id = _claim_id(claim_id)
        return {"claim_id": claim_id, "items": services().repository.history(claim_id)}
