"""The review API: a Flask app factory with flask-smorest resources.

`create_app(settings)` sets defaults, then the given settings, then registers one
Blueprint per resource. The OpenAPI 3 document is served at /openapi.json and rendered at
/docs from local assets. Storage and queues are created lazily on first use (see
`services`), so building the app makes no AWS call.
"""

from __future__ import annotations

from typing import Any

import flask_smorest
from flask import Flask

from factcheck.api import (
    claim_reviews,
    claims,
    corrections,
    docs,
    documents,
    exports,
    fact_checks,
    health,
    session,
    webhooks,
)
from factcheck.api.auth import BEARER_SCHEME
from factcheck.api.errors import ErrorSchema, register_error_handlers
from factcheck.api.health import package_version
from factcheck.api.openapi_spec import GeneratorFriendlyPlugin, OperationIds, rating_enum
from factcheck.api.services import Services
from factcheck.settings import Settings, get_settings
from factcheck.storage.repository import Repository
from factcheck.web import blp as web_blp

__all__ = ["create_app"]

API_DESCRIPTION = """\
Submit articles, work the review queue of check-worthy claims, and publish verdicts as
schema.org ClaimReview.

Send `Authorization: Bearer <token>` (make one with `factcheck users add NAME --role ROLE`).
Published ClaimReviews (`/claim-reviews`) and `/healthz` are public. Every error has the
same JSON shape: `{"status", "code", "message", "errors"}`.
"""

# JSON bodies carry the text (escaped: up to 6 bytes per character for control
# characters) or an HTML page (markup around the text); the raw body may be this many
# times the text limit before the request is refused with 413 without being read.
BODY_TO_TEXT_RATIO = 4


class Api(flask_smorest.Api):
    """flask-smorest's Api with our error envelope, in the spec and in responses."""

    ERROR_SCHEMA = ErrorSchema

    def _register_error_handlers(self) -> None:
        register_error_handlers(self._app)


def _spec_options() -> dict[str, Any]:
    return {
        "info": {
            "description": API_DESCRIPTION,
            "license": {"name": "Apache-2.0"},
        },
        # The spec is served by the deployment it describes: relative to where it was read.
        "servers": [{"url": "/", "description": "this deployment"}],
        "components": {
            "securitySchemes": {
                BEARER_SCHEME: {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "A token from `factcheck users add`.",
                }
            }
        },
    }


def create_app(
    settings: Settings | None = None,
    *,
    repository: Repository | None = None,
    queues: Any = None,
) -> Flask:
    settings = settings or get_settings()
    app = Flask("factcheck.api")
    app.config.from_mapping(
        API_TITLE="factcheck API",
        API_VERSION=package_version(),
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX="/",
        OPENAPI_JSON_PATH="openapi.json",
        API_SPEC_OPTIONS=_spec_options(),
        MAX_CONTENT_LENGTH=settings.max_document_bytes * BODY_TO_TEXT_RATIO,
    )
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["factcheck"] = Services(settings, repository, queues)

    api = Api(
        app,
        spec_kwargs={
            "marshmallow_plugin": GeneratorFriendlyPlugin(),
            "extra_plugins": [OperationIds()],
        },
    )
    for module in (documents, claims, corrections, claim_reviews, exports, webhooks, health):
        api.register_blueprint(module.blp)
    rating_enum(api.spec, app.extensions["factcheck"].rating_scale.labels)
    app.register_blueprint(docs.blp)
    app.register_blueprint(fact_checks.blp)
    app.register_blueprint(session.blp)
    app.register_blueprint(web_blp)
    app.extensions["factcheck-api"] = api
    return app
