"""The reviewers' and editors' web page, served by the API's own Flask app.

`/` is one HTML page; `/web/app.js` (a small vanilla ES module) and `/web/app.css` are
package files served from `static/` (no CDN, no build step, works offline). The page
calls the same JSON API as every other client, with the bearer token the user types in
(kept in sessionStorage, never in a URL).

`GET /web/session` tells the page who the token belongs to (name, role, permissions) and
the configured rating scale, which the API itself does not expose to clients yet.

Every response of this blueprint carries a Content-Security-Policy that allows scripts,
styles and requests to this origin only, so no string the API returns can run as code
even if it ever reached the DOM unescaped (the script only ever uses textContent).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify, render_template, request

from factcheck.api.auth import ROLE_PERMISSIONS, authenticate
from factcheck.api.services import services

__all__ = ["CONTENT_SECURITY_POLICY", "blp"]

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "form-action 'self'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)

_SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}

blp = Blueprint(
    "web",
    __name__,
    static_folder="static",
    static_url_path="/web",
    template_folder="templates",
)


@blp.after_request
def _secure(response: Response) -> Response:
    for key, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


@blp.get("/")
def page() -> Response:
    """The review page (a shell: the script fills it in from the API)."""
    response = Response(render_template("factcheck_web.html"), mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response


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
