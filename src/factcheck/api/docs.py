"""Interactive API docs at /docs, from local files only (it must work offline).

Swagger UI is not vendored into this repository: aws-lambda-powertools, already a runtime
dependency, ships `swagger-ui-bundle.min.js` and `swagger-ui.min.css` in its package for its
own docs page, and this blueprint serves those two files. If a Powertools release ever
drops them, /docs still answers with a plain page that links the spec.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from flask import Blueprint, Response, send_from_directory

from factcheck.domain.errors import NotFound

blp = Blueprint("apidocs", __name__, static_folder="static/apidocs", static_url_path="/docs/js")

_ASSETS = {
    "swagger-ui-bundle.js": "swagger-ui-bundle.min.js",
    "swagger-ui.css": "swagger-ui.min.css",
}

_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>factcheck API</title>
<link rel="stylesheet" href="docs/assets/swagger-ui.css">
</head>
<body>
<noscript>The interactive docs need JavaScript; the spec itself is at
<a href="openapi.json">openapi.json</a>.</noscript>
<div id="swagger-ui"></div>
<script src="docs/assets/swagger-ui-bundle.js"></script>
<script src="docs/js/init.js"></script>
</body>
</html>
"""

_FALLBACK = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>factcheck API</title></head>
<body><h1>factcheck API</h1>
<p>The OpenAPI 3 document is at <a href="openapi.json">openapi.json</a>.</p></body></html>
"""


def swagger_ui_dir() -> Path | None:
    try:
        base = resources.files("aws_lambda_powertools.event_handler.openapi.swagger_ui")
    except ModuleNotFoundError:  # pragma: no cover - powertools is a dependency
        return None
    path = Path(str(base))
    return path if all((path / name).is_file() for name in _ASSETS.values()) else None


@blp.get("/docs")
def docs_page() -> Response:
    page = _PAGE if swagger_ui_dir() else _FALLBACK
    return Response(page, mimetype="text/html")


@blp.get("/docs/assets/<string:name>")
def docs_asset(name: str) -> Response:
    directory = swagger_ui_dir()
    if directory is None or name not in _ASSETS:
        raise NotFound(f"No docs asset {name!r}.")
    response = send_from_directory(directory, _ASSETS[name], max_age=86400)
    return response
