"""API function: API Gateway (HTTP API) -> the Flask app, through apig-wsgi.

The app is built once per cold start from the environment's settings; AWS clients are
created on the first request that needs them.

On a named stage (`StageName: dev`) API Gateway sends `rawPath: /dev/healthz`; on
`$default` it sends `/healthz`. apig-wsgi passes `rawPath` through unchanged with an empty
SCRIPT_NAME (its maintainer's advice, apig-wsgi#65 and #194, is a WSGI middleware), so
the stage is moved from PATH_INFO to SCRIPT_NAME here: the app routes the same on every
stage, and the URLs it builds keep the stage.

Published URLs (ClaimReview `@id`, the feed's `Link`) start with FACTCHECK_PUBLIC_BASE_URL,
the template's `PublicBaseUrl`. Left empty, they start with the URL the request came to
(`https://<domainName>/<stage>`): the function cannot be given its own API's URL in the
template (that is a circular dependency), but every event carries it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from apig_wsgi import make_lambda_handler

from factcheck.api import create_app
from factcheck.settings import get_settings

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def _stage_prefix(request_context: dict[str, Any]) -> str:
    stage = str(request_context.get("stage") or "$default")
    return "" if stage == "$default" else f"/{stage}"


def strip_stage_prefix(wsgi_app: WSGIApp) -> WSGIApp:
    """Move `/<stage>` from PATH_INFO to SCRIPT_NAME when API Gateway put it there."""

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        prefix = _stage_prefix(environ.get("apig_wsgi.request_context") or {})
        path = environ.get("PATH_INFO", "")
        if prefix and (path == prefix or path.startswith(prefix + "/")):
            environ["SCRIPT_NAME"] = environ.get("SCRIPT_NAME", "") + prefix
            environ["PATH_INFO"] = path[len(prefix) :] or "/"
        return wsgi_app(environ, start_response)

    return app


settings = get_settings()
CONFIGURED_BASE_URL = settings.public_base_url.strip()
app = create_app(settings)
_wsgi_handler = make_lambda_handler(strip_stage_prefix(app), binary_support=True)


def lambda_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    if not CONFIGURED_BASE_URL:
        # One event at a time per Lambda process, so this is the URL of the request in hand.
        request_context = event.get("requestContext") or {}
        domain = request_context.get("domainName") or (event.get("headers") or {}).get("host")
        if domain:
            settings.public_base_url = f"https://{domain}{_stage_prefix(request_context)}"
    return _wsgi_handler(event, context)
