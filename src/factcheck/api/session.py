"""`GET /web/session`: who a bearer token belongs to, what they may do, the rating scale.

The review page asks this first. It lives in the API (it authenticates like every other
view and reads the app's services), so `factcheck.web` stays a package of static files
that imports nothing of the API; the page's security headers apply to it all the same.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, request

from factcheck.api.auth import ROLE_PERMISSIONS, authenticate
from factcheck.api.services import services
from factcheck.web import secure

blp = Blueprint("session", __name__)
blp.after_request(secure)


@blp.get("/web/session")
def session() -> Response:
    """Who the bearer token belongs to, what they may do, and the rating scale."""
    svc = services()
    user = authenticate(svc.repository, request.headers.get("Authorization"))
    body: dict[str, Any] = {
        "name": user.name,
        "role": user.role.value,
        "permissions": sorted(p.value for p in ROLE_PERMISSIONS[user.role]),
        "rating_scale": [
            {"label": level.label, "value": level.value} for level in svc.rating_scale.levels
        ],
    }
    response = jsonify(body)
    response.headers["Cache-Control"] = "no-store"
    return response
