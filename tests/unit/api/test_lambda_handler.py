"""functions/api/app.py: API Gateway HTTP API events reach the Flask app through apig-wsgi,
on the `$default` stage and on a named one, with the settings Lambda's environment gives."""

from __future__ import annotations

import importlib.util
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from factcheck.settings import get_settings

pytestmark = pytest.mark.unit

HANDLER = Path(__file__).resolve().parents[3] / "functions" / "api" / "app.py"


def http_api_event(
    method: str, path: str, headers: dict[str, str] | None = None, stage: str = "$default"
) -> dict[str, Any]:
    """An API Gateway HTTP API (payload format 2.0) event as the service sends it: on a
    named stage the stage is the first segment of rawPath and http.path."""
    raw_path = path if stage == "$default" else f"/{stage}{path}"
    return {
        "version": "2.0",
        "routeKey": "$default",
        "rawPath": raw_path,
        "rawQueryString": "",
        "headers": {"host": "api.example.org", **(headers or {})},
        "requestContext": {
            "domainName": "api.example.org",
            "http": {
                "method": method,
                "path": raw_path,
                "protocol": "HTTP/1.1",
                "sourceIp": "1.2.3.4",
            },
            "stage": stage,
        },
        "isBase64Encoded": False,
    }


@pytest.fixture
def load_handler(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[..., ModuleType]]:
    """Import the handler module afresh (a cold start) with the given environment."""

    def load(**env: str) -> ModuleType:
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        get_settings.cache_clear()
        spec = importlib.util.spec_from_file_location("api_function_app", HANDLER)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module

    yield load
    get_settings.cache_clear()


@pytest.mark.parametrize("stage", ["$default", "dev", "prod-eu"])
def test_the_lambda_handler_serves_health_and_the_error_envelope_on_every_stage(
    load_handler: Callable[..., ModuleType], stage: str
) -> None:
    handler = load_handler().lambda_handler
    ok = handler(http_api_event("GET", "/healthz", stage=stage), None)
    assert ok["statusCode"] == 200, ok["body"]
    assert json.loads(ok["body"])["status"] == "ok"
    refused = handler(http_api_event("GET", "/claims", stage=stage), None)
    assert refused["statusCode"] == 401
    assert json.loads(refused["body"])["code"] == "unauthorized"


@pytest.mark.parametrize(
    ("raw_path", "routed_as"),
    [
        ("/dev", "/"),  # the stage's root is the app's root
        ("/dev/healthz", "/healthz"),
        ("/devices/healthz", "/devices/healthz"),  # only starts with the stage's letters
        ("/healthz", "/healthz"),  # a custom domain's API mapping sends no stage
    ],
)
def test_only_a_whole_leading_stage_segment_is_stripped(
    load_handler: Callable[..., ModuleType], raw_path: str, routed_as: str
) -> None:
    handler = load_handler().lambda_handler
    event = http_api_event("GET", "/", stage="dev")
    event["rawPath"] = event["requestContext"]["http"]["path"] = raw_path
    on_stage = handler(event, None)
    on_default = handler(http_api_event("GET", routed_as), None)
    assert (on_stage["statusCode"], on_stage["body"]) == (
        on_default["statusCode"],
        on_default["body"],
    )


def test_published_urls_start_with_the_request_url_when_no_public_base_url_is_set(
    load_handler: Callable[..., ModuleType],
) -> None:
    module = load_handler(FACTCHECK_PUBLIC_BASE_URL="")
    module.lambda_handler(http_api_event("GET", "/healthz", stage="dev"), None)
    assert module.settings.public_base_url == "https://api.example.org/dev"
    module.lambda_handler(http_api_event("GET", "/healthz"), None)
    assert module.settings.public_base_url == "https://api.example.org"


def test_a_configured_public_base_url_is_kept_whatever_the_request(
    load_handler: Callable[..., ModuleType],
) -> None:
    module = load_handler(FACTCHECK_PUBLIC_BASE_URL="https://checks.example.org")
    module.lambda_handler(http_api_event("GET", "/healthz", stage="dev"), None)
    assert module.settings.public_base_url == "https://checks.example.org"


@pytest.mark.parametrize(
    ("env", "region"),
    [
        ({"AWS_REGION": "eu-west-1"}, "eu-west-1"),  # what Lambda sets
        ({"AWS_REGION": "eu-west-1", "FACTCHECK_REGION": "ap-south-1"}, "ap-south-1"),
        ({"AWS_DEFAULT_REGION": "eu-central-1"}, "eu-central-1"),
    ],
)
def test_the_function_uses_the_region_lambda_runs_it_in(
    load_handler: Callable[..., ModuleType],
    monkeypatch: pytest.MonkeyPatch,
    env: dict[str, str],
    region: str,
) -> None:
    for key in ("AWS_REGION", "AWS_DEFAULT_REGION", "FACTCHECK_REGION"):
        monkeypatch.delenv(key, raising=False)
    module = load_handler(**env)
    assert module.settings.region == region
    assert module.settings.boto_kwargs()["region_name"] == region
