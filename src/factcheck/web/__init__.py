"""The reviewers' and editors' web page, served by the API's own Flask app.

`/` is one HTML page; `/web/app.js` (the entry ES module, which imports the others from
`/web/*.js`) and `/web/app.css` are package files served from `static/` (no CDN, no build
step, works offline; static/app.js lists the modules). The page
calls the same JSON API as every other client, with the bearer token the user types in
(kept in sessionStorage, never in a URL).

`GET /web/session` (in `factcheck.api.session`: this package imports nothing of the API)
tells the page who the token belongs to (name, role, permissions) and the configured rating
scale, which the API itself does not expose to clients yet.

Every response of this blueprint carries a Content-Security-Policy that allows scripts,
styles and requests to this origin only, so no string the API returns can run as code
even if it ever reached the DOM unescaped (the script only ever uses textContent).
"""

from __future__ import annotations

from flask import Blueprint, Response, render_template

__all__ = ["CONTENT_SECURITY_POLICY", "blp", "secure"]

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
def secure(response: Response) -> Response:
    """The page's security headers (also on `/web/session`, served by the API)."""
    for key, value in _SECURITY_HEADERS.items():
        response.headers.setdefault(key, value)
    return response


@blp.get("/")
def page() -> Response:
    """The review page (a shell: the script fills it in from the API)."""
    response = Response(render_template("factcheck_web.html"), mimetype="text/html")
    response.headers["Cache-Control"] = "no-cache"
    return response
