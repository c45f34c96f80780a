"""Who sees which field of a claim: the one rule, applied wherever a claim is serialised.

- Reviewers, editors and admins (READ_CLAIMS) see the work in progress: every field, with
  each match's status and rating read live (not as they stood when the match was found),
  and a match's rating only once that claim is published.
- Everyone else — a submitter reading their document's claims, anything public — sees a
  claim's text and place in the document, its status, and its verdict only once published;
  no sources, lease, reviewer's work, comments, matches or scores.
"""

from __future__ import annotations

from typing import Any

from flask import g, has_request_context

from factcheck.api.auth import ROLE_PERMISSIONS, Permission
from factcheck.api.checked_before import matched_now
from factcheck.api.services import services
from factcheck.domain.models import ClaimStatus
from factcheck.storage.external import EXTERNAL_DOCUMENT

# corrections and a retraction are on the public page already; an open correction is not
PUBLIC_CLAIM_FIELDS = frozenset(
    {
        "id",
        "document_id",
        "text",
        "start",
        "end",
        "status",
        "verdict",
        "published_at",
        "corrections",
        "modified_at",
        "retraction",
    }
)


def sees_work_in_progress() -> bool:
    """Whether the caller of this request may read claims under review."""
    user = g.get("user") if has_request_context() else None
    return user is not None and Permission.READ_CLAIMS in ROLE_PERMISSIONS[user.role]


def _live_matches(matches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # only our own claims are read again: an outside check is shown as its publisher rated it
    ours = [
        (m["claim_id"], m.get("document_id", ""))
        for m in matches
        if m.get("document_id") != EXTERNAL_DOCUMENT
    ]
    current, _ = matched_now(services().repository, ours)
    live = []
    for match in matches:
        if match.get("document_id") == EXTERNAL_DOCUMENT:
            live.append(match)  # another publisher's published check: as they rated it
            continue
        earlier = current.get(match["claim_id"])
        if earlier is None:
            continue
        published = earlier.status is ClaimStatus.PUBLISHED and earlier.verdict is not None
        rating = earlier.verdict.rating if published and earlier.verdict else None
        live.append({**match, "status": earlier.status.value, "rating": rating})
    return live


def visible_claim(data: dict[str, Any]) -> dict[str, Any]:
    """A serialised claim as the current caller may see it."""
    if sees_work_in_progress():
        if data.get("matches"):
            data["matches"] = _live_matches(data["matches"])
        return data
    shown = {k: v for k, v in data.items() if k in PUBLIC_CLAIM_FIELDS}
    published = ((data.get("correction") or {}).get("published")) or None
    if published:
        # under correction: what readers see is still the last published version
        shown["status"] = ClaimStatus.PUBLISHED.value
        shown["verdict"] = {k: published.get(k) for k in ("rating", "summary", "reviewer")}
    elif shown.get("status") != ClaimStatus.PUBLISHED.value:
        shown["verdict"] = None
        shown["published_at"] = None
    return shown
