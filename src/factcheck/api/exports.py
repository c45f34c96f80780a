"""Exports for reporting (editor): claims as CSV or JSON Lines, streamed.

Rows are produced while DynamoDB is read (a Query per status on the review-queue index,
`created_at` filtered), so an export of any size never sits in memory. Published verdicts
as schema.org ClaimReview JSON-LD are the public feed at /claim-reviews (Link header).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import marshmallow as ma
from flask import Response, stream_with_context
from flask.views import MethodView

from factcheck.api.auth import Permission, requires
from factcheck.api.common import Blueprint, error_responses
from factcheck.api.schemas import ExportQuerySchema
from factcheck.api.services import services
from factcheck.domain.models import Claim, ClaimStatus

blp = Blueprint(
    "exports",
    __name__,
    url_prefix="/exports",
    description="Claims for reporting, streamed; published ClaimReviews are the JSON-LD feed "
    "at /claim-reviews.",
)

COLUMNS = (
    "id",
    "document_id",
    "status",
    "score",
    "text",
    "categories",
    "assignee",
    "rating",
    "summary",
    "reviewer",
    "approved_by",
    "published_at",
    "dismiss_reason",
    "duplicate_of",
    "matches",
    "created_at",
    "updated_at",
)
FEED_LINK = '</claim-reviews>; rel="alternate"; type="application/ld+json"'


def _row(claim: Claim) -> dict[str, Any]:
    verdict = claim.verdict
    return {
        "id": claim.id,
        "document_id": claim.document_id,
        "status": claim.status.value,
        "score": claim.score,
        "text": claim.text,
        "categories": " ".join(claim.categories),
        "assignee": claim.assignee or "",
        "rating": verdict.rating if verdict else "",
        "summary": verdict.summary if verdict else "",
        "reviewer": verdict.reviewer if verdict else "",
        "approved_by": claim.approved_by or "",
        "published_at": claim.published_at.isoformat() if claim.published_at else "",
        "dismiss_reason": claim.dismiss_reason or "",
        "duplicate_of": claim.duplicate_of or "",
        "matches": " ".join(m.claim_id for m in claim.matches),
        "created_at": claim.created_at.isoformat(),
        "updated_at": claim.updated_at.isoformat(),
    }


def _claims(
    status: list[ClaimStatus] | None,
    created_from: datetime | None,
    created_to: datetime | None,
) -> Iterator[Claim]:
    return services().repository.iter_claims(
        status or list(ClaimStatus), created_from=created_from, created_to=created_to
    )


def _safe_cell(value: Any) -> Any:
    """No spreadsheet formulas from claim text (CSV injection): prefix them with a quote."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def _csv(claims: Iterator[Claim]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS)
    writer.writeheader()
    for claim in claims:
        writer.writerow({k: _safe_cell(v) for k, v in _row(claim).items()})
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def _jsonl(claims: Iterator[Claim]) -> Iterator[str]:
    for claim in claims:
        yield json.dumps(claim.model_dump(mode="json"), ensure_ascii=False) + "\n"


def _stream(body: Iterator[str], mimetype: str, filename: str) -> Response:
    response = Response(stream_with_context(body), mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Link"] = FEED_LINK
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("/claims.csv")
class ClaimsCsv(MethodView):
    @requires(Permission.EDIT)
    @blp.arguments(ExportQuerySchema, location="query", as_kwargs=True, unknown=ma.RAISE)
    @blp.response(200, content_type="text/csv", description="One row per claim, streamed.")
    @blp.doc(
        responses={
            "200": {
                "description": "One row per claim, streamed.",
                "content": {"text/csv": {"schema": {"type": "string"}}},
            }
        }
    )
    @error_responses(blp, 400)
    def get(
        self,
        status: list[ClaimStatus] | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
    ) -> Response:
        """Export claims as CSV (filter by status and creation time)."""
        claims = _claims(status, created_from, created_to)
        return _stream(_csv(claims), "text/csv", "claims.csv")


@blp.route("/claims.jsonl")
class ClaimsJsonl(MethodView):
    @requires(Permission.EDIT)
    @blp.arguments(ExportQuerySchema, location="query", as_kwargs=True, unknown=ma.RAISE)
    @blp.response(
        200, content_type="application/x-ndjson", description="One claim per line, streamed."
    )
    @blp.doc(
        responses={
            "200": {
                "description": "One claim per line, streamed.",
                "content": {"application/x-ndjson": {"schema": {"type": "string"}}},
            }
        }
    )
    @error_responses(blp, 400)
    def get(
        self,
        status: list[ClaimStatus] | None = None,
        created_from: datetime | None = None,
        created_to: datetime | None = None,
    ) -> Response:
        """Export claims as JSON Lines (filter by status and creation time)."""
        claims = _claims(status, created_from, created_to)
        return _stream(_jsonl(claims), "application/x-ndjson", "claims.jsonl")
