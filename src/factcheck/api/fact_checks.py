"""Public fact-check pages: the HTML article for each published check, and their index.

A ClaimReview is only found by crawlers and read by people on a page: `/fact-checks/{id}`
shows the claim, where it appeared, the verdict, the summary, the sources and who reviewed
and approved it, with the ClaimReview embedded as JSON-LD; `/fact-checks` lists the
published checks, newest first, a page at a time. No token, no script, no external asset:
the page carries the same Content-Security-Policy as the review page.

While a correction is under review the page shows the published version; once approved it
shows the correction note and the earlier rating. A retracted check answers 410 with a page
saying it was withdrawn, when and why (never a 404), and is in no index or feed.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from factcheck.api.common import check_id
from factcheck.api.services import Services, services
from factcheck.domain.errors import NotFound, Retracted
from factcheck.domain.lifecycle import public_version
from factcheck.domain.models import Claim, ClaimStatus, Document
from factcheck.publishing.claimreview import claim_review
from factcheck.publishing.page import (
    fact_check_page,
    human_date,
    machine_date,
    retracted_page,
    retraction_notice,
)

__all__ = ["blp", "public_claim", "published_claim", "render_fact_check", "render_retracted"]

INDEX_PAGE_SIZE = 20

# The same policy as the review page, less what this page never does (no script, no fetch).
_SECURITY_HEADERS = {
    "Content-Security-Policy": "; ".join(
        [
            "default-src 'none'",
            "style-src 'self'",
            "img-src 'self' data:",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
        ]
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer-when-downgrade",
}

blp = Blueprint(
    "fact-checks",
    __name__,
    static_folder="static/public",
    static_url_path="/fact-checks/assets",
    template_folder="templates",
)


@blp.app_template_filter("human_date")
def _human_date(value: Any) -> str:
    return human_date(value)


@blp.app_template_filter("machine_date")
def _machine_date(value: Any) -> str:
    return machine_date(value)


def _html(body: str, status: int = 200) -> Response:
    response = Response(body, status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "public, max-age=300"
    for key, value in _SECURITY_HEADERS.items():
        response.headers[key] = value
    return response


def _document(svc: Services, claim: Claim) -> Document | None:
    try:
        return svc.repository.get_document(claim.document_id)
    except NotFound:
        return None


def public_claim(svc: Services, claim_id: str) -> Claim:
    """The claim as readers see it (its published version while a correction is under
    review), or the retracted claim; NotFound (never a hint of unpublished work) otherwise."""
    claim = svc.repository.get_claim(check_id(claim_id, "claim"))
    if claim.status is ClaimStatus.RETRACTED and claim.retraction is not None:
        return claim
    shown = public_version(claim)
    if shown is None:
        raise NotFound(f"No published fact check for claim {claim.id!r}.")
    return shown


def published_claim(svc: Services, claim_id: str) -> Claim:
    """As `public_claim`, but a retracted check is the 410 error with the notice."""
    claim = public_claim(svc, claim_id)
    if claim.status is ClaimStatus.RETRACTED:
        raise Retracted(retraction_notice(claim), claim_id=claim.id)
    return claim


def render_retracted(svc: Services, claim: Claim) -> Response:
    """The 410 page of a withdrawn check: what it was about, when and why it was withdrawn."""
    body = render_template(
        "fact_check_retracted.html",
        page=retracted_page(claim),
        organisation=svc.settings.organisation_name,
    )
    return _html(body, status=410)


def render_public(svc: Services, claim: Claim) -> Response:
    """The page for a `public_claim`: the fact check, or the notice of its retraction."""
    if claim.status is ClaimStatus.RETRACTED:
        return render_retracted(svc, claim)
    return render_fact_check(svc, claim)


def render_fact_check(svc: Services, claim: Claim) -> Response:
    """The public page of one published claim (also what /claim-reviews/{id} sends to browsers)."""
    document = _document(svc, claim)
    review = claim_review(claim, document, svc.settings, svc.rating_scale)
    page = fact_check_page(claim, document, review)
    body = render_template(
        "fact_check.html",
        page=page,
        organisation=svc.settings.organisation_name,
        organisation_url=svc.settings.organisation_url,
        json_ld_url=url_for("claim-reviews.ClaimReviewById", claim_id=claim.id),
    )
    response = _html(body)
    response.headers["Link"] = (
        f'<{review["url"]}>; rel="canonical", '
        f"<{url_for('claim-reviews.ClaimReviewById', claim_id=claim.id)}>; "
        'rel="alternate"; type="application/ld+json"'
    )
    return response


@blp.get("/fact-checks/<string:claim_id>")
def fact_check(claim_id: str) -> Response:
    """One published fact check as an HTML page, its ClaimReview embedded as JSON-LD."""
    svc = services()
    return render_public(svc, public_claim(svc, claim_id))


@blp.get("/fact-checks")
def index() -> Response:
    """The published fact checks, newest first, INDEX_PAGE_SIZE to a page."""
    svc = services()
    cursor = request.args.get("cursor") or None
    page = svc.repository.published(limit=INDEX_PAGE_SIZE, cursor=cursor)
    body = render_template(
        "fact_checks_index.html",
        claims=[shown for c in page.items if (shown := public_version(c)) is not None],
        next_url=url_for(".index", cursor=page.next_cursor) if page.next_cursor else None,
        first_page=cursor is None,
        organisation=svc.settings.organisation_name,
    )
    return _html(body)
