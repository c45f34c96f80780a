"""The OpenAPI document (served, committed, valid, complete), the local interactive docs,
and the `factcheck users` / `factcheck openapi` commands."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient
from openapi_spec_validator import validate

from factcheck.api import create_app
from factcheck.api.auth import hash_token
from factcheck.cli import main
from factcheck.cli.openapi_cmd import openapi_document
from factcheck.settings import Settings, get_settings
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "openapi.json"
PUBLIC_PATHS = {"/claim-reviews", "/claim-reviews/{claim_id}", "/healthz", "/health"}
METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    return dict(json.loads(openapi_document()))


def operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in spec["paths"].items()
        for method, op in item.items()
        if method in METHODS
    ]


def test_the_committed_openapi_document_matches_the_code() -> None:
    assert COMMITTED.read_text(encoding="utf-8") == openapi_document(), (
        "docs/openapi.json is stale: run `factcheck openapi --out docs/openapi.json`"
    )


def test_the_openapi_document_is_valid_openapi_3(spec: dict[str, Any]) -> None:
    validate(spec)
    assert spec["openapi"].startswith("3.")


def test_every_operation_declares_its_security_summary_and_error_responses(
    spec: dict[str, Any],
) -> None:
    for path, method, op in operations(spec):
        label = f"{method.upper()} {path}"
        assert op.get("summary"), label
        assert "default" in op["responses"], label
        if path in PUBLIC_PATHS:
            assert op["security"] == [], label
        else:
            assert op["security"] == [{"bearerAuth": []}], label
            assert {"401", "403"} <= set(op["responses"]), label
        if "{" in path:
            assert "404" in op["responses"], label
        if "requestBody" in op:
            assert {"415", "422"} <= set(op["responses"]), label
    scheme = spec["components"]["securitySchemes"]["bearerAuth"]
    assert scheme == {**scheme, "type": "http", "scheme": "bearer"}


def test_the_error_envelope_is_the_documented_error_schema(spec: dict[str, Any]) -> None:
    error = spec["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"status", "code", "message", "errors"}
    assert set(error["required"]) == {"status", "code", "message", "errors"}  # always sent


def test_the_served_openapi_document_is_the_committed_one(client_without_aws: FlaskClient) -> None:
    response = client_without_aws.get("/openapi.json")
    assert response.status_code == 200
    assert response.get_json() == json.loads(COMMITTED.read_text(encoding="utf-8"))


@pytest.fixture
def client_without_aws() -> FlaskClient:
    """The app builds and serves its docs with no AWS behind it (nothing is created)."""
    return create_app(Settings(endpoint_url="http://127.0.0.1:9")).test_client()


def test_the_interactive_docs_load_only_local_assets(client_without_aws: FlaskClient) -> None:
    page = client_without_aws.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and not [s for s in sources if "//" in s], sources
    for source in sources:
        asset = client_without_aws.get("/" + source)
        assert asset.status_code == 200, source
        assert len(asset.get_data()) > 0
    assert client_without_aws.get("/docs/assets/../../etc/passwd").status_code == 404


def test_users_add_prints_a_token_once_that_authenticates_and_is_stored_only_hashed(
    mock_settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # GIVEN the CLI's settings pointing at the test table (in-process moto answers "aws")
    monkeypatch.setenv("FACTCHECK_TABLE_NAME", mock_settings.table_name)
    monkeypatch.setenv("FACTCHECK_REGION", mock_settings.region)
    get_settings.cache_clear()
    try:
        # WHEN a reviewer is added
        args = ["users", "add", "nina", "--role", "reviewer", "--json", "--target", "aws"]
        assert main(args) == 0
    finally:
        get_settings.cache_clear()
    created = json.loads(capsys.readouterr().out)
    token = created["token"]
    # THEN the token works against the API, as that reviewer
    repo = DynamoRepository(mock_settings)
    client = create_app(mock_settings, repository=repo).test_client()
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get("/claims", headers=headers).status_code == 200
    assert client.post("/documents", json={"text": "x"}, headers=headers).status_code == 403
    # AND the table holds its hash, never the token itself
    dump = json.dumps(list(repo.export_items()))
    assert token not in dump and hash_token(token) in dump


def test_users_add_refuses_an_unknown_role(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["users", "add", "nina", "--role", "boss"])
    assert exit_info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_openapi_writes_the_document_to_a_file(tmp_path: Path) -> None:
    out = tmp_path / "spec" / "openapi.json"
    assert main(["openapi", "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8") == openapi_document()
