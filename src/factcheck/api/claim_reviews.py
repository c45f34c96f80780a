"""Published verdicts as schema.org ClaimReview JSON-LD: public, no token."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

import marshmallow as ma
from flask import Response, request
from flask.views import MethodView
from werkzeug.exceptions import UnsupportedMediaType

from factcheck.api.auth import PUBLIC, Permission, requires
from factcheck.api.common import Blueprint, error_responses
from factcheck.api.fact_checks import public_claim, published_claim, render_public
from factcheck.api.schemas import ClaimReviewFeedLdSchema, ClaimReviewLdSchema, FeedQuerySchema
from factcheck.api.schemas.external import ClaimReviewImportSchema
from factcheck.api.services import Services, services
from factcheck.domain.errors import InvalidInput, NotFound
from factcheck.domain.lifecycle import public_version
from factcheck.domain.models import Claim, Document
from factcheck.pipeline.external_checks import index_external_checks
from factcheck.publishing.claimreview import claim_review, claim_review_feed
from factcheck.publishing.external import read_markup

JSON_LD = "application/ld+json"

blp = Blueprint(
    "claim-reviews",
    __name__,
    url_prefix="/claim-reviews",
    description="Published fact checks as schema.org ClaimReview (public).",
)


def _jsonld(body: dict[str, Any], headers: dict[str, str] | None = None) -> Response:
    response = Response(json.dumps(body, ensure_ascii=False), mimetype=JSON_LD)
    response.headers["Cache-Control"] = "public, max-age=300"
    response.headers["Access-Control-Allow-Origin"] = "*"  # a public feed crawlers read
    response.headers["Vary"] = "Accept"
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


def _review(svc: Services, claim: Claim, cache: dict[str, Document | None]) -> dict[str, Any]:
    if claim.document_id not in cache:
        try:
            cache[claim.document_id] = svc.repository.get_document(claim.document_id)
        except NotFound:
            cache[claim.document_id] = None
    return claim_review(claim, cache[claim.document_id], svc.settings, svc.rating_scale)


@blp.route("")
class ClaimReviews(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.arguments(FeedQuerySchema, location="query", as_kwargs=True, unknown=ma.RAISE)
    @blp.response(
        200,
        ClaimReviewFeedLdSchema,
        content_type=JSON_LD,
        description="A schema.org DataFeed of ClaimReviews, newest first; the next page "
        "is in the Link header (rel=next).",
        headers={
            "Link": {
                "description": 'The next page, when there is one: `<URL>; rel="next"`.',
                "schema": {"type": "string"},
            }
        },
    )
    @error_responses(blp, 400)
    def get(self, limit: int, cursor: str | None = None) -> Response:
        """The public feed of published ClaimReviews."""
        svc = services()
        page = svc.repository.published(limit=limit, cursor=cursor)
        cache: dict[str, Document | None] = {}
        # a check under correction is offered as published; a retracted one is not indexed
        shown = [c for c in (public_version(claim) for claim in page.items) if c is not None]
        reviews = [_review(svc, claim, cache) for claim in shown]
        headers = {}
        if page.next_cursor:
            base = svc.settings.public_base_url.rstrip("/")
            query = urlencode({"limit": limit, "cursor": page.next_cursor})
            headers["Link"] = f'<{base}/claim-reviews?{query}>; rel="next"'
        return _jsonld(claim_review_feed(reviews), headers)


@blp.route("/<string:claim_id>")
class ClaimReviewById(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.response(
        200,
        ClaimReviewLdSchema,
        content_type=JSON_LD,
        description="JSON-LD; a client that prefers `text/html` (a browser) gets the public "
        "fact-check page instead, as at /fact-checks/{claim_id}. A retracted check answers "
        "410 (code `retracted`) with the notice: when and why it was withdrawn.",
    )
    @error_responses(blp, 404, 410)
    def get(self, claim_id: str) -> Response:
        """The ClaimReview of one published claim."""
        svc = services()
        if _prefers_html():
            response = render_public(svc, public_claim(svc, claim_id))
            response.headers["Vary"] = "Accept"
            return response
        claim = published_claim(svc, claim_id)  # 410 with the notice when retracted
        return _jsonld(_review(svc, claim, {}))


def _prefers_html() -> bool:
    """True when the client ranks text/html above JSON-LD (a browser); no Accept means JSON."""
    best = request.accept_mimetypes.best_match([JSON_LD, "application/json", "text/html"])
    return best == "text/html"


MAX_IMPORT_ITEMS = 500  # ClaimReviews in one request; larger sets: `factcheck import-claimreviews`
_NODE: dict[str, Any] = {"type": "object", "additionalProperties": True}
_MARKUP: dict[str, Any] = {"oneOf": [_NODE, {"type": "array", "items": _NODE}]}


@blp.route("/import")
class ImportClaimReviews(MethodView):
    @requires(Permission.IMPORT_CHECKS)
    @blp.doc(
        requestBody={
            "required": True,
            "description": "ClaimReview JSON-LD of other publishers: one object, an array, or "
            f"a document with an @graph (at most {MAX_IMPORT_ITEMS} ClaimReviews).",
            # application/ld+json is read the same way; one media type keeps generators simple
            "content": {"application/json": {"schema": _MARKUP}},
        }
    )
    @blp.response(200, ClaimReviewImportSchema)
    @error_responses(blp, 400, 413, 415, 422)
    def post(self) -> dict[str, Any]:
        """Import other publishers' ClaimReviews so matching claims show them (admin)."""
        data = _json_body()
        read = read_markup(data, "body")
        if len(read.checks) > MAX_IMPORT_ITEMS:
            raise InvalidInput(
                f"At most {MAX_IMPORT_ITEMS} ClaimReviews per request; this body has "
                f"{len(read.checks)}. Import larger sets with `factcheck import-claimreviews`.",
                field="body",
            )
        if not read.checks:
            reasons = "; ".join(read.errors[:5])
            raise InvalidInput(f"No ClaimReview could be imported: {reasons}.", field="body")
        indexed = index_external_checks(services().repository, read.checks)
        return {
            "imported": len(indexed.indexed),
            "ids": indexed.indexed,
            "errors": [*read.errors, *indexed.errors],
        }


def _json_body() -> Any:
    """The request's JSON (JSON-LD is JSON); 415 for any other media type."""
    if request.mimetype not in (JSON_LD, "application/json"):
        raise UnsupportedMediaType(
            f"Send ClaimReview markup as {JSON_LD} or application/json, not {request.mimetype!r}."
        )
    return request.get_json(force=True)
