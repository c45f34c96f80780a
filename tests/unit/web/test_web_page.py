"""The review page is served by the API's app, from package files, under a strict CSP,
as ES modules the browser loads as they are (no build step)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from factcheck.api.auth import create_user
from factcheck.domain.models import Role
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

from .modules import (
    ASSETS,
    ENTRY,
    MODULES,
    STATIC,
    TEMPLATE,
    code_lines,
    imports,
    reachable,
    source,
)

pytestmark = pytest.mark.unit

MIMETYPES = {".js": "text/javascript", ".css": "text/css"}


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_the_page_is_served_at_the_root_with_a_self_only_csp(client: FlaskClient) -> None:
    # WHEN the page is requested
    response = client.get("/")

    # THEN it is the review page, and only this origin may give it scripts and styles
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    body = response.get_data(as_text=True)
    assert '<script type="module" src="web/app.js"></script>' in body
    assert '<link rel="stylesheet" href="web/app.css">' in body
    csp = csp_directives(response.headers["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["connect-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert not any("unsafe" in v for values in csp.values() for v in values)
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_page_has_no_inline_script_or_style_and_labels_every_field(
    client: FlaskClient,
) -> None:
    body = client.get("/").get_data(as_text=True)
    # No inline code for the CSP to refuse: every <script> has a src, no style="" or <style>.
    assert all("src=" in tag for tag in re.findall(r"<script\b[^>]*>", body))
    assert "<style" not in body
    assert not re.search(r"\sstyle=", body)
    assert not re.search(r"\son[a-z]+=", body)  # no inline event handlers
    # Every form field has a label pointing at it.
    ids = re.findall(r"<(?:input|select|textarea)\b[^>]*\bid=\"([^\"]+)\"", body)
    labelled = set(re.findall(r"<label\b[^>]*\bfor=\"([^\"]+)\"", body))
    assert ids
    assert set(ids) <= labelled, set(ids) - labelled


@pytest.mark.parametrize("name", ASSETS)
def test_every_module_and_the_stylesheet_are_served_with_their_content_type(
    client: FlaskClient, name: str
) -> None:
    # A module script with the wrong type is refused by the browser under nosniff.
    response = client.get(f"/web/{name}")
    assert response.status_code == 200
    assert response.mimetype == MIMETYPES[Path(name).suffix]
    assert response.get_data() == (STATIC / name).read_bytes()
    assert "Content-Security-Policy" in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"


def test_the_entry_module_loads_every_module_and_every_import_resolves(
    client: FlaskClient,
) -> None:
    loaded = reachable(ENTRY)
    # No dead module left in the package, and every import is a file the app serves.
    assert loaded == set(MODULES)
    for name in loaded:
        for spec in imports(name):
            assert client.get(f"/web/{spec[2:]}").status_code == 200, (name, spec)


def test_an_unknown_asset_is_a_404_in_the_error_envelope(client: FlaskClient) -> None:
    response = client.get("/web/nope.js")
    assert response.status_code == 404
    assert response.get_json()["code"] == "not_found"


def test_no_external_url_in_the_page_or_its_assets(client: FlaskClient) -> None:
    texts = {"/": client.get("/").get_data(as_text=True)}
    texts.update({name: client.get(f"/web/{name}").get_data(as_text=True) for name in ASSETS})
    for name, text in texts.items():
        # No absolute URL, protocol-relative URL or CSS import: everything is same-origin.
        assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", text, re.I), name
        assert "@import" not in text, name


@pytest.mark.parametrize("name", MODULES)
def test_no_module_writes_html_from_data_or_uses_local_storage(name: str) -> None:
    script = "\n".join(code_lines(name))
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("):
        assert sink not in script, sink
    assert "localStorage" not in script  # the token lives in sessionStorage only


@pytest.mark.parametrize("name", MODULES)
def test_every_module_is_under_400_lines(name: str) -> None:
    assert len(source(name).splitlines()) < 400


def test_the_page_state_is_changed_in_one_place() -> None:
    # Only store.js holds the state; other modules read get() and change it with update().
    for name in MODULES:
        script = "\n".join(code_lines(name))
        assert not re.search(r"^\s*(?:let|var)\s+state\b", script, re.M) or name == "store.js"
        assert not re.search(r"\bget\(\)\.\w+(?:\.\w+)*\s*=[^=]", script), name
        if name != "store.js":
            assert "sessionStorage.setItem" not in script, name


def test_the_web_files_are_package_data() -> None:
    pyproject = (Path(__file__).resolve().parents[3] / "pyproject.toml").read_text()
    assert '"web/static/*"' in pyproject and '"web/templates/*"' in pyproject
    assert TEMPLATE.is_file()
    # That glob is not recursive: every static file sits directly in static/.
    assert not [p for p in STATIC.iterdir() if p.is_dir() and p.name != "__pycache__"]


def test_the_session_endpoint_names_the_user_role_and_rating_scale(
    client: FlaskClient, mock_settings: Settings
) -> None:
    # GIVEN a reviewer's token
    _, token = create_user(DynamoRepository(mock_settings), "rita", Role.REVIEWER)

    # WHEN the page asks who it is
    response = client.get("/web/session", headers={"Authorization": f"Bearer {token}"})

    # THEN it learns the name, role, permissions and the rating scale's labels
    assert response.status_code == 200
    body = response.get_json()
    assert body["name"] == "rita"
    assert body["role"] == "reviewer"
    assert "review" in body["permissions"] and "edit" not in body["permissions"]
    assert [level["label"] for level in body["rating_scale"]] == [
        level.label for level in mock_settings.rating_scale
    ]
    assert response.headers["Cache-Control"] == "no-store"


@pytest.mark.parametrize(
    "authorization", [None, "Bearer fct_" + "x" * 43, "Basic abc", "Bearer short"]
)
def test_the_session_endpoint_refuses_a_bad_token_with_the_envelope(
    client: FlaskClient, authorization: str | None
) -> None:
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/web/session", headers=headers)
    assert response.status_code == 401
    body = response.get_json()
    assert body["code"] == "unauthorized"
    assert body["message"]
