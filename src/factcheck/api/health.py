"""Liveness: public, touches no AWS resource (so it cannot be used to load the table)."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from flask.views import MethodView

from factcheck.api.auth import PUBLIC
from factcheck.api.common import Blueprint
from factcheck.api.schemas import HealthSchema

blp = Blueprint("health", __name__, description="Liveness.")


def package_version() -> str:
    try:
        return version("factcheck")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+unknown"


@blp.route("/healthz")
class Health(MethodView):
    @blp.doc(security=PUBLIC)
    @blp.response(200, HealthSchema)
    def get(self) -> dict[str, str]:
        """Is the API up?"""
        return {"status": "ok", "version": package_version()}


@blp.route("/health")
class HealthAlias(Health):
    """Same as /healthz (both spellings are in use by load balancers and probes)."""
