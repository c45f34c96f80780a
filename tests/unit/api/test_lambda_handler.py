"""functions/api/app.py: API Gateway HTTP API events reach the Flask app through apig-wsgi."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from factcheck.settings import get_settings

pytestmark = pytest.mark.unit

HANDLER = Path(__file__).resolve().parents[3] / "functions" / "api" / "app.py"


def http_api_event(method: str, path: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """A minimal API Gateway HTTP API (payload format 2.0) event."""
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": path,
        "rawQueryString": "",
        "headers": {"host": "api.example.org", **(headers or {})},
        "requestContext": {
            "http": {"method": method, "path": path, "protocol": "HTTP/1.1", "sourceIp": "1.2.3.4"},
            "stage": "$default",
        },
        "isBase64Encoded": False,
    }


@pytest.fixture
def handler() -> Any:
    get_settings.cache_clear()
    spec = importlib.util.spec_from_file_location("api_function_app", HANDLER)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    yield module.lambda_handler
    get_settings.cache_clear()


def test_the_lambda_handler_serves_health_and_the_error_envelope(handler: Any) -> None:
    ok = handler(http_api_event("GET", "/healthz"), None)
    assert ok["statusCode"] == 200
    assert json.loads(ok["body"])["status"] == "ok"
    refused = handler(http_api_event("GET", "/claims"), None)
    assert refused["statusCode"] == 401
    assert json.loads(refused["body"])["code"] == "unauthorized"
