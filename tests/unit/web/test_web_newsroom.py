"""The page's newsroom parts: what the HTML offers, and the API contract the script relies on
(field errors land next to the field whose name the API uses; exports never put the token
in a URL)."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from factcheck.api.auth import create_user
from factcheck.domain.models import Role
from factcheck.settings import Settings
from factcheck.storage.dynamo import DynamoRepository

pytestmark = pytest.mark.unit

WEB_DIR = Path(str(resources.files("factcheck.web")))
SCRIPT = (WEB_DIR / "static" / "app.js").read_text(encoding="utf-8")
NO_SUCH_CLAIM = "c0000000000000000"


@pytest.fixture
def page(client: FlaskClient) -> str:
    return client.get("/").get_data(as_text=True)


def _auth(mock_settings: Settings, name: str, role: Role) -> dict[str, str]:
    _, token = create_user(DynamoRepository(mock_settings), name, role)
    return {"Authorization": f"Bearer {token}"}


def _error_slot(page: str, form_id: str, field: str) -> bool:
    """Whether the form has a `data-error-for` slot for the field (where the script puts it)."""
    start = page.index(f'id="{form_id}"')
    end = page.index("</form>", start)
    return f'data-error-for="{field}"' in page[start:end]


def test_the_page_has_the_newsroom_parts(page: str) -> None:
    for element_id in (
        "checked-before-card",  # "Checked before": the earlier verdict and its ClaimReview
        "checked-before-list",
        "matches-card",  # similar earlier claims, not published
        "claim-matches",
        "claim-assignee",
        "claim-duplicate",
        "assign-form",
        "assign-reviewer",
        "queue-mine",  # "my queue"
        "search-form",
        "search-q",
        "export-card",
        "export-csv",
        "export-jsonl",
    ):
        assert f'id="{element_id}"' in page, element_id
    assert re.search(r'<form id="search-form"[^>]*role="search"', page)
    assert '<th scope="col">Assigned to</th>' in page
    # Hidden until the script knows the role (editors, reviewers) and the claim.
    for hidden in ("checked-before-card", "matches-card", "assign-form", "export-card"):
        assert re.search(rf'id="{hidden}"[^>]*\shidden\b', page, re.S), hidden


def test_the_api_field_errors_have_a_slot_next_to_their_field(
    client: FlaskClient, page: str, mock_settings: Settings
) -> None:
    editor = _auth(mock_settings, "ed-editor", Role.EDITOR)
    # Assign to a name nobody has: the error names the `reviewer` field, as the form does.
    response = client.post(
        f"/claims/{NO_SUCH_CLAIM}/assign", json={"reviewer": "nobody"}, headers=editor
    )
    assert response.status_code == 422
    assert set(response.get_json()["errors"]) == {"reviewer"}
    assert _error_slot(page, "assign-form", "reviewer")
    # A search with no searchable word, or none at all: the error names `q`.
    for query in ("the", ""):
        response = client.get("/claims/search", query_string={"q": query}, headers=editor)
        assert response.status_code == 422, query
        assert set(response.get_json()["errors"]) == {"q"}, query
    assert _error_slot(page, "search-form", "q")


def test_exports_are_for_editors_only_and_need_the_header(
    client: FlaskClient, mock_settings: Settings
) -> None:
    reviewer = _auth(mock_settings, "rita-reviewer", Role.REVIEWER)
    editor = _auth(mock_settings, "ed-editor", Role.EDITOR)
    assert client.get("/exports/claims.csv").status_code == 401
    assert client.get("/exports/claims.csv", headers=reviewer).status_code == 403
    response = client.get("/exports/claims.csv", headers=editor)
    assert response.status_code == 200
    assert response.get_data(as_text=True).startswith("id,document_id,status")


def test_the_script_sends_the_token_in_the_header_only() -> None:
    code = [line for line in SCRIPT.splitlines() if not line.lstrip().startswith("//")]
    uses = [line for line in code if "state.token" in line or "TOKEN_KEY" in line]
    assert uses
    for line in uses:
        # Never part of a URL, a query string, a link or the address bar.
        for sink in ("URL(", "URLSearchParams", "params", "href", "location", "path"):
            assert sink not in line, line
    # Exports are fetched with the header and saved from a Blob URL, revoked afterwards.
    assert "Authorization: `Bearer ${state.token}`" in SCRIPT
    assert "URL.createObjectURL(" in SCRIPT and "URL.revokeObjectURL(" in SCRIPT
    assert "exports/claims.${format}" in SCRIPT
