"""Corrections and retractions of published checks (editors and admins).

A correction reopens a published check for review with the editor's note: it is reviewed
and approved again through the ordinary endpoints (lease, sources, verdict, approve; four
eyes on the new verdict), while the public page and the ClaimReview keep the published
version; the approval publishes the correction (`claim.corrected`). A retraction withdraws
the check: its page and ClaimReview answer 410 with the notice (`claim.retracted`). Each is
one conditional transaction with its history event and outbox item (storage).
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView

from factcheck.api.auth import Permission, current_user, requires
from factcheck.api.common import Blueprint, check_id, error_responses
from factcheck.api.schemas import ClaimSchema
from factcheck.api.schemas.corrections import CorrectSchema, RetractSchema
from factcheck.api.services import services
from factcheck.domain.lifecycle import Actor
from factcheck.domain.models import Claim
from factcheck.webhooks.events import emit, transition_event

blp = Blueprint(
    "corrections",
    __name__,
    url_prefix="/claims",
    description="Corrections and retractions of published checks.",
)


def _actor() -> Actor:
    user = current_user()
    return Actor(name=user.name, role=user.role)


@blp.route("/<string:claim_id>/correct")
class Correct(MethodView):
    @requires(Permission.EDIT)
    @blp.arguments(CorrectSchema)
    @blp.response(
        200,
        ClaimSchema,
        description="Back in the queue with the note; readers see the published version "
        "until the correction is approved.",
    )
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Reopen a published check for correction, with a note."""
        return services().repository.correct(
            check_id(claim_id, "claim"), _actor(), data["note"].strip()
        )


@blp.route("/<string:claim_id>/retract")
class Retract(MethodView):
    @requires(Permission.EDIT)
    @blp.arguments(RetractSchema)
    @blp.response(
        200,
        ClaimSchema,
        description="Retracted: the public page and ClaimReview answer 410 with the reason.",
    )
    @error_responses(blp, 404, 409, 415)
    def post(self, data: dict[str, Any], claim_id: str) -> Claim:
        """Retract a published check (or one under correction), with a reason."""
        svc = services()
        claim = svc.repository.retract(
            check_id(claim_id, "claim"), _actor(), data["reason"].strip()
        )
        event = transition_event(claim, "retracted")
        if event is not None:
            emit(svc.repository, svc.queues, event)
        return claim
